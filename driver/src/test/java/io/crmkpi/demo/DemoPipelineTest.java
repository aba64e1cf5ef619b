package io.crmkpi.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The demo's pipeline and plan data (stage and deal probabilities, expected close dates and their
 * slippage, deal snapshots, sales plans), checked as a user reads it through {@code jdbc:crmkpi:demo}
 * with SQL that recomputes each property from the rows, never with the generator's code: the snapshots
 * agree with the deals and the stage history, the slippage is within the range docs/demo.md gives,
 * the plans are one per period, owner and metric and some managers beat them while others miss them.
 */
class DemoPipelineTest {

  private static final String URL = "jdbc:crmkpi:demo;deals=3000;today=2025-06-15;seed=";
  private static Connection c;

  @BeforeAll
  static void connect() throws SQLException {
    c = DriverManager.getConnection(URL + 42);
  }

  @AfterAll
  static void close() throws SQLException {
    c.close();
  }

  private static double number(Connection x, String sql) throws SQLException {
    try (Statement s = x.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next(), sql);
      return rs.getDouble(1);
    }
  }

  private static long count(String sql) throws SQLException {
    return (long) number(c, sql);
  }

  private static List<String> rows(String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          b.append(i > 1 ? "|" : "").append(rs.getString(i));
        }
        out.add(b.toString());
      }
    }
    return out;
  }

  @Test
  void stagesCarryTheProbabilityThatRisesAlongTheFunnel() throws Exception {
    assertEquals(List.of("1:new|10.0", "1:qualified|20.0", "1:meeting|30.0", "1:proposal|40.0", "1:negotiation|60.0",
        "1:invoice|80.0", "1:won|100.0", "1:lost|0.0", "2:application|10.0", "2:verification|25.0", "2:terms|50.0",
        "2:agreement|70.0", "2:onboarding|90.0", "2:won|100.0", "2:lost|0.0"),
        rows("SELECT stage_id, probability FROM crm.stages ORDER BY pipeline_id, sort_order"));
  }

  @Test
  void aShareOfDealsHasItsOwnProbability() throws Exception {
    double share = number(c, "SELECT AVG(CASE WHEN probability IS NULL THEN 0.0 ELSE 1.0 END) FROM crm.deals");
    assertTrue(share > 0.15 && share < 0.40, "deals with their own probability: " + share);
    // the CRM sets a closed deal's own probability to 100 (won) or 0 (lost); open ones are a manager's 5..95
    assertEquals(0, count("SELECT COUNT(*) FROM crm.deals WHERE probability IS NOT NULL AND NOT ("
        + "status = 'won' AND probability = 100 OR status = 'lost' AND probability = 0 "
        + "OR status = 'open' AND probability BETWEEN 5 AND 95 AND MOD(CAST(probability AS INTEGER), 5) = 0)"));
    for (String status : List.of("open", "won", "lost")) {
      assertTrue(count("SELECT COUNT(*) FROM crm.deals WHERE probability IS NOT NULL AND status = '" + status
          + "'") > 0, status);
    }
  }

  @Test
  void everyDealHasOneCurrentSnapshotEqualToItsRow() throws Exception {
    assertEquals(3000, count("SELECT COUNT(*) FROM crm.deal_snapshots WHERE valid_to IS NULL"));
    assertEquals(0, count("SELECT COUNT(*) FROM crm.deals d LEFT JOIN crm.deal_snapshots s "
        + "ON s.deal_id = d.deal_id AND s.valid_to IS NULL WHERE s.deal_id IS NULL OR s.stage_id <> d.stage_id "
        + "OR s.status <> d.status OR s.amount_base IS DISTINCT FROM d.amount_base "
        + "OR s.probability IS DISTINCT FROM d.probability "
        + "OR s.expected_close_date IS DISTINCT FROM d.expected_close_date"));
    assertEquals(0, count("SELECT COUNT(*) FROM crm.deals WHERE expected_close_date IS NULL OR amount_base IS NULL"));
  }

  @Test
  void intervalsChainFromCreationWithoutOverlapAndEachOneChangesSomething() throws Exception {
    assertEquals(0, count("SELECT COUNT(*) FROM (SELECT s.*, LEAD(valid_from) OVER w AS next_from, "
        + "LAG(stage_id) OVER w AS p_stage, LAG(status) OVER w AS p_status, LAG(amount_base) OVER w AS p_amount, "
        + "LAG(probability) OVER w AS p_prob, LAG(expected_close_date) OVER w AS p_date, "
        + "ROW_NUMBER() OVER w AS n FROM crm.deal_snapshots s "
        + "WINDOW w AS (PARTITION BY deal_id ORDER BY valid_from)) t "
        + "WHERE valid_to IS DISTINCT FROM next_from OR valid_to <= valid_from "
        + "OR (n > 1 AND stage_id = p_stage AND status = p_status AND amount_base IS NOT DISTINCT FROM p_amount "
        + "AND probability IS NOT DISTINCT FROM p_prob AND expected_close_date = p_date)"));
    // the first interval starts when the deal is created, with a date expected after that day
    assertEquals(0, count("SELECT COUNT(*) FROM crm.deals d JOIN (SELECT deal_id, MIN(valid_from) AS f "
        + "FROM crm.deal_snapshots GROUP BY deal_id) s ON s.deal_id = d.deal_id WHERE s.f <> d.created_at"));
    assertEquals(0, count("SELECT COUNT(*) FROM crm.deal_snapshots s JOIN crm.deals d ON d.deal_id = s.deal_id "
        + "WHERE s.valid_from = d.created_at AND s.expected_close_date <= CAST(d.created_at AS DATE)"));
    // status follows the stage's kind in every interval
    assertEquals(0, count("SELECT COUNT(*) FROM crm.deal_snapshots s JOIN crm.stages st ON st.stage_id = s.stage_id "
        + "WHERE st.kind <> s.status"));
  }

  @Test
  void stageChangesInTheSnapshotsAreTheStageHistory() throws Exception {
    String changes = "SELECT deal_id, valid_from, stage_id FROM (SELECT deal_id, valid_from, stage_id, "
        + "LAG(stage_id) OVER (PARTITION BY deal_id ORDER BY valid_from) AS prev FROM crm.deal_snapshots) t "
        + "WHERE prev IS NULL OR prev <> stage_id";
    String history = "SELECT deal_id, changed_at, to_stage_id FROM crm.deal_stage_history";
    long n = count("SELECT COUNT(*) FROM crm.deal_stage_history");
    assertTrue(n > 3000, n + " stage changes");
    assertEquals(n, count("SELECT COUNT(*) FROM (" + changes + ") x"));
    assertEquals(0, count("SELECT COUNT(*) FROM (" + changes + " EXCEPT " + history + ") x"));
    assertEquals(0, count("SELECT COUNT(*) FROM (" + history + " EXCEPT " + changes + ") x"));
  }

  @Test
  void closedDealsKeepTheLastDateTheyHadAndSomeAmountsAreRevised() throws Exception {
    // closing changes the stage, never the expected date
    assertEquals(0, count("SELECT COUNT(*) FROM (SELECT status, expected_close_date, "
        + "LAG(status) OVER w AS p_status, LAG(expected_close_date) OVER w AS p_date FROM crm.deal_snapshots "
        + "WINDOW w AS (PARTITION BY deal_id ORDER BY valid_from)) t "
        + "WHERE status <> 'open' AND p_status = 'open' AND expected_close_date <> p_date"));
    // some deals were closed before the day they were expected, some after it
    assertTrue(count("SELECT COUNT(*) FROM crm.deals WHERE status = 'won' "
        + "AND CAST(closed_at AS DATE) < expected_close_date") > 50);
    assertTrue(count("SELECT COUNT(*) FROM crm.deals WHERE status = 'won' "
        + "AND CAST(closed_at AS DATE) > expected_close_date") > 50);
    // a first amount guessed, then corrected while the deal was open
    assertTrue(count("SELECT COUNT(DISTINCT deal_id) FROM (SELECT deal_id, status, amount_base, "
        + "LAG(amount_base) OVER (PARTITION BY deal_id ORDER BY valid_from) AS p FROM crm.deal_snapshots) t "
        + "WHERE status = 'open' AND amount_base <> p") > 100);
    // or none at first: only in a deal's first intervals (a deal lost before it had one and reopened keeps
    // none while lost), filled in later: every deal has one now
    long blank = count("SELECT COUNT(DISTINCT deal_id) FROM crm.deal_snapshots WHERE amount_base IS NULL");
    assertTrue(blank > 30, blank + " deals without an amount at first");
    assertEquals(0, count("SELECT COUNT(*) FROM crm.deal_snapshots s WHERE amount_base IS NULL "
        + "AND (valid_to IS NULL OR EXISTS (SELECT 1 FROM crm.deal_snapshots e "
        + "WHERE e.deal_id = s.deal_id AND e.valid_from < s.valid_from AND e.amount_base IS NOT NULL))"));
  }

  /**
   * The slippage docs/demo.md documents: 30-40 % of deals pushed to a later date at least once (some
   * several times), a few pulled in. Measured on the snapshots: an interval whose expected date is later
   * (earlier) than the interval before.
   */
  @ParameterizedTest
  @ValueSource(longs = {42, 7})
  void closeDatesSlipAsDocumented(long seed) throws Exception {
    try (Connection x = DriverManager.getConnection(URL + seed)) {
      String perDeal = "SELECT deal_id, SUM(CASE WHEN expected_close_date > p THEN 1 ELSE 0 END) AS pushes, "
          + "SUM(CASE WHEN expected_close_date < p THEN 1 ELSE 0 END) AS pulls FROM (SELECT deal_id, "
          + "expected_close_date, LAG(expected_close_date) OVER (PARTITION BY deal_id ORDER BY valid_from) AS p "
          + "FROM crm.deal_snapshots) t GROUP BY deal_id";
      double pushed = number(x, "SELECT AVG(CASE WHEN pushes > 0 THEN 1.0 ELSE 0.0 END) FROM (" + perDeal + ") d");
      double several = number(x, "SELECT AVG(CASE WHEN pushes > 1 THEN 1.0 ELSE 0.0 END) FROM (" + perDeal + ") d");
      double pulled = number(x, "SELECT AVG(CASE WHEN pulls > 0 THEN 1.0 ELSE 0.0 END) FROM (" + perDeal + ") d");
      String ctx = "seed " + seed + ": pushed " + pushed + ", several times " + several + ", pulled in " + pulled;
      assertTrue(pushed >= 0.30 && pushed <= 0.40, ctx);
      assertTrue(several >= 0.03 && several < pushed / 2, ctx);
      assertTrue(pulled >= 0.005 && pulled <= 0.05, ctx);
    }
  }

  @Test
  void theInactiveManagersOpenDealsWentToAColleague() throws Exception {
    // the manager who left has no open deal; deals changed hands (another user moved them later on)
    assertEquals(0, count("SELECT COUNT(*) FROM crm.deals d JOIN crm.users u ON u.user_id = d.owner_user_id "
        + "WHERE NOT u.is_active AND d.status = 'open'"));
    long moved = count("SELECT COUNT(*) FROM (SELECT h.deal_id FROM crm.deal_stage_history h "
        + "JOIN crm.deals d ON d.deal_id = h.deal_id GROUP BY h.deal_id, d.owner_user_id "
        + "HAVING COUNT(DISTINCT h.user_id) = 2 "
        + "AND MAX(h.changed_at) = MAX(CASE WHEN h.user_id = d.owner_user_id THEN h.changed_at END)) t");
    assertTrue(moved >= 10, moved + " deals moved between owners");
    // a won deal's order belongs to whoever owned the deal at the end
    assertEquals(0, count("SELECT COUNT(*) FROM crm.orders o JOIN crm.deals d ON d.deal_id = o.deal_id "
        + "WHERE o.owner_user_id <> d.owner_user_id"));
  }

  @Test
  void plansAreOnePerPeriodOwnerPipelineAndMetric() throws Exception {
    assertEquals(0, count("SELECT COUNT(*) FROM (SELECT grain, period_start, owner_user_id, pipeline_id, metric "
        + "FROM crm.targets GROUP BY grain, period_start, owner_user_id, pipeline_id, metric HAVING COUNT(*) > 1) t"));
    // periods start on their first day; from the go-live month (2024-06) to the month after today's
    assertEquals(0, count("SELECT COUNT(*) FROM crm.targets WHERE EXTRACT(DAY FROM period_start) <> 1 "
        + "OR grain = 'quarter' AND MOD(EXTRACT(MONTH FROM period_start), 3) <> 1 "
        + "OR grain = 'year' AND EXTRACT(MONTH FROM period_start) <> 1 OR target <= 0"));
    assertEquals(List.of("2024-06-01|2025-07-01"),
        rows("SELECT MIN(period_start), MAX(period_start) FROM crm.targets"));
    // what each plan is for (owner / pipeline / company), with how many periods
    assertEquals(List.of(
            "month|activities|owner|14", "month|deals_won|owner|14", "month|orders|company|14",
            "month|revenue|owner|14", "quarter|revenue|pipeline|5", "year|revenue|company|1"),
        rows("SELECT grain, metric, scope, COUNT(DISTINCT period_start) FROM (SELECT grain, metric, period_start, "
            + "CASE WHEN owner_user_id IS NOT NULL THEN 'owner' WHEN pipeline_id IS NOT NULL THEN 'pipeline' "
            + "ELSE 'company' END AS scope FROM crm.targets) t GROUP BY grain, metric, scope ORDER BY 1, 2, 3"));
    // a monthly plan for every manager in post at the month's start: 8 before the one who left (300 days
    // before today: 2024-08-19), 7 after
    assertEquals(List.of("2024-06-01|8", "2024-08-01|8", "2024-09-01|7", "2025-06-01|7", "2025-07-01|7"),
        rows("SELECT period_start, COUNT(*) FROM crm.targets WHERE grain = 'month' AND metric = 'revenue' "
            + "AND period_start IN (DATE '2024-06-01', DATE '2024-08-01', DATE '2024-09-01', DATE '2025-06-01', "
            + "DATE '2025-07-01') GROUP BY period_start ORDER BY 1"));
    // next month's plans are for a period without any deal yet
    assertEquals(0, count("SELECT COUNT(*) FROM crm.deals WHERE created_at >= TIMESTAMP '2025-07-01 00:00:00' "
        + "OR closed_at >= TIMESTAMP '2025-07-01 00:00:00'"));
  }

  @Test
  void someManagersBeatTheirPlanAndOthersMissIt() throws Exception {
    // revenue won per manager over the complete planned months (2024-06 .. 2025-05) against the plans
    List<String> att = rows("SELECT t.owner_user_id, CAST(SUM(COALESCE(a.rev, 0)) / SUM(t.target) AS DECIMAL(6, 2)) "
        + "FROM crm.targets t LEFT JOIN (SELECT owner_user_id, CAST(FLOOR(closed_at TO MONTH) AS DATE) AS m, "
        + "SUM(amount_base) AS rev FROM crm.deals WHERE status = 'won' AND NOT is_deleted "
        + "GROUP BY owner_user_id, CAST(FLOOR(closed_at TO MONTH) AS DATE)) a "
        + "ON a.owner_user_id = t.owner_user_id AND a.m = t.period_start "
        + "WHERE t.metric = 'revenue' AND t.grain = 'month' AND t.period_start < DATE '2025-06-01' "
        + "GROUP BY t.owner_user_id ORDER BY 2");
    double low = Double.parseDouble(att.get(0).split("\\|")[1]);
    double high = Double.parseDouble(att.get(att.size() - 1).split("\\|")[1]);
    assertTrue(low < 0.9 && high > 1.1 && low > 0.3 && high < 2, att.toString());
    // the company as a whole is near its plan: orders within 25 % over the complete months
    double orders = number(c, "SELECT CAST(SUM(o.n) AS DOUBLE) / SUM(t.target) FROM crm.targets t JOIN "
        + "(SELECT CAST(FLOOR(ordered_at TO MONTH) AS DATE) AS m, COUNT(*) AS n FROM crm.orders "
        + "GROUP BY CAST(FLOOR(ordered_at TO MONTH) AS DATE)) o "
        + "ON o.m = t.period_start WHERE t.metric = 'orders' AND t.period_start < DATE '2025-06-01'");
    assertTrue(orders > 0.75 && orders < 1.25, "orders / plan " + orders);
  }
}
