package io.crmkpi.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Store connections for streamed results. DuckDB streams a result chunk by chunk when the session
 * setting {@code jdbc_stream_results} is on, but then a connection holds one open result only; so a
 * streamed result gets a pooled store connection of its own, given back when the result closes.
 */
final class StreamedConnection {

  private StreamedConnection() {
  }

  static Connection borrow(CrmKpiConnection owner) throws SQLException {
    Connection c = owner.handle().pool().getConnection();
    if (owner.handle().remote() != null) {
      return c; // PostgreSQL: pgjdbc fetches in chunks itself when the statement's fetch size is set
    }
    try (Statement s = c.createStatement()) {
      s.execute("SET jdbc_stream_results = true");
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }

  /** Back to the pool, materialising again (the pool's other users expect DuckDB's default). */
  static void giveBack(Connection c) throws SQLException {
    if (!c.isWrapperFor(org.duckdb.DuckDBConnection.class)) {
      c.close();
      return;
    }
    try (Statement s = c.createStatement()) {
      s.execute("SET jdbc_stream_results = false");
    } finally {
      c.close();
    }
  }
}
