package io.crmkpi.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmkpi.store.LoadSession;
import io.crmkpi.store.Store;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The demo's after-sales answers follow the documented distributions: 20 000 first orders before and
 * after the go-live, the scores read back with SQL and NPS / CSAT computed there.
 */
class DemoServiceTest {

  private static long at(String t) {
    return LocalDateTime.parse(t).toEpochSecond(ZoneOffset.UTC);
  }

  @Test
  void npsRisesAfterTheGoLiveAndCsatIsAboutFourInFive() throws Exception {
    long golive = at("2024-06-15T00:00:00");
    long cutoff = at("2026-01-01T00:00:00");
    try (Store store = Store.inMemory()) {
      try (LoadSession s = store.load("demo")) {
        DemoService service = new DemoService(s, new SplittableRandom(3), cutoff, golive);
        for (int i = 0; i < 20_000; i++) {
          // first orders in 2023 (answers long before go-live) and in 2025 (long after)
          service.afterOrder("contact:" + i, Integer.toString(i), "1", at("2023-03-01T10:00:00") + i * 600L, true);
          service.afterOrder("contact:" + i, Integer.toString(i), "1", at("2025-03-01T10:00:00") + i * 600L, true);
        }
      }
      try (Connection c = store.connect(); Statement st = c.createStatement()) {
        String nps = "SELECT 100.0 * (count(*) FILTER (score >= 9) - count(*) FILTER (score <= 6)) / count(*), count(*) "
            + "FROM crm.survey_responses WHERE survey = 'nps' AND responded_at ";
        double before;
        double after;
        try (ResultSet rs = st.executeQuery(nps + "< TIMESTAMP '2024-06-15 00:00:00'")) {
          rs.next();
          before = rs.getDouble(1);
          // 30 % of 20 000 first orders answer
          assertTrue(Math.abs(rs.getLong(2) - 6000) < 300, "answers " + rs.getLong(2));
        }
        try (ResultSet rs = st.executeQuery(nps + ">= TIMESTAMP '2024-06-15 00:00:00'")) {
          rs.next();
          after = rs.getDouble(1);
        }
        // the weights give +26 before and +45 after; 6 000 answers keep a draw within about 2 points
        assertEquals(26, before, 2.5);
        assertEquals(45, after, 2.5);
        try (ResultSet rs = st.executeQuery("SELECT avg(CASE WHEN score >= 4 THEN 1.0 ELSE 0 END), min(score), max(score) "
            + "FROM crm.survey_responses WHERE survey = 'csat'")) {
          rs.next();
          assertEquals(0.80, rs.getDouble(1), 0.03);
          assertEquals(1, rs.getInt(2));
          assertEquals(5, rs.getInt(3));
        }
        // tickets are answered in working hours only: never at night or on a weekend
        try (ResultSet rs = st.executeQuery("SELECT count(*), count(*) FILTER (hour(first_response_at) < 9 "
            + "OR hour(first_response_at) >= 19 OR dayofweek(first_response_at) IN (0, 6)) FROM crm.tickets "
            + "WHERE first_response_at IS NOT NULL")) {
          rs.next();
          assertTrue(rs.getLong(1) > 10_000, "tickets " + rs.getLong(1));
          assertEquals(0, rs.getLong(2));
        }
      }
    }
  }
}
