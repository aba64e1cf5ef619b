package io.crmkpi.bitrix24;

import static io.crmkpi.files.exports.ExportFixtures.fixture;
import static io.crmkpi.files.exports.ExportFixtures.load;
import static io.crmkpi.files.exports.ExportFixtures.one;
import static io.crmkpi.files.exports.ExportFixtures.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.crmkpi.store.LoadReport;
import io.crmkpi.store.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Bitrix24ExportFormatTest {

  private static final String DEALS = "SELECT d.deal_id, d.title, d.status, d.amount, d.currency, d.created_at, "
      + "d.closed_at, u.name, p.name, s.name, d.channel FROM crm.deals d "
      + "LEFT JOIN crm.users u ON u.user_id = d.owner_user_id JOIN crm.pipelines p USING (pipeline_id) "
      + "JOIN crm.stages s ON s.stage_id = d.stage_id ORDER BY CAST(d.deal_id AS INTEGER)";

  @Test
  void quotedSemicolonCsvWithBomAndMultiLineValue() throws Exception {
    try (Store store = Store.inMemory()) {
      LoadReport report = load(store, new Bitrix24ExportFormat(), fixture("bitrix24/deals_utf8.csv"), Map.of());
      assertEquals(List.of(7L, 5L, 2L), List.of(report.totalRead(), report.totalLoaded(), report.totalRejected()));
      assertEquals(List.of(
          "7|Поставка оборудования|won|150000.00|RUB|2024-01-10T09:00|2024-01-25T00:00|Елена Соколова|Общая"
              + "|Сделка успешна|google_ads",
          "8|Монтаж|open|30000.50|USD|2024-01-12T10:00|NULL|Елена Соколова|Общая|В работе|звонок",
          "9|Консультация|lost|0.00|RUB|2024-01-15T12:00|2024-01-16T00:00|Игорь Волков|Общая|Сделка провалена|unknown",
          // a custom closed stage with no kind configured counts as lost
          "10|Ремонт|lost|12000.00|RUB|2024-01-17T08:00|2024-01-30T00:00|Игорь Волков|Сервис|Оплачено|unknown",
          "13|Аудит сайта|open|7000.00|RUB|2024-01-20T08:00|NULL|Елена Соколова|Общая|Новая|unknown"),
          rows(store, DEALS));
      // the comment kept its quotes and line break; the row after it is on line 7 of the file
      assertEquals("Комментарий с \"кавычками\"\nи переносом",
          one(store, "SELECT value FROM crm.custom_fields WHERE entity_id = '7' AND field_name = 'Комментарий'"));
      assertEquals(List.of("deals_utf8.csv:7|column 'Сумма' value 'много' is not a number",
          "deals_utf8.csv:8|column 'Вероятность' value '150' is not a probability between 0 and 100"),
          rows(store, "SELECT location, reason FROM crm.load_rejects ORDER BY location"));
      assertEquals("ООО Вектор|Пётр Сидоров", one(store, "SELECT c.name, p.name FROM crm.deals d "
          + "JOIN crm.companies c USING (company_id) JOIN crm.contacts p USING (contact_id) WHERE deal_id = '7'"));
      assertEquals(List.of("Общая|true", "Сервис|false"),
          rows(store, "SELECT name, is_default FROM crm.pipelines ORDER BY sort_order"));
      // no leads export loaded: every deal is a lead (lead_id = converted_deal_id = deal_id), as for CRMs without
      // leads, so lead counts and success rates are not zero
      assertEquals(List.of("7|7|2024-01-10T09:00", "8|8|2024-01-12T10:00", "9|9|2024-01-15T12:00",
          "10|10|2024-01-17T08:00", "13|13|2024-01-20T08:00"), rows(store, "SELECT l.lead_id, l.converted_deal_id, l.created_at FROM crm.leads l "
          + "JOIN crm.deals d ON d.deal_id = l.lead_id AND d.created_at = l.created_at ORDER BY CAST(l.lead_id AS INTEGER)"));
    }
  }

  @Test
  void expectedCloseDateAndProbabilityOfEachDeal() throws Exception {
    try (Store store = Store.inMemory()) {
      // another reporting zone than the file's: the expected close date (a day) never moves
      load(store, new Bitrix24ExportFormat(), fixture("bitrix24/deals_utf8.csv"),
          Map.of("timezone", "America/Los_Angeles", "export_timezone", "Asia/Vladivostok"));
      // CLOSEDATE stays what the CRM has on closed deals too (won 7, lost 9, closed 10); probability 0-100
      // as typed (100 on the won deal, 0 on the lost one, none on 10); 13 has neither
      assertEquals(List.of("7|2024-01-25|100.0", "8|2024-02-28|40.0", "9|2024-01-16|0.0", "10|2024-01-30|NULL",
          "13|NULL|NULL"), rows(store, "SELECT deal_id, expected_close_date, probability FROM crm.deals "
          + "ORDER BY CAST(deal_id AS INTEGER)"));
      // Bitrix24 stages have no probability of their own in a deal export
      assertEquals("0", one(store, "SELECT count(*) FROM crm.stages WHERE probability IS NOT NULL"));
      // mapped columns are not custom fields
      assertEquals("0", one(store, "SELECT count(*) FROM crm.custom_fields WHERE field_name IN "
          + "('Вероятность', 'Предполагаемая дата закрытия')"));
    }
  }

  /** An English portal's "Excel" (HTML) export: CLOSEDATE is "Close Date", PROBABILITY "Probability". */
  @Test
  void englishCloseDateAndProbability(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("DEAL_20240301.xls"),
        "<meta http-equiv=\"Content-type\" content=\"text/html;charset=UTF-8\" />\n<table border=\"1\">\n<thead>\n<tr>"
            + "<th>ID</th><th>Title</th><th>Deal Stage</th><th>Sales Funnel</th><th>Amount</th><th>Currency</th>"
            + "<th>Responsible</th><th>Creation Date</th><th>Modification Date</th><th>Close Date</th>"
            + "<th>Probability</th><th>Closed</th></tr>\n</thead>\n<tbody>\n"
            + "<tr><td>41</td><td>Audit</td><td>In progress</td><td>General</td><td>500.00</td><td>US Dollar</td>"
            + "<td>John Smith</td><td>02/01/2024 10:00 am</td><td>02/02/2024 10:00 am</td><td>03/31/2024</td>"
            + "<td>35</td><td>N</td></tr>\n"
            + "<tr><td>42</td><td>Licence</td><td>Deal successful</td><td>General</td><td>900.00</td><td>US Dollar</td>"
            + "<td>John Smith</td><td>01/10/2024 09:00 am</td><td>02/16/2024 11:00 am</td><td>02/15/2024</td>"
            + "<td>100</td><td>Y</td></tr>\n</tbody>\n</table>\n", StandardCharsets.UTF_8);
    try (Store store = Store.inMemory()) {
      load(store, new Bitrix24ExportFormat(), file, Map.of());
      // US order (month first); the won deal closed on its Close Date, kept as its expected day too
      assertEquals(List.of("41|open|NULL|2024-03-31|35.0", "42|won|2024-02-15T00:00|2024-02-15|100.0"),
          rows(store, "SELECT deal_id, status, closed_at, expected_close_date, probability FROM crm.deals ORDER BY 1"));
    }
  }

  @Test
  void customStageKindsFromTheProperty() throws Exception {
    try (Store store = Store.inMemory()) {
      load(store, new Bitrix24ExportFormat(), fixture("bitrix24/deals_utf8.csv"),
          Map.of("stage_kinds", "Оплачено:won, В работе:open"));
      assertEquals("won|won|2024-01-30T00:00", one(store, "SELECT d.status, s.kind, d.closed_at FROM crm.deals d "
          + "JOIN crm.stages s USING (stage_id) WHERE deal_id = '10'"));
    }
  }

  @Test
  void windows1251WithoutBom() throws Exception {
    try (Store store = Store.inMemory()) {
      load(store, new Bitrix24ExportFormat(), fixture("bitrix24/deals_cp1251.csv"), Map.of());
      assertEquals(List.of("21|Ёлки для офиса|open|4500.00|RUB|2023-12-01T09:00|NULL|Фёдор Ёжиков|Общая"
          + "|Подготовка документов|unknown"), rows(store, DEALS));
    }
  }

  @Test
  void excelExportIsAnHtmlTable() throws Exception {
    try (Store store = Store.inMemory()) {
      LoadReport report = load(store, new Bitrix24ExportFormat(), fixture("bitrix24/deals_excel.xls"), Map.of());
      assertEquals(2, report.totalLoaded());
      assertEquals(List.of(
          // closed ("Y") with no close date column: closed when last modified
          "31|CRM rollout & training|won|9800.00|USD|2024-01-15T10:00|2024-02-01T16:30|John Smith|General"
              + "|Deal successful|email",
          "32|Support plan|open|1200.00|EUR|2024-01-20T09:15|NULL|John Smith|General|In progress|unknown"),
          rows(store, DEALS));
    }
  }
}
