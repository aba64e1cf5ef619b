package io.crmkpi.pgstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.crmkpi.jdbc.StoreRegistryAccess;
import io.crmkpi.metrics.MetricDefinition;
import io.crmkpi.metrics.MetricLibrary;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code store=jdbc:postgresql://…} against a real PostgreSQL server (a throwaway cluster, see
 * {@link PostgresTestServer}), the way users arrive: through the crmkpi JDBC URL. Every kpi view equals
 * the embedded store's result on the same demo (numbers to 1e-9 relative, as KpiDifferentialTest).
 */
class PostgresStoreTest {

  private static final String DEMO = "jdbc:crmkpi:demo;deals=3000;seed=7";

  private static PostgresTestServer server;
  private static String demoDatabase;
  private static Connection embedded;
  private static Connection remote;

  @TempDir
  Path tmp;

  @BeforeAll
  static void start() throws Exception {
    server = PostgresTestServer.start();
    demoDatabase = server.newDatabase();
    embedded = DriverManager.getConnection(DEMO);
    remote = DriverManager.getConnection(DEMO + ";store=" + demoDatabase + server.credentials());
  }

  @AfterAll
  static void stop() throws Exception {
    if (remote != null) {
      remote.close();
    }
    if (embedded != null) {
      embedded.close();
    }
    StoreRegistryAccess.closeUnused();
    if (server != null) {
      server.close();
    }
  }

  private static List<String> kpiViews() {
    return MetricLibrary.builtIn().definitions().stream().filter(d -> d.schema().equals("kpi"))
        .map(MetricDefinition::name).toList();
  }

  @TestFactory
  Stream<DynamicTest> everyKpiViewEqualsTheEmbeddedStore() {
    List<String> views = kpiViews();
    assertTrue(views.size() >= 21, () -> "the library's kpi views: " + views);
    return views.stream().map(v -> DynamicTest.dynamicTest(v, () -> {
      String options = OPTIONS.getOrDefault(v, "");
      try (Connection e = DriverManager.getConnection(DEMO + options);
           Connection r = DriverManager.getConnection(DEMO + options + ";store=" + demoDatabase
               + server.credentials())) {
        List<String> columns = columns(e, "SELECT * FROM kpi." + v);
        List<List<Object>> expected = rows(e, "SELECT * FROM kpi." + v);
        List<List<Object>> actual = rows(r, "SELECT * FROM kpi." + v);
        assertFalse(expected.isEmpty(), v + " has no rows on the demo");
        compare(v, columns, expected, actual);
      }
    }));
  }

  /**
   * View settings a view needs to have rows on the demo (as KpiDifferentialTest): metric settings,
   * so the connections share the stores loaded above.
   */
  private static final java.util.Map<String, String> OPTIONS = java.util.Map.of("crm_impact",
      ";golive=" + LocalDate.now(java.time.ZoneOffset.UTC).withDayOfMonth(1).minusMonths(7).plusDays(14)
          + ";impact_months=3");

  /**
   * Columns that read the clock (CURRENT_TIMESTAMP), compared to an absolute tolerance: the two stores
   * answer a moment apart (as KpiDifferentialTest: lifetime_days to 1e-3 days).
   */
  private static final java.util.Map<String, Double> CLOCK_COLUMNS = java.util.Map.of("lifetime_days", 1e-3);

  @Test
  void statementsRunOnPostgresql() throws SQLException {
    List<List<Object>> plan = rows(remote, "EXPLAIN PLAN FOR SELECT count(*) FROM crm.deals");
    assertTrue(plan.stream().anyMatch(r -> r.get(0).equals("store statement (PostgreSQL):")), plan::toString);
    // the copy is in PostgreSQL itself, with PostgreSQL's types
    try (Connection pg = DriverManager.getConnection(demoDatabase, server.user(), server.password());
         Statement s = pg.createStatement()) {
      assertEquals(3000, single(s, "SELECT count(*) FROM crm.deals"));
      try (ResultSet rs = s.executeQuery("SELECT data_type, numeric_precision, numeric_scale FROM "
          + "information_schema.columns WHERE table_schema = 'crm' AND table_name = 'deals' AND column_name = 'amount'")) {
        assertTrue(rs.next());
        assertEquals("numeric|18|2", rs.getString(1) + "|" + rs.getInt(2) + "|" + rs.getInt(3));
      }
    }
    assertEquals(3000L, ((Number) rows(remote, "SELECT count(*) FROM crm.deals").get(0).get(0)).longValue());
  }

  @Test
  void aSecondConnectionUsesTheCopyWithoutLoading() throws Exception {
    String db = server.newDatabase();
    String url = "jdbc:crmkpi:demo;deals=300;seed=5;store=" + db + server.credentials();
    List<List<Object>> first;
    try (Connection c = DriverManager.getConnection(url)) {
      first = rows(c, "SELECT * FROM kpi.sales_period");
    }
    String loadedAt = storeInfo(db, "loaded_at");
    assertTrue(loadedAt != null && !first.isEmpty());
    StoreRegistryAccess.closeUnused(); // as a new program would find it: no store open in this JVM
    try (Connection second = DriverManager.getConnection(url)) {
      compare("sales_period", columns(second, "SELECT * FROM kpi.sales_period"), first,
          rows(second, "SELECT * FROM kpi.sales_period"));
      assertEquals(300L, ((Number) rows(second, "SELECT count(*) FROM crm.deals").get(0).get(0)).longValue());
    }
    assertEquals(loadedAt, storeInfo(db, "loaded_at"), "the second connection loaded again");
  }

  @Test
  void aQueryTimeoutStopsTheStatementInPostgresql() throws SQLException {
    try (Statement s = remote.createStatement()) {
      s.setQueryTimeout(1);
      // util.calendar (≈ 584,000 rows) joined with itself: runs until stopped
      SQLException e = assertThrows(java.sql.SQLTimeoutException.class,
          () -> s.executeQuery("SELECT count(*) FROM util.calendar a, util.calendar b").next());
      assertEquals("57014", e.getSQLState());
      assertEquals("the statement ran longer than the query timeout of 1 s and was stopped", e.getMessage());
    }
    // the connection goes on working
    assertEquals(3000L, ((Number) rows(remote, "SELECT count(*) FROM crm.deals").get(0).get(0)).longValue());
  }

  @Test
  void loadRejectsAreCopiedToo() throws Exception {
    Path folder = Files.createDirectory(tmp.resolve("exports"));
    Files.writeString(folder.resolve("deals.csv"),
        "deal_id,title,pipeline_id,stage_id,amount,currency,created_at,closed_at,company_id\n"
            + "d1,Acme licence,p1,won,100.00,USD,2024-02-10 10:00:00,2024-03-05 12:00:00,c1\n"
            + "d5,Bad,p1,s1,12x,USD,2024-03-01,,\n");
    String db = server.newDatabase();
    try (Connection c = DriverManager.getConnection("jdbc:crmkpi:files:" + folder + ";store=" + db
        + server.credentials())) {
      List<List<Object>> rejects = rows(c, "SELECT source, entity, raw FROM crm.load_rejects");
      assertEquals(1, rejects.size(), rejects::toString);
      assertTrue(String.valueOf(rejects.get(0).get(2)).contains("12x"), rejects::toString);
      assertEquals(List.of(List.of("d1", new BigDecimal("100.00"))),
          rows(c, "SELECT deal_id, amount FROM crm.deals"));
    }
  }

  @Test
  void aWrongPasswordIsOneLineWithoutThePassword() throws Exception {
    String wrong = "not-the-password-5521";
    SQLException e = assertThrows(SQLException.class, () -> DriverManager.getConnection(DEMO + ";store="
        + demoDatabase + ";store_user=" + server.user() + ";store_password=" + wrong));
    String m = e.getMessage();
    assertEquals(1, m.lines().count(), m);
    assertFalse(m.contains(wrong), m);
    assertTrue(m.contains("store: cannot connect to PostgreSQL at 127.0.0.1:" + server.port()), m);
    assertTrue(m.contains("store_password"), m);
  }

  @Test
  void aServerThatIsDownIsNamed() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // free again once closed: nothing listens there
    }
    SQLException e = assertThrows(SQLException.class, () -> DriverManager.getConnection(DEMO
        + ";store=jdbc:postgresql://127.0.0.1:" + port + "/crm" + server.credentials()));
    String m = e.getMessage();
    assertEquals(1, m.lines().count(), m);
    assertTrue(m.startsWith("store: cannot connect to PostgreSQL at 127.0.0.1:" + port + ": no PostgreSQL server "
        + "answers there"), m);
    assertFalse(m.contains(server.password()), m);
  }

  @Test
  void aPasswordInTheStoreUrlIsRefused() {
    SQLException e = assertThrows(SQLException.class, () -> DriverManager.getConnection(DEMO + ";store="
        + demoDatabase + "?user=x&password=inline-secret-1234"));
    assertEquals("store: put the PostgreSQL password in the setting store_password (a secret, masked everywhere), "
        + "not in the store URL", e.getMessage());
  }

  // --- helpers

  private static long single(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next());
      return rs.getLong(1);
    }
  }

  private static String storeInfo(String db, String key) throws SQLException {
    try (Connection pg = DriverManager.getConnection(db, server.user(), server.password());
         Statement s = pg.createStatement();
         ResultSet rs = s.executeQuery("SELECT value FROM util.store_info WHERE key = '" + key + "'")) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private static List<String> columns(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql + " LIMIT 0")) {
      List<String> out = new ArrayList<>();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        out.add(rs.getMetaData().getColumnLabel(i).toLowerCase(java.util.Locale.ROOT));
      }
      return out;
    }
  }

  static List<List<Object>> rows(Connection c, String sql) throws SQLException {
    List<List<Object>> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          row.add(rs.getObject(i));
        }
        out.add(row);
      }
    }
    return out;
  }

  /**
   * Same rows in any order: rows are matched by their exact values (doubles left out of the match key),
   * then every double compared to 1e-9 relative.
   */
  static void compare(String view, List<String> columns, List<List<Object>> expected, List<List<Object>> actual) {
    assertEquals(expected.size(), actual.size(), view + ": row count");
    List<String> e = expected.stream().map(PostgresStoreTest::key).sorted().toList();
    List<String> a = actual.stream().map(PostgresStoreTest::key).sorted().toList();
    List<List<Object>> es = new ArrayList<>(expected);
    List<List<Object>> as = new ArrayList<>(actual);
    es.sort(java.util.Comparator.comparing(PostgresStoreTest::sortKey));
    as.sort(java.util.Comparator.comparing(PostgresStoreTest::sortKey));
    List<String> problems = new ArrayList<>();
    if (!e.equals(a)) {
      for (int i = 0; i < e.size() && problems.size() < 5; i++) {
        if (!e.get(i).equals(a.get(i))) {
          problems.add("embedded " + e.get(i) + " vs postgresql " + a.get(i));
        }
      }
    }
    for (int r = 0; r < es.size() && problems.size() < 10; r++) {
      for (int col = 0; col < es.get(r).size(); col++) {
        Object x = es.get(r).get(col);
        Object y = as.get(r).get(col);
        if (!same(x, y, CLOCK_COLUMNS.get(columns.get(col)))) {
          problems.add("row " + es.get(r) + " column " + (col + 1) + ": embedded " + x + " vs postgresql " + y);
        }
      }
    }
    if (!problems.isEmpty()) {
      fail(view + ":\n  " + String.join("\n  ", problems));
    }
  }

  private static String key(List<Object> row) {
    StringBuilder b = new StringBuilder();
    for (Object o : row) {
      b.append(approximate(o) ? "~" : norm(o)).append('|');
    }
    return b.toString();
  }

  private static String sortKey(List<Object> row) {
    StringBuilder b = new StringBuilder(key(row));
    for (Object o : row) {
      if (approximate(o)) {
        b.append(String.format(java.util.Locale.ROOT, "%.6e", ((Number) o).doubleValue())).append('|');
      }
    }
    return b.toString();
  }

  /**
   * Numbers compared to 1e-9 relative, not exactly: doubles, and decimals with a fraction (a DECIMAL
   * quotient is exact in PostgreSQL, a double's 16 digits in DuckDB: 763.1439153439153439 vs 763.1439153439154).
   */
  private static boolean approximate(Object o) {
    return o instanceof Double || o instanceof Float
        || o instanceof BigDecimal d && d.stripTrailingZeros().scale() > 0;
  }

  private static String norm(Object o) {
    return o instanceof BigDecimal d ? d.stripTrailingZeros().toPlainString() : String.valueOf(o);
  }

  private static boolean same(Object a, Object b, Double absTolerance) {
    if (a == null || b == null) {
      return a == null && b == null;
    }
    if (a instanceof Number x && b instanceof Number y) {
      double p = x.doubleValue();
      double q = y.doubleValue();
      if (absTolerance != null) {
        return Math.abs(p - q) <= absTolerance;
      }
      return p == q || Math.abs(p - q) <= 1e-9 * Math.max(1.0, Math.max(Math.abs(p), Math.abs(q)));
    }
    return norm(a).equals(norm(b));
  }
}
