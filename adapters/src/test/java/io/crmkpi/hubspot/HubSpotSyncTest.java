package io.crmkpi.hubspot;

import static io.crmkpi.amocrm.AmoCrmSyncTestSupport.assertNoSecret;
import static io.crmkpi.amocrm.AmoCrmSyncTestSupport.assertSameRows;
import static io.crmkpi.amocrm.AmoCrmSyncTestSupport.rows;
import static io.crmkpi.amocrm.AmoCrmSyncTestSupport.scalar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmkpi.http.ApiClient;
import io.crmkpi.http.FakeApiServer;
import io.crmkpi.http.ScaledClock;
import io.crmkpi.source.SourceContext;
import io.crmkpi.source.SourceException;
import io.crmkpi.source.Sources;
import io.crmkpi.store.Store;
import io.crmkpi.sync.SyncStore;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HubSpotSyncTest {

  static final ApiClient.Settings FAST = new ApiClient.Settings(10, Duration.ofMillis(200), Duration.ofSeconds(30),
      Duration.ofSeconds(5), Duration.ofSeconds(20), 7);
  static final ZoneId ZONE = ZoneId.of("America/New_York");
  private final ScaledClock clock = new ScaledClock(20);

  private HubSpotSync source(FakeHubSpotServer server, String token, SourceContext ctx) {
    HubSpotSync s = new HubSpotSync(server.base(), token, ctx, clock, FAST);
    s.wall = Clock.fixed(Instant.ofEpochMilli(server.now), ZoneId.of("UTC"));
    return s;
  }

  private static SourceContext ctx(String... extra) {
    Map<String, String> p = new HashMap<>(Map.of("timezone", ZONE.getId(), "sync_overlap", "0"));
    for (int i = 0; i < extra.length; i += 2) {
      p.put(extra[i], extra[i + 1]);
    }
    return SourceContext.of(p);
  }

  static long requests(FakeHubSpotServer s, String pathPart) {
    return s.log().stream().filter(c -> c.path().contains(pathPart)).count();
  }

  @Test
  void fullSyncThroughFaultsUsesTheMinimumOfRequestsAndEqualsTheServer() throws Exception {
    try (FakeHubSpotServer server = new FakeHubSpotServer(clock, 3, 3000); Store store = Store.inMemory()) {
      server.faults(0.1, 42);
      SourceContext ctx = ctx();
      HubSpotSync src = source(server, FakeHubSpotServer.TOKEN, ctx);
      src.load(store, ctx);
      assertTrue(server.faultsInjected.get() >= 5, "faults: " + server.faultsInjected.get());
      assertEquals(0, server.rateRejections.get(), "the limiter keeps us under 100 requests / 10 s");
      // minimum: 1 account details + 1 pipelines + 2 owners (active, archived) + deals / 50 + contacts / 100
      // + companies / 100
      long minimum = 4 + 3000 / 50 + 600 / 100 + 2;
      assertEquals(minimum, server.log().size() - server.faultsInjected.get(), "one request per page, faults retried");
      // the client counts answers; a dropped connection has none
      assertTrue(src.lastRequests >= minimum && src.lastRequests <= server.log().size(), "counted " + src.lastRequests);
      assertEquals(0, requests(server, "/search"));
      assertServerEqualsStore(server, store);
      try (Connection c = store.connect(); Statement s = c.createStatement()) {
        assertEquals(5, scalar(s, "SELECT count(*) FROM crm.sync_state WHERE source = 'hubspot' AND status = 'ok'"));
        assertEquals(server.now, scalar(s, "SELECT CAST(high_water_mark AS BIGINT) FROM crm.sync_state WHERE entity = 'deals'"));
      }
    }
  }

  @Test
  void incrementalSyncFetchesOnlyWhatChanged() throws Exception {
    try (FakeHubSpotServer server = new FakeHubSpotServer(clock, 4, 600); Store store = Store.inMemory()) {
      SourceContext ctx = ctx();
      HubSpotSync src = source(server, FakeHubSpotServer.TOKEN, ctx);
      src.load(store, ctx);
      long t = server.now + 3_600_000;
      List<Long> open = server.deals.values().stream()
          .filter(d -> !d.get("properties").get("dealstage").asText().matches("closed.*|1003|1004"))
          .map(d -> d.get("id").asLong()).limit(40).toList();
      for (int i = 0; i < open.size(); i++) {
        server.advance(open.get(i), t + i * 1000L);
      }
      List<Long> contacts = new ArrayList<>(server.contacts.keySet()).subList(10, 15);
      contacts.forEach(id -> server.renameContact(id, t + 77));
      server.now = t + 7_200_000;
      src.wall = Clock.fixed(Instant.ofEpochMilli(server.now), ZoneId.of("UTC"));
      server.clearLog();
      server.served.clear();
      src.load(store, ctx);

      assertEquals(40, open.size());
      assertEquals(Map.of("associations companies", (int) open.stream().filter(id -> server.dealCompanies.get(id).length > 0)
              .count(), "associations contacts", 40, "batch deals", 40, "search companies", 0, "search contacts", 5,
          "search deals", 40, "archived companies", 0, "archived contacts", 0, "archived deals", 0), server.served,
          "only the changed records");
      assertEquals(1, requests(server, "/deals/search"));
      assertEquals(1, requests(server, "/deals/batch/read"), "40 deals with history fit one batch of 50");
      assertEquals(2, requests(server, "/crm/v4/associations/"));
      assertEquals(1 + 1 + 2 + 3 + 3 + 1 + 2, server.log().size(),
          "account, pipelines, owners x2, 3 archived lists (empty), 3 searches, batch, 2 association reads");
      assertServerEqualsStore(server, store);
      try (Connection c = store.connect(); Statement s = c.createStatement()) {
        assertEquals(5, scalar(s, "SELECT count(*) FROM crm.contacts WHERE name LIKE 'Renamed%'"));
      }
    }
  }

  @Test
  void deletionsBetweenSyncsAreAppliedFromTheArchivedLists() throws Exception {
    try (FakeHubSpotServer server = new FakeHubSpotServer(clock, 9, 600); Store store = Store.inMemory()) {
      SourceContext ctx = ctx();
      HubSpotSync src = source(server, FakeHubSpotServer.TOKEN, ctx);
      src.load(store, ctx);
      assertEquals(0, server.served.getOrDefault("archived deals", 0), "a first load reads no archived list");

      // 150 deals (two archived pages), 4 contacts and 2 companies are deleted in HubSpot
      long t = server.now + 3_600_000;
      List<Long> dealIds = new ArrayList<>(server.deals.keySet());
      List<Long> gone = new ArrayList<>();
      for (int i = 0; i < 600; i += 4) {
        server.archive("deals", dealIds.get(i), t + i);
        gone.add(dealIds.get(i));
      }
      List<Long> goneContacts = new ArrayList<>(server.contacts.keySet()).subList(3, 7);
      goneContacts.forEach(id -> server.archive("contacts", id, t + 5));
      List<Long> goneCompanies = new ArrayList<>(server.companies.keySet()).subList(0, 2);
      goneCompanies.forEach(id -> server.archive("companies", id, t + 6));
      server.now = t + 7_200_000;
      src.wall = Clock.fixed(Instant.ofEpochMilli(server.now), ZoneId.of("UTC"));
      server.clearLog();
      server.served.clear();
      src.load(store, ctx);

      assertEquals(150, gone.size());
      assertEquals(Map.of("archived deals", 150, "archived contacts", 4, "archived companies", 2, "search deals", 0,
          "search contacts", 0, "search companies", 0), server.served);
      assertEquals(1 + 1 + 2 + (2 + 1 + 1) + 3, server.log().size(),
          "account, pipelines, owners x2, archived pages 2+1+1, 3 searches");
      assertServerEqualsStore(server, store);
      try (Connection c = store.connect(); Statement s = c.createStatement()) {
        assertEquals(gone.stream().map(String::valueOf).sorted().toList(),
            rows(s, "SELECT deal_id FROM crm.deals WHERE is_deleted ORDER BY deal_id"));
        assertEquals(600, scalar(s, "SELECT count(*) FROM crm.deals"), "deleted deals stay, flagged");
        assertEquals(List.of(), rows(s, "SELECT contact_id FROM crm.contacts WHERE CAST(contact_id AS BIGINT) IN ("
            + join(goneContacts) + ") UNION ALL SELECT company_id FROM crm.companies WHERE CAST(company_id AS BIGINT) IN ("
            + join(goneCompanies) + ")"));
        // raw rows are the archived records
        assertEquals(150 + 4 + 2, scalar(s, "SELECT (SELECT count(*) FROM hubspot.deals WHERE json_extract(raw, '$.archived')::BOOLEAN) "
            + "+ (SELECT count(*) FROM hubspot.contacts WHERE json_extract(raw, '$.archived')::BOOLEAN) "
            + "+ (SELECT count(*) FROM hubspot.companies WHERE json_extract(raw, '$.archived')::BOOLEAN)"));
        assertEquals(FakeHubSpotServer.iso(t), string(s, "SELECT updated_at FROM hubspot.deals WHERE id = '" + gone.get(0) + "'"));
        assertEquals(0, scalar(s, "SELECT count(*) FROM crm.orders o JOIN crm.deals d ON o.deal_id = d.deal_id WHERE d.is_deleted"),
            "no orders from deleted deals");
      }

      // next: one deal and one contact are restored (a modification), one more deal is deleted
      long t2 = server.now + 3_600_000;
      server.restore("deals", gone.get(0), t2);
      server.restore("contacts", goneContacts.get(0), t2);
      server.archive("deals", dealIds.get(1), t2 + 1);
      server.now = t2 + 7_200_000;
      src.wall = Clock.fixed(Instant.ofEpochMilli(server.now), ZoneId.of("UTC"));
      server.clearLog();
      server.served.clear();
      var report = src.load(store, ctx);

      assertEquals(150, server.served.get("archived deals"), "149 still archived + 1 new");
      assertEquals(1, server.served.get("search deals"));
      assertEquals(1, server.served.get("search contacts"));
      assertEquals(1 + 1 + 2 + (2 + 1 + 1) + 3 + 1 + 2, server.log().size(),
          "account, pipelines, owners x2, archived pages, 3 searches, 1 batch read, 2 association reads");
      assertEquals(List.of(0L, 0L, 1L), report.lines().stream().filter(l -> l.input().endsWith("?archived=true"))
          .map(l -> l.loaded()).toList(), "only newly deleted records are written: companies, contacts, deals");
      assertServerEqualsStore(server, store);
      try (Connection c = store.connect(); Statement s = c.createStatement()) {
        List<Long> expected = new ArrayList<>(gone.subList(1, gone.size()));
        expected.add(dealIds.get(1));
        assertEquals(expected.stream().map(String::valueOf).sorted().toList(),
            rows(s, "SELECT deal_id FROM crm.deals WHERE is_deleted ORDER BY deal_id"));
        assertEquals(1, scalar(s, "SELECT count(*) FROM crm.contacts WHERE contact_id = '" + goneContacts.get(0) + "'"));
        assertEquals("false", string(s, "SELECT CAST(json_extract(raw, '$.archived') AS VARCHAR) FROM hubspot.deals "
            + "WHERE id = '" + gone.get(0) + "'"), "the restored deal's raw row is live again");
      }
    }
  }

  private static String join(List<Long> ids) {
    return String.join(", ", ids.stream().map(String::valueOf).toList());
  }

  private static String string(Statement s, String sql) throws Exception {
    List<String> r = rows(s, sql);
    assertEquals(1, r.size(), sql);
    return r.get(0);
  }

  @Test
  void aWindowOfMoreThanTenThousandChangesIsSplit() throws Exception {
    int n = 10_150;
    try (FakeHubSpotServer server = new FakeHubSpotServer(clock, 5, n); Store store = Store.inMemory()) {
      SourceContext ctx = ctx();
      HubSpotSync src = source(server, FakeHubSpotServer.TOKEN, ctx);
      // deals were synced up to now (a full load is tested above): the next run searches
      try (SyncStore st = new SyncStore(store, "hubspot", ZONE)) {
        st.finished("deals", Long.toString(server.now), 0);
      }

      // 100 deals changed one by one, then a bulk edit of 10,050 more at one millisecond: the first query
      // stops at the cap (a new window starts at the last time seen), that window is one millisecond
      // holding more than the cap, so it is walked by hs_object_id
      long t = server.now + 60_000;
      List<Long> ids = new ArrayList<>(server.deals.keySet());
      for (int i = 0; i < ids.size(); i++) {
        server.advance(ids.get(i), i < 100 ? t + i : t + 1000);
      }
      server.now = t + 3_600_000;
      src.wall = Clock.fixed(Instant.ofEpochMilli(server.now), ZoneId.of("UTC"));
      server.clearLog();
      src.load(store, ctx);
      // 100 + 9,900 by time; 10,000 from the bulk millisecond (seen to be all one millisecond); the
      // millisecond by id: 10,000, the cap, then the last 50; one empty query after the millisecond;
      // 200 results a page
      assertEquals(10_000 + 10_000 + 10_000 + 50, server.served.get("search deals"));
      assertEquals(50 + 50 + 50 + 1 + 1, requests(server, "/deals/search"));
      assertEquals(n, server.served.get("batch deals"), "a deal found again unchanged is not read again");
      // changed deals are read 1,000 at a time (the last 150 at the end): 50 a batch read, 2 association reads each
      assertEquals(10 * 20 + 3, requests(server, "/deals/batch/read"));
      assertEquals(2 * 11, requests(server, "/crm/v4/associations/"));
      assertServerEqualsStore(server, store);
    }
  }

  @Test
  void aFullLoadStoppedMidwayResumesAtTheNextPage() throws Exception {
    try (FakeHubSpotServer server = new FakeHubSpotServer(clock, 8, 1000); Store store = Store.inMemory()) {
      // account, pipelines, owners x2, companies 1 page, contacts 2 pages, then 8 of the 20 deal pages: the daily
      // budget ends
      server.dailyLimit = 7 + 8;
      SourceContext ctx = ctx();
      HubSpotSync src = source(server, FakeHubSpotServer.TOKEN, ctx);
      assertThrows(SourceException.class, () -> src.load(store, ctx));
      try (Connection c = store.connect(); Statement s = c.createStatement()) {
        assertEquals(8 * 50, scalar(s, "SELECT count(*) FROM crm.deals"), "8 committed pages");
        assertEquals(1, scalar(s, "SELECT count(*) FROM crm.sync_state WHERE entity = 'deals' AND status = 'failed'"));
      }
      server.dailyLimit = Long.MAX_VALUE;
      server.clearLog();
      src.load(store, ctx);
      List<FakeApiServer.Call> dealLists = server.log().stream().filter(c -> c.path().equals("/crm/v3/objects/deals")).toList();
      assertEquals(12, dealLists.size(), "only the 12 pages not yet read");
      assertEquals(new ArrayList<>(server.deals.keySet()).get(400).toString(), dealLists.get(0).q("after"));
      assertEquals(1, requests(server, "/contacts/search"), "contacts finished in the first run: now incremental");
      assertServerEqualsStore(server, store);
    }
  }

  @Test
  void rateLimit429IsWaitedOutAndADailyLimitStopsWithAClearMessage() throws Exception {
    try (FakeHubSpotServer server = new FakeHubSpotServer(clock, 6, 300); Store store = Store.inMemory()) {
      // the client believes in 100 / 10 s, the portal allows 1 (another app used the rest): HubSpot answers
      // 429 TEN_SECONDLY_ROLLING to the second request already
      server.per10s = 1;
      SourceContext ctx = ctx();
      source(server, FakeHubSpotServer.TOKEN, ctx).load(store, ctx);
      assertTrue(server.rateRejections.get() > 0, "429s: " + server.rateRejections.get());
      assertServerEqualsStore(server, store);
    }
    try (FakeHubSpotServer server = new FakeHubSpotServer(clock, 6, 100); Store store = Store.inMemory()) {
      server.dailyLimit = 4;
      SourceContext ctx = ctx();
      SourceException e = assertThrows(SourceException.class,
          () -> source(server, FakeHubSpotServer.TOKEN, ctx).load(store, ctx));
      assertTrue(e.getMessage().startsWith("GET /crm/v3/objects/companies: HTTP 429, the CRM asks to wait 86400 s"),
          e.getMessage());
      assertTrue(e.getMessage().contains("You have reached your daily limit."), e.getMessage());
      assertEquals(5, server.log().size(), "no retry against a daily limit");
    }
  }

  @Test
  void errorsNameTheRequestAndNeverTheToken() throws Exception {
    String wrong = "pat-na1-wrong-0000-SECRET";
    try (FakeHubSpotServer server = new FakeHubSpotServer(clock, 7, 10); Store store = Store.inMemory()) {
      server.echoToken = true;
      SourceContext ctx = ctx();
      SourceException e = assertThrows(SourceException.class, () -> source(server, wrong, ctx).load(store, ctx));
      assertTrue(e.getMessage().startsWith("HubSpot GET /account-info/v3/details: HTTP 401 INVALID_AUTHENTICATION "
          + "(Authentication credentials not found. Presented: Bearer ***); the token was rejected"), e.getMessage());
      assertNoSecret(e, wrong);
      try (Connection c = store.connect(); Statement s = c.createStatement()) {
        List<String> err = rows(s, "SELECT error FROM crm.sync_state WHERE status = 'failed'");
        assertEquals(1, err.size());
        assertTrue(!err.get(0).contains(wrong) && err.get(0).contains("***"), err.get(0));
      }
    }
    SourceException missing = assertThrows(SourceException.class, () -> Sources.create("hubspot", "", ctx()));
    assertTrue(missing.getMessage().startsWith("HubSpot: set token="), missing.getMessage());
    assertEquals("hubspot", Sources.factories().get("hubspot").kind());
  }

  /** A token that may not read the account's details: the sync goes on in UTC and says how to set the zone. */
  @Test
  void withoutAccountDetailsTheSyncRunsInUtcAndSaysSo() throws Exception {
    try (FakeHubSpotServer server = new FakeHubSpotServer(clock, 15, 0); Store store = Store.inMemory()) {
      server.accountInfoForbidden = true;
      server.timeZone = "Europe/Berlin";
      server.addDeal(9_200_000_000L, java.time.LocalDateTime.parse("2024-07-01T00:00:00")
          .atZone(ZoneId.of("Europe/Berlin")).toInstant().toEpochMilli(), "10");
      List<String> progress = new ArrayList<>();
      SourceContext ctx = new SourceContext(Map.of("sync_overlap", "0"), progress::add);
      source(server, FakeHubSpotServer.TOKEN, ctx).load(store, ctx);
      assertTrue(progress.stream().anyMatch(m -> m.contains("set timezone=")), progress.toString());
      try (Connection c = store.connect(); Statement s = c.createStatement()) {
        assertEquals(List.of("2024-06-30 22:00:00"), rows(s, "SELECT CAST(created_at AS VARCHAR) FROM crm.deals"));
        assertEquals(List.of("UTC"), rows(s, "SELECT value FROM util.store_info WHERE key = 'timezone'"));
      }
    }
  }

  /** Owners come in pages (limit 100, after cursor): 230 more active ones are 3 pages, the archived 1. */
  @Test
  void ownersArePaged() throws Exception {
    try (FakeHubSpotServer server = new FakeHubSpotServer(clock, 14, 20); Store store = Store.inMemory()) {
      for (int i = 1; i <= 230; i++) {
        server.owners.add(FakeHubSpotServer.M.createObjectNode().put("id", String.valueOf(70_000 + i))
            .put("email", "o" + i + "@example.com").put("firstName", "Extra").put("lastName", "O" + i)
            .put("userId", 80_000 + i).put("archived", false));
      }
      SourceContext ctx = ctx();
      source(server, FakeHubSpotServer.TOKEN, ctx).load(store, ctx);
      List<FakeApiServer.Call> owners = server.log().stream().filter(c -> c.path().equals("/crm/v3/owners")).toList();
      assertEquals(List.of("false|null", "false|100", "false|200", "true|null"),
          owners.stream().map(c -> c.q("archived") + "|" + c.q("after")).toList());
      try (Connection c = store.connect(); Statement s = c.createStatement()) {
        assertEquals(236, scalar(s, "SELECT count(*) FROM crm.users"));
        assertEquals(235, scalar(s, "SELECT count(*) FROM crm.users WHERE is_active"));
      }
    }
  }

  /**
   * Deals created at local times of the portal's zone (GET /account-info/v3/details timeZone; Moscow
   * +03:00 all year, Berlin +01:00 / +02:00 in summer): 2024-02-29 23:30, 2024-03-01 00:00,
   * 2024-06-30 23:59:59, 2024-07-01 00:00, 2024-07-31 23:59:59. By month in the portal's zone: Feb 1,
   * Mar 1, Jun 1, Jul 2; with timezone=UTC: Feb 2, Jun 2, Jul 1. The portal has one currency: its
   * deals carry no deal_currency_code, their amounts are in the company currency.
   */
  @Test
  void timesAreInThePortalsZoneAndSingleCurrencyAmountsInTheCompanyCurrency() throws Exception {
    String[] local = {"2024-02-29T23:30:00", "2024-03-01T00:00:00", "2024-06-30T23:59:59", "2024-07-01T00:00:00",
        "2024-07-31T23:59:59"};
    for (String zoneId : List.of("Europe/Moscow", "Europe/Berlin")) {
      ZoneId zone = ZoneId.of(zoneId);
      for (boolean utc : new boolean[] {false, true}) {
        try (FakeHubSpotServer server = new FakeHubSpotServer(clock, 12, 0); Store store = Store.inMemory()) {
          server.timeZone = zoneId;
          server.singleCurrency = true;
          server.companyCurrency = zoneId.equals("Europe/Moscow") ? "RUB" : "EUR";
          for (int i = 0; i < local.length; i++) {
            server.addDeal(9_100_000_000L + i, LocalDateTime.parse(local[i]).atZone(zone).toInstant().toEpochMilli(),
                "1000");
          }
          Map<String, String> p = new HashMap<>(Map.of("sync_overlap", "0"));
          if (utc) {
            p.put("timezone", "UTC");
          }
          SourceContext ctx = SourceContext.of(p);
          source(server, FakeHubSpotServer.TOKEN, ctx).load(store, ctx);
          try (Connection c = store.connect(); Statement s = c.createStatement()) {
            assertEquals(utc ? List.of("2024-02=2", "2024-06=2", "2024-07=1")
                : List.of("2024-02=1", "2024-03=1", "2024-06=1", "2024-07=2"),
                rows(s, "SELECT m || '=' || count(*) FROM (SELECT strftime(created_at, '%Y-%m') AS m FROM crm.deals) "
                    + "GROUP BY m ORDER BY m"), zoneId + (utc ? " read in UTC" : ""));
            assertEquals(utc ? "UTC" : zoneId, string(s, "SELECT value FROM util.store_info WHERE key = 'timezone'"));
            assertEquals(List.of(server.companyCurrency + "=5"),
                rows(s, "SELECT currency || '=' || count(*) FROM crm.deals GROUP BY currency"));
            assertEquals(List.of("2024-07-01 00:00:00"), utc ? List.of("2024-07-01 00:00:00")
                : rows(s, "SELECT strftime(created_at, '%Y-%m-%d %H:%M:%S') FROM crm.deals WHERE deal_id = '9100000003'"));
          }
          assertEquals(1, requests(server, "/account-info/v3/details"));
          if (!utc) {
            // nothing changed: account, pipelines, owners (active, archived), 3 archived lists, 3 searches
            server.clearLog();
            source(server, FakeHubSpotServer.TOKEN, ctx).load(store, ctx);
            assertEquals(10, server.log().size(), server.log().toString());
            assertEquals(3, requests(server, "/search"));
          }
        }
      }
    }
  }

  // ---- expected rows, computed from the server's records -----------------------------------------

  static final DateTimeFormatter F = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

  static String ts(JsonNode iso) {
    return iso == null || iso.isNull() ? "null"
        : LocalDateTime.ofInstant(Instant.parse(iso.asText()), ZONE).format(F);
  }

  /** HubSpot's source types as the default crm.channel_map maps them. */
  static final Map<String, String> CHANNEL = Map.of("ORGANIC_SEARCH", "organic", "PAID_SEARCH", "paid_search",
      "DIRECT_TRAFFIC", "direct", "OFFLINE", "offline", "REFERRALS", "referral");

  static String min(long[] ids) {
    return ids.length == 0 ? "null" : String.valueOf(java.util.Arrays.stream(ids).min().getAsLong());
  }

  static void assertServerEqualsStore(FakeHubSpotServer server, Store store) throws Exception {
    List<String> deals = new ArrayList<>();
    List<String> history = new ArrayList<>();
    Map<String, String> ownerOfUser = new HashMap<>();
    server.owners.forEach(o -> ownerOfUser.put(o.get("userId").asText(), o.get("id").asText()));
    for (ObjectNode d : server.deals.values()) {
      JsonNode p = d.get("properties");
      String stage = p.get("dealstage").asText();
      String status = stage.equals("closedwon") || stage.equals("1003") ? "won"
          : stage.equals("closedlost") || stage.equals("1004") ? "lost" : "open";
      long id = d.get("id").asLong();
      JsonNode src = p.get("hs_analytics_source");
      deals.add(String.join("|", d.get("id").asText(), p.get("dealname").asText(), p.get("pipeline").asText(), stage, status,
          p.get("amount").isNull() ? "null" : new BigDecimal(p.get("amount").asText()).setScale(2).toPlainString(),
          p.get("deal_currency_code").asText(), ts(p.get("createdate")), status.equals("open") ? "null" : ts(p.get("closedate")),
          ts(p.get("hs_lastmodifieddate")), p.get("hubspot_owner_id").asText(), min(server.dealContacts.get(id)),
          min(server.dealCompanies.get(id)), src.isNull() ? "unknown" : CHANNEL.get(src.asText()),
          status.equals("lost") ? "Too expensive" : "null"));
      List<JsonNode> h = new ArrayList<>();
      d.get("propertiesWithHistory").get("dealstage").forEach(h::add);
      String from = "null";
      for (int i = h.size() - 1; i >= 0; i--) { // the API lists newest first
        String to = h.get(i).get("value").asText();
        history.add(id + "|" + from + "|" + to + "|" + ts(h.get(i).get("timestamp")) + "|"
            + ownerOfUser.get(h.get(i).get("updatedByUserId").asText()));
        from = to;
      }
    }
    history.sort(null);
    List<String> contacts = new ArrayList<>();
    for (ObjectNode c : server.contacts.values()) {
      JsonNode p = c.get("properties");
      String name = (p.get("firstname").asText() + " " + (p.get("lastname").isNull() ? "" : p.get("lastname").asText())).trim();
      contacts.add(String.join("|", c.get("id").asText(), name, p.get("email").asText(),
          p.get("associatedcompanyid").isNull() ? "null" : p.get("associatedcompanyid").asText(),
          CHANNEL.get(p.get("hs_analytics_source").asText()), ts(p.get("lastmodifieddate"))));
    }
    List<String> companies = new ArrayList<>();
    for (ObjectNode c : server.companies.values()) {
      JsonNode p = c.get("properties");
      companies.add(String.join("|", c.get("id").asText(), p.get("name").asText(),
          p.get("industry").isNull() ? "null" : p.get("industry").asText(), ts(p.get("createdate"))));
    }
    try (Connection c = store.connect(); Statement s = c.createStatement()) {
      assertSameRows(deals, rows(s, "SELECT concat_ws('|', deal_id, title, pipeline_id, stage_id, status, "
          + "coalesce(CAST(amount AS VARCHAR), 'null'), currency, strftime(created_at, '%Y-%m-%d %H:%M:%S.%g'), "
          + "coalesce(strftime(closed_at, '%Y-%m-%d %H:%M:%S.%g'), 'null'), strftime(updated_at, '%Y-%m-%d %H:%M:%S.%g'), "
          + "owner_user_id, coalesce(contact_id, 'null'), coalesce(company_id, 'null'), channel, coalesce(loss_reason, 'null')) "
          + "FROM crm.deals WHERE NOT is_deleted ORDER BY CAST(deal_id AS BIGINT)"));
      assertSameRows(history, rows(s, "SELECT concat_ws('|', deal_id, coalesce(from_stage_id, 'null'), to_stage_id, "
          + "strftime(changed_at, '%Y-%m-%d %H:%M:%S.%g'), coalesce(user_id, 'null')) FROM crm.deal_stage_history "
          + "WHERE deal_id IN (SELECT deal_id FROM crm.deals WHERE NOT is_deleted) ORDER BY 1"));
      assertSameRows(contacts, rows(s, "SELECT concat_ws('|', contact_id, name, email, coalesce(company_id, 'null'), channel, "
          + "strftime(updated_at, '%Y-%m-%d %H:%M:%S.%g')) FROM crm.contacts ORDER BY CAST(contact_id AS BIGINT)"));
      assertSameRows(companies, rows(s, "SELECT concat_ws('|', company_id, name, coalesce(industry, 'null'), "
          + "strftime(created_at, '%Y-%m-%d %H:%M:%S.%g')) FROM crm.companies ORDER BY CAST(company_id AS BIGINT)"));
      assertEquals(server.deals.size(), scalar(s, "SELECT count(*) FROM crm.leads l JOIN crm.deals d ON l.lead_id = d.deal_id "
          + "AND l.converted_deal_id = d.deal_id AND l.contact_id IS NOT DISTINCT FROM d.contact_id WHERE NOT d.is_deleted"),
          "every deal is a lead");
      assertEquals(List.of("1001|7740|open|0", "1002|7740|open|1", "1003|7740|won|2", "1004|7740|lost|3",
          "appointmentscheduled|default|open|0", "closedlost|default|lost|4", "closedwon|default|won|3",
          "presentationscheduled|default|open|2", "qualifiedtobuy|default|open|1"),
          rows(s, "SELECT concat_ws('|', stage_id, pipeline_id, kind, sort_order) FROM crm.stages ORDER BY 1"));
      assertEquals(List.of("5001|Owner N1|North|true", "5002|Owner N2|North|true", "5003|Owner N3|North|true",
          "5004|Owner N4|South|true", "5005|Owner N5|South|true", "5006|Owner N6|South|false"),
          rows(s, "SELECT concat_ws('|', user_id, name, team, is_active) FROM crm.users ORDER BY 1"));
      assertEquals(0, scalar(s, "SELECT count(*) FROM crm.load_rejects"));
      assertEquals(0, scalar(s, "SELECT count(*) FROM crm.deal_stage_history WHERE is_inferred"));
      assertEquals(server.deals.size(), scalar(s, "SELECT count(*) FROM hubspot.deals WHERE NOT json_extract(raw, '$.archived')::BOOLEAN"));
      // every deal the store flags deleted is archived in HubSpot, and every archived deal it holds is flagged
      for (String id : rows(s, "SELECT deal_id FROM crm.deals WHERE is_deleted")) {
        assertTrue(server.archived.get("deals").containsKey(Long.parseLong(id)), id);
      }
      assertEquals(0, scalar(s, "SELECT count(*) FROM crm.deals WHERE NOT is_deleted AND CAST(deal_id AS BIGINT) IN (0"
          + server.archived.get("deals").keySet().stream().map(x -> ", " + x).reduce("", String::concat) + ")"));
    }
  }
}
