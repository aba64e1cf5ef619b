package io.crmkpi.dialect;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Test helpers for exported scripts: a store written as a Parquet lake by {@code crmkpi export}
 * (see docs/scale-out.md for the layout), and result comparison with the
 * differential test's rules (same rows, numbers to 1e-9 relative).
 */
final class LakeFixture {

  private LakeFixture() {
  }

  /**
   * The lake of a URL's data, written by {@code crmkpi export --to root} (the real command). Call it
   * before connecting to the same store: the export opens the store its own way.
   */
  static void writeLake(String url, Path root) {
    java.io.PrintStream out = System.out;
    java.io.PrintStream err = System.err;
    java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new java.io.PrintStream(o, true, java.nio.charset.StandardCharsets.UTF_8));
      System.setErr(new java.io.PrintStream(o, true, java.nio.charset.StandardCharsets.UTF_8));
      code = io.crmkpi.cli.CrmKpiCli.execute("export", "--quiet", "--url", url, "--to", root.toString());
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    if (code != 0) {
      throw new AssertionError("crmkpi export failed (" + code + "): " + o);
    }
  }

  /** Every row of a query, as values (numbers as Double or BigDecimal, dates as text). */
  static List<List<Object>> rows(Connection c, String sql) throws SQLException {
    List<List<Object>> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          Object o = rs.getObject(i);
          row.add(o instanceof Number n ? (Object) n.doubleValue() : o == null ? null : o.toString());
        }
        out.add(row);
      }
    }
    return out;
  }

  /** Rows in a stable order: by their non-numeric columns, then their numbers. */
  static List<List<Object>> sorted(List<List<Object>> rows) {
    List<List<Object>> s = new ArrayList<>(rows);
    s.sort(Comparator.comparing((List<Object> r) -> key(r, false)).thenComparing(r -> key(r, true)));
    return s;
  }

  private static String key(List<Object> r, boolean numbers) {
    StringBuilder b = new StringBuilder();
    for (Object o : r) {
      if (o instanceof Double d == numbers) {
        b.append(o == null ? "\u0000" : numbers ? String.format("%.6e", (Double) o) : o).append('\u0001');
      }
    }
    return b.toString();
  }

  /**
   * Null if equal (same row count, each row equal, numbers to 1e-9 relative), else the first
   * difference. A few views measure time up to now in fractional days (kpi.customer_value's days
   * since the last order): between two runs {@code clockDays} apart such a number moves by up to that
   * much, so a difference within it also counts as equal.
   */
  static String difference(List<List<Object>> expected, List<List<Object>> actual, double clockDays) {
    if (expected.size() != actual.size()) {
      return "rows: expected " + expected.size() + ", got " + actual.size();
    }
    List<List<Object>> e = sorted(expected);
    List<List<Object>> a = sorted(actual);
    for (int i = 0; i < e.size(); i++) {
      List<Object> er = e.get(i);
      List<Object> ar = a.get(i);
      for (int j = 0; j < er.size(); j++) {
        Object x = er.get(j);
        Object y = ar.get(j);
        if (x instanceof Double dx && y instanceof Double dy) {
          double diff = Math.abs(dx - dy);
          if (diff > 1e-9 * Math.max(1, Math.max(Math.abs(dx), Math.abs(dy))) && diff > clockDays) {
            return "row " + er + " column " + (j + 1) + ": expected " + dx + ", got " + dy + " (row " + ar + ")";
          }
        } else if (x == null ? y != null : !x.toString().equals(String.valueOf(y))) {
          return "row " + er + " column " + (j + 1) + ": expected " + x + ", got " + y + " (row " + ar + ")";
        }
      }
    }
    return null;
  }

  /** The statements of a script (split at a semicolon that ends a line), without comment-only ones. */
  static List<String> statements(String script) {
    List<String> out = new ArrayList<>();
    for (String part : script.split(";\n")) {
      String body = part.lines().filter(l -> !l.startsWith("--")).reduce("", (a, b) -> a + b + "\n").strip();
      if (!body.isEmpty()) {
        out.add(body);
      }
    }
    return out;
  }

  static final Map<String, String> NONE = Map.of();
}
