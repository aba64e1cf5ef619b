package io.crmkpi.jdbc;

import io.crmkpi.jdbc.sql.CompiledQuery;
import io.crmkpi.model.CanonicalModel;
import io.crmkpi.model.Column;
import io.crmkpi.model.ColumnType;
import io.crmkpi.model.Table;
import java.math.BigDecimal;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.List;

/**
 * Result columns as Calcite validated them (labels, SQL types, nullability, precision and scale)
 * and, for a column read straight from a table or view column, that column's schema and table: the
 * same type names and sizes as {@code DatabaseMetaData.getColumns} reports.
 */
final class CrmKpiResultSetMetaData implements ResultSetMetaData {

  private final List<CompiledQuery.Column> columns;

  CrmKpiResultSetMetaData(List<CompiledQuery.Column> columns) {
    this.columns = columns;
  }

  private CompiledQuery.Column column(int i) throws SQLException {
    if (i < 1 || i > columns.size()) {
      throw new SQLException("column index " + i + " is out of range 1.." + columns.size(), "07009");
    }
    return columns.get(i - 1);
  }

  @Override
  public int getColumnCount() {
    return columns.size();
  }

  @Override
  public String getColumnLabel(int i) throws SQLException {
    return column(i).label();
  }

  /** The label, as most drivers answer (tools show it as the column's name). */
  @Override
  public String getColumnName(int i) throws SQLException {
    return column(i).label();
  }

  @Override
  public String getSchemaName(int i) throws SQLException {
    return column(i).schema();
  }

  @Override
  public String getTableName(int i) throws SQLException {
    return column(i).table();
  }

  /** There are no catalogs. */
  @Override
  public String getCatalogName(int i) throws SQLException {
    column(i);
    return "";
  }

  @Override
  public int getColumnType(int i) throws SQLException {
    return column(i).jdbcType();
  }

  @Override
  public String getColumnTypeName(int i) throws SQLException {
    return column(i).typeName();
  }

  @Override
  public String getColumnClassName(int i) throws SQLException {
    return javaClass(column(i).jdbcType()).getName();
  }

  /** The class {@code getObject} returns for a JDBC type (JDBC appendix B, table B-3). */
  static Class<?> javaClass(int jdbcType) {
    return switch (jdbcType) {
      case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR -> String.class;
      case Types.TINYINT, Types.SMALLINT, Types.INTEGER -> Integer.class;
      case Types.BIGINT -> Long.class;
      case Types.REAL -> Float.class;
      case Types.FLOAT, Types.DOUBLE -> Double.class;
      case Types.DECIMAL, Types.NUMERIC -> BigDecimal.class;
      case Types.BOOLEAN, Types.BIT -> Boolean.class;
      case Types.DATE -> java.sql.Date.class;
      case Types.TIME -> Time.class;
      case Types.TIMESTAMP -> Timestamp.class;
      case Types.TIMESTAMP_WITH_TIMEZONE -> java.time.OffsetDateTime.class;
      case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY -> byte[].class;
      default -> Object.class;
    };
  }

  @Override
  public int isNullable(int i) throws SQLException {
    return column(i).nullable() ? columnNullable : columnNoNulls;
  }

  /**
   * Digits for numbers (the type's maximum for integers and floating point), characters for text
   * ({@link Integer#MAX_VALUE} when the length is unbounded, as the canonical VARCHAR columns are),
   * the length of the text form for dates and times (JDBC's COLUMN_SIZE rules).
   */
  @Override
  public int getPrecision(int i) throws SQLException {
    return precision(column(i));
  }

  static int precision(CompiledQuery.Column c) {
    return switch (c.jdbcType()) {
      case Types.TINYINT -> 3;
      case Types.SMALLINT -> 5;
      case Types.INTEGER -> 10;
      case Types.BIGINT -> 19;
      case Types.REAL -> 7;
      case Types.FLOAT, Types.DOUBLE -> 15;
      case Types.DECIMAL, Types.NUMERIC -> c.precision() > 0 ? c.precision() : 19;
      case Types.BOOLEAN, Types.BIT -> 1;
      case Types.DATE -> 10;
      case Types.TIME -> c.precision() > 0 ? 9 + c.precision() : 8;
      case Types.TIMESTAMP -> 26; // yyyy-mm-dd hh:mm:ss.ffffff: the store keeps microseconds
      case Types.TIMESTAMP_WITH_TIMEZONE -> 32;
      case Types.CHAR, Types.VARCHAR, Types.BINARY, Types.VARBINARY -> textLength(c);
      default -> 0;
    };
  }

  private static int textLength(CompiledQuery.Column c) {
    if (c.precision() > 0) {
      return c.precision();
    }
    if (c.schema().equals(CanonicalModel.SCHEMA)) {
      for (Table t : CanonicalModel.tables()) {
        if (t.name().equals(c.table())) {
          for (Column col : t.columns()) {
            if (col.name().equals(c.column()) && col.type() == ColumnType.CURRENCY) {
              return 3; // an ISO currency code: VARCHAR(3) in the store, as getColumns says
            }
          }
        }
      }
    }
    return Integer.MAX_VALUE;
  }

  @Override
  public int getScale(int i) throws SQLException {
    CompiledQuery.Column c = column(i);
    return switch (c.jdbcType()) {
      case Types.DECIMAL, Types.NUMERIC -> Math.max(c.scale(), 0);
      case Types.TIMESTAMP -> 6;
      default -> 0;
    };
  }

  /** Characters needed to show any value: digits plus sign and point for numbers, the text form's length else. */
  @Override
  public int getColumnDisplaySize(int i) throws SQLException {
    CompiledQuery.Column c = column(i);
    int p = precision(c);
    return switch (c.jdbcType()) {
      case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> p + 1;
      case Types.DECIMAL, Types.NUMERIC -> p + 2;
      case Types.REAL -> 15;
      case Types.FLOAT, Types.DOUBLE -> 24;
      case Types.BOOLEAN, Types.BIT -> 5; // "false"
      default -> p;
    };
  }

  @Override
  public boolean isAutoIncrement(int i) throws SQLException {
    column(i);
    return false;
  }

  /** Text compares case-sensitively in the store; other types have no case. */
  @Override
  public boolean isCaseSensitive(int i) throws SQLException {
    int t = column(i).jdbcType();
    return t == Types.VARCHAR || t == Types.CHAR;
  }

  @Override
  public boolean isSearchable(int i) throws SQLException {
    column(i);
    return true;
  }

  /** Amounts carry their currency in another column: no column is a currency type. */
  @Override
  public boolean isCurrency(int i) throws SQLException {
    column(i);
    return false;
  }

  @Override
  public boolean isSigned(int i) throws SQLException {
    return switch (column(i).jdbcType()) {
      case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.REAL, Types.FLOAT, Types.DOUBLE,
          Types.DECIMAL, Types.NUMERIC -> true;
      default -> false;
    };
  }

  @Override
  public boolean isReadOnly(int i) throws SQLException {
    column(i);
    return true;
  }

  @Override
  public boolean isWritable(int i) throws SQLException {
    column(i);
    return false;
  }

  @Override
  public boolean isDefinitelyWritable(int i) throws SQLException {
    column(i);
    return false;
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface != null && iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException("crmkpi result metadata wraps no " + (iface == null ? "null" : iface.getName()), "HY000");
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface != null && iface.isInstance(this);
  }
}
