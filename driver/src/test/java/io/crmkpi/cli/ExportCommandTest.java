package io.crmkpi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmkpi.jdbc.StoreAccess;
import io.crmkpi.jdbc.StoreRegistryAccess;
import io.crmkpi.model.CanonicalModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code crmkpi export} as a user runs it: the Parquet files read back by DuckDB's own
 * {@code read_parquet} equal the store's tables row for row, with the types readers expect; the
 * partitions of a small folder are the hand-counted ones; a re-export after a change rewrites exactly
 * the changed partitions (the others keep their inode, mtime and bytes) and removes the emptied one.
 */
class ExportCommandTest {

  @TempDir
  Path tmp;

  private static final String STAGES = "stage_id,pipeline_id,name,sort_order,kind\n"
      + "s1,p1,New,1,open\n"
      + "won,p1,Won,10,won\n"
      + "lost,p1,Lost,11,lost\n";
  private static final String DEALS_V1 = "deal_id,title,pipeline_id,stage_id,amount,currency,created_at\n"
      + "d1,One,p1,s1,100.00,USD,2024-01-10 10:00:00\n"
      + "d2,Two,p1,s1,50,USD,2024-01-20 09:00:00\n"
      + "d3,Three,p1,s1,10.02,USD,2024-02-05 12:00:00\n"
      + "d4,Four,p1,s1,70,USD,2024-03-01 08:00:00\n";
  // d1's amount changed (2024-01), d3 deleted (2024-02 is left empty), d4 as it was (2024-03), d5 new (2024-04)
  private static final String DEALS_V2 = "deal_id,title,pipeline_id,stage_id,amount,currency,created_at\n"
      + "d1,One,p1,s1,120.00,USD,2024-01-10 10:00:00\n"
      + "d2,Two,p1,s1,50,USD,2024-01-20 09:00:00\n"
      + "d4,Four,p1,s1,70,USD,2024-03-01 08:00:00\n"
      + "d5,Five,p1,s1,30,USD,2024-04-02 11:00:00\n";
  // a2 has no date: Hive's NULL partition
  private static final String ACTIVITIES = "activity_id,kind,deal_id,created_at\n"
      + "a1,call,d1,2024-01-05 10:00:00\n"
      + "a2,note,d2,\n";

  @Test
  void demoExportReadsBackRowForRowWithReadersTypes() throws Exception {
    String url = "jdbc:crmkpi:demo;deals=400;today=2025-06-30";
    Path out = tmp.resolve("lake");
    CrmKpiCliTest.Run r = CrmKpiCliTest.run("export", "--url", url, "--to", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("export: crm.deals: 400 rows, "), r.err());
    JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
    assertEquals("crmkpi-lake", manifest.get("format").asText());
    assertEquals(CanonicalModel.VERSION, manifest.get("schema_version").asInt());
    assertEquals("UTC", manifest.get("timezone").asText());
    assertEquals(url, manifest.get("source").asText());
    assertEquals(CanonicalModel.tables().size() + 1, manifest.get("tables").size());
    assertEquals("util.calendar", manifest.get("tables").get(CanonicalModel.tables().size()).get("name").asText());

    StoreRegistryAccess.closeUnused();
    try (Connection c = DriverManager.getConnection(url); Connection files = DriverManager.getConnection("jdbc:duckdb:")) {
      Connection store = StoreAccess.raw(c);
      long total = 0;
      for (JsonNode t : manifest.get("tables")) {
        String name = t.get("name").asText();
        List<String> cols = new ArrayList<>();
        t.get("columns").forEach(col -> cols.add("\"" + col.get("name").asText() + "\""));
        String select = String.join(", ", cols);
        List<String> expected = rows(store, "SELECT " + select + " FROM " + name + " ORDER BY ALL");
        List<String> actual = Files.exists(out.resolve(t.get("path").asText()))
            && !parquetFiles(out.resolve(t.get("path").asText())).isEmpty()
            ? rows(files, "SELECT " + select + " FROM read_parquet('" + out.resolve(t.get("path").asText())
                + "/**/*.parquet', hive_partitioning = false) ORDER BY ALL")
            : List.of();
        assertEquals(expected, actual, name);
        assertEquals(expected.size(), t.get("rows").asLong(), name);
        long parts = 0;
        for (JsonNode p : t.get("partitions")) {
          parts += p.get("rows").asLong();
        }
        assertEquals(expected.size(), parts, name);
        total += expected.size();
      }
      assertTrue(total > 100_000, "the demo exported " + total + " rows");
      // what a Spark/Trino reader sees in the files: decimals stay decimal, timestamps are wall-clock ones
      // (isAdjustedToUTC = false, Spark 3.4+: TIMESTAMP_NTZ), dates are dates
      Map<String, String> schema = new TreeMap<>();
      for (String row : rows(files, "SELECT name, logical_type, converted_type FROM parquet_schema('"
          + parquetFiles(out.resolve("deals")).get(0) + "') WHERE name IN ('amount', 'created_at', "
          + "'expected_close_date', 'probability')")) {
        schema.put(row.substring(0, row.indexOf('|')), row.substring(row.indexOf('|') + 1));
      }
      assertEquals("DecimalType(scale=2, precision=18)|DECIMAL", schema.get("amount"));
      assertEquals("TimestampType(isAdjustedToUTC=0, unit=TimeUnit(MILLIS=<null>, MICROS=MicroSeconds(), "
          + "NANOS=<null>))|TIMESTAMP_MICROS", schema.get("created_at"));
      assertEquals("null|DATE", schema.get("expected_close_date"));
      assertEquals("null|null", schema.get("probability"));
    } finally {
      StoreRegistryAccess.closeUnused();
    }
  }

  @Test
  void partitionsAreTheHandCountedOnesAndAReExportRewritesOnlyTheChangedOnes() throws Exception {
    Path in = Files.createDirectory(tmp.resolve("in"));
    write(in.resolve("stages.csv"), STAGES);
    write(in.resolve("deals.csv"), DEALS_V1);
    write(in.resolve("activities.csv"), ACTIVITIES);
    String url = "jdbc:crmkpi:files:" + in + ";store=" + tmp.resolve("store.duckdb");
    Path out = tmp.resolve("lake");

    CrmKpiCliTest.Run first = CrmKpiCliTest.run("export", "--url", url, "--to", out.toString());
    StoreRegistryAccess.closeUnused();
    assertEquals(0, first.code(), first.err());
    assertEquals(Map.of("part_month=2024-01", 2L, "part_month=2024-02", 1L, "part_month=2024-03", 1L),
        partitionRows(out.resolve("deals")));
    assertEquals(Map.of("part_month=2024-01", 1L, "part_month=__HIVE_DEFAULT_PARTITION__", 1L),
        partitionRows(out.resolve("activities")));
    assertEquals(List.of("a2|null"), duck("SELECT activity_id, created_at FROM read_parquet('" + out.resolve("activities/part_month=__HIVE_DEFAULT_PARTITION__") + "/*.parquet')"));
    assertEquals(Map.of("", 3L), partitionRows(out.resolve("stages")));
    Map<String, Fingerprint> before = snapshot(out);
    Map<String, String> fp1 = fingerprints(out);

    // unchanged input: nothing is written, every file keeps its inode and mtime
    CrmKpiCliTest.Run same = CrmKpiCliTest.run("export", "--url", url, "--to", out.toString());
    StoreRegistryAccess.closeUnused();
    assertEquals(0, same.code(), same.err());
    assertTrue(same.out().contains(": 0 partitions written, "), same.out());
    assertEquals(before, snapshot(out));

    write(in.resolve("deals.csv"), DEALS_V2);
    CrmKpiCliTest.Run second = CrmKpiCliTest.run("export", "--url", url, "--to", out.toString());
    StoreRegistryAccess.closeUnused();
    assertEquals(0, second.code(), second.err());
    assertTrue(second.err().contains("export: crm.deals: 4 rows, 3 partitions, 2 written, 1 removed"), second.err());
    assertEquals(Map.of("part_month=2024-01", 2L, "part_month=2024-03", 1L, "part_month=2024-04", 1L),
        partitionRows(out.resolve("deals")));
    Map<String, Fingerprint> after = snapshot(out);
    String jan = "deals/part_month=2024-01/data_0.parquet";
    String mar = "deals/part_month=2024-03/data_0.parquet";
    assertNotEquals(before.get(jan), after.get(jan));
    assertEquals(before.get(mar), after.get(mar));
    assertFalse(after.containsKey("deals/part_month=2024-02/data_0.parquet"));
    assertTrue(after.containsKey("deals/part_month=2024-04/data_0.parquet"));
    // the activities did not change: both partitions untouched
    for (String k : before.keySet()) {
      if (k.startsWith("activities/")) {
        assertEquals(before.get(k), after.get(k), k);
      }
    }
    assertEquals(List.of("120.00", "50.00"), duck("SELECT amount FROM read_parquet('" + out.resolve(jan)
        + "') ORDER BY deal_id"));
    // over every table: the files the second export rewrote are exactly those of the partitions whose
    // fingerprint changed in the manifest (the history and orders derived from the deals included)
    Map<String, String> fp2 = fingerprints(out);
    List<String> rewritten = after.keySet().stream().filter(k -> !after.get(k).equals(before.get(k)))
        .map(k -> k.substring(0, k.lastIndexOf('/'))).sorted().toList();
    List<String> changed = fp2.keySet().stream().filter(k -> !fp2.get(k).equals(fp1.get(k))).sorted().toList();
    assertEquals(changed, rewritten);
    assertTrue(changed.containsAll(List.of("deals/part_month=2024-01", "deals/part_month=2024-04")), changed.toString());
    assertFalse(changed.contains("deals/part_month=2024-03"), changed.toString());
  }

  @Test
  void aFolderThatIsNoExportIsRefusedUnlessForced() throws Exception {
    Path out = Files.createDirectory(tmp.resolve("docs"));
    write(out.resolve("notes.txt"), "mine");
    CrmKpiCliTest.Run r = CrmKpiCliTest.run("export", "--url", "jdbc:crmkpi:demo;deals=50", "--to", out.toString());
    assertEquals(1, r.code());
    assertEquals("crmkpi: " + out + ": the folder is not empty and holds no crmkpi export (no manifest.json); export "
        + "into a new or empty folder, or pass --force to write into this one\n", r.err());
    assertFalse(Files.exists(out.resolve("deals")));

    CrmKpiCliTest.Run gs = CrmKpiCliTest.run("export", "--to", "gs://bucket/crm");
    assertEquals(1, gs.code());
    assertEquals("crmkpi: --to gs://bucket/crm: gs:// targets are not supported; use a local folder or "
        + "s3://bucket/prefix (any S3-compatible store, with --s3-endpoint)\n", gs.err());

    Path file = Files.writeString(tmp.resolve("lake.txt"), "x");
    CrmKpiCliTest.Run notFolder = CrmKpiCliTest.run("export", "--to", file.toString());
    assertEquals("crmkpi: " + file + ": not a folder\n", notFolder.err());
  }

  private static List<String> duck(String sql) throws SQLException {
    try (Connection d = DriverManager.getConnection("jdbc:duckdb:")) {
      return rows(d, sql);
    }
  }

  /** Partition path -> fingerprint, from the manifest. */
  private static Map<String, String> fingerprints(Path out) throws Exception {
    Map<String, String> m = new TreeMap<>();
    for (JsonNode t : new ObjectMapper().readTree(out.resolve("manifest.json").toFile()).get("tables")) {
      for (JsonNode p : t.get("partitions")) {
        m.put(p.get("path").asText(), p.get("fingerprint").asText());
      }
    }
    return m;
  }

  /** A file's identity and content: inode, mtime and bytes. */
  record Fingerprint(Object inode, long mtime, List<Byte> bytes) {
  }

  private static Map<String, Fingerprint> snapshot(Path root) throws Exception {
    Map<String, Fingerprint> m = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".parquet")).toList()) {
        BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
        List<Byte> bytes = new ArrayList<>();
        for (byte b : Files.readAllBytes(f)) {
          bytes.add(b);
        }
        m.put(root.relativize(f).toString(), new Fingerprint(a.fileKey(), a.lastModifiedTime().toMillis(), bytes));
      }
    }
    return m;
  }

  /** Rows per partition folder ("" for files directly in the table folder), read with DuckDB. */
  private static Map<String, Long> partitionRows(Path tableDir) throws Exception {
    Map<String, Long> m = new LinkedHashMap<>();
    try (Connection d = DriverManager.getConnection("jdbc:duckdb:")) {
      for (Path f : parquetFiles(tableDir)) {
        String part = f.getParent().equals(tableDir) ? "" : f.getParent().getFileName().toString();
        long n = Long.parseLong(rows(d, "SELECT count(*) FROM read_parquet('" + f + "')").get(0));
        m.merge(part, n, Long::sum);
      }
    }
    return m;
  }

  private static List<Path> parquetFiles(Path dir) throws Exception {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
    }
  }

  private static void write(Path file, String text) throws Exception {
    Files.write(file, text.getBytes(StandardCharsets.UTF_8));
  }

  private static List<String> rows(Connection c, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringJoiner j = new StringJoiner("|");
        for (int i = 1; i <= n; i++) {
          j.add(String.valueOf(rs.getString(i)));
        }
        out.add(j.toString());
      }
    }
    return out;
  }
}
