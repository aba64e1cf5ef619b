package io.crmkpi.hubspot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.crmkpi.http.HttpClock;
import io.crmkpi.jdbc.StoreRegistryAccess;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HubSpot through the JDBC URL: the store is kept, and a repeated connect syncs only what changed. */
class HubSpotUrlSyncTest {

  @TempDir
  Path dir;

  @Test
  void aSecondConnectWithRefreshAlwaysSearchesOnlyWhatChanged() throws Exception {
    try (FakeHubSpotServer server = new FakeHubSpotServer(HttpClock.SYSTEM, 4, 120)) {
      // named like the schema of the canonical tables: the store is attached under a fixed name
      String url = "jdbc:crmkpi:hubspot;base_url=" + server.base() + ";token=" + FakeHubSpotServer.TOKEN
          + ";sync_overlap=0;timezone=America/New_York;store=" + dir.resolve("crm.duckdb");
      try (Connection c = DriverManager.getConnection(url)) {
        assertEquals(server.deals.size(), count(c, "SELECT count(*) FROM crm.deals"));
      }
      assertEquals(server.deals.size(), (int) server.served.get("list deals"), "the first connect lists every deal");
      int firstRequests = server.log().size();
      StoreRegistryAccess.closeUnused();

      // edits after the first sync started (its high-water mark is the run's start on the wall clock)
      long t = System.currentTimeMillis() + 1_000;
      List<Long> open = server.deals.values().stream()
          .filter(d -> !d.get("properties").get("dealstage").asText().matches("closed.*|1003|1004"))
          .map(d -> d.get("id").asLong()).limit(15).toList();
      for (int i = 0; i < open.size(); i++) {
        server.advance(open.get(i), t + i * 10L);
      }
      List<Long> contacts = new ArrayList<>(server.contacts.keySet()).subList(10, 13);
      contacts.forEach(id -> server.renameContact(id, t + 77));
      server.now = t + 60_000;
      Thread.sleep(Math.max(0, t + 1_000 - System.currentTimeMillis())); // the last edit is in the past
      server.clearLog();
      server.served.clear();

      try (Connection c = DriverManager.getConnection(url + ";refresh=always")) {
        assertEquals(server.deals.size(), count(c, "SELECT count(*) FROM crm.deals"));
        assertEquals(3, count(c, "SELECT count(*) FROM crm.contacts WHERE name LIKE 'Renamed%'"));
      }
      assertEquals(15, open.size());
      assertEquals(Map.of("associations companies", (int) open.stream().filter(id -> server.dealCompanies.get(id).length > 0)
              .count(), "associations contacts", 15, "batch deals", 15, "search companies", 0, "search contacts", 3,
          "search deals", 15, "archived companies", 0, "archived contacts", 0, "archived deals", 0), server.served,
          "only the changed records");
      assertEquals(1, requests(server, "/deals/search"), "one search page since the last sync");
      assertEquals(1, requests(server, "/deals/batch/read"), "15 deals with history fit one batch");
      for (String object : List.of("deals", "contacts", "companies")) {
        assertEquals(0, server.log().stream().filter(c -> c.path().equals("/crm/v3/objects/" + object)
            && !"true".equals(c.q("archived"))).count(), "no full list of " + object + " the second time");
      }
      System.err.println("HubSpot through the URL: " + firstRequests + " requests on the first connect, "
          + server.log().size() + " on the repeated one");
    }
  }

  static long requests(FakeHubSpotServer s, String pathPart) {
    return s.log().stream().filter(c -> c.path().contains(pathPart)).count();
  }

  static long count(Connection c, String sql) throws Exception {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
