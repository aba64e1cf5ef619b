package io.crmkpi.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/** Every row of a query, read through JDBC as the tests compare it: as text lines or as objects. */
public final class QueryRows {

  /** How one column of the current row is written in a line. */
  @FunctionalInterface
  public interface Cell {
    String text(ResultSet rs, int column) throws SQLException;
  }

  /** {@code getString}, a NULL as {@code null}. */
  public static final Cell STRING = (rs, i) -> String.valueOf(rs.getString(i));

  private QueryRows() {
  }

  /** Each row as one line, its columns' {@code getString} joined by {@code |} (NULL as {@code null}). */
  public static List<String> lines(Connection c, String sql) throws SQLException {
    return lines(c, sql, STRING);
  }

  /** Each row as one line, its columns written by {@code cell} and joined by {@code |}. */
  public static List<String> lines(Connection c, String sql, Cell cell) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringJoiner j = new StringJoiner("|");
        for (int i = 1; i <= n; i++) {
          j.add(cell.text(rs, i));
        }
        out.add(j.toString());
      }
    }
    return out;
  }

  /** Each row as the objects {@code getObject} returns (BigDecimal, Date… kept). */
  public static List<List<Object>> objects(Connection c, String sql) throws SQLException {
    List<List<Object>> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<Object> row = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
          row.add(rs.getObject(i));
        }
        out.add(row);
      }
    }
    return out;
  }
}
