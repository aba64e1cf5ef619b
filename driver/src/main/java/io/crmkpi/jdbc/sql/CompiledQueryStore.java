package io.crmkpi.jdbc.sql;

import io.crmkpi.cache.CacheFolder;
import io.crmkpi.cache.CacheKey;
import io.crmkpi.cache.CodeFingerprint;
import io.crmkpi.jdbc.catalog.StoreCatalog;
import io.crmkpi.metrics.MetricLibrary;
import io.crmkpi.model.CanonicalModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Compiled statements kept on disk, one folder per catalog identity (the crmkpi build's compiler,
 * Calcite, the canonical model, and every view's rendered SQL): a new JVM — a CLI run, a restarted
 * BI tool resending its dashboards' SQL — gets a statement it compiled before without starting
 * Calcite (≈ 1.5–3 s of CPU in a cold JVM). A change to any of those parts is another folder, so a
 * compilation is never used for a catalog it was not made for. Any I/O problem only means a compile.
 *
 * <p>A file holds store SQL that runs as it is, so it is authenticated: an HMAC-SHA256 keyed by the
 * user's cache key ({@link CacheKey}) precedes its content. A file with a bad MAC (another user's,
 * a forgery, a damaged one), a file or folder not owned by the user or writable by others is
 * ignored with a logged warning and the statement is compiled again.
 */
final class CompiledQueryStore {

  private static final int FORMAT = 3; // 2: column and parameter types and origins; 3: sealed by a MAC
  /** Folders and files unused this long are removed (other builds, settings, one-off statements). */
  private static final Duration KEEP = Duration.ofDays(14);

  private final Path dir;
  private final CacheKey key;

  private CompiledQueryStore(Path dir, CacheKey key) {
    this.dir = dir;
    this.key = key;
  }

  /**
   * The store for a catalog under {@code base}; empty when the build cannot be identified, or the
   * cache folder cannot be trusted (see {@link CacheKey}).
   */
  static Optional<CompiledQueryStore> open(Path base, String catalogIdentity) {
    String build = BUILD;
    Optional<CacheKey> key = build == null ? Optional.empty() : CacheKey.of(base);
    if (key.isEmpty()) {
      return Optional.empty();
    }
    Path root = base.resolve("compiled");
    Path dir = root.resolve(sha256(build + "\n" + catalogIdentity).substring(0, 32));
    try {
      CacheKey.createPrivateDirectories(dir);
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // a read-only disk: compile every time
    }
    if (!CacheKey.trusted(root) || !CacheKey.trusted(dir)) {
      return Optional.empty();
    }
    Thread sweep = new Thread(() -> CacheFolder.sweep(root, KEEP), "crmkpi-cache-cleanup");
    sweep.setDaemon(true);
    sweep.setPriority(Thread.MIN_PRIORITY);
    sweep.start();
    return Optional.of(new CompiledQueryStore(dir, key.get()));
  }

  /** The compilation of exactly this SQL text, if one was stored. */
  Optional<CompiledQuery> get(String sql) {
    Path f = file(sql);
    if (!Files.exists(f, LinkOption.NOFOLLOW_LINKS) || !CacheKey.trusted(f)) {
      return Optional.empty();
    }
    Optional<byte[]> payload;
    try {
      payload = key.open(Files.readAllBytes(f), f);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    if (payload.isEmpty()) {
      return Optional.empty();
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload.get()))) {
      if (in.readInt() != FORMAT || !readString(in).equals(sql)) {
        return Optional.empty(); // another layout, or (never seen) a hash collision
      }
      String storeSql = readString(in);
      List<Integer> order = new ArrayList<>();
      for (int i = in.readInt(); i > 0; i--) {
        order.add(in.readInt());
      }
      List<CompiledQuery.Column> columns = readColumns(in);
      List<CompiledQuery.Column> parameters = readColumns(in);
      CacheFolder.touch(dir);
      return Optional.of(new CompiledQuery(storeSql, List.copyOf(order), columns, parameters));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Stores a compilation (written to a temporary file and moved: readers never see half of one). */
  void put(String sql, CompiledQuery q) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        out.writeInt(FORMAT);
        writeString(out, sql);
        writeString(out, q.storeSql());
        out.writeInt(q.paramOrder().size());
        for (int i : q.paramOrder()) {
          out.writeInt(i);
        }
        writeColumns(out, q.columns());
        writeColumns(out, q.parameters());
      }
      CacheKey.createPrivateDirectories(dir);
      Path f = file(sql);
      Path tmp = Files.createTempFile(dir, "q", ".tmp"); // mode 0600 where modes exist
      Files.write(tmp, key.seal(bytes.toByteArray()));
      Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException ignored) {
      // a read-only or full disk: the next JVM compiles again
    }
  }

  private Path file(String sql) {
    return dir.resolve(sha256(sql).substring(0, 40) + ".q");
  }

  private static void writeColumns(DataOutputStream out, List<CompiledQuery.Column> columns) throws IOException {
    out.writeInt(columns.size());
    for (CompiledQuery.Column c : columns) {
      writeString(out, c.label());
      writeString(out, c.typeName());
      out.writeInt(c.jdbcType());
      out.writeInt(c.precision());
      out.writeInt(c.scale());
      out.writeBoolean(c.nullable());
      writeString(out, c.schema());
      writeString(out, c.table());
      writeString(out, c.column());
    }
  }

  private static List<CompiledQuery.Column> readColumns(DataInputStream in) throws IOException {
    List<CompiledQuery.Column> out = new ArrayList<>();
    for (int i = in.readInt(); i > 0; i--) {
      out.add(new CompiledQuery.Column(readString(in), readString(in), in.readInt(), in.readInt(), in.readInt(),
          in.readBoolean(), readString(in), readString(in), readString(in)));
    }
    return List.copyOf(out);
  }

  /** Where the compilation of {@code sql} is kept (tests). */
  Path fileFor(String sql) {
    return file(sql);
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readString(DataInputStream in) throws IOException {
    return new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8);
  }

  /**
   * The code that decides a compilation: the class files of the compiler, the catalog, the canonical
   * model and the metrics packages, and Calcite's validator, SQL-to-rel and rel-to-SQL converters.
   * Null when they cannot be read (then nothing is stored).
   */
  private static final String BUILD = CodeFingerprint.of(
      List.of(SqlCompiler.class, StoreCatalog.class, CanonicalModel.class, MetricLibrary.class),
      List.of("org/apache/calcite/sql/validate/SqlValidatorImpl.class",
          "org/apache/calcite/sql2rel/SqlToRelConverter.class", "org/apache/calcite/rel/rel2sql/SqlImplementor.class"));

  static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
