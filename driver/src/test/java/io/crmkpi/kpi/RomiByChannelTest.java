package io.crmkpi.kpi;

import static io.crmkpi.kpi.KpiTestRows.nums;
import static io.crmkpi.kpi.KpiTestRows.period;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * kpi.romi_by_channel on kpi/romi_by_channel (base EUR, USD 0.9):
 * <pre>
 * spend: Jan google_ads 100 EUR + 100 USD (90) = 190, Jan email 50, Feb google_ads 100
 * orders: o1 google_ads Jan 380 EUR; o2 no channel, its deal dG is google_ads, 100 USD = 90;
 *         o3 organic Jan 200; o4 google_ads 1000 but its deal is deleted (left out)
 * Jan google_ads: spend 190, revenue 470, roas 470/190 = 2.4737, romi (470 - 190)/190 = 1.4737;
 *                 gross_margin 0.4: romi (188 - 190)/190 = -0.010526 (just below break-even 0)
 * Jan email: 50, 0 -> roas 0, romi -1 (any margin);  Jan organic: 0, 200 -> roas NULL, romi NULL (no spend)
 * Feb google_ads: 100, 0 -> 0, -1;  Mar: every channel 0, 0, NULL, NULL
 * Q1 google_ads: 290, 470 -> roas 1.6207, romi 180/290 = 0.6207; margin 0.4: (188 - 290)/290 = -0.3517
 * </pre>
 */
class RomiByChannelTest {

  @Test
  void romiWithFullRevenue() throws Exception {
    try (Connection c = KpiTestRows.connect("romi_by_channel")) {
      assertEquals(List.of("grain", "period_start", "period_end", "is_complete", "channel", "spend", "revenue", "roas",
          "romi"), KpiTestRows.columns(c, "romi_by_channel"));
      Map<String, Object> g = period(c, "romi_by_channel", "month", "2024-01-01", "channel = 'google_ads'");
      nums(g, "spend", 190.0, "revenue", 470.0, "roas", 470.0 / 190, "romi", 280.0 / 190);
      Map<String, Object> e = period(c, "romi_by_channel", "month", "2024-01-01", "channel = 'email'");
      nums(e, "spend", 50.0, "revenue", 0.0, "roas", 0.0, "romi", -1.0);
      Map<String, Object> o = period(c, "romi_by_channel", "month", "2024-01-01", "channel = 'organic'");
      nums(o, "spend", 0.0, "revenue", 200.0, "roas", null, "romi", null);
      Map<String, Object> gf = period(c, "romi_by_channel", "month", "2024-02-01", "channel = 'google_ads'");
      nums(gf, "spend", 100.0, "revenue", 0.0, "roas", 0.0, "romi", -1.0);
      for (String ch : List.of("google_ads", "email", "organic")) {
        nums(period(c, "romi_by_channel", "month", "2024-03-01", "channel = '" + ch + "'"),
            "spend", 0.0, "revenue", 0.0, "roas", null, "romi", null);
      }
      Map<String, Object> q = period(c, "romi_by_channel", "quarter", "2024-01-01", "channel = 'google_ads'");
      nums(q, "spend", 290.0, "revenue", 470.0, "roas", 470.0 / 290, "romi", 180.0 / 290);
      assertEquals(3, KpiTestRows.rows(c, "SELECT * FROM kpi.romi_by_channel WHERE grain = 'month' "
          + "AND period_start = DATE '2024-01-01'").size());
    }
  }

  @Test
  void grossMarginChangesRomiButNotRoas() throws Exception {
    try (Connection c = KpiTestRows.connect("romi_by_channel", "gross_margin=0.4")) {
      Map<String, Object> g = period(c, "romi_by_channel", "month", "2024-01-01", "channel = 'google_ads'");
      nums(g, "spend", 190.0, "revenue", 470.0, "roas", 470.0 / 190, "romi", (188.0 - 190) / 190);
      nums(period(c, "romi_by_channel", "month", "2024-01-01", "channel = 'email'"), "romi", -1.0);
      Map<String, Object> q = period(c, "romi_by_channel", "quarter", "2024-01-01", "channel = 'google_ads'");
      nums(q, "roas", 470.0 / 290, "romi", (188.0 - 290) / 290);
    }
  }
}
