package io.crmkpi.amocrm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmkpi.http.HttpClock;
import io.crmkpi.jdbc.StoreRegistryAccess;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** amoCRM through the JDBC URL: the store is kept, and a repeated connect syncs only what changed. */
class AmoCrmUrlSyncTest {

  static final String TOKEN = "tok-SECRET-longlived-4711";

  @TempDir
  Path dir;

  @Test
  void aSecondConnectWithRefreshAlwaysFetchesOnlyTheChangedLeads() throws Exception {
    try (FakeAmoCrmServer server = new FakeAmoCrmServer(HttpClock.SYSTEM, 11, 120)) {
      server.longLivedToken = TOKEN;
      // a store file named like the source's raw schema: attached under a fixed name, no ambiguity
      String url = "jdbc:crmkpi:amocrm:acme;base_url=" + server.base() + ";token=" + TOKEN
          + ";sync_overlap=0;timezone=UTC;store=" + dir.resolve("amocrm.duckdb");
      long deals;
      try (Connection c = DriverManager.getConnection(url)) {
        deals = count(c, "SELECT count(*) FROM crm.deals");
        assertTrue(deals >= 120, deals + " deals");
      }
      int firstLeads = server.served.get("/api/v4/leads");
      // every lead, and a lead again where a page boundary splits one second of updated_at
      assertTrue(firstLeads >= server.leads.size() && firstLeads <= server.leads.size() + 2, firstLeads + " leads read");
      int firstRequests = server.log().size();
      StoreRegistryAccess.closeUnused();

      long oldHwm = server.leads.values().stream().mapToLong(l -> l.get("updated_at").asLong()).max().orElseThrow();
      long contactsHwm = server.contacts.values().stream().mapToLong(l -> l.get("updated_at").asLong()).max()
          .orElseThrow();
      List<Long> open = server.leads.values().stream().filter(l -> l.get("closed_at").isNull())
          .map(l -> l.get("id").asLong()).limit(12).toList();
      long t = oldHwm + 86_400;
      for (int i = 0; i < open.size(); i++) {
        server.move(open.get(i), 142, t + i); // won
      }
      long changedOrAtBoundary = server.leads.values().stream()
          .filter(l -> l.get("updated_at").asLong() >= oldHwm).count();
      long contactsAtBoundary = server.contacts.values().stream()
          .filter(l -> l.get("updated_at").asLong() == contactsHwm).count();
      server.clearLog();
      server.served.clear();

      try (Connection c = DriverManager.getConnection(url + ";refresh=always")) {
        assertEquals(deals, count(c, "SELECT count(*) FROM crm.deals"), "a won lead is the same deal, now won");
        assertEquals(count(c, "SELECT count(*) FROM crm.deals WHERE status = 'won'"),
            server.leads.values().stream().filter(l -> l.get("status_id").asLong() == 142).count());
      }
      assertEquals(changedOrAtBoundary, (long) server.served.get("/api/v4/leads"),
          "only the 12 changed leads (plus those in the last synced second)");
      assertEquals(contactsAtBoundary, (long) server.served.get("/api/v4/contacts"), "no contact changed");
      assertEquals(1, server.log().stream().filter(r -> r.path().equals("/api/v4/leads")).count(),
          "one page of leads with updated-since");
      assertTrue(server.log().stream().filter(r -> r.path().equals("/api/v4/leads"))
          .allMatch(r -> r.q("filter[updated_at][from]") != null), "the lead request carries the updated-since filter");
      assertTrue(server.log().size() < firstRequests, server.log().size() + " requests, first " + firstRequests);
      System.err.println("amoCRM through the URL: " + firstRequests + " requests on the first connect, "
          + server.log().size() + " on the repeated one");
    }
  }

  static long count(Connection c, String sql) throws Exception {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
