package io.crmkpi.dashboards;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The dashboards as a Superset import bundle (v1 format: {@code metadata.yaml}, {@code databases/},
 * {@code datasets/}, {@code charts/}, {@code dashboards/}; {@code superset import-dashboards -p bundle.zip} or
 * POST /api/v1/dashboard/import/). One virtual dataset per card on the KPI views, charts of Superset's ECharts
 * viz types, native filters (time range, and a select per text filter). The database entry points at crmkpi's
 * PostgreSQL endpoint. UUIDs are derived from the definitions and the ZIP's entry times are fixed, so the same
 * definitions give the same bytes on every build.
 */
public final class SupersetBundle {

  /** Where {@code crmkpi serve} listens by default (the user name is the only credential in the URI). */
  public static final String DEFAULT_URI = "postgresql+psycopg2://crmkpi@127.0.0.1:5433/crmkpi";
  private static final String ROOT = "crmkpi_dashboards/";
  private static final String VERSION = "1.0.0";
  private static final Pattern OPTIONAL = Pattern.compile("\\[\\[.*?]]", Pattern.DOTALL);
  private static final Pattern DATE_BOUND = Pattern.compile("[\\w.\"]+\\s*(?:>=|<)\\s*\\{\\{\\s*[a-z_]+_(?:from|to)\\s*}}");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
  private static final ObjectMapper JSON = new ObjectMapper();

  private SupersetBundle() {
  }

  /** A stable UUID for a bundle object. */
  static String uuid(String key) {
    return UUID.nameUUIDFromBytes(("crmkpi/superset/" + key).getBytes(StandardCharsets.UTF_8)).toString();
  }

  /** The dataset's SQL: the card's query without its filter variables (Superset's native filters apply on top). */
  static String datasetSql(String sql) {
    return DATE_BOUND.matcher(OPTIONAL.matcher(sql).replaceAll("")).replaceAll("1 = 1");
  }

  private static boolean temporal(String column) {
    return column.equals("period_start") || column.equals("month") || column.endsWith("_month")
        || column.endsWith("_at");
  }

  /** The ZIP's files, path to text, in order. */
  public static Map<String, String> files(List<Dashboard> dashboards, String sqlalchemyUri) throws IOException {
    Map<String, String> files = new TreeMap<>();
    ObjectNode meta = YAML.createObjectNode().put("version", VERSION).put("type", "Dashboard")
        .put("timestamp", "2026-01-01T00:00:00+00:00");
    files.put(ROOT + "metadata.yaml", YAML.writeValueAsString(meta));
    String dbUuid = uuid("database/crmkpi");
    ObjectNode db = YAML.createObjectNode().put("database_name", "crmkpi").put("sqlalchemy_uri", sqlalchemyUri)
        .putNull("cache_timeout").put("expose_in_sqllab", true).put("allow_run_async", false)
        .put("allow_ctas", false).put("allow_cvas", false).put("allow_dml", false).put("allow_file_upload", false);
    db.putObject("extra").put("allows_virtual_table_explore", true);
    db.put("uuid", dbUuid).put("version", VERSION);
    files.put(ROOT + "databases/crmkpi.yaml", YAML.writeValueAsString(db));
    for (Dashboard d : dashboards) {
      ObjectNode position = JSON.createObjectNode();
      position.put("DASHBOARD_VERSION_KEY", "v2");
      position.putObject("ROOT_ID").put("type", "ROOT").put("id", "ROOT_ID").putArray("children").add("GRID_ID");
      position.putObject("HEADER_ID").put("type", "HEADER").put("id", "HEADER_ID").putObject("meta")
          .put("text", d.title());
      ObjectNode grid = position.putObject("GRID_ID").put("type", "GRID").put("id", "GRID_ID");
      ArrayNode rows = grid.putArray("children");
      grid.putArray("parents").add("ROOT_ID");
      Map<Integer, ObjectNode> rowNodes = new TreeMap<>();
      List<String> chartUuids = new ArrayList<>();
      int chartNo = 0;
      for (Card card : d.cards()) {
        String key = d.name() + "_" + card.id();
        String dsUuid = uuid("dataset/" + key);
        ObjectNode ds = YAML.createObjectNode().put("table_name", key).put("schema", "kpi")
            .put("sql", datasetSql(card.sql()));
        String dttm = card.columns().stream().filter(SupersetBundle::temporal).findFirst().orElse(null);
        ds.put("main_dttm_col", dttm).put("description", card.question()).put("filter_select_enabled", true)
            .put("uuid", dsUuid).put("version", VERSION).put("database_uuid", dbUuid);
        ds.putArray("metrics").addObject().put("metric_name", "count").put("expression", "COUNT(*)")
            .put("metric_type", "count");
        ArrayNode cols = ds.putArray("columns");
        for (String c : card.columns()) {
          cols.addObject().put("column_name", c).put("is_dttm", temporal(c)).put("is_active", true)
              .put("groupby", true).put("filterable", true);
        }
        files.put(ROOT + "datasets/crmkpi/" + key + ".yaml", YAML.writeValueAsString(ds));

        String chartUuid = uuid("chart/" + key);
        chartUuids.add(chartUuid);
        ObjectNode chart = YAML.createObjectNode().put("slice_name", d.title() + " · " + card.title())
            .put("description", card.question()).put("viz_type", vizType(card));
        chart.set("params", params(card, vizType(card)));
        chart.putNull("cache_timeout");
        chart.put("uuid", chartUuid).put("version", VERSION).put("dataset_uuid", dsUuid);
        files.put(ROOT + "charts/" + key + ".yaml", YAML.writeValueAsString(chart));

        String rowId = "ROW-" + d.name() + "-" + card.position().row();
        ObjectNode row = rowNodes.computeIfAbsent(card.position().row(), r -> {
          ObjectNode n = position.putObject(rowId).put("type", "ROW").put("id", rowId);
          n.putArray("children");
          n.putArray("parents").add("ROOT_ID").add("GRID_ID");
          n.putObject("meta").put("background", "BACKGROUND_TRANSPARENT");
          return n;
        });
        String chartId = "CHART-" + d.name() + "-" + card.id();
        ((ArrayNode) row.get("children")).add(chartId);
        ObjectNode cn = position.putObject(chartId).put("type", "CHART").put("id", chartId);
        cn.putArray("children");
        cn.putArray("parents").add("ROOT_ID").add("GRID_ID").add(rowId);
        cn.putObject("meta").put("chartId", ++chartNo).put("uuid", chartUuid)
            .put("width", Math.max(1, card.position().width() / 2)).put("height", card.position().height() * 8)
            .put("sliceName", d.title() + " · " + card.title());
      }
      rowNodes.keySet().forEach(r -> rows.add("ROW-" + d.name() + "-" + r));
      ObjectNode dash = YAML.createObjectNode().put("dashboard_title", d.title()).put("description", d.description())
          .putNull("css").put("slug", "crmkpi-" + d.name()).put("uuid", uuid("dashboard/" + d.name()))
          .put("version", VERSION).put("published", true);
      dash.set("position", position);
      ObjectNode metadata = dash.putObject("metadata");
      metadata.put("color_scheme", "supersetColors").put("refresh_frequency", 0).put("cross_filters_enabled", true);
      metadata.putArray("expanded_slices");
      metadata.putArray("timed_refresh_immune_slices");
      metadata.putObject("label_colors");
      ArrayNode nf = metadata.putArray("native_filter_configuration");
      for (Filter f : d.filters()) {
        ObjectNode n = nf.addObject();
        n.put("id", "NATIVE_FILTER-" + uuid("filter/" + d.name() + "/" + f.id()).substring(0, 8));
        n.put("name", f.label()).put("filterType", f.isDateRange() ? "filter_time" : "filter_select")
            .put("type", "NATIVE_FILTER").put("description", f.isDateRange() ? "default: " + f.defaultValue() : "");
        ArrayNode targets = n.putArray("targets");
        ArrayNode inScope = n.putArray("chartsInScope");
        for (int i = 0; i < d.cards().size(); i++) {
          Card card = d.cards().get(i);
          String col = f.isDateRange() ? card.columns().stream().filter(SupersetBundle::temporal).findFirst().orElse(null)
              : (card.columns().contains(f.column()) ? f.column() : null);
          if (col != null) {
            inScope.add(i + 1);
            if (!f.isDateRange() && targets.isEmpty()) {
              targets.addObject().put("datasetUuid", uuid("dataset/" + d.name() + "_" + card.id()))
                  .putObject("column").put("name", col);
            }
          }
        }
        if (f.isDateRange()) {
          targets.addObject();
          n.putObject("defaultDataMask").putObject("filterState").put("value", "Last year");
          n.putObject("controlValues");
        } else {
          n.putObject("defaultDataMask").putObject("filterState");
          n.putObject("controlValues").put("multiSelect", true).put("enableEmptyFilter", false);
        }
        n.putArray("cascadeParentIds");
        ObjectNode scope = n.putObject("scope");
        scope.putArray("rootPath").add("ROOT_ID");
        scope.putArray("excluded");
      }
      files.put(ROOT + "dashboards/" + d.name() + ".yaml", YAML.writeValueAsString(dash));
    }
    return files;
  }

  /** The bundle as ZIP bytes (fixed entry times: reproducible). */
  public static byte[] zip(List<Dashboard> dashboards, String sqlalchemyUri) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, String> f : files(dashboards, sqlalchemyUri).entrySet()) {
        ZipEntry e = new ZipEntry(f.getKey());
        e.setTime(1767225600000L); // 2026-01-01
        zip.putNextEntry(e);
        zip.write(f.getValue().getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  static String vizType(Card card) {
    boolean time = card.x() != null && temporal(card.x());
    return switch (card.chart()) {
      case "line" -> "echarts_timeseries_line";
      case "bar", "stacked_bar" -> "echarts_timeseries_bar";
      case "funnel" -> "funnel";
      case "heatmap" -> "heatmap_v2";
      default -> time ? "echarts_timeseries_line" : "table";
    };
  }

  private static ObjectNode metric(String column) {
    return JSON.createObjectNode().put("expressionType", "SQL").put("sqlExpression", "MAX(" + column + ")")
        .put("label", column);
  }

  private static ObjectNode params(Card card, String viz) {
    ObjectNode p = JSON.createObjectNode();
    p.put("viz_type", viz);
    p.put("row_limit", 10000);
    p.putArray("adhoc_filters");
    switch (viz) {
      case "echarts_timeseries_line", "echarts_timeseries_bar" -> {
        p.put("x_axis", card.x());
        if (temporal(card.x())) {
          p.put("time_grain_sqla", "P1M");
        }
        ArrayNode m = p.putArray("metrics");
        card.y().forEach(y -> m.add(metric(y)));
        ArrayNode g = p.putArray("groupby");
        if (card.series() != null) {
          g.add(card.series());
        }
        if ("stacked_bar".equals(card.chart())) {
          p.put("stack", "Stack");
        }
      }
      case "funnel" -> {
        p.set("metric", metric(card.y().get(0)));
        p.putArray("groupby").add(card.x());
      }
      case "heatmap_v2" -> {
        p.put("x_axis", card.x());
        p.put("groupby", card.series());
        p.set("metric", metric(card.y().get(0)));
      }
      default -> {
        p.put("query_mode", "raw");
        ArrayNode all = p.putArray("all_columns");
        card.columns().forEach(all::add);
      }
    }
    return p;
  }
}
