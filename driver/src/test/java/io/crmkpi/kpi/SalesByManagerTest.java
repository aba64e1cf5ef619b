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
 * kpi.sales_by_manager on kpi/sales_by_manager (base EUR, USD 0.9; users u1 Anna, u2 Boris; u3 unknown):
 * <pre>
 * deals (owner): d1 u1 won Jan 12 12:00 after 10.5 d, d2 u1 lost Jan 20, d3 u2 won Feb 9 06:00 after 30.25 d,
 *                d4 u1 won Jan 21 after 1 d, d5 u2 deleted (ignored), d6 no owner, open, created Jan 15
 * orders (manager AT ORDER TIME): o1 of d1 by u2 100 EUR (the deal is Anna's now, the order is Boris's),
 *                o2 of d3 by u2 100 USD = 90, o3 u1 Jan 30 50 EUR, o4 of deleted d5 (ignored), o5 u3 Feb 15 30 EUR
 * Jan u1: created 3, won 2, lost 1, win 2/3, orders 1, revenue 50, avg 50, cycle (10.5 + 1) / 2 = 5.75
 * Jan u2: created 1, won 0, lost 0, win NULL, orders 1, revenue 100, avg 100, cycle NULL
 * Jan no owner: created 1 (d6), rest 0;  Jan u3: all zero, owner_name NULL (not in users.csv)
 * Feb u2: won 1, win 1, orders 1, revenue 90, avg 90, cycle 30.25;  Feb u3: orders 1, revenue 30
 * Q1 u2: created 1, won 1, lost 0, win 1, orders 2, revenue 190, avg 95, cycle 30.25
 * </pre>
 */
class SalesByManagerTest {

  @Test
  void perManagerFromHandCounts() throws Exception {
    try (Connection c = KpiTestRows.connect("sales_by_manager")) {
      assertEquals(List.of("grain", "period_start", "period_end", "is_complete", "owner_user_id", "owner_name",
          "deals_created", "deals_won", "deals_lost", "win_rate", "orders", "revenue", "avg_check", "avg_cycle_days"),
          KpiTestRows.columns(c, "sales_by_manager"));
      Map<String, Object> anna = period(c, "sales_by_manager", "month", "2024-01-01", "owner_user_id = 'u1'");
      assertEquals("Anna", anna.get("owner_name"));
      counts(anna, "deals_created", 3, "deals_won", 2, "deals_lost", 1, "orders", 1);
      nums(anna, "win_rate", 2.0 / 3, "revenue", 50.0, "avg_check", 50.0, "avg_cycle_days", 5.75);

      Map<String, Object> boris = period(c, "sales_by_manager", "month", "2024-01-01", "owner_user_id = 'u2'");
      assertEquals("Boris", boris.get("owner_name"));
      counts(boris, "deals_created", 1, "deals_won", 0, "deals_lost", 0, "orders", 1);
      nums(boris, "win_rate", null, "revenue", 100.0, "avg_check", 100.0, "avg_cycle_days", null);

      Map<String, Object> nobody = period(c, "sales_by_manager", "month", "2024-01-01", "owner_user_id IS NULL");
      assertEquals(null, nobody.get("owner_name"));
      counts(nobody, "deals_created", 1, "deals_won", 0, "deals_lost", 0, "orders", 0);
      nums(nobody, "revenue", 0.0, "avg_check", null);

      Map<String, Object> u3jan = period(c, "sales_by_manager", "month", "2024-01-01", "owner_user_id = 'u3'");
      assertEquals(null, u3jan.get("owner_name"), "u3 is not in users.csv");
      counts(u3jan, "deals_created", 0, "deals_won", 0, "deals_lost", 0, "orders", 0);
      assertEquals(4, KpiTestRows.rows(c, "SELECT * FROM kpi.sales_by_manager WHERE grain = 'month' "
          + "AND period_start = DATE '2024-01-01'").size(), "one row per manager (u1, u2, u3, none)");

      Map<String, Object> borisFeb = period(c, "sales_by_manager", "month", "2024-02-01", "owner_user_id = 'u2'");
      counts(borisFeb, "deals_created", 0, "deals_won", 1, "deals_lost", 0, "orders", 1);
      nums(borisFeb, "win_rate", 1.0, "revenue", 90.0, "avg_check", 90.0, "avg_cycle_days", 30.25);
      Map<String, Object> u3feb = period(c, "sales_by_manager", "month", "2024-02-01", "owner_user_id = 'u3'");
      counts(u3feb, "orders", 1);
      nums(u3feb, "revenue", 30.0, "avg_check", 30.0);
      Map<String, Object> annaFeb = period(c, "sales_by_manager", "month", "2024-02-01", "owner_user_id = 'u1'");
      counts(annaFeb, "deals_created", 0, "deals_won", 0, "deals_lost", 0, "orders", 0);
      nums(annaFeb, "win_rate", null, "revenue", 0.0, "avg_check", null, "avg_cycle_days", null);

      Map<String, Object> borisQ1 = period(c, "sales_by_manager", "quarter", "2024-01-01", "owner_user_id = 'u2'");
      counts(borisQ1, "deals_created", 1, "deals_won", 1, "deals_lost", 0, "orders", 2);
      nums(borisQ1, "win_rate", 1.0, "revenue", 190.0, "avg_check", 95.0, "avg_cycle_days", 30.25);
    }
  }
}
