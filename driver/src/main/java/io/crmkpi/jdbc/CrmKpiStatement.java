package io.crmkpi.jdbc;

import io.crmkpi.jdbc.catalog.StoreCatalog;
import io.crmkpi.jdbc.sql.CompiledQuery;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.locks.Lock;

/**
 * A Statement or PreparedStatement: user SQL is compiled by the catalog and the store statement
 * runs the result. For prepared statements, parameter indexes are mapped from the user's
 * {@code ?} order to the compiled statement's, which may differ or repeat.
 */
final class CrmKpiStatement implements InvocationHandler {

  private final CrmKpiConnection connection;
  private final Statement store;
  private final CompiledQuery prepared;
  private Statement proxy;
  private ResultSet current;
  private String lastSql;

  private CrmKpiStatement(CrmKpiConnection connection, Statement store, CompiledQuery prepared) {
    this.connection = connection;
    this.store = store;
    this.prepared = prepared;
  }

  static Statement create(CrmKpiConnection connection, Statement store, CompiledQuery prepared) {
    CrmKpiStatement h = new CrmKpiStatement(connection, store, prepared);
    Class<?> iface = prepared == null ? Statement.class : PreparedStatement.class;
    h.proxy = (Statement) Proxy.newProxyInstance(Driver.class.getClassLoader(), new Class<?>[] {iface}, h);
    return h.proxy;
  }

  @Override
  public Object invoke(Object p, Method m, Object[] args) throws Throwable {
    String name = m.getName();
    int n = args == null ? 0 : args.length;
    switch (name) {
      case "getConnection":
        return connection.proxy();
      case "toString":
        return "CrmKpiStatement";
      case "hashCode":
        return System.identityHashCode(p);
      case "equals":
        return p == args[0];
      case "unwrap":
        if (((Class<?>) args[0]).isInstance(p)) {
          return p;
        }
        return store.unwrap((Class<?>) args[0]);
      case "isWrapperFor":
        return ((Class<?>) args[0]).isInstance(p) || store.isWrapperFor((Class<?>) args[0]);
      case "getResultSet":
        return current;
      case "executeUpdate":
      case "executeLargeUpdate":
      case "addBatch":
      case "executeBatch":
      case "executeLargeBatch":
        throw new SQLFeatureNotSupportedException("crmkpi connections are read-only: " + name
            + " is not supported; load data through a source (see docs/sources/)", "25006");
      case "getUpdateCount":
        return current == null ? -1 : -1;
      case "getLargeUpdateCount":
        return -1L;
      case "getMoreResults":
        if (current != null) {
          current.close();
          current = null;
        }
        return false;
      default:
        break;
    }
    if (prepared == null) {
      if ((name.equals("executeQuery") || name.equals("execute")) && n >= 1 && args[0] instanceof String sql) {
        CompiledQuery q = connection.compile(sql);
        lastSql = sql;
        ResultSet rs;
        Lock refresh = connection.handle().refreshLock().readLock();
        refresh.lock(); // a refresh of the store runs whole before or after this statement
        try (StoreCatalog.Activity busy = connection.foreground()) {
          rs = store.executeQuery(q.storeSql());
        } catch (SQLException e) {
          throw connection.storeError(e, sql);
        } finally {
          refresh.unlock();
        }
        current = CrmKpiResultSet.wrap(rs, proxy, q.columnNames());
        return name.equals("execute") ? Boolean.TRUE : current;
      }
    } else {
      if ((name.equals("executeQuery") || name.equals("execute")) && n == 0) {
        ResultSet rs;
        Lock refresh = connection.handle().refreshLock().readLock();
        refresh.lock();
        try (StoreCatalog.Activity busy = connection.foreground()) {
          rs = ((PreparedStatement) store).executeQuery();
        } catch (SQLException e) {
          throw connection.storeError(e, prepared.storeSql());
        } finally {
          refresh.unlock();
        }
        current = CrmKpiResultSet.wrap(rs, proxy, prepared.columnNames());
        return name.equals("execute") ? Boolean.TRUE : current;
      }
      if ((name.equals("executeQuery") || name.equals("execute")) && n >= 1) {
        throw new SQLException(name + "(String) cannot be called on a PreparedStatement", "HY000");
      }
      if (name.startsWith("set") && n >= 2 && m.getParameterTypes()[0] == int.class) {
        setParameter(m, args);
        return null;
      }
    }
    return CrmKpiConnection.call(store, m, args);
  }

  /** Calls the setter once for each place the user's parameter appears in the compiled statement. */
  private void setParameter(Method m, Object[] args) throws Throwable {
    int user = (Integer) args[0] - 1;
    if (user < 0 || user >= prepared.parameterCount()) {
      throw new SQLException("parameter index " + (user + 1) + " is out of range 1.." + prepared.parameterCount(),
          "07009");
    }
    List<Integer> order = prepared.paramOrder();
    for (int i = 0; i < order.size(); i++) {
      if (order.get(i) == user) {
        Object[] a = args.clone();
        a[0] = i + 1;
        CrmKpiConnection.call(store, m, a);
      }
    }
  }

  String lastSql() {
    return lastSql;
  }
}
