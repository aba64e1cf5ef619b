package io.crmkpi.pgwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmkpi.testing.QueryRows;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/**
 * {@code crmkpi serve}'s session limits and metrics through pgjdbc: more concurrent querying sessions than the
 * store's pool used to hold (32), all served and all gone afterwards; {@code util.sessions} and
 * {@code pg_stat_activity} listing who is connected.
 */
class PgServerSessionsTest {

  static final String URL = "jdbc:crmkpi:demo;deals=1000";
  static final String DASHBOARD = "SELECT * FROM kpi.churn_monthly ORDER BY \"month\"";
  static PgServer server;

  @BeforeAll
  static void start() throws Exception {
    server = PgServer.start(PgServer.Options.defaults(URL).withPort(0));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Connection pg(String user, String application) throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + server.port() + "/crmkpi?user=" + user
        + "&ApplicationName=" + application);
  }

  static List<String> rows(Connection c, String sql) throws SQLException {
    // typed values (the two drivers spell booleans and whole doubles differently as text)
    return QueryRows.lines(c, sql, (rs, i) -> {
      Object v = rs.getObject(i);
      return v instanceof Number x ? new java.math.BigDecimal(x.toString()).stripTrailingZeros().toPlainString()
          : String.valueOf(v);
    });
  }

  /** Polls (no timing asserted): a closed client's session ends on the server's side a moment later. */
  static int sessionsAfterClose(int expected) throws InterruptedException {
    for (int i = 0; i < 200 && server.sessionCount() != expected; i++) {
      Thread.sleep(50);
    }
    return server.sessionCount();
  }

  @Test
  void fiftyConcurrentSessionsEachRunADashboardQueryAndAllEnd() throws Exception {
    List<String> expected;
    try (Connection jdbc = DriverManager.getConnection(URL)) {
      expected = rows(jdbc, DASHBOARD);
    }
    assertTrue(expected.size() > 10, "the demo has months of churn: " + expected.size());
    int clients = 50;
    // all 50 hold their session (and its store connection, opened by the query) at the barrier
    CyclicBarrier held = new CyclicBarrier(clients + 1);
    CyclicBarrier release = new CyclicBarrier(clients + 1);
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<List<String>>> results = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        int k = i;
        results.add(pool.submit(() -> {
          try (Connection c = pg("load" + k, "load")) {
            List<String> got = rows(c, DASHBOARD);
            held.await(60, TimeUnit.SECONDS);
            release.await(60, TimeUnit.SECONDS);
            return got;
          }
        }));
      }
      held.await(120, TimeUnit.SECONDS);
      assertEquals(clients, server.sessionCount());
      try (Connection monitor = pg("monitor", "monitor")) {
        assertEquals(List.of((clients + 1) + "|" + clients + "|1"), rows(monitor, "SELECT count(*), "
            + "count(*) FILTER (WHERE application_name = 'load' AND state = 'idle' AND statements = 1), "
            + "count(*) FILTER (WHERE usename = 'monitor' AND state = 'active') FROM util.sessions"));
      }
      release.await(60, TimeUnit.SECONDS);
      for (Future<List<String>> f : results) {
        assertEquals(expected, f.get(60, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(0, sessionsAfterClose(0));
  }

  @Test
  void utilSessionsAndPgStatActivityListTheOpenSessions() throws Exception {
    assertEquals(0, sessionsAfterClose(0));
    try (Connection monitor = pg("monitor", "watcher")) {
      int pidA;
      try (Connection a = pg("alice", "dash-a")) {
        pidA = a.unwrap(PGConnection.class).getBackendPID();
        a.setAutoCommit(false); // pgjdbc sends BEGIN before the query: the session stays in a transaction
        assertEquals(List.of("1000"), rows(a, "SELECT count(*) FROM crm.deals"));
        int pidM = monitor.unwrap(PGConnection.class).getBackendPID();
        String sql = "SELECT pid, usename, application_name, client_addr, state, statements, "
            + "query_start >= backend_start, backend_start <= now() FROM util.sessions ORDER BY pid";
        List<String> expected = new ArrayList<>(List.of(
            pidA + "|alice|dash-a|127.0.0.1|idle in transaction|1|true|true",
            pidM + "|monitor|watcher|127.0.0.1|active|1|true|true"));
        expected.sort((x, y) -> Integer.compare(Integer.parseInt(x.split("\\|")[0]),
            Integer.parseInt(y.split("\\|")[0])));
        assertEquals(expected, rows(monitor, sql));
        // PostgreSQL's view of the same rows (DBeaver's session manager, pgAdmin); never any SQL text
        assertEquals(List.of("2|alice,monitor|"), rows(monitor,
            "SELECT count(*), string_agg(usename, ',' ORDER BY usename), max(query) FROM pg_stat_activity"));
        a.rollback();
      }
      assertEquals(1, sessionsAfterClose(1));
      assertEquals(List.of("1|monitor|active"), rows(monitor, "SELECT count(*), min(usename), min(state) "
          + "FROM util.sessions"));
    }
    assertEquals(0, sessionsAfterClose(0));
  }

  @Test
  void psqlSelectsUtilSessionsAndSeesItsDescription() throws Exception {
    assertEquals(0, sessionsAfterClose(0));
    PgServerTest.Run r = PgServerTest.run(java.util.Map.of(), "psql", "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1",
        "-h", "127.0.0.1", "-p", Integer.toString(server.port()), "-U", "analyst", "-d", "crmkpi",
        "-c", "SELECT usename, application_name, client_addr, state, statements FROM util.sessions",
        "-c", "SELECT obj_description('util.sessions'::regclass, 'pg_class')");
    assertEquals(0, r.exit(), r.err());
    assertEquals("analyst|psql|127.0.0.1|active|1\nOpen sessions of crmkpi serve (one row each, as of the statement "
        + "that reads it); no SQL text\n", r.out());
    assertEquals(0, sessionsAfterClose(0));
  }

  @Test
  void maxConnectionsOutOfRangeIsRefusedNamingTheOption() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
        PgServer.start(PgServer.Options.defaults(URL).withPort(0).withLimits(0, 0, 0, 1 << 20)));
    assertEquals("--max-connections 0: must be between 1 and 1000", e.getMessage());
  }
}
