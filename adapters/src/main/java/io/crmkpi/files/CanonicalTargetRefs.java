package io.crmkpi.files;

import io.crmkpi.files.exports.StableIds;
import io.crmkpi.store.LoadSession;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lets a {@code targets.csv} beside CRM export files name owners and pipelines as the exports do
 * ("Alice Smith", "Sales"): exports give users and pipelines ids of their own ({@code user-1f3a...}),
 * which nobody types. An owner_user_id or pipeline_id that is no id of crm.users / crm.pipelines but
 * the name of exactly one of them (any case or spacing) becomes that one's id; anything else stays
 * as written. Run after the file loads; targets.csv loads after every other file of the folder.
 */
final class CanonicalTargetRefs {

  private CanonicalTargetRefs() {
  }

  static void resolve(LoadSession session) throws SQLException {
    session.flush(); // the rows the session wrote become visible to this connection
    try (Connection c = session.store().connect(); Statement s = c.createStatement()) {
      resolve(c, s, "owner_user_id", "users", "user_id");
      resolve(c, s, "pipeline_id", "pipelines", "pipeline_id");
    }
  }

  private static void resolve(Connection c, Statement s, String column, String table, String id) throws SQLException {
    List<String> unknown = new ArrayList<>();
    try (ResultSet rs = s.executeQuery("SELECT DISTINCT t." + column + " FROM crm.targets t WHERE t." + column
        + " IS NOT NULL AND NOT EXISTS (SELECT 1 FROM crm." + table + " x WHERE x." + id + " = t." + column + ")")) {
      while (rs.next()) {
        unknown.add(rs.getString(1));
      }
    }
    if (unknown.isEmpty()) {
      return;
    }
    Map<String, String> byName = new HashMap<>();
    Set<String> ambiguous = new HashSet<>();
    try (ResultSet rs = s.executeQuery("SELECT " + id + ", name FROM crm." + table + " WHERE name IS NOT NULL")) {
      while (rs.next()) {
        String n = StableIds.normalize(rs.getString(2));
        if (byName.putIfAbsent(n, rs.getString(1)) != null) {
          ambiguous.add(n);
        }
      }
    }
    try (PreparedStatement u = c.prepareStatement("UPDATE crm.targets SET " + column + " = ? WHERE " + column
        + " = ?")) {
      for (String v : unknown) {
        String n = StableIds.normalize(v);
        String to = ambiguous.contains(n) ? null : byName.get(n);
        if (to != null) {
          u.setString(1, to);
          u.setString(2, v);
          u.executeUpdate();
        }
      }
    }
  }
}
