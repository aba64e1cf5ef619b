package io.crmkpi.bench;

import io.crmkpi.metrics.MetricDefinition;
import io.crmkpi.metrics.MetricLibrary;
import io.crmkpi.metrics.MetricSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.duckdb.DuckDBConnection;

/**
 * Every kpi view, side by side in one run: through the crmkpi driver (warm), the same compiled
 * statement directly on DuckDB over the same store, and the same view SQL through Calcite's stock
 * file/CSV adapter over CSV exports of the same tables. Prints a Markdown report (medians, ratios).
 *
 * <p>Run: {@code mvn -B -pl driver -am -Pbench verify -Dbench.deals=100000,1000000}; {@code -Dbench.views=a,b}
 * measures only those views, {@code -Dbench.cold=false} skips the cold-start figures and
 * {@code -Dbench.csv.timeout=0} the Calcite CSV peer.
 */
public final class KpiBenchmark {

  private static final int WARM = Integer.getInteger("bench.warm", 2);
  private static final int RUNS = Integer.getInteger("bench.runs", 5);
  /** Only these views (names without the schema), all when empty. */
  private static final List<String> ONLY = Arrays.stream(System.getProperty("bench.views", "").split(","))
      .map(String::trim).filter(v -> !v.isEmpty()).toList();

  private KpiBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    List<Integer> sizes = Arrays.stream(System.getProperty("bench.deals", "100000,1000000").split(","))
        .map(String::trim).map(Integer::parseInt).toList();
    long csvTimeout = Long.parseLong(System.getProperty("bench.csv.timeout", "60"));
    Path dir = Path.of(System.getProperty("bench.dir", "bench-data"));
    Files.createDirectories(dir);
    StringBuilder report = new StringBuilder();
    if (Boolean.parseBoolean(System.getProperty("bench.cold", "true"))) {
      report.append(coldStart());
    }
    for (int n : sizes) {
      report.append(size(n, dir, csvTimeout));
    }
    System.out.println(report);
    Path out = Path.of(System.getProperty("bench.out", "bench-data/report.md"));
    Files.writeString(out, report.toString());
    System.out.println("report written to " + out.toAbsolutePath());
    System.exit(0);
  }

  /** The default demo in a cold JVM: connect, then the first KPI query. */
  private static String coldStart() throws SQLException {
    long t0 = System.nanoTime();
    try (Connection c = DriverManager.getConnection("jdbc:crmkpi:demo")) {
      long connected = System.nanoTime();
      int rows = count(c, "SELECT * FROM kpi.conversion_by_stage WHERE grain = 'month'");
      long first = System.nanoTime();
      return String.format(Locale.ROOT, "### Default demo, cold JVM%n%n| step | ms |%n|---|---:|%n"
              + "| connect (demo from the cache, or generated and loaded; catalog) | %d |%n| first query (kpi.conversion_by_stage, %d rows) | %d |%n"
              + "| connect → first result | %d |%n%n",
          ms(t0, connected), rows, ms(connected, first), ms(t0, first));
    }
  }

  private static String size(int deals, Path dir, long csvTimeout) throws Exception {
    Path store = dir.resolve("demo-" + deals + ".duckdb");
    String url = "jdbc:crmkpi:demo;deals=" + deals + ";store=" + store.toAbsolutePath() + ";refresh=never";
    long t0 = System.nanoTime();
    StringBuilder b = new StringBuilder();
    try (Connection c = DriverManager.getConnection(url)) {
      long loadMs = ms(t0, System.nanoTime());
      DuckDBConnection duck = io.crmkpi.jdbc.StoreAccess.raw(c);
      Map<String, Long> tableRows = new LinkedHashMap<>();
      for (String t : List.of("deals", "deal_stage_history", "leads", "orders", "activities")) {
        try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM crm." + t)) {
          rs.next();
          tableRows.put(t, rs.getLong(1));
        }
      }
      Path csv = csvTimeout <= 0 ? null : exportCsv(store, dir.resolve("csv-" + deals));
      b.append(String.format(Locale.ROOT, "### deals=%d%n%nStore: %s (first connect incl. generation: %d ms). Rows: %s.%n%n",
          deals, store.getFileName(), loadMs, tableRows));
      b.append("| view | rows | driver warm (ms) | DuckDB direct (ms) | ratio | repeat-statement planning (ms) | Calcite CSV adapter (ms) |\n");
      b.append("|---|---:|---:|---:|---:|---:|---:|\n");
      // driver and DuckDB first, then the Calcite peer (whose slow queries must not overlap the timings)
      List<MetricDefinition> views = MetricLibrary.builtIn().definitions().stream()
          .filter(d -> d.schema().equals("kpi") && (ONLY.isEmpty() || ONLY.contains(d.name()))).toList();
      List<String> lines = new ArrayList<>();
      for (MetricDefinition d : views) {
        String sql = "SELECT * FROM kpi." + d.name();
        String storeSql = c.nativeSQL(sql);
        int rows = count(c, sql);
        double driver = median(() -> count(c, sql));
        double direct = median(() -> count(duck, storeSql));
        double planning = medianMicros(() -> c.nativeSQL(sql)) / 1000.0;
        lines.add(String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.2f | %.3f |", d.name(), rows, driver,
            direct, driver / direct, planning));
      }
      if (csvTimeout <= 0) {
        lines.forEach(l -> b.append(l).append(" not run |\n"));
      } else {
        try (Connection calcite = calciteCsv(csv)) {
          for (int i = 0; i < views.size(); i++) {
            MetricDefinition d = views.get(i);
            b.append(lines.get(i)).append(' ').append(timed(calcite, csvTimeout, inline(d))).append(" |\n");
          }
        }
      }
    }
    return b.append('\n').toString();
  }

  /**
   * The crm and util tables as CSV with Calcite's typed headers ({@code name:type}), from a copy of
   * the store file: the driver's store may write no file (external access is off once it is loaded),
   * and a file is attached by one database of a process only.
   */
  private static Path exportCsv(Path store, Path dir) throws SQLException, IOException {
    Path copy = dir.resolveSibling(dir.getFileName() + "-store.duckdb");
    Files.createDirectories(dir);
    Files.copy(store, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Path wal = store.resolveSibling(store.getFileName() + ".wal");
    Path copyWal = copy.resolveSibling(copy.getFileName() + ".wal");
    Files.deleteIfExists(copyWal);
    if (Files.exists(wal)) {
      Files.copy(wal, copyWal);
    }
    try (DuckDBConnection duck = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + copy.toAbsolutePath())) {
      return exportCsv(duck, dir);
    } finally {
      Files.deleteIfExists(copy);
      Files.deleteIfExists(copyWal);
    }
  }

  private static Path exportCsv(DuckDBConnection duck, Path dir) throws SQLException, IOException {
    for (String schema : List.of("crm", "util")) {
      Path sdir = dir.resolve(schema);
      Files.createDirectories(sdir);
      List<String> tables = new ArrayList<>();
      try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery(
          "SELECT table_name FROM information_schema.tables WHERE table_schema = '" + schema + "' AND table_type = 'BASE TABLE'")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      for (String t : tables) {
        Path f = sdir.resolve(t.toUpperCase(Locale.ROOT) + ".csv");
        if (Files.exists(f)) {
          continue;
        }
        StringBuilder cols = new StringBuilder();
        try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = '" + schema
                + "' AND table_name = '" + t + "' ORDER BY ordinal_position")) {
          while (rs.next()) {
            cols.append(cols.length() == 0 ? "" : ", ").append('"').append(rs.getString(1)).append("\" AS \"")
                .append(rs.getString(1)).append(':').append(csvType(rs.getString(2))).append('"');
          }
        }
        try (Statement s = duck.createStatement()) {
          s.execute("COPY (SELECT " + cols + " FROM " + schema + "." + t + ") TO '" + f.toAbsolutePath()
              + "' (HEADER, DELIMITER ',', TIMESTAMPFORMAT '%Y-%m-%d %H:%M:%S')");
        }
      }
    }
    return dir;
  }

  private static String csvType(String duckType) {
    String t = duckType.toUpperCase(Locale.ROOT);
    if (t.startsWith("DECIMAL") || t.equals("DOUBLE")) {
      return "double";
    }
    return switch (t) {
      case "INTEGER" -> "int";
      case "BIGINT" -> "long";
      case "BOOLEAN" -> "boolean";
      case "DATE" -> "date";
      case "TIMESTAMP" -> "timestamp";
      default -> "string";
    };
  }

  private static Connection calciteCsv(Path dir) throws SQLException {
    String model = "inline:{version:'1.0',defaultSchema:'crm',schemas:["
        + "{name:'crm',type:'custom',factory:'org.apache.calcite.adapter.file.FileSchemaFactory',operand:{directory:'"
        + dir.resolve("crm").toAbsolutePath() + "'}},"
        + "{name:'util',type:'custom',factory:'org.apache.calcite.adapter.file.FileSchemaFactory',operand:{directory:'"
        + dir.resolve("util").toAbsolutePath() + "'}}]}";
    Properties p = new Properties();
    p.setProperty("model", model);
    p.setProperty("lex", "MYSQL_ANSI");
    p.setProperty("conformance", "LENIENT");
    p.setProperty("fun", "standard,postgresql");
    return DriverManager.getConnection("jdbc:calcite:", p);
  }

  private static final Pattern VIEW_REF = Pattern.compile("(?i)\\b(kpi|util)\\.([a-z_][a-z0-9_]*)\\b");

  /** The view's SQL with every view it reads inlined (stock Calcite parses view SQL with another lex). */
  private static String inline(MetricDefinition d) {
    Map<String, MetricDefinition> all = new LinkedHashMap<>();
    for (MetricDefinition x : MetricLibrary.builtIn().definitions()) {
      all.put(x.qualifiedName(), x);
    }
    return "SELECT * FROM (" + expand(MetricLibrary.render(d, MetricSettings.defaults()), all, 0) + ") v";
  }

  private static String expand(String sql, Map<String, MetricDefinition> all, int depth) {
    Matcher m = VIEW_REF.matcher(sql);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      MetricDefinition ref = all.get(m.group(1).toLowerCase(Locale.ROOT) + "." + m.group(2).toLowerCase(Locale.ROOT));
      String repl = ref == null || depth > 5 ? m.group()
          : "(" + expand(MetricLibrary.render(ref, MetricSettings.defaults()), all, depth + 1) + ")";
      m.appendReplacement(out, Matcher.quoteReplacement(repl));
    }
    m.appendTail(out);
    return out.toString();
  }

  interface Work {
    Object run() throws Exception;
  }

  /** The Calcite peer with a time limit; a query over the limit is cancelled, not left running. */
  private static String timed(Connection calcite, long timeoutSeconds, String sql) {
    java.util.concurrent.atomic.AtomicReference<Statement> current = new java.util.concurrent.atomic.AtomicReference<>();
    ExecutorService ex = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "calcite-csv");
      t.setDaemon(true);
      return t;
    });
    Work w = () -> {
      try (Statement s = calcite.createStatement()) {
        current.set(s);
        try (ResultSet rs = s.executeQuery(sql)) {
          int n = 0;
          while (rs.next()) {
            n++;
          }
          return n;
        }
      }
    };
    try {
      Future<Double> f = ex.submit(() -> {
        w.run(); // warm-up (and first compile)
        return median(w, 3);
      });
      return String.format(Locale.ROOT, "%.1f", f.get(timeoutSeconds, TimeUnit.SECONDS));
    } catch (TimeoutException e) {
      try {
        Statement s = current.get();
        if (s != null) {
          s.cancel();
        }
      } catch (SQLException ignored) {
        // the thread is a daemon; it ends with the JVM at the latest
      }
      return "> " + timeoutSeconds + " s (cancelled)";
    } catch (Exception e) {
      Throwable t = e.getCause() == null ? e : e.getCause();
      String msg = String.valueOf(t.getMessage()).lines().findFirst().orElse("").replace('|', '/');
      return "fails: " + (msg.length() > 80 ? msg.substring(0, 80) + "…" : msg);
    } finally {
      ex.shutdownNow();
      try {
        ex.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException ignored) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static double median(Work w) throws Exception {
    return median(w, RUNS);
  }

  private static double median(Work w, int runs) throws Exception {
    for (int i = 0; i < WARM; i++) {
      w.run();
    }
    double[] t = new double[runs];
    for (int i = 0; i < runs; i++) {
      long s = System.nanoTime();
      w.run();
      t[i] = (System.nanoTime() - s) / 1e6;
    }
    Arrays.sort(t);
    return t[runs / 2];
  }

  private static double medianMicros(Work w) throws Exception {
    double[] t = new double[101];
    for (int i = 0; i < t.length; i++) {
      long s = System.nanoTime();
      w.run();
      t[i] = (System.nanoTime() - s) / 1e3;
    }
    Arrays.sort(t);
    return t[t.length / 2];
  }

  private static int count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      int n = 0;
      int cols = md.getColumnCount();
      while (rs.next()) {
        for (int i = 1; i <= cols; i++) {
          rs.getObject(i);
        }
        n++;
      }
      return n;
    }
  }

  private static long ms(long from, long to) {
    return (to - from) / 1_000_000;
  }
}
