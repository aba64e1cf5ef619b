package io.crmkpi.kpi;

import static io.crmkpi.kpi.KpiTestRows.nums;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    assertEquals(18, s.size(), s.keySet().toString());
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
        {"ltv_12m", "money", "up", 120.0, null, null, null}};
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
}
