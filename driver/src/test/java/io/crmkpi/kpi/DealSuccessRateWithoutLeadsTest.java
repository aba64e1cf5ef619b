package io.crmkpi.kpi;

import static io.crmkpi.kpi.KpiTestRows.counts;
import static io.crmkpi.kpi.KpiTestRows.nums;
import static io.crmkpi.kpi.KpiTestRows.period;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A folder without leads.csv (kpi/deal_success_rate_no_leads: the deals of kpi/deal_success_rate plus
 * d8 created 2024-03-01 00:00:00 and d9 created 2024-02-29 23:59:59, both open): every deal is a lead.
 * <pre>
 * leads = deals by created_at, dX (deleted) excluded: Jan d1-d7 = 7, Feb d9 = 1, Mar d8 = 1
 * Jan: won 1 (d1), lost 1 (d2) -> success 1/7, win 1/2
 * Feb: leads 1, nothing closed -> success 0/1 = 0, win NULL
 * Mar: leads 1, won 2 (d3, d4), lost 1 (d5) -> success 2/1 = 2, win 2/3
 * year 2024: leads 9, won 4 (d1, d3, d4, d7), lost 2 -> success 4/9, win 4/6
 * </pre>
 */
class DealSuccessRateWithoutLeadsTest {

  @Test
  void everyDealIsALeadWhenTheFolderHasNoLeads() throws Exception {
    try (Connection c = KpiTestRows.connect("deal_success_rate_no_leads")) {
      Map<String, Object> jan = period(c, "deal_success_rate", "month", "2024-01-01");
      counts(jan, "leads", 7, "deals_won", 1, "deals_lost", 1);
      nums(jan, "success_rate", 1.0 / 7, "win_rate", 0.5);
      Map<String, Object> feb = period(c, "deal_success_rate", "month", "2024-02-01");
      counts(feb, "leads", 1, "deals_won", 0, "deals_lost", 0);
      nums(feb, "success_rate", 0.0, "win_rate", null);
      Map<String, Object> mar = period(c, "deal_success_rate", "month", "2024-03-01");
      counts(mar, "leads", 1, "deals_won", 2, "deals_lost", 1);
      nums(mar, "success_rate", 2.0, "win_rate", 2.0 / 3);
      Map<String, Object> y = period(c, "deal_success_rate", "year", "2024-01-01");
      counts(y, "leads", 9, "deals_won", 4, "deals_lost", 2);
      nums(y, "success_rate", 4.0 / 9, "win_rate", 4.0 / 6);
    }
  }

  @Test
  void theDerivedLeadsCarryTheDealsFields() throws Exception {
    try (Connection c = KpiTestRows.connect("deal_success_rate_no_leads")) {
      // one lead per deal (the deleted dX too: the KPI views drop it through the deal), converted into itself
      assertEquals(10L, KpiTestRows.one(c, "SELECT count(*) AS n FROM crm.leads").get("n"));
      assertEquals(10L, KpiTestRows.one(c, "SELECT count(*) AS n FROM crm.leads l JOIN crm.deals d "
          + "ON d.deal_id = l.lead_id AND d.deal_id = l.converted_deal_id AND d.lead_id = l.lead_id "
          + "WHERE l.status = 'converted' AND l.created_at = d.created_at AND l.title = d.title "
          + "AND l.channel = d.channel AND l.owner_user_id = d.owner_user_id").get("n"));
      List<Map<String, Object>> d3 = KpiTestRows.rows(c,
          "SELECT channel, owner_user_id, created_at FROM crm.leads WHERE lead_id = 'd3'");
      assertEquals("referral", d3.get(0).get("channel"));
      assertEquals("u2", d3.get(0).get("owner_user_id"));
      Object midnight = KpiTestRows.one(c, "SELECT created_at FROM crm.leads WHERE lead_id = 'd8'").get("created_at");
      assertEquals(LocalDateTime.of(2024, 3, 1, 0, 0), midnight instanceof java.sql.Timestamp t ? t.toLocalDateTime()
          : midnight);
    }
  }
}
