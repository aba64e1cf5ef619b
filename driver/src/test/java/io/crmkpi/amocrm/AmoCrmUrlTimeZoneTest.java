package io.crmkpi.amocrm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * amoCRM through the JDBC URL: without timezone= the times are the account's (its
 * {@code _embedded.datetime_settings.timezone}); with timezone=UTC the same deals move months.
 */
class AmoCrmUrlTimeZoneTest {

  static final String TOKEN = "tok-SECRET-longlived-4711";

  @TempDir
  Path dir;

  @AfterEach
  void release() {
    StoreRegistryAccess.closeUnused();
  }

  @Test
  void dealsAtLocalMonthEdgesStayInTheAccountsMonthsUnlessTheUrlSaysUtc() throws Exception {
    for (String account : List.of("Europe/Moscow", "Europe/Berlin")) {
      for (boolean utc : new boolean[] {false, true}) {
        try (FakeAmoCrmServer server = new FakeAmoCrmServer(HttpClock.SYSTEM, 11, 1)) {
          server.longLivedToken = TOKEN;
          server.accountZone = account;
          server.leads.clear();
          server.events.clear();
          server.tasks.clear();
          List<Long> created = AccountZoneChecks.createdEpochSeconds(ZoneId.of(account));
          for (int i = 0; i < created.size(); i++) {
            server.leads.put(30_000L + i, server.newLead(30_000L + i, created.get(i)));
          }
          Path store = dir.resolve(account.replace('/', '-') + utc + ".duckdb");
          String url = "jdbc:crmkpi:amocrm:acme;base_url=" + server.base() + ";token=" + TOKEN
              + (utc ? ";timezone=UTC" : "") + ";store=" + store;
          try (Connection c = DriverManager.getConnection(url)) {
            AccountZoneChecks.assertDealsInZone(c, account, utc, account);
          }
          assertEquals(utc ? "UTC" : account, AccountZoneChecks.recordedZone(store), "the store's reporting zone");
          assertTrue(server.log().stream().anyMatch(r -> r.path().equals("/api/v4/account")
              && "datetime_settings".equals(r.q("with"))), "the account was asked for its datetime_settings");
        }
      }
    }
  }

  /** An incremental sync in another zone would mix two zones in one store: refused, the store untouched. */
  @Test
  void anotherTimezoneOnAStoreSyncedInTheAccountsZoneIsRefused() throws Exception {
    try (FakeAmoCrmServer server = new FakeAmoCrmServer(HttpClock.SYSTEM, 11, 1)) {
      server.longLivedToken = TOKEN;
      server.accountZone = "Europe/Moscow";
      Path store = dir.resolve("moscow.duckdb");
      String url = "jdbc:crmkpi:amocrm:acme;base_url=" + server.base() + ";token=" + TOKEN + ";store=" + store;
      try (Connection c = DriverManager.getConnection(url)) {
        assertTrue(c.isValid(1));
      }
      StoreRegistryAccess.closeUnused();
      int requests = server.log().size();
      java.sql.SQLException e = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
          () -> DriverManager.getConnection(url + ";timezone=UTC;refresh=always").close());
      assertEquals("the store " + store + " holds times in Europe/Moscow, the zone its syncs used; timezone=UTC "
          + "would mix two zones in it: use timezone=Europe/Moscow (or leave it out), or point store= at a new file "
          + "for the other zone", e.getMessage());
      assertEquals(requests, server.log().size(), "nothing was synced");
      assertEquals("Europe/Moscow", AccountZoneChecks.recordedZone(store));
      StoreRegistryAccess.closeUnused();
      // the same zone said out loud is no change
      try (Connection c = DriverManager.getConnection(url + ";timezone=Europe/Moscow;refresh=never")) {
        assertTrue(c.isValid(1));
      }
    }
  }
}
