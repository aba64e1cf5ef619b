package io.crmkpi.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** What docs/security.md says a SQL user cannot reach, as that user meets it. */
class SecurityModelTest {

  private static String refusal(Statement s, String sql) {
    return assertThrows(SQLException.class, () -> s.executeQuery(sql).close()).getMessage();
  }

  @Test
  void storeFunctionsStatementsAndBookkeepingAreOutOfReach() throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:crmkpi:script:jdbc/small.sql");
         Statement s = c.createStatement()) {
      assertEquals("No match found for function signature read_text(<CHARACTER>)",
          refusal(s, "SELECT length(read_text('/etc/hostname'))"));
      assertEquals("No match found for function signature getenv(<CHARACTER>)", refusal(s, "SELECT getenv('HOME')"));
      assertEquals("No match found for function signature current_setting(<CHARACTER>)",
          refusal(s, "SELECT current_setting('threads')"));
      assertEquals("crmkpi is read-only: COPY is not supported (only SELECT, WITH, VALUES and EXPLAIN); data comes "
          + "from the connection's source (see docs/sources/)", refusal(s, "COPY crm.deals TO '/tmp/deals.csv'"));
      assertEquals("Object 'store_info' not found within 'util'", refusal(s, "SELECT * FROM util.store_info"));
      assertEquals("Object 'information_schema' not found", refusal(s, "SELECT * FROM information_schema.tables"));
    }
  }
}
