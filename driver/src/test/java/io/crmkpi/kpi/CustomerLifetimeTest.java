package io.crmkpi.kpi;

import static io.crmkpi.kpi.KpiQueries.assertCounts;
import static io.crmkpi.kpi.KpiQueries.assertNum;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * kpi.customer_lifetime on kpi/customer_lifetime (the churn_monthly orders; churn_inactivity_days = 30).
 * <pre>
 * Spell lifetimes (active_from -> churned_at, wall clock):
 *   A#1 01-10 10:00 -> 03-06 10:00 = 56 d        A#2 05-20 10:00 -> 06-19 10:00 = 30 d
 *   B   01-20 10:00 -> 02-19 10:00 = 30 d
 *   C#1 02-10 10:00 -> 03-01 09:00 = 19 d 23 h = 19.958333 d (recorded churn)
 *   C#2 03-05 10:00 -> 04-04 10:00 = 30 d (across the DST change: wall-clock days)
 *   D   03-31 23:30 -> 05-20 12:00 = 49 d 12.5 h = 49.520833 d
 * Feb: B -> 1, 30 | Mar: A#1, C#1 -> 2, avg = median = (56 + 19.958333) / 2 = 37.979167
 * Apr: 1, 30 | May: 1, 49.520833 | Jun: 1, 30 | Jan and Jul: 0, NULL
 * Q1: B, A#1, C#1 -> 3, avg (30 + 56 + 19.958333) / 3 = 35.319444, median 30
 * Year 2024: 6 churns of 4 customers (A and C churned twice) -> churned_customers 4,
 *   avg 215.479167 / 6 = 35.913194, median of [19.96, 30, 30, 30, 49.52, 56] = 30
 * </pre>
 */
class CustomerLifetimeTest {

  static Connection c;
  static List<Map<String, Object>> y2024;

  @BeforeAll
  static void connect() throws SQLException {
    c = KpiQueries.connect("customer_lifetime", "timezone=Europe/Berlin", "churn_inactivity_days=30");
    y2024 = KpiQueries.rows(c, "SELECT * FROM kpi.customer_lifetime WHERE period_start < DATE '2025-01-01'");
  }

  @AfterAll
  static void close() throws SQLException {
    c.close();
  }

  private static Map<String, Object> period(String grain, String start) {
    return KpiQueries.only(y2024, "grain", grain, "period_start", start);
  }

  private static void assertPeriod(String grain, String start, long churned, Double avg, Double median)
      throws SQLException {
    Map<String, Object> r = period(grain, start);
    assertCounts(r, "churned_customers", churned);
    assertNum(avg, r, "avg_lifetime_days");
    assertNum(median, r, "median_lifetime_days");
    assertEquals(Boolean.TRUE, r.get("is_complete"));
  }

  @Test
  void months() throws SQLException {
    assertPeriod("month", "2024-01-01", 0, null, null);
    assertPeriod("month", "2024-02-01", 1, 30.0, 30.0);
    double march = (56 + 19 + 23 / 24.0) / 2;
    assertPeriod("month", "2024-03-01", 2, march, march);
    assertPeriod("month", "2024-04-01", 1, 30.0, 30.0);
    assertPeriod("month", "2024-05-01", 1, 49 + 12.5 / 24, 49 + 12.5 / 24);
    assertPeriod("month", "2024-06-01", 1, 30.0, 30.0);
    assertPeriod("month", "2024-07-01", 0, null, null);
  }

  @Test
  void quarterAndYearUseEveryChurnNotMonthlyAverages() throws SQLException {
    assertPeriod("quarter", "2024-01-01", 3, (30 + 56 + 19 + 23 / 24.0) / 3, 30.0);
    assertPeriod("quarter", "2024-04-01", 3, (30 + 49 + 12.5 / 24 + 30) / 3, 30.0);
    double total = 56 + 30 + 30 + (19 + 23 / 24.0) + 30 + (49 + 12.5 / 24);
    assertPeriod("year", "2024-01-01", 4, total / 6, 30.0);
  }
}
