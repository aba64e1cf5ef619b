package io.crmkpi.sync;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows of one page (or one small entity), committed by {@link SyncStore#commit} in ONE transaction.
 * Rows are grouped into units, one per source record ({@link #next()}); when the same key appears in
 * several units (a record fetched twice), the last unit wins, so a page may overlap the previous one.
 */
public final class Batch {

  record Row(long unit, Object[] values, boolean insert) {
  }

  private final Map<TableSpec, List<Row>> rows = new LinkedHashMap<>();
  private final List<String> after = new ArrayList<>();
  private final java.util.Set<TableSpec> complete = new java.util.HashSet<>();
  private long unit;
  private long records;

  /** Starts the rows of the next source record. */
  public Batch next() {
    unit++;
    records++;
    return this;
  }

  /**
   * Adds a row (values in {@code table.columns()} order) to the current record. Trailing columns a
   * source cannot fill may be left off: they are NULL (tables only ever grow at the end).
   */
  public Batch add(TableSpec table, Object... values) {
    if (values.length > table.columns().size()) {
      throw new IllegalArgumentException(table.qualified() + " has " + table.columns().size() + " columns, got "
          + values.length);
    }
    rows.computeIfAbsent(table, t -> new ArrayList<>())
        .add(new Row(unit, java.util.Arrays.copyOf(values, table.columns().size()), true));
    return this;
  }

  /**
   * Deletes the rows with these key values (in {@code table.key()} order) without inserting any: a
   * record whose custom fields were all cleared, a deleted record.
   */
  public Batch clear(TableSpec table, Object... keyValues) {
    Object[] values = new Object[table.columns().size()];
    for (int i = 0; i < keyValues.length; i++) {
      values[table.columns().indexOf(table.key().get(i))] = keyValues[i];
    }
    rows.computeIfAbsent(table, t -> new ArrayList<>()).add(new Row(unit, values, false));
    return this;
  }

  /** Forgets the current record's rows (it turned out to be bad and goes to the rejects instead). */
  public Batch dropCurrent() {
    for (List<Row> l : rows.values()) {
      l.removeIf(r -> r.unit() == unit);
    }
    records--;
    return this;
  }

  /**
   * This batch holds ALL rows of {@code table} (small reference data such as pipelines and users):
   * rows whose key is not in the batch are deleted in the same transaction.
   */
  public Batch complete(TableSpec table) {
    complete.add(table);
    rows.computeIfAbsent(table, t -> new ArrayList<>());
    return this;
  }

  boolean isComplete(TableSpec table) {
    return complete.contains(table);
  }

  /** A statement to run in the same transaction after the upserts (e.g. flag deletions). */
  public Batch then(String sql) {
    after.add(sql);
    return this;
  }

  /** Source records in this batch. */
  public long records() {
    return records;
  }

  public boolean isEmpty() {
    return rows.values().stream().allMatch(List::isEmpty) && after.isEmpty();
  }

  /**
   * The rows this batch inserts into {@code qualified} (e.g. {@code crm.deals}), as column → value in
   * table order: what a mapper made of its records, readable without a store.
   */
  public List<Map<String, Object>> inserted(String qualified) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (var e : rows.entrySet()) {
      if (e.getKey().qualified().equals(qualified)) {
        for (Row r : e.getValue()) {
          if (r.insert()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < r.values().length; i++) {
              m.put(e.getKey().columns().get(i), r.values()[i]);
            }
            out.add(m);
          }
        }
      }
    }
    return out;
  }

  Map<TableSpec, List<Row>> rows() {
    return rows;
  }

  List<String> after() {
    return after;
  }
}
