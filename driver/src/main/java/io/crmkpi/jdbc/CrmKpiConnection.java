package io.crmkpi.jdbc;

import io.crmkpi.jdbc.catalog.StoreCatalog;
import io.crmkpi.jdbc.sql.CompiledQuery;
import io.crmkpi.metrics.MetricSettings;
import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.ClientInfoStatus;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.ShardingKey;
import java.sql.Statement;
import java.sql.Struct;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * A crmkpi connection: one pooled store connection plus the catalog that compiles statements for
 * it. Statements are compiled by Calcite and executed whole by the store; the store connection is
 * never handed out. The connection is read-only and has no transactions: every statement sees the
 * store as it was when the statement started (one consistent snapshot); see {@link #ISOLATION}.
 */
final class CrmKpiConnection implements Connection {

  /**
   * What the connection reports: statements are read-only and each reads one snapshot of the store
   * (DuckDB's MVCC); nothing is written, so no isolation anomaly can be observed across statements
   * except newer data after a refresh. READ_COMMITTED says exactly that, and it is the only level
   * accepted (DatabaseMetaData must answer the same: default READ_COMMITTED, supports only it).
   */
  static final int ISOLATION = Connection.TRANSACTION_READ_COMMITTED;

  private final ConnectionConfig config;
  private final StoreHandle handle;
  private final StoreCatalog catalog;
  private final Connection store;
  private final List<String> secrets;
  private final Set<CrmKpiStatement> statements = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;
  private boolean autoCommit = true;
  private String schema;
  private final Properties clientInfo = new Properties();
  private SQLWarning warnings;
  /** How many of the catalog's problems this connection has turned into warnings. */
  private int reportedProblems;

  private CrmKpiConnection(ConnectionConfig config, StoreHandle handle, StoreCatalog catalog, Connection store) {
    this.config = config;
    this.handle = handle;
    this.catalog = catalog;
    this.store = store;
    this.secrets = StoreRegistry.secretValues(config);
    collectWarnings();
  }

  static Connection open(ConnectionConfig config) throws SQLException {
    MetricSettings settings;
    try {
      settings = MetricSettings.from(config.properties());
    } catch (IllegalArgumentException e) {
      throw new SQLException(e.getMessage(), "08001");
    }
    StoreHandle handle = StoreRegistry.acquire(config);
    try {
      StoreCatalog catalog = handle.catalog(settings, config.properties());
      String schema = config.property("schema", null);
      if (schema != null && catalog.compiler().schemaName(schema).isEmpty()) {
        throw new SQLException("URL option schema=" + schema + " names no schema; schemas: crm, kpi, util", "08001");
      }
      Connection store = handle.pool().getConnection();
      CrmKpiConnection c = new CrmKpiConnection(config, handle, catalog, store);
      c.schema = schema == null ? null : catalog.compiler().schemaName(schema).get();
      catalog.startWarmUp();
      return c;
    } catch (SQLException | RuntimeException e) {
      StoreRegistry.release(config, handle);
      throw e;
    }
  }

  /** The catalog's problems not reported yet (views derived on first use add theirs later). */
  private void collectWarnings() {
    List<String> problems = catalog.problems();
    for (String problem : problems.subList(Math.min(reportedProblems, problems.size()), problems.size())) {
      SQLWarning w = new SQLWarning(problem, "01000");
      if (warnings == null) {
        warnings = w;
      } else {
        warnings.setNextWarning(w);
      }
    }
    reportedProblems = problems.size();
  }

  ConnectionConfig config() {
    return config;
  }

  StoreCatalog catalog() {
    return catalog;
  }

  StoreHandle handle() {
    return handle;
  }

  /** This connection as callers see it (metadata's getConnection). */
  Connection proxy() {
    return this;
  }

  /** The store connection: for this connection's statements only, never handed out. */
  Connection store() {
    return store;
  }

  /** Compiles a statement in the session's schema, with errors that name no secret. */
  CompiledQuery compile(String sql) throws SQLException {
    checkOpen();
    if (sql == null) {
      throw new SQLException("no SQL text (null)", "42000");
    }
    try (StoreCatalog.Activity busy = foreground()) {
      return catalog.compiler().compile(sql, schema);
    } catch (SQLException e) {
      throw mask(e);
    }
  }

  /** A user statement at work: background catalog warm-up waits until it is done. */
  StoreCatalog.Activity foreground() {
    return catalog.foreground();
  }

  SQLException mask(SQLException e) {
    String m = Secrets.mask(e.getMessage(), secrets);
    if (m != null && m.equals(e.getMessage())) {
      return e;
    }
    return new SQLException(m, e.getSQLState(), e.getErrorCode());
  }

  /** A store error, reworded to name the user's statement rather than the generated one. */
  SQLException storeError(SQLException e, String userSql) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    String first = m.lines().findFirst().orElse(m);
    // DuckDB gives no SQLSTATE; a zero divisor met in the data is the standard's 22012, as at compile time
    String state = e.getSQLState() != null ? e.getSQLState()
        : first.toLowerCase(java.util.Locale.ROOT).contains("division by zero") ? "22012" : "HY000";
    return mask(new SQLException("the store could not run the statement: " + first
        + " (statement: " + abbreviate(userSql) + ")", state));
  }

  private static String abbreviate(String sql) {
    String s = sql.replaceAll("\\s+", " ").trim();
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }

  void checkOpen() throws SQLException {
    if (closed) {
      throw new SQLException("connection is closed", "08003");
    }
  }

  void forget(CrmKpiStatement s) {
    statements.remove(s);
  }

  private <T extends CrmKpiStatement> T track(T s) {
    statements.add(s);
    return s;
  }

  /** Result set type and concurrency: only forward-only read-only cursors; others are downgraded with a warning. */
  private void addWarning(SQLWarning w) {
    if (warnings == null) {
      warnings = w;
    } else {
      warnings.setNextWarning(w);
    }
  }

  private SQLWarning cursorWarning(int type, int concurrency, int holdability) throws SQLException {
    checkCursor(type, concurrency, holdability);
    if (type == ResultSet.TYPE_FORWARD_ONLY) {
      return null;
    }
    SQLWarning w = new SQLWarning("crmkpi results are forward-only: the requested "
        + (type == ResultSet.TYPE_SCROLL_INSENSITIVE ? "TYPE_SCROLL_INSENSITIVE" : "TYPE_SCROLL_SENSITIVE")
        + " result set type is TYPE_FORWARD_ONLY", "01000");
    addWarning(w);
    return w;
  }

  private static void checkCursor(int type, int concurrency, int holdability) throws SQLException {
    if (type != ResultSet.TYPE_FORWARD_ONLY && type != ResultSet.TYPE_SCROLL_INSENSITIVE
        && type != ResultSet.TYPE_SCROLL_SENSITIVE) {
      throw new SQLException("invalid result set type " + type, "HY024");
    }
    if (concurrency == ResultSet.CONCUR_UPDATABLE) {
      throw new SQLFeatureNotSupportedException("crmkpi connections are read-only: CONCUR_UPDATABLE is not "
          + "supported", "0A000");
    }
    if (concurrency != ResultSet.CONCUR_READ_ONLY) {
      throw new SQLException("invalid result set concurrency " + concurrency, "HY024");
    }
    checkHoldability(holdability);
  }

  private static void checkHoldability(int holdability) throws SQLException {
    if (holdability != ResultSet.HOLD_CURSORS_OVER_COMMIT && holdability != ResultSet.CLOSE_CURSORS_AT_COMMIT) {
      throw new SQLException("invalid holdability " + holdability, "HY024");
    }
  }

  // --- statements

  @Override
  public Statement createStatement() throws SQLException {
    checkOpen();
    return track(new CrmKpiStatement(this, null));
  }

  @Override
  public Statement createStatement(int type, int concurrency) throws SQLException {
    return createStatement(type, concurrency, getHoldability());
  }

  @Override
  public Statement createStatement(int type, int concurrency, int holdability) throws SQLException {
    checkOpen();
    return track(new CrmKpiStatement(this, cursorWarning(type, concurrency, holdability)));
  }

  @Override
  public PreparedStatement prepareStatement(String sql) throws SQLException {
    checkOpen();
    return track(CrmKpiPreparedStatement.prepare(this, sql, null));
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int type, int concurrency) throws SQLException {
    return prepareStatement(sql, type, concurrency, getHoldability());
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int type, int concurrency, int holdability)
      throws SQLException {
    checkOpen();
    return track(CrmKpiPreparedStatement.prepare(this, sql, cursorWarning(type, concurrency, holdability)));
  }

  /** Queries generate no keys: the key request is accepted and {@code getGeneratedKeys} is empty. */
  @Override
  public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
    if (autoGeneratedKeys != Statement.RETURN_GENERATED_KEYS && autoGeneratedKeys != Statement.NO_GENERATED_KEYS) {
      throw new SQLException("invalid autoGeneratedKeys " + autoGeneratedKeys, "HY024");
    }
    return prepareStatement(sql);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
    return prepareStatement(sql);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
    return prepareStatement(sql);
  }

  @Override
  public CallableStatement prepareCall(String sql) throws SQLException {
    throw noProcedures();
  }

  @Override
  public CallableStatement prepareCall(String sql, int type, int concurrency) throws SQLException {
    throw noProcedures();
  }

  @Override
  public CallableStatement prepareCall(String sql, int type, int concurrency, int holdability) throws SQLException {
    throw noProcedures();
  }

  private static SQLFeatureNotSupportedException noProcedures() {
    return new SQLFeatureNotSupportedException("crmkpi has no stored procedures: run queries (SELECT, WITH, "
        + "VALUES)", "0A000");
  }

  /** The statement the store would run for this SQL (Calcite's compilation). */
  @Override
  public String nativeSQL(String sql) throws SQLException {
    return compile(sql).storeSql();
  }

  // --- transactions: none (read-only); the answers BI tools expect

  @Override
  public void setAutoCommit(boolean autoCommit) throws SQLException {
    checkOpen();
    this.autoCommit = autoCommit;
  }

  @Override
  public boolean getAutoCommit() throws SQLException {
    checkOpen();
    return autoCommit;
  }

  /** Nothing is ever written: commit and rollback have nothing to do. */
  @Override
  public void commit() throws SQLException {
    checkOpen();
  }

  @Override
  public void rollback() throws SQLException {
    checkOpen();
  }

  @Override
  public Savepoint setSavepoint() throws SQLException {
    throw noSavepoints();
  }

  @Override
  public Savepoint setSavepoint(String name) throws SQLException {
    throw noSavepoints();
  }

  @Override
  public void rollback(Savepoint savepoint) throws SQLException {
    throw noSavepoints();
  }

  @Override
  public void releaseSavepoint(Savepoint savepoint) throws SQLException {
    throw noSavepoints();
  }

  private static SQLFeatureNotSupportedException noSavepoints() {
    return new SQLFeatureNotSupportedException("crmkpi connections are read-only: savepoints are not supported",
        "0A000");
  }

  /** Read-only always: {@code setReadOnly(false)} is accepted (tools send it) and changes nothing. */
  @Override
  public void setReadOnly(boolean readOnly) throws SQLException {
    checkOpen();
  }

  @Override
  public boolean isReadOnly() throws SQLException {
    checkOpen();
    return true;
  }

  /**
   * Only {@link #ISOLATION}. JDBC lets a driver substitute a more restrictive level: a request for
   * READ_UNCOMMITTED (Metabase sends it) gets READ_COMMITTED silently; REPEATABLE_READ or SERIALIZABLE
   * get READ_COMMITTED with a warning (each statement reads one snapshot, a session does not).
   */
  @Override
  public void setTransactionIsolation(int level) throws SQLException {
    checkOpen();
    switch (level) {
      case TRANSACTION_READ_UNCOMMITTED, TRANSACTION_READ_COMMITTED -> {
      }
      case TRANSACTION_REPEATABLE_READ, TRANSACTION_SERIALIZABLE -> addWarning(new SQLWarning("crmkpi connections "
          + "are read-only with isolation READ_COMMITTED (each statement reads one snapshot); the requested level "
          + level + " is not used", "01000"));
      default -> throw new SQLException("invalid transaction isolation level " + level + " (TRANSACTION_NONE "
          + "cannot be set)", "HY024");
    }
  }

  @Override
  public int getTransactionIsolation() throws SQLException {
    checkOpen();
    return ISOLATION;
  }

  /** Results are not held over commits (there are none): CLOSE_CURSORS_AT_COMMIT, fixed. */
  @Override
  public void setHoldability(int holdability) throws SQLException {
    checkOpen();
    checkHoldability(holdability);
  }

  @Override
  public int getHoldability() throws SQLException {
    checkOpen();
    return ResultSet.CLOSE_CURSORS_AT_COMMIT;
  }

  // --- session

  /** Unqualified names resolve in this schema first (also the URL option {@code schema=}). */
  @Override
  public void setSchema(String schema) throws SQLException {
    checkOpen();
    if (schema == null) {
      this.schema = null;
      return;
    }
    this.schema = catalog.compiler().schemaName(schema).orElseThrow(
        () -> new SQLException("unknown schema '" + schema + "'; schemas: crm, kpi, util", "3F000"));
  }

  @Override
  public String getSchema() throws SQLException {
    checkOpen();
    return schema;
  }

  /** There are no catalogs (metadata reports TABLE_CAT null): the name is ignored. */
  @Override
  public void setCatalog(String catalog) throws SQLException {
    checkOpen();
  }

  @Override
  public String getCatalog() throws SQLException {
    checkOpen();
    return null;
  }

  @Override
  public SQLWarning getWarnings() throws SQLException {
    checkOpen();
    collectWarnings();
    return warnings;
  }

  @Override
  public void clearWarnings() throws SQLException {
    checkOpen();
    collectWarnings();
    warnings = null;
  }

  @Override
  public Map<String, Class<?>> getTypeMap() throws SQLException {
    checkOpen();
    return Map.of();
  }

  @Override
  public void setTypeMap(Map<String, Class<?>> map) throws SQLException {
    throw new SQLFeatureNotSupportedException("crmkpi has no user-defined types to map", "0A000");
  }

  /** Kept for the tool that sets it (ApplicationName…); crmkpi does not use it. */
  @Override
  public void setClientInfo(String name, String value) throws SQLClientInfoException {
    if (closed) {
      throw new SQLClientInfoException("connection is closed", "08003", Map.of(name, ClientInfoStatus.REASON_UNKNOWN));
    }
    if (value == null) {
      clientInfo.remove(name);
    } else {
      clientInfo.setProperty(name, value);
    }
  }

  @Override
  public void setClientInfo(Properties properties) throws SQLClientInfoException {
    if (closed) {
      throw new SQLClientInfoException("connection is closed", "08003", Map.of());
    }
    clientInfo.clear();
    clientInfo.putAll(properties);
  }

  @Override
  public String getClientInfo(String name) throws SQLException {
    checkOpen();
    return clientInfo.getProperty(name);
  }

  @Override
  public Properties getClientInfo() throws SQLException {
    checkOpen();
    Properties copy = new Properties();
    copy.putAll(clientInfo);
    return copy;
  }

  @Override
  public DatabaseMetaData getMetaData() throws SQLException {
    checkOpen();
    return CrmKpiDatabaseMetaData.create(this, store.getMetaData());
  }

  // --- values the driver could create: crmkpi takes parameters as plain Java values

  @Override
  public Clob createClob() throws SQLException {
    throw noLobs("Clob");
  }

  @Override
  public Blob createBlob() throws SQLException {
    throw noLobs("Blob");
  }

  @Override
  public NClob createNClob() throws SQLException {
    throw noLobs("NClob");
  }

  @Override
  public SQLXML createSQLXML() throws SQLException {
    throw noLobs("SQLXML");
  }

  @Override
  public Array createArrayOf(String typeName, Object[] elements) throws SQLException {
    throw noLobs("Array");
  }

  @Override
  public Struct createStruct(String typeName, Object[] attributes) throws SQLException {
    throw noLobs("Struct");
  }

  private static SQLFeatureNotSupportedException noLobs(String what) {
    return new SQLFeatureNotSupportedException("crmkpi does not create " + what + " values: pass a String, "
        + "number or date to setObject", "0A000");
  }

  // --- life cycle

  @Override
  public boolean isValid(int timeout) throws SQLException {
    if (timeout < 0) {
      throw new SQLException("timeout must be >= 0, was " + timeout, "HY024");
    }
    return !closed;
  }

  /**
   * Cancels what runs (the store stops at its next check: a close does not wait for a long query),
   * then gives the store connection back to the pool.
   */
  @Override
  public void close() throws SQLException {
    if (closed) {
      return;
    }
    closed = true;
    release();
  }

  private void release() throws SQLException {
    try {
      for (CrmKpiStatement s : List.copyOf(statements)) {
        s.closeForConnection();
      }
      store.close();
    } finally {
      StoreRegistry.release(config, handle);
    }
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  /** Closed at once for callers; what runs is stopped and the store connection given back on the executor. */
  @Override
  public void abort(Executor executor) throws SQLException {
    if (executor == null) {
      throw new SQLException("abort needs an executor", "HY009");
    }
    if (!closed) {
      closed = true;
      executor.execute(() -> {
        try {
          release();
        } catch (SQLException ignored) {
          // abort: the connection is unusable either way
        }
      });
    }
  }

  /** Statements have their own timeouts ({@code setQueryTimeout}); there is no network. */
  @Override
  public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
    checkOpen();
    if (milliseconds < 0) {
      throw new SQLException("timeout must be >= 0, was " + milliseconds, "HY024");
    }
  }

  @Override
  public int getNetworkTimeout() throws SQLException {
    checkOpen();
    return 0;
  }

  /** Request boundaries (pools call them): nothing is kept per request. */
  @Override
  public void beginRequest() throws SQLException {
    checkOpen();
  }

  @Override
  public void endRequest() throws SQLException {
    checkOpen();
  }

  @Override
  public boolean setShardingKeyIfValid(ShardingKey shardingKey, ShardingKey superShardingKey, int timeout)
      throws SQLException {
    throw noSharding();
  }

  @Override
  public boolean setShardingKeyIfValid(ShardingKey shardingKey, int timeout) throws SQLException {
    throw noSharding();
  }

  @Override
  public void setShardingKey(ShardingKey shardingKey, ShardingKey superShardingKey) throws SQLException {
    throw noSharding();
  }

  @Override
  public void setShardingKey(ShardingKey shardingKey) throws SQLException {
    throw noSharding();
  }

  private static SQLFeatureNotSupportedException noSharding() {
    return new SQLFeatureNotSupportedException("crmkpi is not sharded", "0A000");
  }

  /** Only crmkpi's own objects: never the store's connection. */
  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface != null && iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException("a crmkpi connection wraps no " + (iface == null ? "null" : iface.getName()), "HY000");
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface != null && iface.isInstance(this);
  }

  @Override
  public String toString() {
    return "CrmKpiConnection[" + config.maskedUrl() + "]";
  }

}
