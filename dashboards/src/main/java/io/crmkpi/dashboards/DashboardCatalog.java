package io.crmkpi.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads dashboard definitions (YAML) and checks them; bad input is one line naming the file and key. */
public final class DashboardCatalog {

  /** The bundled dashboards, in the order the report shows them. */
  public static final List<String> BUNDLED = List.of("overview", "sales", "pipeline", "marketing", "customers",
      "service");

  private static final Set<String> CHARTS = Set.of("line", "bar", "stacked_bar", "funnel", "heatmap", "number", "table");
  private static final Set<String> FORMATS = Set.of("percent", "money", "count", "number", "days", "minutes", "hours",
      "score");
  private static final Pattern VARIABLE = Pattern.compile("\\{\\{\\s*([a-z_][a-z0-9_]*)\\s*}}");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private DashboardCatalog() {
  }

  /** Every bundled dashboard. */
  public static List<Dashboard> bundled() {
    List<Dashboard> all = new ArrayList<>();
    for (String name : BUNDLED) {
      all.add(bundled(name));
    }
    return all;
  }

  /** One bundled dashboard by name; an unknown name is an error listing the known ones. */
  public static Dashboard bundled(String name) {
    if (!BUNDLED.contains(name)) {
      throw new IllegalArgumentException("no dashboard '" + name + "'; bundled: " + String.join(", ", BUNDLED));
    }
    String file = name + ".yaml";
    try (InputStream in = DashboardCatalog.class.getResourceAsStream(file)) {
      return parse(name, file, in);
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": " + e.getMessage(), e);
    }
  }

  /** Parses one definition; {@code place} names it in errors. */
  public static Dashboard parse(String name, String place, InputStream in) throws IOException {
    JsonNode root;
    try {
      root = YAML.readTree(in);
    } catch (IOException e) {
      throw new IllegalArgumentException(place + ": not YAML: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(place + ": expected a mapping with title, filters and cards");
    }
    List<Filter> filters = new ArrayList<>();
    Set<String> variables = new java.util.LinkedHashSet<>();
    int i = 0;
    for (JsonNode f : list(root, "filters", place)) {
      String at = place + ": filters[" + i++ + "]";
      Filter filter = new Filter(text(f, "id", at, true), text(f, "label", at, true), text(f, "type", at, true),
          text(f, "column", at, true), text(f, "default", at, false));
      if (!filter.isDateRange() && !Filter.TEXT.equals(filter.type())) {
        throw new IllegalArgumentException(at + ".type: '" + filter.type() + "' is not date_range or text");
      }
      if (filter.isDateRange()) {
        FilterValues.months(filter, at + ".default"); // checked now, not when a report runs
      }
      filters.add(filter);
      variables.addAll(filter.variables());
    }
    List<Card> cards = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    i = 0;
    for (JsonNode c : list(root, "cards", place)) {
      String at = place + ": cards[" + i++ + "]";
      String id = text(c, "id", at, true);
      at = place + ": card " + id;
      if (!ids.add(id)) {
        throw new IllegalArgumentException(at + ": the id is used twice");
      }
      String chart = text(c, "chart", at, true);
      if (!CHARTS.contains(chart)) {
        throw new IllegalArgumentException(at + ".chart: '" + chart + "' is not one of " + new java.util.TreeSet<>(CHARTS));
      }
      Map<String, String> format = new LinkedHashMap<>();
      JsonNode fm = c.path("format");
      for (Iterator<Map.Entry<String, JsonNode>> it = fm.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!FORMATS.contains(e.getValue().asText())) {
          throw new IllegalArgumentException(at + ".format." + e.getKey() + ": '" + e.getValue().asText()
              + "' is not one of " + new java.util.TreeSet<>(FORMATS));
        }
        format.put(e.getKey(), e.getValue().asText());
      }
      JsonNode p = c.path("position");
      Card.Position position = new Card.Position(p.path("col").asInt(0), p.path("row").asInt(0),
          p.path("width").asInt(12), p.path("height").asInt(6));
      if (position.col() < 0 || position.width() < 1 || position.col() + position.width() > 24 || position.height() < 1) {
        throw new IllegalArgumentException(at + ".position: col + width must fit 24 columns, height >= 1");
      }
      String sql = text(c, "sql", at, true).strip();
      Matcher m = VARIABLE.matcher(sql);
      while (m.find()) {
        if (!variables.contains(m.group(1))) {
          throw new IllegalArgumentException(at + ".sql: {{" + m.group(1) + "}} is no filter's variable " + variables);
        }
      }
      List<String> y = strings(c, "y", at);
      if (y.isEmpty()) {
        throw new IllegalArgumentException(at + ".y: name at least one value column");
      }
      cards.add(new Card(id, text(c, "title", at, true), text(c, "question", at, true), chart, text(c, "x", at, false),
          y, text(c, "series", at, false), strings(c, "extra", at), text(c, "callout", at, false), format, position,
          sql, text(c, "empty", at, false)));
    }
    return new Dashboard(name, text(root, "title", place, true), text(root, "description", place, false), filters,
        cards);
  }

  private static Iterable<JsonNode> list(JsonNode node, String key, String at) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return List.of();
    }
    if (!v.isArray()) {
      throw new IllegalArgumentException(at + "." + key + ": expected a list");
    }
    return v;
  }

  private static List<String> strings(JsonNode node, String key, String at) {
    JsonNode v = node.get(key);
    List<String> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (v.isTextual()) {
      out.add(v.asText());
      return out;
    }
    for (JsonNode e : list(node, key, at)) {
      out.add(e.asText());
    }
    return out;
  }

  private static String text(JsonNode node, String key, String at, boolean required) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull() || v.asText().isBlank()) {
      if (required) {
        throw new IllegalArgumentException(at + "." + key + ": missing");
      }
      return null;
    }
    if (!v.isValueNode()) {
      throw new IllegalArgumentException(at + "." + key + ": expected a text");
    }
    return v.asText();
  }
}
