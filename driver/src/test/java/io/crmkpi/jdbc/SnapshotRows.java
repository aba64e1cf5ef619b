package io.crmkpi.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/** For snapshot tests of every source: crm.deal_snapshots read through a crmkpi connection as text lines. */
public final class SnapshotRows {

  private SnapshotRows() {
  }

  /** deal|valid_from|valid_to (- while open)|stage|status|amount_base|probability|expected_close_date, in order. */
  public static List<String> snapshots(Connection c) throws Exception {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT deal_id, valid_from, valid_to, "
        + "stage_id, status, amount_base, probability, CAST(expected_close_date AS VARCHAR) FROM crm.deal_snapshots "
        + "ORDER BY deal_id, valid_from")) {
      while (rs.next()) {
        LocalDateTime to = rs.getObject(3, LocalDateTime.class);
        out.add(rs.getString(1) + "|" + rs.getObject(2, LocalDateTime.class) + "|" + (to == null ? "-" : to) + "|"
            + rs.getString(4) + "|" + rs.getString(5) + "|" + (rs.getBigDecimal(6) == null ? "NULL" : rs.getBigDecimal(6).toPlainString()) + "|"
            + (rs.getObject(7) == null ? "NULL" : rs.getObject(7)) + "|" + (rs.getString(8) == null ? "NULL" : rs.getString(8)));
      }
    }
    return out;
  }
}
