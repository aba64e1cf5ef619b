package io.crmkpi.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmkpi.model.CanonicalModel;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreSchemaTest {

  @Test
  void createsEveryCanonicalTableWithItsColumns() throws Exception {
    try (Store store = Store.inMemory(); Connection c = store.connect(); Statement s = c.createStatement()) {
      for (var t : CanonicalModel.tables()) {
        try (ResultSet rs = s.executeQuery("SELECT column_name, data_type FROM information_schema.columns "
            + "WHERE table_schema = 'crm' AND table_name = '" + t.name() + "' ORDER BY ordinal_position")) {
          for (var col : t.columns()) {
            assertTrue(rs.next(), "crm." + t.name() + " lacks " + col.name());
            assertEquals(col.name(), rs.getString(1));
            // DuckDB keeps VARCHAR lengths out of its catalog; the driver reports VARCHAR(3) from the model
            assertEquals(col.type().ddl().replace("VARCHAR(3)", "VARCHAR"), rs.getString(2).replace(" ", ""));
          }
        }
      }
    }
  }

  @Test
  void calendarHonoursWeekStartAndFiscalYear() throws Exception {
    try (Store store = Store.inMemory(); Connection c = store.connect(); Statement s = c.createStatement()) {
      // 2024-05-17 is a Friday
      assertEquals(LocalDate.of(2024, 5, 13), periodStart(s, "2024-05-17", "week", 1));
      assertEquals(LocalDate.of(2024, 5, 12), periodStart(s, "2024-05-17", "week", 7));
      assertEquals(LocalDate.of(2024, 5, 17), periodStart(s, "2024-05-17", "week", 5));
      assertEquals(LocalDate.of(2024, 5, 1), periodStart(s, "2024-05-17", "month", 0));
      assertEquals(LocalDate.of(2024, 4, 1), periodStart(s, "2024-05-17", "quarter", 1));
      // fiscal year from April: Jan-Mar is the last quarter of the fiscal year that began 2023-04-01
      assertEquals(LocalDate.of(2024, 1, 1), periodStart(s, "2024-02-10", "quarter", 4));
      assertEquals(LocalDate.of(2023, 4, 1), periodStart(s, "2024-02-10", "year", 4));
      assertEquals(LocalDate.of(2024, 4, 1), periodStart(s, "2024-04-01", "year", 4));
      try (ResultSet rs = s.executeQuery("SELECT period_end FROM util.calendar WHERE calendar_day = DATE '2024-02-10' "
          + "AND grain = 'quarter' AND variant_id = 11")) {
        rs.next();
        // fiscal year from November: Nov-Jan, Feb-Apr -> 2024-02-10 is in [Feb 1, May 1)
        assertEquals(LocalDate.of(2024, 5, 1), rs.getObject(1, LocalDate.class));
      }
    }
  }

  @Test
  void fileStoreKeepsDataAndRefusesNewerVersions(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("s.duckdb");
    try (Store store = Store.file(file)) {
      store.execute("INSERT INTO crm.users (user_id, name) VALUES ('u1', 'Anna')");
    }
    try (Store store = Store.file(file); Connection c = store.connect(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT name FROM crm.users")) {
      rs.next();
      assertEquals("Anna", rs.getString(1));
      s.execute("UPDATE util.store_info SET value = '999' WHERE key = 'schema_version'");
    }
    SQLException e = assertThrows(SQLException.class, () -> Store.file(file));
    assertTrue(e.getMessage().contains("newer crmkpi"), e.getMessage());
  }

  @Test
  void aVersionOneStoreGainsThePipelineColumnsAndTablesAndKeepsItsRows(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("v1.duckdb");
    try (Store store = Store.file(file)) {
      // turn it back into what version 1 wrote: no plan tables, no probability or expected close columns
      store.execute("DROP TABLE crm.targets");
      store.execute("DROP TABLE crm.deal_snapshots");
      store.execute("ALTER TABLE crm.deals DROP COLUMN expected_close_date");
      store.execute("ALTER TABLE crm.deals DROP COLUMN probability");
      store.execute("ALTER TABLE crm.stages DROP COLUMN probability");
      store.execute("UPDATE util.store_info SET value = '1' WHERE key = 'schema_version'");
      store.execute("INSERT INTO crm.deals (deal_id, title, amount_base) VALUES ('d1', 'Old deal', 120.50)");
    }
    try (Store store = Store.file(file); Connection c = store.connect(); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT title, amount_base, expected_close_date, probability FROM crm.deals")) {
        assertTrue(rs.next());
        assertEquals("Old deal", rs.getString(1));
        assertEquals(0, new java.math.BigDecimal("120.50").compareTo(rs.getBigDecimal(2)));
        assertEquals(null, rs.getObject(3));
        assertEquals(null, rs.getObject(4));
      }
      try (ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM crm.targets), (SELECT count(*) FROM "
          + "crm.deal_snapshots), (SELECT count(*) FROM information_schema.columns WHERE table_schema = 'crm' "
          + "AND table_name = 'stages' AND column_name = 'probability'), "
          + "(SELECT value FROM util.store_info WHERE key = 'schema_version')")) {
        assertTrue(rs.next());
        assertEquals(0, rs.getInt(1));
        assertEquals(0, rs.getInt(2));
        assertEquals(1, rs.getInt(3));
        assertEquals(String.valueOf(CanonicalModel.VERSION), rs.getString(4));
      }
    }
  }

  private static LocalDate periodStart(Statement s, String day, String grain, int variant) throws SQLException {
    try (ResultSet rs = s.executeQuery("SELECT period_start FROM util.calendar WHERE calendar_day = DATE '" + day
        + "' AND grain = '" + grain + "' AND variant_id = " + variant)) {
      assertTrue(rs.next());
      return rs.getObject(1, LocalDate.class);
    }
  }
}
