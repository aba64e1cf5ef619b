package io.crmkpi.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Row limits, streaming, timeouts and cancels, as BI tools and batch jobs use them. */
class CrmKpiStatementTest {

  static Connection c;

  /**
   * 73,052² ≈ 5.3 billion pairs, each checked by a predicate no join algorithm can use: minutes of
   * work, so only a timeout, a cancel or a close ends it.
   */
  static final String ENDLESS = "SELECT COUNT(*) FROM util.periods a, util.periods b "
      + "WHERE MOD(EXTRACT(DAY FROM a.calendar_day) * 31 + EXTRACT(DAY FROM b.calendar_day), 7) = 3";

  @BeforeAll
  static void connect() throws SQLException {
    c = DriverManager.getConnection(CrmKpiConnectionTest.URL);
  }

  @AfterAll
  static void close() throws SQLException {
    c.close();
  }

  static long rows(ResultSet rs) throws SQLException {
    long n = 0;
    try (rs) {
      while (rs.next()) {
        n++;
      }
    }
    return n;
  }

  @Test
  void maxRowsCapsTheResult() throws SQLException {
    try (Statement s = c.createStatement()) {
      assertEquals(0, s.getMaxRows());
      assertEquals(CrmKpiConnectionTest.PERIOD_ROWS, rows(s.executeQuery("SELECT calendar_day FROM util.periods")));
      s.setMaxRows(10);
      assertEquals(10, s.getMaxRows());
      assertEquals(10, rows(s.executeQuery("SELECT calendar_day FROM util.periods")));
      s.setLargeMaxRows(3);
      assertEquals(3L, s.getLargeMaxRows());
      assertEquals(3, s.getMaxRows());
      // the cap keeps the order of an ORDER BY: the 3 first days
      try (ResultSet rs = s.executeQuery("SELECT DISTINCT calendar_day FROM util.periods ORDER BY 1")) {
        for (String day : List.of("2000-01-01", "2000-01-02", "2000-01-03")) {
          assertTrue(rs.next());
          assertEquals(day, rs.getString(1));
        }
        assertFalse(rs.next());
        assertTrue(rs.isAfterLast());
      }
      // fewer rows than the cap: all of them
      assertEquals(2, rows(s.executeQuery("SELECT deal_id FROM crm.deals WHERE status = 'won'")));
      s.setMaxRows(0);
      assertEquals(4, rows(s.executeQuery("SELECT deal_id FROM crm.deals")));
      assertThrows(SQLException.class, () -> s.setMaxRows(-1));
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT calendar_day FROM util.periods WHERE grain = ?")) {
      ps.setMaxRows(10);
      ps.setString(1, "week");
      assertEquals(10, rows(ps.executeQuery()));
    }
  }

  /**
   * A fetch size streams: 5.3 billion rows (≈ 40 GB if the store materialised them) are read a
   * thousand at a time; the statement and connection stay usable afterwards.
   */
  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES) // a guard against a hang, not a speed measure
  void aFetchSizeStreamsTheResult() throws SQLException {
    try (Statement s = c.createStatement()) {
      s.setFetchSize(1000);
      assertEquals(1000, s.getFetchSize());
      try (ResultSet rs = s.executeQuery("SELECT a.calendar_day, b.calendar_day FROM util.periods a, util.periods b")) {
        for (int i = 0; i < 5000; i++) {
          assertTrue(rs.next());
          assertNotNull(rs.getDate(1));
        }
      }
      // two streamed results open at once on one connection, each on a store connection of its own
      try (Statement t = c.createStatement()) {
        t.setFetchSize(10);
        ResultSet a = s.executeQuery("SELECT deal_id FROM crm.deals ORDER BY 1");
        ResultSet b = t.executeQuery("SELECT deal_id FROM crm.deals ORDER BY 1 DESC");
        assertTrue(a.next() && b.next());
        assertEquals("d1", a.getString(1));
        assertEquals("d4", b.getString(1));
        assertTrue(a.next() && b.next());
        assertEquals("d2", a.getString(1));
        assertEquals("d3", b.getString(1));
        a.close();
        b.close();
      }
    }
    assertEquals(4, CrmKpiConnectionTest.count(c, "SELECT COUNT(*) FROM crm.deals"));
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void aQueryTimeoutStopsTheStatementAndLeavesItUsable() throws SQLException {
    try (Statement s = c.createStatement()) {
      s.setQueryTimeout(1);
      assertEquals(1, s.getQueryTimeout());
      SQLTimeoutException e = assertThrows(SQLTimeoutException.class, () -> s.executeQuery(ENDLESS));
      assertEquals("57014", e.getSQLState());
      assertTrue(e.getMessage().contains("query timeout of 1 s"), e.getMessage());
      try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM crm.deals")) {
        assertTrue(rs.next());
        assertEquals(4, rs.getInt(1));
      }
    }
  }

  /** Runs {@link #ENDLESS} on another thread, waits until the store runs it, and returns what it threw. */
  private static Thread runEndless(Statement s, AtomicReference<Throwable> thrown) throws InterruptedException {
    Thread t = new Thread(() -> {
      try {
        s.executeQuery(ENDLESS);
      } catch (Throwable e) {
        thrown.set(e);
      }
    });
    t.start();
    CrmKpiStatement inner = (CrmKpiStatement) s;
    while (!inner.running() && t.isAlive()) {
      Thread.sleep(20);
    }
    Thread.sleep(200);
    return t;
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void cancelStopsTheStatementAndLeavesItUsable() throws Exception {
    try (Statement s = c.createStatement()) {
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      Thread t = runEndless(s, thrown);
      s.cancel();
      t.join(120_000);
      assertFalse(t.isAlive());
      SQLTimeoutException e = assertInstanceOf(SQLTimeoutException.class, thrown.get());
      assertEquals("HY008", e.getSQLState());
      assertEquals(4, CrmKpiConnectionTest.count(c, "SELECT COUNT(*) FROM crm.deals"));
      try (ResultSet rs = s.executeQuery("SELECT deal_id FROM crm.deals WHERE deal_id = 'd2'")) {
        assertTrue(rs.next());
        assertEquals("d2", rs.getString(1));
      }
    }
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void closingTheConnectionStopsWhatRuns() throws Exception {
    Connection own = DriverManager.getConnection(CrmKpiConnectionTest.URL);
    Statement s = own.createStatement();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread t = runEndless(s, thrown);
    own.close();
    t.join(120_000);
    assertFalse(t.isAlive(), "the statement ended when its connection closed");
    SQLException e = assertInstanceOf(SQLException.class, thrown.get());
    assertEquals("08003", e.getSQLState(), e.getMessage());
    assertTrue(own.isClosed());
    assertTrue(s.isClosed());
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void closingTheStatementStopsIt() throws Exception {
    Statement s = c.createStatement();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread t = runEndless(s, thrown);
    s.close();
    t.join(120_000);
    assertFalse(t.isAlive());
    assertEquals("HY008", assertInstanceOf(SQLTimeoutException.class, thrown.get()).getSQLState());
    assertTrue(s.isClosed());
    assertEquals(4, CrmKpiConnectionTest.count(c, "SELECT COUNT(*) FROM crm.deals"));
  }

  /** A batch job that used a query timeout ends by itself: no thread of the driver keeps the JVM alive. */
  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void aJvmThatUsedAQueryTimeoutExitsByItself() throws Exception {
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        QueryTimeoutJob.class.getName(), CrmKpiConnectionTest.URL, ENDLESS).redirectErrorStream(true).start();
    boolean ended = p.waitFor(180, TimeUnit.SECONDS);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!ended) {
      p.destroyForcibly();
    }
    assertTrue(ended, "the JVM did not exit by itself: " + out);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("timed out: 57014"), out);
  }

  @Test
  void writesAndBatchesAreRefusedReadably() throws SQLException {
    try (Statement s = c.createStatement()) {
      SQLException e = assertThrows(SQLException.class, () -> s.executeUpdate("DELETE FROM crm.deals"));
      assertEquals("25006", e.getSQLState());
      assertThrows(SQLException.class, () -> s.addBatch("SELECT 1"));
      assertEquals(-1, s.getUpdateCount());
      assertTrue(s.execute("SELECT deal_id FROM crm.deals"));
      assertEquals(4, rows(s.getResultSet()));
      assertFalse(s.getMoreResults());
      try (ResultSet keys = s.getGeneratedKeys()) {
        assertFalse(keys.next());
      }
      assertEquals("'it''s'", s.enquoteLiteral("it's"));
      assertEquals("\"month\"", s.enquoteIdentifier("month", true));
      assertEquals("deals", s.enquoteIdentifier("deals", false));
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT deal_id FROM crm.deals WHERE status = ?")) {
      assertThrows(SQLException.class, () -> ps.executeQuery("SELECT 1"));
      SQLException unset = assertThrows(SQLException.class, ps::executeQuery);
      assertEquals("07001", unset.getSQLState());
      assertEquals(java.sql.Types.VARCHAR, ps.getParameterMetaData().getParameterType(1));
      assertEquals("deal_id", ps.getMetaData().getColumnLabel(1));
    }
  }
}
