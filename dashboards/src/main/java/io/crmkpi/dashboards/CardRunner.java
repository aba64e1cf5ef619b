package io.crmkpi.dashboards;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Runs a card's SQL, bound to filter values, on any JDBC connection. */
public final class CardRunner {

  private CardRunner() {
  }

  /** The card's rows; a failing query is an SQLException naming the dashboard and card. */
  public static CardResult run(Connection c, Dashboard d, Card card, Map<String, Object> values) throws SQLException {
    CardSql bound = CardSql.bind(card.sql(), values);
    try (PreparedStatement ps = c.prepareStatement(bound.sql())) {
      for (int i = 0; i < bound.parameters().size(); i++) {
        Object p = bound.parameters().get(i);
        if (p instanceof LocalDate date) {
          ps.setDate(i + 1, java.sql.Date.valueOf(date));
        } else {
          ps.setString(i + 1, p.toString());
        }
      }
      try (ResultSet rs = ps.executeQuery()) {
        ResultSetMetaData md = rs.getMetaData();
        List<String> columns = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          columns.add(md.getColumnLabel(i).toLowerCase(Locale.ROOT));
        }
        List<List<Object>> rows = new ArrayList<>();
        while (rs.next()) {
          List<Object> row = new ArrayList<>(columns.size());
          for (int i = 1; i <= columns.size(); i++) {
            row.add(plain(rs.getObject(i)));
          }
          rows.add(row);
        }
        return new CardResult(columns, rows);
      }
    } catch (SQLException e) {
      throw new SQLException(d.name() + " / " + card.id() + ": " + e.getMessage(), e.getSQLState(), e);
    }
  }

  private static Object plain(Object v) {
    if (v instanceof java.sql.Date date) {
      return date.toLocalDate().toString();
    }
    if (v instanceof Timestamp ts) {
      return ts.toLocalDateTime().toString();
    }
    if (v instanceof Time t) {
      return t.toString();
    }
    if (v instanceof Number || v instanceof Boolean || v == null) {
      return v;
    }
    return v.toString();
  }
}
