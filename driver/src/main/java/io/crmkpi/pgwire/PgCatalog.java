package io.crmkpi.pgwire;

import io.crmkpi.metrics.MetricDefinition;
import io.crmkpi.metrics.MetricLibrary;
import io.crmkpi.metrics.MetricSettings;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.duckdb.DuckDBConnection;

/**
 * The catalog clients introspect, answered by an in-memory DuckDB "shadow": empty tables and views shaped
 * like crmkpi's (names, types, primary keys, {@code COMMENT ON} from the driver's REMARKS), so DuckDB's own
 * {@code pg_catalog}/{@code information_schema} emulation answers psql, SQLAlchemy and pgjdbc. Macros fill
 * what DuckDB leaves out (descriptions, {@code pg_get_viewdef} with the KPI SQL, {@code pg_roles}…), and
 * {@link #rewrite} turns the PostgreSQL-only syntax those clients send into DuckDB's.
 */
final class PgCatalog implements AutoCloseable {

  static final String DATABASE = "crmkpi";
  static final String VERSION = "PostgreSQL 16.0 (crmkpi 0.1.0) on x86_64-pc-linux-gnu, compiled by Java, 64-bit";
  private static final Set<String> SKIPPED_SCHEMAS = Set.of("metadata", "information_schema", "pg_catalog");

  private final DuckDBConnection shadow;

  private PgCatalog(DuckDBConnection shadow) {
    this.shadow = shadow;
  }

  /** Builds the shadow from a crmkpi connection's DatabaseMetaData (tables, columns, keys, remarks). */
  static PgCatalog build(Connection crmkpi, String user) throws SQLException {
    DuckDBConnection db = (DuckDBConnection) new org.duckdb.DuckDBDriver().connect("jdbc:duckdb:", new Properties());
    try (Statement s = db.createStatement()) {
      s.execute("ATTACH ':memory:' AS " + DATABASE);
      s.execute("USE " + DATABASE);
      DatabaseMetaData md = crmkpi.getMetaData();
      Map<String, String[]> tables = new LinkedHashMap<>(); // schema.name -> {schema, name, type, remarks}
      try (ResultSet rs = md.getTables(null, null, "%", null)) {
        while (rs.next()) {
          String schema = rs.getString("TABLE_SCHEM");
          if (schema != null && !SKIPPED_SCHEMAS.contains(schema.toLowerCase(Locale.ROOT))) {
            tables.put(schema + "." + rs.getString("TABLE_NAME"), new String[] {schema, rs.getString("TABLE_NAME"),
                rs.getString("TABLE_TYPE"), rs.getString("REMARKS")});
          }
        }
      }
      Map<String, List<String[]>> columns = new HashMap<>(); // {name, ddl type, remarks}
      try (ResultSet rs = md.getColumns(null, null, "%", "%")) {
        while (rs.next()) {
          columns.computeIfAbsent(rs.getString("TABLE_SCHEM") + "." + rs.getString("TABLE_NAME"), k -> new ArrayList<>())
              .add(new String[] {rs.getString("COLUMN_NAME"), ddlType(rs.getInt("DATA_TYPE"), rs.getInt("COLUMN_SIZE"),
                  rs.getInt("DECIMAL_DIGITS")), rs.getString("REMARKS")});
        }
      }
      for (String[] t : tables.values()) {
        s.execute("CREATE SCHEMA IF NOT EXISTS " + id(t[0]));
      }
      for (Map.Entry<String, String[]> e : tables.entrySet()) {
        String[] t = e.getValue();
        List<String[]> cols = columns.getOrDefault(e.getKey(), List.of());
        if (cols.isEmpty()) {
          continue;
        }
        String qn = id(t[0]) + "." + id(t[1]);
        boolean view = t[2] != null && t[2].toUpperCase(Locale.ROOT).contains("VIEW");
        StringBuilder ddl = new StringBuilder();
        if (view) {
          ddl.append("CREATE VIEW ").append(qn).append(" AS SELECT ");
          for (int i = 0; i < cols.size(); i++) {
            ddl.append(i > 0 ? ", " : "").append("CAST(NULL AS ").append(cols.get(i)[1]).append(") AS ")
                .append(id(cols.get(i)[0]));
          }
          ddl.append(" WHERE false");
        } else {
          ddl.append("CREATE TABLE ").append(qn).append(" (");
          for (int i = 0; i < cols.size(); i++) {
            ddl.append(i > 0 ? ", " : "").append(id(cols.get(i)[0])).append(' ').append(cols.get(i)[1]);
          }
          List<String> pk = new ArrayList<>();
          try (ResultSet rs = md.getPrimaryKeys(null, t[0], t[1])) {
            while (rs.next()) {
              pk.add(id(rs.getString("COLUMN_NAME")));
            }
          }
          if (!pk.isEmpty()) {
            ddl.append(", PRIMARY KEY (").append(String.join(", ", pk)).append(')');
          }
          ddl.append(')');
        }
        s.execute(ddl.toString());
        if (t[3] != null && !t[3].isBlank()) {
          s.execute("COMMENT ON " + (view ? "VIEW " : "TABLE ") + qn + " IS " + lit(t[3]));
        }
        for (String[] c : cols) {
          if (c[2] != null && !c[2].isBlank()) {
            s.execute("COMMENT ON COLUMN " + qn + "." + id(c[0]) + " IS " + lit(c[2]));
          }
        }
      }
      defineMacros(s, user);
      defineSessions(s);
    } catch (SQLException | RuntimeException e) {
      db.close();
      throw e;
    }
    return new PgCatalog(db);
  }

  private static void defineMacros(Statement s, String user) throws SQLException {
    s.execute("CREATE TABLE main.crmkpi_viewdefs (schema_name VARCHAR, view_name VARCHAR, definition VARCHAR)");
    try (var ps = s.getConnection().prepareStatement("INSERT INTO main.crmkpi_viewdefs VALUES (?, ?, ?)")) {
      MetricSettings settings = MetricSettings.defaults();
      for (MetricDefinition d : MetricLibrary.builtIn().definitions()) {
        String sql;
        try {
          sql = MetricLibrary.render(d, settings);
        } catch (RuntimeException e) {
          sql = d.sql();
        }
        ps.setString(1, d.schema());
        ps.setString(2, d.name());
        ps.setString(3, sql.strip());
        ps.addBatch();
      }
      ps.executeBatch();
    }
    String[] ddl = {
        "CREATE MACRO main.obj_description(o, c) AS (SELECT max(description) FROM pg_catalog.pg_description d "
            + "WHERE d.objoid = o AND d.objsubid = 0), (o) AS (SELECT max(description) FROM pg_catalog.pg_description d "
            + "WHERE d.objoid = o AND d.objsubid = 0)",
        "CREATE MACRO main.col_description(o, n) AS (SELECT max(description) FROM pg_catalog.pg_description d "
            + "WHERE d.objoid = o AND d.objsubid = n)",
        "CREATE MACRO main.shobj_description(o, c) AS NULL",
        "CREATE MACRO main.pg_get_userbyid(x) AS " + lit(user),
        "CREATE MACRO main.pg_get_viewdef(o) AS (SELECT max(coalesce(f.definition, v.sql)) FROM duckdb_views() v "
            + "LEFT JOIN main.crmkpi_viewdefs f ON f.schema_name = v.schema_name AND f.view_name = v.view_name "
            + "WHERE v.view_oid = o), (o, p) AS (SELECT max(coalesce(f.definition, v.sql)) FROM duckdb_views() v "
            + "LEFT JOIN main.crmkpi_viewdefs f ON f.schema_name = v.schema_name AND f.view_name = v.view_name "
            + "WHERE v.view_oid = o)",
        "CREATE MACRO main.crmkpi_relation(name) AS (SELECT max(c.oid) FROM pg_catalog.pg_class c "
            + "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = "
            + "replace(CASE WHEN contains(name, '.') THEN split_part(name, '.', 2) ELSE name END, '\"', '') "
            + "AND (NOT contains(name, '.') OR n.nspname = replace(split_part(name, '.', 1), '\"', '')))",
        "CREATE MACRO main.crmkpi_regclass(name) AS CASE name WHEN 'pg_class' THEN 1259 WHEN 'pg_proc' THEN 1255 "
            + "WHEN 'pg_type' THEN 1247 WHEN 'pg_namespace' THEN 2615 WHEN 'pg_constraint' THEN 2606 "
            + "ELSE main.crmkpi_relation(name) END",
        "CREATE MACRO main.crmkpi_regtype(name) AS (SELECT max(oid) FROM pg_catalog.pg_type WHERE typname = name)",
        "CREATE MACRO main.to_regclass(name) AS main.crmkpi_regclass(name)",
        "CREATE MACRO main.pg_encoding_to_char(x) AS 'UTF8'",
        "CREATE MACRO main.pg_get_serial_sequence(t, c) AS CAST(NULL AS VARCHAR)",
        "CREATE MACRO main.pg_get_expr(e, r) AS CAST(e AS VARCHAR), (e, r, p) AS CAST(e AS VARCHAR)",
        "CREATE MACRO main.pg_get_constraintdef(o) AS (SELECT max(constraint_text) FROM duckdb_constraints() "
            + "WHERE table_oid * 1000000 + constraint_index = o), (o, p) AS (SELECT max(constraint_text) "
            + "FROM duckdb_constraints() WHERE table_oid * 1000000 + constraint_index = o)",
        "CREATE MACRO main.pg_get_indexdef(o) AS NULL, (o, c, p) AS NULL",
        "CREATE MACRO main.pg_get_statisticsobjdef_columns(o) AS NULL",
        "CREATE MACRO main.pg_relation_size(o) AS 0",
        "CREATE MACRO main.pg_total_relation_size(o) AS 0",
        "CREATE MACRO main.pg_table_size(o) AS 0",
        "CREATE MACRO main.pg_size_pretty(x) AS '0 bytes'",
        "CREATE MACRO main.pg_get_function_result(o) AS NULL",
        "CREATE MACRO main.pg_get_function_arguments(o) AS NULL",
        "CREATE MACRO main.pg_get_function_identity_arguments(o) AS NULL",
        "CREATE MACRO main.pg_function_is_visible(o) AS true",
        "CREATE MACRO main.pg_type_is_visible(o) AS true",
        "CREATE MACRO main.pg_get_partkeydef(o) AS NULL",
        "CREATE MACRO main.pg_backend_pid() AS 1",
        "CREATE MACRO main.txid_current() AS 1",
        "CREATE MACRO main.inet_server_addr() AS NULL",
        "CREATE MACRO main.inet_server_port() AS NULL",
        "CREATE MACRO main.array_lower(a, d) AS 1",
        "CREATE MACRO main.array_upper(a, d) AS len(a)",
        "CREATE MACRO main.crmkpi_version() AS " + lit(VERSION),
        "CREATE MACRO main.version() AS " + lit(VERSION),
        // DuckDB's pg_class lacks columns psql's \d reads; text (25) is missing from its pg_type; main is ours
        "CREATE VIEW main.pg_class AS SELECT * REPLACE (CAST(NULL AS VARCHAR[]) AS reloptions), false AS relforcerowsecurity "
            + "FROM system.pg_catalog.pg_class",
        // DuckDB's pg_attribute holds DuckDB type ids (14 = BIGINT, 23 = DOUBLE…) and DECIMAL typmods as
        // width*1000+scale: PostgreSQL's OIDs and typmods instead, so format_type and clients read real types
        "CREATE VIEW main.pg_attribute AS SELECT * REPLACE ('p' AS attstorage, CASE atttypid WHEN 10 THEN 16 "
            + "WHEN 11 THEN 21 WHEN 12 THEN 21 WHEN 13 THEN 23 WHEN 14 THEN 20 WHEN 15 THEN 1082 WHEN 16 THEN 1083 "
            + "WHEN 19 THEN 1114 WHEN 21 THEN 1700 WHEN 22 THEN 700 WHEN 23 THEN 701 WHEN 25 THEN 25 WHEN 26 THEN 17 "
            + "WHEN 32 THEN 1184 ELSE atttypid END AS atttypid, CASE WHEN atttypid = 21 AND atttypmod > 0 THEN "
            + "(((atttypmod // 1000) << 16) | (atttypmod % 1000)) + 4 ELSE -1 END AS atttypmod) "
            + "FROM system.pg_catalog.pg_attribute",
        "CREATE MACRO main.format_type(t, m) AS CASE t WHEN 16 THEN 'boolean' WHEN 20 THEN 'bigint' "
            + "WHEN 21 THEN 'smallint' WHEN 23 THEN 'integer' WHEN 25 THEN 'text' WHEN 700 THEN 'real' "
            + "WHEN 701 THEN 'double precision' WHEN 1043 THEN 'character varying' WHEN 1082 THEN 'date' "
            + "WHEN 1083 THEN 'time without time zone' WHEN 1114 THEN 'timestamp without time zone' "
            + "WHEN 1184 THEN 'timestamp with time zone' WHEN 17 THEN 'bytea' WHEN 1700 THEN CASE WHEN m > 4 THEN "
            + "'numeric(' || ((m - 4) >> 16) || ',' || ((m - 4) & 65535) || ')' ELSE 'numeric' END "
            + "ELSE system.pg_catalog.format_type(t, m) END",
        // DuckDB lists no index for a primary key: one pg_index row per PRIMARY KEY (SQLAlchemy, pgjdbc read keys here)
        "CREATE VIEW main.pg_index AS SELECT * FROM system.pg_catalog.pg_index UNION ALL SELECT "
            + "table_oid * 1000000 + constraint_index, table_oid, len(constraint_column_indexes), "
            + "len(constraint_column_indexes), true, true, false, true, false, true, false, true, true, false, "
            + "list_transform(constraint_column_indexes, x -> CAST(x + 1 AS INTEGER)), CAST(NULL AS BIGINT[]), "
            + "CAST(NULL AS BIGINT[]), CAST(NULL AS INTEGER[]), CAST(NULL AS VARCHAR), CAST(NULL AS INTEGER) "
            + "FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY'",
        // classoid as PostgreSQL's pg_class OID, which clients compare with 'pg_class'::regclass
        "CREATE VIEW main.pg_description AS SELECT objoid, 1259::BIGINT AS classoid, objsubid, description "
            + "FROM system.pg_catalog.pg_description",
        // crmkpi's helper macros live in main: not listed as functions (psql \df shows none, as PostgreSQL would)
        "CREATE VIEW main.pg_proc AS SELECT * FROM system.pg_catalog.pg_proc WHERE pronamespace NOT IN "
            + "(SELECT oid FROM system.pg_catalog.pg_namespace WHERE nspname = 'main')",
        "CREATE VIEW main.pg_namespace AS SELECT * FROM system.pg_catalog.pg_namespace WHERE nspname <> 'main'",
        "CREATE VIEW main.pg_type AS SELECT * FROM system.pg_catalog.pg_type UNION ALL (SELECT * REPLACE "
            + "(25::BIGINT AS oid, 'text' AS typname) FROM system.pg_catalog.pg_type WHERE typname = 'varchar')",
        "CREATE VIEW main.pg_roles AS SELECT 10::BIGINT AS oid, " + lit(user) + " AS rolname, true AS rolsuper, "
            + "false AS rolinherit, false AS rolcreaterole, false AS rolcreatedb, true AS rolcanlogin, "
            + "false AS rolreplication, -1 AS rolconnlimit, '********' AS rolpassword, NULL::TIMESTAMP AS rolvaliduntil, "
            + "false AS rolbypassrls, NULL::VARCHAR[] AS rolconfig",
        "CREATE VIEW main.pg_user AS SELECT rolname AS usename, oid AS usesysid, rolcreatedb AS usecreatedb, "
            + "rolsuper AS usesuper FROM main.pg_roles",
        "CREATE VIEW main.pg_authid AS SELECT * FROM main.pg_roles",
        "CREATE VIEW main.pg_auth_members AS SELECT 0::BIGINT AS roleid, 0::BIGINT AS member, 0::BIGINT AS grantor, "
            + "false AS admin_option WHERE false",
        "CREATE VIEW main.pg_database AS SELECT 16384::BIGINT AS oid, " + lit(DATABASE) + " AS datname, "
            + "10::BIGINT AS datdba, 6 AS encoding, 'c' AS datlocprovider, false AS datistemplate, true AS datallowconn, "
            + "-1 AS datconnlimit, 'C' AS datcollate, 'C' AS datctype, NULL::VARCHAR AS daticulocale, "
            + "NULL::VARCHAR AS datacl, 1663::BIGINT AS dattablespace",
        "CREATE VIEW main.pg_stat_user_tables AS SELECT c.oid AS relid, n.nspname AS schemaname, c.relname, "
            + "0::BIGINT AS n_live_tup FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            + "WHERE c.relkind = 'r'",
        "CREATE VIEW main.pg_inherits AS SELECT 0::BIGINT AS inhrelid, 0::BIGINT AS inhparent, 0 AS inhseqno, "
            + "false AS inhdetachpending WHERE false",
        "CREATE VIEW main.pg_partitioned_table AS SELECT 0::BIGINT AS partrelid, '' AS partstrat WHERE false",
        "CREATE VIEW main.pg_policy AS SELECT 0::BIGINT AS oid, '' AS polname, 0::BIGINT AS polrelid, '' AS polcmd, "
            + "true AS polpermissive, CAST(NULL AS BIGINT[]) AS polroles, '' AS polqual, '' AS polwithcheck WHERE false",
        "CREATE VIEW main.pg_statistic_ext AS SELECT 0::BIGINT AS oid, 0::BIGINT AS stxrelid, '' AS stxname, "
            + "0::BIGINT AS stxnamespace, CAST(NULL AS VARCHAR[]) AS stxkind, -1 AS stxstattarget WHERE false",
        "CREATE VIEW main.pg_publication AS SELECT 0::BIGINT AS oid, '' AS pubname, false AS puballtables WHERE false",
        "CREATE VIEW main.pg_publication_namespace AS SELECT 0::BIGINT AS pnpubid, 0::BIGINT AS pnnspid WHERE false",
        "CREATE MACRO main.pg_relation_is_publishable(o) AS false",
        "CREATE VIEW main.pg_publication_rel AS SELECT 0::BIGINT AS prrelid, 0::BIGINT AS prpubid, '' AS prqual, "
            + "CAST(NULL AS INTEGER[]) AS prattrs WHERE false",
        "CREATE VIEW main.pg_trigger AS SELECT 0::BIGINT AS oid, 0::BIGINT AS tgrelid, '' AS tgname WHERE false",
        "CREATE VIEW main.pg_rewrite AS SELECT 0::BIGINT AS oid, 0::BIGINT AS ev_class, '' AS rulename WHERE false",
        "CREATE VIEW main.pg_foreign_table AS SELECT 0::BIGINT AS ftrelid, 0::BIGINT AS ftserver WHERE false",
        "CREATE VIEW main.pg_matviews AS SELECT '' AS schemaname, '' AS matviewname, '' AS definition WHERE false",
        "CREATE VIEW main.pg_extension AS SELECT 0::BIGINT AS oid, 'plpgsql' AS extname, '1.0' AS extversion",
        "CREATE VIEW main.pg_event_trigger AS SELECT 0::BIGINT AS oid, '' AS evtname WHERE false",
        "CREATE VIEW main.pg_collation AS SELECT 100::BIGINT AS oid, 'default' AS collname, 11::BIGINT AS collnamespace, "
            + "'d' AS collprovider, 'C' AS collcollate, 'C' AS collctype WHERE false",
        "CREATE VIEW main.pg_sequence AS SELECT 0::BIGINT AS seqrelid, 0::BIGINT AS seqtypid, 0::BIGINT AS seqstart, "
            + "0::BIGINT AS seqincrement, 0::BIGINT AS seqmax, 0::BIGINT AS seqmin, 0::BIGINT AS seqcache, "
            + "false AS seqcycle WHERE false",
        // SQLAlchemy's identity options (7 key/value pairs) over pg_sequence, which is empty here
        "CREATE MACRO main.json_build_object(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14) AS NULL",
        "CREATE VIEW main.pg_depend AS SELECT 0::BIGINT AS classid, 0::BIGINT AS objid, 0 AS objsubid, "
            + "0::BIGINT AS refclassid, 0::BIGINT AS refobjid, 0 AS refobjsubid, 'n' AS deptype WHERE false",
        "CREATE VIEW main.pg_tablespace AS SELECT 1663::BIGINT AS oid, 'pg_default' AS spcname, 10::BIGINT AS spcowner",
        "CREATE VIEW main.pg_enum AS SELECT 0::BIGINT AS oid, 0::BIGINT AS enumtypid, 0.0 AS enumsortorder, "
            + "'' AS enumlabel WHERE false",
        "CREATE VIEW main.pg_language AS SELECT 13::BIGINT AS oid, 'sql' AS lanname",
        // information_schema.columns with PostgreSQL's type names (Metabase maps udt_name to its field types)
        "CREATE VIEW main.crmkpi_is_columns AS SELECT * REPLACE (CASE WHEN data_type LIKE 'DECIMAL%' THEN 'numeric' "
            + "ELSE " + pgTypeCase("data_type", "'bigint'", "'integer'", "'smallint'", "'double precision'", "'real'",
                "'boolean'", "'date'", "'timestamp without time zone'", "'timestamp with time zone'",
                "'time without time zone'", "'text'", "'bytea'") + " END AS data_type, "
            + "CASE WHEN data_type LIKE 'DECIMAL%' THEN 'numeric' ELSE " + pgTypeCase("data_type", "'int8'", "'int4'",
                "'int2'", "'float8'", "'float4'", "'bool'", "'date'", "'timestamp'", "'timestamptz'", "'time'", "'text'",
                "'bytea'") + " END AS udt_name, 'pg_catalog' AS udt_schema, " + lit(DATABASE) + " AS udt_catalog) "
            + "FROM information_schema.columns",
        "CREATE VIEW main.crmkpi_is_views AS SELECT " + lit(DATABASE) + " AS table_catalog, v.schema_name AS table_schema, "
            + "v.view_name AS table_name, coalesce(f.definition, v.sql) AS view_definition, 'NONE' AS check_option, "
            + "'NO' AS is_updatable, 'NO' AS is_insertable_into, 'NO' AS is_trigger_updatable, "
            + "'NO' AS is_trigger_deletable, 'NO' AS is_trigger_insertable_into FROM duckdb_views() v "
            + "LEFT JOIN main.crmkpi_viewdefs f ON f.schema_name = v.schema_name AND f.view_name = v.view_name "
            + "WHERE NOT v.internal",
    };
    for (String d : ddl) {
      s.execute(d);
    }
  }

  /**
   * {@code util.sessions}: the endpoint's open sessions, rewritten by {@link PgServer#publishSessions} just
   * before a statement reads it; {@code pg_stat_activity} shows the same rows under PostgreSQL's names. Never
   * any SQL text (it may hold literals a user would not share).
   */
  private static void defineSessions(Statement s) throws SQLException {
    s.execute("CREATE SCHEMA IF NOT EXISTS util");
    s.execute("CREATE TABLE util.sessions (pid INTEGER PRIMARY KEY, usename VARCHAR, application_name VARCHAR, "
        + "client_addr VARCHAR, client_port INTEGER, backend_start TIMESTAMPTZ, state VARCHAR, "
        + "query_start TIMESTAMPTZ, statements BIGINT)");
    s.execute("COMMENT ON TABLE util.sessions IS " + lit("Open sessions of crmkpi serve (one row each, as of the "
        + "statement that reads it); no SQL text"));
    String[][] comments = {
        {"pid", "Session id (BackendKeyData; pg_backend_pid(), pg_cancel_backend(pid))"},
        {"usename", "User the session authenticated as"},
        {"application_name", "The client's application_name (start-up parameter or SET)"},
        {"client_addr", "Client IP address"}, {"client_port", "Client TCP port"},
        {"backend_start", "When the session was authenticated"},
        {"state", "active (running a statement), idle, idle in transaction, idle in transaction (aborted)"},
        {"query_start", "When the current statement (or, if idle, the last one) started; null before the first"},
        {"statements", "Statements the session has run against crm, kpi, util or the catalog"}};
    for (String[] c : comments) {
      s.execute("COMMENT ON COLUMN util.sessions." + c[0] + " IS " + lit(c[1]));
    }
    s.execute("CREATE VIEW main.pg_stat_activity AS SELECT 1::INTEGER AS datid, " + lit(DATABASE) + " AS datname, pid, "
        + "NULL::INTEGER AS leader_pid, 10::INTEGER AS usesysid, usename, application_name, client_addr, "
        + "NULL::VARCHAR AS client_hostname, client_port, backend_start, NULL::TIMESTAMPTZ AS xact_start, query_start, "
        + "query_start AS state_change, NULL::VARCHAR AS wait_event_type, NULL::VARCHAR AS wait_event, state, "
        + "NULL::BIGINT AS backend_xid, NULL::BIGINT AS backend_xmin, '' AS query, 'client backend' AS backend_type "
        + "FROM util.sessions");
  }

  /** A session's own connection to the shadow (DuckDB connections are not shared between threads). */
  Connection open() throws SQLException {
    Connection c = shadow.duplicate();
    try (Statement s = c.createStatement()) {
      s.execute("USE " + DATABASE);
      s.execute("SET search_path = 'crm,kpi,util,main'");
    }
    return c;
  }

  @Override
  public void close() throws SQLException {
    shadow.close();
  }

  private static final Pattern[] PATTERNS = {
      Pattern.compile("(?i)OPERATOR\\s*\\(\\s*pg_catalog\\s*\\.\\s*([~!=<>*]+)\\s*\\)"),
      Pattern.compile("(?i)\\s+COLLATE\\s+(pg_catalog\\s*\\.\\s*)?(\"default\"|default|\"C\"|\"POSIX\")"),
      Pattern.compile("(?i)\\bpg_catalog\\s*\\.\\s*"),
      Pattern.compile("(?i)'((?:[^']|'')*)'\\s*::\\s*regclass\\b"),
      Pattern.compile("(?i)'((?:[^']|'')*)'\\s*::\\s*regtype\\b"),
      Pattern.compile("(?i)::\\s*reg(class|type|proc|procedure|namespace|role|oper|operator|config|dictionary)\\s*::\\s*text\\b"),
      Pattern.compile("(?i)::\\s*reg(class|type|proc|procedure|namespace|role|oper|operator|config|dictionary)\\b"),
      Pattern.compile("(?i)::\\s*(oid|xid|cid|tid|int2vector|oidvector)\\b"),
      Pattern.compile("(?i)::\\s*(name|\"char\"|text)\\b(\\s*\\[\\s*\\])?"),
      Pattern.compile("(?i)(!?)~(\\*?)\\s*'((?:[^']|'')*)'"),
      Pattern.compile("(?i)\\binformation_schema\\s*\\.\\s*views\\b"),
      Pattern.compile("(?i)\\bversion\\s*\\(\\s*\\)"),
      Pattern.compile("(?i)([\\w.]+)\\s*=\\s*ANY\\s*\\(\\s*([\\w.]+)\\s*\\)"),
      Pattern.compile("(?i)(?<![.\\w])(format_type|obj_description|col_description|shobj_description|pg_get_userbyid|"
          + "pg_get_viewdef|pg_get_expr|pg_get_constraintdef|pg_get_indexdef|to_regclass)\\s*\\("),
  };

  /** PostgreSQL catalog SQL → DuckDB: qualified pg_catalog names, reg* casts, regex operators, collations. */
  static String rewrite(String sql, String user) {
    String s = sql.replaceAll("(?i)\\b(current_user|session_user|current_role)\\b(?!\\s*\\()", lit(user))
        .replaceAll("(?i)\\bcurrent_catalog\\b(?!\\s*\\()", lit(DATABASE));
    s = PATTERNS[0].matcher(sql).replaceAll(" $1 ");
    s = PATTERNS[1].matcher(s).replaceAll("");
    s = PATTERNS[2].matcher(s).replaceAll("");
    s = s.replaceAll("(?i)format\\s*\\(\\s*'%I\\.%I'\\s*,\\s*([\\w.]+)\\s*,\\s*([\\w.]+)\\s*\\)\\s*::\\s*regclass",
        "main.crmkpi_regclass($1 || '.' || $2)"); // Metabase's column comments
    s = PATTERNS[3].matcher(s).replaceAll("main.crmkpi_regclass('$1')");
    s = PATTERNS[4].matcher(s).replaceAll("main.crmkpi_regtype('$1')");
    s = PATTERNS[5].matcher(s).replaceAll("::VARCHAR");
    s = PATTERNS[6].matcher(s).replaceAll("");
    s = PATTERNS[7].matcher(s).replaceAll("::BIGINT");
    s = PATTERNS[8].matcher(s).replaceAll(m -> m.group(2) == null ? "::VARCHAR" : "::VARCHAR[]");
    Matcher m = PATTERNS[9].matcher(s);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      // PostgreSQL's ~ finds the pattern anywhere; DuckDB's ~ matches the whole string
      String flags = m.group(2).isEmpty() ? "(?s)" : "(?is)";
      m.appendReplacement(b, Matcher.quoteReplacement(m.group(1) + "~ '" + flags + ".*(?:" + m.group(3) + ").*'"));
    }
    m.appendTail(b);
    s = b.toString();
    s = PATTERNS[10].matcher(s).replaceAll("main.crmkpi_is_views");
    s = s.replaceAll("(?i)\\binformation_schema\\s*\\.\\s*columns\\b", "main.crmkpi_is_columns");
    // PostgreSQL names a function's single column after its alias (prattrs[s]); DuckDB needs it spelt out
    s = s.replaceAll("(?i)(generate_series\\s*\\((?:[^()]|\\([^()]*\\))*\\))\\s+(?:AS\\s+)?"
        + "(?!(?:where|join|on|order|group|limit|left|right|inner|cross|union|full|natural|using)\\b)([a-z_]\\w*)\\b(?!\\s*\\()",
        "$1 AS $2($2)");
    s = PATTERNS[11].matcher(s).replaceAll("main.crmkpi_version()");
    s = PATTERNS[13].matcher(s).replaceAll("main.$1("); // ours, not DuckDB's pg_catalog stand-ins
    s = PATTERNS[12].matcher(s).replaceAll("list_contains($2, $1)"); // DuckDB cannot outer-join on ANY
    return s;
  }

  /** A CASE over a DuckDB type name giving, in order, the PostgreSQL spellings passed (else the name). */
  private static String pgTypeCase(String col, String... names) {
    String[] duck = {"BIGINT", "INTEGER", "SMALLINT", "DOUBLE", "FLOAT", "BOOLEAN", "DATE", "TIMESTAMP",
        "TIMESTAMP WITH TIME ZONE", "TIME", "VARCHAR", "BLOB"};
    StringBuilder b = new StringBuilder("CASE " + col);
    for (int i = 0; i < duck.length; i++) {
      b.append(" WHEN '").append(duck[i]).append("' THEN ").append(names[i]);
    }
    return b.append(" ELSE lower(").append(col).append(") END").toString();
  }

  private static String ddlType(int jdbcType, int size, int digits) {
    return switch (jdbcType) {
      case Types.BOOLEAN, Types.BIT -> "BOOLEAN";
      case Types.TINYINT, Types.SMALLINT -> "SMALLINT";
      case Types.INTEGER -> "INTEGER";
      case Types.BIGINT -> "BIGINT";
      case Types.REAL -> "REAL";
      case Types.FLOAT, Types.DOUBLE -> "DOUBLE";
      case Types.DECIMAL, Types.NUMERIC -> size > 0 && size <= 38 ? "DECIMAL(" + size + "," + Math.max(0, digits) + ")"
          : "DECIMAL(38," + Math.max(0, Math.min(digits, 38)) + ")";
      case Types.DATE -> "DATE";
      case Types.TIME -> "TIME";
      case Types.TIMESTAMP -> "TIMESTAMP";
      case Types.TIMESTAMP_WITH_TIMEZONE -> "TIMESTAMPTZ";
      case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> "BLOB";
      default -> "VARCHAR";
    };
  }

  static String id(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  static String lit(String s) {
    return "'" + s.replace("'", "''") + "'";
  }
}
