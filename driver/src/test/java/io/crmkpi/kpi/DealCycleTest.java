package io.crmkpi.kpi;

import static io.crmkpi.kpi.KpiTestRows.counts;
import static io.crmkpi.kpi.KpiTestRows.nums;
import static io.crmkpi.kpi.KpiTestRows.period;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * kpi.deal_cycle on kpi/deal_cycle (won deals by closed_at; lost, open and deleted deals ignored):
 * <pre>
 * P1 Jan: a4 4 d, a1 10 d, a2 20.5 d, a3 61 d (Dec 1 -> Jan 31)       a9 is deleted (1109 d, ignored)
 *   mean 95.5 / 4 = 23.875; median (10 + 20.5) / 2 = 15.25;
 *   p90 (continuous): rank 0.9 x 3 = 2.7 -> 20.5 + 0.7 x (61 - 20.5) = 48.85
 * P1 Mar: a6 reopened, re-won Mar 2 -> created Feb 1 to last close = 30 d (leap February): 30 / 30 / 30
 * P2 Jan: b1 Jan 5 06:00 -> Jan 6 00:00 = 0.75 d (fractional, not 0)
 * Feb: both pipelines 0 won, NULL durations
 * Q1 P1: 4, 10, 20.5, 30, 61 -> mean 125.5 / 5 = 25.1, median 20.5, p90 rank 3.6 -> 30 + 0.6 x 31 = 48.6
 * </pre>
 */
class DealCycleTest {

  @Test
  void meanMedianP90PerPipeline() throws Exception {
    try (Connection c = KpiTestRows.connect("deal_cycle")) {
      assertEquals(List.of("grain", "period_start", "period_end", "is_complete", "pipeline_id", "deals_won",
          "avg_cycle_days", "median_cycle_days", "p90_cycle_days"), KpiTestRows.columns(c, "deal_cycle"));
      Map<String, Object> p1jan = period(c, "deal_cycle", "month", "2024-01-01", "pipeline_id = 'P1'");
      counts(p1jan, "deals_won", 4);
      nums(p1jan, "avg_cycle_days", 23.875, "median_cycle_days", 15.25, "p90_cycle_days", 48.85);

      Map<String, Object> p2jan = period(c, "deal_cycle", "month", "2024-01-01", "pipeline_id = 'P2'");
      counts(p2jan, "deals_won", 1);
      nums(p2jan, "avg_cycle_days", 0.75, "median_cycle_days", 0.75, "p90_cycle_days", 0.75);

      for (String p : List.of("P1", "P2")) {
        Map<String, Object> feb = period(c, "deal_cycle", "month", "2024-02-01", "pipeline_id = '" + p + "'");
        counts(feb, "deals_won", 0);
        nums(feb, "avg_cycle_days", null, "median_cycle_days", null, "p90_cycle_days", null);
      }
      Map<String, Object> p1mar = period(c, "deal_cycle", "month", "2024-03-01", "pipeline_id = 'P1'");
      counts(p1mar, "deals_won", 1);
      nums(p1mar, "avg_cycle_days", 30.0, "median_cycle_days", 30.0, "p90_cycle_days", 30.0);

      Map<String, Object> q1 = period(c, "deal_cycle", "quarter", "2024-01-01", "pipeline_id = 'P1'");
      counts(q1, "deals_won", 5);
      nums(q1, "avg_cycle_days", 25.1, "median_cycle_days", 20.5, "p90_cycle_days", 48.6);
      // the axis starts at the first (non-deleted) win: January 2024
      assertEquals(java.time.LocalDate.of(2024, 1, 1), KpiTestRows.one(c,
          "SELECT MIN(period_start) AS m FROM kpi.deal_cycle WHERE grain = 'month'").get("m"));
    }
  }
}
