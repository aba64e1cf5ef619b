package io.crmkpi.hubspot;

import static io.crmkpi.files.exports.ExportFixtures.fixture;
import static io.crmkpi.files.exports.ExportFixtures.load;
import static io.crmkpi.files.exports.ExportFixtures.one;
import static io.crmkpi.files.exports.ExportFixtures.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmkpi.files.FileSample;
import io.crmkpi.files.FilesSource;
import io.crmkpi.files.exports.StableIds;
import io.crmkpi.source.SourceContext;
import io.crmkpi.source.SourceException;
import io.crmkpi.store.LoadReport;
import io.crmkpi.store.LoadSession;
import io.crmkpi.store.Store;
import io.crmkpi.store.StoreDerivations;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubSpotContactExportFormatTest {

  private static final Path ALL_DEALS = fixture("hubspot/hubspot-crm-exports-all-deals-2023-04-03.csv");
  private static final Path Q2_DEALS = fixture("hubspot/hubspot-crm-exports-q2-deals-2023-05-16.csv");
  private static final Path CONTACTS = fixture("hubspot/hubspot-crm-exports-all-contacts-2023-04-03.csv");
  private static final Path COMPANIES = fixture("hubspot/hubspot-crm-exports-all-companies-2023-04-03.csv");

  private static final String CONTACT_ROWS = "SELECT c.contact_id, c.name, c.email, c.phone, c.company_id, u.name, "
      + "c.channel, c.created_at, c.updated_at FROM crm.contacts c LEFT JOIN crm.users u "
      + "ON u.user_id = c.owner_user_id ORDER BY c.created_at";

  private static String counts(LoadReport report) {
    return String.join(",", report.lines().stream()
        .map(l -> l.entity() + "|" + l.read() + "|" + l.loaded() + "|" + l.rejected()).toList());
  }

  @Test
  void bomCrlfContactsKeyedByRecordId() throws Exception {
    try (Store store = Store.inMemory()) {
      assertEquals("contacts|6|3|3", counts(load(store, new HubSpotContactExportFormat(), CONTACTS, Map.of())));
      assertEquals(List.of(
          "7001|Ann Lee|ann@acme.com|+1 415 555 0100|5001|Mark Stringer|organic|2023-01-05T10:00|2023-03-01T09:00",
          // mojibake kept; of "5002;5003" the first company
          "7002|Liam O‚ÄôConnor|liam@beta.com|NULL|5002|Jane Doe|paid_search|2023-01-06T11:00|NULL",
          // no company id: by name, as no company export named Gamma LLC yet
          "7003|Bob Lee|NULL|+1 (650) 450-8812|" + StableIds.of("company", "Gamma LLC")
              + "|NULL|NULL|2023-01-07T12:00|NULL"),
          rows(store, CONTACT_ROWS));
      assertEquals(List.of(
          "contacts|hubspot-crm-exports-all-contacts-2023-04-03.csv:5|has no contact name",
          "contacts|hubspot-crm-exports-all-contacts-2023-04-03.csv:6|column 'Create Date' value '2023-02-30 10:00' "
              + "is not a date",
          "contacts|hubspot-crm-exports-all-contacts-2023-04-03.csv:7|duplicate id '7001' (first on line 2)"),
          rows(store, "SELECT entity, location, reason FROM crm.load_rejects ORDER BY location"));
      // the companies contacts name exist by their ids (name only)
      assertEquals(List.of("5001|Acme Inc", "5002|Beta, Inc.", StableIds.of("company", "Gamma LLC") + "|Gamma LLC"),
          rows(store, "SELECT company_id, name FROM crm.companies ORDER BY 1"));
      // the repeated "Associated Company" column kept under its own field id
      assertEquals(List.of("Associated Company_2|Acme Inc", "Lifecycle Stage|Customer", "Record ID|7001"),
          rows(store, "SELECT field_id, value FROM crm.custom_fields WHERE entity = 'contact' AND entity_id = '7001' "
              + "ORDER BY 1"));
    }
  }

  @Test
  void quotedLfCompaniesWithIndustryLabels() throws Exception {
    try (Store store = Store.inMemory()) {
      assertEquals("companies|4|3|1", counts(load(store, new HubSpotContactExportFormat(), COMPANIES, Map.of())));
      assertEquals(List.of("5001|Acme Inc|Machinery|Mark Stringer|2022-11-01T09:00",
          "5002|Beta, Inc.|Computer Software|Jane Doe|2022-12-01T10:00",
          "5004|Gamma LLC|NULL|NULL|2023-02-10T09:00"),
          rows(store, "SELECT c.company_id, c.name, c.industry, u.name, c.created_at FROM crm.companies c "
              + "LEFT JOIN crm.users u ON u.user_id = c.owner_user_id ORDER BY 1"));
      assertEquals("companies|hubspot-crm-exports-all-companies-2023-04-03.csv:5|has no company name",
          one(store, "SELECT entity, location, reason FROM crm.load_rejects"));
      assertEquals(List.of("Company Domain Name|acme.com", "Last Modified Date|2023-03-16 09:00",
          "Lifecycle Stage|Customer", "Phone Number|+1 415 555 0199", "Record ID|5001"),
          rows(store, "SELECT field_name, value FROM crm.custom_fields WHERE entity = 'company' AND entity_id = '5001' "
              + "ORDER BY 1"));
    }
  }

  @Test
  void companiesLoadedAfterContactsTakeOverTheNameIds() throws Exception {
    try (Store store = Store.inMemory()) {
      load(store, new HubSpotContactExportFormat(), CONTACTS, Map.of());
      load(store, new HubSpotContactExportFormat(), COMPANIES, Map.of());
      // Gamma LLC, named by Bob Lee's row, is now company 5004; nothing points at the name id any more
      assertEquals(List.of("7001|5001|Acme Inc|Machinery", "7002|5002|Beta, Inc.|Computer Software",
          "7003|5004|Gamma LLC|NULL"),
          rows(store, "SELECT c.contact_id, co.company_id, co.name, co.industry FROM crm.contacts c "
              + "JOIN crm.companies co USING (company_id) ORDER BY 1"));
      assertEquals("3", one(store, "SELECT count(*) FROM crm.companies"));
    }
  }

  @Test
  void xlsxContactsLinkToLoadedCompanies(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("hubspot-crm-exports-contacts-2024-01-02.xlsx");
    try (XSSFWorkbook wb = new XSSFWorkbook(); OutputStream out = Files.newOutputStream(file)) {
      Sheet sh = wb.createSheet("Contacts");
      CellStyle dateStyle = wb.createCellStyle();
      dateStyle.setDataFormat(wb.getCreationHelper().createDataFormat().getFormat("yyyy-mm-dd hh:mm"));
      String[] head = {"Record ID", "First Name", "Last Name", "Email", "Create Date", "Associated Company",
          "Associated Company IDs", "Job Title"};
      Row h = sh.createRow(0);
      for (int i = 0; i < head.length; i++) {
        h.createCell(i).setCellValue(head[i]);
      }
      Row r1 = sh.createRow(1);
      r1.createCell(0).setCellValue(8001);
      r1.createCell(1).setCellValue("Kim");
      r1.createCell(2).setCellValue("Park");
      r1.createCell(3).setCellValue("kim@gamma.io");
      r1.createCell(4).setCellValue(LocalDateTime.of(2024, 1, 2, 9, 15));
      r1.getCell(4).setCellStyle(dateStyle);
      r1.createCell(6).setCellValue(5004);
      r1.createCell(7).setCellValue("CTO");
      Row r2 = sh.createRow(2);
      r2.createCell(0).setCellValue(8002);
      r2.createCell(1).setCellValue("Sam");
      r2.createCell(4).setCellValue("2024-01-03 10:00");
      r2.createCell(5).setCellValue("Beta, Inc.");
      Row r3 = sh.createRow(3);
      r3.createCell(0).setCellValue(8003);
      r3.createCell(1).setCellValue("Ray");
      r3.createCell(4).setCellValue("soon");
      wb.write(out);
    }
    assertTrue(new HubSpotContactExportFormat().detect(FileSample.of(file)) > 0);
    try (Store store = Store.inMemory()) {
      load(store, new HubSpotContactExportFormat(), COMPANIES, Map.of());
      assertEquals("contacts|3|2|1", counts(load(store, new HubSpotContactExportFormat(), file, Map.of())));
      // by id (the numeric cell 5004) and, without an id, by the loaded company's name
      assertEquals(List.of("8001|Kim Park|kim@gamma.io|Gamma LLC|2024-01-02T09:15",
          "8002|Sam|NULL|Beta, Inc.|2024-01-03T10:00"),
          rows(store, "SELECT c.contact_id, c.name, c.email, co.name, c.created_at FROM crm.contacts c "
              + "JOIN crm.companies co USING (company_id) ORDER BY 1"));
      assertEquals("contacts|hubspot-crm-exports-contacts-2024-01-02.xlsx:4|column 'Create Date' value 'soon' "
          + "is not a date",
          one(store, "SELECT entity, location, reason FROM crm.load_rejects WHERE entity = 'contacts'"));
      assertEquals("3", one(store, "SELECT count(*) FROM crm.companies"));
    }
  }

  /** The joins of both deal exports with the contact and company exports, checked by hand. */
  private static void assertJoined(Store store) throws Exception {
    assertEquals(List.of(
        "9001|5001|Acme Inc|Machinery|NULL|NULL|NULL",
        "9002|5002|Beta, Inc.|Computer Software|NULL|NULL|NULL",
        "9003|NULL|NULL|NULL|NULL|NULL|NULL",
        "9004|NULL|NULL|NULL|NULL|NULL|NULL",
        "9006|NULL|NULL|NULL|NULL|NULL|NULL",
        // the q2 export names contacts only: linked to their record ids, and through them to their companies
        "9101|NULL|NULL|NULL|7002|Liam O‚ÄôConnor|Beta, Inc.",
        "9102|NULL|NULL|NULL|7001|Ann Lee|Acme Inc",
        "9103|NULL|NULL|NULL|NULL|NULL|NULL"),
        rows(store, "SELECT d.deal_id, d.company_id, co.name, co.industry, d.contact_id, c.name, cc.name "
            + "FROM crm.deals d LEFT JOIN crm.companies co ON co.company_id = d.company_id "
            + "LEFT JOIN crm.contacts c ON c.contact_id = d.contact_id "
            + "LEFT JOIN crm.companies cc ON cc.company_id = c.company_id ORDER BY d.deal_id"));
    assertEquals(List.of("5001", "5002", "5004"), rows(store, "SELECT company_id FROM crm.companies ORDER BY 1"));
    assertEquals(List.of("7001|5001", "7002|5002", "7003|5004"),
        rows(store, "SELECT contact_id, company_id FROM crm.contacts ORDER BY 1"));
    // leads (every HubSpot deal is one) follow too
    assertEquals("9102|7001", one(store, "SELECT lead_id, contact_id FROM crm.leads WHERE contact_id IS NOT NULL "
        + "AND lead_id = '9102'"));
    // won: 9001 (375000, Acme Inc) and 9102 (800, contact Ann Lee); 9004 has no party
    assertEquals(List.of("company:5001|company|Acme Inc|1|375000.00|Machinery",
        "contact:7001|contact|Ann Lee|1|800.00|NULL"),
        rows(store, "SELECT cu.customer_id, cu.kind, cu.name, cu.orders, cu.revenue_base, co.industry "
            + "FROM crm.customers cu LEFT JOIN crm.companies co ON cu.customer_id = 'company:' || co.company_id "
            + "ORDER BY 1"));
  }

  @Test
  void folderOfDealsContactsAndCompaniesJoins(@TempDir Path dir) throws Exception {
    for (Path f : List.of(ALL_DEALS, Q2_DEALS, CONTACTS, COMPANIES)) {
      Files.copy(f, dir.resolve(f.getFileName()));
    }
    try (Store store = Store.inMemory()) {
      LoadReport report = new FilesSource(dir).load(store, SourceContext.of(Map.of()));
      assertEquals(List.of(
          "hubspot-crm-exports-all-companies-2023-04-03.csv|companies|4|1",
          "hubspot-crm-exports-all-contacts-2023-04-03.csv|contacts|6|3",
          "hubspot-crm-exports-all-deals-2023-04-03.csv|deals|6|1", // 9005: probability 1.5 of 0-1
          "hubspot-crm-exports-q2-deals-2023-05-16.csv|deals|3|0"),
          report.lines().stream().filter(l -> !l.entity().equals("leads"))
              .map(l -> l.input() + "|" + l.entity() + "|" + l.read() + "|" + l.rejected()).sorted().toList());
      assertJoined(store);
    }
  }

  @Test
  void dealsLoadedFirstAreRepointedToTheRecordIds() throws Exception {
    try (Store store = Store.inMemory()) {
      try (LoadSession session = store.load("files")) {
        SourceContext context = SourceContext.of(Map.of());
        new HubSpotExportFormat().load(ALL_DEALS, session, context);
        new HubSpotExportFormat().load(Q2_DEALS, session, context);
        new HubSpotContactExportFormat().load(CONTACTS, session, context);
        new HubSpotContactExportFormat().load(COMPANIES, session, context);
      }
      StoreDerivations.apply(store, Optional.empty());
      assertJoined(store);
    }
  }

  @Test
  void aDealNamingTwoCompaniesOfOneNameLinksTheSameInEitherOrder(@TempDir Path dir) throws Exception {
    Path companies = dir.resolve("hubspot-crm-exports-companies-2024-01-02.csv");
    Files.writeString(companies, "Record ID,Company name,Create Date\r\n5010,Acme Inc,2023-01-01 10:00\r\n"
        + "987,Acme Inc,2023-01-02 10:00\r\n");
    Path deals = dir.resolve("hubspot-crm-exports-deals-2024-01-02.csv");
    Files.writeString(deals, "Record ID,Deal Name,Deal Stage,Associated Company\r\n1,Renewal,Closed won,Acme Inc\r\n");
    for (boolean dealsFirst : List.of(false, true)) {
      try (Store store = Store.inMemory()) {
        try (LoadSession session = store.load("files")) {
          SourceContext context = SourceContext.of(Map.of());
          if (dealsFirst) {
            new HubSpotExportFormat().load(deals, session, context);
          }
          new HubSpotContactExportFormat().load(companies, session, context);
          if (!dealsFirst) {
            new HubSpotExportFormat().load(deals, session, context);
          }
        }
        // of record ids 5010 and 987 the smaller number, whichever file loaded first
        assertEquals("987", one(store, "SELECT company_id FROM crm.deals"), "deals first: " + dealsFirst);
        assertEquals(List.of("987|2023-01-02T10:00", "5010|2023-01-01T10:00"),
            rows(store, "SELECT company_id, created_at FROM crm.companies ORDER BY length(company_id), 1"));
      }
    }
  }

  @Test
  void strictModeNamesFileAndLine() throws Exception {
    try (Store store = Store.inMemory(); LoadSession session = store.load("files")) {
      SourceException e = assertThrows(SourceException.class, () -> new HubSpotContactExportFormat().load(
          CONTACTS, session, SourceContext.of(Map.of("strict", "true"))));
      assertTrue(e.getMessage().startsWith("hubspot-crm-exports-all-contacts-2023-04-03.csv:5: has no contact name; "
          + "fix the row"), e.getMessage());
    }
  }
}
