package io.crmkpi.bench;

import io.crmkpi.dashboards.Card;
import io.crmkpi.dashboards.CardSql;
import io.crmkpi.dashboards.Dashboard;
import io.crmkpi.dashboards.DashboardCatalog;
import io.crmkpi.dashboards.FilterValues;
import io.crmkpi.pgwire.PgServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.Map;

/**
 * Concurrent clients over crmkpi serve: each runs the bundled dashboards' cards (filters at their defaults)
 * through pgjdbc for a while; reports queries, errors, the peak and the final session count, heap used after a
 * full GC and the process RSS before and after. Not part of the test run:
 * {@code java -cp <test classpath> io.crmkpi.bench.PgWireLoad [clients] [seconds] [jdbc url]}.
 */
public final class PgWireLoad {

  private PgWireLoad() {
  }

  public static void main(String[] args) throws Exception {
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
    String source = args.length > 2 ? args[2] : "jdbc:crmkpi:demo";
    List<CardSql> cards = cards();
    AtomicLong queries = new AtomicLong();
    AtomicLong rows = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    try (PgServer server = PgServer.start(PgServer.Options.defaults(source).withPort(0))) {
      String url = "jdbc:postgresql://127.0.0.1:" + server.port() + "/crmkpi?user=load&ApplicationName=load";
      // one pass first: the compiled statements are cached, the store's pool and the JIT warm
      try (Connection warm = DriverManager.getConnection(url)) {
        for (CardSql q : cards) {
          run(warm, q);
        }
      }
      waitForSessions(server, 0);
      System.gc();
      long heapStart = memory.getHeapMemoryUsage().getUsed();
      long rssStart = rss();
      long t0 = System.nanoTime();
      long end = t0 + seconds * 1_000_000_000L;
      int[] peak = new int[1];
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        int k = i;
        Thread t = new Thread(() -> {
          try (Connection c = DriverManager.getConnection(url)) {
            int n = k;
            while (System.nanoTime() < end) {
              try {
                rows.addAndGet(run(c, cards.get(n++ % cards.size())));
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
      while (threads.stream().anyMatch(Thread::isAlive)) {
        peak[0] = Math.max(peak[0], server.sessionCount());
        Thread.sleep(200);
      }
      double wall = (System.nanoTime() - t0) / 1e9;
      int after = waitForSessions(server, 0);
      System.gc();
      long heapEnd = memory.getHeapMemoryUsage().getUsed();
      System.out.printf("clients=%d seconds=%d cards=%d queries=%d (%.1f/s) rows=%d errors=%d peak sessions=%d "
          + "sessions after=%d heap after full GC start=%.1f MB end=%.1f MB RSS start=%d MB end=%d MB%n",
          clients, seconds, cards.size(), queries.get(), queries.get() / wall, rows.get(), errors.get(), peak[0],
          after, heapStart / 1048576.0, heapEnd / 1048576.0, rssStart >> 10, rss() >> 10);
    }
  }

  /** Runs one bound card (extended protocol with DATE parameters, as BI tools do); rows read. */
  private static long run(Connection c, CardSql card) throws Exception {
    long n = 0;
    try (PreparedStatement ps = c.prepareStatement(card.sql())) {
      for (int i = 0; i < card.parameters().size(); i++) {
        ps.setObject(i + 1, card.parameters().get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        int cols = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          for (int i = 1; i <= cols; i++) {
            rs.getObject(i);
          }
          n++;
        }
      }
    }
    return n;
  }

  /** Every card of the bundled dashboards, bound to the filters' defaults today (as crmkpi report does). */
  static List<CardSql> cards() {
    List<CardSql> out = new ArrayList<>();
    for (Dashboard d : DashboardCatalog.bundled()) {
      Map<String, Object> values = FilterValues.defaults(d, LocalDate.now());
      for (Card c : d.cards()) {
        out.add(CardSql.bind(c.sql(), values));
      }
    }
    return out;
  }

  private static int waitForSessions(PgServer server, int expected) throws InterruptedException {
    for (int i = 0; i < 100 && server.sessionCount() != expected; i++) {
      Thread.sleep(100);
    }
    return server.sessionCount();
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
