package io.crmkpi.jdbc;

import java.sql.*;

class Scratch {
  public static void main(String[] a) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:crmkpi:script:jdbc/small.sql;token=SECRET123")) {
      for (SQLWarning w = c.getWarnings(); w != null; w = w.getNextWarning()) System.out.println("WARN " + w.getMessage());
      for (String sql : a) {
        try { System.out.println("NATIVE: " + c.nativeSQL(sql)); } catch (SQLException e) { System.out.println("ERRC " + e.getMessage()); if (System.getenv("TRACE") != null) e.printStackTrace(System.out); }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
          System.out.println("SQL> " + sql + "\n  => " + c.nativeSQL(sql));
          ResultSetMetaData md = rs.getMetaData();
          while (rs.next()) {
            StringBuilder b = new StringBuilder("  ");
            for (int i = 1; i <= md.getColumnCount(); i++) b.append(md.getColumnLabel(i)).append('=').append(rs.getObject(i)).append(' ');
            System.out.println(b);
          }
        } catch (SQLException e) { System.out.println("ERR " + sql + " -> " + e.getMessage()); }
      }
    }
  }
}
