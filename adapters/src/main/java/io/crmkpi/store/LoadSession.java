package io.crmkpi.store;

import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import org.duckdb.DuckDBConnection;

/**
 * One source's load into the store: writers for canonical tables, rejected rows into
 * {@code crm.load_rejects}, and the {@link LoadReport}. Close it to flush everything.
 */
public final class LoadSession implements AutoCloseable {

  private final Store store;
  private final String source;
  private final DuckDBConnection connection;
  private final Map<String, TableWriter> writers = new LinkedHashMap<>();
  private final LoadReport report;
  private TableWriter rejects;

  LoadSession(Store store, String source) throws SQLException {
    this.store = store;
    this.source = source;
    this.connection = store.connect();
    // One transaction per flush: the appenders' 2,048-row chunks then go to transaction-local
    // storage instead of being committed one by one (see TableWriter)
    connection.setAutoCommit(false);
    this.report = new LoadReport(source);
  }

  public String source() {
    return source;
  }

  public Store store() {
    return store;
  }

  /** The writer for canonical table {@code name} (opened on first use, shared after). */
  public TableWriter table(String name) throws SQLException {
    TableWriter w = writers.get(name);
    if (w == null) {
      w = new TableWriter(connection, name);
      writers.put(name, w);
    }
    return w;
  }

  /** Records a row that could not be loaded. {@code location} is file:line or the API request. */
  public void reject(String entity, String location, String reason, String raw) throws SQLException {
    if (rejects == null) {
      rejects = new TableWriter(connection, "load_rejects");
    }
    rejects.add(source, location, entity, reason, raw, LocalDateTime.now());
  }

  public LoadReport report() {
    return report;
  }

  /** Flushes all appenders and commits, so that the rows become visible to other connections. */
  public void flush() throws SQLException {
    try {
      for (TableWriter w : writers.values()) {
        w.close();
      }
      if (rejects != null) {
        rejects.close();
      }
    } finally {
      writers.clear();
      rejects = null;
    }
    connection.commit();
  }

  @Override
  public void close() throws SQLException {
    try {
      flush();
    } finally {
      connection.close();
    }
  }
}
