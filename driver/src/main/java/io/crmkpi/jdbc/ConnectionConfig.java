package io.crmkpi.jdbc;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * A parsed {@code jdbc:crmkpi:<source>[:<target>][;key=value]...} URL plus {@link Properties}
 * (properties win over URL keys). Keys are case-insensitive and kept lower-case.
 */
public final class ConnectionConfig {

  public static final String PREFIX = "jdbc:crmkpi:";

  /** Keys whose values are secrets: never logged, echoed in errors, or shown by getURL(). */
  static final Set<String> SECRET_KEYS = Set.of("token", "webhook", "password", "client_secret",
      "refresh_token", "access_token", "api_key", "secret");

  private final String source;
  private final String target;
  private final Map<String, String> properties;

  private ConnectionConfig(String source, String target, Map<String, String> properties) {
    this.source = source;
    this.target = target;
    this.properties = Map.copyOf(properties);
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
        throw new SQLException("malformed URL option '" + Secrets.maskOption(kv) + "': expected key=value");
      }
      props.put(kv.substring(0, eq).trim().toLowerCase(Locale.ROOT), kv.substring(eq + 1).trim());
    }
    if (info != null) {
      for (String k : info.stringPropertyNames()) {
        props.put(k.toLowerCase(Locale.ROOT), info.getProperty(k));
      }
    }
    // JDBC clients pass user/password for every driver; they mean nothing to an embedded store.
    props.remove("user");
    return new ConnectionConfig(source, target, props);
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

  /** The URL with every secret replaced by {@code ***}: safe for getURL(), logs and errors. */
  public String maskedUrl() {
    StringBuilder b = new StringBuilder(PREFIX).append(source);
    if (!target.isEmpty()) {
      b.append(':').append(target);
    }
    Map<String, String> shown = new LinkedHashMap<>();
    properties.forEach((k, v) -> shown.put(k, SECRET_KEYS.contains(k) ? "***" : v));
    shown.forEach((k, v) -> b.append(';').append(k).append('=').append(v));
    return b.toString();
  }

  /** Identity of the data: the store is shared by connections with the same key. */
  String storeKey() {
    Map<String, String> p = new TreeMap<>(properties);
    for (String k : io.crmkpi.metrics.MetricSettings.names()) {
      if (!k.equals("timezone") && !k.equals("currency")) {
        p.remove(k);
      }
    }
    p.remove("metrics");
    p.remove("schema"); // a session's default schema: same data
    return source + ":" + target + p;
  }
}
