package io.crmkpi.files;

import static io.crmkpi.files.StoreRows.fixture;
import static io.crmkpi.files.StoreRows.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmkpi.source.SourceContext;
import io.crmkpi.source.SourceException;
import io.crmkpi.store.LoadReport;
import io.crmkpi.store.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CanonicalCsvFormatTest {

  private static final CanonicalCsvFormat FORMAT = new CanonicalCsvFormat();

  @Test
  void bomCrlfQuotingMultiLineFieldsAndHeaderSubset() throws Exception {
    try (Store store = Store.inMemory()) {
      LoadReport report = new FilesSource(fixture("quoting")).load(store, SourceContext.of(Map.of()));
      // 5 data records q1..q5 (the blank line is not one); q3's '1e3' is rejected
      assertEquals("deals.csv deals 5=4+1", line(report, 0));
      assertEquals(List.of(
          // header order title,deal_id,...: mapped by name; quoted comma and doubled quotes; 12.345 -> 12.35
          "q1|Acme, Inc. \"Gold\" plan|12.35|2024-05-01 10:00:00|NULL|NULL",
          // a quoted line break is kept inside the value
          "q2|Two\r\nlines|7.00|2024-05-02 00:00:00|NULL|NULL",
          // "" and empty values are NULL
          "q4|NULL|NULL|NULL|NULL|NULL",
          "q5|x|0.50|2024-05-04 23:59:59|NULL|NULL"),
          rows(store, "SELECT deal_id, title, amount, strftime(created_at, '%Y-%m-%d %H:%M:%S'), pipeline_id, "
              + "owner_user_id FROM crm.deals WHERE deal_id <> 'q3' ORDER BY 1"));
      // the BOM did not end up in the first column name, and line 5 is the physical line after the 2-line record
      assertEquals(List.of("files|deals.csv:5|deals|amount: cannot parse '1e3' as DECIMAL(18,2) (expected a number "
          + "with '.' as the decimal point, e.g. 1234.50)|plain,q3,1e3,2024-05-03"),
          rows(store, "SELECT source, location, entity, reason, raw FROM crm.load_rejects"));
    }
  }

  @Test
  void badRowsGoToLoadRejectsWithFileAndLine() throws Exception {
    try (Store store = Store.inMemory()) {
      LoadReport report = new FilesSource(fixture("rejects")).load(store, SourceContext.of(Map.of()));
      assertEquals("stages.csv stages 2=1+1", line(report, 0));
      assertEquals("deals.csv deals 7=2+5", line(report, 1));
      assertEquals("survey_responses.csv survey_responses 6=2+4", line(report, 2));
      assertEquals(15, report.totalRead());
      assertEquals(5, report.totalLoaded());
      assertEquals(10, report.totalRejected());
      assertEquals(List.of(
          "deals.csv:3|deals|created_at: cannot parse '2024-02-30 10:00:00' as TIMESTAMP (expected YYYY-MM-DD HH:MM:SS)"
              + "|r2,bad date,s1,10.00,USD,2024-02-30 10:00:00,false",
          "deals.csv:5|deals|amount: cannot parse '1 000,50' as DECIMAL(18,2) (expected a number with '.' as the "
              + "decimal point, e.g. 1234.50)|r4,bad number,s1,\"1 000,50\",USD,2024-01-12 10:00:00,",
          "deals.csv:6|deals|expected 7 values as in the header, found 8"
              + "|r5,extra value,s1,5,USD,2024-01-13,false,surplus",
          "deals.csv:7|deals|is_deleted: cannot parse 'maybe' as BOOLEAN (expected true/false, 1/0 or yes/no)"
              + "|r6,bad bool,s1,5,USD,2024-01-13,maybe",
          "deals.csv:8|deals|deal_id: duplicate key 'r1' (first on line 2)|r1,duplicate,s1,1,USD,2024-01-14,false",
          "stages.csv:3|stages|kind: 'closed' is not one of open, won, lost|s9,p1,Closed,9,closed",
          "survey_responses.csv:2|survey_responses|score: 11 is outside the nps scale 0-10|a,nps,11",
          "survey_responses.csv:3|survey_responses|score: 6 is outside the csat scale 1-5|b,csat,6",
          "survey_responses.csv:4|survey_responses|score: 0 is outside the csat scale 1-5|c,csat,0",
          "survey_responses.csv:6|survey_responses|survey: 'ces' is not one of nps, csat|e,ces,3"),
          rows(store, "SELECT location, entity, reason, raw FROM crm.load_rejects ORDER BY location"));
      assertEquals(List.of("r1|ok|10.00|false", "r3|ok too|20.00|false"),
          rows(store, "SELECT deal_id, title, amount, is_deleted FROM crm.deals ORDER BY 1"));
      assertEquals(List.of("d|10", "f|5"), rows(store, "SELECT response_id, score FROM crm.survey_responses ORDER BY 1"));
    }
  }

  @Test
  void strictStopsAtTheFirstBadRowNamingFileAndLine(@TempDir Path dir) throws Exception {
    Files.copy(fixture("rejects").resolve("deals.csv"), dir.resolve("deals.csv"));
    try (Store store = Store.inMemory()) {
      SourceException e = assertThrows(SourceException.class,
          () -> new FilesSource(dir).load(store, SourceContext.of(Map.of("strict", "true"))));
      assertTrue(e.getMessage().startsWith("deals.csv:3: created_at: cannot parse '2024-02-30 10:00:00' as TIMESTAMP "
          + "(expected YYYY-MM-DD HH:MM:SS)"), e.getMessage());
      // the whole folder: stages.csv is a reference table, so it loads (and fails) before deals.csv
      SourceException first = assertThrows(SourceException.class,
          () -> new FilesSource(fixture("rejects")).load(store, SourceContext.of(Map.of("strict", "true"))));
      assertTrue(first.getMessage().startsWith("stages.csv:3: kind: 'closed' is not one of open, won, lost"),
          first.getMessage());
    }
  }

  /**
   * A file of many reader batches (rows are parsed on a second thread and handed over in batches):
   * rejects keep their physical lines, also after a quoted line break, a duplicate key is found
   * thousands of rows after its first line, and read = loaded + rejected.
   */
  @Test
  void bigFileKeepsLinesRejectsAndDuplicatesAcrossBatches(@TempDir Path dir) throws Exception {
    StringBuilder csv = new StringBuilder("deal_id,title,amount\n");
    List<String> expectedRejects = new java.util.ArrayList<>();
    java.math.BigDecimal loadedSum = java.math.BigDecimal.ZERO;
    int line = 2;
    for (int i = 1; i <= 10_000; i++) {
      String id = i == 9_001 ? "d3" : "d" + i; // d3 is first on line 4
      String title = i == 4_500 ? "\"two\nlines\"" : "t" + i;
      String amount = i % 1_000 == 0 ? "bad" : i + ".5";
      csv.append(id).append(',').append(title).append(',').append(amount).append('\n');
      if (i % 1_000 == 0) {
        expectedRejects.add("deals.csv:" + line + "|amount: cannot parse 'bad' as DECIMAL(18,2) (expected a number with "
            + "'.' as the decimal point, e.g. 1234.50)");
      } else if (i == 9_001) {
        expectedRejects.add("deals.csv:" + line + "|deal_id: duplicate key 'd3' (first on line 4)");
      } else {
        loadedSum = loadedSum.add(new java.math.BigDecimal(amount));
      }
      line += i == 4_500 ? 2 : 1;
    }
    Files.writeString(dir.resolve("deals.csv"), csv.toString(), StandardCharsets.UTF_8);
    try (Store store = Store.inMemory()) {
      LoadReport report = new FilesSource(dir).load(store, SourceContext.of(Map.of()));
      assertEquals("deals.csv deals 10000=9989+11", line(report, 0));
      expectedRejects.sort(null);
      assertEquals(expectedRejects, rows(store, "SELECT location, reason FROM crm.load_rejects ORDER BY location"));
      assertEquals(List.of("9989|" + loadedSum.setScale(2).toPlainString()),
          rows(store, "SELECT count(*), sum(amount) FROM crm.deals"));
      assertEquals(List.of("two\nlines"), rows(store, "SELECT title FROM crm.deals WHERE deal_id = 'd4500'"));
      SourceException strict = assertThrows(SourceException.class,
          () -> new FilesSource(dir).load(store, SourceContext.of(Map.of("strict", "true"))));
      assertTrue(strict.getMessage().startsWith("deals.csv:1001: amount: cannot parse 'bad'"), strict.getMessage());
    }
  }

  @Test
  void missingKeyColumnFailsOnTheHeaderLine(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("deals.csv"), "title,amount\nNo key,10\n", StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("fx_rates.csv"), "currency,rate_to_base\nUSD,90\n", StandardCharsets.UTF_8);
    try (Store store = Store.inMemory()) {
      SourceException e = assertThrows(SourceException.class, () -> load(dir.resolve("deals.csv"), store, Map.of()));
      assertTrue(e.getMessage().startsWith("deals.csv:1: missing key column deal_id"), e.getMessage());
      SourceException two = assertThrows(SourceException.class,
          () -> load(dir.resolve("fx_rates.csv"), store, Map.of()));
      assertTrue(two.getMessage().startsWith("fx_rates.csv:1: missing key column rate_date"), two.getMessage());
    }
  }

  @Test
  void unknownAndRepeatedHeaderColumnsAreNamed(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("deals.csv"), "deal_id,titel,Amount,stage\n", StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("leads.csv"), "lead_id;title\nl1;x\n", StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("users.csv"), "user_id,name,NAME\n", StandardCharsets.UTF_8);
    // a table with no key (marketing_spend) needs no particular column
    Files.writeString(dir.resolve("marketing_spend.csv"), "amount\n12.5\n", StandardCharsets.UTF_8);
    try (Store store = Store.inMemory()) {
      SourceException e = assertThrows(SourceException.class, () -> load(dir.resolve("deals.csv"), store, Map.of()));
      assertEquals("deals.csv:1: unknown columns 'titel', 'stage' for crm.deals; valid columns: deal_id, title, "
          + "pipeline_id, stage_id, status, amount, currency, amount_base, created_at, closed_at, updated_at, "
          + "owner_user_id, contact_id, company_id, lead_id, channel, utm_source, utm_medium, utm_campaign, "
          + "loss_reason, is_deleted, expected_close_date, probability", e.getMessage());
      SourceException semi = assertThrows(SourceException.class, () -> load(dir.resolve("leads.csv"), store, Map.of()));
      assertTrue(semi.getMessage().contains("seems to use ';'"), semi.getMessage());
      SourceException twice = assertThrows(SourceException.class,
          () -> load(dir.resolve("users.csv"), store, Map.of()));
      assertEquals("users.csv:1: column name appears twice in the header", twice.getMessage());
      load(dir.resolve("marketing_spend.csv"), store, Map.of());
      assertEquals(List.of("NULL|NULL|12.50"), rows(store, "SELECT channel, spend_date, amount FROM crm.marketing_spend"));
    }
  }

  @Test
  void instantsAreConvertedToTheReportingZoneAcrossDst() throws Exception {
    String sql = "SELECT deal_id, strftime(created_at, '%Y-%m-%d %H:%M:%S'), strftime(updated_at, '%Y-%m-%d %H:%M:%S'), "
        + "strftime(closed_at, '%Y-%m-%d %H:%M:%S') FROM crm.deals ORDER BY 1";
    try (Store store = Store.inMemory()) {
      load(fixture("instants").resolve("deals.csv"), store, Map.of("timezone", "Europe/Berlin"));
      assertEquals(List.of(
          // DST starts 2024-03-31 01:00Z: 00:30Z is 01:30 CET, 01:30Z is 03:30 CEST
          "i1|2024-03-31 01:30:00|2024-03-31 03:30:00|NULL",
          // DST ends 2024-10-27 01:00Z: 00:30Z is 02:30 CEST, 01:30Z is 02:30 CET; 05:00+03:00 = 02:00Z = 03:00 CET
          "i2|2024-10-27 02:30:00|2024-10-27 02:30:00|2024-10-27 03:00:00",
          // 22:30Z is next day 00:30 CEST; wall-clock values and dates are not shifted
          "i3|2024-04-01 00:30:00|2024-06-01 10:00:00|2024-06-01 00:00:00"), rows(store, sql));
    }
    try (Store store = Store.inMemory()) {
      load(fixture("instants").resolve("deals.csv"), store, Map.of("timezone", "Europe/Moscow"));
      assertEquals(List.of(
          "i1|2024-03-31 03:30:00|2024-03-31 04:30:00|NULL",
          "i2|2024-10-27 03:30:00|2024-10-27 04:30:00|2024-10-27 05:00:00",
          "i3|2024-04-01 01:30:00|2024-06-01 10:00:00|2024-06-01 00:00:00"), rows(store, sql));
    }
  }

  @Test
  void crossRateWhenTheBaseIsNotTheRatesBase() throws Exception {
    try (Store store = Store.inMemory()) {
      new FilesSource(fixture("basic")).load(store, SourceContext.of(Map.of("currency", "usd")));
      assertEquals(List.of(
          "d1|100.00",
          "d2|50.00",
          // 10.02 x 98.25 / 90.5 (both rates to RUB, on 2024-03-01) = 10.878066.. -> 10.88
          "d3|10.88",
          // 2000 RUB / 90.5 = 22.099447.. -> 22.10
          "d4|22.10",
          "d5|30.00",
          "d6|NULL",
          "d7|5.50"), rows(store, "SELECT deal_id, amount_base FROM crm.deals ORDER BY 1"));
    }
  }

  @Test
  void detectScoresTableNamedFilesByTheirHeader(@TempDir Path dir) throws Exception {
    assertEquals(100, score(dir, "deals.csv", "\uFEFFdeal_id,\"title\",Amount\r\n"));
    assertEquals(10, score(dir, "deals.csv", "ID;Name;Budget\n"));
    assertEquals(0, score(dir, "sdelki.csv", "deal_id,title\n"));
    assertEquals(0, score(dir, "deals.xlsx", "deal_id,title\n"));
    // bookkeeping tables are written by the store only
    assertEquals(0, score(dir, "load_rejects.csv", "source,location\n"));
  }

  @Test
  void notUtf8IsExplained(@TempDir Path dir) throws Exception {
    // "Сделка" in windows-1251
    byte[] cp1251 = {'d', 'e', 'a', 'l', '_', 'i', 'd', ',', 't', 'i', 't', 'l', 'e', '\n', 'd', '1', ',',
        (byte) 0xD1, (byte) 0xE4, (byte) 0xE5, (byte) 0xEB, (byte) 0xEA, (byte) 0xE0, '\n'};
    Files.write(dir.resolve("deals.csv"), cp1251);
    try (Store store = Store.inMemory()) {
      SourceException e = assertThrows(SourceException.class, () -> load(dir.resolve("deals.csv"), store, Map.of()));
      assertEquals("deals.csv: not UTF-8 text; save the file as UTF-8 (canonical CSV is UTF-8)", e.getMessage());
    }
  }

  @Test
  void unterminatedQuoteNamesTheLine(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("deals.csv"), "deal_id,title\nd1,ok\nd2,\"never closed\nd3,x\n",
        StandardCharsets.UTF_8);
    try (Store store = Store.inMemory()) {
      SourceException e = assertThrows(SourceException.class, () -> load(dir.resolve("deals.csv"), store, Map.of()));
      assertTrue(e.getMessage().startsWith("deals.csv:3: malformed CSV"), e.getMessage());
    }
  }

  private static int score(Path dir, String name, String content) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, content, StandardCharsets.UTF_8);
    return FORMAT.detect(FileSample.of(f));
  }

  private static void load(Path file, Store store, Map<String, String> props) throws Exception {
    try (var session = store.load("files")) {
      FORMAT.load(file, session, SourceContext.of(props));
    }
  }

  private static String line(LoadReport report, int i) {
    LoadReport.Line l = report.lines().get(i);
    return l.input() + " " + l.entity() + " " + l.read() + "=" + l.loaded() + "+" + l.rejected();
  }
}
