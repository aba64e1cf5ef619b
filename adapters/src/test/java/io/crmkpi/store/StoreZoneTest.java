package io.crmkpi.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A reporting zone that is a bare UTC offset (a Bitrix24 portal's) is one DuckDB knows. */
class StoreZoneTest {

  @Test
  void anOffsetZoneBecomesAnIanaZoneWithTheSameClock() throws Exception {
    // 2024-07-01 00:00 UTC on each clock, worked out by hand
    for (String[] c : List.of(new String[] {"+03:00", "Etc/GMT-3", "2024-07-01 03:00:00+03"},
        new String[] {"-03:00", "Etc/GMT+3", "2024-06-30 21:00:00-03"},
        new String[] {"+05:30", null, "2024-07-01 05:30:00+05:30"},
        new String[] {"Europe/Berlin", "Europe/Berlin", "2024-07-01 02:00:00+02"})) {
      try (Store store = Store.inMemory()) {
        store.harden(ZoneId.of(c[0]), List.of());
        try (Connection conn = store.connect(); Statement s = conn.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('TimeZone'), "
                 + "CAST(TIMESTAMPTZ '2024-07-01 00:00:00+00' AS VARCHAR)")) {
          rs.next();
          if (c[1] != null) { // +05:30: whichever region of India the JDK lists first
            assertEquals(c[1], rs.getString(1), c[0]);
          }
          assertEquals(c[2], rs.getString(2), c[0]);
        }
      }
    }
    assertEquals("UTC", Store.duckDbZone(ZoneOffset.UTC));
  }
}
