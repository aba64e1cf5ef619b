package io.crmkpi.bench;

import io.crmkpi.jdbc.StoreExportAccess;
import io.crmkpi.lake.LakeExport;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * {@code crmkpi export} against DuckDB's own {@code COPY (SELECT * FROM crm.<t>) TO … (FORMAT PARQUET)} of
 * the same tables (and util.calendar) from the same store, side by side in one run, medians of
 * {@code bench.runs}: a full export into an empty folder (fingerprints, partitioned COPY, moves,
 * manifest), a re-export with nothing changed (fingerprints only), and the plain COPY.
 *
 * <p>Run: {@code mvn -B -o -pl driver -am -Pbench verify -Dbench.main=io.crmkpi.bench.LakeExportBenchmark
 * -Dbench.deals=1000000} (the demo store file {@code bench-data/demo-<deals>.duckdb} is generated once and
 * shared with KpiBenchmark).
 */
public final class LakeExportBenchmark {

  private LakeExportBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    int deals = Integer.getInteger("bench.deals", 1_000_000);
    int runs = Integer.getInteger("bench.runs", 3);
    Path dir = Path.of(System.getProperty("bench.dir", "bench-data")).toAbsolutePath();
    Files.createDirectories(dir);
    Path store = dir.resolve("demo-" + deals + ".duckdb");
    String url = "jdbc:crmkpi:demo;deals=" + deals + ";store=" + store + ";refresh=never";
    Path root = dir.resolve("lake-" + deals);
    deleteTree(root);
    Path staging = root.resolve(".crmkpi-staging"); // what LakeExport.open(root) stages into: the store may write it
    long t0 = System.nanoTime();
    List<Double> full = new ArrayList<>();
    List<Double> again = new ArrayList<>();
    List<Double> plain = new ArrayList<>();
    long rows = 0;
    int partitions = 0;
    long lakeBytes = 0;
    long plainBytes = 0;
    List<String> tables = new ArrayList<>();
    try (Connection c = StoreExportAccess.connect(staging, () -> DriverManager.getConnection(url));
         Connection raw = StoreExportAccess.raw(c)) {
      long openMs = (System.nanoTime() - t0) / 1_000_000;
      System.out.println("store open (generated on first use): " + openMs + " ms");
      try (Statement s = raw.createStatement();
           ResultSet rs = s.executeQuery("SELECT schema_name || '.' || table_name FROM duckdb_tables() "
               + "WHERE schema_name = 'crm' OR (schema_name = 'util' AND table_name = 'calendar') ORDER BY 1")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      for (int run = 0; run < runs; run++) {
        deleteTree(root);
        long a = System.nanoTime();
        LakeExport.Result r;
        try (LakeExport export = LakeExport.open(root, false)) {
          r = export.run(raw, "bench", url, m -> { });
        }
        full.add((System.nanoTime() - a) / 1e6);
        rows = r.rows();
        partitions = r.written();
        lakeBytes = bytes(root);
        long b = System.nanoTime();
        try (LakeExport export = LakeExport.open(root, false)) {
          r = export.run(raw, "bench", url, m -> { });
        }
        again.add((System.nanoTime() - b) / 1e6);
        if (r.written() != 0) {
          throw new IllegalStateException("an unchanged re-export wrote " + r.written() + " partitions");
        }
        // the peer: DuckDB's own COPY of each table, one file per table, into the folder the store may write
        Files.createDirectories(staging);
        Path peer = Files.createDirectories(staging.resolve("plain"));
        long p = System.nanoTime();
        try (Statement s = raw.createStatement()) {
          for (String t : tables) {
            s.execute("COPY (SELECT * FROM " + t + ") TO '" + peer.resolve(t + ".parquet") + "' (FORMAT PARQUET)");
          }
        }
        plain.add((System.nanoTime() - p) / 1e6);
        plainBytes = bytes(peer);
        deleteTree(staging);
      }
    }
    double f = median(full);
    double g = median(again);
    double q = median(plain);
    String report = String.format(Locale.ROOT, "### deals=%d%n%n%d tables, %,d rows; crmkpi export: %d files "
            + "(%.0f MB), plain COPY: %d files (%.0f MB). Medians of %d runs.%n%n"
            + "| step | ms | ratio to plain COPY |%n|---|---:|---:|%n"
            + "| crmkpi export, empty folder (fingerprints, partitioned COPY, moves, manifest) | %.0f | %.2f |%n"
            + "| crmkpi export again, nothing changed (fingerprints only, no file written) | %.0f | %.2f |%n"
            + "| DuckDB `COPY (SELECT * FROM t) TO 't.parquet' (FORMAT PARQUET)`, every table | %.0f | 1.00 |%n%n"
            + "Runs (ms): export %s; again %s; plain COPY %s.%n",
        deals, tables.size(), rows, partitions, lakeBytes / 1e6, tables.size(), plainBytes / 1e6, runs,
        f, f / q, g, g / q, q, full, again, plain);
    System.out.println(report);
    Path out = dir.resolve("lake-report.md");
    Files.writeString(out, report);
    System.out.println("report written to " + out);
    deleteTree(root);
    System.exit(0);
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  private static long bytes(Path dir) throws IOException {
    AtomicLong sum = new AtomicLong();
    try (Stream<Path> files = Files.walk(dir)) {
      files.filter(p -> p.toString().endsWith(".parquet")).forEach(p -> {
        try {
          sum.addAndGet(Files.size(p));
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
    }
    return sum.get();
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        Files.delete(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
