package io.crmkpi.kpi;

import static io.crmkpi.kpi.KpiQueries.assertCounts;
import static io.crmkpi.kpi.KpiQueries.assertNum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * kpi.conversion_by_stage on kpi/conversion_by_stage (zone Europe/Berlin).
 * <pre>
 * P1 Sales: a New(sort 10), b Qualified(20), c Proposal(30), W won, L lost  -> stage_order a1 b2 c3 W4
 * January 2024 deals (history in deal_stage_history.csv; days = time between entering and leaving):
 *   d1 a(2d) b(1.5d) c(4.5d) W                   won: reached a b c W
 *   d2 a(1d) c(2d) L          (skips b)          reached a b c
 *   d3 a(1d) b(2d) c(1.5d) b  (moves back, open) reached a b c  (the last b visit has not ended)
 *   d4 a(1d) L a(1.5d) b(2d) W (reopened, won)   reached a b c W; a = 1 + 1.5 = 2.5 days
 *   d5 a(3d) L                                   reached a
 *   d6 deleted                                   excluded (its 10 days in a must not count)
 *   d7 open in a, no history (inferred creation) reached a; still in a
 *   reached: a 6, b 4, c 4, W 2; next: 4, 4, 2; to_next 4/6, 4/4, 2/4; from_first 1, 4/6, 4/6, 2/6
 *   drop_off 2, 0, 2; avg days a (2+1+1+2.5+3)/5 = 1.9, b (1.5+2+2)/3 = 1.8333, c (4.5+2+1.5)/3 = 2.6667
 * February: d8 won, no history -> inferred a (02-01 10:00) -> W (02-11 10:00): reached all, a 10 days
 * March: d9 created 2024-03-31 23:30 (DST night, wall clock: March), a 1.5d, b 1d, lost -> reached a b;
 *   c: 0 reached -> conversion_to_next NULL (zero denominator), conversion_from_first 0
 * April: no deals -> rows with zeros and NULL rates
 * Q1 = Jan + Feb + Mar: a 8, b 6, c 5, W 3; a days (9.5 + 10 + 1.5)/7 = 3.0, b (5.5 + 1)/4 = 1.625
 * P2 Partners (May 2024, no history; inferred): 1 won, 3 open in z, 6 in y, 2 in x
 *   x 12, y 10, z 4, won 1 -> to_next 10/12, 4/10, 1/4: z is lowest but has only 4 deals (< 10),
 *   so the bottleneck is y.
 * </pre>
 */
class ConversionByStageTest {

  static Connection c;
  static List<Map<String, Object>> rows;

  @BeforeAll
  static void connect() throws SQLException {
    c = KpiQueries.connect("conversion_by_stage", "timezone=Europe/Berlin");
    rows = KpiQueries.rows(c, "SELECT * FROM kpi.conversion_by_stage "
        + "WHERE grain = 'all' OR period_start < DATE '2025-01-01' ORDER BY pipeline_id, stage_order");
  }

  @AfterAll
  static void close() throws SQLException {
    c.close();
  }

  private static List<Map<String, Object>> funnel(String grain, String pipeline, String start) {
    return KpiQueries.where(rows, "grain", grain, "pipeline_id", pipeline, "period_start", start);
  }

  private static List<Map<String, Object>> month(String pipeline, String start) {
    return funnel("month", pipeline, start);
  }

  @Test
  void januaryFunnelWithSkipsBackwardMovesAndReopenedDeals() throws SQLException {
    List<Map<String, Object>> jan = month("P1", "2024-01-01");
    assertEquals(List.of("a", "b", "c", "W"), jan.stream().map(r -> r.get("stage_id")).toList());
    assertEquals(List.of("New", "Qualified", "Proposal", "Won"), jan.stream().map(r -> r.get("stage_name")).toList());
    assertEquals(List.of(1, 2, 3, 4), jan.stream().map(r -> ((Number) r.get("stage_order")).intValue()).toList());
    Map<String, Object> a = jan.get(0);
    Map<String, Object> b = jan.get(1);
    Map<String, Object> cc = jan.get(2);
    Map<String, Object> w = jan.get(3);
    assertEquals("Sales", a.get("pipeline_name"));
    assertEquals(LocalDate.of(2024, 2, 1), a.get("period_end"));
    assertEquals(Boolean.TRUE, a.get("is_complete"));

    assertCounts(a, "deals_reached", 6, "deals_next", 4, "drop_off", 2);
    assertNum(4.0 / 6, a, "conversion_to_next");
    assertNum(1.0, a, "conversion_from_first");
    assertNum(1.9, a, "avg_days_in_stage");

    assertCounts(b, "deals_reached", 4, "deals_next", 4, "drop_off", 0);
    assertNum(1.0, b, "conversion_to_next");
    assertNum(4.0 / 6, b, "conversion_from_first");
    assertNum(5.5 / 3, b, "avg_days_in_stage");

    assertCounts(cc, "deals_reached", 4, "deals_next", 2, "drop_off", 2);
    assertNum(0.5, cc, "conversion_to_next");
    assertNum(4.0 / 6, cc, "conversion_from_first");
    assertNum(8.0 / 3, cc, "avg_days_in_stage");

    assertCounts(w, "deals_reached", 2);
    assertNull(w.get("deals_next"));
    assertNum(null, w, "conversion_to_next");
    assertNum(2.0 / 6, w, "conversion_from_first");
    assertNull(w.get("drop_off"));
    assertNum(null, w, "avg_days_in_stage");
    for (Map<String, Object> r : jan) {
      assertEquals(Boolean.FALSE, r.get("is_bottleneck"), "fewer than 10 deals: no bottleneck");
    }
  }

  @Test
  void wonDealWithoutHistoryReachedEverything() throws SQLException {
    List<Map<String, Object>> feb = month("P1", "2024-02-01");
    assertEquals(List.of(1L, 1L, 1L, 1L), feb.stream().map(r -> KpiQueries.count(r, "deals_reached")).toList());
    assertNum(10.0, feb.get(0), "avg_days_in_stage");
    assertNum(1.0, feb.get(3), "conversion_from_first");
  }

  @Test
  void dstNightDealAndZeroDenominator() throws SQLException {
    List<Map<String, Object>> mar = month("P1", "2024-03-01");
    assertEquals(List.of(1L, 1L, 0L, 0L), mar.stream().map(r -> KpiQueries.count(r, "deals_reached")).toList());
    assertNum(1.0, mar.get(0), "conversion_to_next");
    assertNum(1.5, mar.get(0), "avg_days_in_stage");
    assertNum(0.0, mar.get(1), "conversion_to_next");
    assertCounts(mar.get(1), "drop_off", 1);
    assertNum(1.0, mar.get(1), "avg_days_in_stage");
    assertNum(null, mar.get(2), "conversion_to_next");
    assertNum(0.0, mar.get(2), "conversion_from_first");
  }

  @Test
  void monthWithoutDealsKeepsItsRows() throws SQLException {
    List<Map<String, Object>> apr = month("P1", "2024-04-01");
    assertEquals(4, apr.size());
    for (Map<String, Object> r : apr) {
      assertCounts(r, "deals_reached", 0);
      assertNum(null, r, "conversion_to_next");
      assertNum(null, r, "conversion_from_first");
    }
  }

  @Test
  void quarterAndAllCountDealsOnce() throws SQLException {
    for (List<Map<String, Object>> q : List.of(funnel("quarter", "P1", "2024-01-01"), funnel("all", "P1", null))) {
      String where = String.valueOf(q.get(0).get("grain"));
      assertEquals(List.of(8L, 6L, 5L, 3L), q.stream().map(r -> KpiQueries.count(r, "deals_reached")).toList(), where);
      assertNum(6.0 / 8, q.get(0), "conversion_to_next");
      assertNum(5.0 / 6, q.get(1), "conversion_to_next");
      assertNum(3.0 / 5, q.get(2), "conversion_to_next");
      assertNum(3.0 / 8, q.get(3), "conversion_from_first");
      assertNum(3.0, q.get(0), "avg_days_in_stage");
      assertNum(1.625, q.get(1), "avg_days_in_stage");
    }
    Map<String, Object> all = funnel("all", "P1", null).get(0);
    assertNull(all.get("period_start"));
    assertNull(all.get("period_end"));
    assertFalse((Boolean) all.get("is_complete"));
  }

  @Test
  void bottleneckNeedsTenDealsAndPipelinesStaySeparate() throws SQLException {
    List<Map<String, Object>> may = month("P2", "2024-05-01");
    assertEquals(List.of("x", "y", "z", "W2"), may.stream().map(r -> r.get("stage_id")).toList());
    assertEquals(List.of(12L, 10L, 4L, 1L), may.stream().map(r -> KpiQueries.count(r, "deals_reached")).toList());
    assertNum(10.0 / 12, may.get(0), "conversion_to_next");
    assertNum(0.4, may.get(1), "conversion_to_next");
    assertNum(0.25, may.get(2), "conversion_to_next");
    assertEquals(List.of(false, true, false, false), may.stream().map(r -> r.get("is_bottleneck")).toList());
    // P1 in May has no deals; P2 deals never leak into it
    assertEquals(List.of(0L, 0L, 0L, 0L), month("P1", "2024-05-01").stream()
        .map(r -> KpiQueries.count(r, "deals_reached")).toList());
    // P2's months start with its first deal
    assertTrue(month("P2", "2024-01-01").isEmpty());
  }
}
