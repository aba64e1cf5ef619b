package io.crmkpi.jdbc.catalog;

import java.sql.Types;

/**
 * Size facts JDBC metadata reports for a column type (getColumns' COLUMN_SIZE, DECIMAL_DIGITS,
 * NUM_PREC_RADIX, CHAR_OCTET_LENGTH), the rules of {@code DatabaseMetaData.getColumns}: numbers
 * give their precision in decimal digits, datetimes the length of their text form, strings their
 * length in characters (unbounded: Integer.MAX_VALUE, as PostgreSQL's driver reports text).
 * The store keeps timestamps to the microsecond, hence 26 characters and 6 fractional digits.
 */
final class CatalogTypes {

  static final int UNBOUNDED = Integer.MAX_VALUE;

  private CatalogTypes() {
  }

  /** COLUMN_SIZE; {@code declared} is the declared length/precision or null. */
  static Integer size(int jdbcType, Integer declared) {
    return switch (jdbcType) {
      case Types.CHAR, Types.VARCHAR -> declared == null || declared <= 0 ? UNBOUNDED : declared;
      case Types.DECIMAL, Types.NUMERIC -> declared == null ? 38 : declared;
      case Types.TINYINT -> 3;
      case Types.SMALLINT -> 5;
      case Types.INTEGER -> 10;
      case Types.BIGINT -> 19;
      case Types.REAL, Types.FLOAT -> 7;
      case Types.DOUBLE -> 15;
      case Types.BOOLEAN -> 1;
      case Types.DATE -> 10;
      case Types.TIME -> 15;
      case Types.TIMESTAMP -> 26;
      default -> declared;
    };
  }

  /** DECIMAL_DIGITS: scale of exact numbers, fractional-second digits of times; null where JDBC says n/a. */
  static Integer digits(int jdbcType, Integer declaredScale) {
    return switch (jdbcType) {
      case Types.DECIMAL, Types.NUMERIC -> declaredScale == null ? 0 : declaredScale;
      case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> 0;
      case Types.TIME, Types.TIMESTAMP -> 6;
      default -> null;
    };
  }

  /** NUM_PREC_RADIX: 10 for every number (sizes above are decimal digits), null otherwise. */
  static Integer radix(int jdbcType) {
    return isNumeric(jdbcType) ? 10 : null;
  }

  /** CHAR_OCTET_LENGTH: UTF-8 bytes a string of the column can take (4 per character), null otherwise. */
  static Integer octetLength(int jdbcType, Integer size) {
    if (jdbcType != Types.CHAR && jdbcType != Types.VARCHAR) {
      return null;
    }
    return size == null || size >= UNBOUNDED / 4 ? UNBOUNDED : size * 4;
  }

  static boolean isNumeric(int jdbcType) {
    return switch (jdbcType) {
      case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.DECIMAL, Types.NUMERIC, Types.REAL,
          Types.FLOAT, Types.DOUBLE -> true;
      default -> false;
    };
  }
}
