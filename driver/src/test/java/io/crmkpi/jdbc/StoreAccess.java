package io.crmkpi.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.WeakHashMap;
import org.duckdb.DuckDBConnection;

/**
 * For tests and benchmarks that compute a KPI a second way: a raw connection to the store behind a
 * crmkpi connection. The driver itself never hands one out ({@code unwrap} refuses); this reaches it
 * through the package, one per crmkpi connection, closed with the JVM.
 */
public final class StoreAccess {

  private static final Map<Connection, DuckDBConnection> RAW = new WeakHashMap<>();

  private StoreAccess() {
  }

  /** The store's database behind {@code c} (a crmkpi connection), as DuckDB sees it. */
  public static synchronized DuckDBConnection raw(Connection c) throws SQLException {
    DuckDBConnection d = RAW.get(c);
    if (d == null || d.isClosed()) {
      d = ((CrmKpiConnection) c).handle().store().connect();
      RAW.put(c, d);
    }
    return d;
  }
}
