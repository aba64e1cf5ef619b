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

/** How rows are printed: an aligned table, CSV (RFC 4180) or JSON (an array of objects). */
enum ResultFormat {
  table, csv, json;

  private static final java.time.format.DateTimeFormatter TIMESTAMP =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  int write(ResultSet rs, PrintStream out) throws SQLException, IOException {
    ResultSetMetaData md = rs.getMetaData();
    String[] cols = new String[md.getColumnCount()];
    int[] index = new int[cols.length];
    for (int i = 0; i < cols.length; i++) {
      cols[i] = md.getColumnLabel(i + 1);
      index[i] = i + 1;
    }
    return print(rs, out, cols, index);
  }

  /** Prints the named columns of the result set; returns the number of rows. */
  int write(ResultSet rs, PrintStream out, String... cols) throws SQLException, IOException {
    int[] index = new int[cols.length];
    for (int i = 0; i < cols.length; i++) {
      index[i] = rs.findColumn(cols[i]);
    }
    return print(rs, out, cols, index);
  }

  private int print(ResultSet rs, PrintStream out, String[] cols, int[] index) throws SQLException, IOException {
    List<String[]> rows = new ArrayList<>();
    while (rs.next()) {
      String[] r = new String[cols.length];
      for (int i = 0; i < cols.length; i++) {
        r[i] = text(rs.getObject(index[i]));
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
      default -> printTable(out, cols, rows);
    }
    return rows.size();
  }

  private static String text(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (v instanceof java.sql.Timestamp t) {
      return TIMESTAMP.format(t.toLocalDateTime());
    }
    return v.toString();
  }

  private static void printTable(PrintStream out, String[] cols, List<String[]> rows) {
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
        b.append(i == 0 ? "" : " | ").append(pad(r[i] == null ? "NULL" : r[i], w[i]));
      }
      out.println(b);
    }
    out.println("(" + rows.size() + " row" + (rows.size() == 1 ? ")" : "s)"));
  }

  private static String pad(String s, int w) {
    if (s.length() > w) {
      return s.substring(0, w - 1) + "…";
    }
    return s + " ".repeat(w - s.length());
  }
}
