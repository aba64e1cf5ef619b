package io.crmkpi.jdbc;

import io.crmkpi.metrics.MetricSettings;
import io.crmkpi.settings.Role;
import io.crmkpi.settings.Setting;
import io.crmkpi.settings.SettingType;
import io.crmkpi.settings.SettingsRegistry;
import io.crmkpi.source.SourceContext;
import io.crmkpi.source.SourceFactory;
import io.crmkpi.source.Sources;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The driver's own settings (where the store lives, when it reloads, where caches go, extra
 * metrics), and the registry of everything one connection may set: these, the sources' common
 * ones, the KPI views' and those its source declares.
 */
final class DriverSettings {

  static final Setting<String> STORE = Setting.of("store",
      SettingType.text("a DuckDB file path, memory, or jdbc:postgresql://host:port/database"),
      Role.PLACEMENT, null, "where the canonical tables live: a DuckDB file path, `memory`, or a PostgreSQL "
          + "database `jdbc:postgresql://host:port/database` (loads go through a local DuckDB staging store and "
          + "are copied there; statements run there; see docs/scale-out.md)")
      .defaultDescribedAs("memory for `demo` and `files`; `$XDG_DATA_HOME/crmkpi/<source>-<account>-<hash>.duckdb` "
          + "(else `~/.local/share/crmkpi/…`) for CRM APIs");
  static final Setting<String> REFRESH = Setting.of("refresh", SettingType.wordsOrDuration("never", "always", "rebuild"),
      Role.PLACEMENT, "15m", "for a store file: reload or sync on connect when the last load is older than this, "
          + "`always`, `rebuild` (as `always`, after moving a damaged store file aside), or `never` (opens the "
          + "store file read-only). A `files:` folder is compared with the store's file manifest instead (unless "
          + "`never`): nothing loads while no file was added, removed or changed");
  static final Setting<String> CACHE = Setting.of("cache", SettingType.text("a folder, or off"), Role.PLACEMENT, null,
      "where crmkpi keeps what it can rebuild (generated demos, compiled statements), or `off`")
      .defaultDescribedAs("`$XDG_CACHE_HOME/crmkpi`, else `~/.cache/crmkpi`");
  static final Setting<Path> METRICS = Setting.of("metrics", SettingType.path("a folder path"), Role.METRIC, null,
      "a folder of your own metric definitions (`*.yaml`) that add or override views");

  static final Setting<String> SCHEMA = Setting.of("schema", SettingType.text("a schema name"), Role.PLACEMENT, null,
      "the session's default schema: unqualified names resolve there first (as `Connection.setSchema`), "
      + "e.g. `kpi`")
      .defaultDescribedAs("none: names are qualified (`crm.deals`, `kpi.churn_monthly`)");

  static final Setting<String> MEMORY_LIMIT = Setting.of("memory_limit",
      SettingType.text("a size such as 512MB, 4GB or 2GiB"), Role.PLACEMENT, null,
      "most memory the store's database uses for queries and loads")
      .defaultDescribedAs("DuckDB's: 80% of the RAM");

  static final Setting<String> STORE_USER = Setting.of("store_user", SettingType.text("a PostgreSQL user name"),
      Role.PLACEMENT, null, "for `store=jdbc:postgresql://…`: the user crmkpi connects as (it creates the schemas "
          + "`crm` and `util` and writes their tables)")
      .defaultDescribedAs("pgjdbc's: the operating system user");
  static final Setting<String> STORE_PASSWORD = Setting.of("store_password",
      SettingType.secret("the PostgreSQL user's password"), Role.SECRET, null,
      "for `store=jdbc:postgresql://…`: the password of `store_user` (never in the store URL itself)");

  static final List<Setting<?>> SETTINGS = List.of(STORE, REFRESH, CACHE, METRICS, SCHEMA, MEMORY_LIMIT, STORE_USER,
      STORE_PASSWORD);

  private DriverSettings() {
  }

  /** What one connection to {@code factory}'s source may set. */
  static SettingsRegistry registry(SourceFactory factory) {
    return SettingsRegistry.of(SETTINGS, SourceContext.SETTINGS, MetricSettings.SETTINGS,
        factory == null ? List.of() : factory.settings());
  }

  /** Every setting of every source (for docs and masking before the source is known). */
  static SettingsRegistry all() {
    List<Setting<?>> sources = new ArrayList<>();
    Sources.factories().values().forEach(f -> sources.addAll(f.settings()));
    return SettingsRegistry.of(SETTINGS, SourceContext.SETTINGS, MetricSettings.SETTINGS, sources);
  }

  /** The sources declaring {@code key}, by kind. */
  static List<String> sourcesDeclaring(String key) {
    Map<String, SourceFactory> all = new TreeMap<>(Sources.factories());
    return all.values().stream().filter(f -> f.settings().stream().anyMatch(s -> s.key().equals(key)))
        .map(SourceFactory::kind).toList();
  }
}
