package io.crmkpi.jdbc;

import io.crmkpi.jdbc.catalog.StoreCatalog;
import io.crmkpi.metrics.MetricSettings;
import io.crmkpi.source.Source;
import io.crmkpi.source.SourceContext;
import io.crmkpi.source.SourceException;
import io.crmkpi.source.Sources;
import io.crmkpi.store.LoadReport;
import io.crmkpi.store.Store;
import io.crmkpi.store.StoreDamagedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Loaded stores, shared in this JVM by connections to the same data, so that a BI tool's pool of
 * connections loads a source once. A store is closed some time after its last connection closes.
 */
final class StoreRegistry {

  private static final long IDLE_CLOSE_SECONDS = 60;
  private static final Map<String, StoreHandle> HANDLES = new HashMap<>();
  private static final ScheduledExecutorService CLOSER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "crmkpi-store-closer");
    t.setDaemon(true);
    return t;
  });

  /** Where progress messages of loads go (the CLI points this at its progress display). */
  static volatile Consumer<String> progress = m -> System.getLogger("io.crmkpi").log(System.Logger.Level.INFO, m);

  private StoreRegistry() {
  }

  static StoreHandle acquire(ConnectionConfig config) throws SQLException {
    String key = config.storeKey();
    StoreHandle h;
    synchronized (HANDLES) {
      h = HANDLES.get(key);
      if (h == null) {
        h = open(config);
        HANDLES.put(key, h);
        h.references++;
        return h;
      }
      h.references++;
    }
    try {
      refreshInUse(h, config);
    } catch (SQLException | RuntimeException e) {
      release(config, h);
      throw e;
    }
    return h;
  }

  /**
   * A connect to a store other connections already use applies the same refresh policy as a first
   * connect (a BI tool's pool would otherwise never see new data); the load runs under the handle's
   * write lock, so statements wait for it rather than see part of it.
   */
  private static void refreshInUse(StoreHandle h, ConnectionConfig config) throws SQLException {
    if (h.store().description().equals("memory") || refresh(config).equals("never")) {
      return; // memory: loaded once at open, nothing outside the JVM changes it; never: no source call at all
    }
    SourceContext context = new SourceContext(config.properties(), progress);
    Source source = createSource(config, context);
    h.refreshLock().writeLock().lock();
    try {
      LoadReport report = loadIfNeeded(h.store(), config, source, context);
      if (report != null) {
        h.reloaded(report);
      }
    } finally {
      h.refreshLock().writeLock().unlock();
    }
  }

  static void release(ConnectionConfig config, StoreHandle handle) {
    String key = config.storeKey();
    synchronized (HANDLES) {
      handle.references--;
      if (handle.references > 0) {
        return;
      }
    }
    CLOSER.schedule(() -> {
      synchronized (HANDLES) {
        if (handle.references == 0 && HANDLES.get(key) == handle) {
          HANDLES.remove(key);
          try {
            handle.close();
          } catch (SQLException ignored) {
            // the store is gone either way
          }
        }
      }
    }, IDLE_CLOSE_SECONDS, TimeUnit.SECONDS);
  }

  /** Closes the stores no connection uses now, without the idle delay (tests: reconnect for real). */
  static void closeUnused() {
    synchronized (HANDLES) {
      var it = HANDLES.values().iterator();
      while (it.hasNext()) {
        StoreHandle h = it.next();
        if (h.references == 0) {
          it.remove();
          try {
            h.close();
          } catch (SQLException ignored) {
            // the store is gone either way
          }
        }
      }
    }
  }

  private static StoreHandle open(ConnectionConfig config) throws SQLException {
    SourceContext context = new SourceContext(config.properties(), progress);
    Source source = createSource(config, context);
    // the catalog (Calcite) compiles while the store opens and the source loads: it needs neither
    MetricSettings settings = MetricSettings.from(config.properties());
    CompletableFuture<StoreCatalog> catalog = StoreHandle.startCatalog(settings, config.properties());
    Store store = openStore(config, source);
    try {
      LoadReport report = loadIfNeeded(store, config, source, context);
      ZoneId tz = timezone(store, config);
      // from here on, statements reach nothing outside the store (and the source's own input folders)
      store.harden(tz, source.readPaths());
      return new StoreHandle(store, report, tz, "crmkpi-" + config.source(),
          Map.of(StoreHandle.catalogKey(settings, config.properties()), catalog));
    } catch (SQLException | RuntimeException e) {
      store.close();
      throw e;
    }
  }

  private static Source createSource(ConnectionConfig config, SourceContext context) throws SQLException {
    try {
      return Sources.create(config.source(), config.target(), context);
    } catch (SourceException e) {
      throw new SQLException(Secrets.mask(e.getMessage(), secretValues(config)), "08001", e);
    }
  }

  /** Loads or syncs the source when the refresh policy says so; the report, or null when nothing ran. */
  private static LoadReport loadIfNeeded(Store store, ConnectionConfig config, Source source, SourceContext context)
      throws SQLException {
    if (!needsLoad(store, config, source, context)) {
      return null;
    }
    if (!store.description().equals("memory") && !source.isRemote()) {
      clearCanonicalTables(store);
    }
    LoadReport report;
    try {
      report = source.load(store, context);
    } catch (SourceException e) {
      throw new SQLException(Secrets.mask(e.getMessage(), secretValues(config)), "08001");
    }
    store.execute("INSERT OR REPLACE INTO util.store_info VALUES ('loaded_at', '" + LocalDateTime.now() + "')");
    progress.accept(report.toString());
    return report;
  }

  private static Store openStore(ConnectionConfig config, Source source) throws SQLException {
    String refresh = refresh(config);
    String memoryLimit = config.property("memory_limit", null);
    String path = config.property("store", null);
    Path file;
    if (path == null && source.isRemote()) {
      file = defaultStorePath(config);
      createFolders(file.getParent()); // crmkpi's own data folder
    } else if (path == null || path.equalsIgnoreCase("memory")) {
      return Store.inMemory(new Store.Options(false, memoryLimit, memoryTempFolder()));
    } else {
      file = Path.of(path).toAbsolutePath();
      createOwnFolder(file);
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
  private static void createOwnFolder(Path file) throws SQLException {
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

  private static String loadedAt(Store store) throws SQLException {
    try (Connection c = store.connect(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT value FROM util.store_info WHERE key = 'loaded_at'")) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  /**
   * refresh=never|always|rebuild|<duration like 15m, 2h, 1d> (default 15m) decides whether a connect
   * loads (rebuild: as always, after moving a damaged store file aside).
   * A source that can tell whether its input changed (files) is asked instead of the clock.
   */
  private static boolean needsLoad(Store store, ConnectionConfig config, Source source, SourceContext context)
      throws SQLException {
    if (store.description().equals("memory")) {
      return true;
    }
    if (store.readOnly()) {
      return false; // refresh=never on a store that holds a load
    }
    String loadedAt = loadedAt(store);
    String refresh = refresh(config);
    if (loadedAt == null || refresh.equals("always") || refresh.equals("rebuild")) {
      return true;
    }
    if (refresh.equals("never")) {
      return false;
    }
    parseDuration(refresh); // a bad value fails whatever the source
    Optional<Boolean> current;
    try {
      current = source.isCurrent(store, context);
    } catch (SourceException e) {
      throw new SQLException(Secrets.mask(e.getMessage(), secretValues(config)), "08001", e);
    }
    if (current.isPresent()) {
      if (current.get()) {
        progress.accept(source.name() + ": input unchanged since the last load into " + store.description()
            + "; nothing to load");
      }
      return !current.get();
    }
    Duration maxAge = parseDuration(refresh);
    return LocalDateTime.parse(loadedAt).plus(maxAge).isBefore(LocalDateTime.now());
  }

  static Duration parseDuration(String text) throws SQLException {
    if (!text.matches("\\d+[smhd]")) {
      throw new SQLException("refresh: expected never, always, rebuild or a duration like 30s, 15m, 2h, 1d; got '"
          + text + "'");
    }
    long n = Long.parseLong(text.substring(0, text.length() - 1));
    return switch (text.charAt(text.length() - 1)) {
      case 's' -> Duration.ofSeconds(n);
      case 'm' -> Duration.ofMinutes(n);
      case 'h' -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  /** Full-reload sources (demo, files) start from empty tables; API sources sync incrementally themselves. */
  private static void clearCanonicalTables(Store store) throws SQLException {
    for (var t : io.crmkpi.model.CanonicalModel.tables()) {
      store.execute("DELETE FROM crm." + t.name());
    }
  }

  private static ZoneId timezone(Store store, ConnectionConfig config) throws SQLException {
    String tz = config.property("timezone", null);
    if (tz == null) {
      try (Connection c = store.connect(); Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT value FROM util.store_info WHERE key = 'timezone'")) {
        tz = rs.next() ? rs.getString(1) : "UTC";
      }
    }
    try {
      return ZoneId.of(tz);
    } catch (RuntimeException e) {
      throw new SQLException("timezone: unknown time zone '" + tz + "' (use an IANA name such as Europe/Moscow)");
    }
  }

  static java.util.List<String> secretValues(ConnectionConfig config) {
    return config.properties().entrySet().stream()
        .filter(e -> ConnectionConfig.SECRET_KEYS.contains(e.getKey()))
        .map(Map.Entry::getValue).toList();
  }
}
