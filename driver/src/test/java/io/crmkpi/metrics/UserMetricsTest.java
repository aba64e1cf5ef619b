package io.crmkpi.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A folder of the user's definitions (metrics=<dir>) adds and overrides views; broken files are reported. */
class UserMetricsTest {

  private static final String VALID = """
      name: revenue_by_owner
      description: Won revenue per manager, in the base currency, over all time.
      settings: [gross_margin]
      columns:
        - name: owner_user_id
          description: The manager.
        - name: won_revenue
          description: Sum of amount_base of won, not deleted deals.
        - name: gross_profit
          description: won_revenue x gross_margin.
      sql: |
        SELECT d.owner_user_id, SUM(d.amount_base) AS won_revenue,
               SUM(d.amount_base) * ${gross_margin} AS gross_profit
        FROM crm.deals d
        WHERE d.status = 'won' AND NOT d.is_deleted
        GROUP BY d.owner_user_id
      """;

  private static final String BROKEN = """
      name: broken_view
      description: A definition whose SQL names a column that does not exist.
      columns:
        - name: x
          description: never produced
      sql: SELECT no_such_column AS x FROM crm.deals
      """;

  @Test
  void userViewsAreAddedAndBrokenOnesReportedWithoutBreakingTheRest(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("revenue_by_owner.yaml"), VALID);
    Files.writeString(dir.resolve("broken_view.yaml"), BROKEN);
    Files.writeString(dir.resolve("not_yaml.yaml"), "name: [unclosed");
    try (Connection c = DriverManager.getConnection("jdbc:crmkpi:script:jdbc/small.sql;gross_margin=0.25;metrics="
        + dir.toAbsolutePath())) {
      // d1 won 1000.00 RUB + d4 won 20 USD x 90 = 1800.00 -> 2800.00, profit 700.00
      try (Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT owner_user_id, won_revenue, gross_profit FROM kpi.revenue_by_owner")) {
        assertTrue(rs.next());
        assertEquals("u1", rs.getString(1));
        assertEquals(2800.0, rs.getDouble(2), 1e-9);
        assertEquals(700.0, rs.getDouble(3), 1e-9);
      }
      List<String> warnings = new ArrayList<>();
      for (SQLWarning w = c.getWarnings(); w != null; w = w.getNextWarning()) {
        warnings.add(w.getMessage());
      }
      assertEquals(2, warnings.size(), warnings.toString());
      String broken = warnings.stream().filter(w -> w.contains("broken_view.yaml")).findFirst().orElseThrow();
      assertTrue(broken.contains("no_such_column"), broken);
      String yaml = warnings.stream().filter(w -> w.contains("not_yaml.yaml")).findFirst().orElseThrow();
      assertTrue(yaml.contains("not valid YAML"), yaml);
      SQLException e = assertThrows(SQLException.class,
          () -> c.createStatement().executeQuery("SELECT * FROM kpi.broken_view"));
      assertTrue(e.getMessage().contains("broken_view"), e.getMessage());
      // built-in views still work
      try (ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(DISTINCT period_start) FROM util.periods WHERE grain = 'month'")) {
        assertTrue(rs.next());
        assertEquals(50 * 12, rs.getInt(1));
      }
      try (ResultSet rs = c.getMetaData().getTables(null, "kpi", "revenue_by_owner", null)) {
        assertTrue(rs.next());
        assertEquals("Won revenue per manager, in the base currency, over all time.", rs.getString("REMARKS"));
      }
    }
  }

  @Test
  void aUserDefinitionOverridesABuiltInOne(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("periods.yaml"), """
        name: periods
        schema: util
        description: Only months, as a user might restrict the calendar.
        columns:
          - name: calendar_day
            description: day
          - name: grain
            description: grain
          - name: period_start
            description: start
          - name: period_end
            description: end
        sql: |
          SELECT c.calendar_day, c.grain, c.period_start, c.period_end FROM util.calendar c
          WHERE c.grain = 'month' AND c.variant_id = 0
        """);
    try (Connection c = DriverManager.getConnection("jdbc:crmkpi:script:jdbc/small.sql;metrics=" + dir.toAbsolutePath());
         ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(DISTINCT grain) FROM util.periods")) {
      assertNull(c.getWarnings());
      assertTrue(rs.next());
      assertEquals(1, rs.getInt(1));
    }
  }

  @Test
  void aMissingFolderIsReported() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:crmkpi:script:jdbc/small.sql;metrics=/no/such/dir")) {
      assertNotNull(c.getWarnings());
      assertTrue(c.getWarnings().getMessage().contains("/no/such/dir"), c.getWarnings().getMessage());
    }
  }
}
