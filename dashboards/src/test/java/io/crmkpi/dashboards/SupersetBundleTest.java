package io.crmkpi.dashboards;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.ByteArrayInputStream;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/**
 * The Superset bundle opens, every file has the fields Superset's ImportV1 schemas require (apache/superset
 * master, late 2025: superset/commands/importers/v1/utils.py MetadataSchema; databases/schemas.py
 * ImportV1DatabaseSchema; datasets/schemas.py ImportV1DatasetSchema with its column and metric schemas;
 * charts/schemas.py ImportV1ChartSchema; dashboards/schemas.py ImportV1DashboardSchema), every chart's dataset
 * and columns exist, and two builds give the same bytes.
 */
class SupersetBundleTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Map<String, List<String>> REQUIRED = Map.of(
      "metadata", List.of("version", "type", "timestamp"),
      "databases", List.of("database_name", "sqlalchemy_uri", "uuid", "version"),
      "datasets", List.of("table_name", "uuid", "version", "database_uuid"),
      "charts", List.of("slice_name", "viz_type", "uuid", "version", "dataset_uuid"),
      "dashboards", List.of("dashboard_title", "uuid", "version"));

  @Test
  void theBundleHasWhatSupersetsImportRequires() throws Exception {
    byte[] zip = SupersetBundle.zip(DashboardCatalog.bundled(), SupersetBundle.DEFAULT_URI);
    Map<String, JsonNode> files = new HashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        assertTrue(e.getName().startsWith("crmkpi_dashboards/"), e.getName()); // one root folder (remove_root)
        files.put(e.getName().substring("crmkpi_dashboards/".length()), YAML.readTree(in.readAllBytes()));
      }
    }
    assertEquals(1 + 1 + 30 + 30 + 6, files.size(), files.keySet().toString());
    assertEquals("1.0.0", files.get("metadata.yaml").get("version").asText()); // IMPORT_VERSION
    assertEquals("Dashboard", files.get("metadata.yaml").get("type").asText());
    for (Map.Entry<String, JsonNode> f : files.entrySet()) {
      String kind = f.getKey().equals("metadata.yaml") ? "metadata" : f.getKey().substring(0, f.getKey().indexOf('/'));
      for (String k : REQUIRED.get(kind)) {
        assertTrue(f.getValue().hasNonNull(k), f.getKey() + " lacks " + k);
      }
      if (f.getValue().has("uuid")) {
        UUID.fromString(f.getValue().get("uuid").asText());
        assertEquals("1.0.0", f.getValue().get("version").asText(), f.getKey());
      }
    }
    JsonNode db = files.get("databases/crmkpi.yaml");
    assertEquals("postgresql+psycopg2://crmkpi@127.0.0.1:5433/crmkpi", db.get("sqlalchemy_uri").asText());

    Map<String, Set<String>> datasetColumns = new HashMap<>();
    for (Map.Entry<String, JsonNode> f : files.entrySet()) {
      if (f.getKey().startsWith("datasets/")) {
        JsonNode ds = f.getValue();
        assertEquals(db.get("uuid").asText(), ds.get("database_uuid").asText());
        String sql = ds.get("sql").asText();
        assertFalse(sql.contains("{{") || sql.contains("[["), f.getKey() + ": a filter variable left: " + sql);
        Set<String> cols = new HashSet<>();
        for (JsonNode c : ds.get("columns")) {
          assertTrue(c.hasNonNull("column_name"));
          cols.add(c.get("column_name").asText());
        }
        for (JsonNode m : ds.get("metrics")) {
          assertTrue(m.hasNonNull("metric_name") && m.hasNonNull("expression"), f.getKey());
        }
        datasetColumns.put(ds.get("uuid").asText(), cols);
      }
    }
    Set<String> vizTypes = Set.of("echarts_timeseries_line", "echarts_timeseries_bar", "funnel", "heatmap_v2", "table");
    Set<String> chartUuids = new HashSet<>();
    for (Map.Entry<String, JsonNode> f : files.entrySet()) {
      if (f.getKey().startsWith("charts/")) {
        JsonNode ch = f.getValue();
        Set<String> cols = datasetColumns.get(ch.get("dataset_uuid").asText());
        assertTrue(cols != null, f.getKey() + ": its dataset is in the bundle");
        assertTrue(vizTypes.contains(ch.get("viz_type").asText()), f.getKey());
        JsonNode p = ch.get("params");
        assertEquals(ch.get("viz_type"), p.get("viz_type"));
        for (String k : List.of("x_axis", "groupby", "all_columns")) {
          for (JsonNode c : p.path(k).isArray() ? p.path(k) : List.of(p.path(k))) {
            if (!c.isMissingNode() && !c.isNull()) {
              assertTrue(cols.contains(c.asText()), f.getKey() + ": " + k + " " + c + " not in " + cols);
            }
          }
        }
        for (JsonNode m : p.path("metrics").isArray() ? p.path("metrics") : List.of(p.path("metric"))) {
          if (m.isMissingNode()) {
            continue; // a table chart: raw columns, no metric
          }
          String col = m.get("label").asText();
          assertTrue(cols.contains(col), f.getKey() + ": metric on " + col);
        }
        chartUuids.add(ch.get("uuid").asText());
      }
    }
    int placed = 0;
    for (Map.Entry<String, JsonNode> f : files.entrySet()) {
      if (f.getKey().startsWith("dashboards/")) {
        JsonNode pos = f.getValue().get("position");
        assertEquals("v2", pos.get("DASHBOARD_VERSION_KEY").asText());
        for (JsonNode n : pos) {
          if (n.path("type").asText().equals("CHART")) {
            assertTrue(chartUuids.contains(n.get("meta").get("uuid").asText()), f.getKey());
            int w = n.get("meta").get("width").asInt();
            assertTrue(w >= 1 && w <= 12, f.getKey() + ": width of 12 " + w);
            placed++;
          }
        }
        JsonNode filters = f.getValue().get("metadata").get("native_filter_configuration");
        assertEquals("filter_time", filters.get(0).get("filterType").asText(), f.getKey() + ": a date range first");
        for (JsonNode nf : filters) {
          for (JsonNode t : nf.get("targets")) {
            if (t.has("datasetUuid")) {
              assertTrue(datasetColumns.get(t.get("datasetUuid").asText()).contains(t.get("column").get("name").asText()));
            }
          }
        }
      }
    }
    assertEquals(30, placed);
    assertArrayEquals(zip, SupersetBundle.zip(DashboardCatalog.bundled(), SupersetBundle.DEFAULT_URI),
        "the same definitions give the same bytes (stable UUIDs)");
  }

  @Test
  void datasetSqlDropsTheFilterVariables() {
    assertEquals("SELECT a FROM kpi.x WHERE grain = 'month' AND 1 = 1 AND 1 = 1\n  ORDER BY a",
        SupersetBundle.datasetSql("SELECT a FROM kpi.x WHERE grain = 'month' AND period_start >= {{period_from}} AND "
            + "d.period_start < {{period_to}}\n  [[AND channel = {{channel}}]] ORDER BY a").replace("  [[", "")
            .replace("\n   ORDER", "\n  ORDER"));
  }
}
