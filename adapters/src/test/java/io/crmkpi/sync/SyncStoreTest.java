package io.crmkpi.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.crmkpi.store.Store;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyncStoreTest {

  static final TableSpec USERS = TableSpec.canonical("users");
  static final TableSpec CUSTOM = TableSpec.canonical("custom_fields", "entity", "entity_id");

  @Test
  void upsertReplacesByKeyLastRecordWinsAndClearsGroups() throws Exception {
    try (Store store = Store.inMemory(); SyncStore st = new SyncStore(store, "t", ZoneId.of("UTC"))) {
      Batch b = new Batch();
      b.next().add(USERS, "1", "Ann", null, null, true);
      b.next().add(USERS, "2", "Bob", null, null, true);
      b.next().add(USERS, "1", "Ann B.", null, null, false); // same id again in the page: this one wins
      b.next().clear(CUSTOM, "deal", "7").add(CUSTOM, "deal", "7", "f1", "City", "Oslo").add(CUSTOM, "deal", "7", "f2", "Size", "L");
      st.commit("users", b, "100", null);
      assertEquals(List.of("1|Ann B.|false", "2|Bob|true"), rows(store, "SELECT concat_ws('|', user_id, name, is_active) FROM crm.users ORDER BY 1"));
      Batch b2 = new Batch();
      b2.next().clear(CUSTOM, "deal", "7"); // the deal's fields were all emptied in the CRM
      b2.next().add(USERS, "2", "Bob", null, null, false);
      st.commit("users", b2, "200", null);
      assertEquals(List.of(), rows(store, "SELECT value FROM crm.custom_fields"));
      assertEquals(List.of("1|Ann B.|false", "2|Bob|false"), rows(store, "SELECT concat_ws('|', user_id, name, is_active) FROM crm.users ORDER BY 1"));
      assertEquals("200", st.checkpoint("users").highWaterMark());
    }
  }

  @Test
  void aFailingCommitChangesNeitherDataNorCheckpoint() throws Exception {
    try (Store store = Store.inMemory(); SyncStore st = new SyncStore(store, "t", ZoneId.of("UTC"))) {
      st.commit("users", new Batch().next().add(USERS, "1", "Ann", null, null, true), "100", "c1");
      Batch bad = new Batch().next().add(USERS, "1", "CHANGED", null, null, true).add(USERS, "3", "New", null, null, true)
          .then("SELECT * FROM no_such_table");
      assertThrows(SQLException.class, () -> st.commit("users", bad, "999", "c2"));
      assertEquals(List.of("1|Ann"), rows(store, "SELECT concat_ws('|', user_id, name) FROM crm.users"));
      Checkpoint cp = st.checkpoint("users");
      assertEquals("100", cp.highWaterMark());
      assertEquals("c1", cp.cursor());
      st.finished("users", "150", 1);
      assertEquals(new Checkpoint("150", null, "ok"), st.checkpoint("users"));
      assertEquals(List.of("ok|1|150"), rows(store, "SELECT concat_ws('|', status, rows_total, high_water_mark) FROM crm.sync_state"));
    }
  }

  static List<String> rows(Store store, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = store.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
