package io.crmkpi.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
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
    // Calcite's compiled-code cache is off by default (reference/calcite.md §2.6); it serves any
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

  @Override
  public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
    String[][] keys = {
        {"store", "path of the store file (DuckDB), or memory"},
        {"refresh", "when a connect reloads the source: 15m (default), never, always, or a duration"},
        {"timezone", "reporting time zone (IANA), default: the CRM account's, else UTC"},
        {"currency", "base currency (ISO code)"},
        {"week_start", "1 = Monday (default) .. 7 = Sunday"},
        {"fiscal_year_start", "first month of the fiscal year, 1..12 (default 1)"},
        {"churn_inactivity_days", "default 90"},
        {"gross_margin", "0..1, default 1.0"},
        {"golive", "date the CRM was introduced (YYYY-MM-DD)"},
        {"impact_months", "default 3"},
        {"metrics", "folder of extra metric definitions (*.yaml)"},
    };
    DriverPropertyInfo[] out = new DriverPropertyInfo[keys.length];
    for (int i = 0; i < keys.length; i++) {
      out[i] = new DriverPropertyInfo(keys[i][0], info == null ? null : info.getProperty(keys[i][0]));
      out[i].description = keys[i][1];
    }
    return out;
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
