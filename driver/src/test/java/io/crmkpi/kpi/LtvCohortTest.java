package io.crmkpi.kpi;

import static io.crmkpi.kpi.KpiQueries.assertCounts;
import static io.crmkpi.kpi.KpiQueries.assertNum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * kpi.ltv_cohort on kpi/ltv_cohort (EUR base, USD = 0.9; zone Europe/Berlin).
 * <pre>
 * A: 2024-01-05 100, 02-10 50, 04-01 00:30 30     B: 01-20 200 USD = 180     (cohort Jan 2024, size 2)
 * D: 02-15 10, 02-20 20                                                        (cohort Feb 2024, size 1)
 * C: 2024-03-31 23:30 60 (DST night: March), 04-02 40                          (cohort Mar 2024, size 1)
 * Jan cohort: k | active | orders | revenue | cumulative | ltv (/2) | retention (/2)
 *             0 |   2    |   2    |   280   |    280     |   140    |   1.0
 *             1 |   1    |   1    |    50   |    330     |   165    |   0.5
 *             2 |   0    |   0    |     0   |    330     |   165    |   0.0   (no orders: row kept)
 *             3 |   1    |   1    |    30   |    360     |   180    |   0.5   (size stays 2)
 * Feb cohort k0: 1 active, 2 orders, 30 -> ltv 30;  Mar cohort k0 60, k1 40 -> cumulative 100, ltv 100
 * </pre>
 */
class LtvCohortTest {

  static Connection c;
  static List<Map<String, Object>> all;

  @BeforeAll
  static void connect() throws SQLException {
    c = KpiQueries.connect("ltv_cohort", "timezone=Europe/Berlin");
    all = KpiQueries.rows(c, "SELECT * FROM kpi.ltv_cohort ORDER BY cohort_month, months_since");
  }

  @AfterAll
  static void close() throws SQLException {
    c.close();
  }

  private static List<Map<String, Object>> cohort(String month) {
    return KpiQueries.where(all, "cohort_month", month);
  }

  @Test
  void januaryCohortKeepsItsOriginalSize() throws SQLException {
    List<Map<String, Object>> jan = cohort("2024-01-01");
    long[][] counts = {{2, 2}, {1, 1}, {0, 0}, {1, 1}};
    double[] revenue = {280, 50, 0, 30};
    double[] cumulative = {280, 330, 330, 360};
    double[] retention = {1.0, 0.5, 0.0, 0.5};
    for (int k = 0; k < 4; k++) {
      Map<String, Object> r = jan.get(k);
      assertCounts(r, "months_since", k, "cohort_size", 2, "active_customers", counts[k][0], "orders", counts[k][1]);
      assertNum(revenue[k], r, "revenue");
      assertNum(cumulative[k], r, "cumulative_revenue");
      assertNum(cumulative[k] / 2, r, "ltv");
      assertNum(retention[k], r, "retention_rate");
      assertEquals(Boolean.TRUE, r.get("is_complete"));
    }
  }

  @Test
  void otherCohorts() throws SQLException {
    Map<String, Object> feb = cohort("2024-02-01").get(0);
    assertCounts(feb, "cohort_size", 1, "active_customers", 1, "orders", 2);
    assertNum(30.0, feb, "ltv");
    List<Map<String, Object>> mar = cohort("2024-03-01");
    assertCounts(mar.get(0), "cohort_size", 1, "orders", 1);
    assertNum(60.0, mar.get(0), "revenue");
    assertNum(100.0, mar.get(1), "cumulative_revenue");
    assertNum(100.0, mar.get(1), "ltv");
    assertNum(1.0, mar.get(1), "retention_rate");
    assertEquals(3L, all.stream().map(r -> r.get("cohort_month")).distinct().count());
  }

  @Test
  void cellsRunToTheCurrentMonth() throws SQLException {
    LocalDate current = LocalDate.now(ZoneId.of("Europe/Berlin")).withDayOfMonth(1);
    List<Map<String, Object>> jan = cohort("2024-01-01");
    long months = ChronoUnit.MONTHS.between(LocalDate.of(2024, 1, 1), current);
    assertEquals(months + 1, jan.size());
    Map<String, Object> last = jan.get(jan.size() - 1);
    assertCounts(last, "months_since", months, "cohort_size", 2, "orders", 0);
    assertNum(180.0, last, "ltv");
    assertFalse((Boolean) last.get("is_complete"));
  }
}
