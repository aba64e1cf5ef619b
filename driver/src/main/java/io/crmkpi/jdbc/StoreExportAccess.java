package io.crmkpi.jdbc;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.duckdb.DuckDBConnection;

/**
 * What {@code crmkpi export} needs beyond JDBC, and nothing more: a store that may also write one
 * folder (the export's fresh staging folder, added to DuckDB's {@code allowed_directories} when the
 * store is hardened; every other path stays closed), and a raw connection to that store for DuckDB's
 * own {@code COPY … TO … (FORMAT PARQUET)}. Ordinary connections never get either: a store opened
 * this way is keyed apart in the registry and shared with no other connection.
 */
public final class StoreExportAccess {

  /** Opens a connection (what {@code connect} returns) whose store may also reach {@code folder}. */
  @FunctionalInterface
  public interface Connect {
    Connection open() throws SQLException;
  }

  private StoreExportAccess() {
  }

  /**
   * Runs {@code connect} (a {@code DriverManager.getConnection} of a crmkpi URL) on this thread with
   * {@code folder} reachable by the store it opens.
   */
  public static Connection connect(Path folder, Connect connect) throws SQLException {
    StoreRegistry.WRITABLE.set(folder.toAbsolutePath().normalize());
    try {
      return connect.open();
    } finally {
      StoreRegistry.WRITABLE.remove();
    }
  }

  /**
   * A raw connection (the caller closes it) to the store of {@code c}, a connection opened by
   * {@link #connect}; any other connection is refused.
   */
  public static DuckDBConnection raw(Connection c) throws SQLException {
    if (!(c instanceof CrmKpiConnection k) || k.handle().writable == null) {
      throw new SQLException("not a connection opened for an export");
    }
    return k.handle().store().connect();
  }
}
