package io.crmkpi.amocrm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmkpi.http.ApiClient;
import io.crmkpi.http.ScaledClock;
import io.crmkpi.source.SourceContext;
import io.crmkpi.source.SourceException;
import io.crmkpi.store.Store;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AmoCrmSyncTest {

  static final String TOKEN = "tok-SECRET-longlived-4711";
  static final ZoneId MSK = ZoneId.of("Europe/Moscow");
  static final ApiClient.Settings FAST = new ApiClient.Settings(10, Duration.ofMillis(200), Duration.ofSeconds(10),
      Duration.ofSeconds(5), Duration.ofSeconds(20), 7);

  private final ScaledClock clock = new ScaledClock(25);

  private AmoCrmSync source(FakeAmoCrmServer server, SourceContext ctx) {
    return new AmoCrmSync(server.base(), ctx, clock, FAST);
  }

  private static SourceContext ctx(Map<String, String> extra, java.util.function.Consumer<String> progress) {
    Map<String, String> p = new HashMap<>(Map.of("token", TOKEN, "sync_overlap", "0"));
    p.putAll(extra);
    return new SourceContext(p, progress);
  }

  private FakeAmoCrmServer server(int leads) throws Exception {
    FakeAmoCrmServer s = new FakeAmoCrmServer(clock, 11, leads);
    s.longLivedToken = TOKEN;
    return s;
  }

  private static void sync(AmoCrmSync src, Store store, SourceContext ctx) throws SourceException {
    src.load(store, ctx);
  }

  @Test
  void fullSyncThroughFaultsEqualsTheServer() throws Exception {
    try (FakeAmoCrmServer server = server(2000); Store store = Store.inMemory()) {
      server.faults(0.15, 42);
      long t0 = System.nanoTime();
      SourceContext ctx = ctx(Map.of(), m -> System.err.println((System.nanoTime() - t0) / 1_000_000 + " ms " + m));
      sync(source(server, ctx), store, ctx);
      System.err.println("total " + (System.nanoTime() - t0) / 1_000_000 + " ms, requests " + server.log().size());
      assertTrue(server.faultsInjected.get() >= 5, "faults injected: " + server.faultsInjected.get());
      assertEquals(0, server.rateRejections.get(), "the limiter must keep us under 7 req/s");
      assertStoreEqualsServer(server, store);
      try (Connection c = store.connect(); Statement s = c.createStatement()) {
        assertEquals(0, scalar(s, "SELECT count(*) FROM crm.load_rejects"));
        assertEquals(7, scalar(s, "SELECT count(*) FROM crm.sync_state WHERE source = 'amocrm' AND status = 'ok'"));
        long maxUpdated = server.leads.values().stream().mapToLong(l -> l.get("updated_at").asLong()).max().orElseThrow();
        assertEquals(Long.toString(maxUpdated), string(s, "SELECT high_water_mark FROM crm.sync_state WHERE entity = 'deals'"));
        assertEquals(2000, scalar(s, "SELECT rows_total FROM crm.sync_state WHERE entity = 'deals'"));
      }
    }
  }

  @Test
  void theLimiterRunsAtSevenPerSecondAndAmoCrmNeverAnswers429() throws Exception {
    // time only twice as fast as real: the rate limit, not the store, sets the pace
    ScaledClock slow = new ScaledClock(2);
    try (FakeAmoCrmServer server = new FakeAmoCrmServer(slow, 13, 1200); Store store = Store.inMemory()) {
      server.longLivedToken = TOKEN;
      SourceContext ctx = ctx(Map.of(), null);
      long t0 = slow.nanoTime();
      sync(new AmoCrmSync(server.base(), ctx, slow, FAST), store, ctx);
      double seconds = (slow.nanoTime() - t0) / 1e9;
      int requests = server.log().size();
      long records = server.leads.size() + server.contacts.size() + server.companies.size() + server.tasks.size()
          + server.events.size();
      assertTrue(records > 4000, "records: " + records);
      assertEquals(0, server.rateRejections.get(), "no 429 over " + requests + " requests");
      assertEquals(7, server.peak, "7 requests in some second: the full rate is used");
      // 7 a second: request n (from 0) cannot start before second n / 7
      assertTrue(seconds >= (requests - 1) / 7, seconds + " s for " + requests + " requests");
      assertStoreEqualsServer(server, store);
    }
  }

  @Test
  void incrementalSyncFetchesOnlyWhatChanged() throws Exception {
    try (FakeAmoCrmServer server = server(800); Store store = Store.inMemory()) {
      SourceContext ctx = ctx(Map.of(), null);
      AmoCrmSync src = source(server, ctx);
      long t = FakeAmoCrmServer.T0 + 400 * 86400L;
      src.wall = java.time.Clock.fixed(Instant.ofEpochSecond(t - 86400), ZoneId.of("UTC"));
      sync(src, store, ctx);
      long oldHwm = server.leads.values().stream().mapToLong(l -> l.get("updated_at").asLong()).max().orElseThrow();
      long atOldHwm = server.leads.values().stream().filter(l -> l.get("updated_at").asLong() == oldHwm).count();
      long contactsHwm = server.contacts.values().stream().mapToLong(l -> l.get("updated_at").asLong()).max().orElseThrow();
      long contactsAtHwm = server.contacts.values().stream().filter(l -> l.get("updated_at").asLong() == contactsHwm).count();
      long eventsBefore = server.events.size();
      // a day after the first sync, 30 open leads are won and 3 leads are deleted
      src.wall = java.time.Clock.fixed(Instant.ofEpochSecond(t + 86400), ZoneId.of("UTC"));
      List<Long> open = server.leads.values().stream().filter(l -> l.get("closed_at").isNull())
          .map(l -> l.get("id").asLong()).limit(33).toList();
      long movedFromBoundary = 0;
      for (int i = 0; i < 30; i++) {
        movedFromBoundary += server.leads.get(open.get(i)).get("updated_at").asLong() == oldHwm ? 1 : 0;
        server.move(open.get(i), 142, t + i);
      }
      for (int i = 30; i < 33; i++) {
        server.delete(open.get(i), t + 100 + i);
      }
      server.clearLog();
      server.served.clear();
      sync(src, store, ctx);

      long leadRequests = server.log().stream().filter(c -> c.path().equals("/api/v4/leads")).count();
      assertEquals(1, leadRequests, "one page holds all changes");
      long changedOrAtBoundary = server.leads.values().stream().filter(l -> l.get("updated_at").asLong() >= oldHwm).count();
      assertTrue(changedOrAtBoundary >= 30 && changedOrAtBoundary <= 30 + atOldHwm - movedFromBoundary);
      assertEquals(changedOrAtBoundary, (long) server.served.get("/api/v4/leads"), "only changed leads plus the boundary second");
      assertEquals(contactsAtHwm, (long) server.served.get("/api/v4/contacts"), "no contact changed");
      assertEquals(33, server.served.get("/api/v4/events"), "30 moves + 3 deletions since the last window");
      assertEquals(eventsBefore + 33, server.events.size());
      assertStoreEqualsServer(server, store);
      try (Connection c = store.connect(); Statement s = c.createStatement()) {
        assertEquals(3, scalar(s, "SELECT count(*) FROM crm.deals WHERE is_deleted"));
        assertEquals(800, scalar(s, "SELECT count(*) FROM crm.deals"));
        // crm.deal_snapshots, as-of times on the account's wall clock (Moscow, +03:00): the 30 won deals
        // and the 3 deleted ones have their first interval closed at the second sync, the won ones a
        // second, open one; the other 767 one open interval from the first sync
        java.time.format.DateTimeFormatter f = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
        String first = "TIMESTAMP '" + f.format(LocalDateTime.ofInstant(Instant.ofEpochSecond(t - 86400), MSK)) + "'";
        String second = "TIMESTAMP '" + f.format(LocalDateTime.ofInstant(Instant.ofEpochSecond(t + 86400), MSK)) + "'";
        assertEquals(830, scalar(s, "SELECT count(*) FROM crm.deal_snapshots"));
        assertEquals(33, scalar(s, "SELECT count(*) FROM crm.deal_snapshots WHERE valid_from = " + first
            + " AND valid_to = " + second + " AND status = 'open'"));
        assertEquals(767, scalar(s, "SELECT count(*) FROM crm.deal_snapshots WHERE valid_from = " + first
            + " AND valid_to IS NULL"));
        assertEquals(30, scalar(s, "SELECT count(*) FROM crm.deal_snapshots WHERE valid_from = " + second
            + " AND valid_to IS NULL AND status = 'won'"));
        // amoCRM keeps neither an expected close date nor a probability
        assertEquals(0, scalar(s, "SELECT count(*) FROM crm.deals WHERE expected_close_date IS NOT NULL "
            + "OR probability IS NOT NULL"));
      }
    }
  }

  @Test
  void deletedAndRestoredContactsCompaniesAndTasksFollowTheEvents() throws Exception {
    try (FakeAmoCrmServer server = server(600); Store store = Store.inMemory()) {
      SourceContext ctx = ctx(Map.of(), null);
      AmoCrmSync src = source(server, ctx);
      long t = FakeAmoCrmServer.T0 + 400 * 86400L;
      src.wall = java.time.Clock.fixed(Instant.ofEpochSecond(t - 86400), ZoneId.of("UTC"));
      sync(src, store, ctx);
      List<Long> contacts = new ArrayList<>(server.contacts.keySet()).subList(0, 3);
      List<Long> companies = new ArrayList<>(server.companies.keySet()).subList(5, 7);
      List<Long> tasks = new ArrayList<>(server.tasks.keySet()).subList(10, 14);
      List<Long> leads = new ArrayList<>(server.leads.keySet()).subList(20, 22);
      contacts.forEach(id -> server.deleteContact(id, t + 1));
      companies.forEach(id -> server.deleteCompany(id, t + 2));
      tasks.forEach(id -> server.deleteTask(id, t + 3));
      leads.forEach(id -> server.delete(id, t + 4));
      src.wall = java.time.Clock.fixed(Instant.ofEpochSecond(t + 86400), ZoneId.of("UTC"));
      server.clearLog();
      server.served.clear();
      sync(src, store, ctx);

      assertEquals(3 + 2 + 4 + 2, server.served.get("/api/v4/events"), "the deletions come with the events page");
      assertEquals(8, server.log().size(), "account, pipelines, users, 4 entity scans, 1 events page: no extra request");
      assertStoreEqualsServer(server, store);
      try (Connection c = store.connect(); Statement s = c.createStatement()) {
        assertEquals(List.of(), rows(s, "SELECT contact_id FROM crm.contacts WHERE contact_id IN (" + quoted(contacts)
            + ") UNION ALL SELECT id FROM amocrm.contacts WHERE id IN (" + quoted(contacts) + ")"));
        assertEquals(List.of(), rows(s, "SELECT company_id FROM crm.companies WHERE company_id IN (" + quoted(companies)
            + ") UNION ALL SELECT id FROM amocrm.companies WHERE id IN (" + quoted(companies) + ")"));
        assertEquals(List.of(), rows(s, "SELECT activity_id FROM crm.activities WHERE activity_id IN (" + quoted(tasks)
            + ") UNION ALL SELECT id FROM amocrm.tasks WHERE id IN (" + quoted(tasks) + ")"));
        assertEquals(400 - 3, scalar(s, "SELECT count(*) FROM crm.contacts"));
        assertEquals(150 - 2, scalar(s, "SELECT count(*) FROM crm.companies"));
        assertEquals(leads.stream().map(String::valueOf).toList(),
            rows(s, "SELECT deal_id FROM crm.deals WHERE is_deleted ORDER BY deal_id"));
      }

      // a contact and a company come back; a restore keeps updated_at, so only the event tells
      server.restoreContact(contacts.get(1), t + 86400 + 10);
      server.restoreCompany(companies.get(0), t + 86400 + 11);
      src.wall = java.time.Clock.fixed(Instant.ofEpochSecond(t + 2 * 86400), ZoneId.of("UTC"));
      server.clearLog();
      server.served.clear();
      sync(src, store, ctx);

      assertEquals(2, server.served.get("/api/v4/events"));
      List<String> byId = server.log().stream().filter(x -> x.query().containsKey("filter[id][]"))
          .map(x -> x.path() + x.query().get("filter[id][]")).toList();
      assertEquals(List.of("/api/v4/companies[" + companies.get(0) + "]", "/api/v4/contacts[" + contacts.get(1) + "]"), byId,
          "the restored records are read by id, one request each kind");
      assertStoreEqualsServer(server, store);
      try (Connection c = store.connect(); Statement s = c.createStatement()) {
        assertEquals(400 - 2, scalar(s, "SELECT count(*) FROM crm.contacts"));
        assertEquals(150 - 1, scalar(s, "SELECT count(*) FROM crm.companies"));
        assertEquals(1, scalar(s, "SELECT count(*) FROM amocrm.companies WHERE id = '" + companies.get(0) + "'"));
      }
    }
  }

  private static String quoted(List<Long> ids) {
    return String.join(", ", ids.stream().map(id -> "'" + id + "'").toList());
  }

  @Test
  void crashMidSyncResumesWithoutGapsOrDuplicates() throws Exception {
    try (FakeAmoCrmServer server = server(1200); Store store = Store.inMemory()) {
      AtomicInteger dealPages = new AtomicInteger();
      SourceContext crashing = ctx(Map.of(), msg -> {
        if (msg.startsWith("amocrm deals:") && dealPages.incrementAndGet() == 3) {
          throw new IllegalStateException("simulated crash after 3 pages");
        }
      });
      assertThrows(IllegalStateException.class, () -> sync(source(server, crashing), store, crashing));
      long partial;
      try (Connection c = store.connect(); Statement s = c.createStatement()) {
        partial = scalar(s, "SELECT count(*) FROM crm.deals");
        assertEquals("failed", string(s, "SELECT status FROM crm.sync_state WHERE entity = 'deals'"));
        assertTrue(partial >= 500 && partial < 1200, "3 pages committed: " + partial);
      }
      server.served.clear();
      SourceContext ctx = ctx(Map.of(), null);
      sync(source(server, ctx), store, ctx);
      assertTrue(server.served.get("/api/v4/leads") < 1200, "resumed, not restarted: " + server.served.get("/api/v4/leads"));
      assertStoreEqualsServer(server, store);
      try (Connection c = store.connect(); Statement s = c.createStatement()) {
        assertEquals(1200, scalar(s, "SELECT count(DISTINCT deal_id) FROM crm.deals"));
        assertEquals(1200, scalar(s, "SELECT count(*) FROM crm.leads"));
        assertEquals(1200, scalar(s, "SELECT count(DISTINCT id) FROM amocrm.leads"));
      }
    }
  }

  @Test
  void oauthRefreshRotatesTokensAndPersistsThemFirst(@TempDir Path dir) throws Exception {
    try (FakeAmoCrmServer server = new FakeAmoCrmServer(clock, 5, 400); Store store = Store.inMemory()) {
      String initial = "ref-initial-SECRET-0001";
      server.refreshToken = initial;
      server.accessTokenLifetime = 10;
      Path tokens = dir.resolve("amo-tokens.json");
      Map<String, String> p = Map.of("client_id", "client-1", "client_secret", server.clientSecret,
          "refresh_token", initial, "token_store", tokens.toString(), "sync_overlap", "0");
      SourceContext ctx = SourceContext.of(p);
      sync(new AmoCrmSync(server.base(), ctx, clock, FAST), store, ctx);
      int afterFirst = server.refreshes;
      assertTrue(afterFirst >= 2, "access tokens expire every 10 requests: refreshed " + afterFirst);
      JsonNode saved = FakeAmoCrmServer.M.readTree(Files.readString(tokens));
      assertEquals(server.refreshToken, saved.get("refresh_token").asText(), "the newest refresh token is stored");
      assertTrue(server.usedRefreshTokens.contains(initial));
      try (Connection c = store.connect(); Statement s = c.createStatement()) {
        assertEquals(400, scalar(s, "SELECT count(*) FROM crm.deals"));
      }
      // a new process with the same (stale) properties works, because the token store is newer
      sync(new AmoCrmSync(server.base(), ctx, clock, FAST), store, ctx);
      assertTrue(server.refreshes > afterFirst);
      // without the store, the used-up refresh token is rejected; the message says so and hides it
      Map<String, String> noStore = new HashMap<>(p);
      noStore.put("token_store", dir.resolve("other.json").toString());
      SourceContext ctx2 = SourceContext.of(noStore);
      SourceException e = assertThrows(SourceException.class,
          () -> sync(new AmoCrmSync(server.base(), ctx2, clock, FAST), store, ctx2));
      assertTrue(e.getMessage().contains("token expired or revoked; refresh failed: HTTP 400"), e.getMessage());
      assertNoSecret(e, initial, server.clientSecret);
    }
  }

  @Test
  void secretsNeverAppearInErrorsOrSyncState() throws Exception {
    List<Throwable> errors = new ArrayList<>();
    try (FakeAmoCrmServer server = server(50); Store store = Store.inMemory()) {
      server.longLivedToken = "some-other-token";
      SourceContext ctx = ctx(Map.of(), null);
      SourceException e = assertThrows(SourceException.class, () -> sync(source(server, ctx), store, ctx));
      assertTrue(e.getMessage().startsWith("amoCRM GET /api/v4/account: HTTP 401"), e.getMessage());
      assertTrue(e.getMessage().contains("token expired or revoked"), e.getMessage());
      errors.add(e);
      server.longLivedToken = TOKEN;
      server.faults(1.0, 3); // every request fails
      AmoCrmSync few = new AmoCrmSync(server.base(), ctx, clock, FAST.withMaxAttempts(3));
      SourceException e2 = assertThrows(SourceException.class, () -> sync(few, store, ctx));
      assertTrue(e2.getMessage().contains("GET /api/v4/account: failed after 3 attempts"), e2.getMessage());
      errors.add(e2);
      server.faults(0, 3);
      // fails mid-way: the error lands in crm.sync_state, masked
      sync(source(server, ctx), store, ctx);
      server.longLivedToken = "rotated";
      store.execute("DELETE FROM crm.sync_state");
      errors.add(assertThrows(SourceException.class, () -> sync(source(server, ctx), store, ctx)));
    }
    // a closed port: connection refused
    FakeAmoCrmServer gone = server(1);
    gone.close();
    try (Store store = Store.inMemory()) {
      SourceContext ctx = ctx(Map.of(), null);
      SourceException e = assertThrows(SourceException.class,
          () -> sync(new AmoCrmSync(gone.base(), ctx, clock, FAST.withMaxAttempts(2)), store, ctx));
      assertTrue(e.getMessage().contains("connection refused"), e.getMessage());
      errors.add(e);
    }
    for (Throwable t : errors) {
      assertNoSecret(t, TOKEN);
    }
  }

  static void assertNoSecret(Throwable t, String... secrets) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    for (String s : secrets) {
      assertFalse(w.toString().contains(s), "secret leaked: " + w);
      assertFalse(String.valueOf(t.getMessage()).contains(s));
      assertFalse(t.toString().contains(s));
    }
  }

  // ---- expected rows, computed from the server's records -------------------------------------

  static String ts(JsonNode n) {
    return n == null || n.isNull() ? "null" : LocalDateTime.ofInstant(Instant.ofEpochSecond(n.asLong()), MSK)
        .format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
  }

  static String utm(ObjectNode l) {
    for (JsonNode f : l.path("custom_fields_values")) {
      if ("UTM_SOURCE".equals(f.path("field_code").asText())) {
        return f.path("values").get(0).path("value").asText();
      }
    }
    return null;
  }

  static void assertStoreEqualsServer(FakeAmoCrmServer server, Store store) throws Exception {
    List<String> expected = new ArrayList<>();
    long won = 0;
    for (ObjectNode l : server.leads.values()) {
      long st = l.get("status_id").asLong();
      String status = st == 142 ? "won" : st == 143 ? "lost" : "open";
      won += st == 142 ? 1 : 0;
      JsonNode comps = l.path("_embedded").path("companies");
      String u = utm(l);
      expected.add(String.join("|", l.get("id").asText(), l.get("name").asText(), l.get("pipeline_id").asText(),
          l.get("pipeline_id").asText() + ":" + st, status, l.get("price").asText() + ".00", "RUB",
          ts(l.get("created_at")), "open".equals(status) ? "null" : ts(l.get("closed_at")), ts(l.get("updated_at")),
          l.get("responsible_user_id").asText(), l.path("_embedded").path("contacts").get(0).get("id").asText(),
          comps.size() > 0 ? comps.get(0).get("id").asText() : "null", String.valueOf(u),
          u == null ? "unknown" : u.toLowerCase(), st == 143 ? "Too expensive" : "null"));
    }
    List<String> contacts = new ArrayList<>();
    for (ObjectNode c : server.contacts.values()) {
      JsonNode comps = c.path("_embedded").path("companies");
      contacts.add(String.join("|", c.get("id").asText(), c.get("name").asText(),
          c.get("custom_fields_values").get(1).get("values").get(0).get("value").asText(),
          c.get("custom_fields_values").get(0).get("values").get(0).get("value").asText(),
          comps.size() > 0 ? comps.get(0).get("id").asText() : "null", ts(c.get("updated_at"))));
    }
    Map<Long, String> firstFrom = new HashMap<>();
    Map<Long, Long> firstAt = new HashMap<>();
    long statusEvents = 0;
    for (ObjectNode e : server.events) {
      if (!e.get("type").asText().equals("lead_status_changed") || !server.leads.containsKey(e.get("entity_id").asLong())) {
        continue;
      }
      statusEvents++;
      long id = e.get("entity_id").asLong();
      long at = e.get("created_at").asLong();
      if (!firstAt.containsKey(id) || at < firstAt.get(id)) {
        firstAt.put(id, at);
        JsonNode b = e.get("value_before").get(0).get("lead_status");
        firstFrom.put(id, b.get("pipeline_id").asText() + ":" + b.get("id").asText());
      }
    }
    List<String> creations = new ArrayList<>();
    for (ObjectNode l : server.leads.values()) {
      long id = l.get("id").asLong();
      creations.add(id + "|" + firstFrom.getOrDefault(id, l.get("pipeline_id").asText() + ":" + l.get("status_id").asText())
          + "|" + ts(l.get("created_at")));
    }
    try (Connection c = store.connect(); Statement s = c.createStatement()) {
      assertSameRows(expected, rows(s, "SELECT concat_ws('|', deal_id, title, pipeline_id, stage_id, status, amount, currency, "
          + "created_at, coalesce(CAST(closed_at AS VARCHAR), 'null'), updated_at, owner_user_id, contact_id, "
          + "coalesce(company_id, 'null'), coalesce(utm_source, 'null'), channel, coalesce(loss_reason, 'null')) "
          + "FROM crm.deals WHERE NOT is_deleted ORDER BY CAST(deal_id AS BIGINT)"));
      assertSameRows(contacts, rows(s, "SELECT concat_ws('|', contact_id, name, email, phone, coalesce(company_id, 'null'), "
          + "updated_at) FROM crm.contacts ORDER BY CAST(contact_id AS BIGINT)"));
      assertSameRows(creations, rows(s, "SELECT concat_ws('|', h.deal_id, to_stage_id, changed_at) FROM crm.deal_stage_history h "
          + "JOIN crm.deals d USING (deal_id) WHERE from_stage_id IS NULL AND NOT d.is_deleted ORDER BY CAST(h.deal_id AS BIGINT)"));
      assertEquals(statusEvents, scalar(s, "SELECT count(*) FROM crm.deal_stage_history h JOIN crm.deals d USING (deal_id) "
          + "WHERE from_stage_id IS NOT NULL AND NOT d.is_deleted"));
      assertEquals(0, scalar(s, "SELECT count(*) FROM crm.deal_stage_history WHERE is_inferred"));
      assertEquals(server.leads.size(), scalar(s, "SELECT count(*) FROM crm.custom_fields f JOIN crm.deals d ON d.deal_id = f.entity_id WHERE entity = 'deal' AND field_id = '777' AND NOT d.is_deleted"));
      assertEquals(server.tasks.size(), scalar(s, "SELECT count(*) FROM crm.activities"));
      assertEquals(server.tasks.values().stream().filter(t -> t.get("created_by").asLong() == 0).count(),
          scalar(s, "SELECT count(*) FROM crm.activities WHERE is_automated"));
      assertEquals(server.companies.size(), scalar(s, "SELECT count(*) FROM crm.companies"));
      assertEquals(8, scalar(s, "SELECT count(*) FROM crm.users"));
      assertEquals(1, scalar(s, "SELECT count(*) FROM crm.users WHERE NOT is_active"));
      assertEquals(9, scalar(s, "SELECT count(*) FROM crm.stages"), "3 + 2 open stages and won/lost in each of 2 pipelines");
      assertEquals(2, scalar(s, "SELECT count(*) FROM crm.stages WHERE kind = 'won'"));
      assertEquals(won, scalar(s, "SELECT count(*) FROM crm.orders"), "orders = won, not deleted deals");
      assertEquals(won, scalar(s, "SELECT count(*) FROM crm.deals WHERE status = 'won' AND amount_base = amount AND NOT is_deleted"));
    }
  }

  /** Row-by-row comparison with a short message (the first difference), not a dump of thousands of rows. */
  static void assertSameRows(List<String> expected, List<String> actual) {
    for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
      assertEquals(expected.get(i), actual.get(i), "row " + i);
    }
    assertEquals(expected.size(), actual.size(), "row count");
  }

  /**
   * The big lists link a next page from every page, the last one too: the client stops at a short
   * page. 600 leads with distinct updated_at, 250 a page: 250, then from the 250th's time 250 (one
   * seen again), then the last 102 (short: the end) = 3 requests; 400 contacts: 250 + 151 = 2;
   * 150 companies: 1; no tasks: one 204; events (100 a page): the matching ones / 100 + 1.
   */
  @Test
  void aFirstSyncStopsEachListAtItsShortPage() throws Exception {
    try (FakeAmoCrmServer server = server(1); Store store = Store.inMemory()) {
      server.leads.clear();
      server.events.clear();
      server.tasks.clear();
      for (int i = 1; i <= 600; i++) {
        ObjectNode l = server.newLead(40_000L + i, FakeAmoCrmServer.T0 + i * 1000L);
        l.put("updated_at", FakeAmoCrmServer.T0 + 10_000_000L + i);
        server.leads.put(40_000L + i, l);
      }
      long events = server.events.stream().filter(e -> AmoCrmSync.EVENT_TYPES.contains(e.get("type").asText())).count();
      assertTrue(events > 300 && server.events.size() > events, "status events " + events + " and lead_added ones");
      SourceContext ctx = ctx(Map.of(), null);
      AmoCrmSync src = source(server, ctx);
      src.wall = java.time.Clock.fixed(Instant.ofEpochSecond(FakeAmoCrmServer.T0 + 400 * 86400L), ZoneId.of("UTC"));
      sync(src, store, ctx);
      Map<String, Long> byPath = new java.util.TreeMap<>();
      server.log().forEach(c -> byPath.merge(c.path(), 1L, Long::sum));
      assertEquals(Map.of("/api/v4/account", 1L, "/api/v4/leads/pipelines", 1L, "/api/v4/users", 1L,
          "/api/v4/companies", 1L, "/api/v4/contacts", 2L, "/api/v4/leads", 3L, "/api/v4/tasks", 1L,
          "/api/v4/events", events / 100 + 1), byPath);
      assertStoreEqualsServer(server, store);

      // a day later, nothing changed: one request per list (each answers the records at its mark: short)
      src.wall = java.time.Clock.fixed(Instant.ofEpochSecond(FakeAmoCrmServer.T0 + 401 * 86400L), ZoneId.of("UTC"));
      server.clearLog();
      sync(src, store, ctx);
      byPath.clear();
      server.log().forEach(c -> byPath.merge(c.path(), 1L, Long::sum));
      assertEquals(Map.of("/api/v4/account", 1L, "/api/v4/leads/pipelines", 1L, "/api/v4/users", 1L,
          "/api/v4/companies", 1L, "/api/v4/contacts", 1L, "/api/v4/leads", 1L, "/api/v4/tasks", 1L,
          "/api/v4/events", 1L), byPath);
      assertStoreEqualsServer(server, store);
    }
  }

  @Test
  void aRefusedRequestNamesWhatAmoCrmFoundWrong() throws Exception {
    try (FakeAmoCrmServer server = server(10); Store store = Store.inMemory()) {
      SourceContext ctx = ctx(Map.of("page_limit", "300"), null);
      SourceException e = assertThrows(SourceException.class, () -> sync(source(server, ctx), store, ctx));
      assertTrue(e.getMessage().contains("HTTP 400") && e.getMessage().contains(
          "the request was refused (limit: The value must be less than or equal to 250)"), e.getMessage());
    }
  }

  /**
   * Leads created at local times of the account's zone (Moscow: +03:00 all year; Berlin: +01:00 in
   * winter, +02:00 in summer): 2024-02-29 23:30, 2024-03-01 00:00, 2024-06-30 23:59:59,
   * 2024-07-01 00:00, 2024-07-31 23:59:59. By month in the account's zone: Feb 1, Mar 1, Jun 1, Jul 2.
   * Read in UTC instead, the three local midnights-ish move back: Feb 2, Jun 2, Jul 1.
   */
  @Test
  void timesAreInTheAccountsZoneFromEmbeddedDatetimeSettings() throws Exception {
    String[] local = {"2024-02-29T23:30:00", "2024-03-01T00:00:00", "2024-06-30T23:59:59", "2024-07-01T00:00:00",
        "2024-07-31T23:59:59"};
    for (String zoneId : List.of("Europe/Moscow", "Europe/Berlin")) {
      ZoneId zone = ZoneId.of(zoneId);
      for (boolean utc : new boolean[] {false, true}) {
        try (FakeAmoCrmServer server = server(1); Store store = Store.inMemory()) {
          server.accountZone = zoneId;
          server.leads.clear();
          server.events.clear();
          server.tasks.clear();
          for (int i = 0; i < local.length; i++) {
            long at = LocalDateTime.parse(local[i]).atZone(zone).toEpochSecond();
            server.leads.put(30_000L + i, server.newLead(30_000L + i, at));
          }
          SourceContext ctx = ctx(utc ? Map.of("timezone", "UTC") : Map.of(), null);
          sync(source(server, ctx), store, ctx);
          try (Connection c = store.connect(); Statement s = c.createStatement()) {
            String months = String.join(" ", rows(s, "SELECT m || '=' || count(*) FROM (SELECT strftime(created_at, '%Y-%m') AS m "
                + "FROM crm.deals) GROUP BY m ORDER BY m"));
            assertEquals(utc ? "2024-02=2 2024-06=2 2024-07=1" : "2024-02=1 2024-03=1 2024-06=1 2024-07=2", months,
                zoneId + (utc ? " read in UTC" : ""));
            assertEquals(utc ? "UTC" : zoneId, string(s, "SELECT value FROM util.store_info WHERE key = 'timezone'"));
            String midnight = string(s, "SELECT CAST(created_at AS VARCHAR) FROM crm.deals WHERE deal_id = '30003'");
            String expected = utc ? LocalDateTime.parse(local[3]).atZone(zone).withZoneSameInstant(ZoneId.of("UTC"))
                .toLocalDateTime().toString().replace('T', ' ') + ":00" : "2024-07-01 00:00:00";
            assertEquals(expected, midnight);
          }
          // the account was asked for its datetime_settings, as the API wants
          assertTrue(server.log().stream().anyMatch(x -> x.path().equals("/api/v4/account")
              && "datetime_settings".equals(x.q("with"))));
        }
      }
    }
  }

  static long scalar(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static String string(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  static List<String> rows(Statement s, String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
