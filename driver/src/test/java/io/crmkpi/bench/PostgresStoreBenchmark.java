package io.crmkpi.bench;

import io.crmkpi.metrics.MetricDefinition;
import io.crmkpi.metrics.MetricLibrary;
import io.crmkpi.pgstore.PostgresTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Every kpi view on a PostgreSQL store ({@code store=jdbc:postgresql://…}) against the embedded
 * DuckDB store, on the same demo, in one run, both warm through the crmkpi driver: medians and the
 * PostgreSQL / DuckDB ratio per view, and the load (generate + DuckDB load, then the copy into
 * PostgreSQL). The server is a throwaway cluster of the Debian binaries, or {@code CRMKPI_TEST_PG_URL}.
 *
 * <p>Run: {@code mvn -B -pl driver -am -Pbench verify -DskipTests -Dbench.main=io.crmkpi.bench.PostgresStoreBenchmark
 * -Dbench.deals=100000 -Dbench.cold=false} (sizes comma-separated; {@code -Dbench.views=a,b} for some views).
 */
public final class PostgresStoreBenchmark {

  private static final int WARM = Integer.getInteger("bench.warm", 1);
  private static final int RUNS = Integer.getInteger("bench.runs", 3);
  private static final List<String> ONLY = Arrays.stream(System.getProperty("bench.views", "").split(","))
      .map(String::trim).filter(v -> !v.isEmpty()).toList();

  private PostgresStoreBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    List<Integer> sizes = Arrays.stream(System.getProperty("bench.deals", "100000").split(","))
        .map(String::trim).map(Integer::parseInt).toList();
    StringBuilder report = new StringBuilder();
    try (PostgresTestServer server = PostgresTestServer.start()) {
      for (int n : sizes) {
        report.append(size(server, n));
      }
    }
    System.out.println(report);
    Path out = Path.of(System.getProperty("bench.out", "bench-data/report.md")).resolveSibling("report-postgresql.md");
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, report.toString());
    System.out.println("report written to " + out.toAbsolutePath());
    System.exit(0);
  }

  private static String size(PostgresTestServer server, int deals) throws SQLException {
    // golive as the differential test sets it, so that kpi.crm_impact has rows
    String options = ";golive=" + LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).minusMonths(7).plusDays(14)
        + ";impact_months=3";
    String demo = "jdbc:crmkpi:demo;deals=" + deals + ";seed=7" + options;
    long t0 = System.nanoTime();
    Connection duck = DriverManager.getConnection(demo);
    long t1 = System.nanoTime();
    Connection pg = DriverManager.getConnection(demo + ";store=" + server.newDatabase() + server.credentials());
    long t2 = System.nanoTime();
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "### Demo with %,d deals: PostgreSQL store vs "
        + "embedded DuckDB%n%nconnect with load: DuckDB %.1f s; PostgreSQL %.1f s (the same DuckDB load, then the copy)"
        + "%n%n| view | rows | DuckDB ms | PostgreSQL ms | PostgreSQL / DuckDB |%n|---|---:|---:|---:|---:|%n",
        deals, (t1 - t0) / 1e9, (t2 - t1) / 1e9));
    double logSum = 0;
    int n = 0;
    for (MetricDefinition d : MetricLibrary.builtIn().definitions()) {
      if (!d.schema().equals("kpi") || (!ONLY.isEmpty() && !ONLY.contains(d.name()))) {
        continue;
      }
      String sql = "SELECT * FROM kpi." + d.name();
      long[] duckMs = time(duck, sql);
      long[] pgMs = time(pg, sql);
      double ratio = (double) Math.max(pgMs[1], 1) / Math.max(duckMs[1], 1);
      logSum += Math.log(ratio);
      n++;
      b.append(String.format(Locale.ROOT, "| kpi.%s | %d | %d | %d | %.2f |%n", d.name(), duckMs[0], duckMs[1],
          pgMs[1], ratio));
    }
    b.append(String.format(Locale.ROOT, "%ngeometric mean of the ratios: %.2f (medians of %d runs after %d warm-up)%n%n",
        Math.exp(logSum / n), RUNS, WARM));
    pg.close();
    duck.close();
    return b.toString();
  }

  /** {rows, median ms} of a statement read to the end. */
  private static long[] time(Connection c, String sql) throws SQLException {
    long rows = 0;
    for (int i = 0; i < WARM; i++) {
      rows = read(c, sql);
    }
    long[] ms = new long[RUNS];
    for (int i = 0; i < RUNS; i++) {
      long t = System.nanoTime();
      rows = read(c, sql);
      ms[i] = (System.nanoTime() - t) / 1_000_000;
    }
    Arrays.sort(ms);
    return new long[] {rows, ms[RUNS / 2]};
  }

  private static long read(Connection c, String sql) throws SQLException {
    long rows = 0;
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      int cols = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        for (int i = 1; i <= cols; i++) {
          rs.getObject(i);
        }
        rows++;
      }
    }
    return rows;
  }
}
