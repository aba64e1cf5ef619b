package io.crmkpi.files.exports;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ids of the companies and contacts already in the store, by normalised name, so a file that
 * names a company (a deal export) links to the id its own export gave it, which for HubSpot is
 * the CRM's record id. Of namesakes, the one with the {@link StableIds} of the name (the first of
 * an amoCRM/Bitrix24 file), else the {@link #FIRST} id, which is also the one a later contact or
 * company export re-points a name id to, so either load order links the same row.
 */
final class PartyNames {

  /** Of several CRM ids for one name, the one a name links to: the smallest number (shorter first). */
  static final Comparator<String> FIRST = Comparator.comparingInt(String::length).thenComparing(x -> x);

  private final Map<String, List<String>> byName = new HashMap<>();

  private PartyNames() {
  }

  static PartyNames load(Connection c) throws SQLException {
    PartyNames names = new PartyNames();
    try (Statement s = c.createStatement()) {
      names.read(s, "company", "SELECT company_id, name FROM crm.companies WHERE name IS NOT NULL");
      names.read(s, "contact", "SELECT contact_id, name FROM crm.contacts WHERE name IS NOT NULL");
    }
    return names;
  }

  private void read(Statement s, String kind, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        byName.computeIfAbsent(kind + "|" + StableIds.normalize(rs.getString(2)), k -> new ArrayList<>())
            .add(rs.getString(1));
      }
    }
  }

  /** The id of the {@code kind} (company or contact) named {@code name}; null for no name. */
  String id(String kind, String name) {
    String n = StableIds.normalize(name);
    if (n.isEmpty()) {
      return null;
    }
    String stable = StableIds.of(kind, name);
    List<String> ids = byName.get(kind + "|" + n);
    if (ids == null || ids.contains(stable)) {
      return stable;
    }
    return ids.stream().min(FIRST).orElse(stable);
  }
}
