package io.crmkpi.pgstore;

import io.crmkpi.model.CanonicalModel;
import io.crmkpi.model.Table;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * One copy of a DuckDB staging store into PostgreSQL, in one transaction: tables created as needed
 * (DuckDB's types in PostgreSQL's names: DOUBLE is {@code double precision}, DECIMAL(18,2) stays
 * {@code numeric(18,2)}, TIMESTAMP is {@code timestamp without time zone}), every canonical table
 * emptied and refilled with {@code COPY … FROM STDIN (FORMAT csv)}, {@code util.calendar} once,
 * {@code util.store_info} whole (loaded_at, time zone, schema version), then ANALYZE for the planner.
 * A copy written by another model version is dropped and written anew: it is only a copy.
 */
final class PostgresReplication {

  private static final String UTIL = "util";

  private final Connection duck;
  private final Connection pg;
  private final Consumer<String> progress;
  private final String address;

  PostgresReplication(Connection duck, Connection pg, Consumer<String> progress, String address) {
    this.duck = duck;
    this.pg = pg;
    this.progress = progress;
    this.address = address;
  }

  void run() throws SQLException {
    long start = System.nanoTime();
    pg.setAutoCommit(false);
    long rows = 0;
    List<String> copied = new ArrayList<>();
    try (Statement s = pg.createStatement()) {
      s.execute("CREATE SCHEMA IF NOT EXISTS " + CanonicalModel.SCHEMA);
      s.execute("CREATE SCHEMA IF NOT EXISTS " + UTIL);
      s.execute("CREATE TABLE IF NOT EXISTS util.store_info (key VARCHAR PRIMARY KEY, value VARCHAR)");
      String version = null;
      try (ResultSet rs = s.executeQuery("SELECT value FROM util.store_info WHERE key = 'schema_version'")) {
        if (rs.next()) {
          version = rs.getString(1);
        }
      }
      if (version != null && !version.equals(String.valueOf(CanonicalModel.VERSION))) {
        progress.accept("store: the copy in PostgreSQL at " + address + " has model version " + version
            + "; writing it anew with version " + CanonicalModel.VERSION);
        s.execute("DROP SCHEMA " + CanonicalModel.SCHEMA + " CASCADE");
        s.execute("CREATE SCHEMA " + CanonicalModel.SCHEMA);
        s.execute("DROP TABLE IF EXISTS util.calendar");
      }
      for (Table t : CanonicalModel.tables()) {
        String name = CanonicalModel.SCHEMA + "." + t.name();
        s.execute("CREATE TABLE IF NOT EXISTS " + name + " (" + columnsDdl(CanonicalModel.SCHEMA, t.name()) + ")");
        s.execute("TRUNCATE " + name);
        rows += copy(name);
        copied.add(name);
      }
      boolean calendar;
      try (ResultSet rs = s.executeQuery("SELECT to_regclass('util.calendar') IS NOT NULL")) {
        rs.next();
        calendar = rs.getBoolean(1);
      }
      if (!calendar) {
        s.execute("CREATE TABLE util.calendar (" + columnsDdl(UTIL, "calendar") + ")");
        rows += copy("util.calendar");
        // views join facts to periods by (grain, variant_id, calendar_day)
        s.execute("CREATE INDEX calendar_period ON util.calendar (grain, variant_id, calendar_day)");
        copied.add("util.calendar");
      }
      // ERROR('…') of compiled statements (a zero divisor met in the data): PostgreSQL has no such function
      s.execute(io.crmkpi.dialect.PostgresqlEngineDialect.ERROR_FUNCTION);
      s.execute("DELETE FROM util.store_info");
      copy("util.store_info");
      for (String t : copied) {
        s.execute("ANALYZE " + t);
      }
      pg.commit();
    } catch (SQLException | RuntimeException e) {
      try {
        pg.rollback();
      } catch (SQLException ignored) {
        // the connection is gone: the server rolls back itself
      }
      throw new SQLException("store: copying the tables into PostgreSQL at " + address + " failed (nothing of this "
          + "load was kept there): " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), "08006", e);
    } finally {
      pg.setAutoCommit(true);
    }
    progress.accept(String.format(Locale.ROOT, "store: copied %d tables (%,d rows) into PostgreSQL at %s in %.1f s",
        copied.size(), rows, address, (System.nanoTime() - start) / 1e9));
  }

  /** A table's columns as PostgreSQL DDL, from the staging store's own types. */
  private String columnsDdl(String schema, String table) throws SQLException {
    StringJoiner cols = new StringJoiner(", ");
    try (Statement s = duck.createStatement();
         ResultSet rs = s.executeQuery("SELECT column_name, data_type FROM information_schema.columns WHERE "
             + "table_schema = '" + schema + "' AND table_name = '" + table + "' ORDER BY ordinal_position")) {
      while (rs.next()) {
        cols.add(rs.getString(1) + " " + pgType(rs.getString(2)));
      }
    }
    if (cols.length() == 0) {
      throw new SQLException("the staging store has no table " + schema + "." + table);
    }
    return cols.toString();
  }

  /** DuckDB's type name in PostgreSQL (most are the same words). */
  static String pgType(String duckType) {
    String t = duckType.toUpperCase(Locale.ROOT);
    return switch (t) {
      case "DOUBLE" -> "DOUBLE PRECISION";
      case "FLOAT" -> "REAL";
      case "TIMESTAMP WITH TIME ZONE" -> "TIMESTAMP WITH TIME ZONE";
      case "HUGEINT" -> "NUMERIC(38,0)";
      case "TINYINT", "UTINYINT" -> "SMALLINT";
      case "USMALLINT" -> "INTEGER";
      case "UINTEGER" -> "BIGINT";
      case "UBIGINT" -> "NUMERIC(20,0)";
      default -> t.startsWith("DECIMAL") ? "NUMERIC" + t.substring("DECIMAL".length()) : t;
    };
  }

  /** Streams one table from DuckDB into PostgreSQL's COPY as CSV; the rows copied. */
  private long copy(String table) throws SQLException {
    long n = 0;
    PGConnection copyApi = pg.unwrap(PGConnection.class);
    try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + table);
         PGCopyOutputStream raw = new PGCopyOutputStream(copyApi, "COPY " + table + " FROM STDIN (FORMAT csv)",
             1 << 16);
         Writer out = new BufferedWriter(new OutputStreamWriter(raw, StandardCharsets.UTF_8), 1 << 16)) {
      ResultSetMetaData md = rs.getMetaData();
      int cols = md.getColumnCount();
      int[] types = new int[cols];
      for (int i = 0; i < cols; i++) {
        types[i] = md.getColumnType(i + 1);
      }
      while (rs.next()) {
        for (int i = 0; i < cols; i++) {
          if (i > 0) {
            out.write(',');
          }
          String v = text(rs, i + 1, types[i]);
          if (v != null) {
            out.write('"');
            out.write(v.indexOf('"') < 0 ? v : v.replace("\"", "\"\""));
            out.write('"'); // quoted: an empty string; unquoted nothing: NULL
          }
        }
        out.write('\n');
        n++;
      }
    } catch (IOException e) {
      throw new SQLException("COPY " + table + ": " + e.getMessage(), "08006", e);
    }
    return n;
  }

  /** A value as PostgreSQL's COPY reads it (doubles with every digit, times in ISO form), or null. */
  private static String text(ResultSet rs, int column, int type) throws SQLException {
    switch (type) {
      case Types.DOUBLE, Types.FLOAT, Types.REAL -> {
        double d = rs.getDouble(column);
        return rs.wasNull() ? null : Double.toString(d);
      }
      case Types.TIMESTAMP -> {
        java.time.LocalDateTime t = rs.getObject(column, java.time.LocalDateTime.class);
        return t == null ? null : t.toString();
      }
      case Types.DATE -> {
        java.time.LocalDate d = rs.getObject(column, java.time.LocalDate.class);
        return d == null ? null : d.toString();
      }
      default -> {
        return rs.getString(column);
      }
    }
  }
}
