package io.crmkpi.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * How rows are printed: an aligned table for people (numbers grouped and rounded by {@link NumberText},
 * right-aligned), CSV (RFC 4180) or JSON (an array of objects) for programs, with every value in full
 * precision and never in exponent notation.
 */
enum ResultFormat {
  table, csv, json;

  private static final java.time.format.DateTimeFormatter TIMESTAMP =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  int write(ResultSet rs, PrintStream out) throws SQLException, IOException {
    return write(rs, out, false);
  }

  /** Prints every column; {@code percent} shows rates as percent in the table format. */
  int write(ResultSet rs, PrintStream out, boolean percent) throws SQLException, IOException {
    ResultSetMetaData md = rs.getMetaData();
    String[] cols = new String[md.getColumnCount()];
    int[] index = new int[cols.length];
    for (int i = 0; i < cols.length; i++) {
      cols[i] = md.getColumnLabel(i + 1);
      index[i] = i + 1;
    }
    return print(rs, out, cols, index, percent);
  }

  /** Prints the named columns of the result set; returns the number of rows. */
  int write(ResultSet rs, PrintStream out, String... cols) throws SQLException, IOException {
    int[] index = new int[cols.length];
    for (int i = 0; i < cols.length; i++) {
      index[i] = rs.findColumn(cols[i]);
    }
    return print(rs, out, cols, index, false);
  }

  private int print(ResultSet rs, PrintStream out, String[] cols, int[] index, boolean percent)
      throws SQLException, IOException {
    List<Object[]> values = new ArrayList<>();
    while (rs.next()) {
      Object[] r = new Object[cols.length];
      for (int i = 0; i < cols.length; i++) {
        r[i] = rs.getObject(index[i]);
      }
      values.add(r);
    }
    if (this == table) {
      printTable(out, cols, TableText.cells(cols, values, percent), TableText.numeric(cols, values));
      return values.size();
    }
    List<String[]> rows = new ArrayList<>();
    for (Object[] v : values) {
      String[] r = new String[cols.length];
      for (int i = 0; i < cols.length; i++) {
        r[i] = text(v[i]);
      }
      rows.add(r);
    }
    switch (this) {
      case csv -> {
        CSVPrinter p = new CSVPrinter(out, CSVFormat.RFC4180.builder().setRecordSeparator("\n").get());
        p.printRecord((Object[]) cols);
        for (String[] r : rows) {
          p.printRecord((Object[]) r);
        }
        p.flush();
      }
      case json -> {
        ObjectMapper m = new ObjectMapper();
        m.getFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        List<java.util.Map<String, String>> list = new ArrayList<>();
        for (String[] r : rows) {
          java.util.Map<String, String> o = new java.util.LinkedHashMap<>();
          for (int i = 0; i < cols.length; i++) {
            o.put(cols[i], r[i]);
          }
          list.add(o);
        }
        out.println(m.writerWithDefaultPrettyPrinter().writeValueAsString(list));
      }
      default -> throw new IllegalStateException("table is printed above");
    }
    return rows.size();
  }

  static String textOf(Object v) {
    return text(v);
  }

  private static String text(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (v instanceof Double d && !d.isNaN() && !d.isInfinite()) {
      // the shortest text that reads back as the same double, without an exponent (9.61697485E7 -> 96169748.5)
      return BigDecimal.valueOf(d).toPlainString();
    }
    if (v instanceof java.sql.Timestamp t) {
      return TIMESTAMP.format(t.toLocalDateTime());
    }
    return v.toString();
  }

  private static void printTable(PrintStream out, String[] cols, List<String[]> rows, boolean[] numeric) {
    int[] w = new int[cols.length];
    for (int i = 0; i < cols.length; i++) {
      w[i] = cols[i].length();
      for (String[] r : rows) {
        w[i] = Math.min(60, Math.max(w[i], r[i] == null ? 4 : r[i].length()));
      }
    }
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cols.length; i++) {
      line.append(i == 0 ? "" : " | ").append(pad(cols[i], w[i]));
    }
    out.println(line);
    StringBuilder sep = new StringBuilder();
    for (int i = 0; i < cols.length; i++) {
      sep.append(i == 0 ? "" : "-+-").append("-".repeat(w[i]));
    }
    out.println(sep);
    for (String[] r : rows) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < cols.length; i++) {
        String cell = r[i] == null ? "NULL" : r[i];
        b.append(i == 0 ? "" : " | ").append(numeric[i] ? padLeft(cell, w[i]) : pad(cell, w[i]));
      }
      out.println(b);
    }
    out.println("(" + rows.size() + " row" + (rows.size() == 1 ? ")" : "s)"));
  }

  private static String padLeft(String s, int w) {
    return s.length() >= w ? pad(s, w) : " ".repeat(w - s.length()) + s;
  }

  private static String pad(String s, int w) {
    if (s.length() > w) {
      return s.substring(0, w - 1) + "…";
    }
    return s + " ".repeat(w - s.length());
  }
}
