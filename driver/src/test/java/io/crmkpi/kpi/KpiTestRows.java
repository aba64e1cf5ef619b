package io.crmkpi.kpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Test helpers for the KPI view tests: connect to a canonical-CSV fixture folder {@code kpi/<view>}
 * through the driver, read rows as maps, and assert numbers with a message that shows the whole row.
 */
final class KpiTestRows {

  private KpiTestRows() {
  }

  /** Connects to fixture folder {@code kpi/<fixture>} with URL options; fails if any view did not compile. */
  static Connection connect(String fixture, String... options) throws SQLException {
    return connect(fixtureFolder(fixture), options);
  }

  static Path fixtureFolder(String fixture) {
    URL url = KpiTestRows.class.getClassLoader().getResource("kpi/" + fixture);
    if (url == null) {
      throw new IllegalStateException("no fixture folder kpi/" + fixture);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final Pattern MONTH_TOKEN = Pattern.compile("\\{M-(\\d+)(?:\\+(\\d+))?}");

  /**
   * Copies fixture {@code kpi/<fixture>} to {@code dir}, replacing date tokens relative to the current month
   * (UTC): {@code {M-n}} is the first day of the month n months before the current one, {@code {M-n+d}} that
   * day plus d days. For views whose meaning depends on today (the latest complete month).
   */
  static Path materialize(String fixture, Path dir) throws IOException {
    LocalDate current = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1);
    try (Stream<Path> files = Files.list(fixtureFolder(fixture))) {
      for (Path f : files.toList()) {
        Matcher m = MONTH_TOKEN.matcher(Files.readString(f));
        StringBuilder out = new StringBuilder();
        while (m.find()) {
          LocalDate d = current.minusMonths(Long.parseLong(m.group(1)))
              .plusDays(m.group(2) == null ? 0 : Long.parseLong(m.group(2)));
          m.appendReplacement(out, d.toString());
        }
        m.appendTail(out);
        Files.writeString(dir.resolve(f.getFileName()), out);
      }
    }
    return dir;
  }

  /** First day of the month n months before the current one (UTC). */
  static LocalDate monthsAgo(int n) {
    return LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).minusMonths(n);
  }

  /** Connects to a canonical-CSV folder with URL options; fails if any view did not compile. */
  static Connection connect(Path folder, String... options) throws SQLException {
    StringBuilder jdbc = new StringBuilder("jdbc:crmkpi:files:" + folder);
    for (String o : options) {
      jdbc.append(';').append(o);
    }
    Connection c = DriverManager.getConnection(jdbc.toString());
    assertNull(c.getWarnings(), () -> "view compile warnings: " + warnings(c));
    return c;
  }

  static String warnings(Connection c) {
    return KpiQueries.warnings(c);
  }

  /** Every row of a query; keys are lower-case column labels, DATE as LocalDate, TIMESTAMP as LocalDateTime. */
  static List<Map<String, Object>> rows(Connection c, String sql) throws SQLException {
    return KpiQueries.rows(c, sql);
  }

  /** The single row a query must return. */
  static Map<String, Object> one(Connection c, String sql) throws SQLException {
    List<Map<String, Object>> r = rows(c, sql);
    assertEquals(1, r.size(), () -> "expected one row from " + sql + " but got " + r);
    return r.get(0);
  }

  /** The row of a period view for a grain and period start, plus extra conditions (e.g. "channel = 'x'"). */
  static Map<String, Object> period(Connection c, String view, String grain, String start, String... where)
      throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT * FROM kpi." + view + " WHERE grain = '" + grain
        + "' AND period_start = DATE '" + start + "'");
    for (String w : where) {
      sql.append(" AND ").append(w);
    }
    return one(c, sql.toString());
  }

  /** Asserts whole-number columns: names and expected values alternate. */
  static void counts(Map<String, Object> row, Object... columnThenValue) {
    for (int i = 0; i < columnThenValue.length; i += 2) {
      String col = (String) columnThenValue[i];
      long expected = ((Number) columnThenValue[i + 1]).longValue();
      Object v = row.get(col);
      if (!(v instanceof Number n)) {
        throw new AssertionError(col + " should be " + expected + " but is " + v + " in " + row);
      }
      assertEquals(expected, n.longValue(), () -> col + " in " + row);
      assertEquals(n.doubleValue(), Math.rint(n.doubleValue()), () -> col + " is not whole in " + row);
    }
  }

  /** Asserts a numeric column to 1e-9 (expected null = SQL NULL). */
  static void num(Double expected, Map<String, Object> row, String column) {
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

  /** Asserts numeric columns: names and expected values (Double or null) alternate. */
  static void nums(Map<String, Object> row, Object... columnThenValue) {
    for (int i = 0; i < columnThenValue.length; i += 2) {
      Object e = columnThenValue[i + 1];
      num(e == null ? null : ((Number) e).doubleValue(), row, (String) columnThenValue[i]);
    }
  }

  /** Output column labels of a view, in order. */
  static List<String> columns(Connection c, String view) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM kpi." + view + " WHERE 1 = 0")) {
      ResultSetMetaData md = rs.getMetaData();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        out.add(md.getColumnLabel(i).toLowerCase(Locale.ROOT));
      }
    }
    return out;
  }
}
