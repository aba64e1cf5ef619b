package io.crmkpi.pgwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code crmkpi serve} with real clients: psql, psycopg2 and SQLAlchemy (child processes) and pgjdbc, against
 * a server started in-process on a free port; every value is compared with the same query through
 * {@code jdbc:crmkpi:} in-process.
 */
class PgServerTest {

  static final String URL = "jdbc:crmkpi:demo;deals=1000";
  static final List<String> LOG = Collections.synchronizedList(new ArrayList<>());
  static PgServer server;
  static Connection jdbc;

  @TempDir
  Path tmp;

  @BeforeAll
  static void start() throws Exception {
    server = PgServer.start(PgServer.Options.defaults(URL).withPort(0).withLog(LOG::add));
    jdbc = DriverManager.getConnection(URL);
  }

  @AfterAll
  static void stop() throws SQLException {
    server.close();
    jdbc.close();
  }

  record Run(int exit, String out, String err) {
  }

  static Run run(Map<String, String> env, String... cmd) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("PGCONNECT_TIMEOUT", "20");
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    var out = new java.util.concurrent.CompletableFuture<String>();
    new Thread(() -> {
      try {
        out.complete(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        out.completeExceptionally(e);
      }
    }).start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(180, TimeUnit.SECONDS), "client timed out: " + Arrays.toString(cmd));
    return new Run(p.exitValue(), out.join(), err);
  }

  static String psql(String... commands) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("psql", "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
        "-p", Integer.toString(server.port()), "-U", "analyst", "-d", "crmkpi"));
    for (String c : commands) {
      cmd.add("-c");
      cmd.add(c);
    }
    Run r = run(Map.of(), cmd.toArray(new String[0]));
    assertEquals(0, r.exit(), "psql failed: " + r.err());
    return r.out();
  }

  static List<String> jdbcRows(String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement s = jdbc.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          b.append(i > 1 ? "|" : "").append(rs.getString(i) == null ? "" : rs.getString(i));
        }
        rows.add(b.toString());
      }
    }
    return rows;
  }

  static Set<String> jdbcTables(String schema, String type) throws SQLException {
    Set<String> names = new TreeSet<>();
    try (ResultSet rs = jdbc.getMetaData().getTables(null, schema, "%", new String[] {type})) {
      while (rs.next()) {
        names.add(rs.getString("TABLE_NAME"));
      }
    }
    return names;
  }

  static Set<String> column(String psqlOut, int index) {
    Set<String> s = new TreeSet<>();
    for (String line : psqlOut.strip().split("\n")) {
      if (!line.isBlank()) {
        s.add(line.split("\\|", -1)[index]);
      }
    }
    return s;
  }

  // ------------------------------------------------------------------ psql

  @Test
  void psqlListsSchemasTablesAndViewsOfTheCatalog() throws Exception {
    assertEquals(Set.of("crm", "kpi", "util"), column(psql("\\dn"), 0));
    Set<String> tables = jdbcTables("crm", "TABLE");
    assertTrue(tables.contains("deals"), tables.toString());
    assertEquals(tables, column(psql("\\dt crm.*"), 1));
    Set<String> views = jdbcTables("kpi", "VIEW");
    assertTrue(views.contains("churn_monthly"), views.toString());
    assertEquals(views, column(psql("\\dv kpi.*"), 1));
    assertEquals(Set.of("crmkpi"), column(psql("\\l"), 0));
  }

  @Test
  void psqlDescribesAKpiViewWithTheDriversDescriptions() throws Exception {
    String out = psql("\\d+ kpi.churn_monthly");
    Map<String, String> remarks = new LinkedHashMap<>();
    try (ResultSet rs = jdbc.getMetaData().getColumns(null, "kpi", "churn_monthly", "%")) {
      while (rs.next()) {
        remarks.put(rs.getString("COLUMN_NAME"), rs.getString("REMARKS"));
      }
    }
    assertTrue(remarks.size() >= 5, remarks.toString());
    for (Map.Entry<String, String> e : remarks.entrySet()) {
      String line = Arrays.stream(out.split("\n")).filter(l -> l.startsWith(e.getKey() + "|")).findFirst()
          .orElseThrow(() -> new AssertionError("no row for " + e.getKey() + " in\n" + out));
      assertTrue(line.endsWith("|" + e.getValue()), line);
    }
    assertTrue(out.contains("churn_rate|double precision|"), out);
    Run full = run(Map.of(), "psql", "-X", "-h", "127.0.0.1", "-p", Integer.toString(server.port()), "-U", "analyst",
        "-d", "crmkpi", "-c", "\\d+ kpi.churn_monthly");
    String def = full.out().substring(full.out().indexOf("View definition:"));
    assertTrue(def.contains("FROM util.customer_churn"), "view definition shows the KPI SQL:\n" + full.out());
    String table = psql("\\d crm.deals");
    try (ResultSet rs = jdbc.getMetaData().getColumns(null, "crm", "deals", "amount")) {
      assertTrue(rs.next());
      assertTrue(table.contains("\namount|numeric(" + rs.getInt("COLUMN_SIZE") + "," + rs.getInt("DECIMAL_DIGITS") + ")|"),
          table);
    }
    assertTrue(table.contains("\ncreated_at|timestamp without time zone|"), table);
  }

  @Test
  void psqlRunsAKpiQueryWithPostgresIdiomsAndCopiesToAFile() throws Exception {
    String pg = "select date_trunc('month', created_at)::date as m, count(*) as n from crm.deals "
        + "where created_at is not null group by 1 order by 1";
    String calcite = "select CAST(FLOOR(created_at TO MONTH) AS DATE) as m, count(*) as n from crm.deals "
        + "where created_at is not null group by 1 order by 1";
    List<String> expected = jdbcRows(calcite);
    assertTrue(expected.size() > 6, expected.toString());
    assertEquals(expected, List.of(psql(pg).strip().split("\n")));

    // a result far larger than socket buffers: rows wait for the client instead of piling up in memory
    Path big = tmp.resolve("big.txt");
    Run r = run(Map.of(), "psql", "-X", "-A", "-t", "-h", "127.0.0.1", "-p", Integer.toString(server.port()), "-U",
        "analyst", "-d", "crmkpi", "-o", big.toString(), "-c", "select a.activity_id, d.amount from crm.activities a "
        + "cross join crm.deals d limit 300000");
    assertEquals(0, r.exit(), r.err());
    try (var lines = Files.lines(big)) {
      assertEquals(300_000, lines.filter(l -> !l.isEmpty()).count());
    }

    Path file = tmp.resolve("deals.csv");
    psql("\\copy (select deal_id, amount, created_at from crm.deals order by deal_id limit 40) to '" + file
        + "' with csv header");
    List<String> lines = Files.readAllLines(file);
    assertEquals("deal_id,amount,created_at", lines.get(0));
    List<String> rows = jdbcRows("select deal_id, amount, created_at from crm.deals order by deal_id limit 40");
    assertEquals(40, lines.size() - 1);
    for (int i = 0; i < 40; i++) {
      String[] want = rows.get(i).split("\\|", -1);
      String[] got = lines.get(i + 1).split(",", -1);
      assertEquals(want[0], got[0]);
      assertEquals(want[1].isEmpty() ? "" : new java.math.BigDecimal(want[1]).toPlainString(), got[1]);
      assertEquals(want[2].isEmpty() ? "" : want[2].replace('T', ' ').replaceAll("\\.0$", ""), got[2]);
    }
  }

  // ------------------------------------------------------------------ psycopg2 and SQLAlchemy

  static String python(String script) throws Exception {
    Run r = run(Map.of("PGPORT", Integer.toString(server.port())), "/usr/bin/python3", "-c", script);
    assertEquals(0, r.exit(), "python failed:\n" + r.err());
    return r.out().strip();
  }

  @Test
  void psycopg2ParametersNamedCursorTypesAndCancel() throws Exception {
    String out = python("""
        import os, threading, time, psycopg2
        c = psycopg2.connect(host='127.0.0.1', port=int(os.environ['PGPORT']), user='analyst', dbname='crmkpi')
        cur = c.cursor()
        cur.execute("select count(*), sum(amount) from crm.deals where amount > %s and status = %s", (5000, 'won'))
        n, s = cur.fetchone()
        print(n, type(s).__name__, s)
        cur.execute("select date_trunc('month', created_at)::date, created_at from crm.deals where created_at is not null order by created_at limit 1")
        d, ts = cur.fetchone()
        print(type(d).__name__, d.isoformat(), type(ts).__name__, ts.isoformat())
        named = c.cursor(name='all_deals')
        named.itersize = 97
        named.execute("select deal_id from crm.deals order by deal_id")
        print(sum(1 for _ in named))
        named.close()
        c.commit()
        threading.Timer(1.5, c.cancel).start()
        t = time.time()
        try:
            cur.execute("select count(*) from crm.activities a, crm.activities b, crm.deals d where a.activity_id <> b.activity_id")
            print('not cancelled')
        except psycopg2.Error as e:
            print(e.pgcode, round(time.time() - t) < 60)
        c.rollback()
        cur.execute("select 1")
        print(cur.fetchone()[0])
        c.rollback()
        c.autocommit = True
        cur.execute("select pg_backend_pid()")
        pid = cur.fetchone()[0]
        answers = []
        def stop():
            o = psycopg2.connect(host='127.0.0.1', port=int(os.environ['PGPORT']), user='superset', dbname='crmkpi')
            o.autocommit = True
            oc = o.cursor()
            oc.execute("SELECT pg_cancel_backend(%s)", (pid,))
            answers.append(oc.fetchone()[0])
        threading.Timer(1.5, stop).start()
        try:
            cur.execute("select count(*) from crm.activities a, crm.activities b, crm.deals d where a.activity_id <> b.activity_id")
            print('not cancelled')
        except psycopg2.Error as e:
            time.sleep(0.5)
            print(e.pgcode, answers)
        """);
    String[] lines = out.split("\n");
    List<String> want = jdbcRows("select count(*), sum(amount) from crm.deals where amount > 5000 and status = 'won'");
    String[] w = want.get(0).split("\\|");
    assertTrue(Long.parseLong(w[0]) > 0, "the demo has won deals over 5000");
    assertEquals(w[0] + " Decimal " + new java.math.BigDecimal(w[1]).toPlainString(), lines[0]);
    String first = jdbcRows("select created_at from crm.deals where created_at is not null order by created_at limit 1")
        .get(0).replace(' ', 'T').replaceAll("\\.0$", "");
    assertEquals("date " + first.substring(0, 7) + "-01 datetime " + first, lines[1]);
    assertEquals(jdbcRows("select count(*) from crm.deals").get(0), lines[2]);
    assertEquals("57014 True", lines[3]);
    assertEquals("1", lines[4]);
    assertEquals("57014 [True]", lines[5]); // Superset's SQL Lab stop: pg_cancel_backend from another session
  }

  @Test
  void sqlalchemyInspectsLikeSupersetAndRunsATimeSeriesQuery() throws Exception {
    String out = python("""
        import os, sqlalchemy as sa
        e = sa.create_engine('postgresql+psycopg2://analyst@127.0.0.1:%s/crmkpi' % os.environ['PGPORT'])
        i = sa.inspect(e)
        print(sorted(s for s in i.get_schema_names() if s in ('crm', 'kpi', 'util')))
        print(len(i.get_table_names(schema='crm')), 'deals' in i.get_table_names(schema='crm'))
        print('churn_monthly' in i.get_view_names(schema='kpi'))
        cols = i.get_columns('churn_monthly', schema='kpi')
        print(','.join(c['name'] for c in cols))
        print(str(cols[0]['type']), cols[0]['comment'] is not None)
        print('util.customer_churn' in i.get_view_definition('churn_monthly', schema='kpi'))
        print(i.get_table_comment('churn_monthly', schema='kpi')['text'] is not None)
        print(i.get_pk_constraint('deals', schema='crm')['constrained_columns'], i.get_indexes('deals', schema='crm'))
        with e.connect() as c:
            rows = c.execute(sa.text('''SELECT __timestamp AS __timestamp, deals AS deals FROM (
              SELECT DATE_TRUNC('month', created_at) AS __timestamp, COUNT(*) AS deals
              FROM crm.deals WHERE created_at IS NOT NULL GROUP BY DATE_TRUNC('month', created_at)
              ORDER BY deals DESC LIMIT 10000) AS virtual_table ORDER BY __timestamp LIMIT 5''')).fetchall()
            print(';'.join('%s=%s' % (r[0].date().isoformat(), r[1]) for r in rows))
        """);
    String[] lines = out.split("\n");
    assertEquals("['crm', 'kpi', 'util']", lines[0]);
    assertEquals(jdbcTables("crm", "TABLE").size() + " True", lines[1]);
    assertEquals("True", lines[2]);
    List<String> cols = new ArrayList<>();
    try (ResultSet rs = jdbc.getMetaData().getColumns(null, "kpi", "churn_monthly", "%")) {
      while (rs.next()) {
        cols.add(rs.getString("COLUMN_NAME"));
      }
    }
    assertEquals(String.join(",", cols), lines[3]);
    assertEquals("DATE True", lines[4]);
    assertEquals("True", lines[5]);
    assertEquals("True", lines[6]);
    List<String> pk = new ArrayList<>();
    try (ResultSet rs = jdbc.getMetaData().getPrimaryKeys(null, "crm", "deals")) {
      while (rs.next()) {
        pk.add("'" + rs.getString("COLUMN_NAME") + "'");
      }
    }
    assertEquals("[" + String.join(", ", pk) + "] []", lines[7]);
    List<String> want = jdbcRows("select CAST(FLOOR(created_at TO MONTH) AS DATE), count(*) from crm.deals "
        + "where created_at is not null group by 1 order by 1 limit 5");
    assertEquals(String.join(";", want.stream().map(r -> r.replace('|', '=')).toList()), lines[8]);
  }

  // ------------------------------------------------------------------ pgjdbc (Metabase's and DBeaver's driver)

  @Test
  void pgjdbcMetadataAndPreparedStatementsWithBinaryTransfer() throws Exception {
    String url = "jdbc:postgresql://127.0.0.1:" + server.port() + "/crmkpi?user=analyst&prepareThreshold=1";
    try (Connection pg = DriverManager.getConnection(url)) {
      DatabaseMetaData md = pg.getMetaData();
      Set<String> schemas = new TreeSet<>();
      try (ResultSet rs = md.getSchemas()) {
        while (rs.next()) {
          schemas.add(rs.getString("TABLE_SCHEM"));
        }
      }
      assertTrue(schemas.containsAll(Set.of("crm", "kpi", "util")), schemas.toString());
      Set<String> views = new TreeSet<>();
      try (ResultSet rs = md.getTables(null, "kpi", "%", new String[] {"VIEW"})) {
        while (rs.next()) {
          views.add(rs.getString("TABLE_NAME"));
        }
      }
      assertEquals(jdbcTables("kpi", "VIEW"), views);
      Map<String, String> types = new LinkedHashMap<>();
      try (ResultSet rs = md.getColumns(null, "kpi", "churn_monthly", "%")) {
        while (rs.next()) {
          types.put(rs.getString("COLUMN_NAME"), rs.getString("TYPE_NAME") + "/" + rs.getString("REMARKS"));
        }
      }
      assertTrue(types.get("churn_rate").startsWith("float8/churned / customers_at_start"), types.toString());
      assertTrue(types.get("month").startsWith("date/"), types.toString());

      String sql = "select deal_id, amount, created_at, CAST(created_at AS DATE) as d from crm.deals "
          + "where amount > ? order by deal_id limit 5";
      List<String> want = new ArrayList<>();
      try (PreparedStatement ps = jdbc.prepareStatement(sql)) {
        ps.setInt(1, 20000);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            want.add(rs.getString(1) + "|" + rs.getBigDecimal(2) + "|" + rs.getTimestamp(3) + "|" + rs.getDate(4));
          }
        }
      }
      assertEquals(5, want.size());
      for (int round = 0; round < 4; round++) { // later rounds use the server-prepared statement, binary results
        List<String> got = new ArrayList<>();
        try (PreparedStatement ps = pg.prepareStatement(sql)) {
          ps.setInt(1, 20000);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              got.add(rs.getString(1) + "|" + rs.getBigDecimal(2) + "|" + rs.getTimestamp(3) + "|" + rs.getDate(4));
            }
          }
        }
        assertEquals(want, got, "round " + round);
      }
      try (Statement s = pg.createStatement()) {
        s.setFetchSize(10); // a portal with a row limit: PortalSuspended, then more Executes
        pg.setAutoCommit(false);
        int n = 0;
        try (ResultSet rs = s.executeQuery("select deal_id from crm.deals")) {
          while (rs.next()) {
            n++;
          }
        }
        assertEquals(Integer.parseInt(jdbcRows("select count(*) from crm.deals").get(0)), n);
        pg.setAutoCommit(true);
        SQLException e = assertThrows(SQLException.class, () -> s.execute("delete from crm.deals"));
        assertEquals("25006", e.getSQLState());
        e = assertThrows(SQLException.class, () -> s.executeQuery("select no_such_column from crm.deals"));
        assertTrue(e.getMessage().contains("no_such_column"), e.getMessage());
        try (ResultSet rs = s.executeQuery("show transaction isolation level")) {
          assertTrue(rs.next());
          assertEquals("read committed", rs.getString(1));
        }
      }
    }
  }

  /** The describe-database and describe-fields queries of Metabase's PostgreSQL driver (src/metabase/driver/postgres.clj). */
  @Test
  void metabaseSyncQueriesGetDescriptionsTypesAndKeys() throws Exception {
    String url = "jdbc:postgresql://127.0.0.1:" + server.port() + "/crmkpi?user=metabase";
    try (Connection pg = DriverManager.getConnection(url); Statement s = pg.createStatement()) {
      Map<String, String> described = new LinkedHashMap<>();
      try (ResultSet rs = s.executeQuery("SELECT n.nspname AS schema, c.relname AS name, CASE WHEN c.relkind = 'r' "
          + "THEN 'TABLE' ELSE 'VIEW' END AS type, d.description AS description, s.n_live_tup AS estimated_row_count "
          + "FROM pg_catalog.pg_class c INNER JOIN pg_catalog.pg_namespace n ON c.relnamespace = n.oid "
          + "LEFT JOIN pg_catalog.pg_description d ON c.oid = d.objoid AND d.objsubid = 0 "
          + "AND d.classoid = 'pg_class'::regclass LEFT JOIN pg_stat_user_tables s ON n.nspname = s.schemaname "
          + "AND c.relname = s.relname WHERE c.relnamespace = n.oid AND n.nspname !~ '^pg_' "
          + "AND n.nspname <> 'information_schema' AND c.relkind in ('r', 'p', 'v', 'f', 'm') ORDER BY 1, 2")) {
        while (rs.next()) {
          described.put(rs.getString(1) + "." + rs.getString(2) + " " + rs.getString(3), rs.getString(4));
        }
      }
      try (ResultSet rs = jdbc.getMetaData().getTables(null, "kpi", "%", new String[] {"VIEW"})) {
        int n = 0;
        while (rs.next()) {
          assertEquals(rs.getString("REMARKS"), described.get("kpi." + rs.getString("TABLE_NAME") + " VIEW"));
          n++;
        }
        assertTrue(n >= 10, "kpi views: " + n);
      }
      assertTrue(described.containsKey("crm.deals TABLE"), described.keySet().toString());
      List<String> fields = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT c.column_name AS name, c.udt_name AS \"database-type\", "
          + "pk.column_name IS NOT NULL AS \"pk?\", col_description(format('%I.%I', c.table_schema, c.table_name)"
          + "::regclass::oid, c.ordinal_position) AS \"field-comment\" FROM information_schema.columns c "
          + "LEFT JOIN (SELECT tc.table_schema, tc.table_name, kc.column_name FROM information_schema.table_constraints tc "
          + "INNER JOIN information_schema.key_column_usage kc ON tc.constraint_name = kc.constraint_name "
          + "AND tc.table_schema = kc.table_schema AND tc.table_name = kc.table_name "
          + "WHERE tc.constraint_type = 'PRIMARY KEY') pk ON c.table_schema = pk.table_schema "
          + "AND c.table_name = pk.table_name AND c.column_name = pk.column_name "
          + "WHERE c.table_schema !~ '^information_schema|catalog_history|pg_' AND c.table_schema IN ('crm') "
          + "AND c.table_name = 'deals' ORDER BY c.ordinal_position")) {
        while (rs.next()) {
          fields.add(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getBoolean(3) + "|" + rs.getString(4));
        }
      }
      List<String> want = new ArrayList<>();
      Set<String> pk = new TreeSet<>();
      try (ResultSet rs = jdbc.getMetaData().getPrimaryKeys(null, "crm", "deals")) {
        while (rs.next()) {
          pk.add(rs.getString("COLUMN_NAME"));
        }
      }
      try (ResultSet rs = jdbc.getMetaData().getColumns(null, "crm", "deals", "%")) {
        while (rs.next()) {
          String type = switch (rs.getInt("DATA_TYPE")) {
            case java.sql.Types.BIGINT -> "int8";
            case java.sql.Types.INTEGER -> "int4";
            case java.sql.Types.DOUBLE -> "float8";
            case java.sql.Types.DECIMAL -> "numeric";
            case java.sql.Types.BOOLEAN -> "bool";
            case java.sql.Types.DATE -> "date";
            case java.sql.Types.TIMESTAMP -> "timestamp";
            default -> "text";
          };
          want.add(rs.getString("COLUMN_NAME") + "|" + type + "|" + pk.contains(rs.getString("COLUMN_NAME")) + "|"
              + rs.getString("REMARKS"));
        }
      }
      assertEquals(want, fields);
      assertTrue(want.contains("amount|numeric|false|" + want.stream().filter(f -> f.startsWith("amount|")).findFirst()
          .orElseThrow().split("\\|", 4)[3]));
    }
  }

  // ------------------------------------------------------------------ bad input and authentication

  static byte[] startup(String user) {
    byte[] params = ("user\0" + user + "\0database\0crmkpi\0\0").getBytes(StandardCharsets.UTF_8);
    return java.nio.ByteBuffer.allocate(8 + params.length).putInt(8 + params.length).putInt(196608).put(params).array();
  }

  /** Sends bytes, returns the first ErrorResponse's SQLSTATE (or "" if none) and checks the server closed. */
  static String sendRaw(byte[]... chunks) throws IOException {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(20_000);
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      for (byte[] c : chunks) {
        out.write(c);
      }
      out.flush();
      DataInputStream in = new DataInputStream(s.getInputStream());
      String state = "";
      while (true) {
        int type = in.read();
        if (type < 0) {
          return state; // closed by the server
        }
        int len = in.readInt();
        byte[] body = in.readNBytes(len - 4);
        if (type == 'E' && state.isEmpty()) {
          String text = new String(body, StandardCharsets.UTF_8);
          int c = text.indexOf("\0C");
          state = text.substring(c + 2, c + 7);
        }
      }
    }
  }

  @Test
  void badInputClosesThatConnectionAndTheServerServesTheNext() throws Exception {
    byte[] hello = startup("analyst");
    assertEquals("08P01", sendRaw("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
    byte[] v2 = java.nio.ByteBuffer.allocate(8).putInt(8).putInt(2 << 16).array();
    assertEquals("0A000", sendRaw(v2));
    byte[] huge = java.nio.ByteBuffer.allocate(5).put((byte) 'Q').putInt(1 << 30).array();
    assertEquals("54000", sendRaw(hello, huge));
    byte[] unknown = java.nio.ByteBuffer.allocate(5).put((byte) '!').putInt(4).array();
    assertEquals("08P01", sendRaw(hello, unknown));
    byte[] truncatedParse = java.nio.ByteBuffer.allocate(9).put((byte) 'P').putInt(8).put(new byte[] {'a', 'b', 'c', 'd'})
        .array(); // no NUL terminators inside the body
    assertEquals("08P01", sendRaw(hello, truncatedParse));
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.getOutputStream().write(Arrays.copyOf(hello, 10)); // half a start-up packet, then hang up
    }
    assertEquals("1", psql("select 1").strip());
    assertTrue(LOG.stream().anyMatch(l -> l.contains("unsupported frontend protocol 2.0")), LOG.toString());
  }

  @Test
  void scramUsersWrongPasswordRefusedTrustOffLoopbackRefused() throws Exception {
    Path users = tmp.resolve("users");
    PgServer.addUser(users, "bi", "s3cret-pass");
    String file = Files.readString(users);
    assertTrue(file.startsWith("bi:SCRAM-SHA-256$4096:"), file);
    assertFalse(file.contains("s3cret-pass"));
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    try (PgServer secured = PgServer.start(PgServer.Options.defaults(URL).withPort(0).withUsers(users)
        .withLog(log::add))) {
      String url = "jdbc:postgresql://127.0.0.1:" + secured.port() + "/crmkpi";
      try (Connection c = DriverManager.getConnection(url, "bi", "s3cret-pass"); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("select count(*) from crm.deals")) {
        assertTrue(rs.next());
        assertEquals(jdbcRows("select count(*) from crm.deals").get(0), rs.getString(1));
      }
      SQLException e = assertThrows(SQLException.class, () -> DriverManager.getConnection(url, "bi", "wrong"));
      assertEquals("28P01", e.getSQLState());
      e = assertThrows(SQLException.class, () -> DriverManager.getConnection(url, "nobody", "s3cret-pass"));
      assertEquals("28P01", e.getSQLState());
      Run r = run(Map.of("PGPASSWORD", "wrong"), "psql", "-X", "-h", "127.0.0.1", "-p",
          Integer.toString(secured.port()), "-U", "bi", "-d", "crmkpi", "-c", "select 1");
      assertEquals(2, r.exit());
      assertTrue(r.err().contains("password authentication failed for user \"bi\""), r.err());
      r = run(Map.of("PGPASSWORD", "s3cret-pass"), "psql", "-X", "-A", "-t", "-h", "127.0.0.1", "-p",
          Integer.toString(secured.port()), "-U", "bi", "-d", "crmkpi", "-c", "select 41 + 1");
      assertEquals("42", r.out().strip(), r.err());
    }
    assertFalse(log.stream().anyMatch(l -> l.contains("s3cret") || l.contains("wrong")), log.toString());
    IllegalArgumentException off = assertThrows(IllegalArgumentException.class,
        () -> PgServer.start(PgServer.Options.defaults(URL).withPort(0).withBind("0.0.0.0")));
    assertTrue(off.getMessage().contains("trust authentication is only allowed on loopback"), off.getMessage());
  }

  @Test
  void tlsWithAConfiguredCertificateAndKey() throws Exception {
    Path cert = tmp.resolve("cert.pem");
    Path key = tmp.resolve("key.pem");
    Run gen = run(Map.of(), "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(),
        "-out", cert.toString(), "-subj", "/CN=localhost", "-days", "1");
    assertEquals(0, gen.exit(), gen.err());
    try (PgServer tls = PgServer.start(PgServer.Options.defaults(URL).withPort(0).withTls(cert, key))) {
      Run r = run(Map.of("PGSSLMODE", "require"), "psql", "-X", "-h", "127.0.0.1", "-p", Integer.toString(tls.port()),
          "-U", "analyst", "-d", "crmkpi", "-c", "\\conninfo", "-c", "select count(*) from crm.deals");
      assertEquals(0, r.exit(), r.err());
      assertTrue(r.out().contains("SSL connection (protocol: TLSv1."), r.out());
      assertTrue(r.out().contains(" " + jdbcRows("select count(*) from crm.deals").get(0) + "\n"), r.out());
    }
    // without a certificate the SSLRequest is answered 'N': sslmode=require fails, the default (prefer) works
    Run r = run(Map.of("PGSSLMODE", "require"), "psql", "-X", "-h", "127.0.0.1", "-p", Integer.toString(server.port()),
        "-U", "analyst", "-d", "crmkpi", "-c", "select 1");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("server does not support SSL"), r.err());
  }

  @Test
  void limitsMaxConnectionsStatementTimeoutIdleTimeout() throws Exception {
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    try (PgServer limited = PgServer.start(PgServer.Options.defaults(URL).withPort(0).withLimits(1, 1, 2, 1 << 20)
        .withLog(log::add))) {
      String url = "jdbc:postgresql://127.0.0.1:" + limited.port() + "/crmkpi?user=analyst";
      try (Connection first = DriverManager.getConnection(url); Statement s = first.createStatement()) {
        SQLException busy = assertThrows(SQLException.class, () -> DriverManager.getConnection(url));
        assertEquals("53300", busy.getSQLState());
        assertEquals(1, limited.sessionCount());
        SQLException slow = assertThrows(SQLException.class, () -> s.executeQuery("select count(*) from crm.activities a, "
            + "crm.activities b, crm.deals d where a.activity_id <> b.activity_id"));
        assertEquals("57014", slow.getSQLState());
        assertTrue(slow.getMessage().contains("statement timeout"), slow.getMessage());
        try (ResultSet rs = s.executeQuery("select 2 + 2")) {
          assertTrue(rs.next());
          assertEquals(4, rs.getInt(1));
        }
        Thread.sleep(4500); // idle past --idle-timeout 2: the server closes the session
        SQLException idle = assertThrows(SQLException.class, () -> s.executeQuery("select 1"));
        assertTrue(idle.getSQLState().startsWith("08") || idle.getSQLState().equals("57P05"), idle.getSQLState());
      }
      assertTrue(log.stream().anyMatch(l -> l.contains("idle timeout")), log.toString());
    }
  }
}
