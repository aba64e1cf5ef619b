package io.crmkpi.store;

import io.crmkpi.model.CanonicalModel;
import io.crmkpi.model.Column;
import io.crmkpi.model.Table;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Appends rows to one canonical table through DuckDB's appender. A row is an {@code Object[]} in
 * the table's column order with Java values: String, Integer/Long, Double, Boolean, BigDecimal,
 * LocalDate, LocalDateTime or null.
 *
 * <p>The appender writes straight into {@code crm.<table>} inside the {@link LoadSession}'s open
 * transaction: DuckDB's JDBC appender flushes every 2,048-row chunk, and in a transaction that
 * flush only adds to the transaction's local storage instead of committing (per-chunk commits,
 * and earlier a private staging database plus an INSERT ... SELECT copy, were the bulk of a big
 * load). Rows become visible to other connections when the session flushes (commits).
 */
public final class TableWriter implements AutoCloseable {

  private final Table table;
  private final DuckDBAppender appender;
  /** Column name to position, for {@link #add(Map)} (export loaders write every row as a map). */
  private final Map<String, Integer> positions = new HashMap<>();
  private long rows;
  private boolean closed;

  TableWriter(DuckDBConnection connection, String tableName) throws SQLException {
    this.table = CanonicalModel.require(tableName);
    this.appender = connection.createAppender(CanonicalModel.SCHEMA, table.name());
    for (int i = 0; i < table.columns().size(); i++) {
      positions.put(table.columns().get(i).name(), i);
    }
  }

  public Table table() {
    return table;
  }

  /** Appends one row given in the table's column order; trailing columns left off are NULL. */
  public void add(Object... values) throws SQLException {
    if (values.length < table.columns().size()) {
      values = java.util.Arrays.copyOf(values, table.columns().size());
    }
    if (values.length != table.columns().size()) {
      throw new IllegalArgumentException("crm." + table.name() + " has " + table.columns().size()
          + " columns, got " + values.length + " values");
    }
    appender.beginRow();
    for (int i = 0; i < values.length; i++) {
      append(table.columns().get(i), values[i]);
    }
    appender.endRow();
    rows++;
  }

  /** Appends one row given as column name to value; absent columns are NULL. */
  public void add(Map<String, ?> row) throws SQLException {
    Object[] values = new Object[table.columns().size()];
    for (Map.Entry<String, ?> e : row.entrySet()) {
      Integer known = positions.get(e.getKey());
      int i = known != null ? known : table.indexOf(e.getKey()); // indexOf: any letter case
      if (i < 0) {
        throw new IllegalArgumentException("crm." + table.name() + " has no column " + e.getKey());
      }
      values[i] = e.getValue();
    }
    add(values);
  }

  /** Rows appended so far. */
  public long rows() {
    return rows;
  }

  private void append(Column column, Object v) throws SQLException {
    if (v == null) {
      appender.appendNull();
      return;
    }
    switch (column.type()) {
      case VARCHAR, CURRENCY -> appender.append(v.toString());
      case INTEGER -> appender.append(((Number) v).intValue());
      case BIGINT -> appender.append(((Number) v).longValue());
      case DOUBLE -> appender.append(((Number) v).doubleValue());
      case BOOLEAN -> appender.append((Boolean) v);
      case DATE -> appender.append(v instanceof LocalDateTime t ? t.toLocalDate() : (LocalDate) v);
      case TIMESTAMP -> appender.appendEpochMicros(epochMicros(v instanceof LocalDate d ? d.atStartOfDay()
          : (LocalDateTime) v));
      // DECIMAL(18, s) is a 64-bit unscaled number in DuckDB: handing it over directly is the cheap path
      case MONEY -> appendDecimal(v, 2);
      case QUANTITY -> appendDecimal(v, 3);
      case RATE -> appendDecimal(v, 8);
      default -> throw new IllegalStateException("unhandled type " + column.type());
    }
  }

  /** Microseconds since 1970 of a wall-clock time, as DuckDB stores a TIMESTAMP. */
  public static long epochMicros(LocalDateTime t) {
    return Math.addExact(Math.multiplyExact(t.toEpochSecond(ZoneOffset.UTC), 1_000_000L), t.getNano() / 1_000);
  }

  private void appendDecimal(Object v, int scale) throws SQLException {
    BigDecimal d = decimal(v, scale);
    if (d.precision() <= 18) {
      appender.appendDecimal(d.unscaledValue().longValue());
    } else {
      appender.append(d); // out of DECIMAL(18, s): the appender words the error
    }
  }

  private static BigDecimal decimal(Object v, int scale) {
    BigDecimal d = v instanceof BigDecimal b ? b : new BigDecimal(v.toString());
    return d.setScale(scale, RoundingMode.HALF_UP);
  }

  /** Hands the last partial chunk to DuckDB (visible to others once the session commits). */
  @Override
  public void close() throws SQLException {
    if (closed) {
      return;
    }
    closed = true;
    appender.close();
  }
}
