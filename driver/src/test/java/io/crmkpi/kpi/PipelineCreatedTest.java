package io.crmkpi.kpi;

import static io.crmkpi.kpi.KpiQueries.only;
import static io.crmkpi.kpi.KpiTestRows.counts;
import static io.crmkpi.kpi.KpiTestRows.nums;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kpi.pipeline_created on kpi/pipeline_created (months relative to the current one M; New 50 %, Talk 20 %; USD 0.9):
 * <pre>
 * created in M-1: c1 Anna web 1000 open (500), c2 Anna web no amount, c3 Anna ads 400 won (100 %: 400),
 *                 c4 Boris ads 300 lost (0 %); c7 deleted
 * created in M:   c5 Boris web 200 open own 100 % (200), c6 Anna web 600 USD = 540 open (270), c8 Carl ads 100 (20)
 * open and expected in M+1: Anna c1 500 + c2 (no amount) 0 = 500; Boris c5 200; Carl none (c8 is in M+2, c6 too)
 * revenue targets for M+1: Anna 1000 for every pipeline (her P1 target 9999 is not added), Boris P1 300 + P2 500 = 800,
 *   Carl 300 (and a deals_won target, ignored), the company 10000 (not matched to owners); Anna's M target unused
 * coverage on the M rows: Anna 500 / 1000 = 0.5, Boris 200 / 800 = 0.25, Carl 0 / 300 = 0 (a target without deals)
 * Dina: c9 created in M, 100 x 50 % expected in M+1 against a revenue target of 0 -> coverage NULL (zero denominator)
 * pairs: Anna web, Anna ads, Boris ads, Boris web, Carl ads, Dina web -> 6 rows per month
 * </pre>
 */
class PipelineCreatedTest {

  @Test
  void createdPipelineAndCoverageOfTheNextMonth(@TempDir Path dir) throws Exception {
    try (Connection c = KpiTestRows.connect(RelativeFixture.materialize("pipeline_created", dir), "currency=EUR")) {
      assertEquals(List.of("grain", "period_start", "period_end", "is_complete", "owner_user_id", "owner_name", "channel",
          "deals_created", "created_amount", "weighted_amount", "deals_without_amount", "next_period_start",
          "next_period_weighted", "next_period_target", "coverage"), KpiTestRows.columns(c, "pipeline_created"));
      List<Map<String, Object>> rows = KpiTestRows.rows(c, "SELECT * FROM kpi.pipeline_created WHERE grain = 'month'");
      assertEquals(12, rows.size(), rows::toString);
      String last = RelativeFixture.month(-1).toString();
      String cur = RelativeFixture.month(0).toString();

      Map<String, Object> annaWebLast = only(rows, "period_start", last, "owner_user_id", "u1", "channel", "web");
      counts(annaWebLast, "deals_created", 2, "deals_without_amount", 1);
      nums(annaWebLast, "created_amount", 1000.0, "weighted_amount", 500.0, "next_period_weighted", null,
          "next_period_target", null, "coverage", null);
      assertEquals(Boolean.TRUE, annaWebLast.get("is_complete"));
      assertNull(annaWebLast.get("next_period_start"));
      nums(only(rows, "period_start", last, "owner_user_id", "u1", "channel", "ads"),
          "deals_created", 1.0, "created_amount", 400.0, "weighted_amount", 400.0);
      nums(only(rows, "period_start", last, "owner_user_id", "u2", "channel", "ads"),
          "deals_created", 1.0, "created_amount", 300.0, "weighted_amount", 0.0);
      nums(only(rows, "period_start", last, "owner_user_id", "u2", "channel", "web"),
          "deals_created", 0.0, "created_amount", 0.0, "weighted_amount", 0.0);

      Map<String, Object> annaWeb = only(rows, "period_start", cur, "owner_user_id", "u1", "channel", "web");
      assertEquals(Boolean.FALSE, annaWeb.get("is_complete"));
      assertEquals(RelativeFixture.month(1), annaWeb.get("next_period_start"));
      counts(annaWeb, "deals_created", 1);
      nums(annaWeb, "created_amount", 540.0, "weighted_amount", 270.0, "next_period_weighted", 500.0,
          "next_period_target", 1000.0, "coverage", 0.5);
      assertEquals("Anna", annaWeb.get("owner_name"));
      // owner-level figures repeat on each channel row of the owner
      nums(only(rows, "period_start", cur, "owner_user_id", "u1", "channel", "ads"), "deals_created", 0.0,
          "next_period_weighted", 500.0, "next_period_target", 1000.0, "coverage", 0.5);
      nums(only(rows, "period_start", cur, "owner_user_id", "u2", "channel", "web"), "deals_created", 1.0,
          "weighted_amount", 200.0, "next_period_weighted", 200.0, "next_period_target", 800.0, "coverage", 0.25);
      nums(only(rows, "period_start", cur, "owner_user_id", "u2", "channel", "ads"),
          "next_period_weighted", 200.0, "next_period_target", 800.0, "coverage", 0.25);
      nums(only(rows, "period_start", cur, "owner_user_id", "u3", "channel", "ads"), "deals_created", 1.0,
          "weighted_amount", 20.0, "next_period_weighted", 0.0, "next_period_target", 300.0, "coverage", 0.0);

      nums(only(rows, "period_start", cur, "owner_user_id", "u4", "channel", "web"), "deals_created", 1.0,
          "next_period_weighted", 50.0, "next_period_target", 0.0, "coverage", null);
      nums(only(rows, "period_start", last, "owner_user_id", "u4", "channel", "web"), "deals_created", 0.0);

      // weeks have no targets: the next week's pipeline, no coverage
      List<Map<String, Object>> weeks = KpiTestRows.rows(c, "SELECT * FROM kpi.pipeline_created WHERE grain = 'week'"
          + " AND next_period_start IS NOT NULL");
      assertEquals(6, weeks.size(), weeks::toString);
      assertTrue(weeks.stream().allMatch(w -> w.get("next_period_target") == null && w.get("coverage") == null),
          weeks::toString);
    }
  }
}
