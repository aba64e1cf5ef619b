package io.crmkpi.dialect;

import io.crmkpi.jdbc.sql.StoreSqlDialect;
import java.time.ZoneId;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeSystem;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIntervalLiteral;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.dialect.DuckDBSqlDialect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.validate.SqlConformance;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * DuckDB outside crmkpi: the embedded store's own dialect ({@link StoreSqlDialect}, whose fixes
 * were each measured against DuckDB), except that "today" is the wall clock of the views' zone
 * whatever the DuckDB session's {@code TimeZone} (crmkpi sets the session's; another client does not).
 */
public final class DuckDbEngineDialect extends DuckDBSqlDialect {

  private static final StoreSqlDialect STORE = StoreSqlDialect.INSTANCE;
  private final ZoneId zone;

  DuckDbEngineDialect(ZoneId zone) {
    super(DuckDBSqlDialect.DEFAULT_CONTEXT);
    this.zone = zone;
  }

  @Override
  public @Nullable SqlNode getCastSpec(RelDataType type) {
    return STORE.getCastSpec(type);
  }

  @Override
  public SqlConformance getConformance() {
    return STORE.getConformance();
  }

  @Override
  public boolean supportsNestedAggregations() {
    return STORE.supportsNestedAggregations();
  }

  @Override
  public boolean supportsAliasedValues() {
    return STORE.supportsAliasedValues();
  }

  @Override
  public void quoteStringLiteral(StringBuilder buf, @Nullable String charsetName, String val) {
    STORE.quoteStringLiteral(buf, charsetName, val);
  }

  @Override
  public void unparseSqlIntervalQualifier(SqlWriter writer, SqlIntervalQualifier qualifier,
                                          RelDataTypeSystem typeSystem) {
    STORE.unparseSqlIntervalQualifier(writer, qualifier, typeSystem);
  }

  @Override
  public void unparseSqlIntervalLiteral(SqlWriter writer, SqlIntervalLiteral literal, int leftPrec, int rightPrec) {
    STORE.unparseSqlIntervalLiteral(writer, literal, leftPrec, rightPrec);
  }

  @Override
  public void unparseCall(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
    String now = "timezone('" + zone.getId().replace("'", "") + "', now())";
    if (call.getOperator() == SqlStdOperatorTable.CURRENT_DATE) {
      writer.print("CAST(" + now + " AS DATE)");
      return;
    }
    if (call.getOperator() == SqlStdOperatorTable.CURRENT_TIMESTAMP
        || call.getOperator() == SqlStdOperatorTable.LOCALTIMESTAMP) {
      writer.print("CAST(" + now + " AS TIMESTAMP)");
      return;
    }
    STORE.unparseCall(writer, call, leftPrec, rightPrec);
  }
}
