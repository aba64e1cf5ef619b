package io.crmkpi.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.duckdb.DuckDBConnection;

/**
 * The embedded DuckDB database that holds the canonical tables: in memory (demo) or a file
 * (persistent sources). Hands out connections to the same database with {@link #connect()}.
 */
public final class Store implements AutoCloseable {

  private final DuckDBConnection owner;
  private final String description;

  private Store(DuckDBConnection owner, String description) {
    this.owner = owner;
    this.description = description;
  }

  /** A new, empty in-memory store with the current schema. */
  public static Store inMemory() throws SQLException {
    Store store = new Store(open("jdbc:duckdb:"), "memory");
    StoreSchema.ensure(store.owner);
    return store;
  }

  /** Opens (creating if needed) a store file and migrates its schema to the current version. */
  public static Store file(Path path) throws SQLException {
    try {
      Path parent = path.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (java.io.IOException e) {
      throw new SQLException("cannot create the store folder for " + path + ": " + e.getMessage(), e);
    }
    DuckDBConnection c;
    try {
      c = open("jdbc:duckdb:" + path.toAbsolutePath());
    } catch (SQLException e) {
      String m = String.valueOf(e.getMessage());
      if (m.contains("lock")) {
        throw new SQLException("the store file " + path + " is in use by another program (" + m.lines().findFirst()
            .orElse(m) + "); close that program or point store= at another file", "08001", e);
      }
      throw new SQLException("cannot open the store file " + path + ": " + m, "08001", e);
    }
    Store store = new Store(c, path.toString());
    StoreSchema.ensure(store.owner);
    return store;
  }

  private static DuckDBConnection open(String url) throws SQLException {
    try {
      Class.forName("org.duckdb.DuckDBDriver");
    } catch (ClassNotFoundException e) {
      throw new SQLException("DuckDB JDBC driver is not on the class path", e);
    }
    Properties p = new Properties();
    return (DuckDBConnection) DriverManager.getConnection(url, p);
  }

  /** A new connection to this store's database (the caller closes it). */
  public DuckDBConnection connect() throws SQLException {
    return (DuckDBConnection) owner.duplicate();
  }

  /** Where the store lives: {@code memory} or the file path. */
  public String description() {
    return description;
  }

  /** Opens a load session that writes rows of the canonical tables for one source. */
  public LoadSession load(String source) throws SQLException {
    return new LoadSession(this, source);
  }

  @Override
  public void close() throws SQLException {
    owner.close();
  }

  /** Work of one transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run() throws SQLException;
  }

  /**
   * Runs {@code work} on {@code c} as one transaction: committed when it returns, rolled back when
   * it throws; the connection is back in auto-commit either way.
   */
  public static <T> T inTransaction(java.sql.Connection c, Work<T> work) throws SQLException {
    c.setAutoCommit(false);
    try {
      T result = work.run();
      c.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  /** Runs one statement on a fresh connection. */
  public void execute(String sql) throws SQLException {
    try (Connection c = connect(); var s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
