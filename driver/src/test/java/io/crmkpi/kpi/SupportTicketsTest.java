package io.crmkpi.kpi;

import static io.crmkpi.kpi.KpiTestRows.counts;
import static io.crmkpi.kpi.KpiTestRows.nums;
import static io.crmkpi.kpi.KpiTestRows.period;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * kpi.support_tickets on kpi/support_tickets/tickets.csv:
 * <pre>
 * email: E1 Jan 5 10:00 -> Jan 5 12:00 (2 h); E2 Jan 20 -> Feb 3 (14 d = 336 h); E3 Jan 25 open;
 *        E4 Feb 10 closed without resolved_at (never open, never resolved); E5 Mar 5 00:00 -> 06:00 (6 h)
 * phone: P1 Feb 1 08:00 -> Apr 1 08:00 (29 + 31 days = 1440 h)
 * email Jan: created 3, resolved 1, open at end 2 (E2, E3), median 2
 * email Feb: created 1, resolved 1 (E2), open 1 (E3; E4 is closed), median 336
 * email Mar: created 1, resolved 1, open 1, median 6;  email Apr: 0, 0, open 1, NULL
 * phone Jan: 0, 0, 0, NULL (row present);  Feb: 1, 0, 1;  Mar: 0, 0, 1;  Apr: 0, 1, 0, 1440
 * Q1 email: created 5, resolved 3, open 1, median of 2, 336, 6 = 6;  Q1 phone: 1, 0, 1, NULL
 * current month: email still has E3 open -> 1, phone 0
 * </pre>
 */
class SupportTicketsTest {

  @Test
  void createdResolvedOpenAndMedianHours() throws Exception {
    try (Connection c = KpiTestRows.connect("support_tickets")) {
      assertEquals(List.of("grain", "period_start", "period_end", "is_complete", "channel", "tickets_created",
          "tickets_resolved", "open_at_end", "median_resolution_hours"), KpiTestRows.columns(c, "support_tickets"));
      Object[][] email = {
          {"2024-01-01", 3, 1, 2, 2.0}, {"2024-02-01", 1, 1, 1, 336.0}, {"2024-03-01", 1, 1, 1, 6.0},
          {"2024-04-01", 0, 0, 1, null}};
      Object[][] phone = {
          {"2024-01-01", 0, 0, 0, null}, {"2024-02-01", 1, 0, 1, null}, {"2024-03-01", 0, 0, 1, null},
          {"2024-04-01", 0, 1, 0, 1440.0}};
      for (Object[][] table : List.of(email, phone)) {
        String ch = table == email ? "email" : "phone";
        for (Object[] e : table) {
          Map<String, Object> r = period(c, "support_tickets", "month", (String) e[0], "channel = '" + ch + "'");
          counts(r, "tickets_created", (Integer) e[1], "tickets_resolved", (Integer) e[2], "open_at_end", (Integer) e[3]);
          nums(r, "median_resolution_hours", (Double) e[4]);
        }
      }
      Map<String, Object> q1 = period(c, "support_tickets", "quarter", "2024-01-01", "channel = 'email'");
      counts(q1, "tickets_created", 5, "tickets_resolved", 3, "open_at_end", 1);
      nums(q1, "median_resolution_hours", 6.0);
      Map<String, Object> q1p = period(c, "support_tickets", "quarter", "2024-01-01", "channel = 'phone'");
      counts(q1p, "tickets_created", 1, "tickets_resolved", 0, "open_at_end", 1);
      nums(q1p, "median_resolution_hours", null);

      String current = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).toString();
      Map<String, Object> now = period(c, "support_tickets", "month", current, "channel = 'email'");
      counts(now, "open_at_end", 1);
      assertEquals(Boolean.FALSE, now.get("is_complete"));
      counts(period(c, "support_tickets", "month", current, "channel = 'phone'"), "open_at_end", 0);
    }
  }
}
