package io.crmkpi.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.sql.Connection;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every method of the JDBC interfaces crmkpi implements is written out by crmkpi's class (or its own
 * read-only base): none is left to an interface default, and none to a forward to the store.
 */
class JdbcSurfaceTest {

  private static final Map<Class<?>, Class<?>> IMPLEMENTATIONS = Map.of(
      Connection.class, CrmKpiConnection.class,
      Statement.class, CrmKpiStatement.class,
      PreparedStatement.class, CrmKpiPreparedStatement.class,
      ResultSet.class, CrmKpiResultSet.class,
      ResultSetMetaData.class, CrmKpiResultSetMetaData.class,
      ParameterMetaData.class, CrmKpiParameterMetaData.class);

  /** The concrete method that runs for {@code m}, looked up in crmkpi's classes only. */
  private static Method declared(Class<?> impl, Method m) {
    for (Class<?> c = impl; c != null && c.getPackageName().startsWith("io.crmkpi.jdbc"); c = c.getSuperclass()) {
      try {
        Method d = c.getDeclaredMethod(m.getName(), m.getParameterTypes());
        if (!Modifier.isAbstract(d.getModifiers()) && !d.isBridge()) {
          return d;
        }
      } catch (NoSuchMethodException e) {
        // look in the base class
      }
    }
    return null;
  }

  @Test
  void everyInterfaceMethodIsDeclaredByCrmKpi() {
    List<String> missing = new ArrayList<>();
    int checked = 0;
    for (var e : IMPLEMENTATIONS.entrySet()) {
      for (Method m : e.getKey().getMethods()) {
        if (Modifier.isStatic(m.getModifiers())) {
          continue;
        }
        checked++;
        if (declared(e.getValue(), m) == null) {
          missing.add(e.getValue().getSimpleName() + "." + m.getName() + Arrays.toString(m.getParameterTypes()));
        }
      }
    }
    assertEquals(List.of(), missing);
    // Connection 55+, Statement 50+, PreparedStatement 100+, ResultSet 190+ methods: the check saw them all
    assertTrue(checked > 400, "methods checked: " + checked);
  }

  @Test
  void theCheckNoticesAMethodLeftToAnInterfaceDefault() throws Exception {
    // java.sql.Statement.enquoteLiteral is a default method: a class that does not declare it fails the check
    abstract class Partial implements Statement {
    }
    assertEquals(null, declared(Partial.class, Statement.class.getMethod("enquoteLiteral", String.class)));
    assertTrue(declared(CrmKpiStatement.class, Statement.class.getMethod("enquoteLiteral", String.class)) != null);
  }
}
