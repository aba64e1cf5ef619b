package io.crmkpi.dashboards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The "Pipeline & plan" cards on the demo against sums worked out independently from the crm tables (deals,
 * stages, targets): the forecast's amounts per month, the month's plan per manager with its run-rate
 * projection, the open pipeline's total, the lost deals per reason and the stale-deal list's order.
 */
class PipelineDashboardTest {

  private static Connection c;
  private static Dashboard d;
  private static LocalDate today;
  private static Map<String, Object> defaults;

  @BeforeAll
  static void open() throws Exception {
    c = DriverManager.getConnection(DashboardCardsTest.URL);
    d = DashboardCatalog.bundled("pipeline");
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CURRENT_DATE")) {
      rs.next();
      today = rs.getDate(1).toLocalDate();
    }
    defaults = FilterValues.defaults(d, today);
  }

  @AfterAll
  static void close() throws Exception {
    c.close();
  }

  private static CardResult card(String id, Map<String, Object> values) throws Exception {
    Card card = d.cards().stream().filter(k -> k.id().equals(id)).findFirst().orElseThrow();
    return CardRunner.run(c, d, card, values);
  }

  private static double num(CardResult r, List<Object> row, String column) {
    Object v = row.get(r.columns().indexOf(column));
    return v == null ? Double.NaN : ((Number) v).doubleValue();
  }

  private static List<Object[]> rows(String sql, Object... params) throws Exception {
    List<Object[]> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i] instanceof LocalDate ld ? java.sql.Date.valueOf(ld) : params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Object[] row = new Object[rs.getMetaData().getColumnCount()];
          for (int i = 0; i < row.length; i++) {
            row[i] = rs.getObject(i + 1);
          }
          out.add(row);
        }
      }
    }
    return out;
  }

  private static double dbl(Object v) {
    return v == null ? 0 : ((Number) v).doubleValue();
  }

  /**
   * Per expected-close month from the period's first month on: open amount = the open deals' amount_base,
   * weighted = amount_base x (the deal's probability, else its stage's) / 100 (every demo stage has one), won =
   * the amount of deals won with closed_at in the month; the months after the period's end are included.
   */
  @Test
  void theForecastIsTheOpenDealsByExpectedCloseMonthAndTheWonByClosingMonth() throws Exception {
    LocalDate from = (LocalDate) defaults.get("period_from");
    Map<String, double[]> expected = new TreeMap<>();
    for (Object[] r : rows("SELECT d.expected_close_date, d.amount_base, d.probability, s.probability"
        + " FROM crm.deals AS d JOIN crm.stages AS s ON s.stage_id = d.stage_id"
        + " WHERE d.status = 'open' AND NOT d.is_deleted AND d.expected_close_date >= ?", from)) {
      LocalDate day = ((java.sql.Date) r[0]).toLocalDate();
      double[] e = expected.computeIfAbsent(day.withDayOfMonth(1).toString(), k -> new double[3]);
      double amount = dbl(r[1]);
      Object p = r[2] != null ? r[2] : r[3];
      e[0] += amount;
      e[1] += amount * dbl(p) / 100;
    }
    for (Object[] r : rows("SELECT closed_at, amount_base FROM crm.deals WHERE status = 'won' AND NOT is_deleted"
        + " AND closed_at >= ?", java.sql.Timestamp.valueOf(from.atStartOfDay()))) {
      LocalDate day = ((java.sql.Timestamp) r[0]).toLocalDateTime().toLocalDate();
      expected.computeIfAbsent(day.withDayOfMonth(1).toString(), k -> new double[3])[2] += dbl(r[1]);
    }
    CardResult r = card("forecast", defaults);
    Map<String, double[]> drawn = new TreeMap<>();
    for (List<Object> row : r.rows()) {
      drawn.put((String) row.get(r.columns().indexOf("expected_close_month")), new double[] {
          num(r, row, "open_amount"), num(r, row, "weighted_amount"), num(r, row, "won_amount")});
    }
    assertEquals(expected.keySet(), drawn.keySet());
    assertTrue(drawn.keySet().stream().anyMatch(m -> m.compareTo(((LocalDate) defaults.get("period_to")).toString()) >= 0),
        "a month after the period's end: " + drawn.keySet());
    for (String m : expected.keySet()) {
      for (int i = 0; i < 3; i++) {
        assertEquals(expected.get(m)[i], drawn.get(m)[i], 0.01, m + " column " + i);
      }
    }
  }

  /**
   * This month's revenue plan per manager: the target from crm.targets, actual = won amount_base of the
   * manager's deals closed this month, attainment = actual / target, projected = actual x days in the month /
   * days elapsed (today counted).
   */
  @Test
  void theMonthsPlanPerManagerIsTargetActualAndRunRate() throws Exception {
    LocalDate month = today.withDayOfMonth(1);
    LocalDate next = month.plusMonths(1);
    Map<String, double[]> expected = new TreeMap<>();
    for (Object[] t : rows("SELECT u.name, t.target FROM crm.targets AS t JOIN crm.users AS u"
        + " ON u.user_id = t.owner_user_id WHERE t.metric = 'revenue' AND t.grain = 'month' AND t.pipeline_id IS NULL"
        + " AND t.period_start = ?", month)) {
      expected.put((String) t[0], new double[] {dbl(t[1]), 0});
    }
    for (Object[] w : rows("SELECT u.name, d.amount_base FROM crm.deals AS d JOIN crm.users AS u"
        + " ON u.user_id = d.owner_user_id WHERE d.status = 'won' AND NOT d.is_deleted AND d.closed_at >= ?"
        + " AND d.closed_at < ?", java.sql.Timestamp.valueOf(month.atStartOfDay()),
        java.sql.Timestamp.valueOf(next.atStartOfDay()))) {
      double[] e = expected.get((String) w[0]);
      if (e != null) {
        e[1] += dbl(w[1]);
      }
    }
    assertTrue(expected.size() >= 3, "the demo plans this month for its managers: " + expected.keySet());
    double elapsed = today.getDayOfMonth();
    double days = month.lengthOfMonth();
    CardResult r = card("plan_month", defaults);
    assertEquals(expected.size(), r.rows().size());
    for (List<Object> row : r.rows()) {
      String who = (String) row.get(r.columns().indexOf("owner_name"));
      double[] e = expected.get(who);
      assertEquals(e[0], num(r, row, "target"), 0.01, who);
      assertEquals(e[1], num(r, row, "actual"), 0.01, who);
      assertEquals(e[1] / e[0], num(r, row, "attainment"), 1e-9, who);
      assertEquals(e[1] * days / elapsed, num(r, row, "projected"), 0.01, who);
      assertEquals(e[1] * days / elapsed / e[0], num(r, row, "projected_attainment"), 1e-9, who);
    }
  }

  private static double bars(CardResult r) {
    return r.rows().stream().mapToDouble(row -> num(r, row, "days_0_7") + num(r, row, "days_8_30")
        + num(r, row, "days_31_90") + num(r, row, "days_91_plus")).sum();
  }

  /**
   * One bar per stage holding open deals, labelled "pipeline: stage"; the bars add up to every open deal's
   * amount, a pipeline's bars to that pipeline's.
   */
  @Test
  void theOpenPipelineAddsUpToTheOpenDeals() throws Exception {
    List<String> stages = new ArrayList<>();
    for (Object[] s : rows("SELECT DISTINCT p.name || ': ' || s.name FROM crm.deals AS d"
        + " JOIN crm.stages AS s ON s.stage_id = d.stage_id JOIN crm.pipelines AS p ON p.pipeline_id = d.pipeline_id"
        + " WHERE d.status = 'open' AND NOT d.is_deleted")) {
      stages.add((String) s[0]);
    }
    double all = dbl(rows("SELECT SUM(amount_base) FROM crm.deals WHERE status = 'open' AND NOT is_deleted").get(0)[0]);
    double partners = dbl(rows("SELECT SUM(d.amount_base) FROM crm.deals AS d JOIN crm.pipelines AS p"
        + " ON p.pipeline_id = d.pipeline_id WHERE d.status = 'open' AND NOT d.is_deleted AND p.name = 'Partners'")
        .get(0)[0]);
    assertTrue(partners > 0 && partners < all, partners + " of " + all);
    CardResult r = card("open_pipeline", defaults);
    assertEquals(new java.util.TreeSet<>(stages),
        new java.util.TreeSet<>(r.rows().stream().map(row -> (String) row.get(0)).toList()));
    assertEquals(stages.size(), r.rows().size(), "one bar per stage");
    assertEquals(all, bars(r), 0.01);
    Map<String, Object> one = new HashMap<>(defaults);
    one.put("pipeline", "Partners");
    CardResult p = card("open_pipeline", one);
    assertEquals(partners, bars(p), 0.01);
    assertTrue(p.rows().stream().allMatch(row -> ((String) row.get(0)).startsWith("Partners: ")));
  }

  /** Lost deals per reason = the deals lost (closed_at) in the period, counted from crm.deals. */
  @Test
  void lossReasonsCountTheDealsLostInThePeriod() throws Exception {
    LocalDate from = (LocalDate) defaults.get("period_from");
    LocalDate to = (LocalDate) defaults.get("period_to");
    Map<String, double[]> expected = new TreeMap<>();
    for (Object[] l : rows("SELECT COALESCE(loss_reason, '(none)'), COUNT(*), SUM(amount_base) FROM crm.deals"
        + " WHERE status = 'lost' AND NOT is_deleted AND closed_at >= ? AND closed_at < ?"
        + " GROUP BY COALESCE(loss_reason, '(none)')", java.sql.Timestamp.valueOf(from.atStartOfDay()),
        java.sql.Timestamp.valueOf(to.atStartOfDay()))) {
      expected.put((String) l[0], new double[] {dbl(l[1]), dbl(l[2])});
    }
    CardResult r = card("loss_reasons", defaults);
    Map<String, double[]> drawn = new TreeMap<>();
    double last = Double.MAX_VALUE;
    for (List<Object> row : r.rows()) {
      drawn.put((String) row.get(0), new double[] {num(r, row, "lost_deals"), num(r, row, "lost_amount")});
      assertTrue(num(r, row, "lost_amount") <= last, "biggest first");
      last = num(r, row, "lost_amount");
    }
    assertEquals(expected.keySet(), drawn.keySet());
    for (String reason : expected.keySet()) {
      assertEquals(expected.get(reason)[0], drawn.get(reason)[0], 0, reason);
      assertEquals(expected.get(reason)[1], drawn.get(reason)[1], 0.01, reason);
    }
  }

  /** The stale list is the 20 biggest of kpi.stale_deals, every one idle for more than 30 days (stale_days). */
  @Test
  void theStaleListIsTheTwentyBiggestIdleDeals() throws Exception {
    List<Double> amounts = new ArrayList<>();
    for (Object[] s : rows("SELECT amount_base FROM kpi.stale_deals WHERE amount_base IS NOT NULL"
        + " ORDER BY amount_base DESC")) {
      amounts.add(dbl(s[0]));
    }
    assertTrue(amounts.size() > 20, "stale deals on the demo: " + amounts.size());
    CardResult r = card("stale_deals", defaults);
    assertEquals(20, r.rows().size());
    for (int i = 0; i < 20; i++) {
      List<Object> row = r.rows().get(i);
      assertEquals(amounts.get(i), num(r, row, "amount_base"), 1e-9, "row " + i);
      assertTrue(num(r, row, "idle_days") > 30, "row " + i + " idle " + num(r, row, "idle_days"));
    }
    Map<String, Object> one = new HashMap<>(defaults);
    one.put("manager", r.rows().get(0).get(r.columns().indexOf("owner_name")));
    CardResult mine = card("stale_deals", one);
    assertFalse(mine.rows().isEmpty());
    assertEquals(r.rows().get(0), mine.rows().get(0), "the biggest stale deal is its owner's biggest too");
  }
}
