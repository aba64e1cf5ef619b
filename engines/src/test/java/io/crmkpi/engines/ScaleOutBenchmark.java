package io.crmkpi.engines;

import io.crmkpi.bench.DemoScaleUp;
import io.crmkpi.dialect.EngineScript;
import io.crmkpi.jdbc.StoreExportAccess;
import io.crmkpi.lake.LakeExport;
import io.crmkpi.pgstore.PostgresStore;
import io.crmkpi.pgstore.PostgresTestServer;
import io.crmkpi.store.Store;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.sql.SparkSession;

/**
 * The scale-out benchmark, one run: the demo at {@code bench.deals} deals (generated at
 * {@code bench.base} deals and replicated by {@link DemoScaleUp} when larger), exported as a Parquet
 * lake by crmkpi's exporter and by DuckDB's plain COPY, then every kpi view on the embedded DuckDB
 * store, on a PostgreSQL store (a throwaway PostgreSQL 15 cluster, {@code store=jdbc:postgresql://…})
 * and on Apache Spark local[2] over the exported lake ({@code crmkpi sql-export --dialect spark}'s
 * script), the three engines measured view by view in alternation. Medians after one warm-up, a
 * per-query limit (cancelled past it), setup times alongside. Prints and writes a Markdown report.
 *
 * <p>Run (see docs/benchmarks.md): {@code CRMKPI_SCALE_OUT=1 mvn -B -pl engines -am -Pscale-bench verify
 * -DskipTests -Dbench.deals=1000000}.
 */
public final class ScaleOutBenchmark {

  private static final int RUNS = Integer.getInteger("bench.runs", 3);
  private static final int WARM = Integer.getInteger("bench.warm", 1);
  /** Per query, seconds: a longer one is cancelled and reported as such. */
  private static final int TIMEOUT = Integer.getInteger("bench.timeout", 120);
  /** A view whose warm-up took longer than this many seconds on an engine is timed once there. */
  private static final int SLOW = Integer.getInteger("bench.slow", 5);
  /** Seconds for the views' phase; views not begun by then are listed as not reached (0: no limit). */
  private static final int BUDGET = Integer.getInteger("bench.budget", 0);
  private static final List<String> ONLY = Arrays.stream(System.getProperty("bench.views", "").split(","))
      .map(String::trim).filter(v -> !v.isEmpty()).toList();
  /**
   * SparkKpiIT's settings (away from the defaults), the same for every engine, in UTC: the demo store
   * file is written in the default zone, and a store file keeps the zone its data was written in.
   * Spark gets them baked into the sql-export script, the two stores as URL settings.
   */
  private static final Map<String, String> SETTINGS = settings();

  private static Map<String, String> settings() {
    Map<String, String> m = new java.util.TreeMap<>(SparkKpiIT.SETTINGS);
    m.put("timezone", "UTC");
    // a go-live inside the demo's history, as the differential test sets it, so that kpi.crm_impact has rows
    m.put("golive", java.time.LocalDate.now(java.time.ZoneOffset.UTC).withDayOfMonth(1).minusMonths(7).plusDays(14)
        .toString());
    m.put("impact_months", "3");
    return m;
  }

  private ScaleOutBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    int deals = Integer.getInteger("bench.deals", 1_000_000);
    int base = Math.min(Integer.getInteger("bench.base", 1_000_000), deals);
    if (deals % base != 0) {
      throw new IllegalArgumentException("bench.deals (" + deals + ") must be a multiple of bench.base (" + base + ")");
    }
    int factor = deals / base;
    Path dir = Path.of(System.getProperty("bench.dir", "bench-data")).toAbsolutePath();
    Files.createDirectories(dir);
    StringBuilder settings = new StringBuilder();
    SETTINGS.forEach((k, v) -> settings.append(';').append(k).append('=').append(v));

    Map<String, String> setup = new LinkedHashMap<>();
    String started = Instant.now().toString();
    String loadBefore = load();
    // 1. the store: the generator's demo, replicated when larger than what it generates in time
    Path baseStore = dir.resolve("demo-" + base + ".duckdb");
    if (!Files.exists(baseStore)) {
      long t = System.nanoTime();
      try (Connection c = DriverManager.getConnection("jdbc:crmkpi:demo;deals=" + base + ";store=" + baseStore)) {
        c.isValid(1);
      }
      setup.put("demo generator, deals=" + base + " (DuckDB store file)", sec(t));
    } else {
      setup.put("demo generator, deals=" + base, "reused " + baseStore.getFileName());
    }
    Path store = baseStore;
    if (factor > 1) {
      store = dir.resolve("scaled-" + deals + ".duckdb");
      if (!Files.exists(store)) {
        long t = System.nanoTime();
        DemoScaleUp.write(baseStore, store, factor);
        setup.put("scale-up ×" + factor + " inside DuckDB (benchmark only)", sec(t));
      } else {
        setup.put("scale-up ×" + factor, "reused " + store.getFileName());
      }
    }
    String url = "jdbc:crmkpi:demo;deals=" + deals + ";store=" + store + ";refresh=never" + settings;

    // 2. PostgreSQL: a throwaway cluster; the store's tables copied in by the PostgreSQL store's own COPY
    //    (before any driver opens the file: DuckDB attaches a file once per process)
    PostgresTestServer server = PostgresTestServer.start();
    String database = server.newDatabase();
    try (Connection admin = DriverManager.getConnection(database, server.user(), server.password());
         Statement s = admin.createStatement()) {
      // per sort/hash operation; the server's default 4 MB spills every grouping of a million rows
      s.execute("ALTER DATABASE " + database.substring(database.lastIndexOf('/') + 1) + " SET work_mem = '256MB'");
    }
    long tpg = System.nanoTime();
    try (PostgresStore pg = PostgresStore.connect(database, server.user(), server.password());
         Store staging = Store.file(store, new Store.Options(true, null, null))) {
      pg.replicate(staging, m -> System.out.println(m));
    }
    setup.put("PostgreSQL: copy every table into it (COPY, indexes, ANALYZE)", sec(tpg));

    // 3. export: crmkpi's lake (kept for Spark) against DuckDB's plain COPY of the same tables
    Path lake = dir.resolve("lake-" + deals);
    deleteTree(lake);
    Path staging = lake.resolve(".crmkpi-staging");
    long[] rows = new long[1];
    try (Connection c = StoreExportAccess.connect(staging, () -> DriverManager.getConnection(url));
         Connection raw = StoreExportAccess.raw(c)) {
      setup.put("table rows", tableRows(raw));
      long t = System.nanoTime();
      try (LakeExport export = LakeExport.open(lake, false)) {
        rows[0] = export.run(raw, "bench", url, m -> { }).rows();
      }
      double exportS = (System.nanoTime() - t) / 1e9;
      Path plain = Files.createDirectories(staging.resolve("plain"));
      long p = System.nanoTime();
      try (Statement s = raw.createStatement(); ResultSet rs = raw.createStatement().executeQuery(
          "SELECT schema_name || '.' || table_name FROM duckdb_tables() "
              + "WHERE schema_name = 'crm' OR (schema_name = 'util' AND table_name = 'calendar') ORDER BY 1")) {
        while (rs.next()) {
          String table = rs.getString(1);
          s.execute("COPY (SELECT * FROM " + table + ") TO '" + plain.resolve(table + ".parquet") + "' (FORMAT PARQUET)");
        }
      }
      double plainS = (System.nanoTime() - p) / 1e9;
      deleteTree(staging);
      setup.put(String.format(Locale.ROOT, "crmkpi export --to <folder> (%,d rows, Hive month partitions, manifest)",
          rows[0]), String.format(Locale.ROOT, "%.1f s (%.2f× plain COPY)", exportS, exportS / plainS));
      setup.put("DuckDB COPY (SELECT * FROM t) TO 't.parquet', every table", String.format(Locale.ROOT, "%.1f s", plainS));
    }

    // 4. the engines, open side by side
    List<String> views = new ArrayList<>();
    for (String v : SparkKpiIT.kpiViews()) {
      if (ONLY.isEmpty() || ONLY.contains(v.substring(v.indexOf('.') + 1))) {
        views.add(v);
      }
    }
    StringBuilder table = new StringBuilder("| view | rows | embedded DuckDB ms | PostgreSQL ms | PostgreSQL / DuckDB "
        + "| Spark local[2] ms | Spark / DuckDB |\n|---|---:|---:|---:|---:|---:|---:|\n");
    double[] logs = new double[2];
    int[] counted = new int[2];
    long tspark = System.nanoTime();
    SparkSession spark = SparkSession.builder().master("local[2]").appName("crmkpi-scale-out-benchmark")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.catalogImplementation", "in-memory")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.warehouse.dir", dir.resolve("spark-warehouse").toString())
        .getOrCreate();
    String script = new EngineScript("spark", SETTINGS, "", lake.toUri().toString()).write();
    for (String st : io.crmkpi.dialect.LakeFixture.statements(script)) {
      spark.sql(st);
    }
    // the session's first job pays for Spark's own start (JIT, code generation): not any view's time
    long deals0 = spark.sql("SELECT count(*) FROM crm.deals").first().getLong(0);
    setup.put("Spark local[2]: session start, the sql-export script (CREATE TABLE over the lake, MSCK REPAIR, "
        + "CREATE VIEW), a first count(*) of crm.deals (" + deals0 + ")", sec(tspark));
    try (Connection duck = DriverManager.getConnection(url);
         Connection pg = DriverManager.getConnection("jdbc:crmkpi:demo;deals=" + deals + ";store=" + database
             + server.credentials() + ";refresh=never" + settings)) {
      long phase = System.nanoTime();
      for (String v : views) {
        if (BUDGET > 0 && System.nanoTime() - phase > BUDGET * 1e9) {
          table.append("| ").append(v).append(" | not reached: the run's ").append(BUDGET)
              .append(" s for the views were spent | | | | | |\n");
          continue;
        }
        String sql = "SELECT * FROM " + v;
        Result d = measure(() -> new JdbcQuery(duck, sql));
        Result p = measure(() -> new JdbcQuery(pg, sql));
        Result s = measure(() -> new SparkQuery(spark, sql));
        // the engines must agree on the row count; a disagreement shows all three (DuckDB / PostgreSQL / Spark)
        String rowsCell = agree(d, p, s) ? String.valueOf(Math.max(d.rows, Math.max(p.rows, s.rows)))
            : d.rows + " / " + p.rows + " / " + s.rows;
        table.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", v, rowsCell, d, p,
            ratio(p, d, logs, counted, 0), s, ratio(s, d, logs, counted, 1)));
        System.out.println(table.substring(table.lastIndexOf("| " + v)));
      }
    } finally {
      spark.close();
      server.close();
    }
    StringBuilder report = new StringBuilder(String.format(Locale.ROOT, "### deals=%,d%n%n"
            + "Run %s → %s, load average (1/5/15 min) %s before, %s after; %d CPUs, JVM heap %d MB.%n%n"
            + "| setup step | time |%n|---|---:|%n", deals, started, Instant.now(), loadBefore, load(),
        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20));
    setup.forEach((k, v) -> report.append("| ").append(k).append(" | ").append(v).append(" |\n"));
    report.append(String.format(Locale.ROOT, "%nMedians of %d runs after %d warm-up (a view slower than %d s in its "
            + "warm-up: 1 timed run, marked \"1 run\"; limit %d s per query, cancelled past it).%n%n", RUNS, WARM, SLOW, TIMEOUT))
        .append(table)
        .append(String.format(Locale.ROOT, "%nGeometric mean of the ratios: PostgreSQL / DuckDB %s over %d views, "
                + "Spark / DuckDB %s over %d views.%n", geo(logs[0], counted[0]), counted[0], geo(logs[1], counted[1]),
            counted[1]));
    System.out.println(report);
    Path out = dir.resolve("scale-out-report-" + deals + ".md");
    Files.writeString(out, report.toString());
    System.out.println("report written to " + out);
    System.exit(0);
  }

  /** One execution of a view on one engine, read to the end; cancellable from another thread. */
  interface Query {
    long run() throws Exception;

    void cancel();
  }

  interface QueryFactory {
    Query create() throws Exception;
  }

  static final class JdbcQuery implements Query {
    private final Connection c;
    private final String sql;
    private final AtomicReference<Statement> current = new AtomicReference<>();

    JdbcQuery(Connection c, String sql) {
      this.c = c;
      this.sql = sql;
    }

    @Override
    public long run() throws SQLException {
      try (Statement s = c.createStatement()) {
        current.set(s);
        try (ResultSet rs = s.executeQuery(sql)) {
          int cols = rs.getMetaData().getColumnCount();
          long n = 0;
          while (rs.next()) {
            for (int i = 1; i <= cols; i++) {
              rs.getObject(i);
            }
            n++;
          }
          return n;
        }
      } finally {
        current.set(null);
      }
    }

    @Override
    public void cancel() {
      Statement s = current.get();
      try {
        if (s != null) {
          s.cancel();
        }
      } catch (SQLException ignored) {
        // the statement ended meanwhile
      }
    }
  }

  static final class SparkQuery implements Query {
    private final SparkSession spark;
    private final String sql;

    SparkQuery(SparkSession spark, String sql) {
      this.spark = spark;
      this.sql = sql;
    }

    @Override
    public long run() {
      return spark.sql(sql).collectAsList().size(); // every row to the driver, as a JDBC client reads them
    }

    @Override
    public void cancel() {
      spark.sparkContext().cancelAllJobs();
    }
  }

  /** A view's median on one engine, or why there is none. */
  static final class Result {
    long rows = -1;
    double median = -1;
    int runs;
    String problem;

    @Override
    public String toString() {
      if (problem != null) {
        return problem;
      }
      return String.format(Locale.ROOT, runs == RUNS ? "%.0f" : "%.0f (%d run)", median, runs);
    }
  }

  private static Result measure(QueryFactory factory) {
    Result r = new Result();
    ExecutorService ex = Executors.newSingleThreadExecutor(t -> {
      Thread th = new Thread(t, "bench-query");
      th.setDaemon(true);
      return th;
    });
    try {
      Query q = factory.create();
      double warm = 0;
      for (int i = 0; i < WARM && r.problem == null; i++) {
        long t = System.nanoTime();
        r.rows = timed(ex, q, r);
        warm = (System.nanoTime() - t) / 1e6;
      }
      // a slow view is timed once after its warm-up, so that slow engines do not take the run's whole time
      int runs = warm > SLOW * 1000.0 ? 1 : RUNS;
      double[] ms = new double[runs];
      for (int i = 0; i < runs && r.problem == null; i++) {
        long t = System.nanoTime();
        r.rows = timed(ex, q, r);
        ms[i] = (System.nanoTime() - t) / 1e6;
      }
      if (r.problem == null) {
        Arrays.sort(ms);
        r.median = ms[runs / 2];
        r.runs = runs;
      }
    } catch (Exception e) {
      r.problem = problem(e);
    } finally {
      ex.shutdownNow();
      try {
        ex.awaitTermination(120, TimeUnit.SECONDS); // a cancelled query must not overlap the next one
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return r;
  }

  /** One run within the limit; a run over it is cancelled and noted in {@code r}. */
  private static long timed(ExecutorService ex, Query q, Result r) throws Exception {
    Future<Long> f = ex.submit(q::run);
    try {
      return f.get(TIMEOUT, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      q.cancel();
      f.cancel(true);
      r.problem = "> " + TIMEOUT + " s (cancelled)";
      return -1;
    } catch (java.util.concurrent.ExecutionException e) {
      r.problem = problem(e.getCause());
      return -1;
    }
  }

  private static String problem(Throwable e) {
    String msg = String.valueOf(e.getMessage()).lines().findFirst().orElse("").replace('|', '/');
    return "fails: " + (msg.length() > 90 ? msg.substring(0, 90) + "…" : msg);
  }

  private static boolean agree(Result... results) {
    long rows = -1;
    for (Result r : results) {
      if (r.problem == null) {
        if (rows >= 0 && r.rows != rows) {
          return false;
        }
        rows = r.rows;
      }
    }
    return true;
  }

  private static String ratio(Result x, Result duck, double[] logs, int[] counted, int i) {
    if (x.problem != null || duck.problem != null) {
      return "–";
    }
    double r = x.median / Math.max(duck.median, 0.5);
    logs[i] += Math.log(r);
    counted[i]++;
    return String.format(Locale.ROOT, "%.1f", r);
  }

  private static String geo(double logSum, int n) {
    return n == 0 ? "–" : String.format(Locale.ROOT, "%.1f×", Math.exp(logSum / n));
  }

  private static String tableRows(Connection raw) throws SQLException {
    StringBuilder b = new StringBuilder();
    for (String t : List.of("deals", "deal_stage_history", "leads", "orders", "activities")) {
      try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM crm." + t)) {
        rs.next();
        b.append(b.length() == 0 ? "" : ", ").append(t).append(' ').append(String.format(Locale.ROOT, "%,d", rs.getLong(1)));
      }
    }
    return b.toString();
  }

  private static String load() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ", 4)[0] + "/"
          + Files.readString(Path.of("/proc/loadavg")).split(" ", 4)[1] + "/"
          + Files.readString(Path.of("/proc/loadavg")).split(" ", 4)[2];
    } catch (IOException e) {
      return String.format(Locale.ROOT, "%.1f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  private static String sec(long fromNanos) {
    return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - fromNanos) / 1e9);
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        Files.delete(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
