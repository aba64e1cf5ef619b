package io.crmkpi.jdbc.catalog;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers JDBC metadata calls (getTables, getColumns, getPrimaryKeys, getSchemas…) from the
 * catalog, with the result-set columns the JDBC spec names. The rows live in a private in-memory
 * DuckDB database so that patterns ({@code %}, {@code _}, escape {@code \}) and every getter work.
 */
public final class CatalogMetadata implements AutoCloseable {

  private final Connection db;

  public CatalogMetadata(List<CatalogTable> tables) throws SQLException {
    db = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement s = db.createStatement()) {
      s.execute("CREATE TABLE t (schem VARCHAR, name VARCHAR, type VARCHAR, remarks VARCHAR)");
      s.execute("CREATE TABLE c (schem VARCHAR, tname VARCHAR, name VARCHAR, data_type INTEGER, type_name VARCHAR, "
          + "size INTEGER, digits INTEGER, radix INTEGER, nullable INTEGER, remarks VARCHAR, pos INTEGER)");
      s.execute("CREATE TABLE k (schem VARCHAR, tname VARCHAR, name VARCHAR, seq SMALLINT)");
    }
    try (PreparedStatement pt = db.prepareStatement("INSERT INTO t VALUES (?, ?, ?, ?)");
         PreparedStatement pc = db.prepareStatement("INSERT INTO c VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
         PreparedStatement pk = db.prepareStatement("INSERT INTO k VALUES (?, ?, ?, ?)")) {
      for (CatalogTable t : tables) {
        pt.setString(1, t.schema());
        pt.setString(2, t.name());
        pt.setString(3, t.type());
        pt.setString(4, t.remarks());
        pt.addBatch();
        int pos = 1;
        for (CatalogTable.CatalogColumn col : t.columns()) {
          pc.setString(1, t.schema());
          pc.setString(2, t.name());
          pc.setString(3, col.name());
          pc.setInt(4, col.jdbcType());
          pc.setString(5, col.typeName());
          pc.setObject(6, col.size());
          pc.setObject(7, col.digits());
          pc.setObject(8, isNumeric(col.jdbcType()) ? 10 : null);
          pc.setInt(9, col.nullable() ? 1 : 0);
          pc.setString(10, col.remarks());
          pc.setInt(11, pos++);
          pc.addBatch();
        }
        short seq = 1;
        for (String key : t.primaryKey()) {
          pk.setString(1, t.schema());
          pk.setString(2, t.name());
          pk.setString(3, key);
          pk.setShort(4, seq++);
          pk.addBatch();
        }
      }
      pt.executeBatch();
      pc.executeBatch();
      pk.executeBatch();
    }
  }

  private static boolean isNumeric(int jdbcType) {
    return switch (jdbcType) {
      case Types.INTEGER, Types.BIGINT, Types.SMALLINT, Types.TINYINT, Types.DECIMAL, Types.NUMERIC, Types.DOUBLE,
          Types.FLOAT, Types.REAL -> true;
      default -> false;
    };
  }

  public ResultSet tables(String schemaPattern, String tablePattern, String[] types) throws SQLException {
    List<Object> args = new ArrayList<>();
    StringBuilder where = new StringBuilder(" WHERE true");
    like(where, args, "schem", schemaPattern);
    like(where, args, "name", tablePattern);
    if (types != null) {
      where.append(" AND type IN (");
      for (int i = 0; i < types.length; i++) {
        where.append(i == 0 ? "?" : ", ?");
        args.add(types[i]);
      }
      where.append(')');
    }
    return query("SELECT CAST(NULL AS VARCHAR) AS \"TABLE_CAT\", schem AS \"TABLE_SCHEM\", name AS \"TABLE_NAME\", "
        + "type AS \"TABLE_TYPE\", remarks AS \"REMARKS\", CAST(NULL AS VARCHAR) AS \"TYPE_CAT\", "
        + "CAST(NULL AS VARCHAR) AS \"TYPE_SCHEM\", CAST(NULL AS VARCHAR) AS \"TYPE_NAME\", "
        + "CAST(NULL AS VARCHAR) AS \"SELF_REFERENCING_COL_NAME\", CAST(NULL AS VARCHAR) AS \"REF_GENERATION\" "
        + "FROM t" + where + " ORDER BY type, schem, name", args);
  }

  public ResultSet columns(String schemaPattern, String tablePattern, String columnPattern) throws SQLException {
    List<Object> args = new ArrayList<>();
    StringBuilder where = new StringBuilder(" WHERE true");
    like(where, args, "schem", schemaPattern);
    like(where, args, "tname", tablePattern);
    like(where, args, "name", columnPattern);
    return query("SELECT CAST(NULL AS VARCHAR) AS \"TABLE_CAT\", schem AS \"TABLE_SCHEM\", tname AS \"TABLE_NAME\", "
        + "name AS \"COLUMN_NAME\", data_type AS \"DATA_TYPE\", type_name AS \"TYPE_NAME\", size AS \"COLUMN_SIZE\", "
        + "CAST(NULL AS INTEGER) AS \"BUFFER_LENGTH\", digits AS \"DECIMAL_DIGITS\", radix AS \"NUM_PREC_RADIX\", "
        + "nullable AS \"NULLABLE\", remarks AS \"REMARKS\", CAST(NULL AS VARCHAR) AS \"COLUMN_DEF\", "
        + "CAST(NULL AS INTEGER) AS \"SQL_DATA_TYPE\", CAST(NULL AS INTEGER) AS \"SQL_DATETIME_SUB\", "
        + "CAST(NULL AS INTEGER) AS \"CHAR_OCTET_LENGTH\", pos AS \"ORDINAL_POSITION\", "
        + "CASE WHEN nullable = 1 THEN 'YES' ELSE 'NO' END AS \"IS_NULLABLE\", CAST(NULL AS VARCHAR) AS \"SCOPE_CATALOG\", "
        + "CAST(NULL AS VARCHAR) AS \"SCOPE_SCHEMA\", CAST(NULL AS VARCHAR) AS \"SCOPE_TABLE\", "
        + "CAST(NULL AS SMALLINT) AS \"SOURCE_DATA_TYPE\", 'NO' AS \"IS_AUTOINCREMENT\", 'NO' AS \"IS_GENERATEDCOLUMN\" "
        + "FROM c" + where + " ORDER BY schem, tname, pos", args);
  }

  public ResultSet primaryKeys(String schema, String table) throws SQLException {
    List<Object> args = new ArrayList<>();
    StringBuilder where = new StringBuilder(" WHERE true");
    equal(where, args, "schem", schema);
    equal(where, args, "tname", table);
    return query("SELECT CAST(NULL AS VARCHAR) AS \"TABLE_CAT\", schem AS \"TABLE_SCHEM\", tname AS \"TABLE_NAME\", "
        + "name AS \"COLUMN_NAME\", seq AS \"KEY_SEQ\", tname || '_pkey' AS \"PK_NAME\" FROM k" + where
        + " ORDER BY name", args);
  }

  public ResultSet schemas(String schemaPattern) throws SQLException {
    List<Object> args = new ArrayList<>();
    StringBuilder where = new StringBuilder(" WHERE true");
    like(where, args, "schem", schemaPattern);
    return query("SELECT DISTINCT schem AS \"TABLE_SCHEM\", CAST(NULL AS VARCHAR) AS \"TABLE_CATALOG\" FROM t"
        + where + " ORDER BY 1", args);
  }

  public ResultSet catalogs() throws SQLException {
    return query("SELECT CAST(NULL AS VARCHAR) AS \"TABLE_CAT\" WHERE false", List.of());
  }

  public ResultSet tableTypes() throws SQLException {
    return query("SELECT * FROM (VALUES ('TABLE'), ('VIEW')) v(\"TABLE_TYPE\")", List.of());
  }

  /** Foreign keys (imported, exported, cross reference): none are declared. */
  public ResultSet noKeys() throws SQLException {
    return query("SELECT CAST(NULL AS VARCHAR) AS \"PKTABLE_CAT\", CAST(NULL AS VARCHAR) AS \"PKTABLE_SCHEM\", "
        + "CAST(NULL AS VARCHAR) AS \"PKTABLE_NAME\", CAST(NULL AS VARCHAR) AS \"PKCOLUMN_NAME\", "
        + "CAST(NULL AS VARCHAR) AS \"FKTABLE_CAT\", CAST(NULL AS VARCHAR) AS \"FKTABLE_SCHEM\", "
        + "CAST(NULL AS VARCHAR) AS \"FKTABLE_NAME\", CAST(NULL AS VARCHAR) AS \"FKCOLUMN_NAME\", "
        + "CAST(NULL AS SMALLINT) AS \"KEY_SEQ\", CAST(NULL AS SMALLINT) AS \"UPDATE_RULE\", "
        + "CAST(NULL AS SMALLINT) AS \"DELETE_RULE\", CAST(NULL AS VARCHAR) AS \"FK_NAME\", "
        + "CAST(NULL AS VARCHAR) AS \"PK_NAME\", CAST(NULL AS SMALLINT) AS \"DEFERRABILITY\" WHERE false", List.of());
  }

  /** An empty result for metadata the store has none of (indexes, procedures, functions). */
  public ResultSet empty(String... columns) throws SQLException {
    StringBuilder b = new StringBuilder("SELECT ");
    for (int i = 0; i < columns.length; i++) {
      b.append(i == 0 ? "" : ", ").append("CAST(NULL AS VARCHAR) AS \"").append(columns[i]).append('"');
    }
    return query(b.append(" WHERE false").toString(), List.of());
  }

  private static void like(StringBuilder where, List<Object> args, String column, String pattern) {
    if (pattern != null && !pattern.equals("%")) {
      where.append(" AND ").append(column).append(" ILIKE ? ESCAPE '\\'");
      args.add(pattern);
    }
  }

  private static void equal(StringBuilder where, List<Object> args, String column, String value) {
    if (value != null) {
      where.append(" AND lower(").append(column).append(") = lower(?)");
      args.add(value);
    }
  }

  private synchronized ResultSet query(String sql, List<Object> args) throws SQLException {
    PreparedStatement ps = db.prepareStatement(sql);
    for (int i = 0; i < args.size(); i++) {
      ps.setObject(i + 1, args.get(i));
    }
    ResultSet rs = ps.executeQuery();
    ps.closeOnCompletion();
    return rs;
  }

  @Override
  public void close() throws SQLException {
    db.close();
  }
}
