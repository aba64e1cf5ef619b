package io.crmkpi.model;

/** SQL type of a canonical column, as created in the store and reported through the driver. */
public enum ColumnType {
  VARCHAR("VARCHAR"),
  CURRENCY("VARCHAR(3)"),
  INTEGER("INTEGER"),
  BIGINT("BIGINT"),
  DOUBLE("DOUBLE"),
  BOOLEAN("BOOLEAN"),
  DATE("DATE"),
  TIMESTAMP("TIMESTAMP"),
  MONEY("DECIMAL(18,2)"),
  QUANTITY("DECIMAL(18,3)"),
  RATE("DECIMAL(18,8)");

  private final String ddl;

  ColumnType(String ddl) {
    this.ddl = ddl;
  }

  /** The type as written in CREATE TABLE. */
  public String ddl() {
    return ddl;
  }

  /** The bare type name BI tools expect in metadata ({@code DECIMAL}, not {@code DECIMAL(18,2)}). */
  public String bareName() {
    int p = ddl.indexOf('(');
    return p < 0 ? ddl : ddl.substring(0, p);
  }
}
