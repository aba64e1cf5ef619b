package io.crmkpi.hubspot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.crmkpi.http.HttpClock;
import io.crmkpi.jdbc.AccountZoneChecks;
import io.crmkpi.jdbc.StoreRegistryAccess;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HubSpot through the JDBC URL: without timezone= the times are the portal's ({@code timeZone} of
 * /account-info/v3/details); with timezone=UTC the same deals move months.
 */
class HubSpotUrlTimeZoneTest {

  @TempDir
  Path dir;

  @AfterEach
  void release() {
    StoreRegistryAccess.closeUnused();
  }

  @Test
  void dealsAtLocalMonthEdgesStayInThePortalsMonthsUnlessTheUrlSaysUtc() throws Exception {
    for (String portal : List.of("Europe/Moscow", "Europe/Berlin")) {
      for (boolean utc : new boolean[] {false, true}) {
        try (FakeHubSpotServer server = new FakeHubSpotServer(HttpClock.SYSTEM, 12, 0)) {
          server.timeZone = portal;
          List<Long> created = AccountZoneChecks.createdEpochSeconds(ZoneId.of(portal));
          for (int i = 0; i < created.size(); i++) {
            server.addDeal(9_100_000_000L + i, created.get(i) * 1000, "1000");
          }
          Path store = dir.resolve(portal.replace('/', '-') + utc + ".duckdb");
          String url = "jdbc:crmkpi:hubspot;base_url=" + server.base() + ";token=" + FakeHubSpotServer.TOKEN
              + (utc ? ";timezone=UTC" : "") + ";store=" + store;
          try (Connection c = DriverManager.getConnection(url)) {
            AccountZoneChecks.assertDealsInZone(c, portal, utc, portal);
          }
          assertEquals(utc ? "UTC" : portal, AccountZoneChecks.recordedZone(store), "the store's reporting zone");
          assertEquals(1, server.log().stream().filter(r -> r.path().equals("/account-info/v3/details")).count(),
              "the portal's details were read once");
        }
      }
    }
  }
}
