package io.crmkpi.kpi;

import static io.crmkpi.kpi.KpiQueries.only;
import static io.crmkpi.kpi.KpiTestRows.counts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kpi.stale_deals on kpi/pipeline_now (dates relative to today), idle = min(days in stage, days since activity):
 * <pre>
 * n4: 35 days in Proposal, a call 5 days ago              -> idle 5
 * n5: Proposal again 45 days ago (after a step back), e-mails 40 and 41 days ago, a robot note 2 days ago
 *     (automated: ignored), expected to close yesterday    -> idle 40, overdue
 * n6: 31 days in Proposal, only a task dated in 3 days (future: ignored), expected today -> idle 31, not overdue
 * n7: exactly 30 days in Proposal                          -> idle 30: not listed (strictly longer)
 * n8: no history (inferred at creation 200 days ago), no activity -> idle 200
 * n1-n3 young; n9 deleted (stale but excluded); w1, l1 closed
 * default stale_days 30: n5, n6, n8;  stale_days=40: n8 only;  stale_days=4: n2 (7 days), n3 (8), n4 (5), n5, n6, n7, n8
 * </pre>
 */
class StaleDealsTest {

  @Test
  void openDealsIdleLongerThanStaleDays(@TempDir Path dir) throws Exception {
    try (Connection c = KpiTestRows.connect(RelativeFixture.materialize("pipeline_now", dir), "currency=EUR")) {
      assertEquals(List.of("deal_id", "title", "pipeline_id", "pipeline_name", "stage_id", "stage_name",
          "owner_user_id", "owner_name", "amount_base", "stage_entered_at", "days_in_stage", "last_activity_at",
          "days_since_activity", "idle_days", "expected_close_date", "is_overdue"), KpiTestRows.columns(c, "stale_deals"));
      List<Map<String, Object>> rows = KpiTestRows.rows(c, "SELECT * FROM kpi.stale_deals");
      assertEquals(List.of("n5", "n6", "n8"), ids(rows));

      Map<String, Object> n5 = only(rows, "deal_id", "n5");
      counts(n5, "days_in_stage", 45, "days_since_activity", 40, "idle_days", 40);
      assertEquals(RelativeFixture.today().minusDays(40).atTime(9, 0), n5.get("last_activity_at"));
      assertEquals(RelativeFixture.today().minusDays(45).atTime(23, 0), n5.get("stage_entered_at"));
      assertEquals(Boolean.TRUE, n5.get("is_overdue"));
      assertEquals("Boris", n5.get("owner_name"));
      assertEquals("Proposal", n5.get("stage_name"));
      KpiTestRows.num(500.0, n5, "amount_base");

      Map<String, Object> n6 = only(rows, "deal_id", "n6");
      counts(n6, "days_in_stage", 31, "idle_days", 31);
      assertNull(n6.get("last_activity_at"));
      assertNull(n6.get("days_since_activity"));
      assertEquals(Boolean.FALSE, n6.get("is_overdue"));
      assertEquals(RelativeFixture.today(), n6.get("expected_close_date"));

      Map<String, Object> n8 = only(rows, "deal_id", "n8");
      counts(n8, "days_in_stage", 200, "idle_days", 200);
      assertEquals(LocalDateTime.of(RelativeFixture.today().minusDays(200), java.time.LocalTime.of(10, 0)),
          n8.get("stage_entered_at"));
      assertEquals(Boolean.FALSE, n8.get("is_overdue"));
      assertEquals("Partners", n8.get("pipeline_name"));
    }
  }

  @Test
  void staleDaysSettingMovesTheThreshold(@TempDir Path dir) throws Exception {
    Path folder = RelativeFixture.materialize("pipeline_now", dir);
    try (Connection c = KpiTestRows.connect(folder, "stale_days=40")) {
      assertEquals(List.of("n8"), ids(KpiTestRows.rows(c, "SELECT * FROM kpi.stale_deals")));
    }
    try (Connection c = KpiTestRows.connect(folder, "stale_days=4")) {
      assertEquals(List.of("n2", "n3", "n4", "n5", "n6", "n7", "n8"), ids(KpiTestRows.rows(c, "SELECT * FROM kpi.stale_deals")));
    }
  }

  @Test
  void aBadStaleDaysIsRefusedNamingTheKey(@TempDir Path dir) throws Exception {
    java.sql.SQLException e = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
        () -> java.sql.DriverManager.getConnection("jdbc:crmkpi:files:" + dir + ";stale_days=0"));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("stale_days: expected ")
        && e.getMessage().endsWith("got '0'"), e.getMessage());
  }

  private static List<String> ids(List<Map<String, Object>> rows) throws SQLException {
    return rows.stream().map(r -> (String) r.get("deal_id")).sorted().toList();
  }
}
