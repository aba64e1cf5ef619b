package io.crmkpi.kpi;

import static io.crmkpi.kpi.KpiQueries.assertCounts;
import static io.crmkpi.kpi.KpiQueries.assertNum;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * kpi.customer_value on kpi/customer_value (churn_inactivity_days = 3650, gross_margin = 0.5, EUR base, USD 0.9).
 * <pre>
 * Jan 2024 google_ads spend 300, new customers K1 and K2 -> CAC 150; organic and referral: no spend -> CAC 0
 * K1 google: 500 + 100 = 600 / 2 = 300 avg; active (no recorded churn, window 10 years); profit 600 x 0.5 - 150 = 150
 * K2 google: 200 USD = 180; recorded churn 2024-02-12 10:00 -> churned, lifetime 31.0 d; profit 90 - 150 = -60
 * K3 organic: 80 + 20 = 100; recorded churn 03-01, ordered again 04-01 -> reactivated, not churned; profit 50 - 0 = 50
 * K4 referral: 40 at 2024-03-31 23:30 (March CAC row of referral: 0) -> profit 20
 * Lifetime of active customers: first order -> now (checked against the clock to 0.01 day).
 * </pre>
 */
class CustomerValueTest {

  static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
  static Connection c;

  @BeforeAll
  static void connect() throws SQLException {
    c = KpiQueries.connect("customer_value", "timezone=Europe/Berlin", "churn_inactivity_days=3650",
        "gross_margin=0.5");
  }

  @AfterAll
  static void close() throws SQLException {
    c.close();
  }

  @Test
  void everyCustomerWithRevenueCostAndProfit() throws SQLException {
    List<Map<String, Object>> rows = KpiQueries.rows(c, "SELECT * FROM kpi.customer_value ORDER BY customer_id");
    assertEquals(List.of("K1", "K2", "K3", "K4"), rows.stream().map(r -> r.get("customer_id")).toList());
    Map<String, Object> k1 = rows.get(0);
    Map<String, Object> k2 = rows.get(1);
    Map<String, Object> k3 = rows.get(2);
    Map<String, Object> k4 = rows.get(3);
    assertEquals("Alpha", k1.get("name"));
    assertEquals("google_ads", k1.get("channel"));
    assertEquals(LocalDateTime.of(2024, 1, 8, 10, 0), k1.get("first_order_at"));
    assertEquals(LocalDateTime.of(2024, 1, 25, 10, 0), k1.get("last_order_at"));

    assertCounts(k1, "orders", 2);
    assertNum(600.0, k1, "revenue");
    assertNum(300.0, k1, "avg_check");
    assertNum(150.0, k1, "acquisition_cost");
    assertNum(150.0, k1, "profit");
    assertEquals(Boolean.FALSE, k1.get("is_churned"));

    assertCounts(k2, "orders", 1);
    assertNum(180.0, k2, "revenue");
    assertNum(180.0, k2, "avg_check");
    assertNum(31.0, k2, "lifetime_days");
    assertNum(150.0, k2, "acquisition_cost");
    assertNum(-60.0, k2, "profit");
    assertEquals(Boolean.TRUE, k2.get("is_churned"));

    assertCounts(k3, "orders", 2);
    assertNum(100.0, k3, "revenue");
    assertNum(0.0, k3, "acquisition_cost");
    assertNum(50.0, k3, "profit");
    assertEquals(Boolean.FALSE, k3.get("is_churned"), "ordered again after the recorded churn");

    assertEquals("referral", k4.get("channel"));
    assertNum(0.0, k4, "acquisition_cost");
    assertNum(20.0, k4, "profit");
    assertEquals(Boolean.FALSE, k4.get("is_churned"));
  }

  @Test
  void activeCustomersLiveUntilNow() throws SQLException {
    Map<String, Object> k1 = KpiQueries.one(c, "SELECT lifetime_days FROM kpi.customer_value WHERE customer_id = 'K1'");
    double expected = Duration.between(LocalDateTime.of(2024, 1, 8, 10, 0), LocalDateTime.now(ZONE)).toSeconds()
        / 86400.0;
    assertEquals(expected, ((Number) k1.get("lifetime_days")).doubleValue(), 0.01);
  }
}
