package io.crmkpi.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The default-size demo's headline figures stay inside the ranges docs/demo.md documents (and cites),
 * at two seeds, so that a later change cannot drift the demo back to a business that does not exist.
 * Read as a user reads them: through {@code jdbc:crmkpi:demo}, from the kpi views, on today's data
 * (the views' periods follow the clock, so the demo ends today as by default).
 */
class DemoHeadlinesTest {

  /** Pooled over the last six complete months (kpi.crm_impact's after window) and the six before go-live. */
  private static Map<String, double[]> impact(Statement s) throws SQLException {
    Map<String, double[]> m = new LinkedHashMap<>();
    try (ResultSet rs = s.executeQuery("SELECT metric, before_value, after_value FROM kpi.crm_impact")) {
      while (rs.next()) {
        m.put(rs.getString(1), new double[] {rs.getDouble(2), rs.getDouble(3)});
      }
    }
    return m;
  }

  private static void within(String what, double value, double low, double high, Object context) {
    assertTrue(value >= low && value <= high, what + " = " + value + ", documented range " + low + ".." + high
        + "; " + context);
  }

  @ParameterizedTest
  @ValueSource(longs = {42, 7})
  void headlineFiguresAreThoseOfABelievableBusiness(long seed) throws Exception {
    // the generator's go-live: the 15th of the month 12 months before today (UTC, the default time zone)
    LocalDate golive = LocalDate.now(ZoneOffset.UTC).minusMonths(12).withDayOfMonth(15);
    String url = "jdbc:crmkpi:demo;seed=" + seed + ";golive=" + golive + ";impact_months=6";
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      Map<String, double[]> m = impact(s);
      StringBuilder all = new StringBuilder("seed " + seed + ":");
      m.forEach((k, v) -> all.append(' ').append(k).append('=').append(v[0]).append("->").append(v[1]));
      String ctx = all.toString();
      double[] x;
      within("deal_success_rate", m.get("deal_success_rate")[1], 0.15, 0.35, ctx);
      within("win_rate", m.get("win_rate")[1], 0.30, 0.50, ctx);
      within("avg_check", m.get("avg_check")[1], 12_000, 25_000, ctx);
      within("avg_cycle_days", m.get("avg_cycle_days")[1], 12, 30, ctx);
      within("cac", m.get("cac")[1], 8_000, 25_000, ctx);
      within("romi", m.get("romi")[1], 3, 9, ctx);
      within("nps", m.get("nps")[1], 35, 55, ctx);
      within("csat", m.get("csat")[1], 0.75, 0.92, ctx);
      within("churn_rate", m.get("churn_rate")[1], 0.03, 0.09, ctx);
      within("retention_rate", m.get("retention_rate")[1], 0.91, 0.97, ctx);
      within("median_response_minutes", m.get("median_response_minutes")[1], 10, 40, ctx);
      within("orders_per_customer", m.get("orders_per_customer")[1], 1.05, 1.35, ctx);
      within("upsell_rate", m.get("upsell_rate")[1], 0.30, 0.55, ctx);
      within("ltv_12m", m.get("ltv_12m")[1], 70_000, 150_000, ctx);
      // the CRM shows an effect: faster answers, more wins, shorter cycles, fewer customers lost, happier ones
      x = m.get("median_response_minutes");
      within("median_response_minutes before go-live", x[0], 90, 240, ctx);
      x = m.get("win_rate");
      assertTrue(x[1] > x[0] + 0.05, ctx);
      x = m.get("avg_cycle_days");
      assertTrue(x[1] < x[0], ctx);
      x = m.get("churn_rate");
      assertTrue(x[1] < x[0], ctx);
      x = m.get("nps");
      within("nps before go-live", x[0], 15, 35, ctx);
      assertTrue(x[1] > x[0] + 5, ctx);

      // the last complete month on its own, as kpi.scorecard shows it: a going concern
      Map<String, Double> card = new LinkedHashMap<>();
      try (ResultSet rs = s.executeQuery("SELECT metric, \"value\" FROM kpi.scorecard")) {
        while (rs.next()) {
          card.put(rs.getString(1), rs.getDouble(2));
        }
      }
      within("scorecard churn_rate", card.get("churn_rate"), 0.02, 0.099, card);
      within("scorecard romi", card.get("romi"), 2, 12, card);
      within("scorecard orders_per_customer", card.get("orders_per_customer"), 1.03, 1.4, card);
      assertTrue(card.get("cac") < card.get("avg_check") * 1.5 && card.get("cac") > card.get("avg_check") / 5, card.toString());

      // channels over the last six complete months: one clearly profitable, the social feed losing money,
      // vk_ads all spend and no revenue
      Map<String, Double> romi = new LinkedHashMap<>();
      try (ResultSet rs = s.executeQuery("SELECT channel, (SUM(revenue) - SUM(spend)) / SUM(spend) "
          + "FROM kpi.romi_by_channel WHERE grain = 'month' AND period_start >= DATE '"
          + LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).minusMonths(6) + "' AND period_start < DATE '"
          + LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1) + "' AND spend > 0 GROUP BY channel")) {
        while (rs.next()) {
          romi.put(rs.getString(1), rs.getDouble(2));
        }
      }
      within("yandex_direct romi", romi.get("yandex_direct"), 0.2, 1.6, romi);
      within("google_ads romi", romi.get("google_ads"), -0.5, 0.6, romi);
      within("social romi", romi.get("social"), -0.8, -0.05, romi);
      assertEquals(-1.0, romi.get("vk_ads"), 1e-9, romi.toString());

      // one bottleneck in the sales funnel: proposals
      try (ResultSet rs = s.executeQuery("SELECT stage_name FROM kpi.conversion_by_stage WHERE grain = 'all' "
          + "AND pipeline_name = 'Sales' AND is_bottleneck")) {
        assertTrue(rs.next());
        assertEquals("Proposal sent", rs.getString(1));
      }
      // managers of different strength: the best sales manager wins at least 1.4 times as often as the weakest
      try (ResultSet rs = s.executeQuery("SELECT MAX(wr) / MIN(wr) FROM (SELECT owner_user_id, "
          + "CAST(SUM(deals_won) AS DOUBLE) / SUM(deals_won + deals_lost) AS wr FROM kpi.sales_by_manager "
          + "WHERE grain = 'year' AND owner_user_id IN ('1', '2', '3', '4', '5') GROUP BY owner_user_id "
          + "HAVING SUM(deals_won + deals_lost) >= 200) t")) {
        assertTrue(rs.next());
        within("best / weakest manager win rate", rs.getDouble(1), 1.4, 3, "seed " + seed);
      }
      // seasonality: quiet weekends; January holidays quiet and December busy against the November before
      // (days since Monday 2000-01-03, mod 7: 5 and 6 are Saturday and Sunday; EXTRACT(DOW) is avoided, as it
      // answers 0 for Sunday here where standard SQL says 1)
      try (ResultSet rs = s.executeQuery("SELECT CAST(SUM(CASE WHEN MOD(TIMESTAMPDIFF(DAY, TIMESTAMP '2000-01-03 00:00:00', "
          + "created_at), 7) IN (5, 6) THEN 1 ELSE 0 END) AS DOUBLE) / COUNT(*) FROM crm.leads")) {
        assertTrue(rs.next());
        within("weekend share of leads", rs.getDouble(1), 0.05, 0.15, "seed " + seed);
      }
      int year = LocalDate.now(ZoneOffset.UTC).minusMonths(12).getYear();
      double nov = perDay(s, LocalDate.of(year, 11, 1), LocalDate.of(year, 12, 1));
      double dec = perDay(s, LocalDate.of(year, 12, 1), LocalDate.of(year, 12, 29));
      double jan = perDay(s, LocalDate.of(year + 1, 1, 1), LocalDate.of(year + 1, 1, 9));
      assertTrue(dec > 1.1 * nov && jan < 0.4 * nov, "leads per day: Nov " + nov + ", Dec " + dec + ", Jan 1-8 " + jan);
    }
  }

  private static double perDay(Statement s, LocalDate from, LocalDate to) throws SQLException {
    try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM crm.leads WHERE created_at >= TIMESTAMP '" + from
        + " 00:00:00' AND created_at < TIMESTAMP '" + to + " 00:00:00'")) {
      rs.next();
      return rs.getDouble(1) / (to.toEpochDay() - from.toEpochDay());
    }
  }
}
