package io.crmkpi.jdbc;

import io.crmkpi.jdbc.catalog.StoreCatalog;
import io.crmkpi.jdbc.sql.CompiledQuery;
import io.crmkpi.metrics.MetricSettings;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * A crmkpi connection: one pooled store connection plus the catalog that compiles statements for
 * it. Statements are compiled by Calcite and executed whole by the store. The connection is
 * read-only; transaction and session settings BI tools send are accepted and remembered.
 */
final class CrmKpiConnection implements InvocationHandler {

  private final ConnectionConfig config;
  private final StoreHandle handle;
  private final StoreCatalog catalog;
  private final Connection store;
  private final List<String> secrets;
  private Connection proxy;
  private boolean closed;
  private boolean autoCommit = true;
  private int isolation = Connection.TRANSACTION_READ_COMMITTED;
  private int holdability = java.sql.ResultSet.CLOSE_CURSORS_AT_COMMIT;
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
      Connection store = handle.pool().getConnection();
      CrmKpiConnection c = new CrmKpiConnection(config, handle, catalog, store);
      c.proxy = (Connection) Proxy.newProxyInstance(Driver.class.getClassLoader(),
          new Class<?>[] {Connection.class}, c);
      catalog.startWarmUp();
      return c.proxy;
    } catch (SQLException | RuntimeException e) {
      StoreRegistry.release(config, handle);
      throw e;
    }
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

  Connection proxy() {
    return proxy;
  }

  /** Compiles a statement, with errors that name no secret. */
  CompiledQuery compile(String sql) throws SQLException {
    checkOpen();
    try (StoreCatalog.Activity busy = foreground()) {
      return catalog.compiler().compile(sql);
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

  void checkOpen() throws SQLException {
    if (closed) {
      throw new SQLException("connection is closed", "08003");
    }
  }

  @Override
  public Object invoke(Object p, Method m, Object[] args) throws Throwable {
    String name = m.getName();
    switch (name) {
      case "close":
        if (!closed) {
          closed = true;
          try {
            store.close();
          } finally {
            StoreRegistry.release(config, handle);
          }
        }
        return null;
      case "isClosed":
        return closed;
      case "isValid":
        return !closed;
      case "toString":
        return "CrmKpiConnection[" + config.maskedUrl() + "]";
      case "hashCode":
        return System.identityHashCode(p);
      case "equals":
        return p == args[0];
      case "unwrap":
        return unwrap((Class<?>) args[0]);
      case "isWrapperFor":
        return ((Class<?>) args[0]).isInstance(p) || ((Class<?>) args[0]).isInstance(store)
            || store.isWrapperFor((Class<?>) args[0]);
      default:
        break;
    }
    checkOpen();
    switch (name) {
      case "createStatement":
        return CrmKpiStatement.create(this, (Statement) call(store, m, args), null);
      case "prepareStatement": {
        if (args.length > 1 && !(args[1] instanceof Integer && args.length >= 3)) {
          // prepareStatement(sql, autoGeneratedKeys | columnIndexes | columnNames): queries only
          return prepare((String) args[0], new Object[] {args[0]});
        }
        return prepare((String) args[0], args);
      }
      case "prepareCall":
        throw new SQLFeatureNotSupportedException("stored procedures are not supported");
      case "nativeSQL":
        return compile((String) args[0]).storeSql();
      case "getMetaData":
        return CrmKpiDatabaseMetaData.create(this, store.getMetaData());
      case "setAutoCommit":
        autoCommit = (Boolean) args[0];
        return null;
      case "getAutoCommit":
        return autoCommit;
      case "commit":
      case "rollback":
      case "releaseSavepoint":
        return null;
      case "setReadOnly":
        return null;
      case "isReadOnly":
        return true;
      case "setTransactionIsolation":
        isolation = (Integer) args[0];
        return null;
      case "getTransactionIsolation":
        return isolation;
      case "setHoldability":
        holdability = (Integer) args[0];
        return null;
      case "getHoldability":
        return holdability;
      case "setSchema":
        schema = (String) args[0];
        return null;
      case "getSchema":
        return schema;
      case "setCatalog":
        return null;
      case "getCatalog":
        return null;
      case "getWarnings":
        collectWarnings();
        return warnings;
      case "clearWarnings":
        warnings = null;
        return null;
      case "setClientInfo":
        if (args.length == 1) {
          clientInfo.putAll((Properties) args[0]);
        } else if (args[1] != null) {
          clientInfo.setProperty((String) args[0], (String) args[1]);
        }
        return null;
      case "getClientInfo":
        return args == null || args.length == 0 ? clientInfo : clientInfo.getProperty((String) args[0]);
      case "setNetworkTimeout":
      case "abort":
        return null;
      case "getNetworkTimeout":
        return 0;
      default:
        return call(store, m, args);
    }
  }

  private Object prepare(String sql, Object[] args) throws SQLException {
    CompiledQuery q = compile(sql);
    Object[] storeArgs = Arrays.copyOf(args, args.length);
    storeArgs[0] = q.storeSql();
    PreparedStatement ps;
    try {
      ps = switch (storeArgs.length) {
        case 1 -> store.prepareStatement(q.storeSql());
        case 3 -> store.prepareStatement(q.storeSql(), (Integer) storeArgs[1], (Integer) storeArgs[2]);
        default -> store.prepareStatement(q.storeSql(), (Integer) storeArgs[1], (Integer) storeArgs[2],
            (Integer) storeArgs[3]);
      };
    } catch (SQLException e) {
      throw storeError(e, sql);
    }
    return CrmKpiStatement.create(this, ps, q);
  }

  /** A store error, reworded to name the user's statement rather than the generated one. */
  SQLException storeError(SQLException e, String userSql) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    return mask(new SQLException("the store could not run the statement: " + m.lines().findFirst().orElse(m)
        + " (statement: " + abbreviate(userSql) + ")", e.getSQLState() == null ? "HY000" : e.getSQLState()));
  }

  private static String abbreviate(String sql) {
    String s = sql.replaceAll("\\s+", " ").trim();
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }

  private Object unwrap(Class<?> iface) throws SQLException {
    if (iface.isInstance(proxy)) {
      return proxy;
    }
    if (iface.isInstance(store)) {
      return store;
    }
    // the pooled store connection is a pool proxy: ask it for the DuckDB connection underneath
    if (store.isWrapperFor(iface)) {
      return store.unwrap(iface);
    }
    throw new SQLException("not a wrapper for " + iface.getName());
  }

  static Object call(Object target, Method m, Object[] args) throws Throwable {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
