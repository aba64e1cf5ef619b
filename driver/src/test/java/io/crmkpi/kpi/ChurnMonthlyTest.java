package io.crmkpi.kpi;

import static io.crmkpi.kpi.KpiQueries.assertCounts;
import static io.crmkpi.kpi.KpiQueries.assertNum;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * kpi.churn_monthly and util.customer_churn on kpi/churn_monthly (churn_inactivity_days = 30, zone Europe/Berlin).
 * <pre>
 * Orders: A 01-10, 02-05, 05-20 | B 01-20 | C 02-10, 03-05 (recorded churned_at 03-01 09:00) | D 03-31 23:30, 04-20
 * Spells (all 2024, +30 days):
 *   A#1 01-10 .. 02-05+30 = 03-06     A#2 05-20 .. 06-19   (A orders again after churning: reactivated in May)
 *   B#1 01-20 .. 02-19
 *   C#1 02-10 .. 03-01 (recorded churn beats 03-11)      C#2 03-05 .. 04-04 (the order after the recorded churn reactivates)
 *   D#1 03-31 23:30 (DST night: March) .. 04-20+30 = 05-20
 * month | at_start | new | react | churned | at_end | churn_rate | retention
 * Jan   |    0     |  2  |   0   |    0    |   2    |   NULL     |  NULL     (zero denominator)
 * Feb   |    2     |  1  |   0   |  1 (B)  |   2    |   0.5      |  0.5
 * Mar   |  2 (A,C) |  1  | 1 (C) | 2 (A,C) |  2     |   1.0      |  0.0
 * Apr   |  2 (C,D) |  0  |   0   |  1 (C)  |  1     |   0.5      |  0.5
 * May   |  1 (D)   |  0  | 1 (A) |  1 (D)  |  1     |   1.0      |  0.0
 * Jun   |  1 (A)   |  0  |   0   |  1 (A)  |  0     |   1.0      |  0.0
 * Jul   |    0     |  0  |   0   |    0    |   0    |   NULL     |  NULL     (month with no data keeps its row)
 * </pre>
 */
class ChurnMonthlyTest {

  static Connection c;
  static List<Map<String, Object>> all;

  @BeforeAll
  static void connect() throws SQLException {
    c = KpiQueries.connect("churn_monthly", "timezone=Europe/Berlin", "churn_inactivity_days=30");
    all = KpiQueries.rows(c, "SELECT * FROM kpi.churn_monthly ORDER BY \"month\"");
  }

  @AfterAll
  static void close() throws SQLException {
    c.close();
  }

  private static Map<String, Object> month(String m) {
    return KpiQueries.only(all, "month", m);
  }

  @Test
  void spellsFollowInactivityRecordedChurnAndReactivation() throws SQLException {
    List<Map<String, Object>> spells = KpiQueries.rows(c,
        "SELECT customer_id, spell_no, active_from, churned_at FROM util.customer_churn ORDER BY customer_id, spell_no");
    assertEquals(List.of(
        "A|1|2024-01-10T10:00|2024-03-06T10:00", "A|2|2024-05-20T10:00|2024-06-19T10:00",
        "B|1|2024-01-20T10:00|2024-02-19T10:00",
        "C|1|2024-02-10T10:00|2024-03-01T09:00", "C|2|2024-03-05T10:00|2024-04-04T10:00",
        "D|1|2024-03-31T23:30|2024-05-20T12:00"),
        spells.stream().map(r -> r.get("customer_id") + "|" + r.get("spell_no") + "|" + r.get("active_from") + "|"
            + r.get("churned_at")).toList());
  }

  @Test
  void januaryHasNoStartingCustomers() throws SQLException {
    Map<String, Object> jan = month("2024-01-01");
    assertCounts(jan, "customers_at_start", 0, "new_customers", 2, "reactivated", 0, "churned", 0,
        "customers_at_end", 2);
    assertNum(null, jan, "churn_rate");
    assertNum(null, jan, "retention_rate");
  }

  @Test
  void februaryToJune() throws SQLException {
    Map<String, Object> feb = month("2024-02-01");
    assertCounts(feb, "customers_at_start", 2, "new_customers", 1, "reactivated", 0, "churned", 1,
        "customers_at_end", 2);
    assertNum(0.5, feb, "churn_rate");
    assertNum(0.5, feb, "retention_rate");

    Map<String, Object> mar = month("2024-03-01");
    assertCounts(mar, "customers_at_start", 2, "new_customers", 1, "reactivated", 1, "churned", 2,
        "customers_at_end", 2);
    assertNum(1.0, mar, "churn_rate");
    assertNum(0.0, mar, "retention_rate");

    Map<String, Object> apr = month("2024-04-01");
    assertCounts(apr, "customers_at_start", 2, "new_customers", 0, "reactivated", 0, "churned", 1,
        "customers_at_end", 1);
    assertNum(0.5, apr, "churn_rate");
    assertNum(0.5, apr, "retention_rate");

    Map<String, Object> may = month("2024-05-01");
    assertCounts(may, "customers_at_start", 1, "new_customers", 0, "reactivated", 1, "churned", 1,
        "customers_at_end", 1);
    assertNum(1.0, may, "churn_rate");

    Map<String, Object> jun = month("2024-06-01");
    assertCounts(jun, "customers_at_start", 1, "new_customers", 0, "reactivated", 0, "churned", 1,
        "customers_at_end", 0);
    assertNum(1.0, jun, "churn_rate");
    assertNum(0.0, jun, "retention_rate");
  }

  @Test
  void emptyMonthKeepsItsRow() throws SQLException {
    Map<String, Object> jul = month("2024-07-01");
    assertCounts(jul, "customers_at_start", 0, "new_customers", 0, "reactivated", 0, "churned", 0,
        "customers_at_end", 0);
    assertNum(null, jul, "churn_rate");
  }

  @Test
  void completeOnlyOnceTheInactivityWindowHasPassed() throws SQLException {
    LocalDate today = LocalDate.now(ZoneId.of("Europe/Berlin"));
    List<Map<String, Object>> months = all;
    LocalDate m = LocalDate.of(2024, 1, 1);
    for (Map<String, Object> row : months) {
      assertEquals(m, row.get("month"));
      // complete = the month's end (first day after it) + 30 days is not after today
      boolean expected = !m.plusMonths(1).plusDays(30).isAfter(today);
      assertEquals(expected, row.get("is_complete"), "is_complete of " + m);
      m = m.plusMonths(1);
    }
    assertEquals(today.withDayOfMonth(1).plusMonths(1), m, "rows run up to the current month");
    // the month before the current one is still open for the first 30 days of this month
    assertEquals(!today.withDayOfMonth(1).plusDays(30).isAfter(today),
        months.get(months.size() - 2).get("is_complete"));
  }
}
