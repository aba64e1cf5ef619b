package io.crmkpi.files.exports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmkpi.store.Store;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each plain-shape test of the bulk path against the row path's own reading: text the SQL calls
 * plain converts in SQL to exactly what {@link ExportValues} (or {@link String#strip()}) gives, and
 * the everyday shapes are plain.
 */
class ExportBulkSqlTest {

  private static final ZoneId UTC = ZoneId.of("UTC");
  private final ExportBulkSql sql = new ExportBulkSql(new ExportProfile("test").nullDate("не закрыта"), false);
  private final ExportValues values = new ExportValues('.', null, List.of(), UTC, UTC, false);
  private Store store;
  private Connection c;

  @BeforeEach
  void open() throws Exception {
    store = Store.inMemory();
    c = store.connect();
  }

  @AfterEach
  void close() throws Exception {
    c.close();
    store.close();
  }

  /** {@code expression} of {@code t} (a SQL text, NULL for null) evaluated by DuckDB. */
  private Object eval(String expression, String text) throws Exception {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + expression + " FROM (SELECT CAST(? AS VARCHAR) AS t)")) {
      ps.setString(1, text);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getObject(1);
      }
    }
  }

  @Test
  void trimmingIsJavasStripAndBlankIsNull() throws Exception {
    for (String v : List.of("abc", " abc", "abc\u3000", "\u00A0abc\u00A0", "\tabc\r\n", "   ", "\u2007x", "x\u2028",
        "a  b", "Ünïcode ", "日本 ", " \u1680\u2000mixed\u205F", "\u001Cx\u001F", "«Ромашка»", "x\u0085")) {
      String expected = v.isBlank() ? null : v.strip();
      assertEquals(expected, eval(ExportBulkSql.trimmed("t"), v), "[" + v + "]");
    }
  }

  @Test
  void plainAmountsReadAsTheRowRulesReadThem() throws Exception {
    for (String v : List.of("1500", "1500.5", "1500.50", "-12.5", "1,5", "0", "007", "1 000,50", "1\u00A0000",
        "12 345 678,90", "-1 000", "9999999999999999.99", "1\u202F234.5", "1,500.00", "1.500,00", "12,345,678.9",
        "-1,000.50", "999.999.999,99")) {
      assertEquals(true, eval(sql.plainAmount("t"), v), v + " is plain");
      BigDecimal expected = values.money(v).orElseThrow().amount().setScale(2, RoundingMode.HALF_UP);
      assertEquals(expected, eval(ExportBulkSql.amount("t"), v), v);
    }
    // grouped with decimals reads alike whatever the file's decimal separator (by hand: 1500.00)
    ExportValues russian = new ExportValues(',', null, List.of(), UTC, UTC, true);
    assertEquals(new BigDecimal("1500.00"), russian.decimal("1,500.00").orElseThrow());
    assertEquals(new BigDecimal("1500.00"), eval(ExportBulkSql.amount("t"), "1,500.00"));
    assertEquals(new BigDecimal("1500.00"), eval(ExportBulkSql.amount("t"), "1.500,00"));
    for (String v : List.of("$1,200.00", "1,500", "1,50,000.00", "1,500.005", "1.500", "1.005", "12abc", "1e5", "+5", "(5)", "1 00",
        "1 000 000 000 000 000", "USD 10", "12345678901234567")) {
      assertEquals(false, eval(sql.plainAmount("t"), v), v + " is not plain");
    }
  }

  @Test
  void anAmountsCurrencySignOrCodeIsCutAsTheRowRulesCutIt() throws Exception {
    String p = ExportBulkSql.moneyPrefix("t");
    String q = ExportBulkSql.moneySuffix("t", "(" + p + ")");
    String core = ExportBulkSql.moneyCore("t", "(" + p + ")", "(" + q + ")");
    String affix = ExportBulkSql.moneyAffix("(" + p + ")", "(" + q + ")");
    for (String v : List.of("$1,200.00", "USD 8,000.00", "\u20AC12,500.00", "1 000 руб.", "1\u00A0000\u00A0\u20BD",
        "5$", "-12.5", "1500", "EUR 7")) {
      assertEquals(true, eval(sql.plainAmount(core), v), v + " has a plain number");
      ExportValues.Money m = values.money(v).orElseThrow();
      assertEquals(m.amount().setScale(2, RoundingMode.HALF_UP), eval(ExportBulkSql.amount(core), v), v);
      assertEquals(m.currency(), ExportValues.affixCurrency((String) eval(affix, v)), v);
    }
    // by hand: the sign is the currency, the number is what lies between
    assertEquals("$", eval(affix, "$1,200.00"));
    assertEquals("руб.", eval(affix, "1 000 руб."));
    assertEquals("", eval(affix, "1500"));
    assertEquals("USD", values.money("$1,200.00").orElseThrow().currency());
    // no number, a number of another shape, or text that is no currency: the row rules judge them
    for (String v : List.of("n/a", "(5)", "1,2,3")) {
      assertEquals(false, eval(sql.plainAmount(core), v), v + " has no plain number");
    }
    assertThrows(IllegalArgumentException.class, () -> ExportValues.affixCurrency((String) eval(affix, "12abc")));
  }

  @Test
  void aDeclaredThousandsSeparatorIsNoDecimalSeparator() throws Exception {
    ExportBulkSql dots = new ExportBulkSql(new ExportProfile("t").thousandsSeparator('.'), false);
    assertEquals(false, eval(dots.plainAmount("t"), "1.50"));
    assertEquals(true, eval(dots.plainAmount("t"), "1,50"));
    // "1,500.00" with '.' declared the thousands separator is 1.5 to the row rules: not plain
    ExportValues declared = new ExportValues(',', '.', List.of(), UTC, UTC, true);
    assertEquals(new BigDecimal("1.50000"), declared.decimal("1,500.00").orElseThrow());
    assertEquals(false, eval(dots.plainAmount("t"), "1,500.00"));
    assertEquals(true, eval(dots.plainAmount("t"), "1.500,00"));
    assertEquals(declared.decimal("1.500,00").orElseThrow().setScale(2), eval(ExportBulkSql.amount("t"), "1.500,00"));
    ExportBulkSql commas = new ExportBulkSql(new ExportProfile("t").thousandsSeparator(','), false);
    assertEquals(false, eval(commas.plainAmount("t"), "1.500,00"));
    assertEquals(true, eval(commas.plainAmount("t"), "1,500.00"));
  }

  @Test
  void plainProbabilitiesReadAsTheRowRulesReadThem() throws Exception {
    // percents (0-100) by default; worked out by hand
    String[] texts = {"0", "0.4", "1", "1.0", "40", "40%", "100", "0,75", "12.5%", "0.07"};
    double[] percents = {0, 0.4, 1, 1, 40, 40, 100, 0.75, 12.5, 0.07};
    // fractions of 1 (HubSpot): x 100 exactly (0.07 is 7, not 7.000000000000001), a % sign still a percent
    double[] fractions = {0, 40, 100, 100, 4000, 40, 10000, 75, 12.5, 7};
    ExportBulkSql hubspot = new ExportBulkSql(new ExportProfile("t").probabilityAsFraction(), false);
    for (int i = 0; i < texts.length; i++) {
      String v = texts[i];
      assertEquals(true, eval(sql.plainProbability("t"), v), v + " is plain");
      assertEquals(percents[i], eval(sql.probability("t"), v), v);
      assertEquals(fractions[i], eval(hubspot.probability("t"), v), v + " as a fraction");
    }
    for (String v : List.of("0.125", "-1", "1000", "50 %", "n/a")) {
      assertEquals(false, eval(sql.plainProbability("t"), v), v + " is not plain");
    }
  }

  @Test
  void plainTimesReadAsTheRowRulesReadThem() throws Exception {
    for (String v : List.of("2024-01-31 10:00", "2024-01-31 10:00:59", "2024-01-31T23:59", "2024-01-31", "31.01.2024",
        "31.01.2024 09:05", "31.01.2024 9:05:07", "29.02.2024 00:00:00")) {
      assertEquals(true, eval(sql.plainTime("t"), v), v + " is plain");
      LocalDateTime expected = values.dateTime(v).orElseThrow();
      assertEquals(expected, ((java.sql.Timestamp) eval(sql.time("t"), v)).toLocalDateTime(), v);
    }
    for (String v : List.of("2024-01-31T10:00:00Z", "2024-01-31 10:00:00.5", "1/31/2024 10:00am",
        "2024-1-31", "45321", "31.01.24", "2024-01-31 24:00", "0999-01-01", "1/31/24")) {
      assertEquals(false, eval(sql.plainTime("t"), v), v + " is not plain");
    }
    // a plain shape that is no date: no value, so the row goes to the row rules ("is not a date")
    assertEquals(null, eval(sql.time("t"), "2024-02-30 10:00"));
    assertEquals(null, eval(sql.time("t"), "31.02.2024"));
    assertTrue((Boolean) eval(sql.nullDate("t"), "Не закрыта"));
    assertFalse((Boolean) eval(sql.nullDate("t"), "2024-01-31"));
  }

  @Test
  void slashedTimesReadInTheFilesOrderThenTheOtherAsTheRowRulesReadThem() throws Exception {
    ExportBulkSql dayFirst = new ExportBulkSql(new ExportProfile("test"), true);
    ExportValues dayFirstValues = new ExportValues(',', null, List.of(), UTC, UTC, true);
    List<String> samples = List.of("1/2/2024", "01/02/2024", "01/15/2024", "15/01/2024", "01/15/2024 10:00 am",
        "1/15/2024 4:05 PM", "12/01/2024 12:30 am", "12/01/2024 12:30 Pm", "02/13/2024 16:05", "13/02/2024 9:05:07",
        "2/29/2024 11:59:59 pm");
    for (String v : samples) {
      assertEquals(true, eval(sql.plainTime("t"), v), v + " is plain");
      assertEquals(values.dateTime(v).orElseThrow(),
          ((java.sql.Timestamp) eval(sql.time("t"), v)).toLocalDateTime(), v + " month first");
      assertEquals(dayFirstValues.dateTime(v).orElseThrow(),
          ((java.sql.Timestamp) eval(dayFirst.time("t"), v)).toLocalDateTime(), v + " day first");
    }
    // by hand: a US file reads 01/02 as January 2, a Russian one as February 1; 12 am is midnight
    assertEquals(LocalDateTime.of(2024, 1, 2, 0, 0), values.dateTime("01/02/2024").orElseThrow());
    assertEquals(LocalDateTime.of(2024, 2, 1, 0, 0), dayFirstValues.dateTime("01/02/2024").orElseThrow());
    assertEquals(LocalDateTime.of(2024, 12, 1, 0, 30), values.dateTime("12/01/2024 12:30 am").orElseThrow());
    // plain shapes neither order reads: no value, so the row goes to the row rules ("is not a date")
    for (String v : List.of("13/13/2024", "02/30/2024", "1/15/2024 0:30 am", "1/15/2024 13:30 pm", "1/15/2024 24:00")) {
      assertEquals(true, eval(sql.plainTime("t"), v), v + " is plain");
      assertEquals(null, eval(sql.time("t"), v), v);
      assertThrows(IllegalArgumentException.class, () -> values.dateTime(v), v);
    }
  }

  @Test
  void aMappingFilesDatePatternsReadInSqlAsJavaTimeReadsThem() throws Exception {
    List<String> patterns = List.of("dd/MM/yyyy HH:mm", "d.M.uuuu", "yyyyMMdd", "MM-dd-yyyy hh:mm a",
        "yyyy-MM-dd'T'HH:mm:ss");
    ExportProfile profile = new ExportProfile("mapping");
    patterns.forEach(profile::datePattern);
    ExportBulkSql mapped = new ExportBulkSql(profile, false);
    ExportValues java = new ExportValues('.', null, patterns, UTC, UTC, false);
    assertTrue(mapped.patternsSupported());
    for (String v : List.of("05/03/2024 10:00", "31/12/2023 23:59", "5.3.2024", "05.03.2024", "20240305",
        "03-05-2024 01:15 PM", "12-31-2023 12:00 AM", "2024-03-05T10:11:12", "2024-03-05 10:11", "3/5/2024")) {
      assertEquals(true, eval(mapped.plainTime("t"), v), v + " is plain");
      assertEquals(java.dateTime(v).orElseThrow(), ((java.sql.Timestamp) eval(mapped.time("t"), v)).toLocalDateTime(),
          v);
    }
    // by hand: the pattern comes first, so 05/03/2024 is 5 March (the built-in US order would say May 3)
    assertEquals(LocalDateTime.of(2024, 3, 5, 10, 0), java.dateTime("05/03/2024 10:00").orElseThrow());
    assertEquals(LocalDateTime.of(2024, 3, 5, 13, 15), java.dateTime("03-05-2024 01:15 PM").orElseThrow());
    // a pattern's shape with no such date: NULL (the row goes to the row rules); am in lower case
    // and a 3-digit day are not the pattern's text
    for (String v : List.of("31/02/2024 10:00", "20241301", "03-05-2024 13:15 PM")) {
      assertEquals(null, eval(mapped.time("t"), v), v);
    }
    for (String v : List.of("03-05-2024 01:15 pm", "005.3.2024")) {
      assertEquals(false, eval(mapped.plainTime("t"), v), v + " is not plain");
    }
    // by hand: only a pattern with a time of day has one
    assertEquals(true, eval(mapped.hasTimeOfDay("t"), "05/03/2024 10:00"));
    assertEquals(false, eval(mapped.hasTimeOfDay("t"), "20240305"));
    assertEquals(false, eval(mapped.hasTimeOfDay("t"), "2024-03-05"));
    // month names, two-digit years, optional sections, a 12-hour clock without AM/PM: the row path's
    for (String p : List.of("dd MMM yyyy", "yy-MM-dd", "[dd.MM.yyyy]", "dd.MM.yyyy hh:mm", "EEE dd.MM.yyyy",
        "dMMyyyy", "HH:mm a dd.MM.yyyy", "dd.MM.yyyy 'o''clock' HH")) {
      assertFalse(new ExportBulkSql(new ExportProfile("m").datePattern(p), false).patternsSupported(), p);
    }
  }

  @Test
  void listsGiveTheirFirstValueAsTheRowPathDoes() throws Exception {
    ExportBulkSql multi = new ExportBulkSql(new ExportProfile("t").multiValues(';'), false);
    assertEquals("Beta", eval(multi.multi("t"), "Beta ; Gamma"));
    assertEquals(null, eval(multi.multi("t"), ";Gamma"));
    assertEquals("Acme", eval(multi.multi("t"), "Acme"));
    for (String v : List.of("12;13", "12, 13", " 14 ;", "15", ";16")) {
      assertEquals(ExportLoader.firstListed(v), eval(ExportBulkSql.firstListed("t"), v.strip()), v);
    }
  }
}
