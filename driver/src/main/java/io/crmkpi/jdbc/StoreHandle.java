package io.crmkpi.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.crmkpi.cache.CacheFolder;
import io.crmkpi.jdbc.catalog.StoreCatalog;
import io.crmkpi.metrics.MetricLibrary;
import io.crmkpi.jdbc.sql.StoreSqlDialect;
import io.crmkpi.metrics.MetricSettings;
import io.crmkpi.pgstore.PostgresStore;
import org.apache.calcite.sql.SqlDialect;
import io.crmkpi.store.LoadReport;
import io.crmkpi.store.Store;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A loaded store shared by every connection with the same data (same URL source, target and
 * data-shaping properties): the store, its connection pool, the load report, and one compiled
 * catalog per distinct set of view settings.
 */
final class StoreHandle implements AutoCloseable {

  /** Connections open at once on one store (crmkpi serve's --max-connections stays below it). */
  static final int POOL_MAX = 1024;

  private final Store store;
  private final PostgresStore remote;
  /** The dialect statements compile to: DuckDB's, or PostgreSQL's for a remote store. */
  private final SqlDialect dialect;
  private final HikariDataSource pool;
  private volatile LoadReport report;
  /**
   * Statements start under the read lock, a refresh of the store in use runs under the write lock: a
   * statement sees the data before or after a whole sync/reload, never part of it (a statement that
   * started before keeps its DuckDB snapshot).
   */
  private final ReadWriteLock refreshLock = new ReentrantReadWriteLock(true);
  private final ZoneId timezone;
  private final Map<String, CompletableFuture<StoreCatalog>> catalogs = new ConcurrentHashMap<>();
  int references;
  /** The registry's key for this handle, and the extra folder its store may reach (null: none). */
  String key;
  Path writable;

  /**
   * {@code started}: catalogs already being compiled (see {@link #startCatalog}), by
   * {@link #catalogKey}.
   */
  StoreHandle(Store store, LoadReport report, ZoneId timezone, String poolName,
              Map<String, CompletableFuture<StoreCatalog>> started) throws SQLException {
    this(store, null, StoreSqlDialect.INSTANCE, report, timezone, poolName, started);
  }

  /**
   * {@code remote}: the PostgreSQL database statements run on ({@code store} is then its local
   * staging store, where loads and syncs write first); null: they run on {@code store}.
   */
  StoreHandle(Store store, PostgresStore remote, SqlDialect dialect, LoadReport report, ZoneId timezone,
              String poolName, Map<String, CompletableFuture<StoreCatalog>> started) throws SQLException {
    this.store = store;
    this.remote = remote;
    this.dialect = dialect;
    this.catalogs.putAll(started);
    this.report = report;
    this.timezone = timezone;
    if (remote != null) {
      this.pool = remote.pool(timezone, poolName, POOL_MAX);
      return;
    }
    HikariConfig hc = new HikariConfig();
    hc.setDataSource(new StoreDataSource(store));
    hc.setPoolName(poolName);
    // every open crmkpi connection holds one pooled DuckDB connection for its lifetime, so the pool follows the
    // number of open connections (Hikari adds one on demand, retires idle ones after 10 min); the bound is only a
    // safety net: a DuckDB connection is cheap, and crmkpi serve limits its sessions itself (--max-connections)
    hc.setMaximumPoolSize(POOL_MAX);
    hc.setMinimumIdle(1);
    hc.setAutoCommit(true);
    // CURRENT_DATE / CURRENT_TIMESTAMP in views are the reporting zone's "today": the store's TimeZone,
    // set globally by Store.harden; no statement can change it (the compiler emits no SET and refuses user SETs)
    hc.setConnectionTimeout(30_000);
    this.pool = new HikariDataSource(hc);
  }

  Store store() {
    return store;
  }

  /** The PostgreSQL store statements run on, or null (they run on the DuckDB store). */
  PostgresStore remote() {
    return remote;
  }

  HikariDataSource pool() {
    return pool;
  }

  LoadReport report() {
    return report;
  }

  void reloaded(LoadReport newReport) {
    report = newReport;
  }

  ReadWriteLock refreshLock() {
    return refreshLock;
  }

  ZoneId timezone() {
    return timezone;
  }

  /** The catalog for these view settings and user metrics folder, compiled once and shared. */
  StoreCatalog catalog(MetricSettings settings, Map<String, String> properties) {
    String key = catalogKey(settings, properties);
    CompletableFuture<StoreCatalog> f = catalogs.computeIfAbsent(key, k -> startCatalog(settings, properties, dialect));
    try {
      return f.join();
    } catch (CompletionException e) {
      catalogs.remove(key, f); // the next connection tries again
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }

  /** Connections whose settings give the same key share one catalog. */
  static String catalogKey(MetricSettings settings, Map<String, String> properties) {
    return settings.weekStart() + "|" + settings.fiscalYearStart() + "|" + settings.churnInactivityDays() + "|"
        + settings.staleDays() + "|"
        + settings.grossMargin() + "|" + settings.golive() + "|" + settings.impactMonths() + "|"
        + properties.get("metrics") + "|" + properties.get("cache");
  }

  /**
   * Compiles a catalog on its own thread. It needs no data (nor the store), so a connect starts it
   * first: in a cold JVM, Calcite's start-up and reading the metric library then overlap opening
   * DuckDB and loading the source (the views' warm-up waits for the data: see
   * {@link StoreCatalog#startWarmUp()}).
   */
  static CompletableFuture<StoreCatalog> startCatalog(MetricSettings settings, Map<String, String> properties,
                                                      SqlDialect dialect) {
    CompletableFuture<StoreCatalog> out = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        String metrics = properties.get("metrics");
        MetricLibrary library = MetricLibrary.load(metrics == null || metrics.isBlank() ? null : Path.of(metrics));
        out.complete(new StoreCatalog(library, settings,
            CacheFolder.of(Optional.ofNullable(properties.get("cache"))), dialect));
      } catch (Throwable e) {
        out.completeExceptionally(e);
      }
    }, "crmkpi-catalog");
    t.setDaemon(true);
    t.start();
    return out;
  }

  @Override
  public void close() throws SQLException {
    pool.close();
    if (remote != null) {
      remote.close();
    }
    store.close();
  }
}
