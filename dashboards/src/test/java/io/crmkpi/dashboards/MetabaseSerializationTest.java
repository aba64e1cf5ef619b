package io.crmkpi.dashboards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The serialization YAML says what the definitions say (SQL, template tags, wiring, layout), and Metabase's own
 * validator, npm {@code @metabase/representations} 1.2.0 ({@code representations validate-schema --folder}),
 * passes every file and fails a broken one.
 */
class MetabaseSerializationTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern VARIABLE = Pattern.compile("\\{\\{\\s*([a-z_][a-z0-9_]*)\\s*}}");
  private static final LocalDate TODAY = LocalDate.of(2026, 3, 15);
  private static final String VALIDATOR = "@metabase/representations@1.2.0";

  @Test
  void theYamlSaysWhatTheDefinitionsSay() throws Exception {
    List<Dashboard> dashboards = DashboardCatalog.bundled();
    Map<String, String> files = MetabaseSerialization.files(dashboards, "crmkpi", "CRM KPIs", TODAY);
    int cardCount = dashboards.stream().mapToInt(d -> d.cards().size()).sum();
    assertEquals(1 + dashboards.size() + cardCount, files.size(), files.keySet().toString());
    assertEquals(files, MetabaseSerialization.files(dashboards, "crmkpi", "CRM KPIs", TODAY), "stable output");

    JsonNode collection = YAML.readTree(files.get("collections/main/crm_kpis.yaml"));
    String collectionId = collection.get("entity_id").asText();
    assertEquals("CRM KPIs", collection.get("name").asText());
    Map<String, JsonNode> cardsById = new HashMap<>();
    Map<String, JsonNode> dashboardsByName = new HashMap<>();
    for (Map.Entry<String, String> f : files.entrySet()) {
      JsonNode doc = YAML.readTree(f.getValue());
      String model = doc.get("serdes/meta").get(0).get("model").asText();
      if (!model.equals("Collection")) {
        assertTrue(f.getKey().startsWith("collections/main/crm_kpis/"), f.getKey());
        assertEquals(collectionId, doc.get("collection_id").asText(), f.getKey());
      }
      if (model.equals("Card")) {
        assertEquals(null, cardsById.put(doc.get("entity_id").asText(), doc), "entity ids are unique");
      } else if (model.equals("Dashboard")) {
        dashboardsByName.put(doc.get("name").asText(), doc);
      }
    }
    assertEquals(cardCount, cardsById.size());

    for (Dashboard d : dashboards) {
      JsonNode dash = dashboardsByName.get(d.title());
      Set<String> parameterIds = new HashSet<>();
      List<String> slugs = new ArrayList<>();
      for (JsonNode p : dash.get("parameters")) {
        parameterIds.add(p.get("id").asText());
        slugs.add(p.get("slug").asText());
      }
      List<String> variables = new ArrayList<>();
      d.filters().forEach(f -> variables.addAll(f.variables()));
      assertEquals(variables, slugs, d.name() + ": one dashboard parameter per filter variable");
      assertEquals(d.cards().size(), dash.get("dashcards").size());
      for (int i = 0; i < d.cards().size(); i++) {
        Card card = d.cards().get(i);
        JsonNode dc = dash.get("dashcards").get(i);
        JsonNode q = cardsById.get(dc.get("card_id").asText());
        String at = d.name() + "/" + card.id();
        assertTrue(q != null, at + ": the dashcard's card_id is no card's entity_id");
        assertEquals(d.title() + " · " + card.title(), q.get("name").asText(), at);
        JsonNode stage = q.get("dataset_query").get("stages").get(0);
        assertEquals("crmkpi", q.get("dataset_query").get("database").asText(), at);
        assertEquals(card.sql(), stage.get("native").asText(), at + ": the SQL is the definition's");
        Set<String> used = new TreeSet<>();
        for (Matcher m = VARIABLE.matcher(card.sql()); m.find(); ) {
          used.add(m.group(1));
        }
        Set<String> tags = new TreeSet<>();
        Set<String> mapped = new TreeSet<>();
        for (JsonNode t : stage.get("template-tags")) {
          tags.add(t.get("name").asText());
          String v = t.get("name").asText();
          assertEquals(v.startsWith("period_") ? "date" : "text", t.get("type").asText(), at + " " + v);
        }
        assertEquals(used, tags, at + ": a template tag per variable in the SQL, no other");
        for (JsonNode m : dc.get("parameter_mappings")) {
          assertEquals(q.get("entity_id").asText(), m.get("card_id").asText(), at);
          assertTrue(parameterIds.contains(m.get("parameter_id").asText()), at + ": mapped to no dashboard parameter");
          assertEquals("variable", m.get("target").get(0).asText());
          mapped.add(m.get("target").get(1).get(1).asText());
        }
        assertEquals(used, mapped, at + ": every tag is wired to the dashboard's filter");
        assertEquals(card.position().col(), dc.get("col").asInt(), at);
        assertEquals(card.position().row(), dc.get("row").asInt(), at);
        assertEquals(card.position().width(), dc.get("size_x").asInt(), at);
        assertEquals(card.position().height(), dc.get("size_y").asInt(), at);
      }
    }

    // Defaults on 2026-03-15, last 12 months: 2025-04-01 (inclusive) to 2026-04-01 (exclusive).
    JsonNode sales = dashboardsByName.get("Sales funnel");
    Map<String, String> defaults = new HashMap<>();
    for (JsonNode p : sales.get("parameters")) {
      defaults.put(p.get("slug").asText(), p.path("default").asText(null));
    }
    assertEquals("2025-04-01", defaults.get("period_from"));
    assertEquals("2026-04-01", defaults.get("period_to"));
    assertEquals(null, defaults.get("pipeline"), "a text filter without default: all");
    assertTrue(files.get("collections/main/crm_kpis/sales_funnel.yaml").contains("default: \"2025-04-01\""),
        "a date default is a quoted string, not a YAML timestamp");

    // Another collection name is other entities (two imports side by side do not overwrite each other).
    assertNotEquals(collectionId, YAML.readTree(MetabaseSerialization.files(dashboards, "crmkpi", "Other", TODAY)
        .get("collections/main/other.yaml")).get("entity_id").asText());
  }

  @Test
  void aBlankDatabaseOrCollectionIsOneLineNamingTheOption() {
    List<Dashboard> all = DashboardCatalog.bundled();
    assertEquals("--database: name the crmkpi database as Metabase knows it", org.junit.jupiter.api.Assertions
        .assertThrows(IllegalArgumentException.class, () -> MetabaseSerialization.files(all, " ", "CRM KPIs", TODAY))
        .getMessage());
    assertEquals("--collection: '··' needs a letter or digit (it names a folder)", org.junit.jupiter.api.Assertions
        .assertThrows(IllegalArgumentException.class, () -> MetabaseSerialization.files(all, "crmkpi", "··", TODAY))
        .getMessage());
  }

  @Test
  void metabasesValidatorPassesEveryFileAndFailsABrokenOne() throws Exception {
    Assumptions.assumeTrue(onPath("node") && onPath("npm"),
        "skipped: node and npm are not on PATH; Metabase's validator (" + VALIDATOR + ") needs them");
    // Its validator finds its schemas through import.meta.dirname: Node 20.11 or later.
    Run node = run(List.of("node", "-p", "process.versions.node"), 30);
    String[] v = node.output.strip().split("\\.");
    assertTrue(Integer.parseInt(v[0]) > 20 || Integer.parseInt(v[0]) == 20 && Integer.parseInt(v[1]) >= 11,
        "Metabase's validator needs Node 20.11 or later; node here is " + node.output.strip());
    Path prefix = Path.of("target", "metabase-representations").toAbsolutePath();
    Path cli = prefix.resolve("node_modules/@metabase/representations/dist/bin/cli.js");
    if (!Files.exists(cli)) {
      Run install = run(List.of("npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix",
          prefix.toString(), VALIDATOR), 300);
      assertEquals(0, install.code, "npm install " + VALIDATOR + " failed:\n" + install.output);
    }
    String version = YAML.readTree(prefix.resolve("node_modules/@metabase/representations/package.json").toFile())
        .get("version").asText();
    assertEquals("1.2.0", version);

    Path out = Path.of("target", "metabase-yaml").toAbsolutePath();
    deleteTree(out);
    int n = MetabaseSerialization.write(out, DashboardCatalog.bundled(), "crmkpi", "CRM KPIs", TODAY);
    Run ok = run(List.of("node", cli.toString(), "validate-schema", "--folder", out.toString()), 120);
    assertEquals(0, ok.code, ok.output);
    assertTrue(ok.output.contains(n + " passed, 0 failed"), ok.output);

    // The validator is really checking: a card without display and with a short entity id fails.
    Path broken = Path.of("target", "metabase-yaml-broken").toAbsolutePath();
    deleteTree(broken);
    MetabaseSerialization.write(broken, DashboardCatalog.bundled(), "crmkpi", "CRM KPIs", TODAY);
    Path card = broken.resolve("collections/main/crm_kpis/sales_funnel_stage_funnel.yaml");
    String text = Files.readString(card, StandardCharsets.UTF_8);
    String id = YAML.readTree(text).get("entity_id").asText();
    Files.writeString(card, text.replaceFirst("(?m)^display: .*\\n", "").replace(id, "short"),
        StandardCharsets.UTF_8);
    Run bad = run(List.of("node", cli.toString(), "validate-schema", "--folder", broken.toString()), 120);
    assertEquals(1, bad.code, bad.output);
    assertTrue(bad.output.contains((n - 1) + " passed, 1 failed"), bad.output);
    assertTrue(bad.output.contains("must have required property 'display'"), bad.output);
    assertTrue(bad.output.contains("/entity_id must match pattern"), bad.output);
  }

  private record Run(int code, String output) { }

  private static Run run(List<String> command, int seconds) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + ": no end within " + seconds + " s");
    }
    return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  private static boolean onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }

  private static void deleteTree(Path root) throws IOException {
    if (Files.exists(root)) {
      try (var walk = Files.walk(root)) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
