package io.crmkpi.kpi;

import static io.crmkpi.kpi.KpiTestRows.monthsAgo;
import static io.crmkpi.kpi.KpiTestRows.nums;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kpi.crm_impact on kpi/crm_impact (the same today-relative data as kpi/scorecard: A = M-2, B = M-1; see
 * ScorecardTest for the monthly figures).
 * <pre>
 * golive = day 15 of M-1, impact_months = 1: before = [M-2, M-1) = A, after = [M-1, M) = B -> the scorecard's
 *   previous / current values (e.g. revenue 100 -> 400, win_rate 0.5 -> 2/3, median response 20 -> 10).
 * golive = first day of M-1, impact_months = 2: before = [M-3, M-1) = {M-3 (empty), A}, after = [M-2, M) = {A, B}
 *   new_leads 4 -> 9; deal_success_rate 0.25 -> 3/9; win_rate 0.5 -> 3/5; revenue 100 -> 500; orders 1 -> 3;
 *   avg_check 100 -> 500/3; avg_cycle_days 10 -> (10 + 4 + 8)/3 = 22/3 (pooled, not the mean of 10 and 6 = 8);
 *   cac 200 -> (200 + 300)/2 = 250; romi -0.5 -> (500 - 500)/500 = 0; nps 0 -> 100 x (3 - 1)/5 = 40
 *   (not (0 + 66.7)/2); csat 0.5 -> 4/6; churn_rate NULL (no one active at the starts) -> 0/1 = 0;
 *   median response 20 -> median of 10, 20, 30, 5, 15 = 15 (recomputed, not from monthly medians);
 *   tickets 2 -> 3; orders_per_customer 1 -> 3/3 = 1; ltv_12m NULL -> 120; upsell_rate 0 -> 0;
 *   sales_velocity: M-3 undefined (nothing closed), A 5, B 200/9 -> before 5, after the mean (5 + 200/9) / 2
 * no golive: no rows.
 * </pre>
 */
class CrmImpactTest {

  @TempDir
  Path dir;

  private Map<String, Map<String, Object>> impact(String... options) throws Exception {
    Map<String, Map<String, Object>> byMetric = new HashMap<>();
    try (Connection c = KpiTestRows.connect(KpiTestRows.materialize("crm_impact", dir), options)) {
      assertEquals(List.of("metric", "label", "unit", "before_start", "before_end", "after_start", "after_end",
          "before_value", "after_value", "change", "change_pct", "better"), KpiTestRows.columns(c, "crm_impact"));
      for (Map<String, Object> r : KpiTestRows.rows(c, "SELECT * FROM kpi.crm_impact")) {
        byMetric.put((String) r.get("metric"), r);
      }
    }
    return byMetric;
  }

  @Test
  void withoutGoliveThereAreNoRowsAndTheDescriptionSaysHowToSetIt() throws Exception {
    assertTrue(impact().isEmpty());
    try (Connection c = KpiTestRows.connect(KpiTestRows.materialize("crm_impact", dir));
         ResultSet rs = c.getMetaData().getTables(null, "kpi", "crm_impact", null)) {
      assertTrue(rs.next());
      assertTrue(rs.getString("REMARKS").contains(";golive="), rs.getString("REMARKS"));
    }
  }

  @Test
  void oneMonthWindowsEqualTheScorecardMonths() throws Exception {
    Map<String, Map<String, Object>> m = impact("golive=" + monthsAgo(1).plusDays(14), "impact_months=1");
    assertEquals(19, m.size());
    Map<String, Object> revenue = m.get("revenue");
    assertEquals(monthsAgo(2), revenue.get("before_start"));
    assertEquals(monthsAgo(1), revenue.get("before_end"));
    assertEquals(monthsAgo(1), revenue.get("after_start"));
    assertEquals(monthsAgo(0), revenue.get("after_end"));
    nums(revenue, "before_value", 100.0, "after_value", 400.0, "change", 300.0, "change_pct", 3.0);
    nums(m.get("win_rate"), "before_value", 0.5, "after_value", 2.0 / 3);
    nums(m.get("median_response_minutes"), "before_value", 20.0, "after_value", 10.0, "change", -10.0,
        "change_pct", -0.5);
    assertEquals("down", m.get("median_response_minutes").get("better"));
    nums(m.get("nps"), "before_value", 0.0, "after_value", 200.0 / 3, "change_pct", null);
    nums(m.get("sales_velocity"), "before_value", 5.0, "after_value", 200.0 / 9);
  }

  @Test
  void twoMonthWindowsArePooledFromCounts() throws Exception {
    Map<String, Map<String, Object>> m = impact("golive=" + monthsAgo(1), "impact_months=2");
    Map<String, Object> any = m.get("orders");
    assertEquals(monthsAgo(3), any.get("before_start"));
    assertEquals(monthsAgo(1), any.get("before_end"));
    assertEquals(monthsAgo(2), any.get("after_start"));
    assertEquals(monthsAgo(0), any.get("after_end"));
    Object[][] expected = {
        {"new_leads", 4.0, 9.0},
        {"deal_success_rate", 0.25, 3.0 / 9},
        {"win_rate", 0.5, 0.6},
        {"revenue", 100.0, 500.0},
        {"orders", 1.0, 3.0},
        {"avg_check", 100.0, 500.0 / 3},
        {"upsell_rate", 0.0, 0.0},
        {"avg_cycle_days", 10.0, 22.0 / 3},
        {"cac", 200.0, 250.0},
        {"romi", -0.5, 0.0},
        {"nps", 0.0, 40.0},
        {"csat", 0.5, 4.0 / 6},
        {"churn_rate", null, 0.0},
        {"retention_rate", null, 1.0},
        {"median_response_minutes", 20.0, 15.0},
        {"tickets", 2.0, 3.0},
        {"orders_per_customer", 1.0, 1.0},
        {"ltv_12m", null, 120.0},
        {"sales_velocity", 5.0, (5.0 + 200.0 / 9) / 2}};
    for (Object[] e : expected) {
      Map<String, Object> r = m.get((String) e[0]);
      Double before = (Double) e[1];
      Double after = (Double) e[2];
      Double change = before == null ? null : after - before;
      Double pct = before == null || before == 0.0 ? null : change / Math.abs(before);
      nums(r, "before_value", before, "after_value", after, "change", change, "change_pct", pct);
    }
  }
}
