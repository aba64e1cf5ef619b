package io.crmkpi.jdbc.catalog;

import io.crmkpi.model.CanonicalModel;
import io.crmkpi.model.ForeignKey;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Answers JDBC metadata calls (getTables, getColumns, getPrimaryKeys, getImportedKeys,
 * getTypeInfo, getFunctions…) from the catalog, with the result-set columns, types and order the
 * JDBC spec names. The rows live in a private in-memory DuckDB database so that patterns
 * ({@code %}, {@code _}, escape {@code \}) and every getter work; nothing of the store is asked.
 */
public final class CatalogMetadata implements AutoCloseable {

  private final Connection db;

  public CatalogMetadata(List<CatalogTable> tables) throws SQLException {
    db = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement s = db.createStatement()) {
      s.execute("CREATE TABLE t (schem VARCHAR, name VARCHAR, type VARCHAR, remarks VARCHAR)");
      s.execute("CREATE TABLE c (schem VARCHAR, tname VARCHAR, name VARCHAR, data_type INTEGER, type_name VARCHAR, "
          + "size INTEGER, digits INTEGER, radix INTEGER, nullable INTEGER, remarks VARCHAR, pos INTEGER, "
          + "octets INTEGER)");
      s.execute("CREATE TABLE k (schem VARCHAR, tname VARCHAR, name VARCHAR, seq SMALLINT)");
      s.execute("CREATE TABLE fk (pk_schem VARCHAR, pk_table VARCHAR, pk_column VARCHAR, fk_schem VARCHAR, "
          + "fk_table VARCHAR, fk_column VARCHAR, seq SMALLINT, fk_name VARCHAR, pk_name VARCHAR)");
      s.execute("CREATE TABLE f (name VARCHAR, remarks VARCHAR)");
      s.execute("CREATE TABLE ti (name VARCHAR, data_type INTEGER, prec INTEGER, prefix VARCHAR, suffix VARCHAR, "
          + "params VARCHAR, cs BOOLEAN, searchable SMALLINT, unsigned BOOLEAN, fixed BOOLEAN, min_scale SMALLINT, "
          + "max_scale SMALLINT, radix INTEGER)");
    }
    Set<String> canonical = new HashSet<>();
    try (PreparedStatement pt = db.prepareStatement("INSERT INTO t VALUES (?, ?, ?, ?)");
         PreparedStatement pc = db.prepareStatement("INSERT INTO c VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
         PreparedStatement pk = db.prepareStatement("INSERT INTO k VALUES (?, ?, ?, ?)")) {
      for (CatalogTable t : tables) {
        if (t.schema().equals(CanonicalModel.SCHEMA)) {
          canonical.add(t.name());
        }
        pt.setString(1, t.schema());
        pt.setString(2, t.name());
        pt.setString(3, t.type());
        pt.setString(4, t.remarks());
        pt.addBatch();
        int pos = 1;
        for (CatalogTable.CatalogColumn col : t.columns()) {
          Integer size = CatalogTypes.size(col.jdbcType(), col.size());
          pc.setString(1, t.schema());
          pc.setString(2, t.name());
          pc.setString(3, col.name());
          pc.setInt(4, col.jdbcType());
          pc.setString(5, col.typeName());
          pc.setObject(6, size);
          pc.setObject(7, CatalogTypes.digits(col.jdbcType(), col.digits()));
          pc.setObject(8, CatalogTypes.radix(col.jdbcType()));
          pc.setInt(9, col.nullable() ? DatabaseMetaData.columnNullable : DatabaseMetaData.columnNoNulls);
          pc.setString(10, col.remarks());
          pc.setInt(11, pos++);
          pc.setObject(12, CatalogTypes.octetLength(col.jdbcType(), size));
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
    try (PreparedStatement pf = db.prepareStatement("INSERT INTO fk VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)")) {
      for (ForeignKey k : CanonicalModel.foreignKeys()) {
        if (canonical.contains(k.table()) && canonical.contains(k.refTable())) {
          pf.setString(1, CanonicalModel.SCHEMA);
          pf.setString(2, k.refTable());
          pf.setString(3, k.refColumn());
          pf.setString(4, CanonicalModel.SCHEMA);
          pf.setString(5, k.table());
          pf.setString(6, k.column());
          pf.setString(7, k.name());
          pf.setString(8, k.refTable() + "_pkey"); // the PK_NAME getPrimaryKeys reports
          pf.addBatch();
        }
      }
      pf.executeBatch();
    }
    try (PreparedStatement pi = db.prepareStatement("INSERT INTO ti VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (SqlTypeRow r : SqlTypeRow.ALL) {
        Object[] v = {r.name(), r.jdbcType(), r.precision(), r.literalPrefix(), r.literalSuffix(), r.createParams(),
            r.caseSensitive(), (short) r.searchable(), r.unsigned(), r.fixedPrecScale(),
            r.minScale() == null ? null : (short) (int) r.minScale(),
            r.maxScale() == null ? null : (short) (int) r.maxScale(), r.radix()};
        for (int i = 0; i < v.length; i++) {
          pi.setObject(i + 1, v[i]);
        }
        pi.addBatch();
      }
      pi.executeBatch();
    }
    try (PreparedStatement pf = db.prepareStatement("INSERT INTO f VALUES (?, ?)")) {
      addFunctions(pf, CatalogFunctions.NUMERIC, "numeric function; also as the JDBC escape {fn %s(...)}");
      addFunctions(pf, CatalogFunctions.STRING, "string function; also as the JDBC escape {fn %s(...)}");
      addFunctions(pf, CatalogFunctions.TIME_DATE, "date and time function; also as the JDBC escape {fn %s(...)}");
      addFunctions(pf, CatalogFunctions.SYSTEM, "system function; also as the JDBC escape {fn %s(...)}");
      addFunctions(pf, CatalogFunctions.AGGREGATE, "aggregate function %s(...)");
      pf.executeBatch();
    }
  }

  private static void addFunctions(PreparedStatement pf, List<String> names, String remarks) throws SQLException {
    for (String n : names) {
      pf.setString(1, n);
      pf.setString(2, remarks.replace("%s", n));
      pf.addBatch();
    }
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
        + "octets AS \"CHAR_OCTET_LENGTH\", pos AS \"ORDINAL_POSITION\", "
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

  /** The primary key as the best row identifier: every row is unique by it for the session. */
  public ResultSet bestRowIdentifier(String schema, String table) throws SQLException {
    List<Object> args = new ArrayList<>();
    StringBuilder where = new StringBuilder(" WHERE true");
    equal(where, args, "k.schem", schema);
    equal(where, args, "k.tname", table);
    return query("SELECT CAST(" + DatabaseMetaData.bestRowSession + " AS SMALLINT) AS \"SCOPE\", "
        + "k.name AS \"COLUMN_NAME\", c.data_type AS \"DATA_TYPE\", c.type_name AS \"TYPE_NAME\", "
        + "c.size AS \"COLUMN_SIZE\", CAST(NULL AS INTEGER) AS \"BUFFER_LENGTH\", "
        + "CAST(c.digits AS SMALLINT) AS \"DECIMAL_DIGITS\", CAST(" + DatabaseMetaData.bestRowNotPseudo
        + " AS SMALLINT) AS \"PSEUDO_COLUMN\" FROM k JOIN c ON c.schem = k.schem AND c.tname = k.tname "
        + "AND c.name = k.name" + where + " ORDER BY k.seq", args);
  }

  /** Keys the table holds (it references the other table), ordered as JDBC says: by referenced table. */
  public ResultSet importedKeys(String schema, String table) throws SQLException {
    return keys(null, null, schema, table, "pk_schem, pk_table, seq, fk_name");
  }

  /** Keys that reference the table, ordered by the referencing table. */
  public ResultSet exportedKeys(String schema, String table) throws SQLException {
    return keys(schema, table, null, null, "fk_schem, fk_table, seq, fk_name");
  }

  public ResultSet crossReference(String pkSchema, String pkTable, String fkSchema, String fkTable)
      throws SQLException {
    return keys(pkSchema, pkTable, fkSchema, fkTable, "fk_schem, fk_table, seq, fk_name");
  }

  private ResultSet keys(String pkSchema, String pkTable, String fkSchema, String fkTable, String order)
      throws SQLException {
    List<Object> args = new ArrayList<>();
    StringBuilder where = new StringBuilder(" WHERE true");
    equal(where, args, "pk_schem", pkSchema);
    equal(where, args, "pk_table", pkTable);
    equal(where, args, "fk_schem", fkSchema);
    equal(where, args, "fk_table", fkTable);
    return query("SELECT CAST(NULL AS VARCHAR) AS \"PKTABLE_CAT\", pk_schem AS \"PKTABLE_SCHEM\", "
        + "pk_table AS \"PKTABLE_NAME\", pk_column AS \"PKCOLUMN_NAME\", CAST(NULL AS VARCHAR) AS \"FKTABLE_CAT\", "
        + "fk_schem AS \"FKTABLE_SCHEM\", fk_table AS \"FKTABLE_NAME\", fk_column AS \"FKCOLUMN_NAME\", "
        + "seq AS \"KEY_SEQ\", CAST(" + DatabaseMetaData.importedKeyNoAction + " AS SMALLINT) AS \"UPDATE_RULE\", "
        + "CAST(" + DatabaseMetaData.importedKeyNoAction + " AS SMALLINT) AS \"DELETE_RULE\", "
        + "fk_name AS \"FK_NAME\", pk_name AS \"PK_NAME\", "
        + "CAST(" + DatabaseMetaData.importedKeyNotDeferrable + " AS SMALLINT) AS \"DEFERRABILITY\" FROM fk" + where
        + " ORDER BY " + order, args);
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

  /** getTypeInfo: the 18 JDBC columns for the types crmkpi's SQL takes, ordered by DATA_TYPE. */
  public ResultSet typeInfo() throws SQLException {
    return query("SELECT name AS \"TYPE_NAME\", data_type AS \"DATA_TYPE\", prec AS \"PRECISION\", "
        + "prefix AS \"LITERAL_PREFIX\", suffix AS \"LITERAL_SUFFIX\", params AS \"CREATE_PARAMS\", "
        + "CAST(" + DatabaseMetaData.typeNullable + " AS SMALLINT) AS \"NULLABLE\", cs AS \"CASE_SENSITIVE\", "
        + "searchable AS \"SEARCHABLE\", unsigned AS \"UNSIGNED_ATTRIBUTE\", fixed AS \"FIXED_PREC_SCALE\", "
        + "false AS \"AUTO_INCREMENT\", name AS \"LOCAL_TYPE_NAME\", min_scale AS \"MINIMUM_SCALE\", "
        + "max_scale AS \"MAXIMUM_SCALE\", CAST(NULL AS INTEGER) AS \"SQL_DATA_TYPE\", "
        + "CAST(NULL AS INTEGER) AS \"SQL_DATETIME_SUB\", radix AS \"NUM_PREC_RADIX\" FROM ti ORDER BY data_type, name",
        List.of());
  }

  /** getFunctions: built-in functions belong to no schema or catalog (a schema pattern finds none). */
  public ResultSet functions(String schemaPattern, String namePattern) throws SQLException {
    List<Object> args = new ArrayList<>();
    StringBuilder where = new StringBuilder(" WHERE true");
    if (schemaPattern != null && !schemaPattern.equals("%")) {
      where.append(" AND false");
    }
    like(where, args, "name", namePattern);
    return query("SELECT CAST(NULL AS VARCHAR) AS \"FUNCTION_CAT\", CAST(NULL AS VARCHAR) AS \"FUNCTION_SCHEM\", "
        + "name AS \"FUNCTION_NAME\", remarks AS \"REMARKS\", CAST(" + DatabaseMetaData.functionNoTable
        + " AS SMALLINT) AS \"FUNCTION_TYPE\", name AS \"SPECIFIC_NAME\" FROM f" + where + " ORDER BY name", args);
  }

  /** getFunctionColumns: parameters are not described (built-ins are overloaded), with the 17 JDBC columns. */
  public ResultSet functionColumns() throws SQLException {
    return empty("FUNCTION_CAT", "FUNCTION_SCHEM", "FUNCTION_NAME", "COLUMN_NAME", "COLUMN_TYPE:SMALLINT",
        "DATA_TYPE:INTEGER", "TYPE_NAME", "PRECISION:INTEGER", "LENGTH:INTEGER", "SCALE:SMALLINT", "RADIX:SMALLINT",
        "NULLABLE:SMALLINT", "REMARKS", "CHAR_OCTET_LENGTH:INTEGER", "ORDINAL_POSITION:INTEGER", "IS_NULLABLE",
        "SPECIFIC_NAME");
  }

  /** getProcedures: crmkpi has none. */
  public ResultSet procedures() throws SQLException {
    return empty("PROCEDURE_CAT", "PROCEDURE_SCHEM", "PROCEDURE_NAME", "RESERVED1", "RESERVED2", "RESERVED3",
        "REMARKS", "PROCEDURE_TYPE:SMALLINT", "SPECIFIC_NAME");
  }

  public ResultSet procedureColumns() throws SQLException {
    return empty("PROCEDURE_CAT", "PROCEDURE_SCHEM", "PROCEDURE_NAME", "COLUMN_NAME", "COLUMN_TYPE:SMALLINT",
        "DATA_TYPE:INTEGER", "TYPE_NAME", "PRECISION:INTEGER", "LENGTH:INTEGER", "SCALE:SMALLINT", "RADIX:SMALLINT",
        "NULLABLE:SMALLINT", "REMARKS", "COLUMN_DEF", "SQL_DATA_TYPE:INTEGER", "SQL_DATETIME_SUB:INTEGER",
        "CHAR_OCTET_LENGTH:INTEGER", "ORDINAL_POSITION:INTEGER", "IS_NULLABLE", "SPECIFIC_NAME");
  }

  /** getIndexInfo: the store keeps no indexes a client could use. */
  public ResultSet indexInfo() throws SQLException {
    return empty("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "NON_UNIQUE:BOOLEAN", "INDEX_QUALIFIER", "INDEX_NAME",
        "TYPE:SMALLINT", "ORDINAL_POSITION:SMALLINT", "COLUMN_NAME", "ASC_OR_DESC", "CARDINALITY:BIGINT",
        "PAGES:BIGINT", "FILTER_CONDITION");
  }

  public ResultSet versionColumns() throws SQLException {
    return empty("SCOPE:SMALLINT", "COLUMN_NAME", "DATA_TYPE:INTEGER", "TYPE_NAME", "COLUMN_SIZE:INTEGER",
        "BUFFER_LENGTH:INTEGER", "DECIMAL_DIGITS:SMALLINT", "PSEUDO_COLUMN:SMALLINT");
  }

  public ResultSet tablePrivileges() throws SQLException {
    return empty("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "GRANTOR", "GRANTEE", "PRIVILEGE", "IS_GRANTABLE");
  }

  public ResultSet columnPrivileges() throws SQLException {
    return empty("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "COLUMN_NAME", "GRANTOR", "GRANTEE", "PRIVILEGE",
        "IS_GRANTABLE");
  }

  public ResultSet udts() throws SQLException {
    return empty("TYPE_CAT", "TYPE_SCHEM", "TYPE_NAME", "CLASS_NAME", "DATA_TYPE:INTEGER", "REMARKS",
        "BASE_TYPE:SMALLINT");
  }

  public ResultSet superTypes() throws SQLException {
    return empty("TYPE_CAT", "TYPE_SCHEM", "TYPE_NAME", "SUPERTYPE_CAT", "SUPERTYPE_SCHEM", "SUPERTYPE_NAME");
  }

  public ResultSet superTables() throws SQLException {
    return empty("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "SUPERTABLE_NAME");
  }

  public ResultSet attributes() throws SQLException {
    return empty("TYPE_CAT", "TYPE_SCHEM", "TYPE_NAME", "ATTR_NAME", "DATA_TYPE:INTEGER", "ATTR_TYPE_NAME",
        "ATTR_SIZE:INTEGER", "DECIMAL_DIGITS:INTEGER", "NUM_PREC_RADIX:INTEGER", "NULLABLE:INTEGER", "REMARKS",
        "ATTR_DEF", "SQL_DATA_TYPE:INTEGER", "SQL_DATETIME_SUB:INTEGER", "CHAR_OCTET_LENGTH:INTEGER",
        "ORDINAL_POSITION:INTEGER", "IS_NULLABLE", "SCOPE_CATALOG", "SCOPE_SCHEMA", "SCOPE_TABLE",
        "SOURCE_DATA_TYPE:SMALLINT");
  }

  public ResultSet pseudoColumns() throws SQLException {
    return empty("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "COLUMN_NAME", "DATA_TYPE:INTEGER", "COLUMN_SIZE:INTEGER",
        "DECIMAL_DIGITS:INTEGER", "NUM_PREC_RADIX:INTEGER", "COLUMN_USAGE", "REMARKS", "CHAR_OCTET_LENGTH:INTEGER",
        "IS_NULLABLE");
  }

  /** The client info properties a connection keeps (it keeps any; these are the JDBC-named ones). */
  public ResultSet clientInfoProperties() throws SQLException {
    return query("SELECT name AS \"NAME\", CAST(" + Integer.MAX_VALUE + " AS INTEGER) AS \"MAX_LEN\", "
        + "CAST(NULL AS VARCHAR) AS \"DEFAULT_VALUE\", description AS \"DESCRIPTION\" FROM (VALUES "
        + "('ApplicationName', 'Name of the application using the connection'), "
        + "('ClientHostname', 'Host name of the computer the application runs on'), "
        + "('ClientUser', 'User the application works for')) v(name, description) ORDER BY name", List.of());
  }

  /** An empty result with JDBC's column labels; {@code NAME:TYPE} gives a column its SQL type (else VARCHAR). */
  private ResultSet empty(String... columns) throws SQLException {
    StringBuilder b = new StringBuilder("SELECT ");
    for (int i = 0; i < columns.length; i++) {
      String[] nt = columns[i].split(":");
      b.append(i == 0 ? "" : ", ").append("CAST(NULL AS ").append(nt.length > 1 ? nt[1] : "VARCHAR").append(") AS \"")
          .append(nt[0]).append('"');
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

  /** The rows, wrapped so that nothing of the private database is handed out; counted first (a few hundred at most). */
  private synchronized ResultSet query(String sql, List<Object> args) throws SQLException {
    long count;
    try (PreparedStatement c = prepare("SELECT COUNT(*) FROM (" + sql + ") q", args);
         ResultSet rs = c.executeQuery()) {
      rs.next();
      count = rs.getLong(1);
    }
    PreparedStatement ps = prepare(sql, args);
    ResultSet rs = ps.executeQuery();
    ps.closeOnCompletion();
    return new CatalogResultSet(rs, count);
  }

  private PreparedStatement prepare(String sql, List<Object> args) throws SQLException {
    PreparedStatement ps = db.prepareStatement(sql);
    for (int i = 0; i < args.size(); i++) {
      ps.setObject(i + 1, args.get(i));
    }
    return ps;
  }

  @Override
  public void close() throws SQLException {
    db.close();
  }

  /** One getTypeInfo row: a type name crmkpi's SQL accepts in CAST and reports in metadata. */
  record SqlTypeRow(String name, int jdbcType, int precision, String literalPrefix, String literalSuffix,
      String createParams, boolean caseSensitive, int searchable, Boolean unsigned, boolean fixedPrecScale,
      Integer minScale, Integer maxScale, Integer radix) {

    private static SqlTypeRow number(String name, int type, int precision) {
      return new SqlTypeRow(name, type, precision, null, null, null, false, DatabaseMetaData.typeSearchable, false,
          false, 0, 0, 10);
    }

    private static SqlTypeRow approximate(String name, int type, int precision) {
      return new SqlTypeRow(name, type, precision, null, null, null, false, DatabaseMetaData.typeSearchable, false,
          false, null, null, 10);
    }

    private static SqlTypeRow datetime(String name, int type, int precision, Integer fraction) {
      return new SqlTypeRow(name, type, precision, name + " '", "'", null, false, DatabaseMetaData.typeSearchable,
          null, false, fraction == null ? null : 0, fraction, null);
    }

    static final List<SqlTypeRow> ALL = List.of(
        number("TINYINT", Types.TINYINT, 3),
        number("BIGINT", Types.BIGINT, 19),
        new SqlTypeRow("CHAR", Types.CHAR, 65536, "'", "'", "length", true, DatabaseMetaData.typeSearchable, null,
            false, null, null, null),
        new SqlTypeRow("DECIMAL", Types.DECIMAL, 38, null, null, "precision,scale", false,
            DatabaseMetaData.typeSearchable, false, false, 0, 38, 10),
        number("INTEGER", Types.INTEGER, 10),
        number("SMALLINT", Types.SMALLINT, 5),
        approximate("REAL", Types.REAL, 7),
        approximate("DOUBLE", Types.DOUBLE, 15),
        new SqlTypeRow("VARCHAR", Types.VARCHAR, CatalogTypes.UNBOUNDED, "'", "'", "length", true,
            DatabaseMetaData.typeSearchable, null, false, null, null, null),
        new SqlTypeRow("BOOLEAN", Types.BOOLEAN, 1, null, null, null, false, DatabaseMetaData.typePredBasic, null,
            false, null, null, null),
        datetime("DATE", Types.DATE, 10, null),
        datetime("TIME", Types.TIME, 15, 6),
        datetime("TIMESTAMP", Types.TIMESTAMP, 26, 6));
  }
}
