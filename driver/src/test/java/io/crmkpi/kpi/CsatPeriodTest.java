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
 * kpi.csat_period on kpi/csat_period/survey_responses.csv:
 * <pre>
 * Jan: 5, 4, 3, 1, 5 (+ an NPS 10, ignored) -> 5 responses, 3 satisfied, csat 0.6, mean 18/5 = 3.6
 * Feb: none -> 0, 0, NULL, NULL
 * Mar: 2 -> 1, 0, csat 0.0, mean 2.0
 * Q1: 6 responses, 3 satisfied -> 0.5 (not the mean of months 0.3), mean 20/6 = 3.333
 * </pre>
 */
class CsatPeriodTest {

  @Test
  void topTwoBoxAndMeanScore() throws Exception {
    try (Connection c = KpiTestRows.connect("csat_period")) {
      assertEquals(List.of("grain", "period_start", "period_end", "is_complete", "responses", "satisfied", "csat",
          "avg_score"), KpiTestRows.columns(c, "csat_period"));
      Map<String, Object> jan = period(c, "csat_period", "month", "2024-01-01");
      counts(jan, "responses", 5, "satisfied", 3);
      nums(jan, "csat", 0.6, "avg_score", 3.6);
      Map<String, Object> feb = period(c, "csat_period", "month", "2024-02-01");
      counts(feb, "responses", 0, "satisfied", 0);
      nums(feb, "csat", null, "avg_score", null);
      Map<String, Object> mar = period(c, "csat_period", "month", "2024-03-01");
      counts(mar, "responses", 1, "satisfied", 0);
      nums(mar, "csat", 0.0, "avg_score", 2.0);
      Map<String, Object> q1 = period(c, "csat_period", "quarter", "2024-01-01");
      counts(q1, "responses", 6, "satisfied", 3);
      nums(q1, "csat", 0.5, "avg_score", 20.0 / 6);
    }
  }
}
