package io.crmkpi.engines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmkpi.dialect.EngineScript;
import io.crmkpi.metrics.MetricDefinition;
import io.crmkpi.metrics.MetricLibrary;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark run: the demo's store written as a Parquet lake, {@code crmkpi sql-export --dialect spark}
 * run by Apache Spark in local mode (in-memory catalog, no Hive), and every kpi.* view of the library
 * answered by Spark exactly as the embedded store answers it through the JDBC URL.
 */
class SparkKpiIT {

  static final String ZONE = "Europe/Berlin";
  /** Settings away from the defaults, so that a setting Spark's SQL ignored would show. */
  static final Map<String, String> SETTINGS = Map.of("timezone", ZONE, "week_start", "7",
      "fiscal_year_start", "4", "churn_inactivity_days", "60");

  @TempDir
  Path dir;

  @Test
  void everyKpiViewOnSparkEqualsTheStore() throws Exception {
    // the demo is generated again, the same, for the export and for the connection (fixed seed and day)
    StringBuilder url = new StringBuilder("jdbc:crmkpi:demo;deals=2000;today=2026-11-30");
    SETTINGS.forEach((k, v) -> url.append(';').append(k).append('=').append(v));
    Path lake = dir.resolve("lake");
    LakeFixture.writeLake(url.toString(), lake);
    List<String> views = kpiViews();
    Map<String, List<List<Object>>> expected = new LinkedHashMap<>();
    long start = System.nanoTime();
    try (Connection c = DriverManager.getConnection(url.toString())) {
      for (String v : views) {
        expected.put(v, LakeFixture.rows(c, "SELECT * FROM " + v));
      }
    }
    String script = new EngineScript("spark", SETTINGS, "", lake.toUri().toString()).write();
    assertTrue(script.contains("--   fiscal_year_start = 4\n"), script.substring(0, 800));

    List<String> failures = new ArrayList<>();
    int nonEmpty = 0;
    try (SparkSession spark = session()) {
      for (String st : LakeFixture.statements(script)) {
        spark.sql(st);
      }
      for (String v : views) {
        List<List<Object>> got;
        try {
          got = rows(spark.sql("SELECT * FROM " + v).collectAsList());
        } catch (RuntimeException e) {
          failures.add(v + ": " + e.getMessage().lines().findFirst().orElse(""));
          continue;
        }
        String diff = LakeFixture.difference(expected.get(v), got, (System.nanoTime() - start) / 86_400e9);
        if (diff != null) {
          failures.add(v + ": " + diff);
        }
        nonEmpty += got.isEmpty() ? 0 : 1;
      }
    }
    assertEquals(List.of(), failures);
    assertTrue(views.size() >= 21, views.toString());
    assertTrue(nonEmpty >= views.size() - 2, nonEmpty + " of " + views.size() + " views have rows");
  }

  static List<String> kpiViews() {
    List<String> views = new ArrayList<>();
    for (MetricDefinition d : MetricLibrary.builtIn().definitions()) {
      if (d.schema().equals("kpi")) {
        views.add(d.qualifiedName());
      }
    }
    return views;
  }

  /** One local Spark: 2 threads, in-memory catalog, the views' time zone, no UI. */
  static SparkSession session() {
    return SparkSession.builder().master("local[2]").appName("crmkpi-engines")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.catalogImplementation", "in-memory")
        .config("spark.sql.session.timeZone", ZONE)
        .config("spark.sql.warehouse.dir", System.getProperty("java.io.tmpdir") + "/crmkpi-spark-warehouse")
        .getOrCreate();
  }

  /** Spark rows as the driver's test values: numbers as Double, times as JDBC's text. */
  static List<List<Object>> rows(List<Row> rows) {
    List<List<Object>> out = new ArrayList<>();
    for (Row r : rows) {
      List<Object> row = new ArrayList<>();
      for (int i = 0; i < r.size(); i++) {
        Object o = r.get(i);
        if (o instanceof LocalDateTime t) {
          o = Timestamp.valueOf(t);
        }
        row.add(o instanceof Number n ? (Object) n.doubleValue() : o == null ? null : o.toString());
      }
      out.add(row);
    }
    return out;
  }
}
