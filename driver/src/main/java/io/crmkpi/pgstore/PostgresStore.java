package io.crmkpi.pgstore;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import io.crmkpi.store.Store;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.Locale;
import java.util.function.Consumer;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A PostgreSQL database holding a copy of the canonical tables ({@code crm.*}, {@code util.calendar},
 * {@code util.store_info}) and answering the compiled statements, through a pool of pgjdbc
 * connections whose session time zone is the reporting zone (what {@code now()} answers in views).
 * Credentials come from the settings {@code store_user} / {@code store_password}, never from the URL,
 * so that the URL can be shown as it is.
 */
public final class PostgresStore implements AutoCloseable {

  /** URLs this store takes ({@code store=} starting with it). */
  public static final String PREFIX = "jdbc:postgresql:";

  private final String url;
  private final String address;
  private final PGSimpleDataSource target;
  private volatile HikariDataSource pool;

  private PostgresStore(String url, String address, PGSimpleDataSource target) {
    this.url = url;
    this.address = address;
    this.target = target;
  }

  /** Whether {@code store} names a PostgreSQL store. */
  public static boolean accepts(String store) {
    return store != null && store.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
  }

  /**
   * Connects (one connection, to check the address and credentials at once); errors are one line
   * naming {@code host:port}, never the password.
   */
  public static PostgresStore connect(String url, String user, String password) throws SQLException {
    String address = address(url);
    String query = url.indexOf('?') < 0 ? "" : url.substring(url.indexOf('?') + 1);
    for (String kv : query.split("&")) {
      if (kv.toLowerCase(Locale.ROOT).startsWith("password=")) {
        throw new SQLException("store: put the PostgreSQL password in the setting store_password (a secret, masked "
            + "everywhere), not in the store URL", "08001");
      }
    }
    PGSimpleDataSource ds = new PGSimpleDataSource();
    try {
      ds.setURL(url);
    } catch (IllegalArgumentException e) {
      throw new SQLException("store: not a PostgreSQL JDBC URL: " + url + " (expected jdbc:postgresql://host:port/"
          + "database)", "08001");
    }
    if (user != null) {
      ds.setUser(user);
    }
    if (password != null) {
      ds.setPassword(password);
    }
    ds.setApplicationName("crmkpi");
    // the pool's connections are read-only (HikariConfig.setReadOnly) in auto-commit too; the copy's are not
    ds.setReadOnlyMode("always");
    ds.setConnectTimeout(10);
    PostgresStore store = new PostgresStore(url, address, ds);
    try (Connection c = store.connectOnce()) {
      c.isValid(5);
    }
    return store;
  }

  /** {@code host:port} of a pgjdbc URL (the first host; 5432 when no port is given). */
  static String address(String url) throws SQLException {
    String rest = url.substring(PREFIX.length());
    if (!rest.startsWith("//")) {
      return "localhost:5432"; // jdbc:postgresql:database
    }
    try {
      String hostPart = rest.substring(2).split("[/?]", 2)[0].split(",")[0];
      URI u = URI.create("postgresql://" + hostPart);
      return (u.getHost() == null ? hostPart : u.getHost()) + ":" + (u.getPort() < 0 ? 5432 : u.getPort());
    } catch (IllegalArgumentException e) {
      throw new SQLException("store: not a PostgreSQL JDBC URL: " + url + " (expected jdbc:postgresql://host:port/"
          + "database)", "08001");
    }
  }

  /** A direct connection, its failure reworded into one line naming the server. */
  private Connection connectOnce() throws SQLException {
    try {
      return target.getConnection();
    } catch (SQLException e) {
      throw connectError(e);
    }
  }

  private SQLException connectError(SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String m = firstLine(e);
    String why;
    if (state.equals("28P01") || state.equals("28000")) {
      why = "the server refused the user name or password (" + m + "); check store_user and store_password";
    } else if (state.equals("3D000")) {
      why = m;
    } else if (state.startsWith("08")) {
      why = "no PostgreSQL server answers there (" + m + ")";
    } else {
      why = m;
    }
    return new SQLException("store: cannot connect to PostgreSQL at " + address + ": " + why, "08001");
  }

  private static String firstLine(SQLException e) {
    String m = String.valueOf(e.getMessage());
    return m.lines().findFirst().orElse(m).trim();
  }

  /** {@code host:port/database}: how the store is named in messages (no credentials). */
  public String description() {
    return url;
  }

  /**
   * The pool statements run on: sessions in {@code timezone} (the reporting zone), read-only (a
   * statement cannot change the copy; crmkpi's compiler refuses writes anyway).
   */
  public synchronized HikariDataSource pool(ZoneId timezone, String poolName, int maxSize) throws SQLException {
    if (pool == null) {
      HikariConfig hc = new HikariConfig();
      hc.setDataSource(target);
      hc.setPoolName(poolName);
      hc.setMaximumPoolSize(maxSize);
      hc.setMinimumIdle(1);
      hc.setAutoCommit(true);
      hc.setReadOnly(true);
      hc.setConnectionTimeout(30_000);
      hc.setConnectionInitSql("SET TIME ZONE '" + timezone.getId().replace("'", "''") + "'");
      try {
        pool = new HikariDataSource(hc);
      } catch (HikariPool.PoolInitializationException e) {
        throw e.getCause() instanceof SQLException s ? connectError(s)
            : new SQLException("store: cannot connect to PostgreSQL at " + address, "08001");
      }
    }
    return pool;
  }

  /** A value of {@code util.store_info} in PostgreSQL, or null (also when nothing was copied there yet). */
  public String info(String key) throws SQLException {
    try (Connection c = connectOnce(); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT to_regclass('util.store_info') IS NOT NULL")) {
        rs.next();
        if (!rs.getBoolean(1)) {
          return null;
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT value FROM util.store_info WHERE key = '"
          + key.replace("'", "''") + "'")) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  /**
   * Copies the staging store's canonical tables (and the calendar and store info) into PostgreSQL in
   * one transaction: readers see the previous load until it commits.
   */
  public void replicate(Store staging, Consumer<String> progress) throws SQLException {
    try (Connection pg = connectOnce(); java.sql.Connection duck = staging.connect()) {
      new PostgresReplication(duck, pg, progress, address).run();
    }
  }

  @Override
  public synchronized void close() {
    if (pool != null) {
      pool.close();
      pool = null;
    }
  }
}
