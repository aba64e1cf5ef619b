package io.crmkpi.lake;

import io.crmkpi.model.CanonicalModel;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.Consumer;

/**
 * One export into a local folder: {@link #open} checks the folder and takes it (a lock file, a fresh
 * staging folder the store may write), {@link #run} writes what changed and the manifest last,
 * {@link #close} removes the staging folder and lets the folder go.
 *
 * <p>Each table's changed partitions are written by one DuckDB {@code COPY … (FORMAT PARQUET,
 * PARTITION_BY (part_month))} into the staging folder, then each partition's files are moved into
 * place (a rename on the same file system: a reader sees a partition's old file or its new one, never
 * half of one). A partition whose fingerprint (row count and an order-independent sum of row hashes,
 * with the table's column list) equals the previous manifest's is not touched; a partition gone from
 * the store is removed.
 */
public final class LakeExport implements AutoCloseable {

  /** Hidden names in the root that belong to an export in progress, never to the data. */
  static final String STAGING = ".crmkpi-staging";
  static final String LOCK = ".crmkpi-export.lock";

  /** What one export did. */
  public record Result(int tables, long rows, int written, int unchanged, int removed) {
  }

  private final Path root;
  private final Path staging;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final Map<String, String> previous;

  private LakeExport(Path root, Path staging, FileChannel lockChannel, FileLock lock, Map<String, String> previous) {
    this.root = root;
    this.staging = staging;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.previous = previous;
  }

  /**
   * Takes {@code folder} for an export: created when missing; an existing one must be empty or hold a
   * crmkpi export ({@code manifest.json}) unless {@code force}.
   */
  public static LakeExport open(Path folder, boolean force) throws LakeException {
    Path root = folder.toAbsolutePath().normalize();
    if (Files.exists(root) && !Files.isDirectory(root)) {
      throw new LakeException(folder + ": not a folder");
    }
    Map<String, String> previous = Map.of();
    if (Files.isDirectory(root)) {
      try {
        previous = LakeManifest.read(root).map(LakeManifest::fingerprints).orElse(null);
      } catch (LakeException e) {
        if (!force) {
          throw new LakeException(e.getMessage() + "; pass --force to export into " + folder + " anyway");
        }
        previous = null;
      }
      if (previous == null) {
        if (!force && hasForeignFiles(root)) {
          throw new LakeException(folder + ": the folder is not empty and holds no crmkpi export (no " + LakeManifest.FILE
              + "); export into a new or empty folder, or pass --force to write into this one");
        }
        previous = Map.of();
      }
    }
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new LakeException(folder + ": cannot create the folder (" + reason(e) + ")");
    }
    if (!Files.isWritable(root)) {
      throw new LakeException(folder + ": the folder is not writable");
    }
    FileChannel channel = null;
    try {
      channel = FileChannel.open(root.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (java.nio.channels.OverlappingFileLockException e) {
        lock = null; // held by this JVM
      }
      if (lock == null) {
        throw new LakeException(folder + ": another crmkpi export is writing into this folder now");
      }
      Path staging = root.resolve(STAGING);
      deleteTree(staging); // left by an export that was stopped
      Files.createDirectory(staging);
      return new LakeExport(root, staging, channel, lock, previous);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new LakeException(folder + ": cannot write into the folder (" + reason(e) + ")");
    } catch (LakeException | RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  /** The folder the store must be allowed to write (DuckDB writes only here; files are moved out). */
  public Path staging() {
    return staging;
  }

  /**
   * Writes every table that changed since the last export from {@code store} (a raw connection to the
   * store, allowed to write {@link #staging()}), then the manifest. {@code source}: the masked URL.
   */
  public Result run(Connection store, String crmkpiVersion, String source, Consumer<String> progress)
      throws LakeException {
    List<LakeManifest.TableEntry> entries = new ArrayList<>();
    long rows = 0;
    int written = 0;
    int unchanged = 0;
    int removed = 0;
    try {
      store.setAutoCommit(false); // one snapshot: the fingerprints and the files are of the same data
      for (LakeTable table : LakeTable.all(store)) {
        List<LakeManifest.PartitionEntry> parts = partitions(store, table);
        List<LakeManifest.PartitionEntry> changed = new ArrayList<>();
        for (LakeManifest.PartitionEntry p : parts) {
          if (!p.fingerprint().equals(previous.get(p.path())) || !hasParquet(root.resolve(p.path()))) {
            changed.add(p);
          }
        }
        Path tableDir = root.resolve(table.folder());
        Files.createDirectories(tableDir);
        if (!changed.isEmpty()) {
          write(store, table, changed, changed.size() == parts.size());
        }
        int gone = removeStale(table, tableDir, parts);
        long tableRows = parts.stream().mapToLong(LakeManifest.PartitionEntry::rows).sum();
        rows += tableRows;
        written += changed.size();
        unchanged += parts.size() - changed.size();
        removed += gone;
        entries.add(new LakeManifest.TableEntry(table.name(), table.folder(), table.partitionColumn(),
            table.columns(), tableRows, parts));
        progress.accept("export: " + table.name() + ": " + String.format("%,d", tableRows) + " rows"
            + (table.partitioned() ? ", " + parts.size() + " partitions" : "") + ", " + changed.size() + " written"
            + (gone > 0 ? ", " + gone + " removed" : ""));
      }
      LakeManifest manifest = new LakeManifest(LakeManifest.FORMAT, LakeManifest.FORMAT_VERSION, crmkpiVersion,
          CanonicalModel.VERSION, source, storeInfo(store, "loaded_at"), Instant.now().toString(),
          setting(store, "TimeZone"), LakeManifest.Partitioning.standard(), entries);
      manifest.write(root);
      store.commit();
    } catch (SQLException e) {
      throw new LakeException("export into " + root + ": " + firstLine(e), e);
    } catch (IOException e) {
      throw new LakeException("export into " + root + ": " + reason(e), e);
    }
    return new Result(entries.size(), rows, written, unchanged, removed);
  }

  /** Row count and fingerprint of each partition (one for a one-file table), in partition order. */
  private static List<LakeManifest.PartitionEntry> partitions(Connection store, LakeTable table) throws SQLException {
    String rowHash = "sum(hash(t)::HUGEINT)::VARCHAR";
    String from = " FROM (SELECT " + table.selectList() + " FROM " + table.sqlName() + ") AS t";
    List<LakeManifest.PartitionEntry> out = new ArrayList<>();
    try (Statement s = store.createStatement()) {
      if (!table.partitioned()) {
        try (ResultSet rs = s.executeQuery("SELECT count(*), " + rowHash + from)) {
          rs.next();
          out.add(new LakeManifest.PartitionEntry(null, table.folder(), rs.getLong(1),
              fingerprint(table, rs.getLong(1), rs.getString(2))));
        }
        return out;
      }
      String part = "coalesce(strftime(t." + LakeTable.quote(table.partitionColumn()) + ", '%Y-%m'), '"
          + LakeTable.NULL_PARTITION + "')";
      try (ResultSet rs = s.executeQuery("SELECT " + part + " AS p, count(*), " + rowHash + from
          + " GROUP BY p ORDER BY p")) {
        while (rs.next()) {
          String p = rs.getString(1);
          out.add(new LakeManifest.PartitionEntry(p, table.folder() + "/" + LakeTable.PARTITION_KEY + "=" + p,
              rs.getLong(2), fingerprint(table, rs.getLong(2), rs.getString(3))));
        }
      }
    }
    return out;
  }

  static String fingerprint(LakeTable table, long rows, String hashSum) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] d = sha.digest((table.signature() + "\n" + rows + "\n" + hashSum).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** DuckDB writes the changed partitions into the staging folder; each is then moved into place. */
  private void write(Connection store, LakeTable table, List<LakeManifest.PartitionEntry> changed, boolean all)
      throws SQLException, IOException, LakeException {
    Path staged = staging.resolve(table.folder());
    String select = "SELECT " + table.selectList() + " FROM " + table.sqlName();
    try (Statement s = store.createStatement()) {
      if (!table.partitioned()) {
        Files.createDirectories(staged);
        s.execute("COPY (" + select + ") TO " + literal(staged.resolve("data_0.parquet")) + " (FORMAT PARQUET)");
        install(staged, root.resolve(table.folder()), table);
        return;
      }
      String where = "";
      if (!all) {
        StringJoiner in = new StringJoiner(", ", " WHERE " + table.partitionExpression() + " IN (", ")");
        changed.forEach(p -> in.add("'" + p.partMonth().replace("'", "''") + "'"));
        where = in.toString();
      }
      s.execute("COPY (SELECT " + table.selectList() + ", " + table.partitionExpression() + " AS "
          + LakeTable.PARTITION_KEY + " FROM " + table.sqlName() + where + ") TO " + literal(staged)
          + " (FORMAT PARQUET, PARTITION_BY (" + LakeTable.PARTITION_KEY + "))");
    } catch (SQLException e) {
      if (String.valueOf(e.getMessage()).contains("disabled by configuration")) {
        throw new LakeException(table.name() + ": the store may not write " + staging + " (it was opened by another "
            + "connection in this program before the export); run the export in its own process");
      }
      throw new SQLException(table.name() + ": " + firstLine(e), e);
    }
    for (LakeManifest.PartitionEntry p : changed) {
      install(staged.resolve(LakeTable.PARTITION_KEY + "=" + p.partMonth()), root.resolve(p.path()), table);
    }
  }

  /**
   * Moves every file of {@code from} into {@code to} (each a rename that replaces the old file at
   * once), then deletes the Parquet files of {@code to} the new set does not have.
   */
  private static void install(Path from, Path to, LakeTable table) throws IOException, LakeException {
    if (!Files.isDirectory(from)) {
      throw new LakeException(table.name() + ": DuckDB wrote no file for " + from.getFileName());
    }
    Files.createDirectories(to);
    Set<String> names = new HashSet<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(from)) {
      for (Path f : files) {
        names.add(f.getFileName().toString());
        Files.move(f, to.resolve(f.getFileName()), StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      }
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(to, "*.parquet")) {
      for (Path f : files) {
        if (!names.contains(f.getFileName().toString())) {
          Files.delete(f);
        }
      }
    }
  }

  /** Removes partition folders of {@code table} that the store no longer has; their number. */
  private static int removeStale(LakeTable table, Path tableDir, List<LakeManifest.PartitionEntry> parts)
      throws IOException {
    if (!table.partitioned()) {
      return 0;
    }
    Set<String> keep = new HashSet<>();
    parts.forEach(p -> keep.add(LakeTable.PARTITION_KEY + "=" + p.partMonth()));
    int removed = 0;
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tableDir, LakeTable.PARTITION_KEY + "=*")) {
      for (Path d : dirs) {
        if (!keep.contains(d.getFileName().toString())) {
          deleteTree(d);
          removed++;
        }
      }
    }
    return removed;
  }

  private static boolean hasParquet(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.parquet")) {
      return files.iterator().hasNext();
    }
  }

  private static boolean hasForeignFiles(Path root) throws LakeException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(root)) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        if (!name.equals(STAGING) && !name.equals(LOCK)) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      throw new LakeException(root + ": cannot list the folder (" + reason(e) + ")");
    }
  }

  private static String storeInfo(Connection store, String key) throws SQLException {
    try (Statement s = store.createStatement();
         ResultSet rs = s.executeQuery("SELECT value FROM util.store_info WHERE key = '" + key + "'")) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private static String setting(Connection store, String name) throws SQLException {
    try (Statement s = store.createStatement(); ResultSet rs = s.executeQuery("SELECT current_setting('" + name + "')")) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** Removes the staging folder and lets the folder go. */
  @Override
  public void close() throws LakeException {
    try {
      deleteTree(staging);
    } catch (IOException e) {
      throw new LakeException(staging + ": cannot remove (" + reason(e) + ")");
    } finally {
      try {
        lock.release();
      } catch (IOException ignored) {
        // closing the channel releases it too
      }
      closeQuietly(lockChannel);
    }
  }

  static void deleteTree(Path dir) throws IOException {
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
        if (e != null) {
          throw e;
        }
        Files.delete(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private static void closeQuietly(FileChannel c) {
    if (c != null) {
      try {
        c.close();
      } catch (IOException ignored) {
        // nothing left to release
      }
    }
  }

  private static String literal(Path p) {
    return "'" + p.toString().replace("'", "''") + "'";
  }

  private static String firstLine(SQLException e) {
    String m = String.valueOf(e.getMessage());
    return m.lines().findFirst().orElse(m);
  }

  static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file or folder: " + e.getMessage();
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied: " + e.getMessage();
    }
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }
}
