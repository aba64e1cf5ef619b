package io.crmkpi.bench;

import io.crmkpi.pgwire.PgServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Concurrent clients over crmkpi serve: each runs dashboard queries through pgjdbc for a while; reports queries,
 * errors, sessions left open and the process RSS before and after. Not part of the test run:
 * {@code java -cp <test classpath> io.crmkpi.bench.PgWireLoad [clients] [seconds]}.
 */
public final class PgWireLoad {

  private PgWireLoad() {
  }

  public static void main(String[] args) throws Exception {
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
    String[] dashboard = {
        "SELECT * FROM kpi.churn_monthly ORDER BY \"month\"",
        "SELECT DATE_TRUNC('month', created_at)::date AS m, status, COUNT(*), SUM(amount) FROM crm.deals "
            + "GROUP BY 1, 2 ORDER BY 1, 2",
        "SELECT * FROM kpi.conversion_by_stage WHERE grain = 'all'",
        "SELECT n.nspname, c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
            + "ON n.oid = c.relnamespace WHERE n.nspname = 'kpi'"};
    AtomicLong queries = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    try (PgServer server = PgServer.start(PgServer.Options.defaults("jdbc:crmkpi:demo").withPort(0)
        .withLimits(clients + 4, 0, 0, 64 << 20))) {
      String url = "jdbc:postgresql://127.0.0.1:" + server.port() + "/crmkpi?user=load";
      try (Connection warm = DriverManager.getConnection(url); Statement s = warm.createStatement()) {
        for (String q : dashboard) {
          s.executeQuery(q).close();
        }
      }
      System.gc();
      long rssStart = rss();
      long end = System.nanoTime() + seconds * 1_000_000_000L;
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        int k = i;
        Thread t = new Thread(() -> {
          try (Connection c = DriverManager.getConnection(url)) {
            int n = k;
            while (System.nanoTime() < end) {
              try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(dashboard[n++ % dashboard.length])) {
                while (rs.next()) {
                  rs.getString(1);
                }
                queries.incrementAndGet();
              } catch (Exception e) {
                if (errors.incrementAndGet() < 5) {
                  System.out.println("error: " + e.getMessage());
                }
              }
            }
          } catch (Exception e) {
            errors.incrementAndGet();
            System.out.println("connect error: " + e.getMessage());
          }
        });
        t.start();
        threads.add(t);
      }
      for (Thread t : threads) {
        t.join();
      }
      Thread.sleep(1000);
      System.gc();
      System.out.printf("clients=%d seconds=%d queries=%d errors=%d sessions open after=%d RSS start=%d MB end=%d MB%n",
          clients, seconds, queries.get(), errors.get(), server.sessionCount(), rssStart >> 10, rss() >> 10);
    }
  }

  private static long rss() throws Exception {
    for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (l.startsWith("VmRSS:")) {
        return Long.parseLong(l.replaceAll("\\D", ""));
      }
    }
    return -1;
  }
}
