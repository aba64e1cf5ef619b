package io.crmkpi.jdbc.sql;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Compiled statements kept on disk, one folder per catalog identity (the crmkpi build's compiler,
 * Calcite, the canonical model, and every view's rendered SQL): a new JVM — a CLI run, a restarted
 * BI tool resending its dashboards' SQL — gets a statement it compiled before without starting
 * Calcite (≈ 1.5–3 s of CPU in a cold JVM). A change to any of those parts is another folder, so a
 * compilation is never used for a catalog it was not made for. Any I/O problem only means a compile.
 */
final class CompiledQueryStore {

  private static final int FORMAT = 1;
  /** Folders and files unused this long are removed (other builds, settings, one-off statements). */
  private static final Duration KEEP = Duration.ofDays(14);

  private final Path dir;

  private CompiledQueryStore(Path dir) {
    this.dir = dir;
  }

  /** The store for a catalog under {@code base}; empty when the build cannot be identified. */
  static Optional<CompiledQueryStore> open(Path base, String catalogIdentity) {
    String build = BUILD;
    if (build == null) {
      return Optional.empty();
    }
    Path root = base.resolve("compiled");
    removeStale(root);
    return Optional.of(new CompiledQueryStore(root.resolve(sha256(build + "\n" + catalogIdentity).substring(0, 32))));
  }

  /** The compilation of exactly this SQL text, if one was stored. */
  Optional<CompiledQuery> get(String sql) {
    Path f = file(sql);
    try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(f)))) {
      if (in.readInt() != FORMAT || !readString(in).equals(sql)) {
        return Optional.empty(); // another layout, or (never seen) a hash collision
      }
      String storeSql = readString(in);
      int params = in.readInt();
      List<Integer> order = new ArrayList<>();
      for (int i = in.readInt(); i > 0; i--) {
        order.add(in.readInt());
      }
      List<String> names = new ArrayList<>();
      for (int i = in.readInt(); i > 0; i--) {
        names.add(readString(in));
      }
      touch(dir);
      return Optional.of(new CompiledQuery(storeSql, List.copyOf(order), List.copyOf(names), params));
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
        out.writeInt(q.parameterCount());
        out.writeInt(q.paramOrder().size());
        for (int i : q.paramOrder()) {
          out.writeInt(i);
        }
        out.writeInt(q.columnNames().size());
        for (String n : q.columnNames()) {
          writeString(out, n);
        }
      }
      Files.createDirectories(dir);
      Path f = file(sql);
      Path tmp = Files.createTempFile(dir, "q", ".tmp");
      Files.write(tmp, bytes.toByteArray());
      Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException ignored) {
      // a read-only or full disk: the next JVM compiles again
    }
  }

  private Path file(String sql) {
    return dir.resolve(sha256(sql).substring(0, 40) + ".q");
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readString(DataInputStream in) throws IOException {
    return new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8);
  }

  private static void touch(Path p) {
    try {
      Files.setLastModifiedTime(p, FileTime.from(Instant.now()));
    } catch (IOException ignored) {
      // only the clean-up age depends on it
    }
  }

  /** Removes catalog folders nobody used for {@link #KEEP}, on a background thread. */
  private static void removeStale(Path root) {
    Thread t = new Thread(() -> {
      Instant cutoff = Instant.now().minus(KEEP);
      try (Stream<Path> dirs = Files.list(root)) {
        for (Path d : dirs.toList()) {
          if (Files.getLastModifiedTime(d).toInstant().isBefore(cutoff)) {
            try (Stream<Path> files = Files.list(d)) {
              for (Path f : files.toList()) {
                Files.deleteIfExists(f);
              }
            }
            Files.deleteIfExists(d);
          }
        }
      } catch (IOException | RuntimeException ignored) {
        // nothing there yet, or another process cleans up too
      }
    }, "crmkpi-cache-cleanup");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
  }

  /**
   * The code that decides a compilation: the class files of the compiler, the catalog and the
   * canonical model packages, and Calcite's validator, SQL-to-rel and rel-to-SQL converters. Null
   * when they cannot be read (then nothing is stored).
   */
  private static final String BUILD = build();

  private static String build() {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (String anchor : List.of("io.crmkpi.jdbc.sql.SqlCompiler", "io.crmkpi.jdbc.catalog.StoreCatalog",
          "io.crmkpi.model.CanonicalModel", "io.crmkpi.metrics.MetricLibrary")) {
        hashPackage(md, Class.forName(anchor));
      }
      for (String c : List.of("org/apache/calcite/sql/validate/SqlValidatorImpl.class",
          "org/apache/calcite/sql2rel/SqlToRelConverter.class", "org/apache/calcite/rel/rel2sql/SqlImplementor.class")) {
        try (InputStream in = SqlCompiler.class.getClassLoader().getResourceAsStream(c)) {
          if (in == null) {
            return null;
          }
          md.update(in.readAllBytes());
        }
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException | ClassNotFoundException | NoSuchAlgorithmException | URISyntaxException | RuntimeException e) {
      return null;
    }
  }

  /** Every class file of the anchor's package (not sub-packages), in name order, from its jar or folder. */
  private static void hashPackage(MessageDigest md, Class<?> anchor) throws IOException, URISyntaxException {
    String prefix = anchor.getPackageName().replace('.', '/') + "/";
    Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    if (Files.isDirectory(location)) {
      try (Stream<Path> files = Files.list(location.resolve(prefix))) {
        for (Path f : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
          md.update(f.getFileName().toString().getBytes(StandardCharsets.UTF_8));
          md.update(Files.readAllBytes(f));
        }
      }
      return;
    }
    try (JarFile jar = new JarFile(location.toFile())) {
      List<JarEntry> entries = jar.stream()
          .filter(e -> e.getName().startsWith(prefix) && e.getName().endsWith(".class")
              && e.getName().indexOf('/', prefix.length()) < 0)
          .sorted((a, b) -> a.getName().compareTo(b.getName()))
          .toList();
      for (JarEntry e : entries) {
        md.update(e.getName().getBytes(StandardCharsets.UTF_8));
        try (InputStream in = jar.getInputStream(e)) {
          md.update(in.readAllBytes());
        }
      }
    }
  }

  static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
