package io.crmkpi.source;

import io.crmkpi.settings.CommonSettings;
import io.crmkpi.settings.Role;
import io.crmkpi.settings.Setting;
import io.crmkpi.settings.SettingType;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * What a source gets from the connection: all properties (keys lower-case), the reporting time
 * zone, the base currency (if set) and a sink for progress messages.
 */
public final class SourceContext {

  /** Malformed rows fail the load instead of going to {@code crm.load_rejects}. */
  public static final Setting<Boolean> STRICT = Setting.of("strict", SettingType.bool(), Role.DATA, false,
      "`true`: a malformed input row fails the load instead of going to `crm.load_rejects`");

  /** The settings every source reads through this context. */
  public static final List<Setting<?>> SETTINGS = List.of(CommonSettings.TIMEZONE, CommonSettings.CURRENCY, STRICT);

  private final Map<String, String> properties;
  private final Consumer<String> progress;

  public SourceContext(Map<String, String> properties, Consumer<String> progress) {
    Map<String, String> p = new TreeMap<>();
    properties.forEach((k, v) -> p.put(k.toLowerCase(Locale.ROOT), v));
    this.properties = Map.copyOf(p);
    this.progress = progress == null ? s -> { } : progress;
  }

  public static SourceContext of(Map<String, String> properties) {
    return new SourceContext(properties, null);
  }

  public Optional<String> property(String key) {
    return Optional.ofNullable(properties.get(key.toLowerCase(Locale.ROOT))).filter(s -> !s.isBlank());
  }

  public Map<String, String> properties() {
    return properties;
  }

  /**
   * Reporting time zone: property {@code timezone}, else UTC. Instants are converted into it. A bad
   * value throws {@link io.crmkpi.settings.SettingException} (the driver refuses it at connect).
   */
  public ZoneId timezone() {
    return CommonSettings.TIMEZONE.get(properties);
  }

  /** Base currency (property {@code currency}, an ISO 4217 code) if the user set one. */
  public Optional<String> currency() {
    return CommonSettings.CURRENCY.find(properties);
  }

  /** True when malformed rows must fail the load instead of going to {@code crm.load_rejects}. */
  public boolean strict() {
    return STRICT.get(properties);
  }

  public void progress(String message) {
    progress.accept(message);
  }
}
