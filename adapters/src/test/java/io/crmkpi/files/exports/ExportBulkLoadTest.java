package io.crmkpi.files.exports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmkpi.amocrm.AmoCrmExportFormat;
import io.crmkpi.bitrix24.Bitrix24ExportFormat;
import io.crmkpi.hubspot.HubSpotExportFormat;
import io.crmkpi.model.CanonicalModel;
import io.crmkpi.model.Table;
import io.crmkpi.pipedrive.PipedriveExportFormat;
import io.crmkpi.salesforce.SalesforceExportFormat;
import io.crmkpi.source.SourceContext;
import io.crmkpi.source.SourceException;
import io.crmkpi.store.LoadSession;
import io.crmkpi.store.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bulk path (DuckDB's CSV reader + SQL) loads exactly what the row path loads: every canonical
 * table, every reject (line, reason, raw row) and the report, for each CRM's fixture and for files
 * full of the quirks that make rows leave the plain path.
 */
class ExportBulkLoadTest {

  @TempDir
  Path dir;

  static Stream<Arguments> fixtures() {
    return Stream.of(
        Arguments.of(new AmoCrmExportFormat(), "amocrm/amocrm_export_leads_2024-05-20.csv", true),
        Arguments.of(new Bitrix24ExportFormat(), "bitrix24/deals_utf8.csv", true),
        Arguments.of(new Bitrix24ExportFormat(), "bitrix24/deals_cp1251.csv", true),
        Arguments.of(new Bitrix24ExportFormat(), "bitrix24/deals_excel.xls", true), // HTML, streamed to a CSV
        Arguments.of(new HubSpotExportFormat(), "hubspot/hubspot-crm-exports-all-deals-2023-04-03.csv", true),
        Arguments.of(new HubSpotExportFormat(), "hubspot/hubspot-crm-exports-q2-deals-2023-05-16.csv", true),
        Arguments.of(new PipedriveExportFormat(), "pipedrive/deals-export.csv", true),
        Arguments.of(new SalesforceExportFormat(), "salesforce/report1716200000000.csv", true)); // footer cut
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("fixtures")
  void everyCrmFixtureLoadsAlikeBothWays(ExportFormatSupport format, String fixture, boolean bulk) throws Exception {
    Path file = ExportFixtures.fixture(fixture);
    for (Map<String, String> props : List.of(Map.<String, String>of(), Map.of("timezone", "Europe/Moscow"))) {
      Result rows = load(format, file, props, false);
      Result sql = load(format, file, props, true);
      assertEquals(bulk, sql.bulk, fixture + " went through the bulk path");
      assertFalse(rows.tables.get("deals").isEmpty() && rows.tables.get("leads").isEmpty(), fixture + " loaded rows");
      assertEquals(rows.tables, sql.tables, fixture + " " + props);
      assertEquals(rows.report, sql.report, fixture + " report");
    }
  }

  /** A HubSpot export whose rows each carry one quirk (values the plain path leaves to the row rules). */
  private Path quirks() throws Exception {
    String header = "Record ID,Deal Name,Deal Stage,Close Date,Deal owner,Amount,Currency,Last Modified Date,"
        + "Create Date,Deal probability,Is Deal Closed?,Associated Company,Associated Company IDs,"
        + "Original Source Type,Deal Type,Notes\r\n";
    String[] rows = {
        "1,Plain,Closed won,2024-01-10 10:00,Ann Lee,1500.50,USD,2024-01-11 09:00,2024-01-02 08:00,1.0,true,"
            + "Acme,501,Organic Search,newbusiness,  padded note  ",
        "2,Grouped amount,Contract sent,2024-06-30,Bob Ray,\"1 000,50\",,2024-02-01 10:00,2024-01-05 08:30,0.8,false,"
            + "\"Beta;Gamma\",\"502;503\",Paid Search,,",
        "3,Sign and code,Closed lost,2024-02-10 10:00,ann lee,\"$1,200.00\",,2024-02-11 09:00,2024-01-06 08:00,0,true,"
            + "Acme,,Referrals,existingbusiness,",
        "4,Bad amount,Contract sent,,Ann Lee,12abc,,2024-02-01 10:00,2024-01-07 08:00,0.5,false,,,,,",
        "1,Duplicate of 1,Closed won,2024-01-10 10:00,Ann Lee,10,USD,2024-01-11 09:00,2024-01-02 08:00,1.0,true,,,,,",
        "5,Offset time,Appointment scheduled,,Cy Dot,20,,2024-03-01T10:00:00Z,2024-02-01 08:00,20%,false,,,"
            + "Direct Traffic,,",
        "6,Unknown closed flag,Closed won,,Ann Lee,30,,,2024-02-02 08:00,1,maybe,,,,,",
        ",No id,Closed won,,Ann Lee,30,,,2024-02-02 08:00,1,true,,,,,",
        ",,,,,,,,,,,,,,,",
        "7,\"Title with\r\nline break\",Qualified to buy,,  Dee Fox ,40,eur,,2024-02-03 08:00,0.4,false,Delta,,"
            + "Email Marketing,,x",
        "8,Currency name,Closed won,2024-02-10,Ann Lee,50,руб.,,2024-02-04 08:00,1,true,,,,,",
        "9,Custom stage closed,Signed off,2024-02-12 10:00,Ann Lee,60.5,,,2024-02-05 08:00,1,true,,,,,",
        "10,Slash date,Closed lost,2/13/2024,Ann Lee,70,,,2024-02-05 08:00,0,true,,,,,",
        "11.0,Zero fraction id,Contract sent,,Ann Lee,80,,,2024-02-05 08:00,0.75,false,Acme,,,,",
        "4,Duplicate of a bad row,Contract sent,,Ann Lee,90,,,2024-02-05 08:00,0.5,false,,,,,",
        "12,Not closed,Closed lost,-,Ann Lee,,,2024-02-09 08:00,2024-02-05 08:00,0,true,,,,,",
        "13,Three decimals,Contract sent,,Ann Lee,1.005,,,2024-02-05 08:00,0.125,false,,,,,",
        "14,Out of range,Contract sent,2024-03-31,Ann Lee,10,,,2024-02-05 08:00,1.5,false,,,,,",
        "15,Offset close,Contract sent,2024-03-31T23:30:00+03:00,Ann Lee,10,,,2024-02-05 08:00,0.5,false,,,,,",
    };
    Path file = dir.resolve("hubspot-crm-exports-quirks-2024-03-01.csv");
    Files.writeString(file, "\uFEFF" + header + String.join("\r\n", rows) + "\r\n\r\n", StandardCharsets.UTF_8);
    return file;
  }

  @Test
  void quirkRowsAreJudgedByTheRowRulesAndLoadAlike() throws Exception {
    Path file = quirks();
    Result rows = load(new HubSpotExportFormat(), file, Map.of(), false);
    Result sql = load(new HubSpotExportFormat(), file, Map.of(), true);
    assertTrue(sql.bulk);
    assertEquals(rows.tables, sql.tables);
    assertEquals(rows.report, sql.report);
    // worked out by hand: 19 rows, one blank (not counted); rejected: 4 (bad amount), the second 1 and 4
    // (duplicates), 6 (maybe), the empty id, 14 (probability 1.5 of 0-1); 10 (2/13/2024 reads as a US date) loads
    // (lines: the header is line 1, the title with a line break takes lines 11-12; sorted as text)
    assertEquals(List.of(
        "quirks:17|duplicate id '4' (first on line 5)",
        "quirks:20|column 'Deal probability' value '1.5' is not a probability between 0 and 1",
        "quirks:5|column 'Amount' value '12abc' is not a number",
        "quirks:6|duplicate id '1' (first on line 2)",
        "quirks:8|column 'Is Deal Closed?' value 'maybe' is not yes/no",
        "quirks:9|column 'Record ID' (the id) is empty"),
        sql.tables.get("load_rejects").stream().map(ExportBulkLoadTest::shortReject).toList());
    assertEquals(List.of(file.getFileName() + "|deals|12|6"), sql.report);
    List<String> deals = sql.tables.get("deals");
    assertTrue(deals.stream().anyMatch(d -> d.startsWith("2|Grouped amount|") && d.contains("|1000.50|")), deals::toString);
    assertTrue(deals.stream().anyMatch(d -> d.startsWith("3|Sign and code|") && d.contains("|1200.00|USD|")),
        deals::toString);
    assertTrue(deals.stream().anyMatch(d -> d.startsWith("11|Zero fraction id|")), deals::toString);
    assertTrue(deals.stream().anyMatch(d -> d.startsWith("13|Three decimals|") && d.contains("|1.01|")),
        deals::toString);
    // the day as written, whatever its offset; probabilities of 0-1 as percents, "20%" a percent already
    try (Store store = Store.inMemory()) {
      loadInto(store, new HubSpotExportFormat(), file, Map.of(), true);
      assertEquals(List.of("1|2024-01-10|100.0", "10|2024-02-13|0.0", "11|NULL|75.0", "12|NULL|0.0", "13|NULL|12.5",
          "15|2024-03-31|50.0", "2|2024-06-30|80.0", "3|2024-02-10|0.0", "5|NULL|20.0", "7|NULL|40.0",
          "8|2024-02-10|100.0", "9|2024-02-12|100.0"), ExportFixtures.rows(store,
          "SELECT deal_id, expected_close_date, probability FROM crm.deals ORDER BY 1"));
    }
  }

  @Test
  void strictStopsAtTheFirstBadRowWithTheRowPathsMessageAndWritesNothing() throws Exception {
    Path file = quirks();
    SourceException rows = assertThrows(SourceException.class,
        () -> load(new HubSpotExportFormat(), file, Map.of("strict", "true"), false));
    Store store = Store.inMemory();
    SourceException sql = assertThrows(SourceException.class, () -> loadInto(store, new HubSpotExportFormat(), file,
        Map.of("strict", "true"), true));
    assertEquals(rows.getMessage(), sql.getMessage());
    assertTrue(sql.getMessage().startsWith(file.getFileName() + ":5: column 'Amount' value '12abc'"), sql.getMessage());
    assertEquals(List.of("0"), ExportFixtures.rows(store, "SELECT count(*) FROM crm.deals"));
  }

  @Test
  void timesInTheReportingZonesSpringForwardGapAreMovedAsTheRowPathMovesThem() throws Exception {
    Path file = dir.resolve("hubspot-crm-exports-gap-2024-04-01.csv");
    Files.writeString(file, "Record ID,Deal Name,Deal Stage,Create Date,Last Modified Date,Is Deal Closed?\n"
        + "1,In the gap,Closed won,2024-03-31 02:30,2024-03-31 02:59,true\n"
        + "2,After it,Closed won,2024-03-31 03:30,2024-04-01 00:00,true\n", StandardCharsets.UTF_8);
    Map<String, String> berlin = Map.of("timezone", "Europe/Berlin");
    Result rows = load(new HubSpotExportFormat(), file, berlin, false);
    Result sql = load(new HubSpotExportFormat(), file, berlin, true);
    assertTrue(sql.bulk);
    assertEquals(rows.tables, sql.tables);
    // 02:30 does not exist in Berlin on 2024-03-31: java.time reads it as 03:30
    assertTrue(sql.tables.get("deals").get(0).contains("|2024-03-31T03:30|"), sql.tables.get("deals").toString());
  }

  @Test
  void timesOfAnotherZoneAreMovedToTheReportingZoneAsTheRowPathMovesThem() throws Exception {
    // Berlin wall clock: winter, summer, the spring-forward gap, the fall-back hour (twice), a date
    // alone, a time before 1900 (flagged: the row path reads it), then the same in US order
    Path file = dir.resolve("hubspot-crm-exports-zones-2024-11-01.csv");
    Files.writeString(file, "Record ID,Deal Name,Deal Stage,Create Date,Close Date,Is Deal Closed?\n"
        + "1,Winter,Closed won,2024-01-15 10:00,2024-01-20,true\n"
        + "2,Summer,Closed won,2024-07-15 10:00:30,2024-07-20 23:30,true\n"
        + "3,In the gap,Closed won,2024-03-31 02:30,2024-03-31 03:00,true\n"
        + "4,Twice,Closed won,2024-10-27 02:30,2024-10-27 03:00,true\n"
        + "5,Old,Closed won,1899-06-01 12:00,2024-01-02,true\n"
        + "6,Slashed,Closed won,7/15/2024 10:00 PM,12/31/2024 11:30 PM,true\n", StandardCharsets.UTF_8);
    // (file zone, reporting zone): regions, and fixed offsets (ICU has no "+03:00": shifted by arithmetic)
    for (String[] zones : List.of(new String[] {"Europe/Berlin", "UTC"}, new String[] {"Europe/Berlin", "Europe/Moscow"},
        new String[] {"Europe/Berlin", "Europe/Berlin"}, new String[] {"Europe/Berlin", "America/New_York"},
        new String[] {"Europe/Berlin", "+03:00"}, new String[] {"-05:30", "Europe/Moscow"},
        new String[] {"UTC+3", "+05:30"})) {
      String report = zones[1];
      Map<String, String> props = Map.of("export_timezone", zones[0], "timezone", report);
      Result rows = load(new HubSpotExportFormat(), file, props, false);
      Result sql = load(new HubSpotExportFormat(), file, props, true);
      assertTrue(sql.bulk, String.join(" to ", zones));
      assertEquals(rows.tables, sql.tables, String.join(" to ", zones));
      assertEquals(rows.report, sql.report, String.join(" to ", zones));
      if (zones[1].equals("+05:30")) {
        // by hand: UTC+3 to +05:30 is 2.5 hours later, whatever the date; a date alone stays
        assertTrue(sql.tables.get("deals").get(0).contains("|2024-01-15T12:30|2024-01-20T00:00|"),
            sql.tables.get("deals").get(0));
      }
      if (report.equals("UTC")) {
        // by hand: CET is UTC+1, CEST UTC+2; 02:30 on 2024-03-31 does not exist (java.time: 03:30 CEST =
        // 01:30 UTC); 02:30 on 2024-10-27 happens twice (the earlier, CEST: 00:30 UTC); a date stays
        List<String> deals = sql.tables.get("deals");
        assertTrue(deals.get(0).contains("|2024-01-15T09:00|2024-01-20T00:00|"), deals.get(0));
        assertTrue(deals.get(1).contains("|2024-07-15T08:00:30|2024-07-20T21:30|"), deals.get(1));
        assertTrue(deals.get(2).contains("|2024-03-31T01:30|2024-03-31T01:00|"), deals.get(2));
        assertTrue(deals.get(3).contains("|2024-10-27T00:30|2024-10-27T02:00|"), deals.get(3));
        assertTrue(deals.get(5).contains("|2024-07-15T20:00|2024-12-31T22:30|"), deals.get(5));
      }
    }
  }

  @Test
  void aMappedFileWithDatePatternsAndItsOwnZoneLoadsAlikeBothWays() throws Exception {
    Path file = dir.resolve("orders.csv");
    Files.writeString(file, "No;Deal;Stage;Created;Closed\n"
        + "1;A;Paid;05/03/2024 10:00;06/03/2024\n"
        + "2;B;New;31/12/2023 23:30;\n"
        + "3;C;Paid;2024-03-31 02:30;31/03/2024 22:15\n"
        + "4;D;New;31/02/2024 10:00;\n", StandardCharsets.UTF_8);
    ExportProfile mapped = new ExportProfile("mapping").datePattern("dd/MM/yyyy HH:mm").datePattern("dd/MM/yyyy")
        .fileZone(java.time.ZoneId.of("Europe/Moscow")).stageKind("Paid", "won")
        .column(ExportProfile.Field.ID, "No").column(ExportProfile.Field.TITLE, "Deal")
        .column(ExportProfile.Field.STAGE, "Stage").column(ExportProfile.Field.CREATED_AT, "Created")
        .column(ExportProfile.Field.CLOSED_AT, "Closed");
    Result rows;
    try (Store store = Store.inMemory()) {
      rows = loadInto(store, mapped, file, Map.of(), false);
    }
    Result sql;
    try (Store store = Store.inMemory()) {
      sql = loadInto(store, mapped, file, Map.of(), true);
    }
    assertTrue(sql.bulk);
    assertEquals(rows.tables, sql.tables);
    // by hand: Moscow is UTC+3; 05/03 is 5 March (the pattern, not the US order); 31/02 is no date
    List<String> deals = sql.tables.get("deals");
    assertTrue(deals.get(0).contains("|2024-03-05T07:00|2024-03-06T00:00|"), deals.get(0));
    assertTrue(deals.get(1).contains("|2023-12-31T20:30|"), deals.get(1));
    assertTrue(deals.get(2).contains("|2024-03-30T23:30|2024-03-31T19:15|"), deals.get(2));
    assertEquals(List.of("orders.csv:5|column 'Created' value '31/02/2024 10:00' is not a date"),
        sql.tables.get("load_rejects").stream().map(r -> r.split("\\|")[1] + "|" + r.split("\\|")[3]).toList());
  }

  @Test
  void amountsWithTheirCurrencyLoadAlikeBothWays() throws Exception {
    // Salesforce-style amounts: sign or code in the cell, and a currency column that wins when set
    Path file = dir.resolve("hubspot-crm-exports-money-2024-05-01.csv");
    Files.writeString(file, "Record ID,Deal Name,Deal Stage,Amount,Currency,Create Date\n"
        + "1,Sign,Closed won,\"$1,200.00\",,2024-01-10 10:00\n"
        + "2,Code,Closed won,\"USD 8,000.00\",,2024-01-11 10:00\n"
        + "3,Euro,Closed won,\u20AC12.5,,2024-01-12 10:00\n"
        + "4,Column wins,Closed won,$99,EUR,2024-01-13 10:00\n"
        + "5,Roubles,Closed won,1 000 руб.,,2024-01-14 10:00\n"
        + "6,Not money,Closed won,12abc,,2024-01-15 10:00\n"
        + "7,Plain,Closed won,70,,2024-01-16 10:00\n", StandardCharsets.UTF_8);
    Result rows = load(new HubSpotExportFormat(), file, Map.of(), false);
    Result sql = load(new HubSpotExportFormat(), file, Map.of(), true);
    assertTrue(sql.bulk);
    assertEquals(rows.tables, sql.tables);
    assertEquals(rows.report, sql.report);
    // by hand: amount and currency of each row; 12abc is not a number
    List<String> deals = sql.tables.get("deals");
    assertTrue(deals.get(0).contains("|1200.00|USD|"), deals.get(0));
    assertTrue(deals.get(1).contains("|8000.00|USD|"), deals.get(1));
    assertTrue(deals.get(2).contains("|12.50|EUR|"), deals.get(2));
    assertTrue(deals.get(3).contains("|99.00|EUR|"), deals.get(3));
    assertTrue(deals.get(4).contains("|1000.00|RUB|"), deals.get(4));
    assertTrue(deals.get(5).startsWith("7|Plain|") && deals.get(5).contains("|70.00|"), deals.get(5));
    assertEquals(List.of("hubspot-crm-exports-money-2024-05-01.csv:7|column 'Amount' value '12abc' is not a number"),
        sql.tables.get("load_rejects").stream().map(r -> r.split("\\|")[1] + "|" + r.split("\\|")[3]).toList());
  }

  @Test
  void aReportsFooterIsCutAsTheRowPathCutsIt() throws Exception {
    // a Salesforce report in windows-1252: a row with one value left, a last row whose note runs
    // over two lines, a blank line, then the footer (name, copyright, "Generated By")
    String header = "\"Opportunity Owner\",\"Account Name\",\"Opportunity Name\",\"Stage\",\"Amount\","
        + "\"Close Date\",\"Created Date\",\"Opportunity ID\",\"Notes\"\r\n";
    String body = "\"Sarah Connor\",\"Soci\u00e9t\u00e9 G\u00e9n\u00e9rale\",\"SG\",\"Closed Won\",\"\u20ac12,500.00\","
        + "\"3/28/2024\",\"1/5/2024\",\"006A1\",\"\"\r\n"
        + "\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"006A2\",\"\"\r\n"
        + "\"Kyle Reese\",\"Cyberdyne\",\"Pilot\",\"Negotiation/Review\",\"USD 8,000.00\",\"6/30/2024\","
        + "\"2/10/2024\",\"006A3\",\"call back\r\nnext week\"\r\n";
    String footer = "\r\n\"SF Opportunities report\"\r\n\"Copyright (c) 2000-2024 salesforce.com, inc.\"\r\n"
        + "\"Generated By:  Sarah Connor  5/20/2024 9:15 AM\"\r\n";
    Path file = dir.resolve("report1716200000001.csv");
    Files.write(file, (header + body + footer).getBytes(java.nio.charset.Charset.forName("windows-1252")));
    // by hand: the footer starts after the last record (header 1 line, records 1, 1, 2 lines)
    String text = header + body + footer;
    assertEquals((header + body).length(), ReportFooter.start(text, ','));
    // no footer text, or a quote that may end a multi-line value: nothing is cut
    assertEquals((header + body).length(), ReportFooter.start(header + body, ','));
    assertEquals((header + body + "\"Total\"\r\n").length(),
        ReportFooter.start(header + body + "\"Total\"\r\n", ','));
    String open = header + "\"a\",\"b\",\"c\",\"d\",\"1\",\"\",\"\",\"9\",\"x\r\nGenerated by hand\"\r\n";
    assertEquals(open.length(), ReportFooter.start(open, ','));

    Result rows = load(new SalesforceExportFormat(), file, Map.of(), false);
    Result sql = load(new SalesforceExportFormat(), file, Map.of(), true);
    assertTrue(sql.bulk);
    assertEquals(rows.tables, sql.tables);
    assertEquals(rows.report, sql.report);
    // by hand: 3 rows read (the footer is not), the one with only an id has no stage; 2 deals load
    assertEquals(List.of(file.getFileName() + "|deals|" + sql.tables.get("deals").size() + "|"
        + sql.tables.get("load_rejects").size()), sql.report);
    assertEquals(3, sql.tables.get("deals").size() + sql.tables.get("load_rejects").size());
    assertTrue(sql.tables.get("deals").stream().anyMatch(d -> d.startsWith("006A1|SG|") && d.contains("|12500.00|EUR|")),
        sql.tables.get("deals").toString());
  }

  @Test
  void aWorkbookReportsFooterIsLeftOutAsTheRowPathLeavesItOut() throws Exception {
    for (boolean withFooterText : List.of(true, false)) {
      Path file = dir.resolve("report171620000000" + (withFooterText ? "2" : "3") + ".xlsx");
      try (var wb = new org.apache.poi.xssf.usermodel.XSSFWorkbook(); var out = Files.newOutputStream(file)) {
        var sheet = wb.createSheet("Report");
        String[][] rows = {
            {"Opportunity Owner", "Opportunity Name", "Stage", "Amount", "Created Date", "Opportunity ID"},
            {"Sarah Connor", "SG", "Closed Won", "$12,500.00", "1/5/2024", "006B1"},
            {"", "", "", "", "", "006B2"},
            {"Kyle Reese", "Pilot", "Negotiation/Review", "USD 8,000.00", "2/10/2024", "006B3"},
            {"", "", "", "", "", "006B4"},
            {},
            {"SF Opportunities report"},
            {withFooterText ? "Copyright (c) 2000-2024 salesforce.com, inc." : "Internal"},
        };
        for (int i = 0; i < rows.length; i++) {
          var row = sheet.createRow(i);
          for (int j = 0; j < rows[i].length; j++) {
            row.createCell(j).setCellValue(rows[i][j]);
          }
        }
        wb.write(out);
      }
      Result rows = load(new SalesforceExportFormat(), file, Map.of(), false);
      Result sql = load(new SalesforceExportFormat(), file, Map.of(), true);
      assertTrue(sql.bulk, file.toString());
      assertEquals(rows.tables, sql.tables, file.toString());
      assertEquals(rows.report, sql.report, file.toString());
      // by hand: with footer text the one-value rows at the end (006B4 and the two lines) are dropped;
      // without it they stay: 3 rows read, or 6
      int read = sql.tables.get("deals").size() + sql.tables.get("load_rejects").size();
      assertEquals(withFooterText ? 3 : 6, read, sql.tables.toString());
    }
  }

  @Test
  void anUnknownExportZoneIsAClearErrorBothWays() throws Exception {
    Path file = dir.resolve("hubspot-crm-exports-zone-2024-05-01.csv");
    Files.writeString(file, "Record ID,Deal Name,Deal Stage,Create Date\n1,A,Closed won,2024-01-10 10:00\n",
        StandardCharsets.UTF_8);
    for (boolean bulk : List.of(false, true)) {
      SourceException e = assertThrows(SourceException.class,
          () -> load(new HubSpotExportFormat(), file, Map.of("export_timezone", "Mars/Olympus"), bulk));
      assertEquals("export_timezone: expected an IANA time zone such as Europe/Moscow or UTC, got 'Mars/Olympus'",
          e.getMessage());
    }
  }

  @Test
  void aBigFileWithScatteredQuirksLoadsAlikeBothWays() throws Exception {
    Path file = dir.resolve("hubspot-crm-exports-all-deals-2024-05-01.csv");
    Random r = new Random(11);
    StringBuilder b = new StringBuilder("\uFEFFRecord ID,Deal Name,Deal Stage,Close Date,Deal owner,Amount,"
        + "Last Modified Date,Create Date,Pipeline,Deal probability,Is Deal Closed?,Associated Company,"
        + "Associated Company IDs,Original Source Type,Deal Type\r\n");
    String[] stages = {"Appointment scheduled", "Qualified to buy", "Contract sent", "Closed won", "Closed lost"};
    String[] sources = {"Organic Search", "Paid Search", "Direct Traffic", "", "Referrals"};
    for (int i = 1; i <= 20_000; i++) {
      int st = r.nextInt(stages.length);
      int quirk = r.nextInt(200);
      String amount = quirk == 0 ? "\"1,234.5\"" : quirk == 1 ? "n/a" : r.nextInt(100_000) + "." + r.nextInt(100);
      String id = quirk == 2 ? String.valueOf(i - 1) : String.valueOf(i);
      String created = quirk == 3 ? "3/4/2023 10:00 AM" : String.format("2023-%02d-%02d %02d:%02d", 1 + r.nextInt(12),
          1 + r.nextInt(28), r.nextInt(24), r.nextInt(60));
      int company = r.nextInt(500);
      b.append(id).append(",Deal ").append(i).append(',').append(stages[st]).append(",2024-01-15 12:00,Owner ")
          .append(r.nextInt(20)).append(',').append(amount).append(",2024-01-20 08:00,").append(created)
          .append(",Sales Pipeline,").append(st == 3 ? "1.0" : st == 4 ? "0" : "0.4").append(',').append(st >= 3)
          .append(',').append(company % 4 == 0 ? "" : "\"Company " + company + "\"").append(',')
          .append(company % 2 == 0 ? "" : String.valueOf(9000 + company)).append(',')
          .append(sources[r.nextInt(sources.length)]).append(',').append(quirk == 4 ? "  renewal " : "")
          .append("\r\n");
    }
    Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
    Result rows = load(new HubSpotExportFormat(), file, Map.of(), false);
    Result sql = load(new HubSpotExportFormat(), file, Map.of(), true);
    assertTrue(sql.bulk);
    assertEquals(rows.report, sql.report);
    assertEquals(rows.tables, sql.tables);
    assertTrue(sql.tables.get("load_rejects").size() > 50, "quirks rejected: " + sql.tables.get("load_rejects").size());
  }

  @Test
  void aBitrix24LineWithoutItsTrailingSeparatorSendsTheFileToTheRowPath() throws Exception {
    // the row path reads both lines as rows of the header's width; DuckDB's reader sets the second aside
    Path file = dir.resolve("deals.csv");
    Files.writeString(file, "\uFEFF\"ID\";\"Название\";\"Стадия сделки\";\"Сумма\";\"Дата создания\";\n"
        + "\"1\";\"Поставка\";\"Сделка успешна\";\"100.00\";\"10.01.2024 09:00:00\";\n"
        + "\"2\";\"Монтаж\";\"Новая\";\"200.00\";\"11.01.2024 09:00:00\"\n", StandardCharsets.UTF_8);
    Result rows = load(new Bitrix24ExportFormat(), file, Map.of(), false);
    Result sql = load(new Bitrix24ExportFormat(), file, Map.of(), true);
    assertFalse(sql.bulk);
    assertEquals(rows.tables, sql.tables);
    assertEquals(List.of("deals.csv|deals|2|0"), sql.report);
  }

  @Test
  void aFileOfMostlyUnusualValuesIsLeftToTheRowPath() throws Exception {
    // every amount written with a typographic minus (U+2212): all 12,000 rows would be judged one by
    // one anyway
    Path file = dir.resolve("hubspot-crm-exports-all-deals-2024-06-01.csv");
    StringBuilder b = new StringBuilder("Record ID,Deal Name,Deal Stage,Amount,Create Date\n");
    for (int i = 1; i <= 12_000; i++) {
      b.append(i).append(",Deal ").append(i).append(",Closed won,\u22121").append(100 + i % 900).append(".00,")
          .append("2024-01-").append(10 + i % 20).append(" 10:00\n");
    }
    Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
    Result rows = load(new HubSpotExportFormat(), file, Map.of(), false);
    Result sql = load(new HubSpotExportFormat(), file, Map.of(), true);
    assertFalse(sql.bulk);
    assertEquals(rows.tables, sql.tables);
    assertTrue(sql.tables.get("deals").get(0).contains("|-1101.00|"), sql.tables.get("deals").get(0));
  }

  @Test
  void aLeadExportLoadsLeadsAlikeBothWays() throws Exception {
    // Bitrix24's lead export layout: statuses as names, currency names, a comment column
    Path file = dir.resolve("LEAD_20240301.csv");
    Files.writeString(file, "\uFEFF\"ID\";\"Название лида\";\"Статус лида\";\"Сумма\";\"Валюта\";\"Ответственный\";"
        + "\"Дата создания\";\"Дата изменения\";\"Источник\";\"Название компании\";\"Комментарий\";\n"
        + "\"11\";\"Заявка с сайта\";\"Качественный лид\";\"5000.00\";\"Российский рубль\";\"Анна Смирнова\";"
        + "\"01.03.2024 10:00:00\";\"02.03.2024 11:00:00\";\"Веб-сайт\";\"ООО Вектор\";\"перезвонить\";\n"
        + "\"12\";\"Звонок\";\"Некачественный лид\";\"\";\"\";\"Анна Смирнова\";"
        + "\"01.03.2024 12:00:00\";\"01.03.2024 12:30:00\";\"Звонок\";\"\";\"\";\n"
        + "\"13\";\"Новая заявка\";\"Новый\";\"1 200,50\";\"USD\";\"  Олег Ким \";"
        + "\"02.03.2024 09:15\";\"\";\"\";\"ИП Ким\";\"\";\n", StandardCharsets.UTF_8);
    ExportProfile leads = new ExportProfile("bitrix24").entity("lead").decimalSeparator('.')
        .column(ExportProfile.Field.ID, "ID").column(ExportProfile.Field.TITLE, "Название лида")
        .column(ExportProfile.Field.STAGE, "Статус лида").column(ExportProfile.Field.AMOUNT, "Сумма")
        .column(ExportProfile.Field.CURRENCY, "Валюта").column(ExportProfile.Field.OWNER, "Ответственный")
        .column(ExportProfile.Field.CREATED_AT, "Дата создания").column(ExportProfile.Field.UPDATED_AT, "Дата изменения")
        .column(ExportProfile.Field.SOURCE, "Источник").column(ExportProfile.Field.COMPANY, "Название компании");
    Result rows;
    try (Store store = Store.inMemory()) {
      rows = loadInto(store, leads, file, Map.of(), false);
    }
    Result sql;
    try (Store store = Store.inMemory()) {
      sql = loadInto(store, leads, file, Map.of(), true);
    }
    assertTrue(sql.bulk);
    assertEquals(rows.tables, sql.tables);
    assertEquals(List.of("LEAD_20240301.csv|leads|3|0"), sql.report);
    // by hand: a good lead is converted, a bad one junk, a new one open; no deals
    assertEquals(List.of("converted", "junk", "open"),
        sql.tables.get("leads").stream().map(l -> l.split("\\|")[4]).toList());
    assertTrue(sql.tables.get("deals").isEmpty());
    assertEquals(1, sql.tables.get("custom_fields").size(), sql.tables.get("custom_fields").toString());
  }

  @Test
  void aMappedFileWithItsOwnSeparatorsCurrencyStagesAndChannelsLoadsAlikeBothWays() throws Exception {
    // what a mapping file gives a profile: ';', decimal comma with '.' thousands, a default currency,
    // stage kinds and channel names of its own; plus stage_kinds from the connection
    Path file = dir.resolve("sales.csv");
    Files.writeString(file, "Номер;Сделка;Этап;Сумма;Создана;Откуда;Менеджер\n"
        + "1;Кухня;Оплачено;1500,50;05.03.2024 10:00;Авито;Иван\n"
        + "2;Шкаф;Замер;1.500,50;06.03.2024 11:00;Сайт;Иван\n"
        + "3;Стол;Отказ;700;07.03.2024;;Мария\n"
        + "4;Полка;Договор;12,5;08.03.2024 09:30;авито;мария\n", StandardCharsets.UTF_8);
    ExportProfile mapped = new ExportProfile("mapping").decimalSeparator(',').thousandsSeparator('.')
        .defaultCurrency("RUB").defaultPipeline("Мебель").stageKind("Оплачено", "won").stageKind("Отказ", "lost")
        .channel("Авито", "classifieds").stageOrder("Замер", "Договор")
        .column(ExportProfile.Field.ID, "Номер").column(ExportProfile.Field.TITLE, "Сделка")
        .column(ExportProfile.Field.STAGE, "Этап").column(ExportProfile.Field.AMOUNT, "Сумма")
        .column(ExportProfile.Field.CREATED_AT, "Создана").column(ExportProfile.Field.SOURCE, "Откуда")
        .column(ExportProfile.Field.OWNER, "Менеджер");
    Map<String, String> props = Map.of("stage_kinds", "Договор:won");
    Result rows;
    try (Store store = Store.inMemory()) {
      rows = loadInto(store, mapped, file, props, false);
    }
    Result sql;
    try (Store store = Store.inMemory()) {
      sql = loadInto(store, mapped, file, props, true);
    }
    assertTrue(sql.bulk);
    assertEquals(rows.tables, sql.tables);
    // by hand: 1.500,50 is 1500.50 (declared thousands '.'), amounts in RUB, Авито and авито are one channel
    List<String> deals = sql.tables.get("deals");
    assertTrue(deals.get(1).startsWith("2|Шкаф|") && deals.get(1).contains("|1500.50|RUB|"), deals.get(1));
    assertTrue(deals.get(0).contains("|classifieds|") && deals.get(3).contains("|classifieds|"), deals.toString());
    assertTrue(deals.get(3).contains("|won|"), deals.get(3));
  }

  @Test
  void aWindows1251OrUtf16FileIsReadThroughAUtf8CopyWithItsOwnLinesAndTheCopyIsDeleted() throws Exception {
    String text = "\"ID\";\"Название\";\"Стадия сделки\";\"Сумма\";\"Дата создания\";\n"
        + "\"1\";\"Поставка «под ключ»\";\"Сделка успешна\";\"100.00\";\"10.01.2024 09:00:00\";\n"
        + "\"2\";\"Монтаж\nв два этапа\";\"Новая\";\"двести\";\"11.01.2024 09:00:00\";\n"
        + "\"1\";\"Повтор\";\"Новая\";\"300.00\";\"12.01.2024 09:00:00\";\n";
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    for (var charset : List.of(ExportText.CP1251, StandardCharsets.UTF_16LE)) {
      Path file = dir.resolve("deals-" + charset.name() + ".csv");
      byte[] body = text.getBytes(charset);
      byte[] bytes = body;
      if (charset == StandardCharsets.UTF_16LE) { // with its BOM, as Excel's "Unicode text" writes it
        bytes = new byte[body.length + 2];
        bytes[0] = (byte) 0xFF;
        bytes[1] = (byte) 0xFE;
        System.arraycopy(body, 0, bytes, 2, body.length);
      }
      Files.write(file, bytes);
      long copiesBefore = copies(tmp);
      Result rows = load(new Bitrix24ExportFormat(), file, Map.of(), false);
      Result sql = load(new Bitrix24ExportFormat(), file, Map.of(), true);
      assertTrue(sql.bulk, charset.name());
      assertEquals(rows.tables, sql.tables, charset.name());
      assertEquals(copiesBefore, copies(tmp), "the UTF-8 copy is deleted");
      // by hand: line 3 (its title spans lines 3-4) has a bad amount, line 5 repeats id 1 of line 2
      assertEquals(List.of(file.getFileName() + ":3|column 'Сумма' value 'двести' is not a number",
          file.getFileName() + ":5|duplicate id '1' (first on line 2)"), sql.tables.get("load_rejects").stream()
          .map(r -> r.split("\\|")[1] + "|" + r.split("\\|")[3]).toList());
      assertTrue(sql.tables.get("deals").get(0).contains("Поставка «под ключ»"), sql.tables.get("deals").get(0));
    }
  }

  @Test
  void aWorkbookIsReadThroughACsvCopyWithTheSheetsRowNumbers() throws Exception {
    Path file = dir.resolve("hubspot-crm-exports-all-deals-2024-07-01.xlsx");
    try (var wb = new org.apache.poi.xssf.usermodel.XSSFWorkbook(); var out = Files.newOutputStream(file)) {
      var sheet = wb.createSheet("Deals");
      var dateStyle = wb.createCellStyle();
      dateStyle.setDataFormat(wb.getCreationHelper().createDataFormat().getFormat("yyyy-mm-dd hh:mm"));
      Object[][] rows = {
          {"Record ID", "Deal Name", "Deal Stage", "Amount", "Create Date", "Deal owner", "Notes"},
          {101.0, "Numbers as cells", "Closed won", 1500.5, java.time.LocalDateTime.of(2024, 6, 1, 9, 30), "Ann Lee",
              "multi\nline"},
          {102.0, "Text cells", "Contract sent", "1,200.00", "2024-06-02 10:00", " Bob Ray ", ""},
          {103.0, "Bad date", "Contract sent", 10.0, "yesterday", "Ann Lee", null},
          {101.0, "Repeated id", "Closed won", 5.0, "2024-06-03 10:00", "Ann Lee", null},
          {104.0, "Extra cell", "Closed lost", 7.0, "2024-06-04 10:00", "Ann Lee", "x", "beyond the header"},
      };
      for (int i = 0; i < rows.length; i++) {
        var row = sheet.createRow(i == 0 ? 0 : i + 1); // a blank sheet row 2: rows keep their sheet numbers
        for (int j = 0; j < rows[i].length; j++) {
          Object v = rows[i][j];
          if (v instanceof Double d) {
            row.createCell(j).setCellValue(d);
          } else if (v instanceof java.time.LocalDateTime t) {
            row.createCell(j).setCellValue(t);
            row.getCell(j).setCellStyle(dateStyle);
          } else if (v != null) {
            row.createCell(j).setCellValue((String) v);
          }
        }
      }
      wb.write(out);
    }
    long copiesBefore = copies(Path.of(System.getProperty("java.io.tmpdir")));
    Result rows = load(new HubSpotExportFormat(), file, Map.of(), false);
    Result sql = load(new HubSpotExportFormat(), file, Map.of(), true);
    assertTrue(sql.bulk);
    assertEquals(rows.tables, sql.tables);
    assertEquals(rows.report, sql.report);
    assertEquals(copiesBefore, copies(Path.of(System.getProperty("java.io.tmpdir"))));
    // by hand: sheet rows 5 (bad date), 6 (id 101 again, first on row 3), 7 (one cell beyond the header)
    String name = file.getFileName().toString();
    assertEquals(List.of(name + ":5|column 'Create Date' value 'yesterday' is not a date",
        name + ":6|duplicate id '101' (first on line 3)",
        name + ":7|has 8 columns, the header has 7"),
        sql.tables.get("load_rejects").stream().map(r -> r.split("\\|")[1] + "|" + r.split("\\|")[3]).toList());
    assertTrue(sql.tables.get("deals").get(0).startsWith("101|Numbers as cells|"), sql.tables.get("deals").get(0));
    assertTrue(sql.tables.get("deals").get(0).contains("|1500.50|"), sql.tables.get("deals").get(0));
  }

  @Test
  void anHtmlExportIsStreamedThroughACsvCopyWithItsOwnLines() throws Exception {
    // Bitrix24's "Excel" export: an HTML table in windows-1251, a row spread over two lines, an
    // entity and a no-break space in cells, a short row, a bad amount, a repeated id
    Path file = dir.resolve("DEAL_20240701_excel.xls");
    String html = "<meta http-equiv=\"Content-type\" content=\"text/html;charset=windows-1251\" />\n"
        + "<table border=\"1\">\n<thead>\n<tr>\n"
        + "<th>ID</th><th>Название</th><th>Стадия сделки</th><th>Сумма</th><th>Дата создания</th><th>Ответственный</th>\n"
        + "</tr>\n</thead>\n<tbody>\n"
        + "<tr><td>1</td><td>Поставка &amp; монтаж</td><td>Сделка успешна</td><td>1&nbsp;500.50</td>"
        + "<td>10.01.2024 09:00:00</td><td>Иван Петров</td></tr>\n"
        + "<tr><td>2</td><td>Аудит</td><td>Новая</td>\n<td>abc</td><td>11.01.2024 09:00:00</td><td>Иван Петров</td></tr>\n"
        + "<tr><td>3</td><td>Короткая</td><td>Новая</td></tr>\n"
        + "<tr><td>1</td><td>Повтор</td><td>Новая</td><td>5</td><td>12.01.2024 09:00:00</td><td>Иван Петров</td></tr>\n"
        + "<tr><td>4</td><td>Обучение</td><td>В работе</td><td>700</td><td>13.01.2024 09:00:00</td><td> Анна Орлова </td></tr>\n"
        + "</tbody>\n</table>\n";
    Files.write(file, html.getBytes(java.nio.charset.Charset.forName("windows-1251")));
    long copiesBefore = copies(Path.of(System.getProperty("java.io.tmpdir")));
    Result rows = load(new Bitrix24ExportFormat(), file, Map.of(), false);
    Result sql = load(new Bitrix24ExportFormat(), file, Map.of(), true);
    assertTrue(sql.bulk);
    assertEquals(rows.tables, sql.tables);
    assertEquals(rows.report, sql.report);
    assertEquals(copiesBefore, copies(Path.of(System.getProperty("java.io.tmpdir"))));
    // by hand: the header <tr> is on line 4, id 1 on 9, id 2 on 10 (its cells run on to 11), the short row on
    // 12, the repeated id on 13; raw = the cells joined by a tab
    String name = file.getFileName().toString();
    assertEquals(List.of(name + ":10|column 'Сумма' value 'abc' is not a number|2\tАудит\tНовая\tabc\t"
            + "11.01.2024 09:00:00\tИван Петров",
        name + ":12|has 3 columns, the header has 6|3\tКороткая\tНовая",
        name + ":13|duplicate id '1' (first on line 9)|1\tПовтор\tНовая\t5\t12.01.2024 09:00:00\tИван Петров"),
        sql.tables.get("load_rejects").stream().map(r -> r.split("\\|")[1] + "|" + r.split("\\|")[3] + "|"
            + r.split("\\|")[4]).toList());
    assertEquals(List.of(name + "|deals|2|3"), sql.report);
    assertTrue(sql.tables.get("deals").get(0).startsWith("1|Поставка & монтаж|"), sql.tables.get("deals").get(0));
    assertTrue(sql.tables.get("deals").get(0).contains("|1500.50|"), sql.tables.get("deals").get(0));
  }

  private static long copies(Path tmp) throws Exception {
    try (var files = Files.list(tmp)) {
      return files.filter(f -> f.getFileName().toString().startsWith("crmkpi-export-")).count();
    }
  }

  private static String shortReject(String row) {
    // source|location|entity|reason|raw
    String[] p = row.split("\\|");
    return p[1].replaceAll("^hubspot-crm-exports-(quirks)-2024-03-01\\.csv", "$1") + "|" + p[3];
  }

  /** What a load left: every crm table's rows (sorted; load_rejects without their time) and the report. */
  record Result(Map<String, List<String>> tables, List<String> report, boolean bulk) {
  }

  private static Result load(ExportFormatSupport format, Path file, Map<String, String> props, boolean bulk)
      throws Exception {
    try (Store store = Store.inMemory()) {
      return loadInto(store, format, file, props, bulk);
    }
  }

  private static Result loadInto(Store store, ExportFormatSupport format, Path file, Map<String, String> props,
      boolean bulk) throws Exception {
    return loadInto(store, format.profile(SourceContext.of(props)), file, props, bulk);
  }

  private static Result loadInto(Store store, ExportProfile profile, Path file, Map<String, String> props,
      boolean bulk) throws Exception {
    SourceContext context = SourceContext.of(props);
    ExportLoader loader = new ExportLoader(profile, bulk);
    List<String> report = new ArrayList<>();
    try (LoadSession session = store.load("files")) {
      loader.load(file, session, context);
      session.report().lines().forEach(l -> report.add(l.input() + "|" + l.entity() + "|" + l.loaded() + "|"
          + l.rejected()));
    }
    Map<String, List<String>> tables = new LinkedHashMap<>();
    for (Table t : CanonicalModel.tables()) {
      String cols = t.name().equals("load_rejects") ? "source, location, entity, reason, raw" : "*";
      tables.put(t.name(), ExportFixtures.rows(store, "SELECT " + cols + " FROM crm." + t.name() + " ORDER BY ALL"));
    }
    return new Result(tables, report, loader.bulkLoaded());
  }
}
