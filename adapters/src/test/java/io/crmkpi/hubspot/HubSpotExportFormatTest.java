package io.crmkpi.hubspot;

import static io.crmkpi.files.exports.ExportFixtures.fixture;
import static io.crmkpi.files.exports.ExportFixtures.load;
import static io.crmkpi.files.exports.ExportFixtures.one;
import static io.crmkpi.files.exports.ExportFixtures.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.crmkpi.store.Store;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubSpotExportFormatTest {

  private static final String DEALS = "SELECT d.deal_id, d.title, d.status, d.amount, d.created_at, d.closed_at, "
      + "u.name, p.name, s.name, s.kind, d.company_id, d.channel, d.loss_reason FROM crm.deals d "
      + "LEFT JOIN crm.users u ON u.user_id = d.owner_user_id JOIN crm.pipelines p USING (pipeline_id) "
      + "JOIN crm.stages s ON s.stage_id = d.stage_id ORDER BY d.deal_id";

  @Test
  void bomCrlfVariantWithClosedFlagProbabilityAndDuplicateHeader() throws Exception {
    try (Store store = Store.inMemory()) {
      var report = load(store, new HubSpotExportFormat(),
          fixture("hubspot/hubspot-crm-exports-all-deals-2023-04-03.csv"), Map.of());
      assertEquals(List.of(6L, 5L, 1L), List.of(report.totalRead(), report.totalLoaded(), report.totalRejected()));
      assertEquals(List.of(
          "9001|Acme renewal|won|375000.00|2023-01-10T08:00|2023-03-15T14:30|Mark Stringer|Sales Pipeline"
              + "|Closed won|won|5001|organic|NULL",
          // open: the "Close Date" of an open deal is only expected, never a close
          "9002|Beta, Inc. expansion|open|45362.12|2023-02-01T12:00|NULL|Jane Doe|Sales Pipeline|Contract sent"
              + "|open|5002|paid_search|NULL",
          // custom stage labels: closed with probability 0 is lost, with probability 1 won
          "9003|Gamma pilot|lost|11015.00|2023-02-15T09:30|2023-03-01T10:00|Mark Stringer|Sales Pipeline"
              + "|Opportunity identified|lost|NULL|direct|Budget cut",
          "9004|Delta deal|won|2000.00|2023-03-01T08:00|2023-03-30T16:45|Jane Doe|Enterprise|Verbal yes|won"
              + "|NULL|unknown|NULL",
          "9006|Zeta|open|700.00|2023-03-05T08:00|NULL|Jane Doe|Sales Pipeline|Appointment scheduled|open"
              + "|NULL|unknown|NULL"),
          rows(store, DEALS));
      assertEquals(List.of("5001|Acme Inc", "5002|Beta, Inc."),
          rows(store, "SELECT company_id, name FROM crm.companies ORDER BY 1"));
      // the second "Associated Company" column is kept, under a distinct field id
      assertEquals("Associated Company_2|Beta, Inc.", one(store, "SELECT field_id, value FROM crm.custom_fields "
          + "WHERE entity_id = '9002' AND field_name = 'Associated Company'"));
      assertEquals("5", one(store, "SELECT count(*) FROM crm.leads WHERE converted_deal_id = lead_id"));
      // won deals become orders of their company (or of nobody when the export has none)
      assertEquals("company:5001|1|375000.00", one(store,
          "SELECT customer_id, orders, revenue_base FROM crm.customers"));
    }
  }

  @Test
  void closeDateIsTheExpectedDayAndProbabilitiesArePercentsOfTheStage() throws Exception {
    try (Store store = Store.inMemory()) {
      // times of the file in Tokyo, reported in Los Angeles: closed_at moves, the expected day does not
      load(store, new HubSpotExportFormat(), fixture("hubspot/hubspot-crm-exports-all-deals-2023-04-03.csv"),
          Map.of("timezone", "America/Los_Angeles", "export_timezone", "Asia/Tokyo"));
      // 2023-03-15 14:30 JST = 05:30 UTC = 2023-03-14 22:30 PDT; "Deal probability" 0-1 -> 0-100
      assertEquals(List.of("9001|2023-03-14T22:30|2023-03-15|100.0", "9002|NULL|2023-06-30|90.0",
          "9003|2023-02-28T17:00|2023-03-01|0.0", "9004|2023-03-30T00:45|2023-03-30|100.0", "9006|NULL|NULL|20.0"),
          rows(store, "SELECT deal_id, closed_at, expected_close_date, probability FROM crm.deals ORDER BY 1"));
      assertEquals("hubspot-crm-exports-all-deals-2023-04-03.csv:6|column 'Deal probability' value '1.5' is not a "
          + "probability between 0 and 1", one(store, "SELECT location, reason FROM crm.load_rejects"));
      // "Deal probability" is the stage's (hs_deal_stage_probability): the stages get it too
      assertEquals(List.of("Enterprise|Verbal yes|100.0", "Sales Pipeline|Appointment scheduled|20.0",
          "Sales Pipeline|Closed won|100.0", "Sales Pipeline|Contract sent|90.0",
          "Sales Pipeline|Opportunity identified|0.0"), rows(store, "SELECT p.name, s.name, s.probability "
          + "FROM crm.stages s JOIN crm.pipelines p USING (pipeline_id) ORDER BY 1, 2"));
    }
  }

  @Test
  void quotedLfVariantUsesStageLabels() throws Exception {
    try (Store store = Store.inMemory()) {
      load(store, new HubSpotExportFormat(), fixture("hubspot/hubspot-crm-exports-q2-deals-2023-05-16.csv"),
          Map.of());
      assertEquals(List.of("9101|lost|1200.50|2023-05-10T10:00", "9102|won|800.00|2023-05-12T15:00",
          "9103|open|NULL|NULL"),
          rows(store, "SELECT deal_id, status, amount, closed_at FROM crm.deals ORDER BY deal_id"));
      // mojibake is kept as-is; of a multi-valued association the first is the deal's contact
      assertEquals(List.of("9101|Liam O‚ÄôConnor", "9102|Ann Lee"), rows(store,
          "SELECT d.deal_id, c.name FROM crm.deals d JOIN crm.contacts c USING (contact_id) ORDER BY 1"));
      // default stage order: the open stage first, won and lost after
      assertEquals(List.of("Appointment scheduled|open|1", "Closed Won|won|2", "Closed Lost|lost|3"),
          rows(store, "SELECT name, kind, sort_order FROM crm.stages ORDER BY sort_order"));
      // no probability column: neither deals nor stages have one; Close Date still gives the expected day
      assertEquals(List.of("9101|2023-05-10|NULL", "9102|2023-05-12|NULL", "9103|2023-07-01|NULL"),
          rows(store, "SELECT deal_id, expected_close_date, probability FROM crm.deals ORDER BY 1"));
      assertEquals("0", one(store, "SELECT count(*) FROM crm.stages WHERE probability IS NOT NULL"));
    }
  }

  @Test
  void xlsxExport(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("hubspot-crm-exports-deals-2024-01-02.xlsx");
    try (XSSFWorkbook wb = new XSSFWorkbook(); OutputStream out = Files.newOutputStream(file)) {
      var sh = wb.createSheet("Deals");
      String[] head = {"Record ID", "Deal Name", "Deal Stage", "Amount", "Create Date", "Close Date", "Is Deal Closed?"};
      Row h = sh.createRow(0);
      for (int i = 0; i < head.length; i++) {
        h.createCell(i).setCellValue(head[i]);
      }
      Row r = sh.createRow(1);
      r.createCell(0).setCellValue(12345678901.0);
      r.createCell(1).setCellValue("Big one");
      r.createCell(2).setCellValue("Closed won");
      r.createCell(3).setCellValue(11015.0);
      r.createCell(4).setCellValue("2023-12-01 09:00");
      r.createCell(5).setCellValue("2023-12-20 17:05");
      r.createCell(6).setCellValue(true);
      wb.write(out);
    }
    try (Store store = Store.inMemory()) {
      load(store, new HubSpotExportFormat(), file, Map.of());
      assertEquals("12345678901|won|11015.00|2023-12-20T17:05",
          one(store, "SELECT deal_id, status, amount, closed_at FROM crm.deals"));
    }
  }
}
