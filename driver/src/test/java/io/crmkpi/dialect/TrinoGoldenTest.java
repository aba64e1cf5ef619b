package io.crmkpi.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Golden Trino SQL: the tables' DDL and every view as {@code crmkpi sql-export --dialect trino}
 * writes them (settings fixed, catalog {@code hive.}), one file per view under
 * src/test/resources/io/crmkpi/dialect/golden/trino/. A change to the compiler, a dialect or a view
 * shows as a diff to review; {@code -Dcrmkpi.golden.write=true} rewrites them.
 */
class TrinoGoldenTest {

  static final Path GOLDEN = Path.of("src/test/resources/io/crmkpi/dialect/golden/trino");
  static final Map<String, String> SETTINGS = Map.of("timezone", "Europe/Berlin", "week_start", "1",
      "fiscal_year_start", "1", "churn_inactivity_days", "90");

  private static EngineScript script() {
    return new EngineScript("trino", SETTINGS, "hive.", "s3://acme-lake/crmkpi");
  }

  @Test
  void goldenFilesMatchTheExport() throws Exception {
    EngineScript s = script();
    Map<String, String> files = new java.util.LinkedHashMap<>();
    files.put("_tables.sql", s.tables());
    s.views().forEach((name, sql) -> files.put(name + ".sql", sql));
    boolean write = Boolean.getBoolean("crmkpi.golden.write");
    if (write) {
      Files.createDirectories(GOLDEN);
      try (Stream<Path> old = Files.list(GOLDEN)) {
        for (Path p : old.toList()) {
          Files.delete(p);
        }
      }
      for (Map.Entry<String, String> e : files.entrySet()) {
        Files.writeString(GOLDEN.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
      }
    }
    TreeSet<String> present = new TreeSet<>();
    try (Stream<Path> list = Files.list(GOLDEN)) {
      list.forEach(p -> present.add(p.getFileName().toString()));
    }
    assertEquals(new TreeSet<>(files.keySet()), present, "golden files (rewrite with -Dcrmkpi.golden.write=true)");
    for (Map.Entry<String, String> e : files.entrySet()) {
      assertEquals(Files.readString(GOLDEN.resolve(e.getKey()), StandardCharsets.UTF_8), e.getValue(),
          e.getKey() + " differs from the golden file (review, then rewrite with -Dcrmkpi.golden.write=true)");
    }
  }

  /** What Trino would reject or read otherwise, absent from every view (a review made a test). */
  @Test
  void viewsUseTrinoSyntaxOnly() throws Exception {
    List<String> problems = new ArrayList<>();
    Map<String, Pattern> foreign = Map.of(
        "backtick quoting", Pattern.compile("`"),
        "DuckDB integer division //", Pattern.compile("//"),
        "charset-prefixed literal", Pattern.compile("_UTF-?8'|u&'", Pattern.CASE_INSENSITIVE),
        "interval leading precision", Pattern.compile("INTERVAL '[^']*' (DAY|MONTH|YEAR|HOUR|MINUTE|SECOND)\\("),
        "Spark/DuckDB type", Pattern.compile("TIMESTAMP_NTZ|\\bSTRING\\b|\\bINT64\\b|\\bHUGEINT\\b"),
        "DuckDB function", Pattern.compile("\\b(datesub|epoch_ms|strftime|list_\\w+|error)\\(", Pattern.CASE_INSENSITIVE),
        "CHAR(n) cast (pads)", Pattern.compile("AS CHAR\\("),
        "session-zone today", Pattern.compile("CURRENT_DATE(?! AT)"));
    for (Map.Entry<String, String> v : script().views().entrySet()) {
      String body = v.getValue().lines().filter(l -> !l.startsWith("--")).reduce("", (a, b) -> a + b + "\n");
      foreign.forEach((what, p) -> {
        if (p.matcher(body).find()) {
          problems.add(v.getKey() + ": " + what);
        }
      });
      assertTrue(body.startsWith("CREATE OR REPLACE VIEW \"hive\".\"" + v.getKey().replace(".", "\".\"") + "\" AS\n"),
          body.substring(0, Math.min(120, body.length())));
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void tablesAreExternalParquetPartitionedByMonth() {
    String ddl = script().tables();
    assertTrue(ddl.contains("CREATE SCHEMA IF NOT EXISTS \"hive\".\"crm\";\n"), ddl);
    assertTrue(ddl.contains("external_location = 's3://acme-lake/crmkpi/util_calendar');"), ddl);
    assertTrue(ddl.contains("\n) WITH (format = 'PARQUET', external_location = 's3://acme-lake/crmkpi/deals', "
        + "partitioned_by = ARRAY['part_month']);\nCALL system.sync_partition_metadata('crm', 'deals', 'FULL');\n"), ddl);
    assertTrue(ddl.contains("\"created_at\" TIMESTAMP(6),"), ddl);
    assertTrue(ddl.contains("\"amount_base\" DECIMAL(18,2)"), ddl);
    // a dimension table: one folder, no partitions
    assertTrue(ddl.contains("WITH (format = 'PARQUET', external_location = 's3://acme-lake/crmkpi/users');"), ddl);
    assertFalse(ddl.contains("sync_partition_metadata('crm', 'users'"), ddl);
  }
}
