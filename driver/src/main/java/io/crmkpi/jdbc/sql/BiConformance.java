package io.crmkpi.jdbc.sql;

import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.sql.validate.SqlDelegatingConformance;

/**
 * LENIENT conformance (GROUP BY 1, GROUP BY alias, LIMIT a,b — what BI tools send) without
 * select-list alias lookup, which turns a misspelt column into "depends on itself" errors.
 */
final class BiConformance extends SqlDelegatingConformance {

  static final BiConformance INSTANCE = new BiConformance();

  private BiConformance() {
    super(SqlConformanceEnum.LENIENT);
  }

  @Override
  public SelectAliasLookup isSelectAlias() {
    return SelectAliasLookup.UNSUPPORTED;
  }
}
