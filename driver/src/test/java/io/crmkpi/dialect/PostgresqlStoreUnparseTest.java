package io.crmkpi.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmkpi.jdbc.StoreRegistryAccess;
import io.crmkpi.pgstore.PostgresTestServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PostgresqlEngineDialect's fixes, each run on a real PostgreSQL store through the crmkpi URL
 * ({@code store=jdbc:postgresql://…}); expected values worked out by hand, and the embedded DuckDB
 * store must answer the same.
 */
class PostgresqlStoreUnparseTest {

  private static final String ZONE = "Pacific/Kiritimati"; // UTC+14: its date is not UTC's for 14 hours a day
  private static PostgresTestServer server;
  private static Connection pg;
  private static Connection duck;

  @BeforeAll
  static void start() throws Exception {
    server = PostgresTestServer.start();
    String url = "jdbc:crmkpi:demo;deals=200;seed=3;timezone=" + ZONE;
    pg = DriverManager.getConnection(url + ";store=" + server.newDatabase() + server.credentials());
    duck = DriverManager.getConnection(url);
  }

  @AfterAll
  static void stop() throws Exception {
    pg.close();
    duck.close();
    StoreRegistryAccess.closeUnused();
    server.close();
  }

  private static List<String> row(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next(), sql);
      List<String> out = new ArrayList<>();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        out.add(rs.getString(i));
      }
      return out;
    }
  }

  private static void both(List<String> expected, String sql) throws SQLException {
    assertEquals(expected, row(pg, sql), "postgresql: " + sql);
    assertEquals(expected, row(duck, sql), "duckdb: " + sql);
  }

  /** ERROR(…) is util.crmkpi_error: a constant (1 / 0) would fail even when no divisor is zero (constant folding). */
  @Test
  void integerDivisionByAColumnAndItsZeroGuard() throws SQLException {
    // 7 / 2 = 3 and 9 / 4 = 2: integers divide as integers
    both(List.of("5"), "SELECT SUM(a / b) FROM (VALUES (7, 2), (9, 4)) AS t (a, b)");
    for (Connection c : List.of(pg, duck)) {
      SQLException e = assertThrows(SQLException.class, () -> row(c, "SELECT SUM(a / b) FROM (VALUES (7, 0)) AS t (a, b)"));
      assertEquals("22012", e.getSQLState(), e.getMessage());
      assertTrue(e.getMessage().contains("division by zero"), e.getMessage());
    }
  }

  /** EPOCH_MS: whole milliseconds by floor (a cast to BIGINT would round .9996 s up). */
  @Test
  void epochIsWholeSeconds() throws SQLException {
    // 2024-01-01 00:00:00 UTC is 1704067200; plus 1.999 s is 1704067201 whole seconds
    both(List.of("1704067201"), "SELECT EXTRACT(EPOCH FROM TIMESTAMP '2024-01-01 00:00:01.999')");
  }

  /** DATESUB (TIMESTAMPDIFF: whole units elapsed) and DATE_DIFF (boundaries crossed) in every unit tested. */
  @Test
  void elapsedUnitsAndCrossedBoundaries() throws SQLException {
    both(List.of("1", "2"), "SELECT TIMESTAMPDIFF(DAY, TIMESTAMP '2024-01-01 10:00:00', TIMESTAMP '2024-01-03 09:00:00'), "
        + "DATEDIFF('day', TIMESTAMP '2024-01-01 10:00:00', TIMESTAMP '2024-01-03 09:00:00')");
    both(List.of("1", "2"), "SELECT TIMESTAMPDIFF(MONTH, DATE '2024-01-31', DATE '2024-03-30'), "
        + "DATEDIFF('month', DATE '2024-01-31', DATE '2024-03-30')");
    both(List.of("0", "1"), "SELECT TIMESTAMPDIFF(YEAR, DATE '2023-06-15', DATE '2024-06-14'), "
        + "DATEDIFF('year', DATE '2023-06-15', DATE '2024-06-14')");
    both(List.of("1", "2"), "SELECT TIMESTAMPDIFF(HOUR, TIMESTAMP '2024-01-01 10:30:00', TIMESTAMP '2024-01-01 12:29:00'), "
        + "DATEDIFF('hour', TIMESTAMP '2024-01-01 10:30:00', TIMESTAMP '2024-01-01 12:29:00')");
    // weeks as DuckDB counts them: day boundaries crossed (7 from the 3rd 10:00 to the 10th 09:00), in whole
    // weeks; 6 days 23 hours elapsed are no whole week
    both(List.of("0", "1"), "SELECT TIMESTAMPDIFF(WEEK, TIMESTAMP '2024-01-03 10:00:00', TIMESTAMP '2024-01-10 09:00:00'), "
        + "DATEDIFF('week', TIMESTAMP '2024-01-03 10:00:00', TIMESTAMP '2024-01-10 09:00:00')");
    both(List.of("0", "0"), "SELECT TIMESTAMPDIFF(WEEK, DATE '2024-01-07', DATE '2024-01-08'), "
        + "DATEDIFF('week', DATE '2024-01-07', DATE '2024-01-08')");
    // 1.2 s elapsed; the boundaries of 10:00:01 and 10:00:02 crossed
    both(List.of("1", "2"), "SELECT TIMESTAMPDIFF(SECOND, TIMESTAMP '2024-01-01 10:00:00.900', "
        + "TIMESTAMP '2024-01-01 10:00:02.100'), DATEDIFF('second', TIMESTAMP '2024-01-01 10:00:00.900', "
        + "TIMESTAMP '2024-01-01 10:00:02.100')");
    both(List.of("0", "1"), "SELECT TIMESTAMPDIFF(QUARTER, DATE '2024-03-31', DATE '2024-04-01'), "
        + "DATEDIFF('quarter', DATE '2024-03-31', DATE '2024-04-01')");
  }

  /** A typed NULL of a VALUES row is CAST(NULL AS type): PostgreSQL would type it text and refuse the UNION. */
  @Test
  void aNullDateUnitesWithDates() throws SQLException {
    both(List.of("2", "1", "2024-01-01"), "SELECT COUNT(*), COUNT(d), MIN(d) FROM (SELECT DATE '2024-01-01' AS d "
        + "FROM (VALUES (1)) AS a (x) UNION ALL SELECT CAST(NULL AS DATE) FROM (VALUES (1)) AS b (x)) AS t");
  }

  /** Today is the reporting zone's date, whatever the server's or session's zone. */
  @Test
  void currentDateIsTheReportingZones() throws SQLException {
    LocalDate before = LocalDate.now(ZoneId.of(ZONE));
    List<String> pgToday = row(pg, "SELECT CURRENT_DATE");
    List<String> duckToday = row(duck, "SELECT CURRENT_DATE");
    LocalDate after = LocalDate.now(ZoneId.of(ZONE));
    assertTrue(pgToday.get(0).equals(before.toString()) || pgToday.get(0).equals(after.toString()), pgToday::toString);
    assertEquals(duckToday, pgToday);
  }
}
