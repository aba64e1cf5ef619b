package io.crmkpi.jdbc.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SQL an analyst types and a BI tool generates, through {@code jdbc:crmkpi:demo}: PostgreSQL
 * idioms, text in any language, date buckets of every unit, and errors a person can act on.
 */
class AnalystSqlTest {

  static Connection c;

  @BeforeAll
  static void connect() throws SQLException {
    c = DriverManager.getConnection("jdbc:crmkpi:demo");
  }

  @AfterAll
  static void close() throws SQLException {
    c.close();
  }

  @Test
  void wordsPostgresqlAllowsAsColumnNamesWorkUnquoted() throws SQLException {
    // kpi.churn_monthly has a column named month: same rows as the quoted form
    assertEquals(rows("SELECT \"month\" FROM kpi.churn_monthly ORDER BY 1"),
        rows("SELECT month FROM kpi.churn_monthly ORDER BY month"));
    assertEquals(List.of("1|2|3|4|2024-01-05|10:00|7|8|9"),
        rows("SELECT month, year, day, value, date, time, week, quarter, hour FROM (SELECT 1 AS month, 2 AS year, "
            + "3 AS day, 4 AS value, DATE '2024-01-05' AS date, TIME '10:00:00' AS time, 7 AS week, 8 AS quarter, "
            + "9 AS hour) t WHERE date > DATE '2024-01-01' AND time < TIME '11:00:00'"));
    // as types and literals the same words keep their meaning
    assertEquals(List.of("2024-02-03|2024-02-03|2024-02-03T10:00"), rows(
        "SELECT CAST(x AS date), x::date, TIMESTAMP '2024-02-03 10:00:00' FROM (SELECT '2024-02-03' AS x) t"));
  }

  @Test
  void postgresqlIdioms() throws SQLException {
    assertEquals(List.of("1"), rows("SELECT 1;"));
    assertEquals(List.of("1"), rows("SELECT 1 ;  -- done\n"));
    assertEquals(List.of("42|x"), rows("SELECT '42'::integer, 'x'::varchar"));
    // INTERVAL '30 days' is 30 days: 2024-03-31 minus 30 days is 2024-03-01; 2 weeks are 14 days
    assertEquals(List.of("2024-03-01|2024-03-17|2025-03-31"), rows("SELECT CAST(DATE '2024-03-31' - INTERVAL '30 days' AS DATE), "
        + "CAST(DATE '2024-03-31' - INTERVAL '2 weeks' AS DATE), CAST(DATE '2024-03-31' + INTERVAL '365 days' AS DATE)"));
    // MEDIAN of 1, 2, 3, 10 is 2.5
    assertEquals(2.5, Double.parseDouble(rows("SELECT MEDIAN(x) FROM (VALUES (1), (2), (3), (10)) t(x)").get(0)), 1e-9);
    assertEquals(List.of("2"), rows("SELECT COUNT(*) FROM (VALUES ('Won'), ('WON'), ('lost')) t(s) WHERE s ILIKE 'won'"));
    assertEquals(rows("SELECT COUNT(*) FROM crm.deals WHERE LOWER(status) = 'won'"),
        rows("SELECT COUNT(*) FROM crm.deals WHERE status ILIKE 'WoN'"));
    // DATEDIFF counts unit boundaries: 2024-01-31 -> 2024-02-01 crosses one month and one day
    assertEquals(List.of("1|1|1|1|1"), rows("SELECT DATEDIFF(month, DATE '2024-01-31', DATE '2024-02-01'), "
        + "DATEDIFF('month', DATE '2024-01-31', DATE '2024-02-01'), DATE_DIFF('day', DATE '2024-01-31', DATE '2024-02-01'), "
        + "DATEDIFF(DATE '2024-02-01', DATE '2024-01-31'), DATEDIFF(day, DATE '2024-01-31', DATE '2024-02-01')"));
    assertEquals(List.of("crmkpi|crmkpi"), rows("SELECT CURRENT_USER, SESSION_USER"));
    try (PreparedStatement ps = c.prepareStatement("SELECT ? AS x")) {
      ps.setString(1, "Привет");
      assertEquals(List.of("Привет"), read(ps.executeQuery()));
      assertEquals("x", ps.getMetaData() == null ? "x" : ps.getMetaData().getColumnLabel(1));
    }
  }

  @Test
  void textInAnyLanguage() throws SQLException {
    assertEquals(List.of("Успешно реализовано|19"), rows("SELECT s, CHAR_LENGTH(s) FROM (VALUES ('Успешно реализовано'), "
        + "('Закрыто')) t(s) WHERE s = 'Успешно реализовано'"));
    assertEquals(List.of("Привет|мир|AЖ|a\tb"), rows("SELECT N'Привет', n'мир', U&'\\0041\\0416', E'a\\tb'"));
    // LIKE with a non-ASCII prefix (DuckDB 1.4's prefix rewrite fails on it unless ESCAPE is explicit)
    assertEquals(List.of("Успешно реализовано"), rows("SELECT s FROM (VALUES ('Успешно реализовано'), ('Закрыто'), "
        + "('New')) t(s) WHERE s LIKE 'Усп%'"));
    assertEquals(List.of("2"), rows("SELECT COUNT(*) FROM (VALUES ('Успешно'), ('Закрыто'), ('New')) t(s) "
        + "WHERE s NOT LIKE 'Усп%'"));
    assertEquals(List.of("ПРИВЕТ|Сделка"), rows("SELECT UPPER('привет') AS Итог, 'Сделка' AS \"Этап\""));
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1 AS Сделка, 2 AS \"Этап\"")) {
      assertEquals("Сделка", rs.getMetaData().getColumnLabel(1));
      assertEquals("Этап", rs.getMetaData().getColumnLabel(2));
    }
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT s FROM (VALUES ('Успешно реализовано'), ('Закрыто')) t(s) WHERE s LIKE ? OR s = ?")) {
      ps.setString(1, "Усп%");
      ps.setString(2, "Закрыто");
      assertEquals(List.of("Успешно реализовано", "Закрыто"), read(ps.executeQuery()));
    }
  }

  @Test
  void dateBucketsOfEveryUnit() throws SQLException {
    String ts = "TIMESTAMP '2024-05-15 10:11:12.345678'";
    assertEquals(List.of("2024-05-15T10:11:12.345678|2024-05-15T10:11:12.345|2024-05-15T10:11:12|2024-05-15T10:11"
            + "|2024-05-15T10:00|2024-05-15T00:00"),
        rows("SELECT DATE_TRUNC('microseconds', " + ts + "), DATE_TRUNC('millisecond', " + ts + "), DATE_TRUNC('second', "
            + ts + "), DATE_TRUNC('minute', " + ts + "), DATE_TRUNC('hour', " + ts + "), DATE_TRUNC('day', " + ts + ")"));
    // 2024-05-15 is a Wednesday: its ISO week starts on Monday 05-13
    assertEquals(List.of("2024-05-13T00:00|2024-05-13T00:00|2024-05-01T00:00|2024-04-01T00:00|2024-01-01T00:00"
            + "|2020-01-01T00:00|2001-01-01T00:00|2001-01-01T00:00"),
        rows("SELECT DATE_TRUNC('week', " + ts + "), DATE_TRUNC('isoweek', " + ts + "), DATE_TRUNC('month', " + ts
            + "), DATE_TRUNC('quarter', " + ts + "), DATE_TRUNC('year', " + ts + "), DATE_TRUNC('decade', " + ts
            + "), DATE_TRUNC('century', " + ts + "), DATE_TRUNC('millennium', " + ts + ")"));
    // on a DATE the bucket is a DATE
    assertEquals(List.of("2024-04-01|2024-05-13"), rows("SELECT DATE_TRUNC('quarter', DATE '2024-05-15'), "
        + "DATE_TRUNC('week', DATE '2024-05-15')"));
    // fractions survive a cast
    assertEquals(List.of("2024-01-01T10:00:00.123"), rows("SELECT CAST('2024-01-01 10:00:00.123' AS TIMESTAMP)"));
    SQLException e = assertThrows(SQLException.class, () -> rows("SELECT DATE_TRUNC('fortnight', DATE '2024-05-15')"));
    assertTrue(e.getMessage().contains("'fortnight'") && e.getMessage().contains("quarter"), e.getMessage());
  }

  @Test
  void weeksStartOnTheConfiguredDay() throws SQLException {
    // week_start=7: weeks start on Sunday; Wednesday 2024-05-15 is in the week of Sunday 05-12,
    // Sunday 05-12 itself too, Saturday 05-11 in the week of 05-05; ISO weeks still start on Monday
    try (Connection sunday = DriverManager.getConnection("jdbc:crmkpi:demo;week_start=7");
         Statement s = sunday.createStatement();
         ResultSet rs = s.executeQuery("SELECT DATE_TRUNC('week', DATE '2024-05-15'), DATE_TRUNC('week', DATE '2024-05-12'), "
             + "DATE_TRUNC('week', DATE '2024-05-11'), DATE_TRUNC('isoweek', DATE '2024-05-15'), "
             + "DATE_TRUNC('week', TIMESTAMP '2024-05-15 10:00:00')")) {
      assertEquals(List.of("2024-05-12|2024-05-12|2024-05-05|2024-05-13|2024-05-12T00:00"), read(rs));
    }
  }

  @Test
  void extractOfEveryField() throws SQLException {
    // Sunday 2024-01-07: Calcite's DOW counts Sunday as 1 (ISODOW 7); day 7 of the year; ISO week 1
    assertEquals(List.of("2024|1|7|1|1|7|7|1|0|10|11|12"),
        rows("SELECT EXTRACT(YEAR FROM d), EXTRACT(QUARTER FROM d), EXTRACT(DAY FROM d), EXTRACT(MONTH FROM d), "
            + "EXTRACT(DOW FROM d), EXTRACT(ISODOW FROM d), EXTRACT(DOY FROM d), EXTRACT(WEEK FROM d), "
            + "EXTRACT(HOUR FROM CAST(d AS TIMESTAMP)), EXTRACT(HOUR FROM ts), EXTRACT(MINUTE FROM ts), "
            + "EXTRACT(SECOND FROM ts) FROM (SELECT DATE '2024-01-07' AS d, TIMESTAMP '2024-01-07 10:11:12' AS ts) t"));
    // one day after the epoch is 86400 seconds
    assertEquals(86400.0, Double.parseDouble(rows("SELECT EXTRACT(EPOCH FROM TIMESTAMP '1970-01-02 00:00:00')").get(0)), 1e-9);
  }

  @Test
  void errorsAPersonCanActOn() throws SQLException {
    for (String write : List.of("DROP TABLE crm.deals", "create table x (a int)", "INSERT INTO crm.deals VALUES (1)",
        "UPDATE crm.deals SET amount = 0", "  delete from crm.deals;", "ALTER TABLE crm.deals ADD COLUMN x INT")) {
      SQLException e = assertThrows(SQLException.class, () -> rows(write), write);
      assertEquals("25006", e.getSQLState(), write);
      assertTrue(e.getMessage().startsWith("crmkpi is read-only"), e.getMessage());
      assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }
    SQLException typo = assertThrows(SQLException.class, () -> rows("SELECT 1 FROM crm.deals WHER status = 'won'"));
    assertEquals("SQL syntax error: Encountered \"status\" at line 1, column 30.", typo.getMessage());
    // the position is the user's even after a fix earlier in the line (date is quoted before parsing)
    typo = assertThrows(SQLException.class, () -> rows("SELECT date, N'x' FROM (SELECT 1 AS date) t WHER date = 1"));
    // (column 45 is WHER; in the text the parser read it was column 48)
    assertEquals("SQL syntax error: Encountered \"WHER\" at line 1, column 45.", typo.getMessage());
    SQLException two = assertThrows(SQLException.class, () -> rows("SELECT 1; SELECT 2"));
    assertTrue(two.getMessage().contains("one statement at a time"), two.getMessage());
  }

  @Test
  void explainShowsThePlanAndTheStoreStatement() throws SQLException {
    for (String explain : List.of("EXPLAIN PLAN FOR SELECT status, COUNT(*) FROM crm.deals GROUP BY status",
        "EXPLAIN SELECT status, COUNT(*) FROM crm.deals GROUP BY status")) {
      List<String> plan = rows(explain);
      assertEquals("crmkpi plan (Calcite, logical):", plan.get(0));
      assertTrue(plan.stream().anyMatch(l -> l.contains("LogicalAggregate(group=[{0}]")), plan.toString());
      int store = plan.indexOf("store statement (DuckDB):");
      assertTrue(store > 1, plan.toString());
      assertEquals("  SELECT \"status\", COUNT(*)", plan.get(store + 1));
      assertEquals("  GROUP BY \"status\"", plan.get(plan.size() - 1));
    }
  }

  static List<String> rows(String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      return read(s.executeQuery(sql));
    }
  }

  static List<String> read(ResultSet rs) throws SQLException {
    List<String> out = new ArrayList<>();
    try (rs) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          Object v = rs.getObject(i);
          if (v instanceof java.sql.Timestamp t) {
            v = t.toLocalDateTime();
          } else if (v instanceof java.sql.Date d) {
            v = d.toLocalDate();
          } else if (v instanceof java.sql.Time t) {
            v = t.toLocalTime();
          }
          b.append(i == 1 ? "" : "|").append(v instanceof LocalDateTime t ? t.toString() : String.valueOf(v));
        }
        out.add(b.toString());
      }
    }
    return out;
  }

}
