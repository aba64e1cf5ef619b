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
import java.lang.management.MemoryUsage;
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
 * {@code java -cp <test classpath> io.crmkpi.bench.PgWireLoad [clients] [seconds] [warm-up seconds] [jdbc url]}.
 */
public final class PgWireLoad {

  private PgWireLoad() {
  }

  public static void main(String[] args) throws Exception {
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
    int warmSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    String source = args.length > 3 ? args[3] : "jdbc:crmkpi:demo";
    List<CardSql> cards = cards();
    try (PgServer server = PgServer.start(PgServer.Options.defaults(source).withPort(0)
        // --max-connections = clients: each session runs on one of that many executor threads, which keep
        // per-thread buffer caches; the warm-up then reaches every thread (with 100, the first 100 sessions would
        // still grow the heap by ~0.1 MB per new thread, bounded)
        .withLimits(clients, 0, 0, 64 << 20))) {
      String url = "jdbc:postgresql://127.0.0.1:" + server.port() + "/crmkpi?user=load&ApplicationName=load";
      System.out.println("cards=" + cards.size() + " " + memory(server, "idle, before any query"));
      // the same load first, so that "start" is the working set of 50 busy sessions (the store's pooled
      // connections, DuckDB's buffers, compiled statements, the JIT), and growth after it would be a leak
      System.out.println("warm-up: " + round(server, url, cards, clients, warmSeconds));
      System.out.println("start:   " + memory(server, "after the warm-up"));
      System.out.println("load:    " + round(server, url, cards, clients, seconds));
      System.out.println("end:     " + memory(server, "after the load"));
    }
  }

  /** {@code clients} new sessions running the cards in turn for {@code seconds}, then closing. */
  private static String round(PgServer server, String url, List<CardSql> cards, int clients, int seconds)
      throws Exception {
    AtomicLong queries = new AtomicLong();
    AtomicLong rows = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    long t0 = System.nanoTime();
    long end = t0 + seconds * 1_000_000_000L;
    int peak = 0;
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
    StringBuilder rssTrend = new StringBuilder();
    long nextSample = t0 + 15_000_000_000L;
    while (threads.stream().anyMatch(Thread::isAlive)) {
      peak = Math.max(peak, server.sessionCount());
      if (System.nanoTime() >= nextSample) { // RSS under load, every 15 s: a leak keeps climbing, a working set levels
        rssTrend.append(rssTrend.length() > 0 ? " " : "").append(rss() >> 10);
        nextSample += 15_000_000_000L;
      }
      Thread.sleep(200);
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    return String.format("clients=%d seconds=%d queries=%d (%.1f/s) rows=%d errors=%d peak sessions=%d "
        + "sessions after=%d; RSS every 15 s under load (MB): %s", clients, seconds, queries.get(),
        queries.get() / wall, rows.get(), errors.get(), peak, waitForSessions(server, 0), rssTrend);
  }

  /** Heap used after a full GC (System.gc() is one with G1), heap committed and the process RSS. */
  private static String memory(PgServer server, String when) throws Exception {
    waitForSessions(server, 0);
    System.gc();
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    if (Boolean.getBoolean("histogram")) { // -Dhistogram=true: the classes holding the most live heap
      Process p = new ProcessBuilder("jcmd", Long.toString(ProcessHandle.current().pid()), "GC.class_histogram")
          .redirectErrorStream(true).start();
      new String(p.getInputStream().readAllBytes()).lines().skip(1).limit(18).forEach(System.out::println);
    }
    return String.format("%s: heap used after full GC %.1f MB (committed %d MB), RSS %d MB", when,
        heap.getUsed() / 1048576.0, heap.getCommitted() >> 20, rss() >> 10);
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
