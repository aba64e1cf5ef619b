package io.crmkpi.kpi;

import static io.crmkpi.kpi.KpiTestRows.counts;
import static io.crmkpi.kpi.KpiTestRows.nums;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * kpi.loss_analysis on kpi/loss_analysis (base EUR, USD at 0.9; stages New a, Qualified b, Proposal c open,
 * Won W, lost L and L2):
 * <pre>
 * Anna, January: lost l1 (price, a -> b -> L: at Qualified, 100), l2 (price, at Proposal, 200 USD = 180),
 *   l3 (price, at Qualified, 50), l4 (no reason, no amount, no real history: unknown), l5 (timing, lost at New,
 *   reopened to Qualified, Proposal, lost again: at Proposal, 300, counted once); won l6 1000, l7 500,
 *   l11 without amount; l9 deleted; l12 open.
 *   rows: (price, b) 2 / 150 | (price, c) 1 / 180 | (timing, c) 1 / 300 | (unknown, NULL) 1 / 0
 *   totals: won 3 / 1500, lost 5 / 630 -> win rate 3 / 8 = 0.375, by value 1500 / 2130
 * Boris, January: won l8 400, nothing lost -> one row, loss_reason NULL, lost 0, win rates 1 and 1
 * Boris, February: l10 a -> L2 (lost) -> L: lost at New (the move from the open stage), price, 60;
 *   win rate 0 and by value 0
 * Boris, Q1: won 1 / 400, lost 1 / 60 -> 0.5 and 400 / 460
 * </pre>
 */
class LossAnalysisTest {

  @Test
  void lostByReasonStageAndOwnerWithWinRates() throws Exception {
    try (Connection c = KpiQueries.connect("loss_analysis")) {
      assertEquals(List.of("grain", "period_start", "period_end", "is_complete", "owner_user_id", "owner_name",
          "loss_reason", "lost_at_stage_id", "lost_at_stage", "lost_deals", "lost_amount", "owner_won_deals",
          "owner_won_amount", "owner_lost_deals", "owner_lost_amount", "win_rate", "win_rate_by_value"),
          KpiTestRows.columns(c, "loss_analysis"));
      List<Map<String, Object>> rows = KpiTestRows.rows(c,
          "SELECT * FROM kpi.loss_analysis WHERE grain IN ('month', 'quarter')");

      List<Map<String, Object>> annaJan = KpiQueries.where(rows, "grain", "month", "period_start", "2024-01-01",
          "owner_user_id", "u1");
      assertEquals(4, annaJan.size(), () -> "Anna's January rows: " + annaJan);
      Map<String, Object> priceB = KpiQueries.only(annaJan, "loss_reason", "price", "lost_at_stage_id", "b");
      assertEquals("Qualified", priceB.get("lost_at_stage"));
      assertEquals("Anna", priceB.get("owner_name"));
      counts(priceB, "lost_deals", 2);
      nums(priceB, "lost_amount", 150.0);
      Map<String, Object> priceC = KpiQueries.only(annaJan, "loss_reason", "price", "lost_at_stage_id", "c");
      counts(priceC, "lost_deals", 1);
      nums(priceC, "lost_amount", 180.0);
      Map<String, Object> timing = KpiQueries.only(annaJan, "loss_reason", "timing");
      assertEquals("c", timing.get("lost_at_stage_id"));
      assertEquals("Proposal", timing.get("lost_at_stage"));
      counts(timing, "lost_deals", 1);
      nums(timing, "lost_amount", 300.0);
      Map<String, Object> unknown = KpiQueries.only(annaJan, "loss_reason", "unknown");
      assertEquals(null, unknown.get("lost_at_stage_id"));
      assertEquals("unknown", unknown.get("lost_at_stage"));
      counts(unknown, "lost_deals", 1);
      nums(unknown, "lost_amount", 0.0);
      for (Map<String, Object> r : annaJan) {
        counts(r, "owner_won_deals", 3, "owner_lost_deals", 5);
        nums(r, "owner_won_amount", 1500.0, "owner_lost_amount", 630.0, "win_rate", 0.375,
            "win_rate_by_value", 1500 / 2130.0);
      }

      Map<String, Object> borisJan = KpiQueries.only(rows, "grain", "month", "period_start", "2024-01-01",
          "owner_user_id", "u2");
      assertEquals(null, borisJan.get("loss_reason"));
      assertEquals(null, borisJan.get("lost_at_stage"));
      counts(borisJan, "lost_deals", 0, "owner_won_deals", 1, "owner_lost_deals", 0);
      nums(borisJan, "lost_amount", 0.0, "owner_won_amount", 400.0, "win_rate", 1.0, "win_rate_by_value", 1.0);

      Map<String, Object> borisFeb = KpiQueries.only(rows, "grain", "month", "period_start", "2024-02-01",
          "owner_user_id", "u2");
      assertEquals("price", borisFeb.get("loss_reason"));
      assertEquals("a", borisFeb.get("lost_at_stage_id"));
      assertEquals("New", borisFeb.get("lost_at_stage"));
      counts(borisFeb, "lost_deals", 1, "owner_won_deals", 0, "owner_lost_deals", 1);
      nums(borisFeb, "lost_amount", 60.0, "win_rate", 0.0, "win_rate_by_value", 0.0);
      // Anna closed nothing in February: no row
      assertEquals(List.of(), KpiQueries.where(rows, "grain", "month", "period_start", "2024-02-01",
          "owner_user_id", "u1"));

      Map<String, Object> borisQ1 = KpiQueries.only(rows, "grain", "quarter", "period_start", "2024-01-01",
          "owner_user_id", "u2");
      counts(borisQ1, "lost_deals", 1, "owner_won_deals", 1, "owner_lost_deals", 1);
      nums(borisQ1, "win_rate", 0.5, "win_rate_by_value", 400 / 460.0);

      // lost_deals is additive: the quarter's rows add up to all 6 losses (l9 deleted is not one)
      assertEquals(6L, ((Number) KpiTestRows.one(c, "SELECT SUM(lost_deals) AS n FROM kpi.loss_analysis"
          + " WHERE grain = 'quarter' AND period_start = DATE '2024-01-01'").get("n")).longValue());
    }
  }
}
