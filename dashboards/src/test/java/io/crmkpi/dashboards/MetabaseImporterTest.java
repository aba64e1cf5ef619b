package io.crmkpi.dashboards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Metabase import against a local server that implements the endpoints it calls and rejects bodies that
 * Metabase would reject (shapes from metabase/metabase master, late 2025: queries_rest/api/card.clj
 * CardCreateSchema — name, dataset_query map, display, visualization_settings map; dashboards_rest/api.clj
 * PUT /api/dashboard/:id — dashcards with id, card_id, row, col, size_x, size_y positive, parameter_mappings
 * {parameter_id, card_id, target}; API keys in x-api-key since 0.49).
 */
class MetabaseImporterTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "mb_Secret-key-123";

  private HttpServer server;
  private final Map<Integer, ObjectNode> collections = new LinkedHashMap<>();
  private final Map<Integer, ObjectNode> cards = new LinkedHashMap<>();
  private final Map<Integer, ObjectNode> dashboards = new LinkedHashMap<>();
  private final List<String> writes = new ArrayList<>();
  private int nextId = 100;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/", this::handle);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange x) throws IOException {
    String m = x.getRequestMethod();
    String p = x.getRequestURI().getPath();
    JsonNode body = "GET".equals(m) ? null : JSON.readTree(x.getRequestBody().readAllBytes());
    try {
      if (!KEY.equals(x.getRequestHeaders().getFirst("x-api-key"))) {
        answer(x, 401, "Unauthenticated");
        return;
      }
      if (!"GET".equals(m)) {
        writes.add(m + " " + p);
      }
      Object r = route(m, p, body);
      if (r == null) {
        answer(x, 404, "{\"message\":\"Not found.\"}");
      } else {
        answer(x, 200, JSON.writeValueAsString(r));
      }
    } catch (IllegalArgumentException e) {
      answer(x, 400, JSON.writeValueAsString(Map.of("errors", Map.of("body", e.getMessage()))));
    }
  }

  private Object route(String m, String p, JsonNode body) {
    String[] s = p.split("/"); // "", "api", kind, id, more
    switch (m + " " + s[2] + (s.length > 3 ? "/:id" : "") + (s.length > 4 ? "/" + s[4] : "")) {
      case "GET database":
        return Map.of("data", List.of(Map.of("id", 1, "name", "Sample Database"), Map.of("id", 7, "name", "crmkpi")));
      case "GET collection":
        return new ArrayList<>(collections.values());
      case "POST collection": {
        require(body, "name");
        ObjectNode c = ((ObjectNode) body.deepCopy()).put("id", nextId++);
        collections.put(c.get("id").asInt(), c);
        return c;
      }
      case "GET collection/:id/items": {
        int id = Integer.parseInt(s[3]);
        ArrayNode data = JSON.createArrayNode();
        cards.values().stream().filter(c -> c.path("collection_id").asInt() == id)
            .forEach(c -> data.addObject().put("id", c.get("id").asInt()).put("name", c.get("name").asText()).put("model", "card"));
        dashboards.values().stream().filter(c -> c.path("collection_id").asInt() == id)
            .forEach(c -> data.addObject().put("id", c.get("id").asInt()).put("name", c.get("name").asText()).put("model", "dashboard"));
        return Map.of("data", data, "total", data.size());
      }
      case "POST card": {
        checkCard(body);
        ObjectNode c = ((ObjectNode) body.deepCopy()).put("id", nextId++);
        cards.put(c.get("id").asInt(), c);
        return c;
      }
      case "PUT card/:id": {
        checkCard(body);
        ObjectNode c = cards.get(Integer.parseInt(s[3]));
        c.setAll((ObjectNode) body);
        return c;
      }
      case "POST dashboard": {
        require(body, "name");
        ObjectNode d = ((ObjectNode) body.deepCopy()).put("id", nextId++);
        d.putArray("dashcards");
        dashboards.put(d.get("id").asInt(), d);
        return d;
      }
      case "GET dashboard/:id":
        return dashboards.get(Integer.parseInt(s[3]));
      case "PUT dashboard/:id": {
        ObjectNode d = dashboards.get(Integer.parseInt(s[3]));
        if (body.has("dashcards")) {
          ArrayNode kept = JSON.createArrayNode();
          for (JsonNode dc : body.get("dashcards")) {
            for (String k : List.of("row", "col")) {
              if (!dc.path(k).isInt() || dc.path(k).asInt() < 0) {
                throw new IllegalArgumentException("dashcard " + k + " must be an integer >= 0");
              }
            }
            for (String k : List.of("id", "size_x", "size_y")) {
              if (!dc.path(k).isInt() || ("id".equals(k) ? dc.path(k).asInt() == 0 : dc.path(k).asInt() < 1)) {
                throw new IllegalArgumentException("dashcard " + k + " must be a (positive) integer");
              }
            }
            if (!cards.containsKey(dc.path("card_id").asInt())) {
              throw new IllegalArgumentException("no card " + dc.path("card_id"));
            }
            for (JsonNode pm : dc.path("parameter_mappings")) {
              require(pm, "parameter_id");
              assertEquals(dc.path("card_id"), pm.path("card_id"));
              assertEquals("variable", pm.path("target").path(0).asText());
              String tag = pm.path("target").path(1).path(1).asText();
              assertTrue(cards.get(dc.path("card_id").asInt()).path("dataset_query").path("native")
                  .path("template-tags").has(tag), "mapped to a tag the card has: " + tag);
              boolean declared = false;
              for (JsonNode par : d.path("parameters")) {
                declared |= par.path("id").asText().equals(pm.path("parameter_id").asText());
              }
              assertTrue(declared, "mapped to a dashboard parameter");
            }
            ObjectNode copy = dc.deepCopy();
            if (copy.get("id").asInt() < 0) {
              copy.put("id", nextId++); // negative id: Metabase creates the dashcard
            }
            kept.add(copy);
          }
          d.set("dashcards", kept);
        } else {
          d.setAll((ObjectNode) body);
        }
        return d;
      }
      default:
        return null;
    }
  }

  private static void require(JsonNode body, String... keys) {
    for (String k : keys) {
      if (body == null || !body.hasNonNull(k)) {
        throw new IllegalArgumentException(k + " is required");
      }
    }
  }

  private static void checkCard(JsonNode body) {
    require(body, "name", "dataset_query", "display", "visualization_settings");
    if (!body.get("dataset_query").isObject() || !body.get("visualization_settings").isObject()) {
      throw new IllegalArgumentException("dataset_query and visualization_settings must be maps");
    }
    JsonNode q = body.get("dataset_query");
    assertEquals("native", q.path("type").asText());
    assertEquals(7, q.path("database").asInt(), "the crmkpi database's id");
    String sql = q.path("native").path("query").asText();
    q.path("native").path("template-tags").fields().forEachRemaining(e -> {
      assertTrue(sql.contains("{{" + e.getKey() + "}}"), "tag in the SQL: " + e.getKey());
      assertEquals(e.getKey(), e.getValue().path("name").asText());
      assertTrue(List.of("date", "text").contains(e.getValue().path("type").asText()));
    });
  }

  private static void answer(HttpExchange x, int code, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().add("Content-Type", "application/json");
    x.sendResponseHeaders(code, b.length);
    x.getResponseBody().write(b);
    x.close();
  }

  private MetabaseImporter.Summary run(String key, boolean dryRun, ByteArrayOutputStream out) throws Exception {
    return new MetabaseImporter(url(), key, dryRun, new PrintStream(out, true, StandardCharsets.UTF_8))
        .importAll(DashboardCatalog.bundled(), "crmkpi", "CRM KPIs", LocalDate.of(2026, 12, 7));
  }

  @Test
  void aSecondImportUpdatesInPlaceAndCreatesNothing() throws Exception {
    MetabaseImporter.Summary first = run(KEY, false, new ByteArrayOutputStream());
    assertEquals(1 + 30 + 6, first.created(), "a collection, 30 questions, 6 dashboards");
    assertEquals(0, first.updated());
    Map<Integer, String> dashcardIds = new LinkedHashMap<>();
    dashboards.values().forEach(d -> d.get("dashcards").forEach(dc -> dashcardIds.put(dc.get("id").asInt(), d.get("name").asText())));
    assertEquals(30, dashcardIds.size());

    MetabaseImporter.Summary second = run(KEY, false, new ByteArrayOutputStream());
    assertEquals(0, second.created());
    assertEquals(30 + 6, second.updated());
    assertEquals(1, collections.size());
    assertEquals(30, cards.size());
    assertEquals(6, dashboards.size());
    Map<Integer, String> again = new LinkedHashMap<>();
    dashboards.values().forEach(d -> d.get("dashcards").forEach(dc -> again.put(dc.get("id").asInt(), d.get("name").asText())));
    assertEquals(dashcardIds, again, "the dashcards kept their ids");

    // the Sales funnel's revenue-by-manager question: a stacked bar wired to the period and manager filters
    ObjectNode q = cards.values().stream().filter(c -> c.get("name").asText().equals("Sales funnel · Revenue by manager"))
        .findFirst().orElseThrow();
    assertEquals("bar", q.get("display").asText());
    assertEquals("stacked", q.get("visualization_settings").get("stackable.stack_type").asText());
    assertEquals("[\"period_start\",\"owner_name\"]", q.get("visualization_settings").get("graph.dimensions").toString());
    JsonNode tags = q.get("dataset_query").get("native").get("template-tags");
    assertEquals("2026-01-01", tags.get("period_from").get("default").asText());
    assertEquals("2027-01-01", tags.get("period_to").get("default").asText());
    assertEquals("text", tags.get("manager").get("type").asText());
    assertFalse(tags.has("pipeline"), "the card has no pipeline column");

    // Pipeline & plan: the stale-deal list is a table with the pipeline and manager tags and no dates; the
    // forecast runs from the period's start on (a period_from tag, no period_to)
    ObjectNode stale = cards.values().stream()
        .filter(c -> c.get("name").asText().equals("Pipeline & plan · Stale deals — the 20 biggest")).findFirst().orElseThrow();
    assertEquals("table", stale.get("display").asText());
    assertEquals(List.of("manager", "pipeline"), names(stale.get("dataset_query").get("native").get("template-tags")));
    ObjectNode forecast = cards.values().stream()
        .filter(c -> c.get("name").asText().equals("Pipeline & plan · Forecast by expected close month")).findFirst()
        .orElseThrow();
    assertEquals("bar", forecast.get("display").asText());
    assertEquals(List.of("manager", "period_from", "pipeline"),
        names(forecast.get("dataset_query").get("native").get("template-tags")));
  }

  private static List<String> names(JsonNode object) {
    List<String> out = new java.util.ArrayList<>();
    object.fieldNames().forEachRemaining(out::add);
    return out.stream().sorted().toList();
  }

  @Test
  void aDryRunPrintsTheWritesAndSendsNone() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    run(KEY, true, out);
    assertTrue(writes.isEmpty(), "writes sent: " + writes);
    String printed = out.toString(StandardCharsets.UTF_8);
    assertEquals(30, printed.lines().filter(l -> l.startsWith("POST /api/card {")).count());
    assertEquals(6, printed.lines().filter(l -> l.startsWith("POST /api/dashboard {")).count());
    assertFalse(printed.contains(KEY), "the API key is never printed");
  }

  @Test
  void metabaseErrorsAreOneLine() {
    Exception bad = assertThrows(IOException.class, () -> run("wrong", false, new ByteArrayOutputStream()));
    assertEquals("Metabase answered GET /api/database with 401 (is the API key right?): Unauthenticated", bad.getMessage());
    Exception unknown = assertThrows(IOException.class, () -> new MetabaseImporter(url(), KEY, false, System.out)
        .importAll(DashboardCatalog.bundled(), "CRM", "CRM KPIs", LocalDate.of(2026, 12, 7)));
    assertEquals("Metabase has no database named 'CRM' (it has: Sample Database, crmkpi); add crmkpi in Admin settings,"
        + " Databases first", unknown.getMessage());
  }
}
