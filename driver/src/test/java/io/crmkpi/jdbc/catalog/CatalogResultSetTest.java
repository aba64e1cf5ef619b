package io.crmkpi.jdbc.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Metadata rows as a client meets them: position, read-only, forward-only, no private database handed out. */
class CatalogResultSetTest {

  static Connection c;

  @BeforeAll
  static void connect() throws SQLException {
    c = DriverManager.getConnection("jdbc:crmkpi:script:jdbc/small.sql");
  }

  @AfterAll
  static void close() throws SQLException {
    c.close();
  }

  @Test
  void everyResultSetMethodIsDeclared() {
    List<String> missing = new ArrayList<>();
    for (Method m : ResultSet.class.getMethods()) {
      if (Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      try {
        CatalogResultSet.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
      } catch (NoSuchMethodException e) {
        try { // the update half is written out once, in the read-only base both result sets share
          ReadOnlyResultSet.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
        } catch (NoSuchMethodException e2) {
          missing.add(m.toString());
        }
      }
    }
    assertEquals(List.of(), missing);
  }

  @Test
  void positionIsKnownAndNothingOfThePrivateDatabaseLeaks() throws SQLException {
    // crm.fx_rates has two key columns: currency, rate_date
    try (ResultSet rs = c.getMetaData().getPrimaryKeys(null, "crm", "fx_rates")) {
      assertNull(rs.getStatement());
      assertEquals(ResultSet.TYPE_FORWARD_ONLY, rs.getType());
      assertEquals(ResultSet.CONCUR_READ_ONLY, rs.getConcurrency());
      assertEquals(ResultSet.CLOSE_CURSORS_AT_COMMIT, rs.getHoldability());
      assertNull(rs.getWarnings());
      assertTrue(rs.isBeforeFirst());
      assertTrue(rs.next());
      assertTrue(rs.isFirst());
      assertFalse(rs.isLast());
      assertEquals(1, rs.getRow());
      assertEquals("currency", rs.getString("COLUMN_NAME"));
      assertThrows(SQLException.class, () -> rs.updateString("COLUMN_NAME", "x"));
      assertThrows(SQLException.class, rs::previous);
      assertTrue(rs.next());
      assertTrue(rs.isLast());
      assertEquals("rate_date", rs.getString(4));
      assertEquals(2, rs.getShort("KEY_SEQ"));
      assertFalse(rs.next());
      assertTrue(rs.isAfterLast());
      assertEquals(0, rs.getRow());
      assertFalse(rs.isWrapperFor(Class.forName("org.duckdb.DuckDBResultSet")));
      assertThrows(SQLException.class, () -> rs.unwrap(Class.forName("org.duckdb.DuckDBResultSet")));
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    }
    try (ResultSet rs = c.getMetaData().getCatalogs()) {
      assertFalse(rs.isBeforeFirst(), "JDBC: false when there are no rows");
      assertFalse(rs.next());
      assertFalse(rs.isAfterLast(), "JDBC: false when there are no rows");
    }
  }
}
