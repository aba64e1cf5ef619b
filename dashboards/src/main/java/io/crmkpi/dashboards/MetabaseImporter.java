package io.crmkpi.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Imports the dashboards into Metabase through its REST API (open-source Metabase, API key auth, 0.49+):
 * a collection, one native-SQL question per card with template tags for the filters, and a dashboard per
 * definition whose filters are wired to those tags. Idempotent: questions and dashboards are found by name in
 * the collection and updated in place; dashcards keep their ids. Request shapes follow metabase/metabase
 * {@code src/metabase/queries_rest/api/card.clj} (POST/PUT /api/card) and
 * {@code src/metabase/dashboards_rest/api.clj} (PUT /api/dashboard/:id with the whole {@code dashcards} list;
 * the deprecated PUT /api/dashboard/:id/cards is not used).
 */
public final class MetabaseImporter {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String base;
  private final String apiKey;
  private final boolean dryRun;
  private final PrintStream out;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private int fakeIds = -1;

  /** Counts of what an import did. */
  public record Summary(int created, int updated) { }

  /**
   * @param url Metabase's address, e.g. http://localhost:3000
   * @param apiKey an API key (Admin settings, Authentication, API keys); sent as x-api-key, never printed
   * @param dryRun read what exists, print the writes instead of sending them
   * @param out where progress and dry-run requests go
   */
  public MetabaseImporter(String url, String apiKey, boolean dryRun, PrintStream out) {
    this.base = url.replaceAll("/+$", "");
    this.apiKey = apiKey;
    this.dryRun = dryRun;
    this.out = out;
  }

  /** Imports {@code dashboards} into collection {@code collection}, querying Metabase database {@code database}. */
  public Summary importAll(List<Dashboard> dashboards, String database, String collection, LocalDate today)
      throws IOException, InterruptedException {
    int created = 0;
    int updated = 0;
    int databaseId = databaseId(database);
    Integer collectionId = null;
    for (JsonNode c : items(get("/api/collection"))) {
      if (collection.equals(c.path("name").asText()) && !c.path("archived").asBoolean(false) && c.path("id").isInt()) {
        collectionId = c.path("id").asInt();
      }
    }
    if (collectionId == null) {
      ObjectNode body = JSON.createObjectNode().put("name", collection)
          .put("description", "CRM KPI dashboards bundled with crmkpi (re-import to update; edits here are replaced)");
      collectionId = write("POST", "/api/collection", body).path("id").asInt();
      created++;
    }
    Map<String, Integer> existing = new HashMap<>();
    for (JsonNode i : items(get("/api/collection/" + collectionId + "/items"))) {
      existing.put(i.path("model").asText() + ":" + i.path("name").asText(), i.path("id").asInt());
    }
    for (Dashboard d : dashboards) {
      Map<String, Object> defaults = FilterValues.defaults(d, today);
      Map<String, Integer> cardIds = new HashMap<>();
      for (Card card : d.cards()) {
        ObjectNode body = card(d, card, databaseId, collectionId, defaults);
        Integer id = existing.get("card:" + body.path("name").asText());
        if (id == null) {
          id = write("POST", "/api/card", body).path("id").asInt();
          created++;
        } else {
          write("PUT", "/api/card/" + id, body);
          updated++;
        }
        cardIds.put(card.id(), id);
      }
      ObjectNode dash = JSON.createObjectNode().put("name", d.title()).put("description", d.description());
      dash.set("parameters", parameters(d, defaults));
      Integer dashId = existing.get("dashboard:" + d.title());
      Map<Integer, Integer> dashcardByCard = new HashMap<>();
      if (dashId == null) {
        dash.put("collection_id", collectionId);
        dashId = write("POST", "/api/dashboard", dash).path("id").asInt();
        created++;
      } else {
        write("PUT", "/api/dashboard/" + dashId, dash);
        updated++;
        for (JsonNode dc : get("/api/dashboard/" + dashId).path("dashcards")) {
          if (dc.path("card_id").isInt()) {
            dashcardByCard.put(dc.path("card_id").asInt(), dc.path("id").asInt());
          }
        }
      }
      ArrayNode dashcards = JSON.createArrayNode();
      int next = -1;
      for (Card card : d.cards()) {
        int cardId = cardIds.get(card.id());
        ObjectNode dc = dashcards.addObject();
        dc.put("id", dashcardByCard.getOrDefault(cardId, next--)); // negative: create
        dc.put("card_id", cardId);
        dc.put("row", card.position().row());
        dc.put("col", card.position().col());
        dc.put("size_x", card.position().width());
        dc.put("size_y", card.position().height());
        ArrayNode mappings = dc.putArray("parameter_mappings");
        for (Filter f : d.filters()) {
          for (String v : f.variables()) {
            if (card.sql().contains("{{" + v + "}}")) {
              ObjectNode m = mappings.addObject();
              m.put("parameter_id", id(d.name() + "/" + v));
              m.put("card_id", cardId);
              m.set("target", JSON.readTree("[\"variable\", [\"template-tag\", \"" + v + "\"]]"));
            }
          }
        }
        dc.set("visualization_settings", visualization(card));
      }
      write("PUT", "/api/dashboard/" + dashId, JSON.createObjectNode().set("dashcards", dashcards));
      out.println("metabase: " + d.title() + ": " + d.cards().size() + " questions");
    }
    return new Summary(created, updated);
  }

  private int databaseId(String name) throws IOException, InterruptedException {
    List<String> names = new ArrayList<>();
    for (JsonNode db : items(get("/api/database"))) {
      if (name.equals(db.path("name").asText())) {
        return db.path("id").asInt();
      }
      names.add(db.path("name").asText());
    }
    throw new IOException("Metabase has no database named '" + name + "' (it has: " + String.join(", ", names)
        + "); add crmkpi in Admin settings, Databases first");
  }

  /** The question's body (CardCreateSchema: name, dataset_query, display, visualization_settings required). */
  static ObjectNode card(Dashboard d, Card card, int databaseId, int collectionId, Map<String, Object> defaults) {
    ObjectNode body = JSON.createObjectNode();
    body.put("name", d.title() + " · " + card.title());
    body.put("type", "question");
    body.put("description", card.question());
    body.put("display", display(card));
    body.put("collection_id", collectionId);
    ObjectNode q = body.putObject("dataset_query");
    q.put("type", "native");
    q.put("database", databaseId);
    ObjectNode nat = q.putObject("native");
    nat.put("query", card.sql());
    ObjectNode tags = nat.putObject("template-tags");
    for (Filter f : d.filters()) {
      for (String v : f.variables()) {
        if (card.sql().contains("{{" + v + "}}")) {
          ObjectNode t = tags.putObject(v);
          t.put("id", id(d.name() + "/" + card.id() + "/" + v));
          t.put("name", v);
          t.put("display-name", label(f, v));
          t.put("type", f.isDateRange() ? "date" : "text");
          if (defaults.get(v) != null) {
            t.put("default", defaults.get(v).toString());
            t.put("required", true);
          }
        }
      }
    }
    body.set("visualization_settings", visualization(card));
    return body;
  }

  static String label(Filter f, String variable) {
    return f.isDateRange() ? f.label() + (variable.endsWith("_from") ? " from" : " until (exclusive)") : f.label();
  }

  private static ArrayNode parameters(Dashboard d, Map<String, Object> defaults) {
    ArrayNode ps = JSON.createArrayNode();
    for (Filter f : d.filters()) {
      for (String v : f.variables()) {
        ObjectNode p = ps.addObject();
        p.put("id", id(d.name() + "/" + v));
        p.put("name", label(f, v));
        p.put("slug", v);
        p.put("type", f.isDateRange() ? "date/single" : "category");
        if (defaults.get(v) != null) {
          p.put("default", defaults.get(v).toString());
        }
      }
    }
    return ps;
  }

  static String display(Card card) {
    return switch (card.chart()) {
      case "line" -> "line";
      case "bar", "stacked_bar" -> "bar";
      case "funnel" -> card.series() == null ? "funnel" : "bar"; // Metabase's funnel has no series: bars per pipeline
      default -> "table"; // heatmap, number tiles with trend, table: Metabase shows the rows
    };
  }

  static ObjectNode visualization(Card card) {
    ObjectNode v = JSON.createObjectNode();
    String display = display(card);
    if ("funnel".equals(display)) {
      v.put("funnel.dimension", card.x());
      v.put("funnel.metric", card.y().get(0));
    } else if (!"table".equals(display)) {
      ArrayNode dims = v.putArray("graph.dimensions");
      dims.add(card.x());
      if (card.series() != null) {
        dims.add(card.series());
      }
      ArrayNode metrics = v.putArray("graph.metrics");
      card.y().forEach(metrics::add);
      if ("stacked_bar".equals(card.chart())) {
        v.put("stackable.stack_type", "stacked");
      }
    }
    ObjectNode columns = v.putObject("column_settings");
    for (String c : card.columns()) {
      String f = card.formatOf(c);
      ObjectNode s = JSON.createObjectNode();
      switch (f) {
        case "percent" -> s.put("number_style", "percent");
        case "money" -> s.put("number_style", "decimal").put("decimals", 0);
        case "days" -> s.put("suffix", " d").put("decimals", 1);
        case "minutes" -> s.put("suffix", " min").put("decimals", 0);
        default -> { }
      }
      if (!s.isEmpty()) {
        columns.set("[\"name\",\"" + c + "\"]", s);
      }
    }
    return v;
  }

  /** Stable ids: the same definition gives the same tag and parameter ids on every import. */
  static String id(String key) {
    return UUID.nameUUIDFromBytes(("crmkpi/" + key).getBytes(StandardCharsets.UTF_8)).toString().substring(0, 8);
  }

  private static Iterable<JsonNode> items(JsonNode r) {
    return r.isArray() ? r : r.path("data");
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    return send("GET", path, null);
  }

  private JsonNode write(String method, String path, JsonNode body) throws IOException, InterruptedException {
    if (dryRun) {
      out.println(method + " " + path + " " + JSON.writeValueAsString(body));
      return JSON.createObjectNode().put("id", fakeIds--);
    }
    return send(method, path, body);
  }

  private JsonNode send(String method, String path, JsonNode body) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
        .header("x-api-key", apiKey).header("Accept", "application/json");
    if (body == null) {
      b.GET();
    } else {
      b.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    }
    HttpResponse<String> r;
    try {
      r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IOException("Metabase at " + base + " did not answer " + method + " " + path + ": " + e, e);
    }
    if (r.statusCode() / 100 != 2) {
      throw new IOException("Metabase answered " + method + " " + path + " with " + r.statusCode()
          + (r.statusCode() == 401 ? " (is the API key right?)" : "") + ": " + brief(r.body()));
    }
    return r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
  }

  /** Metabase's error text on one line, without echoing a request (which carries no secret anyway). */
  private static String brief(String body) {
    String s = body;
    try {
      JsonNode n = JSON.readTree(body);
      if (n.has("message")) {
        s = n.path("message").asText();
      } else if (n.has("errors")) {
        s = n.path("errors").toString();
      }
    } catch (IOException e) {
      // not JSON: the text itself
    }
    s = s.replaceAll("\\s+", " ").strip();
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }
}
