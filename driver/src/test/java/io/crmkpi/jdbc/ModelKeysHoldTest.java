package io.crmkpi.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.crmkpi.model.CanonicalModel;
import io.crmkpi.model.ForeignKey;
import io.crmkpi.model.Table;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What metadata declares holds in real data: on the demo, no key column is NULL or repeated, and
 * every non-NULL value of a declared foreign key exists in the referenced table.
 */
class ModelKeysHoldTest {

  @Test
  void primaryAndForeignKeysHoldOnTheDemo() throws Exception {
    List<String> broken = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:crmkpi:demo;deals=300");
         Statement s = c.createStatement()) {
      for (Table t : CanonicalModel.tables()) {
        if (t.primaryKey().isEmpty()) {
          continue;
        }
        String key = String.join(", ", t.primaryKey());
        String nulls = String.join(" OR ", t.primaryKey().stream().map(k -> k + " IS NULL").toList());
        long n = count(s, "SELECT COUNT(*) FROM crm." + t.name() + " WHERE " + nulls);
        long dup = count(s, "SELECT COUNT(*) FROM (SELECT " + key + " FROM crm." + t.name() + " GROUP BY " + key
            + " HAVING COUNT(*) > 1) d");
        if (n + dup > 0) {
          broken.add("crm." + t.name() + " (" + key + "): " + n + " NULL, " + dup + " repeated");
        }
      }
      for (ForeignKey k : CanonicalModel.foreignKeys()) {
        long orphans = count(s, "SELECT COUNT(*) FROM crm." + k.table() + " f WHERE f." + k.column()
            + " IS NOT NULL AND NOT EXISTS (SELECT 1 FROM crm." + k.refTable() + " p WHERE p." + k.refColumn()
            + " = f." + k.column() + ")");
        if (orphans > 0) {
          broken.add(k.name() + ": " + orphans + " values with no crm." + k.refTable());
        }
      }
    }
    assertEquals(List.of(), broken);
  }

  private static long count(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
