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
 * kpi.response_time on kpi/response_time:
 * <pre>
 * L1 10:00: robot e-mail 10:01 (automated: not a response), human call 10:30          -> 30 min
 * L2 09:00: inbound message 09:05 (not a response), first_response_at 09:10           -> 10 min
 * L3 08:00: note 08:30 on its deal D3 (not a response), e-mail on D3 at 20:00         -> 720 min
 * L4: nothing -> unanswered;  L5: a call one hour BEFORE the lead was created -> unanswered
 * dX: the lead is the deleted deal dX -> not a request at all
 * Jan leads: 5 requests, 3 answered, 2 unanswered; mean 760/3 = 253.33; median 30;
 *            p90 rank 0.9 x 2 = 1.8 -> 30 + 0.8 x (720 - 30) = 582
 * tickets: T1 45 min, T2 240 min, T3 unanswered (Jan); T4 15 min (Mar)
 * Jan tickets: 3, 2, 1; mean 142.5, median 142.5, p90 rank 0.9 -> 45 + 0.9 x 195 = 220.5
 * Feb: both kinds 0 requests, NULL minutes;  Mar leads: 0;  Mar tickets: 1, 1, 0, 15/15/15
 * Q1 tickets: 4, 3, 1; 15, 45, 240 -> mean 100, median 45, p90 45 + 0.8 x 195 = 201
 * </pre>
 */
class ResponseTimeTest {

  @Test
  void humanResponsesOnlyAndUnansweredCounted() throws Exception {
    try (Connection c = KpiTestRows.connect("response_time")) {
      assertEquals(List.of("grain", "period_start", "period_end", "is_complete", "kind", "requests", "answered",
          "unanswered", "avg_minutes", "median_minutes", "p90_minutes"), KpiTestRows.columns(c, "response_time"));
      Map<String, Object> leads = period(c, "response_time", "month", "2024-01-01", "kind = 'lead'");
      counts(leads, "requests", 5, "answered", 3, "unanswered", 2);
      nums(leads, "avg_minutes", 760.0 / 3, "median_minutes", 30.0, "p90_minutes", 582.0);

      Map<String, Object> tickets = period(c, "response_time", "month", "2024-01-01", "kind = 'ticket'");
      counts(tickets, "requests", 3, "answered", 2, "unanswered", 1);
      nums(tickets, "avg_minutes", 142.5, "median_minutes", 142.5, "p90_minutes", 220.5);

      for (String kind : List.of("lead", "ticket")) {
        Map<String, Object> feb = period(c, "response_time", "month", "2024-02-01", "kind = '" + kind + "'");
        counts(feb, "requests", 0, "answered", 0, "unanswered", 0);
        nums(feb, "avg_minutes", null, "median_minutes", null, "p90_minutes", null);
      }
      counts(period(c, "response_time", "month", "2024-03-01", "kind = 'lead'"), "requests", 0);
      Map<String, Object> marT = period(c, "response_time", "month", "2024-03-01", "kind = 'ticket'");
      counts(marT, "requests", 1, "answered", 1, "unanswered", 0);
      nums(marT, "avg_minutes", 15.0, "median_minutes", 15.0, "p90_minutes", 15.0);

      Map<String, Object> q1 = period(c, "response_time", "quarter", "2024-01-01", "kind = 'ticket'");
      counts(q1, "requests", 4, "answered", 3, "unanswered", 1);
      nums(q1, "avg_minutes", 100.0, "median_minutes", 45.0, "p90_minutes", 201.0);
      assertEquals(List.of("lead", "ticket"), KpiTestRows.rows(c, "SELECT kind FROM kpi.response_time "
          + "WHERE grain = 'year' AND period_start = DATE '2024-01-01' ORDER BY kind").stream()
          .map(r -> r.get("kind")).toList());
    }
  }
}
