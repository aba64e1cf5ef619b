package io.crmkpi.pipedrive;

import static io.crmkpi.files.exports.ExportFixtures.fixture;
import static io.crmkpi.files.exports.ExportFixtures.load;
import static io.crmkpi.files.exports.ExportFixtures.one;
import static io.crmkpi.files.exports.ExportFixtures.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.crmkpi.store.Store;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipedriveExportFormatTest {

  @Test
  void statusColumnDecidesAndStagesStayOpen() throws Exception {
    try (Store store = Store.inMemory()) {
      var report = load(store, new PipedriveExportFormat(), fixture("pipedrive/deals-export.csv"), Map.of());
      assertEquals(List.of(5L, 3L, 2L), List.of(report.totalRead(), report.totalLoaded(), report.totalRejected()));
      assertEquals(List.of(
          "1|won|1500.00|USD|2024-02-20T11:59|Negotiation|open|Alice Smith|Foo LLC|web forms|NULL",
          "2|lost|800.00|EUR|2024-03-05T09:00|Qualified|open|Bob Brown|NULL|unknown|Too expensive",
          "3|open|2000.00|USD|NULL|Qualified|open|Alice Smith|NULL|unknown|NULL"),
          rows(store, "SELECT d.deal_id, d.status, d.amount, d.currency, d.closed_at, s.name, s.kind, u.name, "
              + "c.name, d.channel, d.loss_reason FROM crm.deals d JOIN crm.stages s USING (stage_id) "
              + "JOIN crm.users u ON u.user_id = d.owner_user_id LEFT JOIN crm.companies c USING (company_id) "
              + "ORDER BY d.deal_id"));
      assertEquals(List.of(
          "deals-export.csv:5|column 'Deal - Status' value 'archived' is not a deal status (open, won, lost)",
          "deals-export.csv:6|column 'Deal - Probability' value 'high' is not a number"),
          rows(store, "SELECT location, reason FROM crm.load_rejects ORDER BY location"));
      // expected close date (kept on closed deals: what Pipedrive has) and probability 0-100; deal 3 has no date
      assertEquals(List.of("1|2024-02-15|100.0", "2|2024-03-31|0.0", "3|NULL|60.0"),
          rows(store, "SELECT deal_id, expected_close_date, probability FROM crm.deals ORDER BY deal_id"));
      // a deal export has no stage probability (Pipedrive keeps it on the stage: stages.csv)
      assertEquals("0", one(store, "SELECT count(*) FROM crm.stages WHERE probability IS NOT NULL"));
      assertEquals("0", one(store, "SELECT count(*) FROM crm.custom_fields WHERE field_name IN "
          + "('Deal - Expected close date', 'Deal - Probability')"));
      assertEquals("Label|hot", one(store, "SELECT field_name, value FROM crm.custom_fields WHERE entity_id = '1' "
          + "AND field_name LIKE '%Label'").replace("Deal - ", ""));
    }
  }
}
