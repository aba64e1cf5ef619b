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

  @Test
  void fullSyncThroughFaultsUnderTheLeakyBucketEqualsThePortal() throws Exception {
    try (FakeBitrix24Server server = new FakeBitrix24Server(clock, 3, 700); Store store = Store.inMemory()) {
      server.faults(0.1, 9);
      SourceContext ctx = ctx();
      source(server, FakeBitrix24Server.CODE, ctx).load(store, ctx);
      assertEquals(0, server.rateRejections.get(), "more than 50 requests, yet never over the bucket");
      assertTrue(server.log().size() > 60, "requests: " + server.log().size());
      assertTrue(server.faultsInjected.get() >= 3, "faults: " + server.faultsInjected.get());
      assertPortalEqualsStore(server, store);
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
      assertEquals(20, (int) server.served.get("crm.deal.list"), "only the 20 won deals");
      assertEquals(1, server.log().stream().filter(c -> c.path().endsWith("crm.deal.list")).count());
      assertEquals(20, (int) server.served.get("crm.stagehistory.list"), "20 new history rows");
      assertEquals(0, (int) server.served.getOrDefault("crm.contact.list", 0));
      assertPortalEqualsStore(server, store);
    }
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
      assertTrue(e2.getMessage().contains("insufficient_scope; the webhook lacks scope crm"), e2.getMessage());
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

  static String ts(String iso) {
    return OffsetDateTime.parse(iso).atZoneSameInstant(ZONE).toLocalDateTime()
        .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
  }

  static void assertPortalEqualsStore(FakeBitrix24Server server, Store store) throws Exception {
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
          + "ORDER BY CAST(deal_id AS BIGINT)"));
      assertSameRows(history, rows(s, "SELECT concat_ws('|', deal_id, coalesce(from_stage_id, 'null'), to_stage_id, changed_at) "
          + "FROM crm.deal_stage_history ORDER BY 1"));
      assertEquals(List.of("APOLOGY|lost", "C1:LOSE|lost", "C1:NEW|open", "C1:WON|won", "EXECUTING|open", "LOSE|lost",
          "NEW|open", "PREPARATION|open", "WON|won"), rows(s, "SELECT stage_id || '|' || kind FROM crm.stages ORDER BY 1"));
      assertEquals(server.contacts.size(), scalar(s, "SELECT count(*) FROM crm.contacts WHERE email LIKE 'p%@example.com'"));
      assertEquals(server.deals.values().stream().filter(d -> !d.get("UF_CRM_1704817278").isNull()).count(),
          scalar(s, "SELECT count(*) FROM crm.custom_fields WHERE field_id = 'UF_CRM_1704817278' AND value = 'VIP'"));
      assertEquals(2, scalar(s, "SELECT count(*) FROM crm.users WHERE is_active"));
      assertEquals(0, scalar(s, "SELECT count(*) FROM crm.load_rejects"));
      assertEquals(7, scalar(s, "SELECT count(*) FROM crm.sync_state WHERE source = 'bitrix24' AND status = 'ok'"));
    }
  }
}
