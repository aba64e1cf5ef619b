package io.crmkpi.jdbc.sql;

import org.apache.calcite.rel.type.RelDataTypeSystemImpl;

/**
 * Calcite's type rules, adjusted to how the store computes: a UNION or CASE of string literals of
 * different lengths is VARCHAR, not blank-padded CHAR ({@code 'lead'} must not become {@code 'lead '}).
 */
final class StoreTypeSystem extends RelDataTypeSystemImpl {

  static final StoreTypeSystem INSTANCE = new StoreTypeSystem();

  private StoreTypeSystem() {
  }

  @Override
  public boolean shouldConvertRaggedUnionTypesToVarying() {
    return true;
  }
}
