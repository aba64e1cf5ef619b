package io.crmkpi.metabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The plugin jar as Metabase uses it: loaded by a class loader of its own (no crmkpi, Calcite or DuckDB class
 * on this test's class path), its {@code io.crmkpi.jdbc.Driver} called directly as Metabase's proxy driver
 * does, the JDBC calls of add / sync / fingerprint / question replayed, and the SQL Metabase's query
 * processor writes from the namespace's HoneySQL forms ({@code golden/*.sql}) checked against the same
 * demo rows aggregated here in Java.
 */
class MetabasePluginJarIT {

  private static final Path JAR = Path.of(System.getProperty("plugin.jar", "target/crmkpi.metabase-driver.jar"));
  // the demo's history ends today (UTC): the relative filters below see rows
  private static final String URL = "jdbc:crmkpi:demo;deals=2000;timezone=UTC";

  private static URLClassLoader loader;
  private static java.sql.Driver driver;
  private static Connection conn;
  private static List<Deal> deals;

  /** Metabase's side of the class path: the JDK and SLF4J (which the plugin jar leaves to its host), nothing else. */
  private static final class HostLoader extends ClassLoader {
    HostLoader() {
      super(ClassLoader.getPlatformClassLoader());
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
      if (name.startsWith("org.slf4j.")) {
        return MetabasePluginJarIT.class.getClassLoader().loadClass(name);
      }
      throw new ClassNotFoundException(name);
    }

    @Override
    protected URL findResource(String name) {
      return name.startsWith("META-INF/services/org.slf4j") || name.startsWith("org/slf4j/")
          ? MetabasePluginJarIT.class.getClassLoader().getResource(name) : null;
    }

    @Override
    protected Enumeration<URL> findResources(String name) throws IOException {
      return name.startsWith("META-INF/services/org.slf4j")
          ? MetabasePluginJarIT.class.getClassLoader().getResources(name) : java.util.Collections.emptyEnumeration();
    }
  }

  record Deal(LocalDateTime created, BigDecimal amountBase, String channel, String status, boolean deleted) {}

  @BeforeAll
  static void load() throws Exception {
    loader = new URLClassLoader(new URL[] {JAR.toUri().toURL()}, new HostLoader());
    driver = (java.sql.Driver) Class.forName("io.crmkpi.jdbc.Driver", true, loader)
        .getDeclaredConstructor().newInstance();
    conn = driver.connect(URL, new Properties());
    deals = new ArrayList<>();
    try (ResultSet rs = conn.createStatement().executeQuery(
        "SELECT created_at, amount_base, channel, status, is_deleted FROM crm.deals")) {
      while (rs.next()) {
        deals.add(new Deal(rs.getObject(1, LocalDateTime.class), rs.getBigDecimal(2), rs.getString(3),
            rs.getString(4), rs.getBoolean(5)));
      }
    }
  }

  @AfterAll
  static void close() throws Exception {
    if (conn != null) {
      conn.close();
    }
    if (loader != null) {
      loader.close();
    }
  }

  // ---------------------------------------------------------------- the jar's shape

  @Test
  void jarHoldsManifestNamespaceAndDriverAndNoUnrelocatedLibraries() throws IOException {
    try (JarFile jar = new JarFile(JAR.toFile())) {
      assertNotNull(jar.getEntry("metabase-plugin.yaml"), "manifest at the jar root");
      assertNotNull(jar.getEntry("metabase/driver/crmkpi.clj"), "driver namespace as source");
      assertNotNull(jar.getEntry("io/crmkpi/jdbc/Driver.class"));
      assertNotNull(jar.getEntry("org/duckdb/DuckDBNative.class"), "DuckDB's JNI classes keep their names");
      assertNotNull(jar.getEntry("io/crmkpi/shaded/org/apache/calcite/jdbc/CalciteConnection.class"));
      List<String> bad = new ArrayList<>();
      for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
        String n = e.nextElement().getName();
        if (n.endsWith(".class") && (n.startsWith("clojure/") || n.startsWith("com/google/")
            || n.startsWith("com/fasterxml/") || n.startsWith("org/apache/calcite/")
            || n.startsWith("com/zaxxer/") || n.startsWith("org/apache/commons/")
            || n.startsWith("org/slf4j/") || n.startsWith("picocli/") || n.startsWith("org/pentaho/")
            || n.startsWith("org/json/") || n.startsWith("org/joou/") || n.startsWith("META-INF/versions/")
            || n.startsWith("org/postgresql/") || n.startsWith("software/amazon/"))) {
          bad.add(n);
        }
      }
      assertEquals(List.of(), bad.subList(0, Math.min(5, bad.size())), bad.size() + " unrelocated classes");
      String services = new String(jar.getInputStream(jar.getEntry("META-INF/services/java.sql.Driver"))
          .readAllBytes(), StandardCharsets.UTF_8).trim();
      assertEquals("io.crmkpi.jdbc.Driver", services);
    }
  }

  // ---------------------------------------------------------------- add, sync, fingerprint

  @Test
  void addDatabaseAndSyncCalls() throws SQLException {
    assertTrue(driver.acceptsURL(URL));
    // connection test: SELECT 1, first value = 1
    try (ResultSet rs = conn.createStatement().executeQuery("SELECT 1")) {
      assertTrue(rs.next());
      assertEquals(1, rs.getInt(1));
    }
    DatabaseMetaData md = conn.getMetaData();
    assertEquals(1, md.getJDBCMajorVersion() >= 4 ? 1 : 0);
    assertNotNull(md.getDatabaseProductName());
    assertNotNull(md.getDatabaseProductVersion());
    assertEquals("\"", md.getIdentifierQuoteString());
    List<String> schemas = new ArrayList<>();
    try (ResultSet rs = md.getSchemas()) {
      while (rs.next()) {
        schemas.add(rs.getString("TABLE_SCHEM"));
      }
    }
    assertEquals(List.of("crm", "kpi", "util"), schemas);
    Map<String, String> tables = new TreeMap<>();
    try (ResultSet rs = md.getTables(null, "crm", "%", new String[] {"TABLE", "PARTITIONED TABLE", "VIEW",
        "FOREIGN TABLE", "MATERIALIZED VIEW", "EXTERNAL TABLE", "DYNAMIC_TABLE"})) {
      while (rs.next()) {
        tables.put(rs.getString("TABLE_NAME"), rs.getString("TABLE_TYPE"));
        assertEquals("crm", rs.getString("TABLE_SCHEM"));
      }
    }
    assertEquals("TABLE", tables.get("deals"));
    assertEquals("TABLE", tables.get("pipelines"));
    try (ResultSet rs = md.getTables(null, "kpi", "%", new String[] {"TABLE", "VIEW"})) {
      int views = 0;
      while (rs.next()) {
        assertEquals("VIEW", rs.getString("TABLE_TYPE"), rs.getString("TABLE_NAME"));
        views++;
      }
      assertTrue(views > 10, views + " KPI views");
    }
    // Metabase's select-privilege probe, every table, every sync
    for (String t : tables.keySet()) {
      try (ResultSet rs = conn.createStatement().executeQuery(
          "SELECT TRUE AS \"_\" FROM \"crm\".\"" + t + "\" WHERE 1 <> 1 LIMIT 0")) {
        assertFalse(rs.next(), t);
      }
    }
    Map<String, String> types = new HashMap<>();
    try (ResultSet rs = md.getColumns(null, "crm", "deals", null)) {
      while (rs.next()) {
        types.put(rs.getString("COLUMN_NAME"), rs.getString("TYPE_NAME"));
        assertNotNull(rs.getString("IS_AUTOINCREMENT"));
      }
    }
    assertEquals("TIMESTAMP", types.get("created_at"));
    assertEquals("VARCHAR", types.get("deal_id"));
    assertEquals("BOOLEAN", types.get("is_deleted"));
    assertTrue(types.get("amount_base").startsWith("DECIMAL"), types.get("amount_base"));
    try (ResultSet rs = md.getPrimaryKeys(null, "crm", "deals")) {
      assertTrue(rs.next());
      assertEquals("deal_id", rs.getString("COLUMN_NAME"));
      assertFalse(rs.next());
    }
    Map<String, String> fks = new HashMap<>();
    try (ResultSet rs = md.getImportedKeys(null, "crm", "deals")) {
      while (rs.next()) {
        fks.put(rs.getString("FKCOLUMN_NAME"), rs.getString("PKTABLE_SCHEM") + "." + rs.getString("PKTABLE_NAME")
            + "." + rs.getString("PKCOLUMN_NAME"));
      }
    }
    assertEquals("crm.pipelines.pipeline_id", fks.get("pipeline_id"));
    // fingerprinting: a row sample through the ordinary query path
    try (Statement st = conn.createStatement()) {
      st.setMaxRows(10_000);
      try (ResultSet rs = st.executeQuery("SELECT \"crm\".\"deals\".\"amount_base\" AS \"amount_base\" FROM \"crm\".\"deals\" LIMIT 10000")) {
        int n = 0;
        while (rs.next()) {
          n++;
        }
        assertEquals(deals.size(), n);
      }
    }
  }

  // ---------------------------------------------------------------- a question

  @Test
  void questionCallsAsSqlJdbcExecuteMakesThem() throws SQLException {
    for (int level : new int[] {Connection.TRANSACTION_READ_UNCOMMITTED, Connection.TRANSACTION_REPEATABLE_READ,
        Connection.TRANSACTION_READ_COMMITTED}) {
      if (conn.getMetaData().supportsTransactionIsolationLevel(level)) {
        conn.setTransactionIsolation(level);
        assertEquals(level, conn.getTransactionIsolation());
        break;
      }
    }
    conn.setReadOnly(true);
    assertTrue(conn.isReadOnly());
    conn.setAutoCommit(true);
    assertTrue(conn.getAutoCommit());
    conn.setHoldability(ResultSet.CLOSE_CURSORS_AT_COMMIT);
    assertEquals(ResultSet.CLOSE_CURSORS_AT_COMMIT, conn.getHoldability());
    try (PreparedStatement ps = conn.prepareStatement(
        "SELECT \"deal_id\", \"created_at\", \"amount_base\", \"is_deleted\", CAST(\"created_at\" AS DATE) AS \"d\""
            + " FROM \"crm\".\"deals\" WHERE \"status\" = ? AND \"is_deleted\" = FALSE ORDER BY \"deal_id\"",
        ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY, ResultSet.CLOSE_CURSORS_AT_COMMIT)) {
      ps.setFetchDirection(ResultSet.FETCH_FORWARD);
      ps.setFetchSize(500);
      assertEquals(500, ps.getFetchSize());
      ps.setMaxRows(7);
      ps.setString(1, "won");
      int n = 0;
      try (ResultSet rs = ps.executeQuery()) {
        assertEquals(java.sql.Types.TIMESTAMP, rs.getMetaData().getColumnType(2));
        assertEquals(java.sql.Types.DATE, rs.getMetaData().getColumnType(5));
        while (rs.next()) {
          n++;
          LocalDateTime created = rs.getObject(2, LocalDateTime.class);
          assertEquals(created.toLocalDate(), rs.getObject(5, LocalDate.class));
          assertEquals(created.atOffset(ZoneOffset.UTC), rs.getObject(2, java.time.OffsetDateTime.class));
          assertTrue(rs.getObject(3) instanceof BigDecimal, String.valueOf(rs.getObject(3)));
          assertEquals(Boolean.FALSE, rs.getObject(4));
          assertTrue(rs.getObject(1) instanceof String);
        }
      }
      assertEquals(7, n, "setMaxRows(7)");
      // cancel with nothing running (Metabase cancels on the user's stop): the statement still answers
      ps.cancel();
      ps.setMaxRows(0);
      try (ResultSet rs = ps.executeQuery()) {
        int all = 0;
        while (rs.next()) {
          all++;
        }
        assertEquals(deals.stream().filter(d -> "won".equals(d.status()) && !d.deleted()).count(), all);
      }
    } finally {
      conn.setReadOnly(false);
    }
  }

  @Test
  void badDetailsGiveOneLineReason() {
    SQLException e = assertThrows(SQLException.class,
        () -> driver.connect("jdbc:crmkpi:files:/nonexistent/crm-export", new Properties()).close());
    assertTrue(e.getMessage().contains("/nonexistent/crm-export"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    Properties secret = new Properties();
    secret.setProperty("tokn", "s3cr3t-value");
    SQLException typo = assertThrows(SQLException.class, () -> driver.connect("jdbc:crmkpi:hubspot:acme", secret).close());
    assertTrue(typo.getMessage().contains("token"), typo.getMessage());
    assertFalse(typo.getMessage().contains("s3cr3t-value"), typo.getMessage());
  }

  // ---------------------------------------------------------------- golden SQL of the query processor

  @Test
  void countByMonth() throws Exception {
    assertEquals(group(d -> d.created().toLocalDate().withDayOfMonth(1).atStartOfDay().toString(), d -> BigDecimal.ONE),
        rows("count_by_month"));
  }

  @Test
  void sumByWeekMondayStart() throws Exception {
    assertEquals(group(d -> weekStart(d, DayOfWeek.MONDAY), Deal::amountBase), rows("sum_by_week_monday"));
  }

  @Test
  void sumByWeekSundayStart() throws Exception {
    assertEquals(group(d -> weekStart(d, DayOfWeek.SUNDAY), Deal::amountBase), rows("sum_by_week_sunday"));
  }

  @Test
  void dayOfWeekWithSundayFirst() throws Exception {
    // Metabase's default first day (Sunday) = 1 .. Saturday = 7
    assertEquals(group(d -> String.valueOf(d.created().getDayOfWeek().getValue() % 7 + 1), d -> BigDecimal.ONE),
        rows("day_of_week"));
  }

  @Test
  void last30Days() throws Exception {
    LocalDateTime today = LocalDate.now(ZoneOffset.UTC).atStartOfDay();
    long expected = deals.stream().filter(d -> !d.created().isBefore(today.minusDays(30))
        && d.created().isBefore(today)).count();
    assertTrue(expected > 0, "the demo has deals in the last 30 days");
    assertEquals(Map.of("", norm(BigDecimal.valueOf(expected))), rows("last_30_days"));
  }

  @Test
  void previousQuarter() throws Exception {
    LocalDate thisQuarter = LocalDate.now(ZoneOffset.UTC).with(IsoFields.DAY_OF_QUARTER, 1);
    LocalDateTime from = thisQuarter.minusMonths(3).atStartOfDay();
    LocalDateTime to = thisQuarter.atStartOfDay();
    long expected = deals.stream().filter(d -> !d.created().isBefore(from) && d.created().isBefore(to)).count();
    assertTrue(expected > 0);
    assertEquals(Map.of("", norm(BigDecimal.valueOf(expected))), rows("previous_quarter"));
  }

  @Test
  void top10ByChannel() throws Exception {
    Map<String, BigDecimal> all = group(d -> String.valueOf(d.channel()), Deal::amountBase);
    Map<String, BigDecimal> top = new TreeMap<>();
    all.entrySet().stream().sorted(Map.Entry.<String, BigDecimal>comparingByValue().reversed()).limit(10)
        .forEach(e -> top.put(e.getKey(), e.getValue()));
    assertEquals(top, rows("top10_breakout"));
  }

  @Test
  void customExpression() throws Exception {
    assertEquals(group(d -> d.status(), d -> d.amountBase().multiply(new BigDecimal("1.2"))),
        rows("custom_expression"));
  }

  @Test
  void percentile() throws Exception {
    List<BigDecimal> v = deals.stream().map(Deal::amountBase).sorted().toList();
    double pos = 0.9 * (v.size() - 1);
    int lo = (int) Math.floor(pos);
    BigDecimal p90 = v.get(lo).add(v.get(Math.min(lo + 1, v.size() - 1)).subtract(v.get(lo))
        .multiply(BigDecimal.valueOf(pos - lo)));
    assertEquals(Map.of("", p90.setScale(2, RoundingMode.HALF_UP)), rows("percentile"));
  }

  @Test
  void binnedAmount() throws Exception {
    BigDecimal w = new BigDecimal(50000);
    assertEquals(group(d -> d.amountBase().divide(w, 0, RoundingMode.FLOOR).multiply(w).setScale(1).toString(),
        d -> BigDecimal.ONE), rows("binned_amount"));
  }

  @Test
  void stringContains() throws Exception {
    long expected = deals.stream().filter(d -> d.channel() != null && d.channel().toLowerCase().contains("ad")).count();
    assertEquals(Map.of("", norm(BigDecimal.valueOf(expected))), rows("string_contains"));
  }

  @Test
  void stringContainsWithMetabasesEscape() throws Exception {
    // Metabase escapes % _ ! in the user's text: "_d" matches yandex_direct, not google_ads (as a wildcard would)
    long expected = deals.stream().filter(d -> d.channel() != null && d.channel().toLowerCase().contains("_d"))
        .count();
    assertEquals(Map.of("", norm(BigDecimal.valueOf(expected))), rows("string_contains_escaped"));
  }

  @Test
  void unixMillisecondsCoercion() throws Exception {
    // whole seconds: 1700000000123 ms is 2023-11-14T22:13:20.123Z
    assertEquals(Map.of(LocalDateTime.ofEpochSecond(1_700_000_000L, 0, ZoneOffset.UTC).toString(),
        norm(BigDecimal.valueOf(deals.size()))), rows("unix_milliseconds"));
  }

  private static String weekStart(Deal d, DayOfWeek first) {
    return d.created().toLocalDate().with(TemporalAdjusters.previousOrSame(first)).atStartOfDay().toString();
  }

  private static Map<String, BigDecimal> group(Function<Deal, String> key, Function<Deal, BigDecimal> value) {
    Map<String, BigDecimal> m = new TreeMap<>();
    for (Deal d : deals) {
      m.merge(key.apply(d), value.apply(d), BigDecimal::add);
    }
    m.replaceAll((k, v) -> norm(v));
    return m;
  }

  /** The golden query's rows as key (first column, "" for a one-column result) → last column. */
  private static Map<String, BigDecimal> rows(String shape) throws IOException, SQLException {
    String sql;
    try (InputStream in = MetabasePluginJarIT.class.getResourceAsStream("/golden/" + shape + ".sql")) {
      sql = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    }
    Map<String, BigDecimal> m = new TreeMap<>(Comparator.naturalOrder());
    try (PreparedStatement ps = conn.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY,
        ResultSet.CLOSE_CURSORS_AT_COMMIT); ResultSet rs = ps.executeQuery()) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        String key = "";
        if (n > 1) {
          Object k = rs.getMetaData().getColumnType(1) == java.sql.Types.TIMESTAMP
              ? rs.getObject(1, LocalDateTime.class) : rs.getObject(1);
          key = k instanceof Number num ? new BigDecimal(num.toString()).setScale(1, RoundingMode.UNNECESSARY).toString()
              : String.valueOf(k);
          if (k instanceof Integer || k instanceof Long) {
            key = k.toString();
          }
        }
        m.put(key, norm(new BigDecimal(rs.getObject(n).toString())));
      }
    }
    return m;
  }

  private static BigDecimal norm(BigDecimal v) {
    return v.setScale(2, RoundingMode.HALF_UP);
  }
}
