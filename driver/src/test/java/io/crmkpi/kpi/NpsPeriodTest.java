package io.crmkpi.kpi;

import static io.crmkpi.kpi.KpiQueries.assertCounts;
import static io.crmkpi.kpi.KpiQueries.assertNum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * kpi.nps_period on kpi/nps_period/survey_responses.csv (reporting zone Europe/Berlin, weeks from Monday):
 * <pre>
 * Jan 2024: 0, 10, 9, 7, 6 -> 5 answers, promoters 2 (10, 9), passives 1 (7), detractors 2 (0, 6) -> NPS 0
 * Feb 2024: 10, 8          -> 2 answers, 1 / 1 / 0                                              -> NPS 50
 *           (+ a csat answer of 5 that must be ignored)
 * Mar 2024: 3 at 2024-03-31 23:30 (the DST night; wall clock, so still March) -> 1 detractor   -> NPS -100
 * Apr 2024: nothing -> row with zeros, NPS NULL
 * May 2024: 9 -> NPS 100
 * Q1 2024 from its own answers: 8 answers, promoters 3, passives 2, detractors 3 -> NPS 0
 *   (averaging the months would give (0 + 50 - 100) / 3 = -16.67: wrong)
 * Q2 2024: 1 answer, promoter -> 100;  year 2024: 9 answers, 4 / 2 / 3 -> 100 x 1 / 9 = 11.11
 * Week of Mon 2024-01-29: the 6 (Jan 31) and the 10 (Feb 2) -> 2 answers, NPS 0
 * </pre>
 */
class NpsPeriodTest {

  static Connection c;
  static List<Map<String, Object>> y2024;

  @BeforeAll
  static void connect() throws SQLException {
    c = KpiQueries.connect("nps_period", "timezone=Europe/Berlin");
    y2024 = KpiQueries.rows(c, "SELECT * FROM kpi.nps_period WHERE period_start < DATE '2025-01-01'");
  }

  @AfterAll
  static void close() throws SQLException {
    c.close();
  }

  private static Map<String, Object> period(String grain, String start) {
    return KpiQueries.only(y2024, "grain", grain, "period_start", start);
  }

  @Test
  void monthsCountEveryAnswerIncludingZero() throws SQLException {
    Map<String, Object> jan = period("month", "2024-01-01");
    assertCounts(jan, "responses", 5, "promoters", 2, "passives", 1, "detractors", 2);
    assertNum(0.0, jan, "nps");
    assertEquals(LocalDate.of(2024, 2, 1), jan.get("period_end"));
    assertEquals(Boolean.TRUE, jan.get("is_complete"));

    Map<String, Object> feb = period("month", "2024-02-01");
    assertCounts(feb, "responses", 2, "promoters", 1, "passives", 1, "detractors", 0);
    assertNum(50.0, feb, "nps");
  }

  @Test
  void dstNightStaysInMarch() throws SQLException {
    Map<String, Object> mar = period("month", "2024-03-01");
    assertCounts(mar, "responses", 1, "promoters", 0, "passives", 0, "detractors", 1);
    assertNum(-100.0, mar, "nps");
    assertEquals(LocalDate.of(2024, 4, 1), mar.get("period_end"));
  }

  @Test
  void monthWithoutAnswersHasZerosAndNullNps() throws SQLException {
    Map<String, Object> apr = period("month", "2024-04-01");
    assertCounts(apr, "responses", 0, "promoters", 0, "passives", 0, "detractors", 0);
    assertNum(null, apr, "nps");
    assertNum(100.0, period("month", "2024-05-01"), "nps");
  }

  @Test
  void quarterAndYearAreRecomputedFromAnswers() throws SQLException {
    Map<String, Object> q1 = period("quarter", "2024-01-01");
    assertCounts(q1, "responses", 8, "promoters", 3, "passives", 2, "detractors", 3);
    assertNum(0.0, q1, "nps");
    assertEquals(LocalDate.of(2024, 4, 1), q1.get("period_end"));
    Map<String, Object> q2 = period("quarter", "2024-04-01");
    assertCounts(q2, "responses", 1, "promoters", 1);
    assertNum(100.0, q2, "nps");
    Map<String, Object> y = period("year", "2024-01-01");
    assertCounts(y, "responses", 9, "promoters", 4, "passives", 2, "detractors", 3);
    assertNum(100.0 / 9, y, "nps");
  }

  @Test
  void weekSpansTheMonthEnd() throws SQLException {
    Map<String, Object> w = period("week", "2024-01-29");
    assertEquals(LocalDate.of(2024, 2, 5), w.get("period_end"));
    assertCounts(w, "responses", 2, "promoters", 1, "passives", 0, "detractors", 1);
    assertNum(0.0, w, "nps");
  }

  @Test
  void noGapsUpToThePartialCurrentMonth() throws SQLException {
    LocalDate today = LocalDate.now(ZoneId.of("Europe/Berlin"));
    LocalDate current = today.withDayOfMonth(1);
    List<Map<String, Object>> months = KpiQueries.rows(c,
        "SELECT period_start, is_complete, responses FROM kpi.nps_period WHERE grain = 'month' ORDER BY period_start");
    // one row per month from January 2024 to the current month
    long expected = ChronoUnit.MONTHS.between(LocalDate.of(2024, 1, 1), current) + 1;
    assertEquals(expected, months.size());
    assertEquals(LocalDate.of(2024, 1, 1), months.get(0).get("period_start"));
    Map<String, Object> last = months.get(months.size() - 1);
    assertEquals(current, last.get("period_start"));
    assertFalse((Boolean) last.get("is_complete"));
    assertEquals(0L, KpiQueries.count(last, "responses"));
    assertTrue((Boolean) months.get(months.size() - 2).get("is_complete"));
  }
}
