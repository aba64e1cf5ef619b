package io.crmkpi.lake;

import io.crmkpi.model.CanonicalModel;
import io.crmkpi.model.Table;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One exported table: its store name, its folder under the export root, the date column whose month
 * partitions it (null: one file) and its columns with their types.
 */
record LakeTable(String name, String folder, String partitionColumn, List<LakeColumn> columns) {

  /** The Hive partition key of fact tables: the month ({@code YYYY-MM}) of the row's main date. */
  static final String PARTITION_KEY = "part_month";

  /** Hive's name for a NULL partition value: Spark, Hive and Trino read it back as NULL. */
  static final String NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__";

  /** A column and its type (canonical type for crm.*, DuckDB's for util.calendar). */
  record LakeColumn(String name, String type) {
  }

  /** Fact tables and the date whose month partitions them; every other table is one file. */
  static final Map<String, String> PARTITIONED_BY = Map.of(
      "deals", "created_at",
      "activities", "created_at",
      "orders", "ordered_at",
      "leads", "created_at",
      "deal_stage_history", "changed_at",
      "tickets", "created_at",
      "survey_responses", "responded_at",
      "marketing_spend", "spend_date",
      "deal_snapshots", "valid_from");

  /** Every {@code crm.*} table in model order, then {@code util.calendar} (the KPI views need it). */
  static List<LakeTable> all(Connection store) throws SQLException {
    List<LakeTable> out = new ArrayList<>();
    for (Table t : CanonicalModel.tables()) {
      out.add(new LakeTable(CanonicalModel.SCHEMA + "." + t.name(), t.name(), PARTITIONED_BY.get(t.name()),
          t.columns().stream().map(c -> new LakeColumn(c.name(), c.type().ddl())).toList()));
    }
    List<LakeColumn> calendar = new ArrayList<>();
    try (Statement s = store.createStatement();
         ResultSet rs = s.executeQuery("SELECT column_name, data_type FROM duckdb_columns() "
             + "WHERE schema_name = 'util' AND table_name = 'calendar' ORDER BY column_index")) {
      while (rs.next()) {
        calendar.add(new LakeColumn(rs.getString(1), rs.getString(2)));
      }
    }
    out.add(new LakeTable("util.calendar", "util_calendar", null, calendar));
    return out;
  }

  boolean partitioned() {
    return partitionColumn != null;
  }

  /** The store's table, quoted. */
  String sqlName() {
    int dot = name.indexOf('.');
    return quote(name.substring(0, dot)) + "." + quote(name.substring(dot + 1));
  }

  /** The table's columns in order, quoted, for a SELECT list. */
  String selectList() {
    return String.join(", ", columns.stream().map(c -> quote(c.name())).toList());
  }

  /** The partition value of a row: its date's month, or Hive's NULL partition. */
  String partitionExpression() {
    return "coalesce(strftime(" + quote(partitionColumn) + ", '%Y-%m'), '" + NULL_PARTITION + "')";
  }

  /** What the fingerprints also depend on, so that a changed column list rewrites every partition. */
  String signature() {
    StringBuilder b = new StringBuilder(name);
    for (LakeColumn c : columns) {
      b.append('|').append(c.name()).append(' ').append(c.type());
    }
    return b.toString();
  }

  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }
}
