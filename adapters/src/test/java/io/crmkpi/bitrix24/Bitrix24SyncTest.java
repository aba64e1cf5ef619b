package io.crmkpi.bitrix24;

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
import io.crmkpi.http.ScaledClock;
import io.crmkpi.source.SourceContext;
import io.crmkpi.source.SourceException;
import io.crmkpi.store.Store;
import java.net.URI;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class Bitrix24SyncTest {

  static final ApiClient.Settings FAST = new ApiClient.Settings(10, Duration.ofMillis(200), Duration.ofSeconds(10),
      Duration.ofSeconds(5), Duration.ofSeconds(20), 7);
  static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
  private final ScaledClock clock = new ScaledClock(50);

  private Bitrix24Sync source(FakeBitrix24Server server, String code, SourceContext ctx) {
    URI webhook = server.base().resolve("/rest/1/" + code + "/");
    return new Bitrix24Sync(webhook, ctx, clock, FAST);
  }

  private static SourceContext ctx() {
    return SourceContext.of(Map.of("timezone", ZONE.getId(), "sync_overlap", "0"));
  }

  /**
   * Batch calls a sync needs: the first carries the reference commands and one probe page (with its
   * total) per list; after that, every further page of every list, 50 pages a call.
   */
  static long expectedCalls(long... listSizes) {
    long further = 0;
    for (long n : listSizes) {
      further += Math.max(0, (n + 49) / 50 - 1);
    }
    return 1 + (further + 49) / 50;
  }

  /** The per-entity minimum of docs/benchmarks.md: 2,500 records a call per list (an empty list: 1), + reference. */
  static long perEntityMinimum(long... listSizes) {
    long calls = 1;
    for (long n : listSizes) {
      calls += Math.max(1, (n + 2499) / 2500);
    }
    return calls;
  }

  /** companies, contacts, leads, deals, activities, stage history as the fake holds them. */
  static long[] lists(FakeBitrix24Server s) {
    return new long[] {s.companies.size(), s.contacts.size(), s.leads.size(), s.deals.size(), 0, s.history.size()};
  }

  @Test
  void fullSyncThroughFaultsUnderTheLeakyBucketEqualsThePortal() throws Exception {
    try (FakeBitrix24Server server = new FakeBitrix24Server(clock, 3, 700); Store store = Store.inMemory()) {
      server.faults(0.3, 9);
      server.commandFaults = 0.05;
      SourceContext ctx = ctx();
      source(server, FakeBitrix24Server.CODE, ctx).load(store, ctx);
      assertEquals(0, server.rateRejections.get(), "never over the bucket");
      assertTrue(server.faultsInjected.get() >= 1, "faults: " + server.faultsInjected.get());
      assertTrue(server.commandFaultsInjected >= 1, "command faults: " + server.commandFaultsInjected);
      assertPortalEqualsStore(server, store, Set.of());
    }
  }

  @Test
  void thousandsOfRecordsComeInBatchesOf50PagesChainedByResultSubstitution() throws Exception {
    try (FakeBitrix24Server server = new FakeBitrix24Server(clock, 11, 3000); Store store = Store.inMemory()) {
      SourceContext ctx = ctx();
      source(server, FakeBitrix24Server.CODE, ctx).load(store, ctx);
      long[] lists = lists(server);
      long history = server.history.size();
      // 3000 deals = 60 pages, 200 contacts = 4, history ~2.3 a deal; probe call + 50 pages a call
      assertEquals(expectedCalls(lists), server.log().size());
      assertEquals(1 + (59 + 3 + (history + 49) / 50 - 1 + 49) / 50, server.log().size());
      assertTrue(server.log().size() <= perEntityMinimum(lists), server.log().size() + " > " + perEntityMinimum(lists));
      // every record served exactly once: no page read twice, none past the end
      assertEquals(3000, (int) server.served.get("crm.deal.list"));
      assertEquals(200, (int) server.served.get("crm.contact.list"));
      assertEquals((int) history, (int) server.served.get("crm.stagehistory.list"));
      long chained = server.commands.stream().filter(c -> c.startsWith("crm.deal.list?")
          && c.contains("filter%5B%3EID%5D=%24result%5Bdeals")).count();
      // 59 deal pages after the probe: call 2 has 3 contact pages then 47 deal pages, call 3 the last 12;
      // the first deal page of each call names its ID, the others refer to the previous command
      assertEquals(59 - 2, chained);
      assertEquals(1, server.commands.stream().filter(c -> c.startsWith("crm.deal.list?") && c.endsWith("start=0")).count());
      assertPortalEqualsStore(server, store, Set.of());
    }
  }

  @Test
  void aChainThatRunsOutEarlyDiscardsTheCommandsAfterItsShortPage() throws Exception {
    try (FakeBitrix24Server server = new FakeBitrix24Server(clock, 12, 3000); Store store = Store.inMemory()) {
      // after the probe (total 3000), 100 deals vanish: the planned pages overrun the data, the
      // command after the empty page gets the whole (empty) previous result as its >ID and the
      // portal answers from the start again
      server.afterBatch = n -> {
        if (n == 1) {
          for (long id = 2001; id <= 2100; id++) {
            server.delete(server.deals, id);
          }
        }
      };
      SourceContext ctx = ctx();
      source(server, FakeBitrix24Server.CODE, ctx).load(store, ctx);
      assertTrue(server.served.get("crm.deal.list") > 2900, "the portal did serve rows past the end: "
          + server.served.get("crm.deal.list"));
      assertEquals(2900, server.deals.size());
      assertPortalEqualsStore(server, store, Set.of());
      try (Connection c = store.connect(); Statement s = c.createStatement()) {
        assertEquals(2900, scalar(s, "SELECT count(DISTINCT deal_id) FROM crm.deals"));
        assertEquals(2900, scalar(s, "SELECT count(*) FROM bitrix24.deals"));
      }
    }
  }

  @Test
  void incrementalSyncAsksOnlyForRecordsModifiedSinceThePreviousRun() throws Exception {
    try (FakeBitrix24Server server = new FakeBitrix24Server(clock, 4, 300); Store store = Store.inMemory()) {
      SourceContext ctx = ctx();
      Bitrix24Sync src = source(server, FakeBitrix24Server.CODE, ctx);
      src.load(store, ctx);
      server.now += 3600;
      List<Long> open = server.deals.values().stream().filter(d -> d.get("CLOSED").asText().equals("N"))
          .map(d -> d.get("ID").asLong()).limit(20).toList();
      open.forEach(server::win);
      server.now += 3600;
      server.served.clear();
      server.clearLog();
      src.load(store, ctx);
      assertEquals(1, server.log().size(), "20 changed deals, 20 history rows and the deletion checks: one call");
      assertEquals(20, (int) server.served.get("crm.deal.list"), "only the 20 won deals");
      assertEquals(20, (int) server.served.get("crm.stagehistory.list"), "20 new history rows");
      assertEquals(0, (int) server.served.getOrDefault("crm.contact.list", 0));
      // deletion checks: one probe page of IDs each, counts equal, nothing more
      assertEquals(50, (int) server.served.get("crm.deal.list ID"));
      assertEquals(50, (int) server.served.get("crm.contact.list ID"));
      assertPortalEqualsStore(server, store, Set.of());
    }
  }

  @Test
  void deletedRecordsAreFlaggedOrRemovedOnTheNextIncrementalSync() throws Exception {
    try (FakeBitrix24Server server = new FakeBitrix24Server(clock, 13, 3000); Store store = Store.inMemory()) {
      SourceContext ctx = ctx();
      Bitrix24Sync src = source(server, FakeBitrix24Server.CODE, ctx);
      src.load(store, ctx);
      Set<Long> gone = new TreeSet<>(List.of(1L, 2L, 777L, 1500L, 2499L, 2500L, 2501L, 3000L));
      for (long id = 1200; id < 1229; id++) {
        gone.add(id);
      }
      gone.forEach(id -> server.delete(server.deals, id));
      List.of(3L, 50L, 51L, 199L, 200L).forEach(id -> server.delete(server.contacts, id));
      server.now += 3600;
      server.win(server.deals.values().stream().filter(d -> d.get("CLOSED").asText().equals("N")).findFirst()
          .orElseThrow().get("ID").asLong());
      server.clearLog();
      server.served.clear();
      src.load(store, ctx);
      // deals: 2963 IDs <= 3000 = 60 pages, contacts 195 = 4 pages; the probes in the first call
      assertEquals(expectedCalls(2963, 195), server.log().size());
      assertEquals(3, server.log().size());
      assertEquals(2963, (int) server.served.get("crm.deal.list ID"));
      assertEquals(1, (int) server.served.get("crm.deal.list"), "the one won deal");
      assertPortalEqualsStore(server, store, gone);
      try (Connection c = store.connect(); Statement s = c.createStatement()) {
        assertEquals(gone.stream().map(String::valueOf).sorted().toList(),
            rows(s, "SELECT deal_id FROM crm.deals WHERE is_deleted ORDER BY deal_id"));
        assertEquals(195, scalar(s, "SELECT count(*) FROM crm.contacts"));
        assertEquals(0, scalar(s, "SELECT count(*) FROM crm.contacts WHERE contact_id IN ('3', '50', '51', '199', '200')"));
        assertEquals(2963, scalar(s, "SELECT count(*) FROM bitrix24.deals"));
        assertEquals(195, scalar(s, "SELECT count(*) FROM bitrix24.contacts"));
      }
      // deletions=off: a later deletion is not looked for
      server.delete(server.deals, 5);
      server.clearLog();
      SourceContext off = SourceContext.of(Map.of("timezone", ZONE.getId(), "sync_overlap", "0", "deletions", "off"));
      source(server, FakeBitrix24Server.CODE, off).load(store, off);
      assertEquals(1, server.log().size());
      try (Connection c = store.connect(); Statement s = c.createStatement()) {
        assertEquals(gone.size(), scalar(s, "SELECT count(*) FROM crm.deals WHERE is_deleted"));
      }
    }
  }

  @Test
  void aRunThatDiesMidBatchResumesWithoutGapsOrDuplicates() throws Exception {
    try (FakeBitrix24Server server = new FakeBitrix24Server(clock, 14, 1500); Store store = Store.inMemory()) {
      SourceContext ctx = ctx();
      // call 2: contact pages are refused after the companies were committed and before the deals
      server.denyAtBatch = 2;
      server.denyMethod = "crm.contact.list";
      SourceException e = assertThrows(SourceException.class, () -> source(server, FakeBitrix24Server.CODE, ctx)
          .load(store, ctx));
      assertTrue(e.getMessage().contains("crm.contact.list") && e.getMessage().contains("insufficient_scope"),
          e.getMessage());
      long dealsBefore;
      try (Connection c = store.connect(); Statement s = c.createStatement()) {
        dealsBefore = scalar(s, "SELECT count(*) FROM crm.deals");
        assertEquals(50, dealsBefore, "only the probe page of deals was committed");
        assertEquals("failed", rows(s, "SELECT status FROM crm.sync_state WHERE entity = 'deals'").get(0));
      }
      // then the portal dies for good in the middle of the next run
      server.denyAtBatch = -1;
      server.failBatchesFrom = server.batches + 1;
      assertThrows(SourceException.class, () -> source(server, FakeBitrix24Server.CODE, ctx).load(store, ctx));
      long dealsMid;
      try (Connection c = store.connect(); Statement s = c.createStatement()) {
        dealsMid = scalar(s, "SELECT count(*) FROM crm.deals");
        assertTrue(dealsMid > dealsBefore && dealsMid < 1500, "deals after the second run: " + dealsMid);
        assertEquals(dealsMid, scalar(s, "SELECT max(CAST(deal_id AS BIGINT)) FROM crm.deals"), "no gap");
      }
      server.failBatchesFrom = Integer.MAX_VALUE;
      server.served.clear();
      source(server, FakeBitrix24Server.CODE, ctx).load(store, ctx);
      assertEquals(1500 - dealsMid, (int) server.served.get("crm.deal.list"), "resumed after the last committed page");
      assertPortalEqualsStore(server, store, Set.of());
      try (Connection c = store.connect(); Statement s = c.createStatement()) {
        assertEquals(1500, scalar(s, "SELECT count(DISTINCT deal_id) FROM crm.deals"));
        assertEquals(server.history.size(), scalar(s, "SELECT count(*) FROM bitrix24.stagehistory"));
      }
    }
  }

  /** The fake substitutes as the rest module does (CRestUtil::processBatchElement), end of data included. */
  @Test
  void theFakesBatchSubstitutionFollowsTheRestModule() throws Exception {
    ObjectNode ar = (ObjectNode) FakeBitrix24Server.M.readTree("{\"result\": {\"full\": [" + "{\"ID\": \"7\"},".repeat(49)
        + "{\"ID\": \"99\"}], \"short\": [{\"ID\": \"5\"}], \"empty\": []}, \"next\": {}, \"total\": {\"full\": 120},"
        + " \"time\": {}, \"error\": {}}");
    JsonNode q = FakeBitrix24Server.parseQuery("filter%5B%3EID%5D=%24result%5Bfull%5D%5B49%5D%5BID%5D&select%5B0%5D=ID"
        + "&a=%24result%5Bshort%5D%5B49%5D%5BID%5D&b=%24result%5Bempty%5D%5B49%5D%5BID%5D&c=x%24result%5Bshort%5D%5B49%5D"
        + "&d=%24total%5Bfull%5D&e=%24result%5Bmissing%5D%5B49%5D%5BID%5D");
    JsonNode p = FakeBitrix24Server.substitute(q, ar);
    assertEquals("99", p.path("filter").path(">ID").asText(), "the 50th row's ID");
    assertEquals("ID", p.path("select").path("0").asText());
    assertEquals("[{\"ID\":\"5\"}]", p.get("a").toString(), "short page: the whole previous result");
    assertEquals("[]", p.get("b").toString(), "empty page: the empty array");
    assertEquals("x$result[short][49]", p.get("c").asText(), "inside a longer value an array is left as written");
    assertEquals("120", p.get("d").asText());
    assertTrue(p.get("e").isObject() && p.get("e").has("full"), "an unknown command: the whole result map");
  }

  @Test
  void errorsNameTheMethodAndNeverTheWebhook() throws Exception {
    List<Throwable> errors = new ArrayList<>();
    try (FakeBitrix24Server server = new FakeBitrix24Server(clock, 5, 10); Store store = Store.inMemory()) {
      SourceContext ctx = ctx();
      SourceException e = assertThrows(SourceException.class, () -> source(server, "wrongcode123", ctx).load(store, ctx));
      assertTrue(e.getMessage().startsWith("Bitrix24 POST batch: HTTP 401 NO_AUTH_FOUND"), e.getMessage());
      assertTrue(e.getMessage().contains("the webhook code was rejected"), e.getMessage());
      errors.add(e);
      server.crmScope = false;
      SourceException e2 = assertThrows(SourceException.class,
          () -> source(server, FakeBitrix24Server.CODE, ctx).load(store, ctx));
      assertTrue(e2.getMessage().startsWith("Bitrix24 POST batch (crm.category.list): insufficient_scope"), e2.getMessage());
      assertTrue(e2.getMessage().contains("; the webhook lacks scope crm"), e2.getMessage());
      errors.add(e2);
    }
    for (Throwable t : errors) {
      assertNoSecret(t, FakeBitrix24Server.CODE, "wrongcode123");
    }
    SourceException bad = assertThrows(SourceException.class, () -> Bitrix24SourceFactory.webhook(
        SourceContext.of(Map.of("webhook", "https://portal.example/secret-code-77"))));
    assertNoSecret(bad, "secret-code-77");
    assertEquals(URI.create("http://127.0.0.1:8080/rest/1/abc/"), Bitrix24SourceFactory.webhook(
        SourceContext.of(Map.of("webhook", "http://127.0.0.1:8080/rest/1/abc/crm.deal.list.json"))));
  }

  /**
   * user.get pages by 50 like every list: 120 users are 3 commands (start 0, 50, 100), the two after
   * the first riding in the second batch call with the other lists' further pages.
   */
  @Test
  void usersArePagedAndEveryPageIsRead() throws Exception {
    try (FakeBitrix24Server server = new FakeBitrix24Server(clock, 23, 100); Store store = Store.inMemory()) {
      server.users = 120;
      SourceContext ctx = ctx();
      source(server, FakeBitrix24Server.CODE, ctx).load(store, ctx);
      assertEquals(List.of("user.get?start=0", "user.get?start=50", "user.get?start=100"),
          server.commands.stream().filter(c -> c.startsWith("user.get")).toList());
      assertEquals(120, (int) server.served.get("user.get"));
      assertEquals(2, server.log().size(), "the first call, then one with every further page");
      try (Connection c = store.connect(); Statement s = c.createStatement()) {
        assertEquals(120, scalar(s, "SELECT count(*) FROM crm.users"));
        assertEquals(119, scalar(s, "SELECT count(*) FROM crm.users WHERE is_active"), "user 3 is inactive");
      }
    }
  }

  /**
   * A portal in Moscow (+03:00 all year) or Berlin (+01:00, +02:00 in summer) writes each date with
   * the offset of its own moment; the sync runs in December (time.date_start +01:00 in Berlin). Deals
   * created at local 2024-02-29 23:30, 2024-03-01 00:00, 2024-06-30 23:59:59, 2024-07-01 00:00 and
   * 2024-07-31 23:59:59: by month Feb 1, Mar 1, Jun 1, Jul 2 (the summer midnight stays on July 1,
   * not 2024-06-30 23:00 as December's offset would put it); with timezone=UTC Feb 2, Jun 2, Jul 1.
   * The portal is in simple CRM mode (no leads): every deal is a lead, in the same months.
   */
  @Test
  void datesKeepThePortalsLocalTimeAcrossDaylightSavingAndASimpleModePortalsDealsAreLeads() throws Exception {
    String[] local = {"2024-02-29T23:30:00", "2024-03-01T00:00:00", "2024-06-30T23:59:59", "2024-07-01T00:00:00",
        "2024-07-31T23:59:59"};
    for (String zoneId : List.of("Europe/Moscow", "Europe/Berlin")) {
      ZoneId zone = ZoneId.of(zoneId);
      for (boolean utc : new boolean[] {false, true}) {
        try (FakeBitrix24Server server = new FakeBitrix24Server(clock, 21, 0, zone); Store store = Store.inMemory()) {
          server.simpleMode = true;
          server.now = java.time.LocalDateTime.parse("2024-12-02T12:00:00").atZone(zone).toEpochSecond();
          for (int i = 0; i < local.length; i++) {
            server.addDeal(i + 1, java.time.LocalDateTime.parse(local[i]).atZone(zone).toEpochSecond());
          }
          SourceContext ctx = SourceContext.of(utc ? Map.of("timezone", "UTC", "sync_overlap", "0")
              : Map.of("sync_overlap", "0"));
          source(server, FakeBitrix24Server.CODE, ctx).load(store, ctx);
          List<String> months = utc ? List.of("2024-02=2", "2024-06=2", "2024-07=1")
              : List.of("2024-02=1", "2024-03=1", "2024-06=1", "2024-07=2");
          try (Connection c = store.connect(); Statement s = c.createStatement()) {
            String what = zoneId + (utc ? " read in UTC" : "");
            assertEquals(months, rows(s, "SELECT m || '=' || count(*) FROM (SELECT strftime(created_at, '%Y-%m') AS m "
                + "FROM crm.deals) GROUP BY m ORDER BY m"), what);
            assertEquals(months, rows(s, "SELECT m || '=' || count(*) FROM (SELECT strftime(created_at, '%Y-%m') AS m "
                + "FROM crm.leads WHERE lead_id = converted_deal_id) GROUP BY m ORDER BY m"), "leads, " + what);
            String midnight = utc ? java.time.LocalDateTime.parse(local[3]).atZone(zone)
                .withZoneSameInstant(ZoneId.of("UTC")).toLocalDateTime().toString().replace('T', ' ') + ":00"
                : "2024-07-01 00:00:00";
            assertEquals(List.of(midnight), rows(s, "SELECT CAST(created_at AS VARCHAR) FROM crm.deals WHERE deal_id = '4'"));
            assertEquals(List.of(midnight), rows(s, "SELECT CAST(changed_at AS VARCHAR) FROM crm.deal_stage_history "
                + "WHERE deal_id = '4'"), "the creation row of the stage history");
            String offset = zoneId.equals("Europe/Moscow") ? "+03:00" : "+01:00";
            assertEquals(List.of(utc ? "UTC" : offset), rows(s, "SELECT value FROM util.store_info WHERE key = 'timezone'"));
          }
          // a first sync of this portal (200 contacts = 4 pages, 5 deals, 5 history rows): the first call,
          // then one with the 3 further contact pages; a repeated one with nothing changed: one call, and
          // the deals' leads stay
          assertEquals(2, server.log().size());
          server.clearLog();
          source(server, FakeBitrix24Server.CODE, ctx).load(store, ctx);
          assertEquals(1, server.log().size());
          try (Connection c = store.connect(); Statement s = c.createStatement()) {
            assertEquals(5, scalar(s, "SELECT count(*) FROM crm.leads WHERE lead_id = converted_deal_id"));
          }
        }
      }
    }
  }

  static String ts(String iso) {
    return OffsetDateTime.parse(iso).atZoneSameInstant(ZONE).toLocalDateTime()
        .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
  }

  static void assertPortalEqualsStore(FakeBitrix24Server server, Store store, Set<Long> deleted) throws Exception {
    List<String> deals = new ArrayList<>();
    for (ObjectNode d : server.deals.values()) {
      String sem = d.get("STAGE_SEMANTIC_ID").asText();
      String status = sem.equals("S") ? "won" : sem.equals("F") ? "lost" : "open";
      JsonNode utm = d.get("UTM_SOURCE");
      deals.add(String.join("|", d.get("ID").asText(), d.get("CATEGORY_ID").asText(), d.get("STAGE_ID").asText(), status,
          d.get("OPPORTUNITY").asText(), d.get("CURRENCY_ID").asText(), ts(d.get("DATE_CREATE").asText()),
          status.equals("open") ? "null" : ts(d.get("MOVED_TIME").asText()), ts(d.get("DATE_MODIFY").asText()),
          d.get("ASSIGNED_BY_ID").asText(), d.get("CONTACT_ID").asText(), utm.isNull() ? "call" : utm.asText()));
    }
    // history: each row's from-stage is the deal's previous row
    Map<Long, String> prev = new HashMap<>();
    List<String> history = new ArrayList<>();
    for (ObjectNode h : server.history) {
      long deal = h.get("OWNER_ID").asLong();
      history.add(deal + "|" + prev.getOrDefault(deal, "null") + "|" + h.get("STAGE_ID").asText() + "|"
          + ts(h.get("CREATED_TIME").asText()));
      prev.put(deal, h.get("STAGE_ID").asText());
    }
    history.sort(null);
    try (Connection c = store.connect(); Statement s = c.createStatement()) {
      assertSameRows(deals, rows(s, "SELECT concat_ws('|', deal_id, pipeline_id, stage_id, status, amount, currency, created_at, "
          + "coalesce(CAST(closed_at AS VARCHAR), 'null'), updated_at, owner_user_id, contact_id, channel) FROM crm.deals "
          + "WHERE NOT is_deleted ORDER BY CAST(deal_id AS BIGINT)"));
      assertEquals(deleted.size(), scalar(s, "SELECT count(*) FROM crm.deals WHERE is_deleted"));
      assertSameRows(history, rows(s, "SELECT concat_ws('|', deal_id, coalesce(from_stage_id, 'null'), to_stage_id, changed_at) "
          + "FROM crm.deal_stage_history ORDER BY 1"));
      assertEquals(List.of("APOLOGY|lost", "C1:LOSE|lost", "C1:NEW|open", "C1:WON|won", "EXECUTING|open", "LOSE|lost",
          "NEW|open", "PREPARATION|open", "WON|won"), rows(s, "SELECT stage_id || '|' || kind FROM crm.stages ORDER BY 1"));
      assertEquals(server.contacts.size(), scalar(s, "SELECT count(*) FROM crm.contacts WHERE email LIKE 'p%@example.com'"));
      assertEquals(server.contacts.size(), scalar(s, "SELECT count(*) FROM crm.contacts"));
      assertEquals(server.deals.values().stream().filter(d -> !d.get("UF_CRM_1704817278").isNull()).count(),
          scalar(s, "SELECT count(*) FROM crm.custom_fields f JOIN crm.deals d ON f.entity = 'deal' AND f.entity_id = d.deal_id "
              + "WHERE NOT d.is_deleted AND field_id = 'UF_CRM_1704817278' AND value = 'VIP'"));
      assertEquals(2, scalar(s, "SELECT count(*) FROM crm.users WHERE is_active"));
      assertEquals(0, scalar(s, "SELECT count(*) FROM crm.load_rejects"));
      assertEquals(7, scalar(s, "SELECT count(*) FROM crm.sync_state WHERE source = 'bitrix24' AND status = 'ok'"));
    }
  }
}
