package io.crmkpi.kpi;

import static io.crmkpi.kpi.KpiQueries.only;
import static io.crmkpi.kpi.KpiTestRows.counts;
import static io.crmkpi.kpi.KpiTestRows.nums;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * kpi.pipeline_forecast and util.deal_probability on kpi/pipeline_forecast (base EUR, USD at 0.9):
 * <pre>
 * P1 stages a New (probability 20), b Proposal (none), W, L; P2 x Talk, y Contract (none), W2, L2; P3 z Bid (no won stage)
 * historical win rates (kpi.conversion_by_stage, grain all): funnel levels
 *   P1: f1 1, f2 2, f3 2, f4 1, f5 2, f6 1, w1 won, w2 won, l1 2 (history a, b, lost); dx deleted
 *       reached b = f2 f3 f5 l1 w1 w2 = 6, won = 2 -> Proposal 33.33 %
 *   P2 (inferred history): g1 x, g4 y, g2 won, g3 lost from x -> reached x 4, y 2, won 1 -> Talk 25 %, Contract 50 %
 *   P3 has no won stage -> no rate: g5 has no probability (source none)
 * May 2024, P1, Anna: f1 1000 x 20 % = 200 (stage), f2 500 x 0 % (deal), f3 1000 USD = 900 x 100 % (deal),
 *   f4 no amount (stage) -> 4 deals, 2400, 1100, mixed; w1 won 700 on May 5; dx (deleted, 9999) excluded
 * June, P1, Boris: f5 300 x 1/3 = 100 (history); NULL month, P1, Boris: f6 100 x 20 % = 20 (stage)
 * April, P1, Boris: w2 won 400 (moved from Anna, counts for its owner now); l1 lost: no row
 * May, P2, Anna: g1 200 x 25 % + g4 400 x 50 % = 250 (history); March, P2, Anna: g2 won 100
 * May, P3, Boris: g5 50, weighted 0 (none)
 * </pre>
 */
class PipelineForecastTest {

  @Test
  void weightedForecastPerMonthPipelineAndOwnerFromHandWork() throws Exception {
    try (Connection c = KpiTestRows.connect("pipeline_forecast", "currency=EUR")) {
      assertEquals(List.of("expected_close_month", "pipeline_id", "owner_user_id", "open_deals", "open_amount",
          "weighted_amount", "probability_source", "won_amount", "pipeline_name", "owner_name", "won_deals",
          "open_deals_without_amount", "deals_by_deal_probability", "deals_by_stage_probability", "deals_by_history",
          "deals_without_probability"), KpiTestRows.columns(c, "pipeline_forecast"));
      List<Map<String, Object>> rows = KpiTestRows.rows(c, "SELECT * FROM kpi.pipeline_forecast");
      assertEquals(7, rows.size(), rows::toString);

      Map<String, Object> may = only(rows, "expected_close_month", "2024-05-01", "pipeline_id", "P1", "owner_user_id", "u1");
      counts(may, "open_deals", 4, "won_deals", 1, "open_deals_without_amount", 1, "deals_by_deal_probability", 2,
          "deals_by_stage_probability", 2, "deals_by_history", 0, "deals_without_probability", 0);
      nums(may, "open_amount", 2400.0, "weighted_amount", 1100.0, "won_amount", 700.0);
      assertEquals("mixed", may.get("probability_source"));
      assertEquals("Sales", may.get("pipeline_name"));
      assertEquals("Anna", may.get("owner_name"));

      Map<String, Object> june = only(rows, "expected_close_month", "2024-06-01", "pipeline_id", "P1");
      assertEquals("u2", june.get("owner_user_id"));
      counts(june, "open_deals", 1, "deals_by_history", 1, "won_deals", 0);
      nums(june, "open_amount", 300.0, "weighted_amount", 100.0, "won_amount", 0.0);
      assertEquals("history", june.get("probability_source"));

      Map<String, Object> undated = only(rows, "expected_close_month", "null", "pipeline_id", "P1", "owner_user_id", "u2");
      counts(undated, "open_deals", 1, "deals_by_stage_probability", 1, "won_deals", 0);
      nums(undated, "open_amount", 100.0, "weighted_amount", 20.0, "won_amount", 0.0);
      assertEquals("stage", undated.get("probability_source"));

      Map<String, Object> april = only(rows, "expected_close_month", "2024-04-01", "pipeline_id", "P1");
      assertEquals("u2", april.get("owner_user_id"));
      counts(april, "open_deals", 0, "won_deals", 1);
      nums(april, "open_amount", 0.0, "weighted_amount", 0.0, "won_amount", 400.0);
      assertNull(april.get("probability_source"));

      Map<String, Object> partners = only(rows, "expected_close_month", "2024-05-01", "pipeline_id", "P2", "owner_user_id", "u1");
      counts(partners, "open_deals", 2, "deals_by_history", 2);
      nums(partners, "open_amount", 600.0, "weighted_amount", 250.0, "won_amount", 0.0);
      assertEquals("history", partners.get("probability_source"));
      nums(only(rows, "expected_close_month", "2024-03-01", "pipeline_id", "P2"), "won_amount", 100.0, "open_amount", 0.0);

      Map<String, Object> tenders = only(rows, "expected_close_month", "2024-05-01", "pipeline_id", "P3");
      counts(tenders, "open_deals", 1, "deals_without_probability", 1);
      nums(tenders, "open_amount", 50.0, "weighted_amount", 0.0);
      assertEquals("none", tenders.get("probability_source"));
    }
  }

  @Test
  void probabilityPrecedenceDealThenStageThenHistory() throws Exception {
    try (Connection c = KpiTestRows.connect("pipeline_forecast", "currency=EUR")) {
      List<Map<String, Object>> p = KpiTestRows.rows(c, "SELECT * FROM util.deal_probability");
      assertEquals(14, p.size(), "every deal but the deleted one: " + p);
      Object[][] expected = {
          {"f1", 20.0, "stage"}, {"f2", 0.0, "deal"}, {"f3", 100.0, "deal"}, {"f4", 20.0, "stage"},
          {"f5", 100.0 / 3, "history"}, {"f6", 20.0, "stage"}, {"w1", 100.0, "outcome"}, {"w2", 100.0, "outcome"},
          {"l1", 0.0, "outcome"}, {"g1", 25.0, "history"}, {"g4", 50.0, "history"}, {"g5", null, "none"}};
      for (Object[] e : expected) {
        Map<String, Object> row = only(p, "deal_id", e[0]);
        nums(row, "probability", e[1]);
        assertEquals(e[2], row.get("probability_source"), () -> "source of " + e[0]);
      }
    }
  }
}
