package io.crmkpi.jdbc;

import io.crmkpi.source.Source;
import io.crmkpi.store.Store;
import io.crmkpi.store.StoreDamagedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.Consumer;

/** Where a connection's store lives and how it opens (placement, folders, read-only, damaged files). */
final class StoreOpener {

  private StoreOpener() {
  }

  /**
   * The store of a connection, open: in memory, or a file (store=, or an API source's default under the
   * data folder), read-only for refresh=never, a damaged file moved aside for refresh=rebuild.
   */
  static Store open(ConnectionConfig config, Source source, Consumer<String> progress) throws SQLException {
    String refresh = refresh(config);
    String memoryLimit = config.property("memory_limit", null);
    String path = config.property("store", null);
    if (io.crmkpi.pgstore.PostgresStore.accepts(path)) {
      path = null; // the local staging store of a PostgreSQL store: where the store would be without store=
    }
    Path file;
    if (path == null && source.isRemote()) {
      file = defaultStorePath(config);
      createFolders(file.getParent()); // crmkpi's own data folder
    } else if (path == null || path.equalsIgnoreCase("memory")) {
      return Store.inMemory(new Store.Options(false, memoryLimit, memoryTempFolder()));
    } else {
      file = Path.of(path).toAbsolutePath();
      createOwnFolder(file, progress);
    }
    Store.Options writable = new Store.Options(false, memoryLimit, null);
    if (refresh.equals("never") && Files.exists(file)) {
      Store store = openReadOnly(file, new Store.Options(true, memoryLimit, null));
      if (store != null) {
        return store;
      }
    }
    try {
      return Store.file(file, writable);
    } catch (StoreDamagedException e) {
      if (!refresh.equals("rebuild")) {
        throw e;
      }
      Path aside = moveAside(file);
      progress.accept(source.name() + ": the store file " + file + " was damaged; moved it to " + aside
          + " and loading " + source.name() + " anew");
      return Store.file(file, writable);
    }
  }

  /**
   * refresh=never loads nothing, so a store file that holds a load opens read-only (a file the user
   * cannot write, several programs at once); null when it must open writable after all: never loaded
   * yet, or written by an older crmkpi.
   */
  private static Store openReadOnly(Path file, Store.Options options) throws SQLException {
    Store store;
    try {
      store = Store.file(file, options);
    } catch (StoreDamagedException e) {
      throw e;
    } catch (SQLException e) {
      return null; // an older schema: the writable open migrates it, or says what is wrong
    }
    if (loadedAt(store) == null) {
      store.close();
      return null;
    }
    return store;
  }

  /** Moves a damaged store file (and its write-ahead log) aside as {@code <name>.damaged-<timestamp>}. */
  private static Path moveAside(Path file) throws SQLException {
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path aside = file.resolveSibling(file.getFileName() + ".damaged-" + stamp);
    Path wal = file.resolveSibling(file.getFileName() + ".wal");
    try {
      Files.move(file, aside);
      if (Files.exists(wal)) {
        Files.move(wal, aside.resolveSibling(aside.getFileName() + ".wal"));
      }
      return aside;
    } catch (java.io.IOException e) {
      throw new SQLException("the store file " + file + " is damaged and could not be moved aside (" + e
          + "); move or delete it by hand", "08001", e);
    }
  }

  /**
   * store= creates the file's own folder, not a chain of folders: a typo in a parent fails here,
   * naming the missing folder, rather than creating a tree somewhere unexpected.
   */
  private static void createOwnFolder(Path file, Consumer<String> progress) throws SQLException {
    Path folder = file.getParent();
    if (folder == null || Files.isDirectory(folder)) {
      return;
    }
    Path parent = folder.getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      throw new SQLException("store: the folder " + parent + " does not exist (store=" + file + " would be created "
          + "in " + folder + " inside it); create it or choose another path", "08001");
    }
    createFolders(folder);
    progress.accept("store: created the folder " + folder + " for " + file.getFileName());
  }

  private static void createFolders(Path folder) throws SQLException {
    try {
      Files.createDirectories(folder);
    } catch (java.io.IOException e) {
      throw new SQLException("store: cannot create the folder " + folder + " (" + e + ")", "08001", e);
    }
  }

  /** Where an in-memory store spills when it runs out of memory: a folder of its own under the data folder. */
  private static Path memoryTempFolder() throws SQLException {
    Path tmp = dataFolder().resolve("tmp");
    createFolders(tmp);
    return tmp.resolve("memory-" + ProcessHandle.current().pid() + "-" + MEMORY_STORES.incrementAndGet());
  }

  private static final java.util.concurrent.atomic.AtomicLong MEMORY_STORES = new java.util.concurrent.atomic.AtomicLong();

  /** crmkpi's data folder: {@code $XDG_DATA_HOME/crmkpi}, else {@code ~/.local/share/crmkpi}. */
  static Path dataFolder() {
    String base = System.getenv("XDG_DATA_HOME");
    return base != null && !base.isBlank() ? Path.of(base, "crmkpi")
        : Path.of(System.getProperty("user.home"), ".local", "share", "crmkpi");
  }

  /**
   * API sources keep their data under the user's data folder, so a restart does not re-download:
   * {@code <source>-<account>-<hash>.duckdb}. The hash tells apart accounts the target does not name
   * (HubSpot's token names the portal; base_url, rest_url and the webhook's host name the server),
   * so that no secret appears in the name.
   */
  static Path defaultStorePath(ConnectionConfig config) {
    String account = config.target().isBlank() ? "account" : config.target();
    String name = (config.source() + "-" + account).replaceAll("[^A-Za-z0-9._-]", "_");
    StringBuilder address = new StringBuilder(config.source()).append('\n').append(config.target());
    address.append('\n').append(config.property("base_url", "")).append('\n').append(config.property("rest_url", ""));
    String webhook = config.property("webhook", null);
    if (webhook != null) {
      try {
        java.net.URI u = java.net.URI.create(webhook.trim());
        address.append('\n').append(u.getHost()).append(':').append(u.getPort()); // not the code: a secret
      } catch (IllegalArgumentException e) {
        address.append('\n'); // the source refuses it with its own message
      }
    }
    if (config.target().isBlank()) {
      address.append('\n').append(config.property("token", ""));
    }
    try {
      byte[] d = java.security.MessageDigest.getInstance("SHA-256")
          .digest(address.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return dataFolder().resolve(name + "-" + java.util.HexFormat.of().formatHex(d, 0, 4) + ".duckdb");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The refresh policy, lower-case: never, always, rebuild or a duration. */
  static String refresh(ConnectionConfig config) {
    return config.property("refresh", "15m").trim().toLowerCase(Locale.ROOT);
  }

  static String loadedAt(Store store) throws SQLException {
    try (Connection c = store.connect(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT value FROM util.store_info WHERE key = 'loaded_at'")) {
      return rs.next() ? rs.getString(1) : null;
    }
  }}
