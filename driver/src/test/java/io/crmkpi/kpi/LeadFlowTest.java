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
 * kpi.lead_flow on kpi/lead_flow/leads.csv:
 * <pre>
 * Jan google_ads: G1 converted (deal d1), G2 junk, G3 open, G4 converted (status only) -> 4 new, 2 conv, 1 junk, 0.5
 * Jan organic: O1 open -> 1, 0, 0, rate 0.0 (a real zero, not NULL)
 * Feb: no leads -> both channels present with zeros and NULL rate
 * Mar organic: O2 status open but converted_deal_id d9 -> 1, 1, 0, 1.0;  Mar google_ads: 0 -> NULL
 * dX (channel email) is the deleted deal dX -> not counted, and 'email' gets no rows at all
 * Q1 google_ads: 4, 2, 1, 0.5;  Q1 organic: 2, 1, 0, 0.5
 * </pre>
 */
class LeadFlowTest {

  @Test
  void perChannelCohortCounts() throws Exception {
    try (Connection c = KpiTestRows.connect("lead_flow")) {
      assertEquals(List.of("grain", "period_start", "period_end", "is_complete", "channel", "new_leads", "converted",
          "junk", "conversion_rate"), KpiTestRows.columns(c, "lead_flow"));
      Map<String, Object> g = period(c, "lead_flow", "month", "2024-01-01", "channel = 'google_ads'");
      counts(g, "new_leads", 4, "converted", 2, "junk", 1);
      nums(g, "conversion_rate", 0.5);
      Map<String, Object> o = period(c, "lead_flow", "month", "2024-01-01", "channel = 'organic'");
      counts(o, "new_leads", 1, "converted", 0, "junk", 0);
      nums(o, "conversion_rate", 0.0);
      for (String ch : List.of("google_ads", "organic")) {
        Map<String, Object> feb = period(c, "lead_flow", "month", "2024-02-01", "channel = '" + ch + "'");
        counts(feb, "new_leads", 0, "converted", 0, "junk", 0);
        nums(feb, "conversion_rate", null);
      }
      Map<String, Object> om = period(c, "lead_flow", "month", "2024-03-01", "channel = 'organic'");
      counts(om, "new_leads", 1, "converted", 1, "junk", 0);
      nums(om, "conversion_rate", 1.0);
      nums(period(c, "lead_flow", "month", "2024-03-01", "channel = 'google_ads'"), "conversion_rate", null);
      Map<String, Object> gq = period(c, "lead_flow", "quarter", "2024-01-01", "channel = 'google_ads'");
      counts(gq, "new_leads", 4, "converted", 2, "junk", 1);
      nums(gq, "conversion_rate", 0.5);
      Map<String, Object> oq = period(c, "lead_flow", "quarter", "2024-01-01", "channel = 'organic'");
      counts(oq, "new_leads", 2, "converted", 1, "junk", 0);
      nums(oq, "conversion_rate", 0.5);
      assertEquals(2L, ((Number) KpiTestRows.one(c, "SELECT COUNT(DISTINCT channel) AS n FROM kpi.lead_flow")
          .get("n")).longValue(), "no row for the deleted deal's channel");
    }
  }
}
