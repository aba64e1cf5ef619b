package io.crmkpi.kpi;

import static io.crmkpi.kpi.KpiTestRows.counts;
import static io.crmkpi.kpi.KpiTestRows.nums;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * kpi.activity_productivity on kpi/activity_productivity:
 * <pre>
 * Anna Jan: a1 call out, a2 call in, a3 email out, a4 meeting, a8 note (Jan 31 23:30) = 5 - a5 not completed,
 *   a6 automated, a7 on the deleted deal d9 do not count; won d1 d2 (d9 deleted, d4 lost) -> 5 / 2 = 2.5
 *   calls 2, emails 1, meetings 1, notes 1; inbound 1, outbound 2
 * Boris Jan: a11 task; nothing won -> NULL per won deal
 * Anna Feb: nothing -> a row of zeros     Boris Feb: a9 message in (completed Feb 1 00:00), won d3 -> 1
 * Anna Mar: a10 call, won d5 -> 1         Anna Q1: 6 activities, 3 calls, 3 won -> 2
 * </pre>
 */
class ActivityProductivityTest {

  @Test
  void activitiesByKindAndPerWonDeal() throws Exception {
    try (Connection c = KpiQueries.connect("activity_productivity")) {
      assertEquals(List.of("grain", "period_start", "period_end", "is_complete", "user_id", "user_name", "activities",
          "calls", "emails", "meetings", "tasks", "messages", "notes", "inbound", "outbound", "deals_won",
          "activities_per_won_deal"), KpiTestRows.columns(c, "activity_productivity"));
      List<Map<String, Object>> rows = KpiTestRows.rows(c, "SELECT * FROM kpi.activity_productivity"
          + " WHERE grain IN ('month', 'quarter') AND period_start <= DATE '2024-03-01'");

      Map<String, Object> annaJan = row(rows, "month", "2024-01-01", "u1");
      assertEquals("Anna", annaJan.get("user_name"));
      counts(annaJan, "activities", 5, "calls", 2, "emails", 1, "meetings", 1, "tasks", 0, "messages", 0, "notes", 1,
          "inbound", 1, "outbound", 2, "deals_won", 2);
      nums(annaJan, "activities_per_won_deal", 2.5);

      Map<String, Object> borisJan = row(rows, "month", "2024-01-01", "u2");
      counts(borisJan, "activities", 1, "tasks", 1, "inbound", 0, "outbound", 0, "deals_won", 0);
      nums(borisJan, "activities_per_won_deal", null);

      Map<String, Object> annaFeb = row(rows, "month", "2024-02-01", "u1");
      counts(annaFeb, "activities", 0, "calls", 0, "deals_won", 0);
      nums(annaFeb, "activities_per_won_deal", null);

      Map<String, Object> borisFeb = row(rows, "month", "2024-02-01", "u2");
      counts(borisFeb, "activities", 1, "messages", 1, "inbound", 1, "deals_won", 1);
      nums(borisFeb, "activities_per_won_deal", 1.0);

      Map<String, Object> annaMar = row(rows, "month", "2024-03-01", "u1");
      counts(annaMar, "activities", 1, "calls", 1, "outbound", 1, "deals_won", 1);
      nums(annaMar, "activities_per_won_deal", 1.0);

      Map<String, Object> annaQ1 = row(rows, "quarter", "2024-01-01", "u1");
      counts(annaQ1, "activities", 6, "calls", 3, "deals_won", 3);
      nums(annaQ1, "activities_per_won_deal", 2.0);

      // the axis starts at the first completed activity or win (January 2024); only managers with events appear
      assertEquals(LocalDate.of(2024, 1, 1), KpiTestRows.one(c,
          "SELECT MIN(period_start) AS m FROM kpi.activity_productivity WHERE grain = 'month'").get("m"));
      assertEquals(2L, ((Number) KpiTestRows.one(c, "SELECT COUNT(*) AS n FROM kpi.activity_productivity"
          + " WHERE grain = 'month' AND period_start = DATE '2024-01-01'").get("n")).longValue());
    }
  }

  private static Map<String, Object> row(List<Map<String, Object>> rows, String grain, String start, String user) {
    return KpiQueries.only(rows, "grain", grain, "period_start", start, "user_id", user);
  }
}
