package io.crmkpi.jdbc;

import io.crmkpi.jdbc.catalog.StoreCatalog;
import io.crmkpi.metrics.MetricSettings;
import io.crmkpi.pgstore.PostgresStore;
import io.crmkpi.dialect.EngineDialects;
import io.crmkpi.jdbc.sql.StoreSqlDialect;
import org.apache.calcite.sql.SqlDialect;
import io.crmkpi.settings.CommonSettings;
import io.crmkpi.settings.SettingException;
import io.crmkpi.source.Source;
import io.crmkpi.source.SourceContext;
import io.crmkpi.source.SourceException;
import io.crmkpi.source.Sources;
import io.crmkpi.store.LoadReport;
import io.crmkpi.store.Store;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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
  static volatile Consumer<String> progress = m -> System.getLogger("io.crmkpi").log(System.Logger.Level.DEBUG, m); // not on a host's console

  private StoreRegistry() {
  }

  /**
   * A folder the store opened by this thread's next connect may also reach (crmkpi export's staging
   * folder, see {@link StoreExportAccess}): such a store is keyed apart, never shared with other connections.
   */
  static final ThreadLocal<Path> WRITABLE = new ThreadLocal<>();

  static StoreHandle acquire(ConnectionConfig config) throws SQLException {
    Path writable = WRITABLE.get();
    String key = config.storeKey() + (writable == null ? "" : "\0writable=" + writable);
    StoreHandle h;
    synchronized (HANDLES) {
      h = HANDLES.get(key);
      if (h == null) {
        h = open(config, writable);
        h.key = key;
        h.writable = writable;
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
    if (h.store().description().equals("memory") || StoreOpener.refresh(config).equals("never")) {
      return; // memory: loaded once at open, nothing outside the JVM changes it; never: no source call at all
    }
    SourceContext context = new SourceContext(config.properties(), m -> progress.accept(config.mask(m)));
    Source source = createSource(config, context);
    h.refreshLock().writeLock().lock();
    try {
      LoadReport report = loadIfNeeded(h.store(), config, source, context);
      if (report != null) {
        h.reloaded(report);
      }
      if (h.remote() != null) {
        copyIfChanged(h.remote(), h.store(), config);
      }
    } finally {
      h.refreshLock().writeLock().unlock();
    }
  }

  static void release(ConnectionConfig config, StoreHandle handle) {
    String key = handle.key != null ? handle.key : config.storeKey();
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

  private static StoreHandle open(ConnectionConfig config, Path writable) throws SQLException {
    SourceContext context = new SourceContext(config.properties(), m -> progress.accept(config.mask(m)));
    Source source = createSource(config, context);
    MetricSettings settings = MetricSettings.from(config.properties());
    if (PostgresStore.accepts(config.property("store", null))) {
      return openRemote(config, source, context, settings);
    }
    // the catalog (Calcite) compiles while the store opens and the source loads: it needs neither
    CompletableFuture<StoreCatalog> catalog = StoreHandle.startCatalog(settings, config.properties(),
        StoreSqlDialect.INSTANCE);
    Store store = StoreOpener.open(config, source, progress);
    try {
      if (source.isRemote()) {
        checkRecordedZone(store, config);
      }
      LoadReport report = loadIfNeeded(store, config, source, context);
      ZoneId tz = timezone(store, config);
      // from here on, statements reach nothing outside the store (and the source's own input folders)
      List<Path> reachable = new ArrayList<>(source.readPaths());
      if (writable != null) {
        reachable.add(writable);
      }
      store.harden(tz, reachable);
      return new StoreHandle(store, report, tz, "crmkpi-" + config.source(),
          Map.of(StoreHandle.catalogKey(settings, config.properties()), catalog));
    } catch (SQLException | RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /**
   * A store on PostgreSQL: the source loads into a local DuckDB staging store (memory for demo and
   * files, the usual store file of an API source, which keeps its incremental sync), and a load is
   * copied into PostgreSQL whole; statements run there. For a memory staging store the refresh
   * policy reads the load time recorded in PostgreSQL, so a second connection (or program) uses
   * the copy without loading again.
   */
  private static StoreHandle openRemote(ConnectionConfig config, Source source, SourceContext context,
                                        MetricSettings settings) throws SQLException {
    PostgresStore pg;
    try {
      pg = PostgresStore.connect(config.property("store", null), config.property("store_user", null),
          config.property("store_password", null));
    } catch (SQLException e) {
      throw new SQLException(config.mask(e.getMessage()), e.getSQLState());
    }
    Store staging = null;
    try {
      staging = StoreOpener.open(config, source, progress);
      if (source.isRemote()) {
        checkRecordedZone(staging, config);
      }
      LoadReport report;
      if (staging.description().equals("memory")) {
        report = needsLoadByAge(pg.info("loaded_at"), config) ? load(staging, config, source, context) : null;
      } else {
        report = loadIfNeeded(staging, config, source, context);
      }
      copyIfChanged(pg, staging, config);
      String tz = config.property("timezone", null);
      ZoneId zone = timezoneSetting(tz != null ? tz : Optional.ofNullable(pg.info("timezone")).orElse("UTC"));
      staging.harden(zone, source.readPaths());
      // the views' "today" is the reporting zone's, written into the statements (PostgreSQL's now() AT TIME ZONE)
      SqlDialect dialect = EngineDialects.forName("postgresql", zone);
      return new StoreHandle(staging, pg, dialect, report, zone, "crmkpi-" + config.source(),
          Map.of(StoreHandle.catalogKey(settings, config.properties()),
              StoreHandle.startCatalog(settings, config.properties(), dialect)));
    } catch (SQLException | RuntimeException e) {
      pg.close();
      if (staging != null) {
        staging.close();
      }
      throw e;
    }
  }

  /** Copies the staging store into PostgreSQL when it holds a load the copy does not have yet. */
  private static void copyIfChanged(PostgresStore pg, Store staging, ConnectionConfig config) throws SQLException {
    String staged = StoreOpener.loadedAt(staging);
    if (staged != null && !staged.equals(pg.info("loaded_at"))) {
      try {
        pg.replicate(staging, m -> progress.accept(config.mask(m)));
      } catch (SQLException e) {
        throw new SQLException(config.mask(e.getMessage()), e.getSQLState(), e);
      }
    }
  }

  /** The refresh policy against a load time (null: never loaded). */
  private static boolean needsLoadByAge(String loadedAt, ConnectionConfig config) throws SQLException {
    String refresh = StoreOpener.refresh(config);
    if (loadedAt == null || refresh.equals("always") || refresh.equals("rebuild")) {
      return true;
    }
    if (refresh.equals("never")) {
      return false;
    }
    return LocalDateTime.parse(loadedAt).plus(parseDuration(refresh)).isBefore(LocalDateTime.now());
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
    return load(store, config, source, context);
  }

  /** Loads or syncs the source into the store and records when. */
  private static LoadReport load(Store store, ConnectionConfig config, Source source, SourceContext context)
      throws SQLException {
    if (!store.description().equals("memory") && !source.isRemote()) {
      clearCanonicalTables(store, source);
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
    String loadedAt = StoreOpener.loadedAt(store);
    String refresh = StoreOpener.refresh(config);
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

  /**
   * Full-reload sources (demo, files) start from empty tables; API sources sync incrementally themselves.
   * A files store's deal snapshots are history no reload can give back: they are set aside and come back
   * at the load's end (the demo generates a history of its own each time).
   */
  private static void clearCanonicalTables(Store store, Source source) throws SQLException {
    if (source.name().equals(io.crmkpi.files.FilesSource.NAME)) {
      io.crmkpi.store.DealSnapshots.setAside(store);
    }
    for (var t : io.crmkpi.model.CanonicalModel.tables()) {
      store.execute("DELETE FROM crm." + t.name());
    }
  }

  /**
   * An API store keeps the times its syncs wrote and syncs only what changed, so a sync in another zone
   * would mix two zones in one table: a {@code timezone=} other than the one the store's syncs recorded
   * is refused (a files store reloads whole when its settings change, so it needs no such check).
   */
  private static void checkRecordedZone(Store store, ConnectionConfig config) throws SQLException {
    String wanted = config.property("timezone", null);
    if (wanted == null) {
      return;
    }
    String recorded;
    try (Connection c = store.connect(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT value FROM util.store_info WHERE key = 'timezone'")) {
      recorded = rs.next() ? rs.getString(1) : null;
    }
    ZoneId want = timezoneSetting(wanted);
    if (recorded != null && !want.equals(timezoneSetting(recorded))) {
      throw new SQLException("the store " + store.description() + " holds times in " + recorded + ", the zone its "
          + "syncs used; timezone=" + want.getId() + " would mix two zones in it: use timezone=" + recorded
          + " (or leave it out), or point store= at a new file for the other zone", "08001");
    }
  }

  private static ZoneId timezoneSetting(String value) throws SQLException {
    try {
      return CommonSettings.TIMEZONE.parse(value);
    } catch (SettingException e) {
      throw new SQLException(e.getMessage(), "08001");
    }
  }

  /** The reporting zone: the setting, else the one the source recorded (the CRM account's), else UTC. */
  private static ZoneId timezone(Store store, ConnectionConfig config) throws SQLException {
    String tz = config.property("timezone", null);
    if (tz == null) {
      try (Connection c = store.connect(); Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT value FROM util.store_info WHERE key = 'timezone'")) {
        tz = rs.next() ? rs.getString(1) : "UTC";
      }
    }
    return timezoneSetting(tz);
  }

  static java.util.List<String> secretValues(ConnectionConfig config) {
    return config.secretValues();
  }
}
