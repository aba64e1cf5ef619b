package io.crmkpi.jdbc;

import io.crmkpi.settings.Setting;
import io.crmkpi.settings.SettingsRegistry;
import io.crmkpi.source.SourceFactory;
import io.crmkpi.source.Sources;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * The crmkpi JDBC driver: {@code jdbc:crmkpi:<source>[:<target>][;key=value]...}.
 * Calcite parses, validates and expands views; the embedded store runs each statement whole.
 */
public final class Driver implements java.sql.Driver {

  static final int MAJOR = 0;
  static final int MINOR = 1;
  static final String VERSION = "0.1.0";

  static {
    // Calcite's compiled-code cache is off by default (calcite.bindable.cache.maxSize); it serves any
    // statement Calcite itself executes.
    if (System.getProperty("calcite.bindable.cache.maxSize") == null) {
      System.setProperty("calcite.bindable.cache.maxSize", "1000");
    }
    try {
      DriverManager.registerDriver(new Driver());
    } catch (SQLException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @Override
  public Connection connect(String url, Properties info) throws SQLException {
    if (!acceptsURL(url)) {
      return null; // JDBC: let another driver try
    }
    ConnectionConfig config = ConnectionConfig.parse(url, info);
    return CrmKpiConnection.open(config);
  }

  @Override
  public boolean acceptsURL(String url) {
    return ConnectionConfig.accepts(url);
  }

  /**
   * Every setting a connection to the URL's source may use (all sources' when the URL names none),
   * from the declarations: description with the default, the allowed values as choices, and the
   * value the URL or {@code info} sets (secrets shown as {@code ***}).
   */
  @Override
  public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
    String head = acceptsURL(url) ? url.substring(ConnectionConfig.PREFIX.length()).split("[;:]", 2)[0] : "";
    SourceFactory factory = Sources.factories().get(head.trim().toLowerCase(Locale.ROOT));
    SettingsRegistry registry = factory == null ? DriverSettings.all() : DriverSettings.registry(factory);
    Map<String, String> given = new HashMap<>();
    if (acceptsURL(url)) {
      for (String kv : url.split(";")) {
        int eq = kv.indexOf('=');
        if (eq > 0) {
          given.put(kv.substring(0, eq).trim().toLowerCase(Locale.ROOT), kv.substring(eq + 1).trim());
        }
      }
    }
    if (info != null) {
      info.stringPropertyNames().forEach(k -> given.put(k.toLowerCase(Locale.ROOT), info.getProperty(k)));
    }
    List<DriverPropertyInfo> out = new ArrayList<>();
    for (Setting<?> s : registry.all()) {
      String value = given.get(s.key());
      DriverPropertyInfo p = new DriverPropertyInfo(s.key(), value != null && s.isSecret() ? "***" : value);
      p.description = s.description() + " (default: " + s.defaultText() + "; " + s.type().expected() + ")";
      p.choices = s.type().choices().isEmpty() ? null : s.type().choices().toArray(String[]::new);
      out.add(p);
    }
    return out.toArray(DriverPropertyInfo[]::new);
  }

  @Override
  public int getMajorVersion() {
    return MAJOR;
  }

  @Override
  public int getMinorVersion() {
    return MINOR;
  }

  @Override
  public boolean jdbcCompliant() {
    return false;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("crmkpi logs through System.Logger");
  }
}
