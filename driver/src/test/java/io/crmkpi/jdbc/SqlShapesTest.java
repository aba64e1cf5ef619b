package io.crmkpi.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SQL shapes BI tools and people write, run through the driver on the small fixture
 * (jdbc/small.sql: d1 won 1000 RUB, d2 lost 500 RUB, d3 open 10 USD, d4 won 20 USD; USD = 90 RUB).
 */
class SqlShapesTest {

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
  void identifiersQuotedOrNotInAnyCase() throws SQLException {
    assertEquals(List.of("4"), rows("SELECT COUNT(*) FROM crm.deals"));
    assertEquals(List.of("4"), rows("SELECT COUNT(*) FROM \"crm\".\"deals\""));
    assertEquals(List.of("4"), rows("select count(*) from CRM.DEALS"));
    assertEquals(List.of("d1"), rows("SELECT \"Deal_Id\" FROM Crm.Deals WHERE \"AMOUNT\" = 1000"));
  }

  @Test
  void aggregateOverAWindowFunctionStaysInItsOwnSubQuery() throws SQLException {
    // Unparsed into one SELECT, the window would sit inside GROUP BY / SUM, which DuckDB rejects.
    // Ranks by amount within status: lost d2 1; open d3 1; won d1 (1000) 1, d4 (20) 2.
    assertEquals(List.of("lost|1|1", "open|1|1", "won|3|2"), rows("SELECT status, SUM(rk), MAX(rk) FROM ("
        + "SELECT status, ROW_NUMBER() OVER (PARTITION BY status ORDER BY amount DESC) AS rk FROM crm.deals) AS x "
        + "GROUP BY status ORDER BY status"));
    assertEquals(List.of("1|3", "2|1"), rows("SELECT rk, COUNT(*) FROM ("
        + "SELECT ROW_NUMBER() OVER (PARTITION BY status ORDER BY amount DESC) AS rk FROM crm.deals) AS x "
        + "GROUP BY rk ORDER BY rk"));
  }

  @Test
  void groupByOrdinalLimitOffset() throws SQLException {
    assertEquals(List.of("lost|1", "open|1", "won|2"),
        rows("SELECT status, COUNT(*) FROM crm.deals GROUP BY 1 ORDER BY 1"));
    assertEquals(List.of("d2", "d3"), rows("SELECT deal_id FROM crm.deals ORDER BY deal_id LIMIT 2 OFFSET 1"));
    assertEquals(List.of("d3"),
        rows("SELECT deal_id FROM crm.deals ORDER BY deal_id OFFSET 2 ROWS FETCH NEXT 1 ROWS ONLY"));
  }

  @Test
  void dateFunctions() throws SQLException {
    // months of creation: Jan (d1, d2), Feb (d3), Mar (d4)
    assertEquals(List.of("2024-01-01|2", "2024-02-01|1", "2024-03-01|1"),
        rows("SELECT CAST(FLOOR(created_at TO MONTH) AS DATE), COUNT(*) FROM crm.deals GROUP BY 1 ORDER BY 1"));
    assertEquals(List.of("2024-01-01|2", "2024-02-01|1", "2024-03-01|1"),
        rows("SELECT CAST(DATE_TRUNC('month', created_at) AS DATE) m, COUNT(*) FROM crm.deals GROUP BY 1 ORDER BY 1"));
    assertEquals(List.of("2024|3"), rows("SELECT EXTRACT(YEAR FROM created_at), EXTRACT(MONTH FROM created_at) "
        + "FROM crm.deals WHERE deal_id = 'd4'"));
    assertEquals(List.of("2024-03-08T08:00"),
        rows("SELECT TIMESTAMPADD(DAY, 7, created_at) FROM crm.deals WHERE deal_id = 'd4'"));
    assertEquals(List.of("2024-03-01"), rows("SELECT CAST(created_at AS DATE) FROM crm.deals WHERE deal_id = 'd4'"));
    // d1: 2024-01-10 10:00 -> 2024-02-05 12:00 is 26 whole days
    assertEquals(List.of("26"), rows("SELECT TIMESTAMPDIFF(DAY, created_at, closed_at) FROM crm.deals WHERE deal_id = 'd1'"));
    assertEquals(List.of("26"),
        rows("SELECT {fn TIMESTAMPDIFF(SQL_TSI_DAY, created_at, closed_at)} FROM crm.deals WHERE deal_id = 'd1'"));
    LocalDate today = LocalDate.now(java.time.ZoneId.of("UTC"));
    List<String> now = rows("SELECT CURRENT_DATE, CAST(NOW() AS DATE), CAST(CURRENT_TIMESTAMP AS DATE)");
    assertTrue(now.get(0).startsWith(today.toString()) || now.get(0).startsWith(today.minusDays(1).toString()),
        now.toString());
    assertEquals(List.of("4"), rows("SELECT COUNT(*) FROM crm.deals WHERE created_at < CURRENT_TIMESTAMP"));
  }

  @Test
  void currentDateIsTodayInTheReportingTimeZone() throws SQLException {
    // UTC+14 and UTC-11 are on different calendar days for 23 hours of every day
    for (String zone : new String[] {"Pacific/Kiritimati", "Pacific/Pago_Pago"}) {
      try (Connection z = DriverManager.getConnection("jdbc:crmkpi:script:jdbc/small.sql;timezone=" + zone);
           Statement s = z.createStatement();
           ResultSet rs = s.executeQuery("SELECT CURRENT_DATE, CURRENT_TIMESTAMP")) {
        LocalDate before = LocalDate.now(java.time.ZoneId.of(zone));
        assertTrue(rs.next());
        LocalDate got = rs.getObject(1, LocalDate.class);
        LocalDate after = LocalDate.now(java.time.ZoneId.of(zone));
        assertTrue(got.equals(before) || got.equals(after), zone + ": " + got);
        LocalDateTime ts = rs.getObject(2, LocalDateTime.class);
        long drift = Math.abs(java.time.Duration.between(LocalDateTime.now(java.time.ZoneId.of(zone)), ts).toMinutes());
        assertTrue(drift < 5, zone + ": " + ts);
      }
    }
  }

  @Test
  void ratiosAndAveragesAreNotTruncated() throws SQLException {
    // one won of d1..d3 -> 1/3, which a DECIMAL(x,1) average would print as 0.3
    List<String> r = rows("SELECT AVG(CASE WHEN status = 'won' THEN 1.0 ELSE 0 END) FROM crm.deals "
        + "WHERE deal_id IN ('d1', 'd2', 'd3')");
    assertEquals(1.0 / 3, Double.parseDouble(r.get(0)), 1e-9);
    // (1000 + 500 + 900) / 3 = 800; AVG over INTEGER must not truncate 10/3
    assertEquals(800.0, Double.parseDouble(rows("SELECT AVG(amount_base) FROM crm.deals WHERE deal_id IN ('d1','d2','d3')").get(0)), 1e-9);
    assertEquals(10.0 / 3, Double.parseDouble(rows("SELECT AVG(x) FROM (VALUES (3), (3), (4)) t(x)").get(0)), 1e-9);
  }

  @Test
  void windowsPercentilesAndCtesRunInTheStore() throws SQLException {
    assertEquals(List.of("d1|2024-01-15T09:30", "d2|2024-02-20T08:00", "d3|2024-03-01T08:00", "d4|null"),
        rows("SELECT deal_id, LEAD(created_at) OVER (ORDER BY created_at) FROM crm.deals ORDER BY deal_id"));
    assertEquals(List.of("d1|1000.00", "d2|1500.00", "d3|2400.00", "d4|4200.00"),
        rows("SELECT deal_id, SUM(amount_base) OVER (ORDER BY created_at ROWS UNBOUNDED PRECEDING) "
            + "FROM crm.deals ORDER BY deal_id"));
    // median of 500, 900, 1000, 1800 = 950
    assertEquals(950.0, Double.parseDouble(
        rows("SELECT PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY amount_base) FROM crm.deals").get(0)), 1e-9);
    assertEquals(List.of("2"), rows("WITH w AS (SELECT * FROM crm.deals WHERE status = 'won') SELECT COUNT(*) FROM w"));
  }

  @Test
  void preparedParametersMapToTheCompiledStatement() throws SQLException {
    String sql = "SELECT deal_id FROM crm.deals WHERE amount_base > ? AND status = ? ORDER BY deal_id";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setInt(1, 600);
      ps.setString(2, "won");
      assertEquals(List.of("d1", "d4"), read(ps.executeQuery()));
      ps.setString(2, "open");
      assertEquals(List.of("d3"), read(ps.executeQuery()));
      assertThrows(SQLException.class, () -> ps.setString(3, "x"));
    }
    // the user's parameter order differs from where they end up after Calcite rewrites the query
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT deal_id FROM (SELECT deal_id, amount_base FROM crm.deals WHERE status = ?) t "
            + "WHERE amount_base < ? ORDER BY 1")) {
      ps.setString(1, "won");
      ps.setBigDecimal(2, new java.math.BigDecimal("1500"));
      assertEquals(List.of("d1"), read(ps.executeQuery()));
    }
  }

  @Test
  void repeatedStatementsReuseTheCompiledPlan() throws SQLException {
    String sql = "SELECT status, COUNT(*) FROM crm.deals GROUP BY status";
    CrmKpiConnection h = (CrmKpiConnection) c;
    assertSame(h.compile(sql), h.compile(sql));
  }

  @Test
  void stringLiteralsMixWithColumnsWithoutPaddingOrCharsets() throws SQLException {
    assertEquals(List.of("google_ads", "organic"),
        rows("SELECT DISTINCT COALESCE(channel, 'unknown') FROM crm.deals ORDER BY 1"));
    assertEquals(List.of("d1|c1"), rows("SELECT deal_id, CAST(company_id AS VARCHAR) FROM crm.deals "
        + "WHERE 'company:' || company_id = 'company:c1' AND status = 'won'"));
    // literals of different lengths in a UNION or CASE stay unpadded
    assertEquals(List.of("lead|4", "ticket|6"), rows("SELECT k, CHAR_LENGTH(k) FROM (SELECT 'lead' AS k FROM crm.deals "
        + "UNION SELECT 'ticket' FROM crm.deals) t ORDER BY 1"));
    assertEquals(List.of("big|3", "small|5"), rows("SELECT DISTINCT CASE WHEN amount_base > 1000 THEN 'big' ELSE 'small' END s, "
        + "CHAR_LENGTH(CASE WHEN amount_base > 1000 THEN 'big' ELSE 'small' END) FROM crm.deals ORDER BY 1"));
    assertEquals(List.of("null|2", "x|2"), rows("SELECT k, COUNT(*) FROM (SELECT CAST(NULL AS VARCHAR) AS k FROM crm.deals "
        + "WHERE status = 'won' UNION ALL SELECT company_id FROM crm.deals WHERE deal_id = 'x' "
        + "UNION ALL SELECT 'x' FROM crm.deals WHERE status <> 'won') t GROUP BY k ORDER BY 1 NULLS FIRST"));
  }

  @Test
  void percentilesOfExpressionsAndDateArithmeticKeepTheirMeaning() throws SQLException {
    // amount_base x 2 = 2000, 1000, 1800, 3600 -> median (1800 + 2000) / 2 = 1900
    assertEquals(1900.0, Double.parseDouble(rows(
        "SELECT PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY amount_base * 2) FROM crm.deals").get(0)), 1e-9);
    // DATE + months stays a DATE (DuckDB would return a TIMESTAMP)
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT TIMESTAMPADD(MONTH, 1, CAST(created_at AS DATE)) FROM crm.deals WHERE deal_id = 'd1'")) {
      assertTrue(rs.next());
      assertEquals(java.sql.Types.DATE, rs.getMetaData().getColumnType(1));
      assertEquals(LocalDate.of(2024, 2, 10), rs.getObject(1, LocalDate.class));
    }
  }

  @Test
  void errorsNameTheProblem() {
    SQLException e = assertThrows(SQLException.class, () -> rows("SELECT nosuch FROM crm.deals"));
    assertTrue(e.getMessage().contains("Column 'nosuch' not found"), e.getMessage());
    e = assertThrows(SQLException.class, () -> rows("SELECT * FROM crm.nosuch"));
    assertTrue(e.getMessage().contains("nosuch"), e.getMessage());
    // a misspelt column that matches no select alias is named as such (no "depends on itself")
    e = assertThrows(SQLException.class, () -> rows("SELECT amout AS amount FROM crm.deals"));
    assertTrue(e.getMessage().contains("Column 'amout' not found"), e.getMessage());
    e = assertThrows(SQLException.class, () -> rows("SELEC 1"));
    assertTrue(e.getMessage().startsWith("SQL syntax error"), e.getMessage());
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
          }
          b.append(i == 1 ? "" : "|").append(v instanceof LocalDateTime t ? t.toString() : String.valueOf(v));
        }
        out.add(b.toString());
      }
    }
    return out;
  }
}
