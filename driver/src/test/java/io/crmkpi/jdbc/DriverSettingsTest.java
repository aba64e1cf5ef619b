package io.crmkpi.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.crmkpi.settings.Setting;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Recorded defaults (as Trino's assertRecordedDefaults): every declared setting of the driver, the
 * KPI views and every source, with its role and default written out by hand. A new setting, a
 * changed default or role fails here until it is recorded (and the docs regenerated).
 */
class DriverSettingsTest {

  private static final Map<String, String> RECORDED = new TreeMap<>(Map.ofEntries(
      // the driver
      Map.entry("store", "placement | memory for `demo` and `files`; `$XDG_DATA_HOME/crmkpi/<source>-<account>-<hash>.duckdb` "
          + "(else `~/.local/share/crmkpi/…`) for CRM APIs"),
      Map.entry("refresh", "placement | 15m"),
      Map.entry("cache", "placement | `$XDG_CACHE_HOME/crmkpi`, else `~/.cache/crmkpi`"),
      Map.entry("metrics", "metric | unset"),
      // every source
      Map.entry("timezone", "data | the CRM account's zone (API sources that report one), else UTC"),
      Map.entry("currency", "data | the fx table's base (rate 1), else the most common deal currency; the demo: RUB"),
      Map.entry("strict", "data | false"),
      // the KPI views
      Map.entry("week_start", "metric | 1"),
      Map.entry("fiscal_year_start", "metric | 1"),
      Map.entry("churn_inactivity_days", "metric | 90"),
      Map.entry("stale_days", "metric | 30"),
      Map.entry("gross_margin", "metric | 1.0"),
      Map.entry("golive", "metric | unset"),
      Map.entry("impact_months", "metric | 3"),
      // demo
      Map.entry("deals", "data | 10000"),
      Map.entry("seed", "data | 42"),
      Map.entry("today", "data | today in `timezone`"),
      // files
      Map.entry("profile", "data | detected per file"),
      Map.entry("export_timezone", "data | `timezone`"),
      Map.entry("stage_kinds", "data | unset"),
      Map.entry("mapping", "data | `<file>.mapping.yaml` beside the file"),
      // amoCRM (first declaration of shared keys: amocrm's, sources in kind order)
      Map.entry("token", "secret | unset"),
      Map.entry("client_id", "data | unset"),
      Map.entry("client_secret", "secret | unset"),
      Map.entry("refresh_token", "secret | unset"),
      Map.entry("redirect_uri", "placement | unset"),
      Map.entry("token_store", "placement | `~/.crmkpi/tokens/amocrm-<host>.json`"),
      Map.entry("base_url", "data | `https://<target>.amocrm.ru`"),
      Map.entry("page_limit", "placement | 250"),
      Map.entry("sync_overlap", "placement | 300"),
      // Bitrix24
      Map.entry("webhook", "secret | unset"),
      Map.entry("access_token", "secret | unset"),
      Map.entry("token_file", "placement | unset"),
      Map.entry("oauth_url", "placement | https://oauth.bitrix.info/oauth/token/"),
      Map.entry("rest_url", "data | `https://<portal>/rest/`"),
      Map.entry("deletions", "data | auto"),
      // HubSpot
      Map.entry("rate_limit", "placement | 100"),
      Map.entry("search_rate", "placement | 5"),
      Map.entry("schema", "placement | none: names are qualified (`crm.deals`, `kpi.churn_monthly`)"),
      Map.entry("memory_limit", "placement | DuckDB's: 80% of the RAM"),
      Map.entry("store_user", "placement | pgjdbc's: the operating system user"),
      Map.entry("store_password", "secret | unset")));

  @Test
  void everySettingsDefaultAndRoleIsRecorded() {
    Map<String, String> declared = new TreeMap<>();
    for (Setting<?> s : DriverSettings.all().all()) {
      declared.put(s.key(), s.role().label() + " | " + s.defaultText());
    }
    assertEquals(RECORDED, declared);
  }

  @Test
  void typedDefaultsAreTheValuesUsed() {
    Map<String, String> none = Map.of();
    assertEquals("15m", DriverSettings.REFRESH.get(none));
    assertEquals(java.time.ZoneId.of("UTC"), io.crmkpi.settings.CommonSettings.TIMEZONE.get(none));
    assertEquals(null, io.crmkpi.settings.CommonSettings.CURRENCY.get(none));
    io.crmkpi.metrics.MetricSettings m = io.crmkpi.metrics.MetricSettings.defaults();
    assertEquals(1, m.weekStart());
    assertEquals(1, m.fiscalYearStart());
    assertEquals(90, m.churnInactivityDays());
    assertEquals(30, m.staleDays());
    assertEquals(1.0, m.grossMargin());
    assertEquals(java.util.Optional.empty(), m.golive());
    assertEquals(3, m.impactMonths());
    assertEquals(false, io.crmkpi.source.SourceContext.STRICT.get(none));
  }
}
