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
 * kpi.cost_per_customer on kpi/cost_per_customer (base EUR, USD 0.9):
 * <pre>
 * spend: 2023-12-31 10 EUR; Jan 10 100 EUR + Jan 20 100 USD = 90 -> 190; Feb 15 50 EUR
 * orders: A Jan 5 (first), B Jan 20 (first), A Feb 10 (repeat), C Mar 3 (first, organic)
 * Dec 2023: spend 10, new 0, active 0 -> both costs NULL (first data point: the axis starts here)
 * Jan: 190, new 2, active 2 -> 95, 95
 * Feb: 50, new 0, active 1 -> NULL (zero denominator), 50
 * Mar: 0, new 1, active 1 -> 0.0, 0.0
 * Apr: nothing -> 0, 0, 0, NULL, NULL
 * Q1 2024: 240, new 3, active 3 -> 80, 80 (not the mean of months)
 * </pre>
 */
class CostPerCustomerTest {

  @Test
  void blendedCacAndCostPerActiveCustomer() throws Exception {
    try (Connection c = KpiTestRows.connect("cost_per_customer")) {
      assertEquals(List.of("grain", "period_start", "period_end", "is_complete", "marketing_spend", "new_customers",
          "active_customers", "cost_per_new_customer", "cost_per_active_customer"),
          KpiTestRows.columns(c, "cost_per_customer"));
      Map<String, Object> dec = period(c, "cost_per_customer", "month", "2023-12-01");
      counts(dec, "new_customers", 0, "active_customers", 0);
      nums(dec, "marketing_spend", 10.0, "cost_per_new_customer", null, "cost_per_active_customer", null);
      Map<String, Object> jan = period(c, "cost_per_customer", "month", "2024-01-01");
      counts(jan, "new_customers", 2, "active_customers", 2);
      nums(jan, "marketing_spend", 190.0, "cost_per_new_customer", 95.0, "cost_per_active_customer", 95.0);
      Map<String, Object> feb = period(c, "cost_per_customer", "month", "2024-02-01");
      counts(feb, "new_customers", 0, "active_customers", 1);
      nums(feb, "marketing_spend", 50.0, "cost_per_new_customer", null, "cost_per_active_customer", 50.0);
      Map<String, Object> mar = period(c, "cost_per_customer", "month", "2024-03-01");
      counts(mar, "new_customers", 1, "active_customers", 1);
      nums(mar, "marketing_spend", 0.0, "cost_per_new_customer", 0.0, "cost_per_active_customer", 0.0);
      Map<String, Object> apr = period(c, "cost_per_customer", "month", "2024-04-01");
      counts(apr, "new_customers", 0, "active_customers", 0);
      nums(apr, "marketing_spend", 0.0, "cost_per_new_customer", null, "cost_per_active_customer", null);
      Map<String, Object> q1 = period(c, "cost_per_customer", "quarter", "2024-01-01");
      counts(q1, "new_customers", 3, "active_customers", 3);
      nums(q1, "marketing_spend", 240.0, "cost_per_new_customer", 80.0, "cost_per_active_customer", 80.0);
      assertEquals(java.time.LocalDate.of(2023, 12, 1), KpiTestRows.one(c,
          "SELECT MIN(period_start) AS m FROM kpi.cost_per_customer WHERE grain = 'month'").get("m"));
    }
  }
}
