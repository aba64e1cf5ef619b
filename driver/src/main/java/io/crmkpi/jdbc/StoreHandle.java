package io.crmkpi.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.crmkpi.jdbc.catalog.StoreCatalog;
import io.crmkpi.metrics.MetricLibrary;
import io.crmkpi.metrics.MetricSettings;
import io.crmkpi.store.LoadReport;
import io.crmkpi.store.Store;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loaded store shared by every connection with the same data (same URL source, target and
 * data-shaping properties): the store, its connection pool, the load report, and one compiled
 * catalog per distinct set of view settings.
 */
final class StoreHandle implements AutoCloseable {

  private final Store store;
  private final HikariDataSource pool;
  private final LoadReport report;
  private final ZoneId timezone;
  private final Map<String, StoreCatalog> catalogs = new ConcurrentHashMap<>();
  int references;

  StoreHandle(Store store, LoadReport report, ZoneId timezone, String poolName) {
    this.store = store;
    this.report = report;
    this.timezone = timezone;
    HikariConfig hc = new HikariConfig();
    hc.setDataSource(new StoreDataSource(store));
    hc.setPoolName(poolName);
    hc.setMaximumPoolSize(32);
    hc.setMinimumIdle(1);
    hc.setAutoCommit(true);
    // CURRENT_DATE / CURRENT_TIMESTAMP in views must be the reporting zone's "today".
    hc.setConnectionInitSql("SET TimeZone = '" + timezone.getId() + "'");
    hc.setConnectionTimeout(30_000);
    this.pool = new HikariDataSource(hc);
  }

  Store store() {
    return store;
  }

  HikariDataSource pool() {
    return pool;
  }

  LoadReport report() {
    return report;
  }

  ZoneId timezone() {
    return timezone;
  }

  /** The catalog for these view settings and user metrics folder, compiled once and shared. */
  StoreCatalog catalog(MetricSettings settings, Map<String, String> properties) {
    String metrics = properties.get("metrics");
    String key = settings.weekStart() + "|" + settings.fiscalYearStart() + "|" + settings.churnInactivityDays() + "|"
        + settings.grossMargin() + "|" + settings.golive() + "|" + settings.impactMonths() + "|" + metrics;
    return catalogs.computeIfAbsent(key, k -> new StoreCatalog(pool,
        MetricLibrary.load(metrics == null || metrics.isBlank() ? null : Path.of(metrics)), settings));
  }

  @Override
  public void close() throws SQLException {
    pool.close();
    store.close();
  }
}
