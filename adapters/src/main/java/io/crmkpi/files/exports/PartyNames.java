package io.crmkpi.files.exports;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * The ids of the companies and contacts already in the store, by normalised name, so a file that
 * names a company (a deal export) links to the id its own export gave it, which for HubSpot is
 * the CRM's record id. A name held by two rows (namesakes) is ambiguous and falls back to the
 * {@link StableIds} of the name, like a name never seen.
 */
final class PartyNames {

  /** Marks a name more than one row carries. */
  private static final String AMBIGUOUS = "";

  private final Map<String, String> byName = new HashMap<>();

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
        byName.merge(kind + "|" + StableIds.normalize(rs.getString(2)), rs.getString(1),
            (a, b) -> a.equals(b) ? a : AMBIGUOUS);
      }
    }
  }

  /** The id of the {@code kind} (company or contact) named {@code name}; null for no name. */
  String id(String kind, String name) {
    String n = StableIds.normalize(name);
    if (n.isEmpty()) {
      return null;
    }
    String id = byName.get(kind + "|" + n);
    return id == null || id.equals(AMBIGUOUS) ? StableIds.of(kind, name) : id;
  }
}
