package io.crmkpi.kpi;

import static io.crmkpi.kpi.KpiQueries.assertCounts;
import static io.crmkpi.kpi.KpiQueries.assertNum;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Connection settings change the KPI figures, on kpi/settings (base EUR; 1 USD = 0.5 EUR):
 * <pre>
 * deals  d1 created 2024-02-10 09:00, won, owner u1, google_ads      d2 created 2024-04-05 08:00, won, owner u1
 * orders o1 company:a 2024-02-10 10:00 100 EUR (d1, google_ads)       o2 company:a 2024-04-05 10:00 200 USD = 100 EUR
 *        o3 company:b 2024-01-06 12:00 (Sat) 10 EUR   o4 company:b 2024-01-07 12:00 (Sun) 20 EUR
 *        o5 company:b 2024-01-31T22:30:00Z 50 EUR: 22:30 on Jan 31 in UTC, 01:30 on Feb 1 in Europe/Moscow (UTC+3)
 * spend  google_ads 2024-02-01 100 EUR
 * </pre>
 * Every connection names its time zone, so "today" never matters for these past periods.
 */
class KpiSettingsTest {

  private static Connection connect(String... options) throws SQLException {
    String[] all = new String[options.length + 1];
    all[0] = options.length > 0 && options[0].startsWith("timezone=") ? options[0] : "timezone=UTC";
    int n = 1;
    for (String o : options) {
      if (!o.startsWith("timezone=")) {
        all[n++] = o;
      }
    }
    return KpiQueries.connect("settings", java.util.Arrays.copyOf(all, n));
  }

  private static Map<String, Object> row(Connection c, String view, String grain, String start, String... more)
      throws SQLException {
    return KpiTestRows.period(c, view, grain, start, more);
  }

  @Test
  void fiscalYearStartMovesYearsAndQuarters() throws SQLException {
    try (Connection c = connect()) {
      // calendar years: both deals in 2024
      Map<String, Object> y = row(c, "sales_by_manager", "year", "2024-01-01", "owner_user_id = 'u1'");
      assertCounts(y, "deals_created", 2, "deals_won", 2);
      assertCounts(row(c, "sales_by_manager", "quarter", "2024-01-01", "owner_user_id = 'u1'"), "deals_created", 1);
    }
    try (Connection c = connect("fiscal_year_start=4")) {
      // Feb 10 is in fiscal year Apr 2023 - Mar 2024, in its last quarter Jan - Mar 2024; Apr 5 opens FY 2024
      Map<String, Object> q = row(c, "sales_by_manager", "quarter", "2024-01-01", "owner_user_id = 'u1'");
      assertEquals(LocalDate.of(2024, 4, 1), q.get("period_end"));
      assertCounts(q, "deals_created", 1);
      Map<String, Object> fy23 = row(c, "sales_by_manager", "year", "2023-04-01", "owner_user_id = 'u1'");
      assertEquals(LocalDate.of(2024, 4, 1), fy23.get("period_end"));
      assertCounts(fy23, "deals_created", 1, "deals_won", 1, "orders", 1);
      assertNum(100.0, fy23, "revenue");
      assertCounts(row(c, "sales_by_manager", "year", "2024-04-01", "owner_user_id = 'u1'"), "deals_created", 1);
    }
    try (Connection c = connect("fiscal_year_start=2")) {
      // quarters Feb-Apr, May-Jul...: both deals in the quarter starting 2024-02-01
      Map<String, Object> q = row(c, "sales_by_manager", "quarter", "2024-02-01", "owner_user_id = 'u1'");
      assertEquals(LocalDate.of(2024, 5, 1), q.get("period_end"));
      assertCounts(q, "deals_created", 2, "orders", 2);
      assertNum(200.0, q, "revenue");
    }
  }

  @Test
  void weekStartMovesWeekBoundaries() throws SQLException {
    try (Connection c = connect()) {
      // Monday weeks: Sat Jan 6 and Sun Jan 7 share the week of Mon Jan 1
      Map<String, Object> w = row(c, "sales_period", "week", "2024-01-01");
      assertEquals(LocalDate.of(2024, 1, 8), w.get("period_end"));
      assertCounts(w, "orders", 2);
      assertNum(30.0, w, "revenue");
    }
    try (Connection c = connect("week_start=7")) {
      // Sunday weeks: Sat Jan 6 ends the week of Sun Dec 31; Sun Jan 7 starts the next
      Map<String, Object> w1 = row(c, "sales_period", "week", "2023-12-31");
      assertEquals(LocalDate.of(2024, 1, 7), w1.get("period_end"));
      assertCounts(w1, "orders", 1);
      assertNum(10.0, w1, "revenue");
      Map<String, Object> w2 = row(c, "sales_period", "week", "2024-01-07");
      assertCounts(w2, "orders", 1);
      assertNum(20.0, w2, "revenue");
      assertEquals(0, KpiQueries.rows(c, "SELECT * FROM kpi.sales_period WHERE grain = 'week'"
          + " AND period_start = DATE '2024-01-01'").size(), "no Monday week exists with week_start=7");
    }
  }

  @Test
  void timezoneMovesALateEveningOrderIntoTheNextMonth() throws SQLException {
    try (Connection c = connect("timezone=UTC")) {
      assertEquals(LocalDateTime.of(2024, 1, 31, 22, 30),
          KpiQueries.one(c, "SELECT ordered_at FROM crm.orders WHERE order_id = 'o5'").get("ordered_at"));
      Map<String, Object> jan = row(c, "sales_period", "month", "2024-01-01");
      assertCounts(jan, "orders", 3);
      assertNum(80.0, jan, "revenue");
      Map<String, Object> feb = row(c, "sales_period", "month", "2024-02-01");
      assertCounts(feb, "orders", 1);
      assertNum(100.0, feb, "revenue");
    }
    try (Connection c = connect("timezone=Europe/Moscow")) {
      assertEquals(LocalDateTime.of(2024, 2, 1, 1, 30),
          KpiQueries.one(c, "SELECT ordered_at FROM crm.orders WHERE order_id = 'o5'").get("ordered_at"));
      Map<String, Object> jan = row(c, "sales_period", "month", "2024-01-01");
      assertCounts(jan, "orders", 2);
      assertNum(30.0, jan, "revenue");
      Map<String, Object> feb = row(c, "sales_period", "month", "2024-02-01");
      assertCounts(feb, "orders", 2);
      assertNum(150.0, feb, "revenue");
    }
  }

  /**
   * Spells: b orders Jan 6, Jan 7, Jan 31 22:30; a orders Feb 10 and Apr 5 (55 days apart).
   * 90 days: b churns Apr 30 22:30, a stays active through Apr 5 and churns Jul 4.
   * 30 days: b churns Mar 1 22:30, a churns Mar 11 10:00, comes back Apr 5 and churns May 5.
   */
  @Test
  void churnInactivityDaysChangesChurn() throws SQLException {
    try (Connection c = connect()) {
      Map<String, Object> mar = KpiQueries.one(c, "SELECT * FROM kpi.churn_monthly WHERE \"month\" = DATE '2024-03-01'");
      assertCounts(mar, "customers_at_start", 2, "churned", 0, "customers_at_end", 2);
      Map<String, Object> apr = KpiQueries.one(c, "SELECT * FROM kpi.churn_monthly WHERE \"month\" = DATE '2024-04-01'");
      assertCounts(apr, "customers_at_start", 2, "churned", 1, "reactivated", 0, "customers_at_end", 1);
      assertNum(0.5, apr, "churn_rate");
      Map<String, Object> jul = KpiQueries.one(c, "SELECT * FROM kpi.churn_monthly WHERE \"month\" = DATE '2024-07-01'");
      assertCounts(jul, "customers_at_start", 1, "churned", 1, "customers_at_end", 0);
    }
    try (Connection c = connect("churn_inactivity_days=30")) {
      Map<String, Object> mar = KpiQueries.one(c, "SELECT * FROM kpi.churn_monthly WHERE \"month\" = DATE '2024-03-01'");
      assertCounts(mar, "customers_at_start", 2, "churned", 2, "customers_at_end", 0);
      assertNum(1.0, mar, "churn_rate");
      assertNum(0.0, mar, "retention_rate");
      Map<String, Object> apr = KpiQueries.one(c, "SELECT * FROM kpi.churn_monthly WHERE \"month\" = DATE '2024-04-01'");
      assertCounts(apr, "customers_at_start", 0, "reactivated", 1, "churned", 0, "customers_at_end", 1);
      assertNum(null, apr, "churn_rate");
      Map<String, Object> may = KpiQueries.one(c, "SELECT * FROM kpi.churn_monthly WHERE \"month\" = DATE '2024-05-01'");
      assertCounts(may, "customers_at_start", 1, "churned", 1, "customers_at_end", 0);
      assertCounts(KpiQueries.one(c, "SELECT * FROM kpi.churn_monthly WHERE \"month\" = DATE '2024-07-01'"),
          "customers_at_start", 0, "churned", 0);
    }
  }

  /** Feb: google_ads spend 100, revenue 100 (o1). Customer a: revenue 100 + 100, acquired in Feb at CAC 100 / 1. */
  @Test
  void grossMarginChangesRomiAndProfit() throws SQLException {
    try (Connection c = connect()) {
      Map<String, Object> feb = row(c, "romi_by_channel", "month", "2024-02-01", "channel = 'google_ads'");
      assertNum(1.0, feb, "roas");
      assertNum(0.0, feb, "romi"); // (100 x 1.0 - 100) / 100
      Map<String, Object> a = KpiQueries.one(c, "SELECT * FROM kpi.customer_value WHERE customer_id = 'company:a'");
      assertNum(200.0, a, "revenue");
      assertNum(100.0, a, "acquisition_cost");
      assertNum(100.0, a, "profit"); // 200 x 1.0 - 100
    }
    try (Connection c = connect("gross_margin=0.5")) {
      Map<String, Object> feb = row(c, "romi_by_channel", "month", "2024-02-01", "channel = 'google_ads'");
      assertNum(1.0, feb, "roas");
      assertNum(-0.5, feb, "romi"); // (100 x 0.5 - 100) / 100
      Map<String, Object> apr = row(c, "romi_by_channel", "month", "2024-04-01", "channel = 'google_ads'");
      assertNum(100.0, apr, "revenue");
      assertNum(null, apr, "romi"); // no spend: no ROMI
      Map<String, Object> a = KpiQueries.one(c, "SELECT * FROM kpi.customer_value WHERE customer_id = 'company:a'");
      assertNum(0.0, a, "profit"); // 200 x 0.5 - 100
    }
  }

  /** USD base: 1 EUR = 2 USD, so EUR figures double and the USD order keeps its 200. */
  @Test
  void currencySwitchesTheBaseCurrency() throws SQLException {
    try (Connection c = connect()) {
      assertNum(80.0, row(c, "sales_period", "month", "2024-01-01"), "revenue");
      assertNum(100.0, row(c, "sales_period", "month", "2024-04-01"), "revenue"); // 200 USD x 0.5
    }
    try (Connection c = connect("currency=USD")) {
      assertNum(160.0, row(c, "sales_period", "month", "2024-01-01"), "revenue");
      assertNum(200.0, row(c, "sales_period", "month", "2024-02-01"), "revenue");
      assertNum(200.0, row(c, "sales_period", "month", "2024-04-01"), "revenue");
      Map<String, Object> feb = row(c, "romi_by_channel", "month", "2024-02-01", "channel = 'google_ads'");
      assertNum(200.0, feb, "spend");
      assertNum(200.0, feb, "revenue");
      Map<String, Object> a = KpiQueries.one(c, "SELECT * FROM kpi.customer_value WHERE customer_id = 'company:a'");
      assertNum(400.0, a, "revenue");
      assertNum(200.0, a, "acquisition_cost");
    }
  }
  // golive / impact_months: kpi.crm_impact is not on main yet (branch h-kpi2); its settings test belongs with it.
}
