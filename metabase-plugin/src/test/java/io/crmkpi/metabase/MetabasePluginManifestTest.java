package io.crmkpi.metabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The manifest Metabase reads from the jar root: driver name, parent, lazy loading, init steps, and a form whose
 * every field the namespace's connection-details->spec actually reads (a field nobody reads would be a setting
 * the user types in vain).
 */
class MetabasePluginManifestTest {

  @Test
  void manifestDeclaresTheDriverAndItsInitSteps() throws IOException {
    JsonNode m = manifest();
    JsonNode d = m.get("driver");
    assertEquals("crmkpi", d.get("name").asText());
    assertEquals("CRM KPIs (crmkpi)", d.get("display-name").asText());
    assertEquals("sql-jdbc", d.get("parent").asText());
    assertTrue(d.get("lazy-load").asBoolean());
    List<String> steps = new ArrayList<>();
    for (JsonNode s : m.get("init")) {
      steps.add(s.get("step").asText() + " " + (s.has("namespace") ? s.get("namespace") : s.get("class")).asText());
    }
    assertEquals(List.of("load-namespace metabase.driver.crmkpi", "register-jdbc-driver io.crmkpi.jdbc.Driver"), steps);
  }

  @Test
  void formFieldsAreTheSettingsTheNamespaceReads() throws IOException {
    Map<String, String> fields = new TreeMap<>();
    for (JsonNode p : manifest().get("driver").get("connection-properties")) {
      if (p.isObject()) {
        fields.put(p.get("name").asText(), p.has("type") ? p.get("type").asText() : "string");
      }
    }
    assertEquals(Map.of("additional-options", "string", "currency", "string", "refresh", "string",
        "source", "select", "store", "string", "target", "string", "timezone", "string", "token", "password",
        "webhook", "password", "week_start", "select"), fields);
    String clj;
    try (InputStream in = getClass().getResourceAsStream("/metabase/driver/crmkpi.clj")) {
      clj = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    for (String f : fields.keySet()) {
      assertTrue(clj.contains(" " + f + " ") || clj.contains("[" + f + " ") || clj.contains(":" + f + " ") || clj.contains(":" + f + "]")
          || clj.contains(" " + f + "]"), f + " is read by connection-details->spec");
    }
  }

  @Test
  void selectChoicesAreValuesTheDriverAccepts() throws IOException {
    Map<String, List<String>> choices = new TreeMap<>();
    for (JsonNode p : manifest().get("driver").get("connection-properties")) {
      if (p.isObject() && p.has("options")) {
        List<String> v = new ArrayList<>();
        p.get("options").forEach(o -> v.add(o.get("value").asText()));
        choices.put(p.get("name").asText(), v);
      }
    }
    // the URL's sources, and week_start's 1 (Monday) .. 7 (Sunday)
    assertEquals(Map.of("source", List.of("demo", "files", "amocrm", "bitrix24", "hubspot"),
        "week_start", List.of("1", "7", "6")), choices);
  }

  private JsonNode manifest() throws IOException {
    try (InputStream in = getClass().getResourceAsStream("/metabase-plugin.yaml")) {
      return new ObjectMapper(new YAMLFactory()).readTree(in);
    }
  }
}
