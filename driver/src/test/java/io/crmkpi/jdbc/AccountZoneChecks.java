package io.crmkpi.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The CRM account's time zone as a user sees it through the JDBC URL: five deals created at local
 * month edges of an account in Moscow (UTC+3 all year) or Berlin (CET/CEST), read without timezone=
 * (the account's wall times and months) and with timezone=UTC (the months move). Every expected
 * value below is worked out by hand, not by the code under test.
 */
public final class AccountZoneChecks {

  /** The deals' creation times on the account's wall clock. */
  public static final List<String> LOCAL = List.of("2024-02-29T23:30:00", "2024-03-01T00:00:00",
      "2024-06-30T23:59:59", "2024-07-01T00:00:00", "2024-07-31T23:59:59");

  /** The same instants on a UTC clock (Moscow -3h; Berlin -1h in winter, -2h in summer). */
  static final Map<String, List<String>> UTC = Map.of(
      "Europe/Moscow", List.of("2024-02-29T20:30", "2024-02-29T21:00", "2024-06-30T20:59:59", "2024-06-30T21:00",
          "2024-07-31T20:59:59"),
      "Europe/Berlin", List.of("2024-02-29T22:30", "2024-02-29T23:00", "2024-06-30T21:59:59", "2024-06-30T22:00",
          "2024-07-31T21:59:59"));

  /** Deals (and leads, one per deal) per month: on the account's clock, and on a UTC clock. */
  static final List<String> LOCAL_MONTHS = List.of("2024-02-01=1", "2024-03-01=1", "2024-06-01=1", "2024-07-01=2");
  static final List<String> UTC_MONTHS = List.of("2024-02-01=2", "2024-06-01=2", "2024-07-01=1");

  private AccountZoneChecks() {
  }

  /** The creation moments (epoch seconds) of the five deals in an account in {@code zone}. */
  public static List<Long> createdEpochSeconds(ZoneId zone) {
    return LOCAL.stream().map(t -> LocalDateTime.parse(t).atZone(zone).toEpochSecond()).toList();
  }

  /**
   * Asserts what a connection to the account's store shows: with {@code utc} the URL said timezone=UTC,
   * else it named no zone and {@code reportingZone} is the account's zone (the clock of CURRENT_TIMESTAMP).
   */
  public static void assertDealsInZone(Connection c, String account, boolean utc, String reportingZone)
      throws Exception {
    String what = account + (utc ? " read with timezone=UTC" : " without timezone=");
    List<String> expected = utc ? UTC.get(account)
        : LOCAL.stream().map(t -> LocalDateTime.parse(t).toString()).toList();
    assertEquals(expected, rows(c, "SELECT created_at FROM crm.deals ORDER BY created_at"), "created_at, " + what);
    List<String> months = utc ? UTC_MONTHS : LOCAL_MONTHS;
    assertEquals(months, rows(c, "SELECT CAST(m AS VARCHAR) || '=' || CAST(n AS VARCHAR) FROM (SELECT "
        + "CAST(date_trunc('month', created_at) AS DATE) AS m, count(*) AS n FROM crm.deals GROUP BY 1) t ORDER BY m"), "deals per month, " + what);
    assertEquals(months, rows(c, "SELECT CAST(period_start AS VARCHAR) || '=' || CAST(leads AS VARCHAR) "
        + "FROM kpi.deal_success_rate WHERE grain = 'month' AND leads > 0 ORDER BY period_start"),
        "kpi.deal_success_rate monthly leads, " + what);
    ZoneId zone = ZoneId.of(utc ? "UTC" : reportingZone);
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CURRENT_TIMESTAMP")) {
      assertTrue(rs.next());
      LocalDateTime now = rs.getObject(1, LocalDateTime.class);
      // the account's clock, not UTC's: Moscow is 3 hours, Berlin 1 or 2 hours away from it
      long drift = Math.abs(Duration.between(LocalDateTime.now(zone), now).toMinutes());
      assertTrue(drift < 5, "CURRENT_TIMESTAMP " + now + " is not the time in " + zone + ", " + what);
    }
  }

  /**
   * The reporting zone the sync recorded in the store file's util.store_info (not a driver table):
   * read with DuckDB itself once the driver has let go of the file.
   */
  public static String recordedZone(java.nio.file.Path store) throws Exception {
    StoreRegistryAccess.closeUnused();
    try (Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:" + store.toAbsolutePath())) {
      List<String> zone = rows(c, "SELECT value FROM util.store_info WHERE key = 'timezone'");
      assertEquals(1, zone.size(), zone.toString());
      return zone.get(0);
    }
  }

  static List<String> rows(Connection c, String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        Object o = rs.getObject(1);
        out.add(o instanceof java.sql.Timestamp t ? t.toLocalDateTime().toString() : String.valueOf(o));
      }
    }
    return out;
  }
}
