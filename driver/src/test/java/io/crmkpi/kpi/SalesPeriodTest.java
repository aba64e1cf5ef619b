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
 * kpi.sales_period on kpi/sales_period (base EUR; USD 0.9 from 2024-01-01, 0.8 from 2024-03-01):
 * <pre>
 * o1 A Jan 5  100 EUR = 100   items 80 + 20 (no flags: derived, the 20 is the upsell)  -> upsell, 20
 * o2 B Jan 20 200 USD = 180   one item, not upsell
 * o3 A Jan 31 50 EUR  = 50    no items; A's 2nd order -> repeat
 * oDel C Jan 10 999 EUR, deal dDel is deleted -> excluded everywhere (so C's first order is o5)
 * o5 C Mar 2  100 USD x 0.8 = 80   items 60 + 40 (40 flagged upsell)         -> upsell, 40
 * o6 B Mar 20 70 EUR  = 70    items 50 + 10 + 10 (two upsell lines: still ONE upsell order) -> 20
 * o7 no customer, Mar 25, 10 EUR = 10  -> in orders and revenue, neither new nor repeat
 * Jan: orders 3, revenue 330, avg 110, customers 2, new 2 (o1, o2), repeat 1 (o3), upsell 1 -> 1/3, 20
 * Feb: zeros, avg_check NULL, upsell_rate NULL
 * Mar: orders 3, revenue 160, avg 53.33, customers 2 (C, B), new 1 (o5), repeat 1 (o6), upsell 2 -> 2/3, 60
 * Q1: orders 6, revenue 490, avg 490/6 = 81.67, customers 3, new 3, repeat 2, upsell 3 -> 0.5, 80
 * </pre>
 */
class SalesPeriodTest {

  @Test
  void monthsAndQuarterFromHandCounts() throws Exception {
    try (Connection c = KpiTestRows.connect("sales_period")) {
      assertEquals(List.of("grain", "period_start", "period_end", "is_complete", "orders", "revenue", "avg_check",
          "customers", "new_customer_orders", "repeat_orders", "upsell_orders", "upsell_rate", "upsell_revenue"),
          KpiTestRows.columns(c, "sales_period"));
      Map<String, Object> jan = period(c, "sales_period", "month", "2024-01-01");
      counts(jan, "orders", 3, "customers", 2, "new_customer_orders", 2, "repeat_orders", 1, "upsell_orders", 1);
      nums(jan, "revenue", 330.0, "avg_check", 110.0, "upsell_rate", 1.0 / 3, "upsell_revenue", 20.0);

      Map<String, Object> feb = period(c, "sales_period", "month", "2024-02-01");
      counts(feb, "orders", 0, "customers", 0, "new_customer_orders", 0, "repeat_orders", 0, "upsell_orders", 0);
      nums(feb, "revenue", 0.0, "avg_check", null, "upsell_rate", null, "upsell_revenue", 0.0);

      Map<String, Object> mar = period(c, "sales_period", "month", "2024-03-01");
      counts(mar, "orders", 3, "customers", 2, "new_customer_orders", 1, "repeat_orders", 1, "upsell_orders", 2);
      nums(mar, "revenue", 160.0, "avg_check", 160.0 / 3, "upsell_rate", 2.0 / 3, "upsell_revenue", 60.0);

      Map<String, Object> q1 = period(c, "sales_period", "quarter", "2024-01-01");
      counts(q1, "orders", 6, "customers", 3, "new_customer_orders", 3, "repeat_orders", 2, "upsell_orders", 3);
      nums(q1, "revenue", 490.0, "avg_check", 490.0 / 6, "upsell_rate", 0.5, "upsell_revenue", 80.0);
    }
  }
}
