package io.crmkpi.kpi;

import static io.crmkpi.kpi.KpiTestRows.nums;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kpi.scorecard on kpi/scorecard, whose dates are relative to today: B = the latest complete month (M-1),
 * A = the month before (M-2). Base currency EUR, gross_margin 1 unless set.
 * <pre>
 * metric                   A (previous)                         B (value)                             change   change_pct
 * new_leads                4                                    5                                      1       0.25
 * deal_success_rate        1 won / 4 leads = 0.25               2 / 5 = 0.4                            0.15    0.6
 * win_rate                 1 / (1 + 1) = 0.5                    2 / (2 + 1) = 2/3                      1/6     1/3
 * revenue                  dA1 100                              dB1 300 + dB2 100 = 400                300     3
 * orders                   1                                    2                                      1       1
 * avg_check                100                                  200                                    100     1
 * upsell_rate              0 / 1 = 0                            0 / 2 = 0                              0       NULL (prev 0)
 * avg_cycle_days           10                                   (4 + 8) / 2 = 6                       -4      -0.4  (better down)
 * cac                      spend 200 / 1 new (c1) = 200         300 / 1 new (c2) = 300                 100     0.5
 * romi                     (100 - 200) / 200 = -0.5             (400 - 300) / 300 = 1/3                5/6     5/3 (|prev|)
 * nps                      10, 0 -> 100 x (1 - 1) / 2 = 0       10, 9, 7 -> 100 x 2 / 3 = 66.67        66.67   NULL
 * csat                     5, 2 -> 0.5                          4, 4, 5, 1 -> 0.75                     0.25    0.5
 * churn_rate               nobody active at the start -> NULL   c1 active, none churned -> 0           NULL    NULL
 * retention_rate           NULL                                 1                                      NULL    NULL
 * median_response_minutes  10, 20, 30 (LA4 unanswered) -> 20    5, 15 -> 10                           -10     -0.5
 * tickets                  2                                    1                                     -1      -0.5
 * orders_per_customer      1 / 1 = 1                            2 / 2 = 1                              0       0
 * ltv_12m                  cohort M-13: none -> NULL            cohort M-12 (c9: 50 + 70) / 1 = 120    NULL    NULL
 * sales_velocity           open at A's start: dO (created M-3)   open at B's start: dO = 1             155/9   31/9
 *                          1 x 1/2 x 100 / 10 = 5               1 x 2/3 x 200 / 6 = 200/9 = 22.22
 * gross_margin 0.5: romi A (50 - 200) / 200 = -0.75, B (200 - 300) / 300 = -1/3
 * </pre>
 */
class ScorecardTest {

  @TempDir
  Path dir;

  private Map<String, Map<String, Object>> scorecard(String... options) throws Exception {
    Map<String, Map<String, Object>> byMetric = new HashMap<>();
    try (Connection c = KpiTestRows.connect(KpiTestRows.materialize("scorecard", dir), options)) {
      assertEquals(List.of("metric", "label", "unit", "period_start", "value", "previous_value", "change",
          "change_pct", "better"), KpiTestRows.columns(c, "scorecard"));
      for (Map<String, Object> r : KpiTestRows.rows(c, "SELECT * FROM kpi.scorecard")) {
        byMetric.put((String) r.get("metric"), r);
      }
    }
    return byMetric;
  }

  @Test
  void latestCompleteMonthAgainstTheOneBefore() throws Exception {
    Map<String, Map<String, Object>> s = scorecard();
    assertEquals(19, s.size(), s.keySet().toString());
    Object[][] expected = {
        {"new_leads", "count", "up", 5.0, 4.0, 1.0, 0.25},
        {"deal_success_rate", "fraction", "up", 0.4, 0.25, 0.15, 0.6},
        {"win_rate", "fraction", "up", 2.0 / 3, 0.5, 1.0 / 6, 1.0 / 3},
        {"revenue", "money", "up", 400.0, 100.0, 300.0, 3.0},
        {"orders", "count", "up", 2.0, 1.0, 1.0, 1.0},
        {"avg_check", "money", "up", 200.0, 100.0, 100.0, 1.0},
        {"upsell_rate", "fraction", "up", 0.0, 0.0, 0.0, null},
        {"avg_cycle_days", "days", "down", 6.0, 10.0, -4.0, -0.4},
        {"cac", "money", "down", 300.0, 200.0, 100.0, 0.5},
        {"romi", "fraction", "up", 1.0 / 3, -0.5, 5.0 / 6, 5.0 / 3},
        {"nps", "score", "up", 200.0 / 3, 0.0, 200.0 / 3, null},
        {"csat", "fraction", "up", 0.75, 0.5, 0.25, 0.5},
        {"churn_rate", "fraction", "down", 0.0, null, null, null},
        {"retention_rate", "fraction", "up", 1.0, null, null, null},
        {"median_response_minutes", "minutes", "down", 10.0, 20.0, -10.0, -0.5},
        {"tickets", "count", "down", 1.0, 2.0, -1.0, -0.5},
        {"orders_per_customer", "count", "up", 1.0, 1.0, 0.0, 0.0},
        {"ltv_12m", "money", "up", 120.0, null, null, null},
        {"sales_velocity", "money", "up", 200.0 / 9, 5.0, 200.0 / 9 - 5, (200.0 / 9 - 5) / 5}};
    for (Object[] e : expected) {
      Map<String, Object> r = s.get((String) e[0]);
      assertEquals(e[1], r.get("unit"), () -> e[0] + " unit");
      assertEquals(e[2], r.get("better"), () -> e[0] + " better");
      assertEquals(KpiTestRows.monthsAgo(1), r.get("period_start"));
      nums(r, "value", e[3], "previous_value", e[4], "change", e[5], "change_pct", e[6]);
    }
    assertEquals("Net Promoter Score", s.get("nps").get("label"));
  }

  @Test
  void grossMarginChangesRomi() throws Exception {
    Map<String, Object> romi = scorecard("gross_margin=0.5").get("romi");
    nums(romi, "value", -1.0 / 3, "previous_value", -0.75, "change", -1.0 / 3 + 0.75, "change_pct",
        (-1.0 / 3 + 0.75) / 0.75);
  }

  /**
   * The scorecard is read from the component views: on the demo CRM (two seeds, thousands of rows), every
   * metric's value and previous value equal what the kpi views give for those months, computed here from the
   * views' own columns. Guards the shortcuts the scorecard takes for speed (the month filter pushed into the
   * components, lead medians read from util.first_responses by created_month, the churn spine without a window).
   */
  @Test
  void equalsTheComponentViewsOnTheDemo() throws Exception {
    for (String url : List.of("jdbc:crmkpi:demo;deals=3000;seed=7", "jdbc:crmkpi:demo;deals=3000;seed=11")) {
      try (Connection c = DriverManager.getConnection(url)) {
        Map<String, Map<String, Object>> s = new HashMap<>();
        for (Map<String, Object> r : KpiTestRows.rows(c, "SELECT * FROM kpi.scorecard")) {
          s.put((String) r.get("metric"), r);
        }
        assertEquals(19, s.size(), s.keySet().toString());
        LocalDate cur = KpiTestRows.monthsAgo(1);
        LocalDate prev = KpiTestRows.monthsAgo(2);
        assertEquals(cur, s.get("revenue").get("period_start"));
        for (Object[] m : new Object[][] {
            {"new_leads", "SELECT CAST(leads AS DOUBLE) FROM kpi.deal_success_rate WHERE grain = 'month' AND period_start = ?"},
            {"deal_success_rate", "SELECT success_rate FROM kpi.deal_success_rate WHERE grain = 'month' AND period_start = ?"},
            {"win_rate", "SELECT win_rate FROM kpi.deal_success_rate WHERE grain = 'month' AND period_start = ?"},
            {"revenue", "SELECT CAST(revenue AS DOUBLE) FROM kpi.sales_period WHERE grain = 'month' AND period_start = ?"},
            {"orders", "SELECT CAST(orders AS DOUBLE) FROM kpi.sales_period WHERE grain = 'month' AND period_start = ?"},
            {"avg_check", "SELECT avg_check FROM kpi.sales_period WHERE grain = 'month' AND period_start = ?"},
            {"upsell_rate", "SELECT upsell_rate FROM kpi.sales_period WHERE grain = 'month' AND period_start = ?"},
            {"avg_cycle_days", "SELECT SUM(CAST(avg_cycle_days AS DOUBLE) * deals_won) / SUM(deals_won) FROM kpi.deal_cycle"
                + " WHERE grain = 'month' AND period_start = ? AND deals_won > 0"},
            {"cac", "SELECT cost_per_new_customer FROM kpi.cost_per_customer WHERE grain = 'month' AND period_start = ?"},
            {"romi", "SELECT (SUM(CAST(revenue AS DOUBLE)) - SUM(CAST(spend AS DOUBLE))) / NULLIF(SUM(CAST(spend AS DOUBLE)), 0)"
                + " FROM kpi.romi_by_channel WHERE grain = 'month' AND period_start = ?"},
            {"nps", "SELECT CAST(nps AS DOUBLE) FROM kpi.nps_period WHERE grain = 'month' AND period_start = ?"},
            {"csat", "SELECT CAST(csat AS DOUBLE) FROM kpi.csat_period WHERE grain = 'month' AND period_start = ?"},
            {"churn_rate", "SELECT churn_rate FROM kpi.churn_monthly WHERE \"month\" = ?"},
            {"retention_rate", "SELECT retention_rate FROM kpi.churn_monthly WHERE \"month\" = ?"},
            {"median_response_minutes", "SELECT median_minutes FROM kpi.response_time WHERE grain = 'month' AND kind = 'lead'"
                + " AND period_start = ?"},
            {"tickets", "SELECT CAST(SUM(tickets_created) AS DOUBLE) FROM kpi.support_tickets WHERE grain = 'month'"
                + " AND period_start = ?"},
            {"orders_per_customer", "SELECT orders_per_customer FROM kpi.purchase_frequency WHERE grain = 'month'"
                + " AND period_start = ?"},
            {"ltv_12m", "SELECT ltv FROM kpi.ltv_cohort WHERE months_since = 11"
                + " AND cohort_month = CAST(? AS DATE) - INTERVAL '11' MONTH"},
            {"sales_velocity", "SELECT CAST(SUM(open_deals) AS DOUBLE) * SUM(deals_won) / SUM(deals_won + deals_lost)"
                + " * SUM(won_amount) / SUM(won_with_amount) / (SUM(cycle_days_total) / SUM(deals_won))"
                + " FROM kpi.sales_velocity WHERE grain = 'month' AND period_start = ?"}}) {
          String metric = (String) m[0];
          Double value = viewValue(c, (String) m[1], cur);
          Double previous = viewValue(c, (String) m[1], prev);
          nums(s.get(metric), "value", value, "previous_value", previous);
          if (!metric.equals("ltv_12m") && !metric.startsWith("churn") && !metric.startsWith("retention")) {
            // the demo has data in both months for these: the comparison is not of two NULLs
            assertEquals(true, value != null && previous != null, () -> url + " " + metric + " has data");
          }
        }
      }
    }
  }

  private static Double viewValue(Connection c, String sql, LocalDate month) throws Exception {
    try (java.sql.PreparedStatement p = c.prepareStatement(sql)) {
      p.setDate(1, Date.valueOf(month));
      try (java.sql.ResultSet rs = p.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        double v = rs.getDouble(1);
        return rs.wasNull() ? null : v;
      }
    }
  }
}
