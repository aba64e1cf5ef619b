package io.crmkpi.kpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Shared helpers for KPI view tests: connect to a canonical-CSV fixture folder, run a query, read rows. */
final class KpiQueries {

  private KpiQueries() {
  }

  /** Connects to canonical-CSV test folder {@code kpi/<fixture>} ({@code jdbc:crmkpi:files:}); checks that every view compiled. */
  static Connection connect(String fixture, String... options) throws SQLException {
    URL url = KpiQueries.class.getClassLoader().getResource("kpi/" + fixture);
    if (url == null) {
      throw new IllegalStateException("no fixture folder kpi/" + fixture);
    }
    Path folder;
    try {
      folder = Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    StringBuilder jdbc = new StringBuilder("jdbc:crmkpi:files:" + folder);
    for (String o : options) {
      jdbc.append(';').append(o);
    }
    Connection c = DriverManager.getConnection(jdbc.toString());
    assertNull(c.getWarnings(), () -> "view compile warnings: " + warnings(c));
    // every fixture row must load: a rejected row would silently change the hand-worked figures
    assertEquals(List.of(), rows(c, "SELECT location, reason FROM crm.load_rejects"), "fixture rows rejected");
    return c;
  }

  static String warnings(Connection c) {
    try {
      StringBuilder sb = new StringBuilder();
      for (java.sql.SQLWarning w = c.getWarnings(); w != null; w = w.getNextWarning()) {
        sb.append('\n').append(w.getMessage());
      }
      return sb.toString();
    } catch (SQLException e) {
      return e.toString();
    }
  }

  /** Runs a query; each row maps column label (lower-case) to value (DATE as LocalDate, TIMESTAMP as LocalDateTime). */
  static List<Map<String, Object>> rows(Connection c, String sql) throws SQLException {
    List<Map<String, Object>> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          Object v = rs.getObject(i);
          if (v instanceof Date d) {
            v = d.toLocalDate();
          } else if (v instanceof Timestamp t) {
            v = t.toLocalDateTime();
          }
          row.put(md.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT), v);
        }
        out.add(row);
      }
    }
    return out;
  }

  /** Runs a query that must return exactly one row. */
  static Map<String, Object> one(Connection c, String sql) throws SQLException {
    List<Map<String, Object>> r = rows(c, sql);
    assertEquals(1, r.size(), () -> "expected one row from " + sql + " but got " + r);
    return r.get(0);
  }

  /**
   * The rows whose columns equal the given values (compared as text, so DATE columns match "2024-01-01");
   * lets a test read a view once and look rows up instead of compiling one query per assertion.
   */
  static List<Map<String, Object>> where(List<Map<String, Object>> rows, Object... columnThenValue) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> r : rows) {
      boolean match = true;
      for (int i = 0; i < columnThenValue.length; i += 2) {
        match &= String.valueOf(columnThenValue[i + 1]).equals(String.valueOf(r.get((String) columnThenValue[i])));
      }
      if (match) {
        out.add(r);
      }
    }
    return out;
  }

  /** The single row matching {@link #where}. */
  static Map<String, Object> only(List<Map<String, Object>> rows, Object... columnThenValue) {
    List<Map<String, Object>> r = where(rows, columnThenValue);
    assertEquals(1, r.size(), () -> "expected one row for " + java.util.Arrays.toString(columnThenValue) + " but got " + r);
    return r.get(0);
  }

  /** A whole-number column as long (NULL fails). */
  static long count(Map<String, Object> row, String column) {
    Object v = row.get(column);
    if (!(v instanceof Number n)) {
      throw new AssertionError(column + " is not a number: " + v + " in " + row);
    }
    return n.longValue();
  }

  /** Asserts a DOUBLE/DECIMAL column equals {@code expected} (null = SQL NULL) to 1e-9. */
  static void assertNum(Double expected, Map<String, Object> row, String column) {
    Object v = row.get(column);
    if (expected == null) {
      assertNull(v, () -> column + " should be NULL in " + row);
      return;
    }
    if (!(v instanceof Number n)) {
      throw new AssertionError(column + " should be " + expected + " but is " + v + " in " + row);
    }
    assertEquals(expected, n.doubleValue(), 1e-9, () -> column + " in " + row);
  }

  /** Asserts several whole-number columns at once: names and values alternate. */
  static void assertCounts(Map<String, Object> row, Object... columnThenValue) {
    for (int i = 0; i < columnThenValue.length; i += 2) {
      String col = (String) columnThenValue[i];
      long expected = ((Number) columnThenValue[i + 1]).longValue();
      assertEquals(expected, count(row, col), () -> col + " in " + row);
    }
  }
}
