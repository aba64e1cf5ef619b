package io.crmkpi.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Replays the JDBC calls Metabase's sql-jdbc driver and DBeaver's generic driver make
 * (Metabase sync and query calls, DBeaver navigator calls) against a small store with known content.
 */
class BiClientCompatibilityTest {

  static final String URL = "jdbc:crmkpi:script:jdbc/small.sql;token=sEcReT-123";
  static Connection c;

  @BeforeAll
  static void connect() throws SQLException {
    c = DriverManager.getConnection(URL);
  }

  @AfterAll
  static void close() throws SQLException {
    c.close();
  }

  @Test
  void metabaseSyncSeesSchemasTablesViewsWithRemarks() throws SQLException {
    DatabaseMetaData md = c.getMetaData();
    List<String> schemas = column(md.getSchemas(), "TABLE_SCHEM");
    assertTrue(schemas.contains("crm") && schemas.contains("util"), schemas.toString());
    assertFalse(schemas.contains("metadata"), "Calcite's internal schema must be hidden");

    String[] types = {"TABLE", "PARTITIONED TABLE", "VIEW", "FOREIGN TABLE", "MATERIALIZED VIEW", "EXTERNAL TABLE",
        "DYNAMIC_TABLE"};
    try (ResultSet rs = md.getTables(null, "crm", "%", types)) {
      int n = 0;
      boolean sawDeals = false;
      while (rs.next()) {
        n++;
        assertEquals("TABLE", rs.getString("TABLE_TYPE"));
        if (rs.getString("TABLE_NAME").equals("deals")) {
          sawDeals = true;
          assertEquals("Opportunities (deals).", rs.getString("REMARKS"));
        }
      }
      assertEquals(io.crmkpi.model.CanonicalModel.tables().size(), n);
      assertTrue(sawDeals);
    }
    try (ResultSet rs = md.getTables(null, "util", "period_", new String[] {"VIEW"})) {
      assertTrue(rs.next());
      assertEquals("periods", rs.getString("TABLE_NAME"));
      assertTrue(rs.getString("REMARKS").startsWith("Every day with the week"));
    }
  }

  @Test
  void columnsHaveBareTypeNamesSizesAndRemarks() throws SQLException {
    try (ResultSet rs = c.getMetaData().getColumns(null, "crm", "deals", null)) {
      int pos = 0;
      while (rs.next()) {
        pos++;
        assertEquals(pos, rs.getInt("ORDINAL_POSITION"));
        String name = rs.getString("COLUMN_NAME");
        switch (name) {
          case "amount" -> {
            assertEquals("DECIMAL", rs.getString("TYPE_NAME"));
            assertEquals(Types.DECIMAL, rs.getInt("DATA_TYPE"));
            assertEquals(18, rs.getInt("COLUMN_SIZE"));
            assertEquals(2, rs.getInt("DECIMAL_DIGITS"));
          }
          case "currency" -> {
            assertEquals("VARCHAR", rs.getString("TYPE_NAME"));
            assertEquals(3, rs.getInt("COLUMN_SIZE"));
          }
          case "created_at" -> {
            assertEquals("TIMESTAMP", rs.getString("TYPE_NAME"));
            assertEquals(Types.TIMESTAMP, rs.getInt("DATA_TYPE"));
            assertEquals("Created (reporting time zone).", rs.getString("REMARKS"));
          }
          case "is_deleted" -> assertEquals("BOOLEAN", rs.getString("TYPE_NAME"));
          default -> { }
        }
        assertEquals("NO", rs.getString("IS_AUTOINCREMENT"));
      }
      assertEquals(23, pos);
    }
    // DBeaver escapes '_' in names with the search string escape
    try (ResultSet rs = c.getMetaData().getColumns(null, "crm", "deal\\_stage\\_history", "%")) {
      assertEquals(List.of("deal_id", "pipeline_id", "from_stage_id", "to_stage_id", "changed_at", "user_id",
          "is_inferred"), column(rs, "COLUMN_NAME"));
    }
  }

  @Test
  void primaryKeysOfCanonicalTables() throws SQLException {
    assertEquals(List.of("deal_id"), column(c.getMetaData().getPrimaryKeys(null, "crm", "deals"), "COLUMN_NAME"));
    assertEquals(List.of("currency", "rate_date"),
        column(c.getMetaData().getPrimaryKeys(null, "crm", "fx_rates"), "COLUMN_NAME"));
    assertEquals(List.of("company_id", "contact_id", "lead_id", "pipeline_id", "stage_id", "owner_user_id"),
        column(c.getMetaData().getImportedKeys(null, "crm", "deals"), "FKCOLUMN_NAME"));
  }

  @Test
  void metabaseConnectionSetupAndPrivilegeProbe() throws SQLException {
    c.setReadOnly(true);
    c.setAutoCommit(true);
    c.setHoldability(ResultSet.CLOSE_CURSORS_AT_COMMIT);
    c.setTransactionIsolation(Connection.TRANSACTION_READ_UNCOMMITTED);
    // JDBC lets a driver substitute a stricter level: what runs is READ_COMMITTED, and that is what it says
    assertEquals(Connection.TRANSACTION_READ_COMMITTED, c.getTransactionIsolation());
    assertTrue(c.isReadOnly());
    try (var s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT TRUE AS \"_\" FROM \"crm\".\"deals\" WHERE 1 <> 1 LIMIT 0")) {
      assertEquals("_", rs.getMetaData().getColumnLabel(1));
      assertFalse(rs.next());
    }
    try (var s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
      assertTrue(rs.next());
      assertEquals(1, rs.getInt(1));
    }
  }

  @Test
  void metabaseReadsTypedValuesByIndexAndLabel() throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT deal_id, created_at, CAST(closed_at AS DATE) AS closed_day, amount_base FROM crm.deals "
            + "WHERE deal_id = ?", ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY,
        ResultSet.CLOSE_CURSORS_AT_COMMIT)) {
      ps.setFetchDirection(ResultSet.FETCH_FORWARD);
      ps.setFetchSize(500);
      ps.setMaxRows(2000);
      ps.setString(1, "d4");
      try (ResultSet rs = ps.executeQuery()) {
        assertTrue(rs.next());
        assertEquals(LocalDateTime.of(2024, 3, 1, 8, 0), rs.getObject(2, LocalDateTime.class));
        assertEquals(LocalDateTime.of(2024, 3, 1, 8, 0), rs.getObject("created_at", LocalDateTime.class));
        assertEquals(LocalDate.of(2024, 3, 15), rs.getObject(3, LocalDate.class));
        assertEquals(LocalDate.of(2024, 3, 15), rs.getObject("CLOSED_DAY", LocalDate.class));
        // 20 USD at 90 RUB per USD
        assertEquals(new BigDecimal("1800.00"), rs.getObject(4, BigDecimal.class));
        assertEquals(LocalDateTime.of(2024, 3, 1, 8, 0),
            rs.getObject(2, OffsetDateTime.class).toLocalDateTime());
        assertEquals(Types.TIMESTAMP, rs.getMetaData().getColumnType(2));
        assertFalse(rs.next());
      }
    }
  }

  @Test
  void secretsAreMaskedInUrlAndErrors() throws SQLException {
    assertEquals("jdbc:crmkpi:script:jdbc/small.sql;token=***", c.getMetaData().getURL());
    SQLException e = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class,
        () -> DriverManager.getConnection("jdbc:crmkpi:nosuch;token=sEcReT-123;webhook=https://x/rest/1/k3y/"));
    assertTrue(e.getMessage().contains("unknown source 'nosuch'"), e.getMessage());
    assertFalse(e.getMessage().contains("sEcReT-123") || e.getMessage().contains("k3y"), e.getMessage());
  }

  @Test
  void writesAreRefusedWithAClearMessage() {
    SQLException e = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class,
        () -> c.createStatement().executeQuery("DELETE FROM crm.deals"));
    assertTrue(e.getMessage().contains("read-only"), e.getMessage());
  }

  @Test
  void noDefinitionProblemsOnConnect() throws SQLException {
    java.sql.SQLWarning w = c.getWarnings();
    assertNull(w, () -> w.getMessage());
  }

  static List<String> column(ResultSet rs, String name) throws SQLException {
    List<String> out = new ArrayList<>();
    try (rs) {
      while (rs.next()) {
        out.add(rs.getString(name));
      }
    }
    return out;
  }
}
