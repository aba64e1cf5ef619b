package io.crmkpi.sync;

import io.crmkpi.model.CanonicalModel;
import io.crmkpi.store.Store;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The store side of an incremental sync for one source: checkpoints in {@code crm.sync_state} (plus
 * the resume cursor of an unfinished run in {@code util.sync_cursor}) and atomic page commits.
 *
 * <p>{@link #commit} stages the page's rows in temp tables, then in ONE DuckDB transaction deletes
 * the target rows with the staged keys, inserts the staged rows (last unit per key wins) and moves
 * the checkpoint. A reader sees the table before or after the page, never half of it; a crash
 * loses at most the page in flight, and since the checkpoint moved with the data, the next run
 * resumes right after the last committed page: no gap, and no duplicate because of the upsert.
 */
public final class SyncStore implements AutoCloseable {

  private final String source;
  private final ZoneId zone;
  private final Connection c;
  private final Set<String> staged = new HashSet<>();

  public SyncStore(Store store, String source, ZoneId zone) throws SQLException {
    this.source = source;
    this.zone = zone;
    this.c = store.connect();
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS util.sync_cursor (source VARCHAR, entity VARCHAR, cursor VARCHAR)");
    }
  }

  public String source() {
    return source;
  }

  /** Creates a raw table (and its schema) if missing. */
  public void ensure(TableSpec table) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA IF NOT EXISTS " + table.schema());
      s.execute(table.ddl());
    }
  }

  public Checkpoint checkpoint(String entity) throws SQLException {
    String hwm = null;
    String status = null;
    String cursor = null;
    try (PreparedStatement p = c.prepareStatement(
        "SELECT high_water_mark, status FROM crm.sync_state WHERE source = ? AND entity = ?")) {
      p.setString(1, source);
      p.setString(2, entity);
      try (ResultSet rs = p.executeQuery()) {
        if (rs.next()) {
          hwm = rs.getString(1);
          status = rs.getString(2);
        }
      }
    }
    try (PreparedStatement p = c.prepareStatement(
        "SELECT cursor FROM util.sync_cursor WHERE source = ? AND entity = ?")) {
      p.setString(1, source);
      p.setString(2, entity);
      try (ResultSet rs = p.executeQuery()) {
        if (rs.next()) {
          cursor = rs.getString(1);
        }
      }
    }
    return new Checkpoint(hwm, cursor, status);
  }

  /** Marks the entity running (keeps its checkpoint). */
  public void started(String entity) throws SQLException {
    inTransaction(() -> state(entity, null, "running", null, false));
  }

  /**
   * Writes the batch and moves the checkpoint, atomically. {@code hwm} null keeps the old one;
   * {@code cursor} is the resume point of this unfinished run (null: none).
   */
  public void commit(String entity, Batch batch, String hwm, String cursor) throws SQLException {
    for (TableSpec t : batch.rows().keySet()) {
      stageTable(t);
    }
    inTransaction(() -> {
      for (var e : batch.rows().entrySet()) {
        upsert(e.getKey(), e.getValue(), batch.isComplete(e.getKey()));
      }
      try (Statement s = c.createStatement()) {
        for (String sql : batch.after()) {
          s.execute(sql);
        }
      }
      state(entity, hwm, "running", null, false);
      cursor(entity, cursor);
    });
  }

  /** The run finished: status ok, new high-water mark, no resume cursor, rows_total. */
  public void finished(String entity, String hwm, long rowsTotal) throws SQLException {
    inTransaction(() -> {
      state(entity, hwm, "ok", null, true);
      try (PreparedStatement p = c.prepareStatement(
          "UPDATE crm.sync_state SET rows_total = ? WHERE source = ? AND entity = ?")) {
        p.setLong(1, rowsTotal);
        p.setString(2, source);
        p.setString(3, entity);
        p.executeUpdate();
      }
      cursor(entity, null);
    });
  }

  /** The run failed: status failed and the (already secret-free) error; the checkpoint stays. */
  public void failed(String entity, String error) throws SQLException {
    inTransaction(() -> state(entity, null, "failed", error, false));
  }

  /** Runs statements in one transaction (post-steps that rebuild derived rows). */
  public void transaction(String... sql) throws SQLException {
    inTransaction(() -> {
      try (Statement s = c.createStatement()) {
        for (String q : sql) {
          s.execute(q);
        }
      }
    });
  }

  public long count(String qualifiedTable) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + qualifiedTable)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Override
  public void close() throws SQLException {
    c.close();
  }

  private interface Work {
    void run() throws SQLException;
  }

  private void inTransaction(Work w) throws SQLException {
    c.setAutoCommit(false);
    try {
      w.run();
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  private String stageName(TableSpec t) {
    return "stage_" + t.schema() + "_" + t.name();
  }

  private void stageTable(TableSpec t) throws SQLException {
    if (staged.add(t.qualified())) {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE SCHEMA IF NOT EXISTS " + t.schema());
        s.execute(t.ddl());
        s.execute("CREATE OR REPLACE TEMP TABLE " + stageName(t) + " AS SELECT " + String.join(", ", t.columns())
            + ", CAST(0 AS BIGINT) AS _unit, true AS _ins FROM " + t.qualified() + " LIMIT 0");
      }
    }
  }

  private void upsert(TableSpec t, List<Batch.Row> rows, boolean complete) throws SQLException {
    if (rows.isEmpty() && !complete) {
      return;
    }
    String stage = stageName(t);
    String cols = String.join(", ", t.columns());
    StringJoiner marks = new StringJoiner(", ");
    for (int i = 0; i <= t.columns().size() + 1; i++) {
      marks.add("?");
    }
    try (Statement s = c.createStatement()) {
      s.execute("DELETE FROM " + stage);
    }
    try (PreparedStatement p = c.prepareStatement("INSERT INTO " + stage + " (" + cols + ", _unit, _ins) VALUES (" + marks + ")")) {
      for (Batch.Row r : rows) {
        for (int i = 0; i < r.values().length; i++) {
          bind(p, i + 1, r.values()[i]);
        }
        p.setLong(r.values().length + 1, r.unit());
        p.setBoolean(r.values().length + 2, r.insert());
        p.addBatch();
      }
      if (!rows.isEmpty()) {
        p.executeBatch();
      }
    }
    try (Statement s = c.createStatement()) {
      if (t.key().isEmpty()) {
        s.execute("INSERT INTO " + t.qualified() + " (" + cols + ") SELECT " + cols + " FROM " + stage + " WHERE _ins");
        return;
      }
      StringJoiner on = new StringJoiner(" AND ");
      for (String k : t.key()) {
        on.add("t." + k + " IS NOT DISTINCT FROM s." + k);
      }
      String keys = String.join(", ", t.key());
      s.execute("DELETE FROM " + t.qualified() + " t WHERE " + (complete ? "true" : "EXISTS (SELECT 1 FROM " + stage
          + " s WHERE " + on + ")"));
      s.execute("INSERT INTO " + t.qualified() + " (" + cols + ") SELECT " + cols + " FROM " + stage
          + " QUALIFY _ins AND _unit = max(_unit) OVER (PARTITION BY " + keys + ")");
    }
  }

  private static void bind(PreparedStatement p, int i, Object v) throws SQLException {
    if (v == null) {
      p.setObject(i, null);
    } else if (v instanceof LocalDateTime t) {
      p.setTimestamp(i, Timestamp.valueOf(t));
    } else if (v instanceof LocalDate d) {
      p.setDate(i, java.sql.Date.valueOf(d));
    } else if (v instanceof BigDecimal d) {
      p.setBigDecimal(i, d);
    } else {
      p.setObject(i, v);
    }
  }

  private void state(String entity, String hwm, String status, String error, boolean stamp) throws SQLException {
    String oldHwm = null;
    Object lastSync = null;
    long rows = 0;
    try (PreparedStatement p = c.prepareStatement("SELECT high_water_mark, last_sync_at, rows_total FROM crm.sync_state "
        + "WHERE source = ? AND entity = ?")) {
      p.setString(1, source);
      p.setString(2, entity);
      try (ResultSet rs = p.executeQuery()) {
        if (rs.next()) {
          oldHwm = rs.getString(1);
          lastSync = rs.getTimestamp(2);
          rows = rs.getLong(3);
        }
      }
    }
    try (PreparedStatement p = c.prepareStatement("DELETE FROM crm.sync_state WHERE source = ? AND entity = ?")) {
      p.setString(1, source);
      p.setString(2, entity);
      p.executeUpdate();
    }
    try (PreparedStatement p = c.prepareStatement("INSERT INTO " + CanonicalModel.SCHEMA
        + ".sync_state (source, entity, last_sync_at, high_water_mark, rows_total, status, error) VALUES (?,?,?,?,?,?,?)")) {
      p.setString(1, source);
      p.setString(2, entity);
      p.setObject(3, stamp ? Timestamp.valueOf(LocalDateTime.now(zone).withNano(0)) : lastSync);
      p.setString(4, hwm != null ? hwm : oldHwm);
      p.setLong(5, rows);
      p.setString(6, status);
      p.setString(7, error);
      p.executeUpdate();
    }
  }

  private void cursor(String entity, String cursor) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("DELETE FROM util.sync_cursor WHERE source = ? AND entity = ?")) {
      p.setString(1, source);
      p.setString(2, entity);
      p.executeUpdate();
    }
    if (cursor != null) {
      try (PreparedStatement p = c.prepareStatement("INSERT INTO util.sync_cursor VALUES (?, ?, ?)")) {
        p.setString(1, source);
        p.setString(2, entity);
        p.setString(3, cursor);
        p.executeUpdate();
      }
    }
  }
}
