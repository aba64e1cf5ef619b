package io.crmkpi.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBPreparedStatement;
import org.duckdb.DuckDBResultSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The connection as a JDBC client meets it: own objects only, a session schema, consistent answers. */
class CrmKpiConnectionTest {

  static final String URL = "jdbc:crmkpi:script:jdbc/small.sql";
  /** Rows of util.periods: every day of 2000..2049 (18,263 days) in four grains. */
  static final long PERIOD_ROWS = 73_052;

  Connection c;

  @BeforeEach
  void connect() throws SQLException {
    c = DriverManager.getConnection(URL);
  }

  @AfterEach
  void close() throws SQLException {
    c.close();
  }

  static long count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next());
      return rs.getLong(1);
    }
  }

  @Test
  void noStoreObjectIsHandedOut() throws SQLException {
    SQLException e = assertThrows(SQLException.class, () -> c.unwrap(DuckDBConnection.class));
    assertTrue(e.getMessage().contains("DuckDBConnection"), e.getMessage());
    assertFalse(c.isWrapperFor(DuckDBConnection.class));
    assertFalse(c.isWrapperFor(com.zaxxer.hikari.pool.ProxyConnection.class));
    assertSame(c, c.unwrap(Connection.class));
    assertTrue(c.isWrapperFor(Connection.class));
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT deal_id FROM crm.deals")) {
      assertThrows(SQLException.class, () -> s.unwrap(DuckDBPreparedStatement.class));
      assertFalse(s.isWrapperFor(DuckDBPreparedStatement.class));
      assertThrows(SQLException.class, () -> rs.unwrap(DuckDBResultSet.class));
      assertFalse(rs.isWrapperFor(DuckDBResultSet.class));
      assertSame(s, rs.getStatement());
      assertSame(c, s.getConnection());
    }
    // metadata results come from a private store: no way from them to a DuckDB connection either
    try (ResultSet schemas = c.getMetaData().getSchemas()) {
      Statement st = schemas.getStatement();
      assertTrue(st == null || st.getConnection() == c, String.valueOf(st));
      assertThrows(SQLException.class, () -> schemas.unwrap(DuckDBResultSet.class));
    }
  }

  @Test
  void setSchemaMakesUnqualifiedNamesResolveThere() throws SQLException {
    assertNull(c.getSchema());
    assertThrows(SQLException.class, () -> count(c, "SELECT COUNT(*) FROM periods"));
    c.setSchema("UTIL"); // any case; the catalog's spelling is kept
    assertEquals("util", c.getSchema());
    assertEquals(PERIOD_ROWS, count(c, "SELECT COUNT(*) FROM periods"));
    // other schemas stay reachable by qualified names; prepared statements use the schema too
    assertEquals(4, count(c, "SELECT COUNT(*) FROM crm.deals"));
    try (var ps = c.prepareStatement("SELECT COUNT(*) FROM periods WHERE grain = ?")) {
      ps.setString(1, "year");
      try (ResultSet rs = ps.executeQuery()) {
        assertTrue(rs.next());
        assertEquals(18_263, rs.getLong(1)); // one row per day in the year grain
      }
    }
    c.setSchema("crm");
    assertEquals(4, count(c, "SELECT COUNT(*) FROM deals"));
    SQLException e = assertThrows(SQLException.class, () -> c.setSchema("nope"));
    assertEquals("3F000", e.getSQLState());
    assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
    assertEquals("crm", c.getSchema());
    c.setSchema(null);
    assertThrows(SQLException.class, () -> count(c, "SELECT COUNT(*) FROM deals"));
  }

  @Test
  void urlOptionSchema() throws SQLException {
    try (Connection u = DriverManager.getConnection(URL + ";schema=util")) {
      assertEquals("util", u.getSchema());
      assertEquals(PERIOD_ROWS, count(u, "SELECT COUNT(*) FROM periods"));
    }
    SQLException e = assertThrows(SQLException.class, () -> DriverManager.getConnection(URL + ";schema=sales"));
    assertTrue(e.getMessage().contains("schema=sales"), e.getMessage());
  }

  @Test
  void answersAreOursAndConsistent() throws SQLException {
    assertEquals(ResultSet.CLOSE_CURSORS_AT_COMMIT, c.getHoldability());
    c.setHoldability(ResultSet.HOLD_CURSORS_OVER_COMMIT); // accepted; nothing is ever committed
    assertEquals(ResultSet.CLOSE_CURSORS_AT_COMMIT, c.getHoldability());
    assertEquals(Connection.TRANSACTION_READ_COMMITTED, c.getTransactionIsolation());
    c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
    assertEquals(Connection.TRANSACTION_READ_COMMITTED, c.getTransactionIsolation());
    SQLWarning w = c.getWarnings();
    assertNotNull(w);
    assertTrue(w.getMessage().contains("READ_COMMITTED"), w.getMessage());
    c.clearWarnings();
    assertNull(c.getWarnings());
    assertThrows(SQLException.class, () -> c.setTransactionIsolation(Connection.TRANSACTION_NONE));
    assertTrue(c.isReadOnly());
    assertTrue(c.getClientInfo().isEmpty());
    c.setClientInfo("ApplicationName", "DBeaver");
    assertEquals("DBeaver", c.getClientInfo("ApplicationName"));
    assertTrue(c.isValid(1));
    assertNull(c.getCatalog());
  }

  @Test
  void scrollInsensitiveIsDowngradedWithAWarning() throws SQLException {
    try (Statement s = c.createStatement(ResultSet.TYPE_SCROLL_INSENSITIVE, ResultSet.CONCUR_READ_ONLY)) {
      assertEquals(ResultSet.TYPE_FORWARD_ONLY, s.getResultSetType());
      assertEquals(ResultSet.CONCUR_READ_ONLY, s.getResultSetConcurrency());
      assertEquals(ResultSet.CLOSE_CURSORS_AT_COMMIT, s.getResultSetHoldability());
      SQLWarning w = s.getWarnings();
      assertNotNull(w);
      assertTrue(w.getMessage().contains("TYPE_FORWARD_ONLY"), w.getMessage());
      assertNotNull(c.getWarnings(), "JDBC: the connection warns too");
      try (ResultSet rs = s.executeQuery("SELECT deal_id FROM crm.deals ORDER BY 1")) {
        assertEquals(ResultSet.TYPE_FORWARD_ONLY, rs.getType());
        assertTrue(rs.isBeforeFirst());
        assertTrue(rs.next());
        assertFalse(rs.isBeforeFirst());
        assertEquals("d1", rs.getString(1));
        assertTrue(rs.next());
        assertThrows(SQLException.class, rs::previous);
        assertEquals(2, rs.getRow());
      }
    }
    assertThrows(java.sql.SQLFeatureNotSupportedException.class,
        () -> c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_UPDATABLE));
  }

  @Test
  void closedConnectionRefusesWork() throws SQLException {
    Connection other = DriverManager.getConnection(URL);
    Statement s = other.createStatement();
    other.close();
    assertTrue(other.isClosed());
    assertTrue(s.isClosed(), "closing the connection closes its statements");
    assertEquals("08003", assertThrows(SQLException.class, other::createStatement).getSQLState());
    assertFalse(other.isValid(0));
    Connection aborted = DriverManager.getConnection(URL);
    Statement t = aborted.createStatement();
    java.util.List<Runnable> queued = new java.util.ArrayList<>();
    aborted.abort(queued::add);
    assertTrue(aborted.isClosed(), "closed for callers at once");
    assertEquals(1, queued.size(), "the release runs on the executor");
    queued.get(0).run();
    assertTrue(t.isClosed());
  }
}
