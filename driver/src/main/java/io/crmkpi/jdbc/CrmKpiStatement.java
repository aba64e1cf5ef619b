package io.crmkpi.jdbc;

import io.crmkpi.jdbc.catalog.StoreCatalog;
import io.crmkpi.jdbc.sql.CompiledQuery;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTimeoutException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.regex.Pattern;

/**
 * A statement: user SQL is compiled by the catalog, and each execution prepares the compiled
 * statement on a store connection, runs it under the store's refresh lock (a statement sees the data
 * before or after a whole refresh) and hands back a {@link CrmKpiResultSet}. Queries only.
 *
 * <p>Row limits and fetch size: with {@code setMaxRows} or {@code setFetchSize} set, the result is
 * streamed from the store (DuckDB's {@code jdbc_stream_results}) on a store connection of its own,
 * so a capped or large result is produced chunk by chunk and never sits whole in memory; without them
 * the store materialises the result (DuckDB's default, fastest for dashboard-sized results).
 *
 * <p>Timeouts run on one shared daemon timer (DuckDB's own query timeout uses a non-daemon thread
 * that keeps a JVM alive); a timeout or {@link #cancel()} interrupts the store, raises
 * {@link SQLTimeoutException} and leaves the statement usable.
 */
class CrmKpiStatement implements Statement {

  /** Why the running store statement was interrupted. */
  private enum Stop { NONE, TIMEOUT, CANCEL, CLOSE }

  private static final Pattern SIMPLE_IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,127}");

  final CrmKpiConnection connection;
  private SQLWarning warnings;
  private volatile boolean closed;
  private long maxRows;
  private int maxFieldSize;
  private int fetchSize;
  private int queryTimeout;
  private boolean poolable;
  private boolean closeOnCompletion;
  private CrmKpiResultSet current;
  private volatile PreparedStatement running;
  private PreparedStatement kept;
  private String keptSql;
  private volatile Stop stop = Stop.NONE;

  CrmKpiStatement(CrmKpiConnection connection, SQLWarning cursorWarning) {
    this.connection = connection;
    this.warnings = cursorWarning;
  }

  /** The shared timer of query timeouts: daemon, so it never keeps a JVM alive. */
  private static final class Timer {
    static final ScheduledThreadPoolExecutor INSTANCE = create();

    private static ScheduledThreadPoolExecutor create() {
      ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
        Thread th = new Thread(r, "crmkpi-query-timeout");
        th.setDaemon(true);
        return th;
      });
      t.setRemoveOnCancelPolicy(true);
      return t;
    }
  }

  void checkOpen() throws SQLException {
    if (closed) {
      throw new SQLException("statement is closed", "HY010");
    }
    connection.checkOpen();
  }

  // --- running

  /**
   * Runs a compiled statement with the user's parameter values ({@code params[i]} for the user's
   * {@code ?} number i+1; null when there are none).
   */
  ResultSet run(CompiledQuery q, String userSql, Object[] params) throws SQLException {
    checkOpen();
    closeCurrent();
    warnings = null;
    boolean stream = fetchSize > 0 || maxRows > 0;
    Connection store = stream ? StreamedConnection.borrow(connection) : connection.store();
    PreparedStatement ps = null;
    ResultSet rs;
    Lock refresh = connection.handle().refreshLock().readLock();
    refresh.lock(); // a refresh of the store runs whole before or after this statement
    try (StoreCatalog.Activity busy = connection.foreground()) {
      ps = stream ? store.prepareStatement(q.storeSql()) : prepared(q.storeSql());
      List<Integer> order = q.paramOrder();
      for (int i = 0; i < order.size(); i++) {
        ps.setObject(i + 1, params[order.get(i)]);
      }
      rs = executeStore(ps);
    } catch (SQLException e) {
      closeQuietly(ps);
      if (ps == kept) {
        kept = null;
      }
      if (stream) {
        StreamedConnection.giveBack(store);
      }
      throw stopped(e, userSql);
    } finally {
      refresh.unlock();
    }
    final PreparedStatement owned = ps;
    final ResultSet result = rs;
    AutoCloseable release = stream ? () -> {
      running = null;
      try {
        owned.close();
      } finally {
        StreamedConnection.giveBack(store);
      }
    } : result::close; // the kept store statement serves the next execution
    if (stream) {
      running = ps; // a streamed result is still being computed while it is read: cancel() reaches it
    }
    current = new CrmKpiResultSet(this, rs, release, q.columns(), maxRows, maxFieldSize,
        connection.handle().timezone());
    return current;
  }

  /**
   * The store statement for this SQL on the connection's store connection, kept between executions
   * (a prepared statement re-run by a dashboard refresh is not prepared by the store again).
   */
  private PreparedStatement prepared(String storeSql) throws SQLException {
    if (kept != null && storeSql.equals(keptSql)) {
      return kept;
    }
    closeQuietly(kept);
    kept = null;
    kept = connection.store().prepareStatement(storeSql);
    keptSql = storeSql;
    return kept;
  }

  /** Executes under the query timeout, if one is set. */
  private ResultSet executeStore(PreparedStatement ps) throws SQLException {
    stop = Stop.NONE;
    running = ps;
    ScheduledFuture<?> timer = queryTimeout <= 0 ? null
        : Timer.INSTANCE.schedule(() -> interrupt(Stop.TIMEOUT), queryTimeout, TimeUnit.SECONDS);
    try {
      return ps.executeQuery();
    } finally {
      if (timer != null) {
        timer.cancel(false);
      }
      running = null;
    }
  }

  /** Whether a store statement of this statement is running now (tests wait for it). */
  boolean running() {
    return running != null;
  }

  private void interrupt(Stop why) {
    PreparedStatement ps = running;
    if (ps != null) {
      if (stop == Stop.NONE) {
        stop = why; // the first reason wins (a connection close also closes its statements)
      }
      try {
        ps.cancel();
      } catch (SQLException ignored) {
        // the statement ended meanwhile: nothing to stop
      }
    }
  }

  /** A store error, or the timeout / cancel / close that caused it. */
  SQLException stopped(SQLException e, String userSql) {
    Stop why = stop;
    stop = Stop.NONE;
    return switch (why) {
      case TIMEOUT -> new SQLTimeoutException("the statement ran longer than the query timeout of " + queryTimeout
          + " s and was stopped", "57014");
      case CANCEL -> new SQLTimeoutException("the statement was cancelled", "HY008");
      case CLOSE -> new SQLException("the connection was closed while the statement ran", "08003");
      case NONE -> connection.storeError(e, userSql);
    };
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c != null) {
      try {
        c.close();
      } catch (Exception ignored) {
        // already failing: the first error is the one to report
      }
    }
  }

  private void closeCurrent() throws SQLException {
    if (current != null) {
      CrmKpiResultSet rs = current;
      current = null;
      rs.closeQuietly();
    }
  }

  /** Called by a result set of this statement when it closes. */
  void resultClosed(CrmKpiResultSet rs) throws SQLException {
    if (rs == current) {
      current = null;
      if (closeOnCompletion) {
        close();
      }
    }
  }

  /** The connection closes: stop what runs and close. */
  void closeForConnection() {
    interrupt(Stop.CLOSE);
    try {
      close();
    } catch (SQLException ignored) {
      // the connection closes either way
    }
  }

  CompiledQuery compile(String sql) throws SQLException {
    checkOpen();
    return connection.compile(sql);
  }

  // --- Statement

  @Override
  public ResultSet executeQuery(String sql) throws SQLException {
    CompiledQuery q = compile(sql);
    if (q.parameterCount() > 0) {
      throw new SQLException("the statement has " + q.parameterCount() + " parameter(s) (?): use "
          + "prepareStatement", "07001");
    }
    return run(q, sql, new Object[0]);
  }

  @Override
  public boolean execute(String sql) throws SQLException {
    executeQuery(sql);
    return true;
  }

  @Override
  public boolean execute(String sql, int autoGeneratedKeys) throws SQLException {
    return execute(sql);
  }

  @Override
  public boolean execute(String sql, int[] columnIndexes) throws SQLException {
    return execute(sql);
  }

  @Override
  public boolean execute(String sql, String[] columnNames) throws SQLException {
    return execute(sql);
  }

  @Override
  public int executeUpdate(String sql) throws SQLException {
    throw readOnly("executeUpdate");
  }

  @Override
  public int executeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
    throw readOnly("executeUpdate");
  }

  @Override
  public int executeUpdate(String sql, int[] columnIndexes) throws SQLException {
    throw readOnly("executeUpdate");
  }

  @Override
  public int executeUpdate(String sql, String[] columnNames) throws SQLException {
    throw readOnly("executeUpdate");
  }

  @Override
  public long executeLargeUpdate(String sql) throws SQLException {
    throw readOnly("executeLargeUpdate");
  }

  @Override
  public long executeLargeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
    throw readOnly("executeLargeUpdate");
  }

  @Override
  public long executeLargeUpdate(String sql, int[] columnIndexes) throws SQLException {
    throw readOnly("executeLargeUpdate");
  }

  @Override
  public long executeLargeUpdate(String sql, String[] columnNames) throws SQLException {
    throw readOnly("executeLargeUpdate");
  }

  @Override
  public void addBatch(String sql) throws SQLException {
    throw readOnly("addBatch");
  }

  @Override
  public void clearBatch() throws SQLException {
    checkOpen(); // there is never a batch to clear
  }

  @Override
  public int[] executeBatch() throws SQLException {
    throw readOnly("executeBatch");
  }

  @Override
  public long[] executeLargeBatch() throws SQLException {
    throw readOnly("executeLargeBatch");
  }

  static SQLFeatureNotSupportedException readOnly(String what) {
    return new SQLFeatureNotSupportedException("crmkpi connections are read-only: " + what
        + " is not supported; load data through a source (see docs/sources/)", "25006");
  }

  @Override
  public ResultSet getResultSet() throws SQLException {
    checkOpen();
    return current;
  }

  @Override
  public int getUpdateCount() throws SQLException {
    checkOpen();
    return -1; // a query's result is a result set, never a count
  }

  @Override
  public long getLargeUpdateCount() throws SQLException {
    checkOpen();
    return -1;
  }

  @Override
  public boolean getMoreResults() throws SQLException {
    return getMoreResults(CLOSE_CURRENT_RESULT);
  }

  /** One result per statement: there is never a next one; the current closes unless kept. */
  @Override
  public boolean getMoreResults(int what) throws SQLException {
    checkOpen();
    switch (what) {
      case CLOSE_CURRENT_RESULT, CLOSE_ALL_RESULTS -> closeCurrent();
      case KEEP_CURRENT_RESULT -> current = null;
      default -> throw new SQLException("invalid getMoreResults argument " + what, "HY024");
    }
    return false;
  }

  /** Queries generate no keys: an empty result. */
  @Override
  public ResultSet getGeneratedKeys() throws SQLException {
    checkOpen();
    return CrmKpiResultSet.empty(this, List.of(new CompiledQuery.Column("GENERATED_KEY", "VARCHAR",
        java.sql.Types.VARCHAR, -1, -1, true, "", "", "")), connection.handle().timezone());
  }

  // --- limits and hints

  @Override
  public int getMaxRows() throws SQLException {
    checkOpen();
    return (int) Math.min(maxRows, Integer.MAX_VALUE);
  }

  @Override
  public void setMaxRows(int max) throws SQLException {
    setLargeMaxRows(max);
  }

  @Override
  public long getLargeMaxRows() throws SQLException {
    checkOpen();
    return maxRows;
  }

  /** Results stop after {@code max} rows (0: no limit); the store streams so the rest is never computed. */
  @Override
  public void setLargeMaxRows(long max) throws SQLException {
    checkOpen();
    if (max < 0) {
      throw new SQLException("maxRows must be >= 0, was " + max, "HY024");
    }
    maxRows = max;
  }

  @Override
  public int getMaxFieldSize() throws SQLException {
    checkOpen();
    return maxFieldSize;
  }

  /** Character and binary values longer than this are cut (0: no limit), as JDBC says. */
  @Override
  public void setMaxFieldSize(int max) throws SQLException {
    checkOpen();
    if (max < 0) {
      throw new SQLException("maxFieldSize must be >= 0, was " + max, "HY024");
    }
    maxFieldSize = max;
  }

  @Override
  public int getFetchSize() throws SQLException {
    checkOpen();
    return fetchSize;
  }

  /** A hint: any positive value makes results stream from the store instead of being materialised. */
  @Override
  public void setFetchSize(int rows) throws SQLException {
    checkOpen();
    if (rows < 0) {
      throw new SQLException("fetch size must be >= 0, was " + rows, "HY024");
    }
    fetchSize = rows;
  }

  @Override
  public int getFetchDirection() throws SQLException {
    checkOpen();
    return ResultSet.FETCH_FORWARD;
  }

  @Override
  public void setFetchDirection(int direction) throws SQLException {
    checkOpen();
    if (direction != ResultSet.FETCH_FORWARD) {
      throw new SQLException("crmkpi results are forward-only: fetch direction must be FETCH_FORWARD", "HY024");
    }
  }

  @Override
  public int getQueryTimeout() throws SQLException {
    checkOpen();
    return queryTimeout;
  }

  @Override
  public void setQueryTimeout(int seconds) throws SQLException {
    checkOpen();
    if (seconds < 0) {
      throw new SQLException("query timeout must be >= 0, was " + seconds, "HY024");
    }
    queryTimeout = seconds;
  }

  /** Stops the statement running in another thread; it raises {@link SQLTimeoutException} (HY008). */
  @Override
  public void cancel() throws SQLException {
    checkOpen();
    interrupt(Stop.CANCEL);
  }

  /** JDBC escapes are left to the parser (Calcite reads {@code {fn …}}, {@code {d …}}…): nothing to switch. */
  @Override
  public void setEscapeProcessing(boolean enable) throws SQLException {
    checkOpen();
  }

  @Override
  public void setCursorName(String name) throws SQLException {
    throw new SQLFeatureNotSupportedException("crmkpi connections are read-only: no positioned updates, so no "
        + "cursor names", "0A000");
  }

  @Override
  public int getResultSetConcurrency() throws SQLException {
    checkOpen();
    return ResultSet.CONCUR_READ_ONLY;
  }

  @Override
  public int getResultSetType() throws SQLException {
    checkOpen();
    return ResultSet.TYPE_FORWARD_ONLY;
  }

  @Override
  public int getResultSetHoldability() throws SQLException {
    checkOpen();
    return ResultSet.CLOSE_CURSORS_AT_COMMIT;
  }

  @Override
  public SQLWarning getWarnings() throws SQLException {
    checkOpen();
    return warnings;
  }

  @Override
  public void clearWarnings() throws SQLException {
    checkOpen();
    warnings = null;
  }

  @Override
  public Connection getConnection() throws SQLException {
    checkOpen();
    return connection;
  }

  @Override
  public void setPoolable(boolean poolable) throws SQLException {
    checkOpen();
    this.poolable = poolable;
  }

  @Override
  public boolean isPoolable() throws SQLException {
    checkOpen();
    return poolable;
  }

  @Override
  public void closeOnCompletion() throws SQLException {
    checkOpen();
    closeOnCompletion = true;
  }

  @Override
  public boolean isCloseOnCompletion() throws SQLException {
    checkOpen();
    return closeOnCompletion;
  }

  @Override
  public void close() throws SQLException {
    if (closed) {
      return;
    }
    closed = true;
    interrupt(Stop.CANCEL); // a statement closed while it runs in another thread stops
    try {
      closeCurrent();
      closeQuietly(kept);
      kept = null;
    } finally {
      connection.forget(this);
    }
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  // --- quoting, as JDBC 4.3 specifies it for a driver whose identifier quote is "

  @Override
  public String enquoteLiteral(String val) throws SQLException {
    return "'" + val.replace("'", "''") + "'";
  }

  @Override
  public String enquoteNCharLiteral(String val) throws SQLException {
    return "N'" + val.replace("'", "''") + "'";
  }

  @Override
  public String enquoteIdentifier(String identifier, boolean alwaysQuote) throws SQLException {
    int n = identifier.length();
    if (n < 1 || n > 128) {
      throw new SQLException("identifier length must be 1..128: " + n, "42000");
    }
    if (!alwaysQuote && isSimpleIdentifier(identifier)) {
      return identifier;
    }
    if (n > 1 && identifier.startsWith("\"") && identifier.endsWith("\"")) {
      if (identifier.substring(1, n - 1).contains("\"")) {
        throw new SQLException("invalid quoted identifier: " + identifier, "42000");
      }
      return identifier;
    }
    if (identifier.contains("\"") || identifier.contains("\0")) {
      throw new SQLException("invalid identifier: " + identifier, "42000");
    }
    return "\"" + identifier + "\"";
  }

  @Override
  public boolean isSimpleIdentifier(String identifier) throws SQLException {
    return SIMPLE_IDENTIFIER.matcher(identifier).matches();
  }

  /** Only crmkpi's own objects: never the store's statement. */
  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface != null && iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException("a crmkpi statement wraps no " + (iface == null ? "null" : iface.getName()), "HY000");
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface != null && iface.isInstance(this);
  }

  @Override
  public String toString() {
    return getClass().getSimpleName();
  }
}
