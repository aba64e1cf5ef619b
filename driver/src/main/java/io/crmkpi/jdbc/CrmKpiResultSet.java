package io.crmkpi.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;

/**
 * The store's result set, answering {@code getStatement()} with the crmkpi statement, labelling
 * columns with the names Calcite validated (the user's aliases, {@code EXPR$0}…), and filling in
 * the JDBC 4.2 typed getters ({@code getObject(i, LocalDateTime.class)} …) that BI tools use.
 */
final class CrmKpiResultSet implements InvocationHandler {

  private final ResultSet store;
  private final Statement statement;
  private final List<String> labels;

  private CrmKpiResultSet(ResultSet store, Statement statement, List<String> labels) {
    this.store = store;
    this.statement = statement;
    this.labels = labels;
  }

  static ResultSet wrap(ResultSet store, Statement statement, List<String> labels) {
    return (ResultSet) Proxy.newProxyInstance(Driver.class.getClassLoader(), new Class<?>[] {ResultSet.class},
        new CrmKpiResultSet(store, statement, labels));
  }

  @Override
  public Object invoke(Object p, Method m, Object[] args) throws Throwable {
    switch (m.getName()) {
      case "getStatement":
        return statement;
      case "unwrap":
        return ((Class<?>) args[0]).isInstance(p) ? p : store.unwrap((Class<?>) args[0]);
      case "isWrapperFor":
        return ((Class<?>) args[0]).isInstance(p) || store.isWrapperFor((Class<?>) args[0]);
      case "hashCode":
        return System.identityHashCode(p);
      case "equals":
        return p == args[0];
      case "toString":
        return "CrmKpiResultSet";
      case "findColumn":
        return findColumn((String) args[0]);
      case "getMetaData":
        return labelled(store.getMetaData());
      case "getObject":
        if (args.length == 2 && args[1] instanceof Class<?> type) {
          int index = args[0] instanceof Integer i ? i : findColumn((String) args[0]);
          return typed(index, type);
        }
        break;
      default:
        break;
    }
    if (args != null && args.length > 0 && args[0] instanceof String label && m.getName().matches("(get|update).*")) {
      Class<?>[] types = m.getParameterTypes().clone();
      types[0] = int.class;
      Object[] a = args.clone();
      a[0] = findColumn(label);
      return CrmKpiConnection.call(store, ResultSet.class.getMethod(m.getName(), types), a);
    }
    return CrmKpiConnection.call(store, m, args);
  }

  private int findColumn(String label) throws SQLException {
    for (int i = 0; i < labels.size(); i++) {
      if (labels.get(i).equalsIgnoreCase(label)) {
        return i + 1;
      }
    }
    return store.findColumn(label);
  }

  private ResultSetMetaData labelled(ResultSetMetaData md) throws SQLException {
    if (labels.size() != md.getColumnCount()) {
      return md;
    }
    return (ResultSetMetaData) Proxy.newProxyInstance(Driver.class.getClassLoader(),
        new Class<?>[] {ResultSetMetaData.class}, (p, m, a) -> switch (m.getName()) {
          case "getColumnLabel", "getColumnName" -> labels.get((Integer) a[0] - 1);
          case "unwrap" -> ((Class<?>) a[0]).isInstance(p) ? p : md.unwrap((Class<?>) a[0]);
          case "isWrapperFor" -> ((Class<?>) a[0]).isInstance(p);
          default -> CrmKpiConnection.call(md, m, a);
        });
  }

  /** JDBC 4.2 conversions, computed from the plain getters so they work for every store type. */
  private Object typed(int i, Class<?> type) throws SQLException {
    Object v = store.getObject(i);
    if (v == null) {
      return null;
    }
    if (type.isInstance(v)) {
      return v;
    }
    if (type == LocalDateTime.class) {
      if (v instanceof OffsetDateTime o) {
        return o.atZoneSameInstant(ZoneId.systemDefault()).toLocalDateTime();
      }
      if (v instanceof LocalDate d) {
        return d.atStartOfDay();
      }
      Timestamp t = store.getTimestamp(i);
      return t == null ? null : t.toLocalDateTime();
    }
    if (type == LocalDate.class) {
      if (v instanceof LocalDateTime t) {
        return t.toLocalDate();
      }
      java.sql.Date d = store.getDate(i);
      return d == null ? null : d.toLocalDate();
    }
    if (type == LocalTime.class) {
      if (v instanceof LocalDateTime t) {
        return t.toLocalTime();
      }
      java.sql.Time t = store.getTime(i);
      return t == null ? null : t.toLocalTime();
    }
    if (type == OffsetDateTime.class) {
      LocalDateTime t = (LocalDateTime) typed(i, LocalDateTime.class);
      return t.atZone(ZoneId.systemDefault()).toOffsetDateTime();
    }
    if (type == BigDecimal.class) {
      return v instanceof Number num ? new BigDecimal(num.toString()) : new BigDecimal(v.toString());
    }
    if (type == Double.class) {
      return ((Number) v).doubleValue();
    }
    if (type == Long.class) {
      return ((Number) v).longValue();
    }
    if (type == Integer.class) {
      return ((Number) v).intValue();
    }
    if (type == String.class) {
      return store.getString(i);
    }
    return store.getObject(i, type);
  }

  List<String> labels() {
    return labels;
  }
}
