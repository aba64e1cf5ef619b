package io.crmkpi.kpi;

import static io.crmkpi.kpi.KpiQueries.only;
import static io.crmkpi.kpi.KpiTestRows.counts;
import static io.crmkpi.kpi.KpiTestRows.nums;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kpi.open_pipeline on kpi/pipeline_now (dates relative to today; stage probabilities New 10, Proposal 50, Talk 40):
 * <pre>
 * P1 New 0-7:    n1 (3 days, 100), n2 (7 days, 200)       -> 2 deals, 300, weighted 10 + 20 = 30, days in stage (3 + 7) / 2 = 5
 * P1 New 8-30:   n3 (8 days, no amount)                   -> 1 deal, 0, 0, 1 without amount, 8 days in stage
 * P1 Proposal 31-90: n4 (40 days, 1000, own 0 %), n6 (90 days, 300 x 50 %), n7 (60 days, 400 x 50 %)
 *                -> 3 deals, 1700, 0 + 150 + 200 = 350, days in stage (35 + 31 + 30) / 3 = 32
 * P1 Proposal 91+: n5 (100 days, 500, own 100 %, back to New and into Proposal again 45 days ago) -> 500, 500, 45
 * P2 Talk 91+:   n8 (200 days, 250 x 40 % = 100, history inferred from created_at) -> 200 days in stage
 * n9 deleted, w1 won, l1 lost: not open
 * </pre>
 */
class OpenPipelineTest {

  @Test
  void openDealsByStageAndAgeBucketFromHandWork(@TempDir Path dir) throws Exception {
    try (Connection c = KpiTestRows.connect(RelativeFixture.materialize("pipeline_now", dir), "currency=EUR")) {
      assertEquals(List.of("pipeline_id", "pipeline_name", "stage_id", "stage_name", "stage_sort_order", "age_bucket",
          "age_bucket_order", "open_deals", "open_amount", "weighted_amount", "open_deals_without_amount",
          "avg_days_in_stage"), KpiTestRows.columns(c, "open_pipeline"));
      List<Map<String, Object>> rows = KpiTestRows.rows(c, "SELECT * FROM kpi.open_pipeline");
      assertEquals(5, rows.size(), rows::toString);

      Map<String, Object> young = only(rows, "stage_id", "a", "age_bucket", "0-7");
      counts(young, "open_deals", 2, "age_bucket_order", 1, "open_deals_without_amount", 0, "stage_sort_order", 10);
      nums(young, "open_amount", 300.0, "weighted_amount", 30.0, "avg_days_in_stage", 5.0);
      assertEquals("Sales", young.get("pipeline_name"));
      assertEquals("New", young.get("stage_name"));

      Map<String, Object> week2 = only(rows, "stage_id", "a", "age_bucket", "8-30");
      counts(week2, "open_deals", 1, "age_bucket_order", 2, "open_deals_without_amount", 1);
      nums(week2, "open_amount", 0.0, "weighted_amount", 0.0, "avg_days_in_stage", 8.0);

      Map<String, Object> proposal = only(rows, "stage_id", "b", "age_bucket", "31-90");
      counts(proposal, "open_deals", 3, "age_bucket_order", 3);
      nums(proposal, "open_amount", 1700.0, "weighted_amount", 350.0, "avg_days_in_stage", 32.0);

      Map<String, Object> old = only(rows, "stage_id", "b", "age_bucket", "91+");
      counts(old, "open_deals", 1, "age_bucket_order", 4);
      nums(old, "open_amount", 500.0, "weighted_amount", 500.0, "avg_days_in_stage", 45.0);

      Map<String, Object> talk = only(rows, "pipeline_id", "P2");
      assertEquals("91+", talk.get("age_bucket"));
      counts(talk, "open_deals", 1);
      nums(talk, "open_amount", 250.0, "weighted_amount", 100.0, "avg_days_in_stage", 200.0);
    }
  }
}
