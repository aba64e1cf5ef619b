package io.crmkpi.kpi;

import static io.crmkpi.kpi.KpiTestRows.nums;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kpi.plan_attainment on kpi/plan_attainment (base EUR, USD at 0.9; January 2024 unless said):
 * <pre>
 * won deals: d1 Anna P1 1000 | d2 Anna P1 200 USD = 180 | d3 Boris P1 no amount | d4 Anna P2 500 (Jan 31 23:00)
 *            d8 Boris P1 700 (moved from Anna: the deal's owner is Boris now, its order o8 was Anna's)
 *            d5 Anna P1 300 on Feb 1 00:00 (February); d6 deleted 9999 and d7 lost 400 never count
 * orders:    o1 u1 d1, o2 u1 d2, o8 u1 d8, o4 (no owner -> deal's owner u1, P2), o9 u2 without deal, o6 deleted deal
 * activities (completed, not automated, deal not deleted): a1 call u1 d1, a2 email u1 d4 (P2), a3 call u1 no deal;
 *            a4 not completed, a5 automated, a7 on the deleted deal, a6 Boris
 * t01 Anna revenue 2000: 1000 + 180 + 500 = 1680 -> 0.84    t02 Anna P1 revenue 1000: 1180 -> 1.18
 * t03 all deals_won 5: d1 d2 d3 d4 d8 = 5 -> 1             t04 all revenue 0: 2380 -> attainment NULL
 * t05 Boris revenue 500: 0 + 700 -> 1.4                     t06 Anna orders 4: o1 o2 o8 o4 -> 1
 * t07 Boris orders 2: o9 -> 0.5                             t08 P1 orders 10: o1 o2 o8 -> 0.3
 * t09 Anna activities 4: a1 a2 a3 -> 0.75                   t10 Anna P2 activities 2: a2 -> 0.5
 * t11 Q1 revenue 3000: 2380 + 300 = 2680 -> 0.89333         t12 Boris June 2023 (no deals): 0 -> 0
 * t13 year from 2024-03-01 (read as year 2024) deals_won 12: 6 -> 0.5
 * t14 year 2049: not started - 0 actual, projected NULL
 * </pre>
 */
class PlanAttainmentTest {

  @Test
  void actualsPerOwnerPipelineAndMetric() throws Exception {
    try (Connection c = KpiQueries.connect("plan_attainment")) {
      assertEquals(List.of("target_id", "grain", "period_start", "period_end", "is_complete", "owner_user_id",
          "owner_name", "pipeline_id", "metric", "target", "actual", "attainment", "projected",
          "projected_attainment"), KpiTestRows.columns(c, "plan_attainment"));
      List<Map<String, Object>> rows = KpiTestRows.rows(c, "SELECT * FROM kpi.plan_attainment ORDER BY target_id");
      assertEquals(14, rows.size(), "one row per target");

      check(rows, "t01", 2000, 1680, 0.84);
      check(rows, "t02", 1000, 1180, 1.18);
      check(rows, "t03", 5, 5, 1.0);
      check(rows, "t04", 0, 2380, null);
      check(rows, "t05", 500, 700, 1.4);
      check(rows, "t06", 4, 4, 1.0);
      check(rows, "t07", 2, 1, 0.5);
      check(rows, "t08", 10, 3, 0.3);
      check(rows, "t09", 4, 3, 0.75);
      check(rows, "t10", 2, 1, 0.5);
      check(rows, "t11", 3000, 2680, 2680 / 3000.0);
      check(rows, "t12", 1000, 0, 0.0);
      check(rows, "t13", 12, 6, 0.5);

      Map<String, Object> t01 = KpiQueries.only(rows, "target_id", "t01");
      assertEquals("Anna", t01.get("owner_name"));
      assertEquals(LocalDate.of(2024, 2, 1), t01.get("period_end"));
      assertEquals(Boolean.TRUE, t01.get("is_complete"));
      // a complete period projects to its actual
      nums(t01, "projected", 1680.0, "projected_attainment", 0.84);
      nums(KpiQueries.only(rows, "target_id", "t04"), "projected", 2380.0, "projected_attainment", null);
      nums(KpiQueries.only(rows, "target_id", "t12"), "projected", 0.0);

      Map<String, Object> t11 = KpiQueries.only(rows, "target_id", "t11");
      assertEquals(LocalDate.of(2024, 4, 1), t11.get("period_end"));
      assertEquals(null, t11.get("owner_user_id"));
      assertEquals(null, t11.get("owner_name"));

      Map<String, Object> t13 = KpiQueries.only(rows, "target_id", "t13");
      assertEquals(LocalDate.of(2024, 1, 1), t13.get("period_start"));
      assertEquals(LocalDate.of(2025, 1, 1), t13.get("period_end"));

      Map<String, Object> t14 = KpiQueries.only(rows, "target_id", "t14");
      assertEquals(Boolean.FALSE, t14.get("is_complete"));
      nums(t14, "actual", 0.0, "attainment", 0.0, "projected", null, "projected_attainment", null);
    }
  }

  /**
   * fiscal_year_start=2 (February): quarters run Feb-Apr, May-Jul, Aug-Oct, Nov-Jan. t11 (quarter from 2024-01-01)
   * is the quarter Nov 2023 - Jan 2024: revenue 2380 (January's; d5 on Feb 1 is the next quarter) -> 2380 / 3000;
   * t13 (year from 2024-03-01) is the fiscal year Feb 2024 - Jan 2025: only d5 -> 1 / 12. Months do not move.
   */
  @Test
  void quartersAndYearsFollowTheFiscalYear() throws Exception {
    try (Connection c = KpiQueries.connect("plan_attainment", "fiscal_year_start=2")) {
      List<Map<String, Object>> rows = KpiTestRows.rows(c, "SELECT * FROM kpi.plan_attainment");
      Map<String, Object> t11 = KpiQueries.only(rows, "target_id", "t11");
      assertEquals(LocalDate.of(2023, 11, 1), t11.get("period_start"));
      assertEquals(LocalDate.of(2024, 2, 1), t11.get("period_end"));
      check(rows, "t11", 3000, 2380, 2380 / 3000.0);
      Map<String, Object> t13 = KpiQueries.only(rows, "target_id", "t13");
      assertEquals(LocalDate.of(2024, 2, 1), t13.get("period_start"));
      check(rows, "t13", 12, 1, 1 / 12.0);
      check(rows, "t01", 2000, 1680, 0.84);
    }
  }

  /**
   * kpi/plan_attainment_running: 300 won on the first day of the current month against a target of 1000;
   * 999 won last month against 1000. The running month projects actual x month days / elapsed days (today
   * counted): on day 7 of a 31-day month 300 x 31 / 7 = 1328.57. Today is read from the connection
   * (CURRENT_DATE in the reporting time zone) so the expectation is worked out the same day.
   */
  @Test
  void runningPeriodProjectsTheRunRate(@TempDir Path dir) throws Exception {
    try (Connection c = KpiTestRows.connect(KpiTestRows.materialize("plan_attainment_running", dir), "timezone=UTC")) {
      List<Map<String, Object>> rows = KpiTestRows.rows(c,
          "SELECT p.*, CURRENT_DATE AS today FROM kpi.plan_attainment AS p ORDER BY target_id");
      Map<String, Object> running = KpiQueries.only(rows, "target_id", "rt1");
      LocalDate today = (LocalDate) running.get("today");
      assertEquals(today.withDayOfMonth(1), running.get("period_start"));
      assertEquals(Boolean.FALSE, running.get("is_complete"));
      double projected = 300.0 * today.lengthOfMonth() / today.getDayOfMonth();
      nums(running, "actual", 300.0, "attainment", 0.3, "projected", projected, "projected_attainment",
          projected / 1000);

      Map<String, Object> last = KpiQueries.only(rows, "target_id", "rt2");
      assertEquals(Boolean.TRUE, last.get("is_complete"));
      nums(last, "actual", 999.0, "attainment", 0.999, "projected", 999.0);
    }
  }

  private static void check(List<Map<String, Object>> rows, String target, double expectedTarget,
      double expectedActual, Double attainment) {
    Map<String, Object> r = KpiQueries.only(rows, "target_id", target);
    // actual keeps the target's money type: exact cents, never a rounded DOUBLE
    assertEquals(0, new BigDecimal(String.valueOf(expectedActual)).compareTo((BigDecimal) r.get("actual")),
        () -> "actual of " + target + " in " + r);
    nums(r, "target", expectedTarget, "attainment", attainment);
  }
}
