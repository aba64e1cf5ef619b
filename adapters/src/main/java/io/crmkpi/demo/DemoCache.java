package io.crmkpi.demo;

import io.crmkpi.cache.CacheFolder;
import io.crmkpi.cache.CacheKey;
import io.crmkpi.cache.CodeFingerprint;
import io.crmkpi.model.CanonicalModel;
import io.crmkpi.model.Table;
import io.crmkpi.store.LoadReport;
import io.crmkpi.store.Store;
import io.crmkpi.store.StoreDerivations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Keeps generated demo stores on disk, one DuckDB file per generator build, size, seed, day and
 * currency: the demo is deterministic for these, so a later connect (a new JVM, a CLI run) copies
 * the tables in (≈ 0.1 s) instead of generating and deriving them again (≈ 2 s of CPU in a cold
 * JVM, most of the default demo's connect time). Any problem with the cache falls back to generating.
 * A file is attached only when it carries this user's MAC ({@link CacheKey}): a DuckDB file someone
 * else planted in a shared cache folder could hold views that run any store SQL on restore.
 */
final class DemoCache {

  /** Larger demos are generated each time (the benchmark sizes would take hundreds of MB). */
  static final int MAX_DEALS = 100_000;
  /** Files of other days, sizes or builds are removed after this long unused. */
  private static final Duration KEEP = Duration.ofDays(2);
  private static final String REPORT = "demo_load_report";

  private final Path dir;
  private final CacheKey key;

  private DemoCache(Path dir, CacheKey key) {
    this.dir = dir;
    this.key = key;
  }

  /**
   * The demo cache under the {@code cache} setting's folder (see {@link CacheFolder}), if caching is
   * on and the folder can be trusted.
   */
  static Optional<DemoCache> from(Optional<String> setting) {
    return CacheFolder.of(setting).flatMap(base -> CacheKey.of(base).map(k -> new DemoCache(base.resolve("demo"), k)));
  }

  /** The file holding this generation, or null when it is too large to cache. */
  Path file(DemoGenerator g, String currency) {
    if (g.deals() > MAX_DEALS || FINGERPRINT == null) {
      return null;
    }
    return dir.resolve("demo-" + g.deals() + "-" + g.seed() + "-" + g.today() + "-" + currency + "-v"
        + CanonicalModel.VERSION + "-" + FINGERPRINT + ".duckdb");
  }

  /** Copies a cached generation into the (empty) store; empty when there is none or it is unusable. */
  Optional<LoadReport> restore(Store store, Path file, String source) {
    if (file == null || !Files.isRegularFile(file) || !CacheKey.trusted(dir) || !key.verifyFile(file)) {
      return Optional.empty();
    }
    try (Connection c = store.connect(); Statement s = c.createStatement()) {
      s.execute("ATTACH " + literal(file) + " AS demo_cache (READ_ONLY)");
      try {
        c.setAutoCommit(false);
        for (Table t : CanonicalModel.tables()) {
          s.execute("INSERT INTO crm." + t.name() + " SELECT * FROM demo_cache.crm." + t.name());
        }
        LoadReport report = new LoadReport(source);
        try (ResultSet rs = s.executeQuery("SELECT input, entity, loaded, rejected FROM demo_cache.main." + REPORT
            + " ORDER BY seq")) {
          while (rs.next()) {
            report.add(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4));
          }
        }
        c.commit();
        CacheFolder.touch(file);
        CacheFolder.touch(file.resolveSibling(file.getFileName() + ".mac"));
        return Optional.of(report);
      } catch (SQLException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
        s.execute("DETACH demo_cache");
      }
    } catch (SQLException e) {
      // a file of an older layout, half written by a crashed run, or damaged: generate instead
      CacheFolder.delete(file);
      return Optional.empty();
    }
  }

  /**
   * Writes the store's canonical tables and the load report to the cache; a failure (read-only home,
   * full disk) only costs the next connect the generation. Written under a temporary name and moved
   * into place, so a concurrent connect never reads half a file.
   */
  void save(Store store, Path file, LoadReport report) {
    if (file == null) {
      return;
    }
    Path tmp = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + "-"
        + Thread.currentThread().getId() + ".tmp");
    try {
      CacheKey.createPrivateDirectories(dir);
      CacheFolder.sweep(dir, KEEP);
      try (Connection c = store.connect(); Statement s = c.createStatement()) {
        s.execute("ATTACH " + literal(tmp) + " AS demo_cache");
        try {
          s.execute("CREATE SCHEMA demo_cache.crm");
          for (Table t : CanonicalModel.tables()) {
            s.execute("CREATE TABLE demo_cache.crm." + t.name() + " AS SELECT * FROM crm." + t.name());
          }
          s.execute("CREATE TABLE demo_cache.main." + REPORT
              + " (seq INTEGER, input VARCHAR, entity VARCHAR, loaded BIGINT, rejected BIGINT)");
          int seq = 0;
          for (LoadReport.Line l : report.lines()) {
            s.execute("INSERT INTO demo_cache.main." + REPORT + " VALUES (" + seq++ + ", " + literal(l.input()) + ", "
                + literal(l.entity()) + ", " + l.loaded() + ", " + l.rejected() + ")");
          }
        } finally {
          s.execute("DETACH demo_cache");
        }
      }
      if (Files.getFileAttributeView(tmp, java.nio.file.attribute.PosixFileAttributeView.class) != null) {
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      key.sealFile(file);
    } catch (SQLException | IOException | RuntimeException e) {
      CacheFolder.delete(tmp);
    }
  }

  private static String literal(Object value) {
    return "'" + String.valueOf(value).replace("'", "''") + "'";
  }

  /**
   * Identifies the code that decides the demo's rows (generator, derivations, store, model): a
   * changed build never reads a file another build wrote. Null (no cache) when the class files
   * cannot be read.
   */
  static final String FINGERPRINT = fingerprint();

  private static String fingerprint() {
    String f = CodeFingerprint.of(List.of(DemoGenerator.class, StoreDerivations.class, CanonicalModel.class), List.of());
    return f == null ? null : f.substring(0, 16);
  }
}
