package io.crmkpi.engines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.crmkpi.dialect.EngineScript;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Benchmark, not a test: each kpi.* view on Spark local[2] over the exported lake vs the embedded
 * DuckDB store through the JDBC URL, same demo, same run; medians of {@code crmkpi.bench.runs} timed
 * runs after one warm-up, and their ratio. Runs only when {@code crmkpi.bench.deals} is set:
 * <pre>
 * CRMKPI_SCALE_OUT=1 mvn -B -pl engines -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
 *   -Dit.test=SparkKpiBenchIT -Dcrmkpi.bench.deals=100000 -Dcrmkpi.bench.runs=5
 * </pre>
 * The table goes to stdout and engines/target/spark-bench.md.
 */
class SparkKpiBenchIT {

  @TempDir
  Path dir;

  @Test
  void eachKpiViewOnSparkVsTheEmbeddedStore() throws Exception {
    String deals = System.getProperty("crmkpi.bench.deals");
    assumeTrue(deals != null, "a benchmark: set -Dcrmkpi.bench.deals=N to run it");
    int runs = Integer.getInteger("crmkpi.bench.runs", 5);
    String url = "jdbc:crmkpi:demo;deals=" + deals + ";today=2026-11-30;timezone=" + SparkKpiIT.ZONE;
    Path lake = dir.resolve("lake");
    LakeFixture.writeLake(url, lake);
    String script = new EngineScript("spark", java.util.Map.of("timezone", SparkKpiIT.ZONE), "",
        lake.toUri().toString()).write();
    List<String> views = SparkKpiIT.kpiViews();
    StringBuilder table = new StringBuilder("| view | rows | DuckDB embedded ms | Spark local[2] ms | Spark / DuckDB |\n"
        + "|---|---|---|---|---|\n");
    try (Connection c = DriverManager.getConnection(url); SparkSession spark = SparkKpiIT.session()) {
      for (String st : LakeFixture.statements(script)) {
        spark.sql(st);
      }
      for (String v : views) {
        long rows = 0;
        double[] duck = new double[runs];
        double[] sp = new double[runs];
        for (int i = -1; i < runs; i++) {
          long t0 = System.nanoTime();
          long n = 0;
          try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + v)) {
            while (rs.next()) {
              n++;
            }
          }
          long t1 = System.nanoTime();
          long m = spark.sql("SELECT * FROM " + v).collectAsList().size();
          long t2 = System.nanoTime();
          assertEquals(n, m, v);
          if (i >= 0) {
            duck[i] = (t1 - t0) / 1e6;
            sp[i] = (t2 - t1) / 1e6;
          }
          rows = n;
        }
        double d = median(duck);
        double s = median(sp);
        table.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f× |%n", v, rows, d, s, s / d));
      }
    }
    String out = "Demo with " + deals + " deals, median of " + runs + " runs after one warm-up, same JVM.\n\n" + table;
    System.out.println(out);
    Files.writeString(Path.of("target/spark-bench.md"), out, StandardCharsets.UTF_8);
  }

  private static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
