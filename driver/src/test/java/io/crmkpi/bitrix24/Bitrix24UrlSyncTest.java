package io.crmkpi.bitrix24;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmkpi.http.HttpClock;
import io.crmkpi.jdbc.StoreRegistryAccess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Bitrix24 through the JDBC URL with no store=: the store is a file under the user's data folder,
 * named by portal (never by the webhook's secret code), and a repeated connect syncs only what changed.
 */
class Bitrix24UrlSyncTest {

  @Test
  void aSecondConnectWithRefreshAlwaysAsksOnlyForWhatChanged() throws Exception {
    String base = System.getenv("XDG_DATA_HOME");
    Path data = base != null && !base.isBlank() ? Path.of(base, "crmkpi")
        : Path.of(System.getProperty("user.home"), ".local", "share", "crmkpi");
    Set<Path> before = stores(data);
    Path store = null;
    try (FakeBitrix24Server server = new FakeBitrix24Server(HttpClock.SYSTEM, 4, 300)) {
      String url = "jdbc:crmkpi:bitrix24:portal.example;webhook=" + server.base().resolve("/rest/1/"
          + FakeBitrix24Server.CODE + "/") + ";sync_overlap=0;timezone=Europe/Berlin";
      try (Connection c = DriverManager.getConnection(url)) {
        assertEquals(server.deals.size(), count(c, "SELECT count(*) FROM crm.deals"));
      }
      Set<Path> added = stores(data);
      added.removeAll(before);
      assertEquals(1, added.size(), "one new store file in " + data + ": " + added);
      store = added.iterator().next();
      String name = store.getFileName().toString();
      assertTrue(name.matches("bitrix24-portal\\.example-[0-9a-f]{8}\\.duckdb"), name);
      assertFalse(name.contains(FakeBitrix24Server.CODE), "the webhook code is a secret");
      int firstRequests = server.log().size();
      StoreRegistryAccess.closeUnused();

      server.now += 3600;
      List<Long> open = server.deals.values().stream().filter(d -> d.get("CLOSED").asText().equals("N"))
          .map(d -> d.get("ID").asLong()).limit(20).toList();
      open.forEach(server::win);
      server.now += 3600;
      server.served.clear();
      server.clearLog();
      try (Connection c = DriverManager.getConnection(url + ";refresh=always")) {
        assertEquals(server.deals.size(), count(c, "SELECT count(*) FROM crm.deals"));
        assertEquals(server.deals.values().stream().filter(d -> d.get("STAGE_SEMANTIC_ID").asText().equals("S")).count(),
            count(c, "SELECT count(*) FROM crm.deals WHERE status = 'won'"));
      }
      assertEquals(1, server.log().size(), "20 changed deals, their history and the deletion checks: one batch call");
      assertEquals(20, (int) server.served.get("crm.deal.list"), "only the 20 won deals");
      assertEquals(20, (int) server.served.get("crm.stagehistory.list"), "20 new history rows");
      assertEquals(0, (int) server.served.getOrDefault("crm.contact.list", 0));
      System.err.println("Bitrix24 through the URL: " + firstRequests + " requests on the first connect, "
          + server.log().size() + " on the repeated one");
    } finally {
      StoreRegistryAccess.closeUnused();
      if (store != null) {
        Files.deleteIfExists(store);
        Files.deleteIfExists(store.resolveSibling(store.getFileName() + ".wal"));
      }
    }
  }

  private static Set<Path> stores(Path data) throws Exception {
    if (!Files.isDirectory(data)) {
      return new java.util.HashSet<>();
    }
    try (Stream<Path> s = Files.list(data)) {
      return s.filter(p -> p.getFileName().toString().startsWith("bitrix24-") && p.toString().endsWith(".duckdb"))
          .collect(Collectors.toCollection(java.util.HashSet::new));
    }
  }

  static long count(Connection c, String sql) throws Exception {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
