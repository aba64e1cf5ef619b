package io.crmkpi.jdbc.sql;

import org.apache.calcite.rel.type.RelDataTypeSystemImpl;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Calcite's type rules, adjusted to how the store computes: a UNION or CASE of string literals of
 * different lengths is VARCHAR, not blank-padded CHAR ({@code 'lead'} must not become {@code 'lead '});
 * timestamps and times keep microseconds, as the store's do (Calcite's default precision 0 turns
 * {@code CAST('… 10:00:00.123' AS TIMESTAMP)} into 10:00:00 while folding the literal).
 */
final class StoreTypeSystem extends RelDataTypeSystemImpl {

  static final StoreTypeSystem INSTANCE = new StoreTypeSystem();

  private static final int MICROS = 6;

  private StoreTypeSystem() {
  }

  @Override
  public int getDefaultPrecision(SqlTypeName typeName) {
    return typeName == SqlTypeName.TIMESTAMP || typeName == SqlTypeName.TIME ? MICROS
        : super.getDefaultPrecision(typeName);
  }

  @Override
  public int getMaxPrecision(SqlTypeName typeName) {
    return typeName == SqlTypeName.TIMESTAMP || typeName == SqlTypeName.TIME ? MICROS
        : super.getMaxPrecision(typeName);
  }

  @Override
  public boolean shouldConvertRaggedUnionTypesToVarying() {
    return true;
  }
}
