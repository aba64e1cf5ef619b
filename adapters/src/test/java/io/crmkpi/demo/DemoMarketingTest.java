package io.crmkpi.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmkpi.store.LoadSession;
import io.crmkpi.store.Store;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The demo's marketing spend, written into a real store and read back with SQL. */
class DemoMarketingTest {

  private static long day(String d) {
    return LocalDate.parse(d).toEpochDay();
  }

  @Test
  void adsSpendLessOnWeekendsAndHolidaysAndMoreInDecember() {
    assertEquals(1.0, DemoMarketing.spendWeight(day("2025-06-13")));   // Friday
    assertEquals(0.6, DemoMarketing.spendWeight(day("2025-06-14")));   // Saturday
    assertEquals(0.4, DemoMarketing.spendWeight(day("2025-06-12")));   // Russia Day
    assertEquals(1.2, DemoMarketing.spendWeight(day("2025-12-10")));   // a December Wednesday
    assertEquals(1.0, DemoMarketing.spendWeight(day("2025-12-30")));   // a Tuesday after the December rush
  }

  @Test
  void spendScalesWithDealsAndTheEmailFeeIsMonthly() throws Exception {
    // 2500 deals: a quarter of the default, so the e-mail fee is 12 000 x sqrt(1/4) = 6 000 RUB
    long first = day("2024-01-01");
    int span = (int) (day("2025-01-01") - first);
    try (Store store = Store.inMemory()) {
      try (LoadSession s = store.load("demo")) {
        DemoMarketing.write(s, 42, first, span, 2500, Math.log(3.5));
      }
      try (Connection c = store.connect(); Statement st = c.createStatement()) {
        try (ResultSet rs = st.executeQuery("SELECT count(*), min(amount), max(amount), count(DISTINCT spend_date) "
            + "FROM crm.marketing_spend WHERE channel = 'email'")) {
          rs.next();
          assertEquals(12, rs.getLong(1));
          assertEquals(0, rs.getBigDecimal(2).compareTo(new java.math.BigDecimal("6000.00")));
          assertEquals(0, rs.getBigDecimal(3).compareTo(new java.math.BigDecimal("6000.00")));
          assertEquals(12, rs.getLong(4));
        }
        // every paid campaign spends every day; vk_ads, a single campaign, 400 RUB per deal over the history
        // x the day weights (mean below 1) x noise 0.7-1.3: between 0.5 and 1.0 of 2500 x 400
        try (ResultSet rs = st.executeQuery("SELECT count(*), sum(amount) FROM crm.marketing_spend "
            + "WHERE channel = 'vk_ads'")) {
          rs.next();
          assertEquals(span, rs.getLong(1));
          double sum = rs.getDouble(2);
          assertTrue(sum > 0.5 * 2500 * 400 && sum < 1.0 * 2500 * 400, "vk_ads spend " + sum);
        }
        // the growth curve: the last quarter spends more than twice the first
        try (ResultSet rs = st.executeQuery("SELECT sum(amount) FILTER (spend_date >= DATE '2024-10-01') / "
            + "sum(amount) FILTER (spend_date < DATE '2024-04-01') FROM crm.marketing_spend WHERE channel = 'yandex_direct'")) {
          rs.next();
          assertTrue(rs.getDouble(1) > 2, "growth " + rs.getDouble(1));
        }
      }
    }
  }
}
