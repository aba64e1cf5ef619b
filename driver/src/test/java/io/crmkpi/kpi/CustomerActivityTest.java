package io.crmkpi.kpi;

import static io.crmkpi.kpi.KpiQueries.assertCounts;
import static io.crmkpi.kpi.KpiQueries.assertNum;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * kpi.customer_activity on kpi/customer_activity (churn_inactivity_days = 30, zone Europe/Berlin).
 * <pre>
 * Customers (spells): company:co1 01-10 .. 02-09 and again 03-15 .. 04-14 | contact:ct2 01-20 .. 02-19
 *                     company:co3 02-05 .. 03-06 | contact:ct4 01-28 .. 02-27
 * Events: orders; act1 inbound call by contact ct1 (company co1, no company on the activity) 02-03;
 *         ticket of contact ct2 02-15; NPS answer of company:co3 03-03 and of ct2 03-10 (ct2 churned 02-19);
 *         April: an outbound call and an automated inbound message for ct1 (neither counts)
 * Jan: base co1, ct2, ct4 = 3; active 3 (orders) -> 1.0
 * Feb: base co1, ct2, co3, ct4 = 4; active co1 (act1 via the contact's company), ct2 (ticket via contact),
 *      co3 (order) = 3; ct4 nothing -> 0.75
 * Mar: base co1 (reactivated), co3 = 2 (ct2, ct4 churned in Feb); active co1 (order), co3 (answer) = 2 -> 1.0;
 *      ct2's answer does not count (not in the base)
 * Apr: base co1 = 1, active 0 -> 0.0 | May: base 0 -> rate NULL
 * Q1: base 4, active 4 -> 1.0
 * </pre>
 */
class CustomerActivityTest {

  static Connection c;
  static List<Map<String, Object>> y2024;

  @BeforeAll
  static void connect() throws SQLException {
    c = KpiQueries.connect("customer_activity", "timezone=Europe/Berlin", "churn_inactivity_days=30");
    y2024 = KpiQueries.rows(c, "SELECT * FROM kpi.customer_activity WHERE period_start < DATE '2025-01-01'");
  }

  @AfterAll
  static void close() throws SQLException {
    c.close();
  }

  private static void assertPeriod(String grain, String start, long base, long active, Double rate)
      throws SQLException {
    Map<String, Object> r = KpiQueries.only(y2024, "grain", grain, "period_start", start);
    assertCounts(r, "customer_base", base, "active_customers", active);
    assertNum(rate, r, "activity_rate");
  }

  @Test
  void months() throws SQLException {
    assertPeriod("month", "2024-01-01", 3, 3, 1.0);
    assertPeriod("month", "2024-02-01", 4, 3, 0.75);
    assertPeriod("month", "2024-03-01", 2, 2, 1.0);
    assertPeriod("month", "2024-04-01", 1, 0, 0.0);
    assertPeriod("month", "2024-05-01", 0, 0, null);
  }

  @Test
  void quarter() throws SQLException {
    assertPeriod("quarter", "2024-01-01", 4, 4, 1.0);
  }
}
