package io.crmkpi.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmkpi.metrics.MetricDefinition;
import io.crmkpi.metrics.MetricLibrary;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DuckDB script of {@code crmkpi sql-export}, run by a plain DuckDB over the demo written as a
 * Parquet lake, answers every kpi.* view exactly as the embedded store does through the JDBC URL.
 */
class DuckDbScriptRoundTripTest {

  @TempDir
  Path dir;

  @Test
  void everyKpiViewOverTheLakeEqualsTheStore() throws Exception {
    // the demo is generated again, the same, for the export and for the connection (fixed seed and day)
    String url = "jdbc:crmkpi:demo;deals=2000;today=2026-11-30;timezone=Europe/Berlin;week_start=7";
    Path lake = dir.resolve("lake");
    LakeFixture.writeLake(url, lake);
    // the script's layout is the export's: the same fact tables, partitioned by the same columns
    com.fasterxml.jackson.databind.JsonNode manifest = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(lake.resolve("manifest.json").toFile());
    Map<String, String> partitioned = new java.util.TreeMap<>();
    for (com.fasterxml.jackson.databind.JsonNode t : manifest.get("tables")) {
      if (!t.get("partitioned_by").isNull()) {
        partitioned.put(t.get("path").asText(), t.get("partitioned_by").asText());
      }
      if (t.get("name").asText().equals("util.calendar")) {
        assertEquals("util_calendar", t.get("path").asText());
      }
    }
    assertEquals(new java.util.TreeMap<>(EngineScript.PARTITIONED), partitioned);
    Map<String, List<List<Object>>> expected = new LinkedHashMap<>();
    List<String> views = new ArrayList<>();
    for (MetricDefinition d : MetricLibrary.builtIn().definitions()) {
      if (d.schema().equals("kpi")) {
        views.add(d.qualifiedName());
      }
    }
    long start = System.nanoTime();
    try (Connection c = DriverManager.getConnection(url)) {
      for (String v : views) {
        expected.put(v, LakeFixture.rows(c, "SELECT * FROM " + v));
      }
    }
    String script = new EngineScript("duckdb", Map.of("timezone", "Europe/Berlin", "week_start", "7"), "",
        lake.toString()).write();
    assertTrue(script.contains("--   week_start = 7\n"), script.substring(0, 600));
    int nonEmpty = 0;
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
      // a fact table without rows is an empty folder in the lake, which DuckDB's read_parquet refuses
      // (docs/sql-export.md): give it a file with the columns and no rows, as a DuckDB user would
      for (io.crmkpi.model.Table t : io.crmkpi.model.CanonicalModel.tables()) {
        java.io.File folder = lake.resolve(t.name()).toFile();
        if (EngineScript.PARTITIONED.containsKey(t.name()) && !hasParquet(folder)) {
          StringBuilder cols = new StringBuilder();
          for (io.crmkpi.model.Column col : t.columns()) {
            cols.append(cols.length() == 0 ? "" : ", ").append("CAST(NULL AS ").append(col.type().ddl()).append(") AS \"")
                .append(col.name()).append('"');
          }
          s.execute("COPY (SELECT " + cols + " LIMIT 0) TO '" + folder + "/empty.parquet' (FORMAT PARQUET)");
        }
      }
      for (String st : LakeFixture.statements(script)) {
        s.execute(st);
      }
      for (String v : views) {
        List<List<Object>> got = LakeFixture.rows(c, "SELECT * FROM " + v);
        double clockDays = (System.nanoTime() - start) / 86_400e9;
        assertNull(LakeFixture.difference(expected.get(v), got, clockDays), v);
        nonEmpty += got.isEmpty() ? 0 : 1;
      }
    }
    assertEquals(views.size(), expected.size());
    assertTrue(nonEmpty >= views.size() - 2, nonEmpty + " of " + views.size() + " views have rows");
  }

  private static boolean hasParquet(java.io.File folder) throws java.io.IOException {
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(folder.toPath())) {
      return files.anyMatch(p -> p.toString().endsWith(".parquet"));
    }
  }
}
