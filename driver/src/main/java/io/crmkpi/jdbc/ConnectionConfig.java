package io.crmkpi.jdbc;

import io.crmkpi.settings.Role;
import io.crmkpi.settings.SecretMask;
import io.crmkpi.settings.Setting;
import io.crmkpi.settings.SettingException;
import io.crmkpi.settings.SettingsRegistry;
import io.crmkpi.source.SourceFactory;
import io.crmkpi.source.Sources;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * A parsed {@code jdbc:crmkpi:<source>[:<target>][;key=value]...} URL plus {@link Properties}
 * (properties win over URL keys). Keys are case-insensitive and kept lower-case. Every key must be
 * a declared setting of the driver, the KPI views or the source ({@link DriverSettings#registry}),
 * and every value must parse with its setting's type: anything else is refused here, before any
 * value can be echoed, logged or used.
 */
public final class ConnectionConfig {

  public static final String PREFIX = "jdbc:crmkpi:";
  /** JDBC clients pass user/password to every driver; they mean nothing to an embedded store. */
  private static final Set<String> JDBC_CREDENTIALS = Set.of("user", "password");

  private final String source;
  private final String target;
  private final Map<String, String> properties;
  private final SettingsRegistry registry;
  private final SecretMask mask;

  private ConnectionConfig(String source, String target, Map<String, String> properties, SettingsRegistry registry) {
    this.source = source;
    this.target = target;
    this.properties = Map.copyOf(properties);
    this.registry = registry;
    this.mask = SecretMask.of(registry.secretValues(properties));
  }

  public static boolean accepts(String url) {
    return url != null && url.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
  }

  public static ConnectionConfig parse(String url, Properties info) throws SQLException {
    if (!accepts(url)) {
      throw new SQLException("not a crmkpi URL: expected " + PREFIX + "<source>[:<target>][;key=value]...");
    }
    String rest = url.substring(PREFIX.length());
    String[] parts = rest.split(";", -1);
    String head = parts[0].trim();
    if (head.isEmpty()) {
      throw new SQLException("missing source in " + Secrets.maskUrl(url) + "; e.g. " + PREFIX + "demo or "
          + PREFIX + "files:/path/to/exports");
    }
    int colon = head.indexOf(':');
    String source = (colon < 0 ? head : head.substring(0, colon)).toLowerCase(Locale.ROOT);
    String target = colon < 0 ? "" : head.substring(colon + 1);
    Map<String, String> props = new TreeMap<>();
    for (int i = 1; i < parts.length; i++) {
      String kv = parts[i].trim();
      if (kv.isEmpty()) {
        continue;
      }
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new SQLException("malformed URL option '" + Secrets.maskUrl(kv) + "': expected key=value");
      }
      props.put(kv.substring(0, eq).trim().toLowerCase(Locale.ROOT), kv.substring(eq + 1).trim());
    }
    if (info != null) {
      for (String k : info.stringPropertyNames()) {
        props.put(k.toLowerCase(Locale.ROOT), info.getProperty(k));
      }
    }
    props.keySet().removeAll(JDBC_CREDENTIALS);
    SourceFactory factory = Sources.factories().get(source);
    SettingsRegistry registry = DriverSettings.registry(factory);
    if (factory != null) { // an unknown source is refused when it is created, with the known ones listed
      check(registry, props, PREFIX + source);
    }
    return new ConnectionConfig(source, target, props, registry);
  }

  /**
   * The keys of the secret settings a connection to {@code url}'s source may set (empty for an
   * unknown source): what a client may take from somewhere safer than the URL.
   */
  public static Set<String> secretKeys(String url) {
    if (!accepts(url)) {
      return Set.of();
    }
    String head = url.substring(PREFIX.length()).split("[;:]", 2)[0].trim().toLowerCase(Locale.ROOT);
    SourceFactory factory = Sources.factories().get(head);
    return factory == null ? Set.of() : DriverSettings.registry(factory).keys(Role.SECRET);
  }

  /** Refuses an unknown key (never echoing its value) or a bad value, naming the key. */
  private static void check(SettingsRegistry registry, Map<String, String> props, String where) throws SQLException {
    try {
      registry.check(props, where);
    } catch (SettingException e) {
      String message = e.getMessage();
      if (registry.get(e.key()).isEmpty()) {
        List<String> elsewhere = DriverSettings.sourcesDeclaring(e.key());
        if (!elsewhere.isEmpty()) {
          message = "'" + e.key() + "' is not a setting of " + where + " but of "
              + String.join(", ", elsewhere.stream().map(k -> PREFIX + k).toList());
        }
      }
      throw new SQLException(SecretMask.of(registry.secretValues(props)).apply(message), "08001");
    }
  }

  public String source() {
    return source;
  }

  public String target() {
    return target;
  }

  public Map<String, String> properties() {
    return properties;
  }

  public String property(String key, String dflt) {
    String v = properties.get(key);
    return v == null || v.isBlank() ? dflt : v;
  }

  /** A declared setting's value, parsed (checked at parse time), or its default. */
  <T> T get(Setting<T> setting) {
    return setting.get(properties);
  }

  /** The settings this connection may use. */
  SettingsRegistry registry() {
    return registry;
  }

  /** The values of this connection's secrets (to mask them wherever they may show). */
  List<String> secretValues() {
    return registry.secretValues(properties);
  }

  /** {@code text} with this connection's secrets and any URL credentials replaced by {@code ***}. */
  String mask(String text) {
    return mask.apply(text);
  }

  /** The URL with every secret replaced by {@code ***}: safe for getURL(), logs and errors. */
  public String maskedUrl() {
    StringBuilder b = new StringBuilder(PREFIX).append(source);
    if (!target.isEmpty()) {
      b.append(':').append(mask(target));
    }
    new TreeMap<>(properties).forEach((k, v) -> {
      boolean secret = registry.get(k).map(Setting::isSecret).orElse(true);
      b.append(';').append(k).append('=').append(secret ? "***" : mask(v));
    });
    return b.toString();
  }

  /**
   * Identity of the data: the store is shared by connections with the same key. The source, its
   * target, the store file and the settings that shape the rows (data and secret roles); settings
   * that only shape views or say when to reload do not split a store.
   */
  String storeKey() {
    Map<String, String> p = new TreeMap<>(properties);
    p.keySet().removeIf(k -> {
      Role r = registry.get(k).map(Setting::role).orElse(Role.DATA);
      return !(r == Role.DATA || r == Role.SECRET || k.equals(DriverSettings.STORE.key()));
    });
    return source + ":" + target + p;
  }
}
