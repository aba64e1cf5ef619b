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
      assertEquals(List.of(4L, 3L, 1L), List.of(report.totalRead(), report.totalLoaded(), report.totalRejected()));
      assertEquals(List.of(
          "1|won|1500.00|USD|2024-02-20T11:59|Negotiation|open|Alice Smith|Foo LLC|web forms|NULL",
          "2|lost|800.00|EUR|2024-03-05T09:00|Qualified|open|Bob Brown|NULL|unknown|Too expensive",
          "3|open|2000.00|USD|NULL|Qualified|open|Alice Smith|NULL|unknown|NULL"),
          rows(store, "SELECT d.deal_id, d.status, d.amount, d.currency, d.closed_at, s.name, s.kind, u.name, "
              + "c.name, d.channel, d.loss_reason FROM crm.deals d JOIN crm.stages s USING (stage_id) "
              + "JOIN crm.users u ON u.user_id = d.owner_user_id LEFT JOIN crm.companies c USING (company_id) "
              + "ORDER BY d.deal_id"));
      assertEquals("deals-export.csv:5|column 'Deal - Status' value 'archived' is not a deal status (open, won, lost)",
          one(store, "SELECT location, reason FROM crm.load_rejects"));
      assertEquals("Label|hot", one(store, "SELECT field_name, value FROM crm.custom_fields WHERE entity_id = '1' "
          + "AND field_name LIKE '%Label'").replace("Deal - ", ""));
    }
  }
}
