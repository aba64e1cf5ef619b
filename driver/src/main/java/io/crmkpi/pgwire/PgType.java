package io.crmkpi.pgwire;

import java.sql.Types;

/** The PostgreSQL types crmkpi's catalog maps onto: OID, fixed size (-1 = variable), name (for format_type). */
enum PgType {
  BOOL(16, 1, "boolean"),
  BYTEA(17, -1, "bytea"),
  INT8(20, 8, "bigint"),
  INT2(21, 2, "smallint"),
  INT4(23, 4, "integer"),
  TEXT(25, -1, "text"),
  FLOAT4(700, 4, "real"),
  FLOAT8(701, 8, "double precision"),
  INT4_ARRAY(1007, -1, "integer[]"),
  TEXT_ARRAY(1009, -1, "text[]"),
  INT8_ARRAY(1016, -1, "bigint[]"),
  VARCHAR(1043, -1, "character varying"),
  DATE(1082, 4, "date"),
  TIME(1083, 8, "time without time zone"),
  TIMESTAMP(1114, 8, "timestamp without time zone"),
  TIMESTAMPTZ(1184, 8, "timestamp with time zone"),
  NUMERIC(1700, -1, "numeric");

  private final int oid;
  private final int size;
  private final String sqlName;

  PgType(int oid, int size, String sqlName) {
    this.oid = oid;
    this.size = size;
    this.sqlName = sqlName;
  }

  int oid() {
    return oid;
  }

  short size() {
    return (short) size;
  }

  String sqlName() {
    return sqlName;
  }

  static PgType byOid(int oid) {
    for (PgType t : values()) {
      if (t.oid == oid) {
        return t;
      }
    }
    return null;
  }

  /** The PostgreSQL type of a JDBC column type; anything without a closer match travels as text. */
  static PgType ofJdbc(int jdbcType, String typeName) {
    return switch (jdbcType) {
      case Types.BOOLEAN, Types.BIT -> BOOL;
      case Types.TINYINT, Types.SMALLINT -> INT2;
      case Types.INTEGER -> INT4;
      case Types.BIGINT -> INT8;
      case Types.REAL -> FLOAT4;
      case Types.FLOAT, Types.DOUBLE -> FLOAT8;
      case Types.DECIMAL, Types.NUMERIC -> NUMERIC;
      case Types.VARCHAR, Types.CHAR, Types.NVARCHAR, Types.NCHAR, Types.LONGVARCHAR -> VARCHAR;
      case Types.DATE -> DATE;
      case Types.TIME -> TIME;
      case Types.TIMESTAMP -> TIMESTAMP;
      case Types.TIMESTAMP_WITH_TIMEZONE -> TIMESTAMPTZ;
      case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> BYTEA;
      case Types.ARRAY -> typeName != null && typeName.matches("(?i).*(INT|BIGINT|LONG).*") ? INT8_ARRAY : TEXT_ARRAY;
      default -> TEXT;
    };
  }
}
