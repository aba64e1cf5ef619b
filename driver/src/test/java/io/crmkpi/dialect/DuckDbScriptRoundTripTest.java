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
    Path store = dir.resolve("demo.duckdb");
    String url = "jdbc:crmkpi:demo;deals=2000;timezone=Europe/Berlin;week_start=7;store=" + store;
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
    Path lake = dir.resolve("lake");
    LakeFixture.writeLake(store, lake);
    String script = new EngineScript("duckdb", Map.of("timezone", "Europe/Berlin", "week_start", "7"), "",
        lake.toString()).write();
    assertTrue(script.contains("--   week_start = 7\n"), script.substring(0, 600));
    int nonEmpty = 0;
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
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
}
