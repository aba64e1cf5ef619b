package io.crmkpi.kpi;

import static io.crmkpi.kpi.KpiQueries.assertCounts;
import static io.crmkpi.kpi.KpiQueries.assertNum;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * kpi.cac_by_channel on kpi/cac_by_channel (EUR base, USD = 0.9 EUR; zone Europe/Berlin).
 * <pre>
 * Spend: google_ads 300 EUR (01-05) + 100 USD = 90 EUR (01-20) = 390 in Jan, 50 in Feb; yandex_direct 200 in Jan
 * Leads: google_ads 2 in Jan, 1 in Feb (02-01 00:30); yandex_direct 1 and organic 1 in Jan
 * First orders: K1 google 01-08 500 EUR (its 01-25 repeat order of 100 is not "new" revenue),
 *               K2 google 01-12 200 USD = 180 EUR, K3 organic 01-18 80 EUR, K4 google 2024-03-31 23:30 40 EUR (March)
 * Jan: google 390 / 2 = 195.0, revenue_new 680; organic 0 spend / 1 = 0.0, revenue 80;
 *      yandex 200 spend, 0 customers -> row kept, cac NULL
 * Feb: google 50 spend, 0 customers -> NULL; Mar: google 0 spend / 1 = 0.0, revenue 40; Apr: zeros, NULL
 * Q1: google 440 / 3 = 146.67, revenue 720; yandex 200 / 0 -> NULL
 * </pre>
 */
class CacByChannelTest {

  static Connection c;
  static List<Map<String, Object>> y2024;

  @BeforeAll
  static void connect() throws SQLException {
    c = KpiQueries.connect("cac_by_channel", "timezone=Europe/Berlin");
    y2024 = KpiQueries.rows(c, "SELECT * FROM kpi.cac_by_channel WHERE period_start < DATE '2025-01-01' ORDER BY channel");
  }

  @AfterAll
  static void close() throws SQLException {
    c.close();
  }

  private static Map<String, Object> row(String grain, String start, String channel) {
    return KpiQueries.only(y2024, "grain", grain, "period_start", start, "channel", channel);
  }

  @Test
  void januaryPerChannel() throws SQLException {
    Map<String, Object> google = row("month", "2024-01-01", "google_ads");
    assertNum(390.0, google, "spend");
    assertCounts(google, "leads", 2, "new_customers", 2);
    assertNum(195.0, google, "cac");
    assertNum(680.0, google, "revenue_new");
    assertEquals(LocalDate.of(2024, 2, 1), google.get("period_end"));
    assertEquals(Boolean.TRUE, google.get("is_complete"));

    Map<String, Object> organic = row("month", "2024-01-01", "organic");
    assertNum(0.0, organic, "spend");
    assertCounts(organic, "leads", 1, "new_customers", 1);
    assertNum(0.0, organic, "cac");
    assertNum(80.0, organic, "revenue_new");
  }

  @Test
  void spendWithoutCustomersKeepsItsRowWithNullCac() throws SQLException {
    Map<String, Object> yandex = row("month", "2024-01-01", "yandex_direct");
    assertNum(200.0, yandex, "spend");
    assertCounts(yandex, "leads", 1, "new_customers", 0);
    assertNum(null, yandex, "cac");
    assertNum(0.0, yandex, "revenue_new");
    Map<String, Object> febGoogle = row("month", "2024-02-01", "google_ads");
    assertNum(50.0, febGoogle, "spend");
    assertCounts(febGoogle, "leads", 1, "new_customers", 0);
    assertNum(null, febGoogle, "cac");
  }

  @Test
  void dstNightCustomerCountsInMarchWithoutSpend() throws SQLException {
    Map<String, Object> mar = row("month", "2024-03-01", "google_ads");
    assertNum(0.0, mar, "spend");
    assertCounts(mar, "leads", 0, "new_customers", 1);
    assertNum(0.0, mar, "cac");
    assertNum(40.0, mar, "revenue_new");
  }

  @Test
  void emptyMonthHasARowPerChannel() throws SQLException {
    List<Map<String, Object>> apr = KpiQueries.where(y2024, "grain", "month", "period_start", "2024-04-01");
    assertEquals(List.of("google_ads", "organic", "yandex_direct"), apr.stream().map(r -> r.get("channel")).toList());
    for (Map<String, Object> r : apr) {
      assertNum(0.0, r, "spend");
      assertCounts(r, "leads", 0, "new_customers", 0);
      assertNum(null, r, "cac");
    }
  }

  @Test
  void quarterIsRecomputedFromTotals() throws SQLException {
    Map<String, Object> q1 = row("quarter", "2024-01-01", "google_ads");
    assertNum(440.0, q1, "spend");
    assertCounts(q1, "leads", 3, "new_customers", 3);
    assertNum(440.0 / 3, q1, "cac");
    assertNum(720.0, q1, "revenue_new");
    assertNum(null, row("quarter", "2024-01-01", "yandex_direct"), "cac");
  }
}
