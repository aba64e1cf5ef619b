package io.crmkpi.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.crmkpi.model.CanonicalModel;
import io.crmkpi.model.Column;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class CanonicalValueParserTest {

  private final CanonicalValueParser utc = new CanonicalValueParser(ZoneId.of("UTC"));

  private static Column col(String table, String column) {
    return CanonicalModel.require(table).column(column).orElseThrow();
  }

  private Object parse(String table, String column, String text) throws Exception {
    return utc.parse(col(table, column), text);
  }

  private String error(String table, String column, String text) {
    return assertThrows(CanonicalValueParser.BadValueException.class, () -> parse(table, column, text)).getMessage();
  }

  @Test
  void timestamps() throws Exception {
    assertEquals(LocalDateTime.of(2024, 3, 1, 10, 15, 30), parse("deals", "created_at", "2024-03-01 10:15:30"));
    assertEquals(LocalDateTime.of(2024, 3, 1, 0, 0), parse("deals", "created_at", "2024-03-01"));
    assertEquals(LocalDateTime.of(2024, 3, 1, 10, 15), parse("deals", "created_at", "2024-03-01T10:15"));
    assertEquals(LocalDateTime.of(2024, 3, 1, 10, 15, 30, 500_000_000),
        parse("deals", "created_at", "2024-03-01T10:15:30.5"));
    // offsets: +03:00, +0300, +03 and Z all name instants
    assertEquals(LocalDateTime.of(2024, 3, 1, 7, 15, 30), parse("deals", "created_at", "2024-03-01 10:15:30+03:00"));
    assertEquals(LocalDateTime.of(2024, 3, 1, 7, 15, 30), parse("deals", "created_at", "2024-03-01T10:15:30+0300"));
    assertEquals(LocalDateTime.of(2024, 3, 1, 13, 15, 30), parse("deals", "created_at", "2024-03-01T10:15:30-03"));
    assertEquals(LocalDateTime.of(2024, 2, 29, 23, 0), parse("deals", "created_at", "2024-02-29T23:00:00Z"));
    assertEquals(LocalDateTime.of(2024, 3, 1, 2, 0),
        new CanonicalValueParser(ZoneId.of("Europe/Moscow")).timestamp("x", "2024-02-29T23:00:00Z"));
    for (String bad : new String[] {"01.03.2024", "2024-3-1", "2023-02-29", "2024-03-01 24:00:00",
        "2024-03-01T10:15:30+25:00", "2024-03-01Z", "yesterday"}) {
      assertEquals("created_at: cannot parse '" + bad + "' as TIMESTAMP (expected YYYY-MM-DD HH:MM:SS)",
          error("deals", "created_at", bad));
    }
  }

  @Test
  void datesAreNeverShifted() throws Exception {
    CanonicalValueParser tokyo = new CanonicalValueParser(ZoneId.of("Asia/Tokyo"));
    assertEquals(LocalDate.of(2024, 2, 29), tokyo.parse(col("marketing_spend", "spend_date"), "2024-02-29"));
    assertEquals("spend_date: cannot parse '2024-02-29T00:00:00Z' as DATE (expected YYYY-MM-DD)",
        error("marketing_spend", "spend_date", "2024-02-29T00:00:00Z"));
  }

  @Test
  void booleansNumbersAndCodes() throws Exception {
    for (String t : new String[] {"true", "TRUE", "1", "Yes", " yes "}) {
      assertEquals(Boolean.TRUE, parse("deals", "is_deleted", t), t);
    }
    for (String f : new String[] {"false", "False", "0", "NO"}) {
      assertEquals(Boolean.FALSE, parse("deals", "is_deleted", f), f);
    }
    assertEquals("is_deleted: cannot parse 'y' as BOOLEAN (expected true/false, 1/0 or yes/no)",
        error("deals", "is_deleted", "y"));
    assertEquals(new BigDecimal("1234.57"), parse("deals", "amount", "1234.565"));
    assertEquals(new BigDecimal("-0.50"), parse("deals", "amount", "-.5"));
    assertEquals(new BigDecimal("1.50000000"), parse("fx_rates", "rate_to_base", "1.5"));
    assertEquals(new BigDecimal("2.125"), parse("order_items", "quantity", "2.1245"));
    assertEquals("amount: cannot parse '1,5' as DECIMAL(18,2) (expected a number with '.' as the decimal point, "
        + "e.g. 1234.50)", error("deals", "amount", "1,5"));
    // DECIMAL(18,2) holds 16 digits before the point
    assertEquals(new BigDecimal("9999999999999999.00"), parse("deals", "amount", "9999999999999999"));
    assertEquals("amount: cannot parse '10000000000000000' as DECIMAL(18,2) (expected at most 16 digits before the "
        + "decimal point)", error("deals", "amount", "10000000000000000"));
    assertEquals(2147483647, parse("stages", "sort_order", "2147483647"));
    assertEquals("sort_order: cannot parse '2147483648' as INTEGER (expected a whole number between -2147483648 and "
        + "2147483647)", error("stages", "sort_order", "2147483648"));
    assertEquals("score: cannot parse '9.5' as INTEGER (expected a whole number)",
        error("survey_responses", "score", "9.5"));
    assertEquals(5_000_000_000L, parse("sync_state", "rows_total", "5000000000"));
    assertEquals("EUR", parse("deals", "currency", "eur"));
    assertEquals("currency: cannot parse 'US Dollar' as VARCHAR(3) (expected a 3-letter currency code such as USD)",
        error("deals", "currency", "US Dollar"));
  }

  @Test
  void emptyIsNullAndTextIsKeptAsWritten() throws Exception {
    assertNull(parse("deals", "title", ""));
    assertNull(parse("deals", "amount", "   "));
    assertNull(parse("deals", "created_at", ""));
    assertEquals("  spaced  ", parse("deals", "title", "  spaced  "));
  }
}
