package io.crmkpi.bench;

import io.crmkpi.pgwire.PgServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;

/**
 * crmkpi serve against the driver in-process: a repeated dashboard query (median of runs), and rows/s of a
 * large result streamed through the endpoint (pgjdbc with a fetch size, and psql to /dev/null) versus JDBC.
 * Not part of the test run: {@code java -cp <test classpath> io.crmkpi.bench.PgWireBenchmark [deals] [runs] [rows]}.
 */
public final class PgWireBenchmark {

  private PgWireBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    int deals = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    long rows = args.length > 2 ? Long.parseLong(args[2]) : 1_000_000;
    String url = "jdbc:crmkpi:demo;deals=" + deals;
    String dashboard = "SELECT * FROM kpi.churn_monthly ORDER BY \"month\"";
    String stream = "SELECT a.activity_id, a.created_at, d.amount FROM crm.activities a CROSS JOIN crm.deals d LIMIT "
        + rows;
    try (PgServer server = PgServer.start(PgServer.Options.defaults(url).withPort(0));
        Connection jdbc = DriverManager.getConnection(url);
        Connection pg = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + server.port()
            + "/crmkpi?user=bench")) {
      double inProcess = median(jdbc, dashboard, runs);
      double endpoint = median(pg, dashboard, runs);
      System.out.printf("deals=%d dashboard query (%s), median of %d after 3 warm-up: JDBC in-process %.2f ms, "
          + "endpoint (pgjdbc) %.2f ms, ratio %.2f%n", deals, dashboard, runs, inProcess, endpoint, endpoint / inProcess);
      System.out.printf("streaming %d rows: JDBC in-process %.0f rows/s%n", rows, rowsPerSecond(jdbc, stream));
      pg.setAutoCommit(false); // pgjdbc streams with a fetch size only inside a transaction
      System.out.printf("streaming %d rows: endpoint pgjdbc (fetch size 10000) %.0f rows/s%n", rows,
          rowsPerSecond(pg, stream));
      long t = System.nanoTime();
      Process p = new ProcessBuilder("psql", "-X", "-A", "-t", "-h", "127.0.0.1", "-p", Integer.toString(server.port()),
          "-U", "bench", "-d", "crmkpi", "-o", "/dev/null", "-c", stream).inheritIO().start();
      int exit = p.waitFor();
      System.out.printf("streaming %d rows: endpoint psql to /dev/null %.0f rows/s (exit %d)%n", rows,
          rows / ((System.nanoTime() - t) / 1e9), exit);
    }
  }

  private static double median(Connection c, String sql, int runs) throws SQLException {
    double[] ms = new double[runs];
    for (int i = -3; i < runs; i++) {
      long t = System.nanoTime();
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          for (int k = 1; k <= n; k++) {
            rs.getString(k);
          }
        }
      }
      if (i >= 0) {
        ms[i] = (System.nanoTime() - t) / 1e6;
      }
    }
    Arrays.sort(ms);
    return ms[runs / 2];
  }

  private static double rowsPerSecond(Connection c, String sql) throws SQLException {
    long t = System.nanoTime();
    long n = 0;
    try (Statement s = c.createStatement()) {
      s.setFetchSize(10_000);
      try (ResultSet rs = s.executeQuery(sql)) {
        while (rs.next()) {
          rs.getString(1);
          rs.getString(2);
          rs.getString(3);
          n++;
        }
      }
    }
    return n / ((System.nanoTime() - t) / 1e9);
  }
}
