package io.crmkpi.kpi;

import static io.crmkpi.kpi.KpiTestRows.counts;
import static io.crmkpi.kpi.KpiTestRows.nums;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * kpi.sales_velocity on kpi/sales_velocity (base EUR, USD at 0.9):
 * <pre>
 * P1: v1 Dec 10 -> won Jan 11, 1000, 32 d | v2 Dec 20 -> lost Jan 5 | v3 Dec 15 open | v4 Jan 10 -> won Jan 20 12:00,
 *     no amount, 10.5 d | v5 Nov 1 -> won Jan 31, 2000 USD = 1800, 91 d | v6 deleted | v7 created Feb 1 00:00, open
 *     | v8 Dec 1 -> won Feb 1 00:00, 300, 62 d | v9 won Jan 12 without created_at (left out)
 * P1 Jan: open at Jan 1 = v1 v2 v3 v5 v8 = 5; won v1 v4 v5 = 3, lost v2 = 1, win rate 0.75;
 *     won amount 2800 over 2 priced -> 1400; cycle 32 + 10.5 + 91 = 133.5 / 3 = 44.5;
 *     velocity 5 x 0.75 x 1400 / 44.5 = 117.977...
 * P1 Feb: open at Feb 1 = v3, v8 (closes at Feb 1 00:00, not before it) = 2 (v7 is created at that instant: not before);
 *     won v8: 1, 300, 62 d -> 2 x 1 x 300 / 62 = 9.677...
 * P1 Mar: open v3 v7 = 2, nothing closed -> win rate, velocity NULL
 * P1 Q1: open 5; won 4, lost 1 -> 0.8; 3100 / 3 priced; cycle 195.5 / 4 = 48.875
 * P2 Jan: w4 2 d, 300, nothing open at Jan 1 -> velocity 0 | Feb: w2 open then lost -> win rate 0, avg NULL, velocity NULL
 *     | Mar: w3 open (created Feb 15), won in 24 d, 200 -> 1 x 1 x 200 / 24 | Apr: w6 open, w1 won in 0 d -> NULL (cycle 0)
 * </pre>
 */
class SalesVelocityTest {

  @Test
  void componentsAndVelocityPerPipeline() throws Exception {
    try (Connection c = KpiQueries.connect("sales_velocity")) {
      assertEquals(List.of("grain", "period_start", "period_end", "is_complete", "pipeline_id", "open_deals",
          "deals_won", "deals_lost", "win_rate", "won_amount", "won_with_amount", "avg_won_amount", "cycle_days_total",
          "avg_cycle_days", "velocity_per_day"), KpiTestRows.columns(c, "sales_velocity"));
      List<Map<String, Object>> rows = KpiTestRows.rows(c, "SELECT * FROM kpi.sales_velocity WHERE grain IN ('month', 'quarter')"
          + " AND period_start <= DATE '2024-04-01'");

      Map<String, Object> p1jan = row(rows, "month", "2024-01-01", "P1");
      counts(p1jan, "open_deals", 5, "deals_won", 3, "deals_lost", 1, "won_with_amount", 2);
      nums(p1jan, "win_rate", 0.75, "won_amount", 2800.0, "avg_won_amount", 1400.0, "cycle_days_total", 133.5,
          "avg_cycle_days", 44.5, "velocity_per_day", 5 * 0.75 * 1400 / 44.5);

      Map<String, Object> p1feb = row(rows, "month", "2024-02-01", "P1");
      counts(p1feb, "open_deals", 2, "deals_won", 1, "deals_lost", 0);
      nums(p1feb, "win_rate", 1.0, "avg_won_amount", 300.0, "avg_cycle_days", 62.0, "velocity_per_day", 2 * 300 / 62.0);

      Map<String, Object> p1mar = row(rows, "month", "2024-03-01", "P1");
      counts(p1mar, "open_deals", 2, "deals_won", 0, "deals_lost", 0, "won_with_amount", 0);
      nums(p1mar, "win_rate", null, "won_amount", 0.0, "avg_won_amount", null, "cycle_days_total", 0.0,
          "avg_cycle_days", null, "velocity_per_day", null);

      Map<String, Object> p1q1 = row(rows, "quarter", "2024-01-01", "P1");
      counts(p1q1, "open_deals", 5, "deals_won", 4, "deals_lost", 1, "won_with_amount", 3);
      nums(p1q1, "win_rate", 0.8, "avg_won_amount", 3100 / 3.0, "avg_cycle_days", 48.875,
          "velocity_per_day", 5 * 0.8 * (3100 / 3.0) / 48.875);

      Map<String, Object> p2jan = row(rows, "month", "2024-01-01", "P2");
      counts(p2jan, "open_deals", 0, "deals_won", 1, "deals_lost", 0);
      nums(p2jan, "win_rate", 1.0, "avg_won_amount", 300.0, "avg_cycle_days", 2.0, "velocity_per_day", 0.0);

      Map<String, Object> p2feb = row(rows, "month", "2024-02-01", "P2");
      counts(p2feb, "open_deals", 1, "deals_won", 0, "deals_lost", 1);
      nums(p2feb, "win_rate", 0.0, "avg_won_amount", null, "velocity_per_day", null);

      Map<String, Object> p2mar = row(rows, "month", "2024-03-01", "P2");
      counts(p2mar, "open_deals", 1, "deals_won", 1, "deals_lost", 0);
      nums(p2mar, "avg_won_amount", 200.0, "avg_cycle_days", 24.0, "velocity_per_day", 200 / 24.0);

      Map<String, Object> p2apr = row(rows, "month", "2024-04-01", "P2");
      counts(p2apr, "open_deals", 1, "deals_won", 1);
      nums(p2apr, "win_rate", 1.0, "avg_won_amount", 100.0, "avg_cycle_days", 0.0, "velocity_per_day", null);

      // the axis starts at the first creation (v5, November 2023), every pipeline on it
      Map<String, Object> p2nov = row(rows, "month", "2023-11-01", "P2");
      counts(p2nov, "open_deals", 0, "deals_won", 0);
      counts(row(rows, "month", "2023-12-01", "P1"), "open_deals", 1, "deals_won", 0);
      assertEquals(LocalDate.of(2023, 11, 1), KpiTestRows.one(c,
          "SELECT MIN(period_start) AS m FROM kpi.sales_velocity WHERE grain = 'month'").get("m"));
    }
  }

  private static Map<String, Object> row(List<Map<String, Object>> rows, String grain, String start, String pipeline) {
    return KpiQueries.only(rows, "grain", grain, "period_start", start, "pipeline_id", pipeline);
  }
}
