package io.crmkpi.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.TimeZone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every getter on every catalog type, per the JDBC conversion tables (JDBC 4.3 appendix B): the
 * value worked out by hand from jdbc/small.sql, or the SQLSTATE of a clean refusal (07006: the
 * tables do not allow it; 22018: text that is no such value; 22003: out of range).
 */
class CrmKpiResultSetTest {

  /** Reporting zone Moscow (UTC+3, no DST since 2014): instants differ from wall-clock times. */
  static final String URL = CrmKpiConnectionTest.URL + ";timezone=Europe/Moscow";
  /** Deal d1 with one column of each catalog type. */
  static final String ROW = "SELECT d.deal_id, s.sort_order, CAST(7 AS BIGINT) AS b, CAST(2.5 AS DOUBLE) AS dbl, "
      + "p.is_default, f.rate_date, d.created_at, d.amount FROM crm.deals d "
      + "JOIN crm.stages s ON s.stage_id = d.stage_id JOIN crm.pipelines p ON p.pipeline_id = d.pipeline_id "
      + "JOIN crm.fx_rates f ON f.currency = 'USD' WHERE d.deal_id = 'd1'";
  static final String[] TYPES = {"VARCHAR", "INTEGER", "BIGINT", "DOUBLE", "BOOLEAN", "DATE", "TIMESTAMP", "DECIMAL"};

  static Connection c;
  static Statement s;
  static ResultSet rs;

  @BeforeAll
  static void open() throws SQLException {
    c = DriverManager.getConnection(URL);
    s = c.createStatement();
    rs = s.executeQuery(ROW);
    assertTrue(rs.next());
  }

  @AfterAll
  static void close() throws SQLException {
    c.close();
  }

  @FunctionalInterface
  interface Getter {
    Object get(int column) throws SQLException;
  }

  /** One getter over the 8 columns: each expected entry is a value or a String "!SQLSTATE". */
  private static void row(String getter, Getter g, Object... expected) {
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < expected.length; i++) {
      Object want = expected[i];
      try {
        Object got = g.get(i + 1);
        boolean same = got instanceof byte[] b ? want instanceof byte[] w && java.util.Arrays.equals(b, w)
            : want != null && want.equals(got);
        if (!same) {
          wrong.add(TYPES[i] + ": expected " + want + " got " + got + (got == null ? "" : " (" + got.getClass() + ")"));
        }
      } catch (SQLException e) {
        if (!(("!" + e.getSQLState()).equals(want))) {
          wrong.add(TYPES[i] + ": expected " + want + " got " + e.getSQLState() + " " + e.getMessage());
        }
      }
    }
    assertEquals(List.of(), wrong, getter);
  }

  @Test
  void gettersOnEveryCatalogType() {
    row("getString", rs::getString, "d1", "3", "7", "2.5", "true", "2024-01-01", "2024-01-10 10:00:00.0", "1000.00");
    row("getBoolean", rs::getBoolean, "!22018", true, true, true, true, "!07006", "!07006", true);
    row("getByte", rs::getByte, "!22018", (byte) 3, (byte) 7, (byte) 2, (byte) 1, "!07006", "!07006", "!22003");
    row("getShort", rs::getShort, "!22018", (short) 3, (short) 7, (short) 2, (short) 1, "!07006", "!07006",
        (short) 1000);
    row("getInt", rs::getInt, "!22018", 3, 7, 2, 1, "!07006", "!07006", 1000);
    row("getLong", rs::getLong, "!22018", 3L, 7L, 2L, 1L, "!07006", "!07006", 1000L);
    row("getFloat", rs::getFloat, "!22018", 3f, 7f, 2.5f, 1f, "!07006", "!07006", 1000f);
    row("getDouble", rs::getDouble, "!22018", 3d, 7d, 2.5d, 1d, "!07006", "!07006", 1000d);
    row("getBigDecimal", rs::getBigDecimal, "!22018", new BigDecimal("3"), new BigDecimal("7"), new BigDecimal("2.5"),
        BigDecimal.ONE, "!07006", "!07006", new BigDecimal("1000.00"));
    row("getBytes", rs::getBytes, "d1".getBytes(StandardCharsets.UTF_8), "!07006", "!07006", "!07006", "!07006",
        "!07006", "!07006", "!07006");
    row("getDate", rs::getDate, "!22018", "!07006", "!07006", "!07006", "!07006", Date.valueOf("2024-01-01"),
        Date.valueOf("2024-01-10"), "!07006");
    row("getTime", rs::getTime, "!22018", "!07006", "!07006", "!07006", "!07006", "!07006",
        Time.valueOf("10:00:00"), "!07006");
    row("getTimestamp", rs::getTimestamp, "!22018", "!07006", "!07006", "!07006", "!07006",
        Timestamp.valueOf("2024-01-01 00:00:00"), Timestamp.valueOf("2024-01-10 10:00:00"), "!07006");
    // getObject: the classes of JDBC's table B-3
    row("getObject", rs::getObject, "d1", 3, 7L, 2.5d, true, Date.valueOf("2024-01-01"),
        Timestamp.valueOf("2024-01-10 10:00:00"), new BigDecimal("1000.00"));
  }

  @Test
  void getObjectWithAClass() {
    ZoneId moscow = ZoneId.of("Europe/Moscow");
    row("LocalDate", i -> rs.getObject(i, LocalDate.class), "!22018", "!07006", "!07006", "!07006", "!07006",
        LocalDate.of(2024, 1, 1), LocalDate.of(2024, 1, 10), "!07006");
    row("LocalDateTime", i -> rs.getObject(i, LocalDateTime.class), "!22018", "!07006", "!07006", "!07006",
        "!07006", LocalDateTime.of(2024, 1, 1, 0, 0), LocalDateTime.of(2024, 1, 10, 10, 0), "!07006");
    row("Timestamp", i -> rs.getObject(i, Timestamp.class), "!22018", "!07006", "!07006", "!07006", "!07006",
        Timestamp.valueOf("2024-01-01 00:00:00"), Timestamp.valueOf("2024-01-10 10:00:00"), "!07006");
    // instants: the wall-clock times are Moscow's (UTC+3)
    row("Instant", i -> rs.getObject(i, Instant.class), "!22018", "!07006", "!07006", "!07006", "!07006",
        Instant.parse("2023-12-31T21:00:00Z"), Instant.parse("2024-01-10T07:00:00Z"), "!07006");
    row("ZonedDateTime", i -> rs.getObject(i, ZonedDateTime.class), "!22018", "!07006", "!07006", "!07006",
        "!07006", ZonedDateTime.of(2024, 1, 1, 0, 0, 0, 0, moscow), ZonedDateTime.of(2024, 1, 10, 10, 0, 0, 0, moscow),
        "!07006");
    row("OffsetDateTime", i -> rs.getObject(i, OffsetDateTime.class), "!22018", "!07006", "!07006", "!07006",
        "!07006", OffsetDateTime.parse("2024-01-01T00:00+03:00"), OffsetDateTime.parse("2024-01-10T10:00+03:00"),
        "!07006");
    row("Integer", i -> rs.getObject(i, Integer.class), "!22018", 3, 7, 2, 1, "!07006", "!07006", 1000);
    row("Long", i -> rs.getObject(i, Long.class), "!22018", 3L, 7L, 2L, 1L, "!07006", "!07006", 1000L);
    row("Double", i -> rs.getObject(i, Double.class), "!22018", 3d, 7d, 2.5d, 1d, "!07006", "!07006", 1000d);
    row("BigDecimal", i -> rs.getObject(i, BigDecimal.class), "!22018", new BigDecimal("3"), new BigDecimal("7"),
        new BigDecimal("2.5"), BigDecimal.ONE, "!07006", "!07006", new BigDecimal("1000.00"));
    row("Boolean", i -> rs.getObject(i, Boolean.class), "!22018", true, true, true, true, "!07006", "!07006", true);
    row("String", i -> rs.getObject(i, String.class), "d1", "3", "7", "2.5", "true", "2024-01-01",
        "2024-01-10 10:00:00.0", "1000.00");
    row("Thread (no conversion)", i -> rs.getObject(i, Thread.class), "!07006", "!07006", "!07006", "!07006",
        "!07006", "!07006", "!07006", "!07006");
  }

  @Test
  void byLabelCalendarsAndNulls() throws SQLException {
    assertEquals(3, rs.getInt("SORT_ORDER"));
    assertEquals("42S22", assertThrows(SQLException.class, () -> rs.getInt("nope")).getSQLState());
    Calendar utc = Calendar.getInstance(TimeZone.getTimeZone("UTC"));
    // the wall-clock 10:00 read as a UTC time is the instant 10:00Z
    assertEquals(Instant.parse("2024-01-10T10:00:00Z"), rs.getTimestamp(7, utc).toInstant());
    assertEquals(Instant.parse("2024-01-01T00:00:00Z").toEpochMilli(), rs.getDate(6, utc).getTime());
    try (Statement t = c.createStatement();
         ResultSet n = t.executeQuery("SELECT closed_at, amount, deal_id FROM crm.deals WHERE deal_id = 'd3'")) {
      assertTrue(n.next());
      assertNull(n.getTimestamp(1));
      assertTrue(n.wasNull());
      assertEquals(10, n.getInt(2));
      assertFalse(n.wasNull());
      assertEquals(0, n.getLong(1)); // NULL reads as 0 with wasNull
      assertTrue(n.wasNull());
      assertNull(n.getObject(1, Instant.class));
      assertNull(n.getBytes(1));
      assertArrayEquals("d3".getBytes(StandardCharsets.UTF_8), n.getBytes("deal_id"));
      assertFalse(n.next());
      assertEquals("24000", assertThrows(SQLException.class, () -> n.getString(1)).getSQLState());
    }
  }

  @Test
  void parametersTakeJavaTimeAndSqlTypes() throws SQLException {
    String sql = "SELECT deal_id FROM crm.deals WHERE created_at >= ? AND created_at < ? ORDER BY 1";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      assertEquals(java.sql.Types.TIMESTAMP, ps.getParameterMetaData().getParameterType(1));
      ps.setObject(1, LocalDate.of(2024, 1, 15)); // a day: its midnight
      ps.setTimestamp(2, Timestamp.valueOf("2024-02-20 08:00:00"));
      assertEquals(List.of("d2"), ids(ps.executeQuery()));
      // an instant is the reporting zone's wall-clock time: 05:00Z is 08:00 in Moscow
      ps.setObject(2, Instant.parse("2024-02-20T05:00:00.001Z"));
      assertEquals(List.of("d2", "d3"), ids(ps.executeQuery()));
      ps.setObject(1, "2024-01-10 10:00:00", java.sql.Types.TIMESTAMP);
      assertEquals(List.of("d1", "d2", "d3"), ids(ps.executeQuery()));
      ps.setDate(1, Date.valueOf("2024-03-01"));
      ps.setObject(2, OffsetDateTime.parse("2024-03-02T00:00+03:00").toLocalDateTime());
      assertEquals(List.of("d4"), ids(ps.executeQuery()));
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM crm.deals WHERE amount > ?")) {
      ps.setString(1, "100");
      ResultSet r = ps.executeQuery();
      assertTrue(r.next());
      assertEquals(2, r.getInt(1)); // 1000 and 500
      ps.setBigDecimal(1, new BigDecimal("499.99"));
      r = ps.executeQuery();
      assertTrue(r.next());
      assertEquals(2, r.getInt(1));
      assertThrows(SQLException.class, () -> ps.setObject(1, new Object()));
    }
  }

  private static List<String> ids(ResultSet r) throws SQLException {
    List<String> out = new ArrayList<>();
    try (r) {
      while (r.next()) {
        out.add(r.getString(1));
      }
    }
    return out;
  }
}
