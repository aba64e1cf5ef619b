package io.crmkpi.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark's scale-up keeps the KPI semantics: a demo replicated three times answers, through the
 * JDBC URL, three times the base's totals (deals, distinct ids, order revenue and new customers in
 * kpi.sales_period) and the base's won share. In the bench package, so surefire runs it only when named
 * ({@code -Dtest=DemoScaleUpTest}).
 */
class DemoScaleUpTest {

  @TempDir
  Path dir;

  @Test
  void threeReplicasTripleTotalsAndKeepRates() throws Exception {
    Path base = dir.resolve("base.duckdb");
    String options = ";timezone=UTC;cache=off;today=2026-06-30";
    double[] b;
    try (Connection c = DriverManager.getConnection("jdbc:crmkpi:demo;deals=2000;store=" + base + options)) {
      b = figures(c);
    }
    Path scaled = dir.resolve("scaled.duckdb");
    DemoScaleUp.write(base, scaled, 3);
    double[] s;
    try (Connection c = DriverManager.getConnection("jdbc:crmkpi:demo;deals=2000;store=" + scaled + options
        + ";refresh=never")) {
      s = figures(c);
    }
    assertEquals(2000, b[0]);
    assertEquals(6000, s[0], "deals");
    assertEquals(6000, s[1], "distinct deal ids");
    assertEquals(3 * b[2], s[2], "orders in kpi.sales_period (years)");
    assertEquals(3 * b[3], s[3], 0.005 * 3, "revenue in kpi.sales_period (years)");
    assertEquals(3 * b[4], s[4], "new-customer orders in kpi.sales_period (years)");
    assertEquals(b[5], s[5], 1e-12, "won share of the deals");
    org.junit.jupiter.api.Assertions.assertTrue(b[6] > 0, "the demo has plans: " + b[6]);
    assertEquals(3 * b[6], s[6], 0.005 * 3, "sum of the plans' targets");
  }

  /** deals, distinct deal ids, orders, revenue, new-customer orders (all years), won share, sum of targets. */
  private static double[] figures(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      double[] f = new double[7];
      try (ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT deal_id), "
          + "avg(CASE WHEN status = 'won' THEN 1.0 ELSE 0.0 END) FROM crm.deals")) {
        rs.next();
        f[0] = rs.getLong(1);
        f[1] = rs.getLong(2);
        f[5] = rs.getDouble(3);
      }
      try (ResultSet rs = st.executeQuery("SELECT sum(orders), sum(revenue), sum(new_customer_orders) "
          + "FROM kpi.sales_period WHERE grain = 'year'")) {
        rs.next();
        f[2] = rs.getLong(1);
        f[3] = rs.getDouble(2);
        f[4] = rs.getLong(3);
      }
      try (ResultSet rs = st.executeQuery("SELECT sum(target) FROM crm.targets")) {
        rs.next();
        f[6] = rs.getDouble(1);
      }
      return f;
    }
  }
}
