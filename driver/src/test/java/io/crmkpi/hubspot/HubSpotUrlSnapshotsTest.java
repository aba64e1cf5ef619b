package io.crmkpi.hubspot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmkpi.http.HttpClock;
import io.crmkpi.jdbc.SnapshotRows;
import io.crmkpi.jdbc.StoreRegistryAccess;
import io.crmkpi.testing.QueryRows;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * crm.deal_snapshots of a HubSpot portal in Berlin (outside UTC) through the JDBC URL, synced twice
 * (the second connect with refresh=always, as {@code crmkpi sync} does). The first, full sync seeds the
 * past from propertiesWithHistory; the second closes and opens intervals at its as-of time.
 */
class HubSpotUrlSnapshotsTest {

  static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  static final long A = 9_200_000_001L;
  static final long B = 9_200_000_002L;
  static final long C = 9_200_000_003L;

  @TempDir
  Path dir;

  @AfterEach
  void release() {
    StoreRegistryAccess.closeUnused();
  }

  private static long ms(String iso) {
    return Instant.parse(iso).toEpochMilli();
  }

  @Test
  void historySeedsThePastAndASecondSyncClosesAndOpensIntervalsAtItsTime() throws Exception {
    try (FakeHubSpotServer server = new FakeHubSpotServer(HttpClock.SYSTEM, 21, 0)) {
      server.timeZone = "Europe/Berlin";
      // A: created in appointmentscheduled (1,000 EUR), close date set a day later, amount raised, then
      // moved on; Berlin in March is +01:00, the close date 30 April 22:00Z is 1 May 00:00 in Berlin (+02:00)
      server.addDeal(A, ms("2024-03-01T10:00:00Z"), "1000");
      server.set(A, "closedate", "2024-04-30T22:00:00Z", ms("2024-03-02T09:00:00Z"));
      server.set(A, "amount", "1500", ms("2024-03-05T12:00:00Z"));
      server.set(A, "dealstage", "qualifiedtobuy", ms("2024-03-10T08:00:00Z"));
      // B: never changed; C: a close date from its creation on, deleted before the second sync
      server.addDeal(B, ms("2024-03-03T00:00:00Z"), "500");
      server.addDeal(C, ms("2024-03-04T06:00:00Z"), "700");
      server.set(C, "closedate", "2024-03-31T10:00:00Z", ms("2024-03-04T06:00:00Z"));
      String url = "jdbc:crmkpi:hubspot;base_url=" + server.base() + ";token=" + FakeHubSpotServer.TOKEN
          + ";sync_overlap=0;store=" + dir.resolve("hs.duckdb");
      List<String> seeded = List.of(
          A + "|2024-03-01T11:00|2024-03-02T10:00|appointmentscheduled|open|1000.00|20.0|NULL",
          A + "|2024-03-02T10:00|2024-03-05T13:00|appointmentscheduled|open|1000.00|20.0|2024-05-01",
          A + "|2024-03-05T13:00|2024-03-10T09:00|appointmentscheduled|open|1500.00|20.0|2024-05-01",
          A + "|2024-03-10T09:00|-|qualifiedtobuy|open|1500.00|40.0|2024-05-01",
          B + "|2024-03-03T01:00|-|appointmentscheduled|open|500.00|20.0|NULL",
          C + "|2024-03-04T07:00|-|appointmentscheduled|open|700.00|20.0|2024-03-31");
      try (Connection c = DriverManager.getConnection(url)) {
        assertEquals(seeded, SnapshotRows.snapshots(c));
        assertEquals(List.of(A + "|qualifiedtobuy|40.0|2024-05-01"), rows(c, "SELECT deal_id, stage_id, probability, "
            + "CAST(expected_close_date AS VARCHAR) FROM crm.deals WHERE deal_id = '" + A + "'"));
        assertEquals(List.of("appointmentscheduled|20.0", "closedlost|0.0", "closedwon|100.0", "presentationscheduled|60.0",
            "qualifiedtobuy|40.0"), rows(c, "SELECT stage_id, probability FROM crm.stages WHERE pipeline_id = 'default' "
            + "ORDER BY stage_id"));
      }
      StoreRegistryAccess.closeUnused();

      // edits after the first sync's start (its high-water mark), then a second sync
      long t = System.currentTimeMillis() + 1_000;
      server.set(A, "closedate", "2024-05-31T22:00:00Z", t);
      server.set(A, "dealstage", "presentationscheduled", t + 10);
      server.archive("deals", C, t + 20);
      server.now = t + 60_000;
      Thread.sleep(Math.max(0, t + 1_000 - System.currentTimeMillis()));
      LocalDateTime before = LocalDateTime.now(BERLIN).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
      try (Connection c = DriverManager.getConnection(url + ";refresh=always")) {
        LocalDateTime after = LocalDateTime.now(BERLIN);
        List<String> rows = SnapshotRows.snapshots(c);
        String asOf = rows.get(4).split("\\|")[1];
        LocalDateTime at = LocalDateTime.parse(asOf);
        assertTrue(!at.isBefore(before) && !at.isAfter(after), "as-of " + at + " is the sync's Berlin wall clock, "
            + "between " + before + " and " + after);
        assertEquals(List.of(seeded.get(0), seeded.get(1), seeded.get(2),
            A + "|2024-03-10T09:00|" + asOf + "|qualifiedtobuy|open|1500.00|40.0|2024-05-01",
            A + "|" + asOf + "|-|presentationscheduled|open|1500.00|60.0|2024-06-01",
            seeded.get(4),
            C + "|2024-03-04T07:00|" + asOf + "|appointmentscheduled|open|700.00|20.0|2024-03-31"), rows);
      }
    }
  }

  static List<String> rows(Connection c, String sql) throws Exception {
    return QueryRows.lines(c, sql, (rs, i) -> rs.getObject(i) == null ? "NULL" : rs.getString(i));
  }
}
