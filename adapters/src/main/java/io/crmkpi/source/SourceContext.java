package io.crmkpi.source;

import java.time.ZoneId;
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

  /** Reporting time zone: property {@code timezone}, else UTC. Instants are converted into it. */
  public ZoneId timezone() {
    return property("timezone").map(ZoneId::of).orElse(ZoneId.of("UTC"));
  }

  /** Base currency (property {@code currency}) if the user set one. */
  public Optional<String> currency() {
    return property("currency").map(s -> s.toUpperCase(Locale.ROOT));
  }

  /** True when malformed rows must fail the load instead of going to {@code crm.load_rejects}. */
  public boolean strict() {
    return property("strict").map(Boolean::parseBoolean).orElse(false);
  }

  public void progress(String message) {
    progress.accept(message);
  }
}
