package io.crmkpi.salesforce;

import static io.crmkpi.files.exports.ExportFixtures.fixture;
import static io.crmkpi.files.exports.ExportFixtures.load;
import static io.crmkpi.files.exports.ExportFixtures.one;
import static io.crmkpi.files.exports.ExportFixtures.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.crmkpi.store.Store;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SalesforceExportFormatTest {

  @Test
  void latin1ReportWithFooterUsDatesAndMoneySigns() throws Exception {
    try (Store store = Store.inMemory()) {
      var report = load(store, new SalesforceExportFormat(), fixture("salesforce/report1716200000000.csv"), Map.of());
      // the five footer lines are not data rows
      assertEquals(List.of(5L, 4L, 1L), List.of(report.totalRead(), report.totalLoaded(), report.totalRejected()));
      assertEquals(List.of(
          "0065g00000AbCdEAA1|SG - Platform|won|12500.00|EUR|2024-01-05T00:00|2024-03-28T00:00|Sarah Connor"
              + "|Société Générale|Closed Won|won|web",
          "0065g00000AbCdFAA1|Cyberdyne - Pilot|open|8000.00|USD|2024-02-10T00:00|NULL|Kyle Reese|Cyberdyne"
              + "|Negotiation/Review|open|partner referral",
          "0065g00000AbCdGAA1|TN - Upgrade|lost|3000.50|USD|2024-01-20T00:00|2024-02-15T00:00|Sarah Connor"
              + "|Tech Noir|Closed Lost|lost|unknown",
          "0065g00000AbCdIAA1|TN - Training|open|2000.00|USD|2024-03-02T00:00|NULL|Kyle Reese|Tech Noir"
              + "|Qualification|open|web"),
          rows(store, "SELECT d.deal_id, d.title, d.status, d.amount, d.currency, d.created_at, d.closed_at, u.name, "
              + "c.name, s.name, s.kind, d.channel FROM crm.deals d JOIN crm.stages s USING (stage_id) "
              + "JOIN crm.users u ON u.user_id = d.owner_user_id JOIN crm.companies c USING (company_id) "
              + "ORDER BY d.deal_id"));
      // Close Date (US order) is the expected day, on closed deals what the CRM has; Probability (%) as is
      assertEquals(List.of("0065g00000AbCdEAA1|2024-03-28|100.0", "0065g00000AbCdFAA1|2024-06-30|90.0",
          "0065g00000AbCdGAA1|2024-02-15|0.0", "0065g00000AbCdIAA1|NULL|10.0"),
          rows(store, "SELECT deal_id, expected_close_date, probability FROM crm.deals ORDER BY deal_id"));
      assertEquals("report1716200000000.csv:5|column 'Probability (%)' value '150' is not a probability between 0 "
          + "and 100", one(store, "SELECT location, reason FROM crm.load_rejects"));
      assertEquals(List.of("Fiscal Period|Q1-2024"), rows(store, "SELECT field_name, value FROM crm.custom_fields "
          + "WHERE entity_id = '0065g00000AbCdEAA1'"));
    }
  }
}
