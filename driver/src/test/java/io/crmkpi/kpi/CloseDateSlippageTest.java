package io.crmkpi.kpi;

import static io.crmkpi.kpi.KpiTestRows.counts;
import static io.crmkpi.kpi.KpiTestRows.nums;
import static io.crmkpi.kpi.KpiTestRows.period;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * kpi.close_date_slippage on kpi/close_date_slippage (crm.deal_snapshots, first snapshot 2024-02-01 10:00):
 * <pre>
 * state at 2024-03-01 00:00, open and expected in March: s1 (100), s2 (200), s3 (300), s4 (400), s6 (600), s10 (1000)
 *   = 6 deals, 2600; expected later: s5 (May 10), s9 (Apr 20); s7 has no snapshot yet; s8 is deleted
 * last state before 2024-04-01 00:00:
 *   s1 won (at 120) -> closed_won; s3 lost -> closed_lost
 *   s2 moved to Apr 15 -> pushed (200); s6 date cleared at Mar 31 23:00 (that state ends exactly at Apr 1 00:00) -> pushed (600)
 *   s4 still expected Mar 5 (overdue) -> still_open; s10 won Mar 5, reopened Mar 12 for Mar 29 -> still_open
 *   s5 won Mar 20 -> pulled_in; s9 moved to Mar 25 -> pulled_in
 *   -> won 1, lost 1, pushed 2, still open 2, pulled in 2, push_rate 2/6, won 120, pushed 800
 * April (state at Apr 1: s2 Apr 15, s11 Apr 30; s6 is for June): s11 won at 55, s2 still open -> 2, 250, push_rate 0
 * Q2 2024 (s2, s6 June 1, s11): won 1 (55), still open 2 -> 3, 850
 * February and Q1 2024: nothing expected at their start -> 0, push_rate NULL
 * </pre>
 */
class CloseDateSlippageTest {

  @Test
  void expectedDealsClassifiedByTheirStateAtThePeriodEnd() throws Exception {
    try (Connection c = KpiTestRows.connect("close_date_slippage", "currency=EUR")) {
      assertEquals(List.of("grain", "period_start", "period_end", "is_complete", "expected_deals", "expected_amount",
          "closed_won", "closed_lost", "pushed", "still_open", "pulled_in", "push_rate", "won_amount", "pushed_amount"),
          KpiTestRows.columns(c, "close_date_slippage"));
      Map<String, Object> mar = period(c, "close_date_slippage", "month", "2024-03-01");
      counts(mar, "expected_deals", 6, "closed_won", 1, "closed_lost", 1, "pushed", 2, "still_open", 2, "pulled_in", 2);
      nums(mar, "expected_amount", 2600.0, "push_rate", 2.0 / 6, "won_amount", 120.0, "pushed_amount", 800.0);
      assertEquals(Boolean.TRUE, mar.get("is_complete"));
      assertEquals(LocalDate.of(2024, 4, 1), mar.get("period_end"));

      Map<String, Object> apr = period(c, "close_date_slippage", "month", "2024-04-01");
      counts(apr, "expected_deals", 2, "closed_won", 1, "closed_lost", 0, "pushed", 0, "still_open", 1, "pulled_in", 0);
      nums(apr, "expected_amount", 250.0, "push_rate", 0.0, "won_amount", 55.0, "pushed_amount", 0.0);

      Map<String, Object> feb = period(c, "close_date_slippage", "month", "2024-02-01");
      counts(feb, "expected_deals", 0, "pushed", 0, "pulled_in", 0);
      nums(feb, "push_rate", null, "expected_amount", 0.0);
      counts(period(c, "close_date_slippage", "month", "2024-06-01"), "expected_deals", 1, "still_open", 1);

      Map<String, Object> q2 = period(c, "close_date_slippage", "quarter", "2024-04-01");
      counts(q2, "expected_deals", 3, "closed_won", 1, "still_open", 2, "pushed", 0);
      nums(q2, "expected_amount", 850.0, "won_amount", 55.0, "push_rate", 0.0);
      Map<String, Object> q1 = period(c, "close_date_slippage", "quarter", "2024-01-01");
      counts(q1, "expected_deals", 0, "pulled_in", 0);
      nums(q1, "push_rate", null);
    }
  }

  @Test
  void everyMonthFromTheFirstSnapshotToTheCurrentOne() throws Exception {
    try (Connection c = KpiTestRows.connect("close_date_slippage", "currency=EUR")) {
      List<Map<String, Object>> months = KpiTestRows.rows(c, "SELECT period_start, is_complete FROM kpi.close_date_slippage"
          + " WHERE grain = 'month' ORDER BY period_start");
      LocalDate current = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1);
      assertEquals(ChronoUnit.MONTHS.between(LocalDate.of(2024, 2, 1), current) + 1, months.size());
      assertEquals(LocalDate.of(2024, 2, 1), months.get(0).get("period_start"));
      assertEquals(Boolean.FALSE, months.get(months.size() - 1).get("is_complete"));
      assertEquals(0L, KpiTestRows.rows(c, "SELECT * FROM kpi.close_date_slippage WHERE grain = 'week'").size());
    }
  }
}
