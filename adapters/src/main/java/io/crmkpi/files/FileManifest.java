package io.crmkpi.files;

import io.crmkpi.settings.Role;
import io.crmkpi.settings.SettingsRegistry;
import io.crmkpi.source.SourceContext;
import io.crmkpi.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a files load read, kept in the store: one row per input file in {@code util.file_manifest}
 * (path, size, mtime, sha256, format, rows_loaded, loaded_at) and a fingerprint of the connection
 * settings the files were read with. A reconnect to a store file compares the folder with it and
 * loads nothing when no file was added, removed or changed.
 *
 * <p>A file counts as unchanged when its size and mtime are the recorded ones and the mtime is
 * older than the recording by a safe margin; otherwise (touched, or written in the same instant
 * as the load: the "racy" case of coarse file-system clocks) its SHA-256 decides.
 */
public final class FileManifest {

  static final String TABLE = "util.file_manifest";
  private static final String SETTINGS_KEY = "files_settings";
  /** The settings that shape the rows of a files load (not where or when it loads, nor the views). */
  private static final Set<String> DATA_SETTINGS =
      SettingsRegistry.of(SourceContext.SETTINGS, FilesSourceFactory.SETTINGS).keys(Role.DATA);
  /** An mtime this close to the recording may hide a later same-tick write; such files are hashed. */
  private static final long RACY_MICROS = 2_000_000;

  /** One input file as loaded. {@code mtime} in microseconds since 1970 UTC; sha256 may be null. */
  record Entry(String path, long size, long mtime, String sha256, String format, long rowsLoaded,
      LocalDateTime loadedAt) {
  }

  /** Size and mtime of a file now. */
  record Stat(long size, long mtime) {
    static Stat of(Path file) throws IOException {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      Instant t = a.lastModifiedTime().toInstant();
      return new Stat(a.size(), ChronoUnit.MICROS.between(Instant.EPOCH, t));
    }
  }

  private FileManifest() {
  }

  static void ensureTable(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (path VARCHAR PRIMARY KEY, size BIGINT, mtime BIGINT, "
          + "sha256 VARCHAR, format VARCHAR, rows_loaded BIGINT, loaded_at TIMESTAMP)");
    }
  }

  /** Forgets the manifest before a load writes anything, so that a load that fails half-way is never "current". */
  static void clear(Store store) throws SQLException {
    try (Connection c = store.connect(); Statement s = c.createStatement()) {
      ensureTable(c);
      s.execute("DELETE FROM " + TABLE);
      s.execute("DELETE FROM util.store_info WHERE key = '" + SETTINGS_KEY + "'");
    }
  }

  /** Records a finished load. */
  static void write(Store store, List<Entry> entries, Map<String, String> properties) throws SQLException {
    try (Connection c = store.connect()) {
      ensureTable(c);
      try (PreparedStatement p = c.prepareStatement("INSERT OR REPLACE INTO " + TABLE + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
        for (Entry e : entries) {
          p.setString(1, e.path());
          p.setLong(2, e.size());
          p.setLong(3, e.mtime());
          p.setString(4, e.sha256());
          p.setString(5, e.format());
          p.setLong(6, e.rowsLoaded());
          p.setObject(7, e.loadedAt());
          p.addBatch();
        }
        p.executeBatch();
      }
      try (PreparedStatement p = c.prepareStatement("INSERT OR REPLACE INTO util.store_info VALUES (?, ?)")) {
        p.setString(1, SETTINGS_KEY);
        p.setString(2, settings(properties));
        p.execute();
      }
    }
  }

  /** The recorded entries by path (empty when the store holds no files load). */
  static Map<String, Entry> read(Store store) throws SQLException {
    Map<String, Entry> out = new HashMap<>();
    try (Connection c = store.connect(); Statement s = c.createStatement()) {
      ensureTable(c);
      try (ResultSet rs = s.executeQuery("SELECT path, size, mtime, sha256, format, rows_loaded, loaded_at FROM "
          + TABLE)) {
        while (rs.next()) {
          out.put(rs.getString(1), new Entry(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4),
              rs.getString(5), rs.getLong(6), rs.getObject(7, LocalDateTime.class)));
        }
      }
    }
    return out;
  }

  /**
   * True when the store holds a load of exactly {@code files} (same paths, contents and settings).
   * Files whose content is unchanged but whose mtime moved get their new size/mtime recorded, so the
   * next check is cheap again.
   */
  static boolean isCurrent(Store store, List<Path> files, Map<String, String> properties)
      throws SQLException, IOException {
    Map<String, Entry> recorded = read(store);
    if (recorded.isEmpty() || recorded.size() != files.size()) {
      return false;
    }
    String settings = null;
    try (Connection c = store.connect(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT value FROM util.store_info WHERE key = '" + SETTINGS_KEY + "'")) {
      if (rs.next()) {
        settings = rs.getString(1);
      }
    }
    if (!settings(properties).equals(settings)) {
      return false;
    }
    Map<Entry, Stat> restat = new HashMap<>();
    for (Path f : files) {
      Entry e = recorded.get(key(f));
      if (e == null) {
        return false;
      }
      Stat now = Stat.of(f);
      long recordedAt = ChronoUnit.MICROS.between(Instant.EPOCH, e.loadedAt().toInstant(ZoneOffset.UTC));
      boolean settled = e.mtime() < recordedAt - RACY_MICROS;
      if (now.size() == e.size() && now.mtime() == e.mtime() && settled) {
        continue;
      }
      if (now.size() != e.size() || e.sha256() == null || !e.sha256().equals(sha256(f))) {
        return false;
      }
      restat.put(e, now);
    }
    if (!restat.isEmpty()) {
      try (Connection c = store.connect();
           PreparedStatement p = c.prepareStatement("UPDATE " + TABLE + " SET size = ?, mtime = ? WHERE path = ?")) {
        for (Map.Entry<Entry, Stat> r : restat.entrySet()) {
          p.setLong(1, r.getValue().size());
          p.setLong(2, r.getValue().mtime());
          p.setString(3, r.getKey().path());
          p.execute();
        }
      }
    }
    return true;
  }

  /** The path a file is recorded under. */
  static String key(Path file) {
    return file.toAbsolutePath().normalize().toString();
  }

  /** Hex SHA-256 of a file's bytes. */
  static String sha256(Path file) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /** A fingerprint of the declared settings that shape the rows (hashed all the same). */
  static String settings(Map<String, String> properties) {
    Map<String, String> sorted = new TreeMap<>(properties);
    sorted.keySet().retainAll(DATA_SETTINGS);
    StringBuilder b = new StringBuilder();
    sorted.forEach((k, v) -> b.append(k).append('=').append(Objects.toString(v, "")).append('\u0000'));
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
