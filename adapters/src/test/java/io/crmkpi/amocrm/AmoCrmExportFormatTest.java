package io.crmkpi.amocrm;

import static io.crmkpi.files.exports.ExportFixtures.fixture;
import static io.crmkpi.files.exports.ExportFixtures.load;
import static io.crmkpi.files.exports.ExportFixtures.one;
import static io.crmkpi.files.exports.ExportFixtures.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmkpi.files.exports.StableIds;
import io.crmkpi.source.SourceException;
import io.crmkpi.store.LoadReport;
import io.crmkpi.store.LoadSession;
import io.crmkpi.store.Store;
import io.crmkpi.source.SourceContext;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AmoCrmExportFormatTest {

  private static final Path CSV = fixture("amocrm/amocrm_export_leads_2024-05-20.csv");

  @Test
  void russianCsvLoadsDealsLeadsStagesAndRejects() throws Exception {
    try (Store store = Store.inMemory()) {
      LoadReport report = load(store, new AmoCrmExportFormat(), CSV, Map.of());
      LoadReport.Line line = report.lines().get(0);
      assertEquals(List.of(6L, 4L, 2L), List.of(line.read(), line.loaded(), line.rejected()));

      assertEquals(List.of(
          "101|Сайт для ООО \"Ромашка\"|won|1000000.50|2024-03-05T10:15|2024-03-20T17:45:10|2024-03-20T18:00"
              + "|Иван Петров|Продажи|Успешно реализовано|yandex_direct|yandex|cpc|spring|NULL",
          "102|Лендинг|open|25000.00|2024-03-07T09:00|NULL|2024-03-15T12:00|Мария Козлова|Продажи|Переговоры"
              + "|google_ads|google|NULL|NULL|NULL",
          "103|Поддержка|lost|5000.00|2024-03-10T11:30|2024-04-12T16:20|2024-04-12T16:20|Иван Петров|Продажи"
              + "|Закрыто и не реализовано|offline|NULL|NULL|NULL|Дорого",
          "106|Партнёрская заявка|open|15000.00|2024-04-01T08:05|NULL|2024-04-02T09:00|Мария Козлова|Партнёры"
              + "|Первичный контакт|social|Facebook|social|NULL|NULL"),
          rows(store, "SELECT d.deal_id, d.title, d.status, d.amount, d.created_at, d.closed_at, d.updated_at, "
              + "u.name, p.name, s.name, d.channel, d.utm_source, d.utm_medium, d.utm_campaign, d.loss_reason "
              + "FROM crm.deals d JOIN crm.users u ON u.user_id = d.owner_user_id "
              + "JOIN crm.pipelines p ON p.pipeline_id = d.pipeline_id JOIN crm.stages s ON s.stage_id = d.stage_id "
              + "ORDER BY d.deal_id"));
      // no currency column: amoCRM budgets are in the account currency, so the base one
      assertEquals("USD|4", one(store, "SELECT currency, count(*) FROM crm.deals GROUP BY currency"));
      // every deal is a converted lead
      assertEquals("4|4", one(store, "SELECT count(*), count(*) FILTER (WHERE status = 'converted' "
          + "AND converted_deal_id = lead_id) FROM crm.leads"));
      assertEquals(List.of("Продажи|true|1", "Партнёры|false|2"),
          rows(store, "SELECT name, is_default, sort_order FROM crm.pipelines ORDER BY sort_order"));
      assertEquals(List.of("Переговоры|1|open", "Успешно реализовано|2|won", "Закрыто и не реализовано|3|lost"),
          rows(store, "SELECT s.name, s.sort_order, s.kind FROM crm.stages s JOIN crm.pipelines p "
              + "USING (pipeline_id) WHERE p.name = 'Продажи' ORDER BY s.sort_order"));
      assertEquals(List.of("deals|amocrm_export_leads_2024-05-20.csv:5|column 'Бюджет' value '12abc' is not a number",
          "deals|amocrm_export_leads_2024-05-20.csv:6|has 4 columns, the header has 19"),
          rows(store, "SELECT entity, location, reason FROM crm.load_rejects ORDER BY location"));
      assertEquals(List.of("Кем создана сделка|Иван Петров", "Теги|сайт, vip"),
          rows(store, "SELECT field_name, value FROM crm.custom_fields WHERE entity = 'deal' AND entity_id = '101' "
              + "ORDER BY field_name"));
      // history is inferred: creation into the first open stage, then the close
      assertEquals(List.of("NULL|Переговоры|2024-03-05T10:15|true", "Переговоры|Успешно реализовано|2024-03-20T17:45:10|true"),
          rows(store, "SELECT f.name, t.name, h.changed_at, h.is_inferred FROM crm.deal_stage_history h "
              + "LEFT JOIN crm.stages f ON f.stage_id = h.from_stage_id JOIN crm.stages t ON t.stage_id = h.to_stage_id "
              + "WHERE h.deal_id = '101' ORDER BY h.changed_at"));
      // the won deal is an order of the company
      assertEquals("ООО Ромашка|company|1|1000000.50", one(store,
          "SELECT name, kind, orders, revenue_base FROM crm.customers"));
    }
  }

  @Test
  void sameNamesGetTheSameIdsAcrossLoads() throws Exception {
    try (Store a = Store.inMemory(); Store b = Store.inMemory()) {
      load(a, new AmoCrmExportFormat(), CSV, Map.of());
      load(b, new AmoCrmExportFormat(), CSV, Map.of());
      String users = "SELECT user_id, name FROM crm.users ORDER BY user_id";
      assertEquals(rows(a, users), rows(b, users));
      assertEquals(2, rows(a, users).size());
      assertEquals(StableIds.of("user", "иван  ПЕТРОВ "), one(a, "SELECT user_id FROM crm.users WHERE name = 'Иван Петров'"));
      // loading the file again into the same store adds no second copy of users or stages
      load(a, new AmoCrmExportFormat(), CSV, Map.of());
      assertEquals(2, rows(a, users).size());
      assertEquals("4", one(a, "SELECT count(*) FROM crm.stages WHERE pipeline_id = '"
          + StableIds.of("pipeline", "Продажи") + "' OR pipeline_id = '" + StableIds.of("pipeline", "Партнёры") + "'"));
    }
  }

  @Test
  void strictModeFailsOnTheFirstBadRowNamingFileLineAndColumn() throws Exception {
    try (Store store = Store.inMemory(); LoadSession session = store.load("files")) {
      SourceException e = assertThrows(SourceException.class, () -> new AmoCrmExportFormat().load(CSV, session,
          SourceContext.of(Map.of("strict", "true"))));
      assertTrue(e.getMessage().startsWith("amocrm_export_leads_2024-05-20.csv:5: column 'Бюджет' value '12abc'"),
          e.getMessage());
    }
  }

  @Test
  void englishXlsxWithExcelDatesAndSerials(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("kommo_leads.xlsx");
    try (XSSFWorkbook wb = new XSSFWorkbook(); OutputStream out = Files.newOutputStream(file)) {
      Sheet sh = wb.createSheet("Leads");
      CellStyle dateStyle = wb.createCellStyle();
      dateStyle.setDataFormat(wb.getCreationHelper().createDataFormat().getFormat("dd.mm.yyyy hh:mm"));
      String[] head = {"ID", "Lead title", "Budget", "Responsible user", "Date created", "Closing date", "Stage",
          "Pipeline", "Tags", "Date created"};
      Row h = sh.createRow(0);
      for (int i = 0; i < head.length; i++) {
        h.createCell(i).setCellValue(head[i]);
      }
      Row r1 = sh.createRow(1);
      r1.createCell(0).setCellValue(501);
      r1.createCell(1).setCellValue("Kommo won");
      r1.createCell(2).setCellValue(1500.0);
      r1.createCell(3).setCellValue("Ann Lee");
      r1.createCell(4).setCellValue(LocalDateTime.of(2024, 5, 2, 9, 30));
      r1.getCell(4).setCellStyle(dateStyle);
      r1.createCell(5).setCellValue(45416.5); // an Excel serial without a date style: 2024-05-04 12:00
      r1.createCell(6).setCellValue("Closed – won");
      r1.createCell(7).setCellValue("Main");
      r1.createCell(8).setCellValue("vip");
      Row r2 = sh.createRow(2);
      r2.createCell(0).setCellValue(502);
      r2.createCell(1).setCellValue("Kommo lost");
      r2.createCell(2).setCellValue("1 200,5");
      r2.createCell(3).setCellValue("Ann Lee");
      r2.createCell(4).setCellValue("03.05.2024 10:00");
      r2.createCell(5).setCellValue("05.05.2024 11:00:30");
      r2.createCell(6).setCellValue("Closed - lost");
      r2.createCell(7).setCellValue("Main");
      r2.createCell(9).setCellValue("dup");
      wb.write(out);
    }
    try (Store store = Store.inMemory()) {
      LoadReport report = load(store, new AmoCrmExportFormat(), file, Map.of());
      assertEquals(2, report.totalLoaded());
      assertEquals(List.of("501|won|1500.00|2024-05-02T09:30|2024-05-04T12:00",
          "502|lost|1200.50|2024-05-03T10:00|2024-05-05T11:00:30"),
          rows(store, "SELECT deal_id, status, amount, created_at, closed_at FROM crm.deals ORDER BY deal_id"));
      // the second "Date created" is a duplicate header: not lost, kept as a custom field named apart
      assertEquals(List.of("501|Tags|Tags|vip", "502|Date created_2|Date created|dup"),
          rows(store, "SELECT entity_id, field_id, field_name, value FROM crm.custom_fields ORDER BY entity_id"));
    }
  }
}
