package io.crmkpi.files;

import static io.crmkpi.files.StoreRows.fixture;
import static io.crmkpi.files.StoreRows.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmkpi.model.CanonicalModel;
import io.crmkpi.model.Column;
import io.crmkpi.model.Table;
import io.crmkpi.source.SourceContext;
import io.crmkpi.source.SourceException;
import io.crmkpi.store.LoadReport;
import io.crmkpi.store.LoadSession;
import io.crmkpi.store.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQL path of canonical CSV ({@link CanonicalCsvBulkLoad}): DuckDB reads the file, plain values
 * are converted in SQL, other rows are judged by the row rules, duplicates are found in SQL, and
 * rejects get their physical line. Fixture {@code bulk/deals.csv}: BOM, CRLF, a quoted line break,
 * a blank line, no final line break; every row's fate is written next to the expectations.
 */
class CanonicalCsvBulkLoadTest {

  private static final String DEALS = "SELECT deal_id, title, pipeline_id, stage_id, status, amount, currency, "
      + "strftime(created_at, '%Y-%m-%d %H:%M:%S'), strftime(closed_at, '%Y-%m-%d %H:%M:%S'), is_deleted "
      + "FROM crm.deals ORDER BY deal_id";
  private static final String REJECTS = "SELECT source, location, entity, reason, raw FROM crm.load_rejects "
      + "ORDER BY location";

  @Test
  void rejectsFoundOnTheSqlPathHaveFileLineReasonAndRaw() throws Exception {
    try (Store store = Store.inMemory()) {
      List<String> progress = new ArrayList<>();
      LoadReport report = new FilesSource(fixture("bulk")).load(store,
          new SourceContext(Map.of("timezone", "UTC"), progress::add));
      // 11 records (the blank line 7 is none): 5 loaded + 6 rejected
      assertEquals("stages.csv stages 4=4+0", line(report, 0));
      assertEquals("deals.csv deals 11=5+6", line(report, 1));
      assertEquals(List.of(
          // plain row: converted in SQL; pipeline and status from stage s1
          "b1|plain|p1|s1|open|10.50|USD|2024-05-01 10:00:00|NULL|false",
          // quoted comma, doubled quotes and CRLF inside the value; 'eur' upper-cased; date-only timestamp
          "b2|Quoted, \"two\"\r\nlines|p1|won|won|200.00|EUR|2024-05-02 00:00:00|2024-06-01 09:30:00|false",
          // flagged (3 decimals, an offset, YES) and accepted by the row rules: 7.125 -> 7.13, 10:00+02:00 = 08:00Z
          "b3|offset|p1|s2|open|7.13|USD|2024-05-03 08:00:00|NULL|true",
          // flagged (blanks around the amount) and accepted: the title keeps its blanks, LOST -> lost
          "b6| spaced amount |p1|lost|lost|99.99|USD|2024-05-07 08:00:00|2024-05-08 00:00:00|false",
          "b7|last without newline|p1|s1|open|0.50|USD|2024-05-09 23:59:59|NULL|true"), rows(store, DEALS));
      assertEquals(List.of(
          "files|deals.csv:10|deals|deal_id: duplicate key 'b1' (first on line 2)|b1,dup of plain,s1,,1,USD,2024-05-06,,",
          // the first b3 is a row SQL flagged and the row rules accepted: it still wins
          "files|deals.csv:11|deals|deal_id: duplicate key 'b3' (first on line 5)|b3,dup of flagged,s1,,1,USD,2024-05-06,,",
          // a flagged row the row rules accept loses to the earlier plain b2 (which spans lines 3-4)
          "files|deals.csv:12|deals|deal_id: duplicate key 'b2' (first on line 3)"
              + "|b2,flagged dup of plain,s1,,1.999,USD,2024-05-06,,",
          "files|deals.csv:6|deals|created_at: cannot parse '2024-02-30 10:00:00' as TIMESTAMP (expected "
              + "YYYY-MM-DD HH:MM:SS)|b4,bad date,s1,,1,USD,2024-02-30 10:00:00,,",
          // line 8, not 7: the blank line counts as a line but not as a row
          "files|deals.csv:8|deals|status: 'maybe' is not one of open, won, lost|b5,bad status,s1,maybe,1,USD,2024-05-05,,",
          "files|deals.csv:9|deals|deal_id: key column is empty|\"  \",blank key,s1,,1,USD,2024-05-05,,"),
          rows(store, REJECTS));
      assertEquals(11, report.totalRead() - 4);
      assertEquals(report.totalRead(), report.totalLoaded() + report.totalRejected());
      assertTrue(progress.contains("deals.csv: 11 rows (5 loaded, 6 rejected) [canonical-csv]"), progress.toString());
    }
  }

  /** Every canonical fixture gives the same rows and rejects through both readers (the row-by-row one is the reference). */
  @Test
  void bothReadersLoadAndRejectTheSameRows() throws Exception {
    for (String name : List.of("bulk", "basic", "quoting", "instants", "rejects", "plan")) {
      List<String> sql = new ArrayList<>();
      List<String> rowByRow = new ArrayList<>();
      for (boolean bulk : new boolean[] {true, false}) {
        try (Store store = Store.inMemory()) {
          LoadReport report = new FilesSource(fixture(name), List.of(new CanonicalCsvFormat(bulk)))
              .load(store, SourceContext.of(Map.of("timezone", "Europe/Berlin")));
          List<String> out = bulk ? sql : rowByRow;
          out.add(report.toString());
          out.addAll(rows(store, "SELECT * EXCLUDE (amount_base) FROM crm.deals ORDER BY deal_id"));
          out.addAll(rows(store, "SELECT * FROM crm.deal_stage_history ORDER BY ALL"));
          out.addAll(rows(store, "SELECT * FROM crm.stages ORDER BY stage_id"));
          out.addAll(rows(store, "SELECT * FROM crm.targets ORDER BY ALL"));
          // a load stamps the intervals it opens or closes with its own time: the readers differ there only
          out.addAll(rows(store, "SELECT * EXCLUDE (valid_from, valid_to), "
              + "CASE WHEN valid_from >= TIMESTAMP '2025-01-01' THEN 'load' ELSE CAST(valid_from AS VARCHAR) END, "
              + "CASE WHEN valid_to >= TIMESTAMP '2025-01-01' THEN 'load' ELSE CAST(valid_to AS VARCHAR) END "
              + "FROM crm.deal_snapshots ORDER BY ALL"));
          out.addAll(rows(store, "SELECT source, location, entity, reason, raw FROM crm.load_rejects ORDER BY ALL"));
        }
      }
      assertEquals(rowByRow, sql, name);
      assertTrue(sql.size() > 3, name);
    }
  }

  @Test
  void strictStopsAtTheFirstBadRowInFileOrderBeforeWritingAny(@TempDir Path dir) throws Exception {
    Files.copy(fixture("bulk").resolve("deals.csv"), dir.resolve("deals.csv"));
    try (Store store = Store.inMemory()) {
      SourceException e = assertThrows(SourceException.class,
          () -> new FilesSource(dir).load(store, SourceContext.of(Map.of("strict", "true"))));
      assertTrue(e.getMessage().startsWith("deals.csv:6: created_at: cannot parse '2024-02-30 10:00:00' as TIMESTAMP"),
          e.getMessage());
      assertEquals(List.of("0"), rows(store, "SELECT count(*) FROM crm.deals"));
    }
    // a duplicate is a bad row too: its line and the first one's
    Files.writeString(dir.resolve("deals.csv"), "deal_id,amount\nx1,1\nx2,2\n\"x1\",3\n", StandardCharsets.UTF_8);
    try (Store store = Store.inMemory()) {
      SourceException e = assertThrows(SourceException.class,
          () -> new FilesSource(dir).load(store, SourceContext.of(Map.of("strict", "true"))));
      assertTrue(e.getMessage().startsWith("deals.csv:4: deal_id: duplicate key 'x1' (first on line 2)"),
          e.getMessage());
    }
  }

  /** Status, pipeline and is_deleted are written by the INSERT itself, before any derivation runs. */
  @Test
  void dealsGetStageStatusPipelineAndNotDeletedOnInsert(@TempDir Path dir) throws Exception {
    Files.copy(fixture("bulk").resolve("stages.csv"), dir.resolve("stages.csv"));
    Files.writeString(dir.resolve("deals.csv"), "deal_id,stage_id,status,pipeline_id,is_deleted\n"
        + "a,won,,,\n" // all from the stage
        + "b,won,lost,p9,true\n" // the file wins
        + "c,nowhere,,,\n", // an unknown stage: left for the derivations
        StandardCharsets.UTF_8);
    CanonicalCsvFormat format = new CanonicalCsvFormat();
    try (Store store = Store.inMemory()) {
      try (LoadSession session = store.load("files")) {
        format.load(dir.resolve("stages.csv"), session, SourceContext.of(Map.of()));
      }
      try (LoadSession session = store.load("files")) {
        format.load(dir.resolve("deals.csv"), session, SourceContext.of(Map.of()));
      }
      assertEquals(List.of("a|p1|won|false", "b|p9|lost|true", "c|NULL|NULL|false"),
          rows(store, "SELECT deal_id, pipeline_id, status, is_deleted FROM crm.deals ORDER BY 1"));
    }
  }

  /**
   * A row with another number of values than the header is a row reject on the SQL path too (DuckDB's
   * reader sets it aside, the record index finds its line); a file whose structure DuckDB's reader
   * refuses otherwise (an unclosed quote) is left untouched for the row-by-row reader, which words the error.
   */
  @Test
  void wrongWidthRowsAreRejectedAndABrokenFileIsLeftToTheRowByRowReader(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("deals.csv");
    // line 6 is just "": no row (as for the row-by-row reader), d5 is on line 7
    Files.writeString(file, "deal_id,amount\nd1,1\nd2,2,surplus\n\"d3\",\"3\"\nd4\n\"\"\nd5,5\n",
        StandardCharsets.UTF_8);
    Table deals = CanonicalModel.require("deals");
    Column[] columns = {deals.column("deal_id").get(), deals.column("amount").get()};
    try (Store store = Store.inMemory(); LoadSession session = store.load("files")) {
      assertTrue(new CanonicalCsvBulkLoad(file, deals, columns, new CanonicalValueParser(java.time.ZoneOffset.UTC),
          session, SourceContext.of(Map.of())).load());
      session.flush();
      assertEquals("deals.csv deals 5=3+2", line(session.report(), 0));
      assertEquals(List.of(
          "deals.csv:3|expected 2 values as in the header, found 3|d2,2,surplus",
          "deals.csv:5|expected 2 values as in the header, found 1|d4"),
          rows(store, "SELECT location, reason, raw FROM crm.load_rejects ORDER BY location"));
      assertEquals(List.of("d1|1.00", "d3|3.00", "d5|5.00"),
          rows(store, "SELECT deal_id, amount FROM crm.deals ORDER BY 1"));
    }
    // strict: the wrong width is the first bad row
    try (Store store = Store.inMemory()) {
      SourceException e = assertThrows(SourceException.class,
          () -> new FilesSource(dir).load(store, SourceContext.of(Map.of("strict", "true"))));
      assertTrue(e.getMessage().startsWith("deals.csv:3: expected 2 values as in the header, found 3"), e.getMessage());
    }
    Files.writeString(file, "deal_id,amount\nd1,1\nd2,\"2\nd3,3\n", StandardCharsets.UTF_8);
    try (Store store = Store.inMemory(); LoadSession session = store.load("files")) {
      assertFalse(new CanonicalCsvBulkLoad(file, deals, columns, new CanonicalValueParser(java.time.ZoneOffset.UTC),
          session, SourceContext.of(Map.of())).load());
      session.flush();
      assertEquals(List.of("0|0"), rows(store, "SELECT (SELECT count(*) FROM crm.deals), "
          + "(SELECT count(*) FROM crm.load_rejects)"));
      assertTrue(session.report().lines().isEmpty());
    }
    try (Store store = Store.inMemory()) {
      SourceException e = assertThrows(SourceException.class,
          () -> new FilesSource(dir).load(store, SourceContext.of(Map.of())));
      assertTrue(e.getMessage().startsWith("deals.csv:3: malformed CSV"), e.getMessage());
    }
  }

  /**
   * A file whose rows are mostly flagged (every timestamp with an offset) is read row by row: judging
   * 12,000 rows one by one would cost more than the row-by-row reader. Nothing is written by the SQL
   * path; the format then loads every row, converted to the reporting zone.
   */
  @Test
  void aMostlyFlaggedFileIsLeftToTheRowByRowReader(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("deals.csv");
    StringBuilder b = new StringBuilder("deal_id,created_at\n");
    int n = (int) CanonicalCsvBulkLoad.MAX_FLAGGED + 2_000;
    for (int i = 0; i < n; i++) {
      b.append('d').append(i).append(",2024-03-01T10:00:00Z\n");
    }
    Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
    Table deals = CanonicalModel.require("deals");
    Column[] columns = {deals.column("deal_id").get(), deals.column("created_at").get()};
    SourceContext moscow = SourceContext.of(Map.of("timezone", "Europe/Moscow"));
    try (Store store = Store.inMemory(); LoadSession session = store.load("files")) {
      assertFalse(new CanonicalCsvBulkLoad(file, deals, columns, new CanonicalValueParser(moscow.timezone()), session,
          moscow).load());
      session.flush();
      assertEquals(List.of("0"), rows(store, "SELECT count(*) FROM crm.deals"));
    }
    try (Store store = Store.inMemory()) {
      LoadReport report = new FilesSource(dir).load(store, moscow);
      assertEquals("deals.csv deals " + n + "=" + n + "+0", line(report, 0));
      // 10:00Z is 13:00 in Moscow (UTC+3, no DST)
      assertEquals(List.of(n + "|2024-03-01 13:00:00|2024-03-01 13:00:00"), rows(store, "SELECT count(*), "
          + "strftime(min(created_at), '%Y-%m-%d %H:%M:%S'), strftime(max(created_at), '%Y-%m-%d %H:%M:%S') "
          + "FROM crm.deals"));
    }
  }

  /** A one-column file goes row by row: DuckDB's reader would take its blank line for a row of NULL. */
  @Test
  void aOneColumnFileSkipsItsBlankLines(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("marketing_spend.csv"), "amount\n12.5\n\n13\n", StandardCharsets.UTF_8);
    try (Store store = Store.inMemory()) {
      LoadReport report = new FilesSource(dir).load(store, SourceContext.of(Map.of()));
      assertEquals("marketing_spend.csv marketing_spend 2=2+0", line(report, 0));
      assertEquals(List.of("12.50", "13.00"), rows(store, "SELECT amount FROM crm.marketing_spend ORDER BY 1"));
    }
  }

  /** Tables with other key types and row rules: composite/date keys, survey scales, positive rates. */
  @Test
  void keysOfOtherTypesAndTableRules(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("fx_rates.csv"), "currency,rate_date,rate_to_base\n"
        + "usd,2024-01-01,90.5\n"
        + "USD,2024-01-01,91\n" // the same key once upper-cased: a duplicate
        + "EUR,2024-01-01,0\n" // not a positive rate
        + "EUR,2024-01-02,99.123456789\n", // 9 decimals: flagged, the row rules round to 8
        StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("survey_responses.csv"), "response_id,survey,score\n"
        + "r1,nps,10\nr2,CSAT,5\nr3,csat,6\nr4,nps,-1\nr5,nps,\n", StandardCharsets.UTF_8);
    try (Store store = Store.inMemory()) {
      LoadReport report = new FilesSource(dir).load(store, SourceContext.of(Map.of()));
      assertEquals("fx_rates.csv fx_rates 4=2+2", line(report, 0));
      assertEquals("survey_responses.csv survey_responses 5=3+2", line(report, 1));
      assertEquals(List.of("EUR|2024-01-02|99.12345679", "USD|2024-01-01|90.50000000"),
          rows(store, "SELECT currency, rate_date, rate_to_base FROM crm.fx_rates ORDER BY 1"));
      assertEquals(List.of("r1|nps|10", "r2|csat|5", "r5|nps|NULL"),
          rows(store, "SELECT response_id, survey, score FROM crm.survey_responses ORDER BY 1"));
      assertEquals(List.of(
          "fx_rates.csv:3|currency, rate_date: duplicate key 'USD/2024-01-01' (first on line 2)",
          "fx_rates.csv:4|rate_to_base: 0.00000000 is not a positive rate",
          "survey_responses.csv:4|score: 6 is outside the csat scale 1-5",
          "survey_responses.csv:5|score: -1 is outside the nps scale 0-10"),
          rows(store, "SELECT location, reason FROM crm.load_rejects ORDER BY location"));
    }
  }

  /** A big file reports how far reading and writing got while DuckDB works, as percentages. */
  @Test
  void bigFilesReportProgressWhileReadingAndWriting(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("deals.csv");
    StringBuilder b = new StringBuilder("deal_id,title,amount,created_at\n");
    for (int i = 0; i < 400_000; i++) {
      b.append('d').append(i).append(",Deal ").append(i).append(',').append(i % 1000).append(".25,2024-01-01 10:00:00\n");
    }
    Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
    Table deals = CanonicalModel.require("deals");
    Column[] columns = {deals.column("deal_id").get(), deals.column("title").get(), deals.column("amount").get(),
        deals.column("created_at").get()};
    List<String> progress = java.util.Collections.synchronizedList(new ArrayList<>());
    try (Store store = Store.inMemory(); LoadSession session = store.load("files")) {
      assertTrue(new CanonicalCsvBulkLoad(file, deals, columns, new CanonicalValueParser(java.time.ZoneOffset.UTC),
          session, new SourceContext(Map.of(), progress::add), 1).load());
      session.flush();
      assertEquals("deals.csv deals 400000=400000+0", line(session.report(), 0));
      // 400 x (0 + 1 + ... + 999) + 400,000 x 0.25 = 199,800,000 + 100,000
      assertEquals(List.of("400000|199900000.00"), rows(store, "SELECT count(*), sum(amount) FROM crm.deals"));
    }
    assertTrue(progress.stream().anyMatch(m -> m.matches("deals\\.csv: \\d{1,3}% read…")), progress.toString());
    assertTrue(progress.stream().allMatch(m -> m.matches("deals\\.csv: \\d{1,3}% (read|written)…")),
        progress.toString());
  }

  /**
   * A folder mixing a CRM export and a canonical deals file: the export's deals go through the load
   * session's appender (still uncommitted) while the canonical rows are inserted on DuckDB's own
   * connection, in either order; all of them end up in crm.deals once.
   */
  @Test
  void exportAndCanonicalDealsInOneFolderInEitherOrder(@TempDir Path dir) throws Exception {
    Path export = Path.of(StoreRows.class.getResource("/exports/hubspot/hubspot-crm-exports-all-deals-2023-04-03.csv")
        .toURI());
    for (String exportName : List.of("a-hubspot-deals.csv", "z-hubspot-deals.csv")) {
      Path folder = Files.createDirectories(dir.resolve(exportName.substring(0, 1)));
      Files.copy(export, folder.resolve(exportName));
      // c2's amount has 3 decimals: flagged, appended through the session like the export's rows
      Files.writeString(folder.resolve("deals.csv"), "deal_id,title,amount,currency\nc1,Canonical one,10,USD\n"
          + "c2,Canonical two,2.505,USD\n", StandardCharsets.UTF_8);
      try (Store store = Store.inMemory()) {
        LoadReport report = new FilesSource(folder).load(store, SourceContext.of(Map.of()));
        long exportDeals = report.lines().stream().filter(l -> l.input().equals(exportName))
            .filter(l -> l.entity().equals("deals")).mapToLong(LoadReport.Line::loaded).sum();
        assertEquals(5, exportDeals, report.toString());
        assertEquals(List.of("7|7"), rows(store, "SELECT count(*), count(DISTINCT deal_id) FROM crm.deals"));
        assertEquals(List.of("c1|10.00", "c2|2.51"),
            rows(store, "SELECT deal_id, amount FROM crm.deals WHERE deal_id LIKE 'c%' ORDER BY 1"));
      }
    }
  }

  private static String line(LoadReport report, int i) {
    LoadReport.Line l = report.lines().get(i);
    return l.input() + " " + l.entity() + " " + l.read() + "=" + l.loaded() + "+" + l.rejected();
  }
}
