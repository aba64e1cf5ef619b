package io.crmkpi.bitrix24;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.crmkpi.http.HttpClock;
import io.crmkpi.jdbc.AccountZoneChecks;
import io.crmkpi.jdbc.StoreRegistryAccess;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bitrix24 through the JDBC URL: the REST API names no portal zone, but every date carries the offset
 * of its own moment (+02:00 in a Berlin summer, +01:00 in its winter), so without timezone= each keeps
 * the portal's wall time and "today" is the portal's current offset (time.date_start); with
 * timezone=UTC the same deals move months.
 */
class Bitrix24UrlTimeZoneTest {

  @TempDir
  Path dir;

  @AfterEach
  void release() {
    StoreRegistryAccess.closeUnused();
  }

  @Test
  void dealsAtLocalMonthEdgesKeepThePortalsWallTimeAcrossDaylightSavingUnlessTheUrlSaysUtc() throws Exception {
    for (String portal : List.of("Europe/Moscow", "Europe/Berlin")) {
      ZoneId zone = ZoneId.of(portal);
      for (boolean utc : new boolean[] {false, true}) {
        try (FakeBitrix24Server server = new FakeBitrix24Server(HttpClock.SYSTEM, 21, 0, zone)) {
          server.simpleMode = true; // every deal is a lead, so kpi.deal_success_rate.leads counts the deals
          server.now = Instant.now().getEpochSecond(); // the portal's clock is the real one: its offset is today's
          List<Long> created = AccountZoneChecks.createdEpochSeconds(zone);
          for (int i = 0; i < created.size(); i++) {
            server.addDeal(i + 1, created.get(i));
          }
          Path store = dir.resolve(portal.replace('/', '-') + utc + ".duckdb");
          String url = "jdbc:crmkpi:bitrix24:portal.example;webhook=" + server.base().resolve("/rest/1/"
              + FakeBitrix24Server.CODE + "/") + (utc ? ";timezone=UTC" : "") + ";store=" + store;
          String today = zone.getRules().getOffset(Instant.now()).getId(); // +03:00; Berlin +01:00 or +02:00
          try (Connection c = DriverManager.getConnection(url)) {
            AccountZoneChecks.assertDealsInZone(c, portal, utc, today);
          }
          assertEquals(utc ? "UTC" : today, AccountZoneChecks.recordedZone(store), "the store's reporting zone");
        }
      }
    }
  }
}
