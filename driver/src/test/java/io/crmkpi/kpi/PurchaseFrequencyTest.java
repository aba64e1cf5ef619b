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
 * kpi.purchase_frequency on kpi/purchase_frequency:
 * <pre>
 * Jan: A o1, A o2, B o3 (Jan 31 23:59:59), o4 without customer (left out) -> 2 customers, 3 orders, 1.5
 * Feb: nothing -> 0, 0, NULL (zero denominator)
 * Mar: B o5, C o6 (deal deleted: left out), C o7 -> 2 customers, 2 orders, 1.0
 * Q1: A, B, C = 3 customers, 5 orders -> 5/3 = 1.6667 (not the mean of months (1.5 + 1) / 2 = 1.25)
 * </pre>
 */
class PurchaseFrequencyTest {

  @Test
  void ordersPerPurchasingCustomer() throws Exception {
    try (Connection c = KpiTestRows.connect("purchase_frequency")) {
      assertEquals(List.of("grain", "period_start", "period_end", "is_complete", "active_customers", "orders",
          "orders_per_customer"), KpiTestRows.columns(c, "purchase_frequency"));
      Map<String, Object> jan = period(c, "purchase_frequency", "month", "2024-01-01");
      counts(jan, "active_customers", 2, "orders", 3);
      nums(jan, "orders_per_customer", 1.5);
      Map<String, Object> feb = period(c, "purchase_frequency", "month", "2024-02-01");
      counts(feb, "active_customers", 0, "orders", 0);
      nums(feb, "orders_per_customer", null);
      Map<String, Object> mar = period(c, "purchase_frequency", "month", "2024-03-01");
      counts(mar, "active_customers", 2, "orders", 2);
      nums(mar, "orders_per_customer", 1.0);
      Map<String, Object> q1 = period(c, "purchase_frequency", "quarter", "2024-01-01");
      counts(q1, "active_customers", 3, "orders", 5);
      nums(q1, "orders_per_customer", 5.0 / 3);
    }
  }
}
