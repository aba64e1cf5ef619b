package io.crmkpi.kpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmkpi.metrics.MetricDefinition;
import io.crmkpi.metrics.MetricLibrary;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every period view of the demo CRM (30 months up to today, UTC, default settings): per grain and per dimension
 * key the catalog names, one row per period, aligned to the grain, from the first period with data to the current
 * one without a gap; is_complete is FALSE exactly for the current period (churn views: TRUE once the period end
 * plus the 90-day inactivity window has passed).
 */
class KpiPeriodsTest {

  /** Dimension columns per period view (rows repeat per key); a view missing here fails the coverage test. */
  private static final Map<String, List<String>> DIMENSIONS = Map.ofEntries(
      Map.entry("cac_by_channel", List.of("channel")),
      Map.entry("conversion_by_stage", List.of("pipeline_id", "stage_id")),
      Map.entry("deal_cycle", List.of("pipeline_id")),
      Map.entry("lead_flow", List.of("channel")),
      Map.entry("romi_by_channel", List.of("channel")),
      Map.entry("sales_by_manager", List.of("owner_user_id")),
      Map.entry("response_time", List.of("kind")),
      Map.entry("support_tickets", List.of("channel")),
      Map.entry("sales_period", List.of()),
      Map.entry("deal_success_rate", List.of()),
      Map.entry("purchase_frequency", List.of()),
      Map.entry("nps_period", List.of()),
      Map.entry("csat_period", List.of()),
      Map.entry("cost_per_customer", List.of()),
      Map.entry("customer_activity", List.of()),
      Map.entry("customer_lifetime", List.of()),
      Map.entry("pipeline_created", List.of("owner_user_id", "channel")),
      Map.entry("close_date_slippage", List.of()),
      Map.entry("sales_velocity", List.of("pipeline_id")),
      Map.entry("activity_productivity", List.of("user_id")));
  /**
   * Views with a grain column but no period spine: a row per target (plan_attainment) or per period and owner
   * that closed something (loss_analysis); their fixture tests cover their periods.
   */
  private static final Set<String> NOT_SPINE = Set.of("plan_attainment", "loss_analysis");
  /** is_complete also waits for the churn window. */
  private static final Set<String> CHURN_WINDOW = Set.of("customer_lifetime");
  private static final Set<String> NOT_MEASURES = Set.of("stage_order");
  private static final int CHURN_DAYS = 90;

  static Connection c;
  static LocalDate today;

  @BeforeAll
  static void connect() throws SQLException {
    c = DriverManager.getConnection("jdbc:crmkpi:demo;deals=3000;seed=7;timezone=UTC");
    assertNull(c.getWarnings(), () -> KpiTestRows.warnings(c));
    today = LocalDate.now(ZoneOffset.UTC);
  }

  @AfterAll
  static void close() throws SQLException {
    c.close();
  }

  @Test
  void everyPeriodViewIsCovered() throws SQLException {
    List<String> periodViews = new ArrayList<>();
    for (MetricDefinition d : MetricLibrary.builtIn().definitions()) {
      if (d.schema().equals("kpi") && KpiTestRows.columns(c, d.name()).contains("grain") && !NOT_SPINE.contains(d.name())) {
        periodViews.add(d.name());
      }
    }
    assertEquals(new TreeSet<>(DIMENSIONS.keySet()), new TreeSet<>(periodViews));
  }

  @Test
  void periodViewsHaveEveryPeriodOfEveryGrainUpToNow() throws SQLException {
    List<String> problems = new ArrayList<>();
    for (String view : new TreeSet<>(DIMENSIONS.keySet())) {
      List<Map<String, Object>> rows = KpiTestRows.rows(c, "SELECT * FROM kpi." + view);
      Set<String> grains = rows.stream().map(r -> (String) r.get("grain")).collect(Collectors.toCollection(TreeSet::new));
      Set<String> expectedGrains = view.equals("conversion_by_stage")
          ? Set.of("all", "month", "quarter", "year") : Set.of("week", "month", "quarter", "year");
      if (view.equals("close_date_slippage")) {
        // no weeks; no rows at all without snapshots
        expectedGrains = firstSnapshot() == null ? Set.of() : Set.of("month", "quarter", "year");
      }
      if (!grains.equals(new TreeSet<>(expectedGrains))) {
        problems.add(view + ": grains " + grains);
      }
      for (String grain : grains) {
        if (grain.equals("all")) {
          continue;
        }
        Map<String, List<Map<String, Object>>> series = new TreeMap<>();
        for (Map<String, Object> r : rows) {
          if (grain.equals(r.get("grain"))) {
            String key = DIMENSIONS.get(view).stream().map(k -> String.valueOf(r.get(k))).collect(Collectors.joining("|"));
            series.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
          }
        }
        for (Map.Entry<String, List<Map<String, Object>>> s : series.entrySet()) {
          checkSeries(view + " " + grain + " [" + s.getKey() + "]", grain, s.getValue(),
              CHURN_WINDOW.contains(view), problems);
        }
        // the first period of the grain holds data (the spine starts at the first data point, not before)
        LocalDate first = rows.stream().filter(r -> grain.equals(r.get("grain")))
            .map(r -> (LocalDate) r.get("period_start")).min(Comparator.naturalOrder()).orElseThrow();
        if (view.equals("customer_lifetime")) {
          // churn needs a customer first: its periods start with the first order (zero churn until the window ends)
          LocalDate firstOrder = ((java.time.LocalDateTime) KpiQueries.one(c,
              "SELECT min(first_order_at) AS f FROM crm.customers").get("f")).toLocalDate();
          if (!first.equals(align(grain, firstOrder))) {
            problems.add(view + " " + grain + ": first period " + first + ", first order " + firstOrder);
          }
          continue;
        }
        if (view.equals("close_date_slippage")) {
          // slippage needs a snapshot at a period's start: its periods start with the first snapshot
          if (!first.equals(align(grain, firstSnapshot()))) {
            problems.add(view + " " + grain + ": first period " + first + ", first snapshot " + firstSnapshot());
          }
          continue;
        }
        if (view.equals("sales_velocity")) {
          // the pipeline is counted from the first deal's creation: that period holds no open deal yet
          LocalDate firstDeal = ((java.time.LocalDateTime) KpiQueries.one(c,
              "SELECT min(created_at) AS f FROM crm.deals WHERE NOT is_deleted").get("f")).toLocalDate();
          if (!first.equals(align(grain, firstDeal))) {
            problems.add(view + " " + grain + ": first period " + first + ", first deal " + firstDeal);
          }
          continue;
        }
        double activity = rows.stream().filter(r -> grain.equals(r.get("grain")) && first.equals(r.get("period_start")))
            .mapToDouble(KpiPeriodsTest::measureSum).sum();
        if (activity == 0) {
          problems.add(view + " " + grain + ": first period " + first + " has no data");
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void churnMonthlyHasEveryMonthAndWaitsForTheWindow() throws SQLException {
    List<Map<String, Object>> rows = KpiTestRows.rows(c,
        "SELECT \"month\" AS period_start, is_complete, new_customers FROM kpi.churn_monthly");
    for (Map<String, Object> r : rows) {
      r.put("period_end", ((LocalDate) r.get("period_start")).plusMonths(1));
    }
    List<String> problems = new ArrayList<>();
    checkSeries("churn_monthly", "month", rows, true, problems);
    assertEquals(List.of(), problems);
    rows.sort(Comparator.comparing(r -> (LocalDate) r.get("period_start")));
    assertTrue(KpiQueries.count(rows.get(0), "new_customers") > 0, "the first month has the first customers");
  }

  @Test
  void ltvCohortsRunFromMonthZeroToTheCurrentMonth() throws SQLException {
    List<Map<String, Object>> rows = KpiTestRows.rows(c,
        "SELECT cohort_month, months_since, is_complete FROM kpi.ltv_cohort ORDER BY cohort_month, months_since");
    Map<LocalDate, List<Map<String, Object>>> cohorts = new TreeMap<>();
    rows.forEach(r -> cohorts.computeIfAbsent((LocalDate) r.get("cohort_month"), k -> new ArrayList<>()).add(r));
    assertTrue(cohorts.size() >= 25, () -> "cohorts: " + cohorts.keySet());
    LocalDate current = today.withDayOfMonth(1);
    List<String> problems = new ArrayList<>();
    for (Map.Entry<LocalDate, List<Map<String, Object>>> e : cohorts.entrySet()) {
      List<Map<String, Object>> cells = e.getValue();
      for (int i = 0; i < cells.size(); i++) {
        Map<String, Object> cell = cells.get(i);
        if (((Number) cell.get("months_since")).intValue() != i) {
          problems.add(e.getKey() + ": cell " + i + " is " + cell);
        }
        boolean isCurrent = e.getKey().plusMonths(i).equals(current);
        if (!Boolean.valueOf(!isCurrent).equals(cell.get("is_complete"))) {
          problems.add(e.getKey() + " +" + i + ": is_complete " + cell.get("is_complete"));
        }
      }
      if (!e.getKey().plusMonths(cells.size() - 1).equals(current)) {
        problems.add(e.getKey() + ": last cell is not the current month");
      }
    }
    assertEquals(List.of(), problems);
  }

  private static void checkSeries(String name, String grain, List<Map<String, Object>> rows, boolean churnWindow,
      List<String> problems) {
    rows.sort(Comparator.comparing(r -> (LocalDate) r.get("period_start")));
    LocalDate currentStart = align(grain, today);
    for (int i = 0; i < rows.size(); i++) {
      Map<String, Object> r = rows.get(i);
      LocalDate start = (LocalDate) r.get("period_start");
      LocalDate end = (LocalDate) r.get("period_end");
      if (!start.equals(align(grain, start)) || !end.equals(next(grain, start))) {
        problems.add(name + ": misaligned period " + start + " - " + end);
      }
      if (i > 0 && !start.equals(rows.get(i - 1).get("period_end"))) {
        problems.add(name + ": gap or overlap before " + start);
      }
      boolean complete = churnWindow ? !end.plusDays(CHURN_DAYS).isAfter(today) : !start.equals(currentStart);
      if (!Boolean.valueOf(complete).equals(r.get("is_complete"))) {
        problems.add(name + ": " + start + " is_complete " + r.get("is_complete") + ", expected " + complete);
      }
    }
    LocalDate last = (LocalDate) rows.get(rows.size() - 1).get("period_start");
    if (!last.equals(currentStart)) {
      problems.add(name + ": last period " + last + ", current is " + currentStart);
    }
  }

  private static LocalDate align(String grain, LocalDate d) {
    return switch (grain) {
      case "week" -> d.minusDays(d.getDayOfWeek().getValue() - DayOfWeek.MONDAY.getValue());
      case "month" -> d.withDayOfMonth(1);
      case "quarter" -> d.withDayOfMonth(1).withMonth((d.getMonthValue() - 1) / 3 * 3 + 1);
      case "year" -> d.withDayOfYear(1);
      default -> throw new IllegalArgumentException(grain);
    };
  }

  private static LocalDate next(String grain, LocalDate start) {
    return switch (grain) {
      case "week" -> start.plusWeeks(1);
      case "month" -> start.plusMonths(1);
      case "quarter" -> start.plusMonths(3);
      case "year" -> start.plusYears(1);
      default -> throw new IllegalArgumentException(grain);
    };
  }

  private static LocalDate firstSnapshot() throws SQLException {
    Object f = KpiQueries.one(c, "SELECT min(s.valid_from) AS f FROM crm.deal_snapshots AS s WHERE NOT EXISTS"
        + " (SELECT 1 FROM crm.deals AS x WHERE x.deal_id = s.deal_id AND x.is_deleted)").get("f");
    return f == null ? null : ((java.time.LocalDateTime) f).toLocalDate();
  }

  private static double measureSum(Map<String, Object> r) {
    double sum = 0;
    for (Map.Entry<String, Object> e : r.entrySet()) {
      if (e.getValue() instanceof Number n && !NOT_MEASURES.contains(e.getKey())) {
        sum += Math.abs(n.doubleValue());
      }
    }
    return sum;
  }
}
