package io.crmkpi.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reads one definition file (YAML: name, description, columns, settings, pitfalls, example, sql). */
public final class MetricDefinitionReader {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private MetricDefinitionReader() {
  }

  /**
   * Parses a definition. {@code defaultSchema} applies when the file has no {@code schema} key.
   *
   * @throws MetricDefinitionException naming {@code origin} and the missing or malformed key
   */
  public static MetricDefinition read(InputStream in, String origin, String defaultSchema) {
    JsonNode root;
    try {
      root = YAML.readTree(in);
    } catch (IOException e) {
      throw new MetricDefinitionException(origin + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (root == null || !root.isObject()) {
      throw new MetricDefinitionException(origin + ": expected a YAML mapping with name, description, columns, sql");
    }
    String name = required(root, "name", origin).toLowerCase(Locale.ROOT);
    if (!name.matches("[a-z][a-z0-9_]*")) {
      throw new MetricDefinitionException(origin + ": name must be lower-case snake_case, got '" + name + "'");
    }
    String schema = text(root, "schema", defaultSchema).toLowerCase(Locale.ROOT);
    List<MetricDefinition.MetricColumn> columns = new ArrayList<>();
    JsonNode cols = root.get("columns");
    if (cols == null || !cols.isArray() || cols.isEmpty()) {
      throw new MetricDefinitionException(origin + ": 'columns' must list every output column (name, description)");
    }
    for (JsonNode c : cols) {
      columns.add(new MetricDefinition.MetricColumn(required(c, "name", origin), text(c, "description", "")));
    }
    List<String> settings = strings(root.get("settings"));
    for (String s : settings) {
      if (!MetricSettings.names().contains(s)) {
        throw new MetricDefinitionException(origin + ": unknown setting '" + s + "'; settings are "
            + MetricSettings.names());
      }
    }
    return new MetricDefinition(schema, name, required(root, "description", origin).trim(), List.copyOf(columns),
        settings, strings(root.get("pitfalls")), text(root, "example", "").trim(),
        required(root, "sql", origin).trim(), origin);
  }

  private static String required(JsonNode node, String key, String origin) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull() || v.asText().isBlank()) {
      throw new MetricDefinitionException(origin + ": missing '" + key + "'");
    }
    return v.asText();
  }

  private static String text(JsonNode node, String key, String dflt) {
    JsonNode v = node.get(key);
    return v == null || v.isNull() ? dflt : v.asText();
  }

  private static List<String> strings(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node != null && node.isArray()) {
      node.forEach(n -> out.add(n.asText()));
    }
    return List.copyOf(out);
  }
}
