package io.crmkpi.store;

import io.crmkpi.model.CanonicalModel;
import io.crmkpi.model.Column;
import io.crmkpi.model.Table;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.StringJoiner;

/**
 * Creates the canonical tables in a store and keeps them at {@link CanonicalModel#VERSION}.
 * The version lives in {@code util.store_info}; an older store is migrated, a newer one refused.
 */
public final class StoreSchema {

  /** Schema with the store's own tables: version info and the period calendar. */
  public static final String UTIL = "util";

  /** First and last day of {@code util.calendar}. */
  static final String CALENDAR_FROM = "2000-01-01";
  static final String CALENDAR_TO = "2049-12-31";

  private StoreSchema() {
  }

  /** For a store opened read-only: its schema must be this build's, as nothing can migrate it. */
  static void check(Connection c) throws SQLException {
    int version = 0;
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT value FROM util.store_info WHERE key = 'schema_version'")) {
      if (rs.next()) {
        version = Integer.parseInt(rs.getString(1));
      }
    } catch (SQLException e) {
      if (!String.valueOf(e.getMessage()).contains("does not exist")) {
        throw e;
      }
    }
    if (version != CanonicalModel.VERSION) {
      throw new SQLException("the store (schema version " + version + ") is opened read-only (refresh=never) but this "
          + "build needs version " + CanonicalModel.VERSION + "; connect once without refresh=never to "
          + (version > CanonicalModel.VERSION ? "see what to do" : "migrate it"), "08001");
    }
  }

  static void ensure(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA IF NOT EXISTS " + UTIL);
      s.execute("CREATE TABLE IF NOT EXISTS util.store_info (key VARCHAR PRIMARY KEY, value VARCHAR)");
      int version = 0;
      try (ResultSet rs = s.executeQuery("SELECT value FROM util.store_info WHERE key = 'schema_version'")) {
        if (rs.next()) {
          version = Integer.parseInt(rs.getString(1));
        }
      }
      if (version > CanonicalModel.VERSION) {
        throw new SQLException("the store was written by a newer crmkpi (schema version " + version
            + ", this build knows " + CanonicalModel.VERSION + "); upgrade crmkpi or point store= at another file");
      }
      if (version == CanonicalModel.VERSION) {
        return;
      }
      // 0 -> current: create what is missing. 1 -> 2 (pipeline & plan) only added tables and
      // trailing columns, so missing columns are added in model order and existing rows get NULL.
      s.execute("CREATE SCHEMA IF NOT EXISTS " + CanonicalModel.SCHEMA);
      for (Table t : CanonicalModel.tables()) {
        s.execute(createTable(t));
        if (version > 0) {
          addMissingColumns(s, t);
        }
      }
      if (version == 0) {
        createCalendar(s);
      }
      s.execute("INSERT OR REPLACE INTO util.store_info VALUES ('schema_version', '" + CanonicalModel.VERSION + "')");
    }
  }

  private static void addMissingColumns(Statement s, Table t) throws SQLException {
    java.util.Set<String> have = new java.util.HashSet<>();
    try (ResultSet rs = s.executeQuery("SELECT column_name FROM information_schema.columns WHERE table_schema = '"
        + CanonicalModel.SCHEMA + "' AND table_name = '" + t.name() + "'")) {
      while (rs.next()) {
        have.add(rs.getString(1).toLowerCase(java.util.Locale.ROOT));
      }
    }
    for (Column col : t.columns()) {
      if (!have.contains(col.name())) {
        s.execute("ALTER TABLE " + CanonicalModel.SCHEMA + "." + t.name() + " ADD COLUMN " + col.name() + " "
            + col.type().ddl());
      }
    }
  }

  /** {@code CREATE TABLE IF NOT EXISTS crm.<t> (...)}. Keys are reported by the driver, not enforced. */
  public static String createTable(Table t) {
    StringJoiner cols = new StringJoiner(", ");
    for (Column col : t.columns()) {
      cols.add(col.name() + " " + col.type().ddl());
    }
    return "CREATE TABLE IF NOT EXISTS " + CanonicalModel.SCHEMA + "." + t.name() + " (" + cols + ")";
  }

  /**
   * {@code util.calendar}: one row per day, grain and variant_id with the period containing the day.
   * Column {@code calendar_day} (not {@code day}: a reserved word in SQL). Variant is the week start (1 = Monday .. 7 = Sunday) for weeks, the fiscal year's first month
   * (1..12) for quarters and years, 0 for months. KPI views join facts to it by day.
   */
  private static void createCalendar(Statement s) throws SQLException {
    s.execute("CREATE OR REPLACE TABLE util.calendar AS "
        + "WITH days AS (SELECT CAST(d AS DATE) AS day, CAST(year(d) * 12 + month(d) - 1 AS INTEGER) AS mi "
        + "  FROM generate_series(DATE '" + CALENDAR_FROM + "', DATE '" + CALENDAR_TO + "', INTERVAL 1 DAY) g(d)), "
        + "months AS (SELECT day, 'month' AS grain, 0 AS variant_id, CAST(date_trunc('month', day) AS DATE) AS period_start, 1 AS len FROM days), "
        + "weeks AS (SELECT day, 'week' AS grain, w AS variant_id, "
        + "  CAST(day - CAST(((isodow(day) - w + 7) % 7) AS INTEGER) AS DATE) AS period_start, 0 AS len "
        + "  FROM days, range(1, 8) r(w)), "
        + "fiscal AS (SELECT day, g.grain, f AS variant_id, "
        + "  make_date(CAST(((mi - (f - 1)) // g.n * g.n + (f - 1)) // 12 AS BIGINT), "
        + "            CAST(((mi - (f - 1)) // g.n * g.n + (f - 1)) % 12 + 1 AS BIGINT), 1) AS period_start, g.n AS len "
        + "  FROM days, range(1, 13) r(f), (VALUES ('quarter', 3), ('year', 12)) g(grain, n)) "
        + "SELECT day AS calendar_day, grain, CAST(variant_id AS INTEGER) AS variant_id, period_start, "
        + "  CAST(CASE WHEN grain = 'week' THEN period_start + 7 "
        + "            ELSE period_start + to_months(CAST(len AS INTEGER)) END AS DATE) AS period_end "
        + "FROM (SELECT * FROM months UNION ALL SELECT * FROM weeks UNION ALL SELECT * FROM fiscal) "
        + "ORDER BY grain, variant_id, calendar_day");
  }
}
