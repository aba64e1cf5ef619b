package io.crmkpi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmkpi.http.HttpClock;
import io.crmkpi.hubspot.FakeHubSpotServer;
import io.crmkpi.jdbc.StoreRegistryAccess;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code crmkpi sync} run twice against a HubSpot portal in Kolkata (+05:30, a half-hour zone), as a
 * scheduled job would: the deal whose stage and close date changed between the runs has two intervals
 * meeting at the second run's time, the unchanged one keeps its one.
 */
class SyncCommandTest {

  static final ZoneId KOLKATA = ZoneId.of("Asia/Kolkata");
  static final long X = 9_300_000_001L;
  static final long Y = 9_300_000_002L;

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
  void twoSyncsGiveTwoIntervalsToTheChangedDealAndOneToTheUnchangedOne() throws Exception {
    try (FakeHubSpotServer server = new FakeHubSpotServer(HttpClock.SYSTEM, 31, 0)) {
      server.timeZone = "Asia/Kolkata";
      // X closes, as HubSpot shows it in Kolkata, on 1 June (19:00Z on 31 May is 00:30 there)
      server.addDeal(X, ms("2024-05-01T04:00:00Z"), "800");
      server.set(X, "closedate", "2024-05-31T19:00:00Z", ms("2024-05-01T04:00:00Z"));
      server.addDeal(Y, ms("2024-05-02T04:00:00Z"), "300");
      String url = "jdbc:crmkpi:hubspot;base_url=" + server.base() + ";token=" + FakeHubSpotServer.TOKEN
          + ";sync_overlap=0;store=" + dir.resolve("hs.duckdb");
      CrmKpiCliTest.Run first = CrmKpiCliTest.run("sync", "-q", "--url", url);
      assertEquals(0, first.code(), first.err());
      StoreRegistryAccess.closeUnused();

      // pushed to 1 July (18:30Z on 30 June is midnight in Kolkata) and moved on
      long t = System.currentTimeMillis() + 1_000;
      server.set(X, "closedate", "2024-06-30T18:30:00Z", t);
      server.set(X, "dealstage", "qualifiedtobuy", t + 10);
      server.now = t + 60_000;
      Thread.sleep(Math.max(0, t + 1_000 - System.currentTimeMillis()));
      LocalDateTime before = LocalDateTime.now(KOLKATA).truncatedTo(ChronoUnit.MICROS);
      CrmKpiCliTest.Run second = CrmKpiCliTest.run("sync", "-q", "--url", url);
      LocalDateTime after = LocalDateTime.now(KOLKATA).truncatedTo(ChronoUnit.MICROS);
      assertEquals(0, second.code(), second.err());
      StoreRegistryAccess.closeUnused();

      CrmKpiCliTest.Run q = CrmKpiCliTest.run("sql", "-q", "--url", url + ";refresh=never", "--format", "csv",
          "SELECT s.deal_id, s.stage_id, s.amount_base, s.probability, s.expected_close_date, s.valid_to IS NULL AS is_open, "
              + "n.stage_id AS next_stage FROM crm.deal_snapshots s LEFT JOIN crm.deal_snapshots n "
              + "ON n.deal_id = s.deal_id AND n.valid_from = s.valid_to ORDER BY s.deal_id, s.valid_from");
      assertEquals(0, q.code(), q.err());
      assertEquals("deal_id,stage_id,amount_base,probability,expected_close_date,is_open,next_stage\n"
          + X + ",appointmentscheduled,800.00,20.0,2024-06-01,false,qualifiedtobuy\n"
          + X + ",qualifiedtobuy,800.00,40.0,2024-07-01,true,\n"
          + Y + ",appointmentscheduled,300.00,20.0,,true,\n", q.out());
      StoreRegistryAccess.closeUnused();

      // the seed's interval starts at X's creation (09:30 in Kolkata); the change at the second run's time there
      try (Connection c = DriverManager.getConnection(url + ";refresh=never"); Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT valid_from, valid_to FROM crm.deal_snapshots WHERE deal_id = '" + X
               + "' ORDER BY valid_from")) {
        rs.next();
        assertEquals(LocalDateTime.of(2024, 5, 1, 9, 30), rs.getObject(1, LocalDateTime.class));
        LocalDateTime asOf = rs.getObject(2, LocalDateTime.class);
        assertTrue(!asOf.isBefore(before) && !asOf.isAfter(after), asOf + " between " + before + " and " + after);
        rs.next();
        assertEquals(asOf, rs.getObject(1, LocalDateTime.class));
      }
    }
  }
}
