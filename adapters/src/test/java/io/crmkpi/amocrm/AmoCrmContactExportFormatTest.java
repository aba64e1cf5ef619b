package io.crmkpi.amocrm;

import static io.crmkpi.files.exports.ExportFixtures.fixture;
import static io.crmkpi.files.exports.ExportFixtures.load;
import static io.crmkpi.files.exports.ExportFixtures.one;
import static io.crmkpi.files.exports.ExportFixtures.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmkpi.files.FileFormat;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AmoCrmContactExportFormatTest {

  private static final Path DEALS = fixture("amocrm/amocrm_export_leads_2024-05-20.csv");
  private static final Path CONTACTS = fixture("amocrm/amocrm_export_contacts_2024-05-20.csv");
  private static final Path COMPANIES = fixture("amocrm/amocrm_export_companies_2024-05-20.csv");
  private static final Path ALL = fixture("amocrm/amocrm_export_all_contacts_2024-05-20.csv");
  private static final Path EN_CONTACTS = fixture("amocrm/kommo_export_contacts_2024-05-20.csv");

  private static final String CONTACT_ROWS = "SELECT c.name, c.email, c.phone, co.name, u.name, c.channel, "
      + "c.created_at, c.updated_at FROM crm.contacts c LEFT JOIN crm.companies co USING (company_id) "
      + "LEFT JOIN crm.users u ON u.user_id = c.owner_user_id ORDER BY c.created_at";

  @Test
  void russianContactsCsvLoadsContactsCustomFieldsAndRejects() throws Exception {
    try (Store store = Store.inMemory()) {
      LoadReport.Line line = load(store, new AmoCrmContactExportFormat(), CONTACTS, Map.of()).lines().get(0);
      assertEquals(List.of("contacts", "6", "4", "2"),
          List.of(line.entity(), "" + line.read(), "" + line.loaded(), "" + line.rejected()));
      assertEquals(List.of(
          "Анна Смирнова|anna@romashka.ru|+7 495 111-22-33|ООО Ромашка|Иван Петров|offline|2024-03-01T09:00"
              + "|2024-03-02T10:00",
          "Олег Иванов|oleg@mail.ru|+7 916 000-00-01|NULL|Мария Козлова|referral|2024-03-04T12:30|2024-03-05T08:00",
          // no "Полное имя": built from Имя + Фамилия; work phone before mobile
          "Пётр Сидоров|NULL|+7 812 222-33-44|ООО Вектор|Мария Козлова|NULL|2024-03-06T15:45|2024-03-06T15:45",
          "Анна Смирнова|anna.s@luch.ru|NULL|ООО Луч|Иван Петров|NULL|2024-03-10T11:00|NULL"),
          rows(store, CONTACT_ROWS));
      // the first Анна Смирнова has the id a deal export gives that name; her namesake one of her own
      assertEquals(List.of(StableIds.of("contact", "анна смирнова") + "|ООО Ромашка",
          StableIds.of("contact", "Анна Смирнова #2005") + "|ООО Луч"),
          rows(store, "SELECT c.contact_id, co.name FROM crm.contacts c JOIN crm.companies co USING (company_id) "
              + "WHERE c.name = 'Анна Смирнова' ORDER BY c.created_at"));
      // companies named by contacts exist (name only), users from the responsible names
      assertEquals(List.of("ООО Вектор|NULL", "ООО Луч|NULL", "ООО Ромашка|NULL"),
          rows(store, "SELECT name, owner_user_id FROM crm.companies ORDER BY name"));
      assertEquals(List.of(StableIds.of("user", "Иван Петров") + "|Иван Петров",
          StableIds.of("user", "Мария Козлова") + "|Мария Козлова"),
          rows(store, "SELECT user_id, name FROM crm.users ORDER BY name"));
      assertEquals(List.of(
          "contacts|amocrm_export_contacts_2024-05-20.csv:5|column 'Дата создания' value '31.02.2024 10:00' is not a date",
          "contacts|amocrm_export_contacts_2024-05-20.csv:7|has no contact name"),
          rows(store, "SELECT entity, location, reason FROM crm.load_rejects ORDER BY location"));
      // trailing space trimmed, the second "Теги" kept apart, the unused mobile phone kept, the amoCRM id kept
      String sidorov = StableIds.of("contact", "Пётр Сидоров");
      assertEquals(List.of("ID|ID|2003", "Должность|Должность|Инженер", "Кем создан|Кем создан|Мария Козлова",
          "Мобильный телефон|Мобильный телефон|+7 921 555-66-77"),
          rows(store, "SELECT field_id, field_name, value FROM crm.custom_fields WHERE entity = 'contact' "
              + "AND entity_id = '" + sidorov + "' ORDER BY field_id"));
      assertEquals(List.of("ID|2001", "Должность|Директор", "Кем создан|Иван Петров", "Теги|vip; ключевой"),
          rows(store, "SELECT field_id, value FROM crm.custom_fields WHERE entity_id = '"
              + StableIds.of("contact", "Анна Смирнова") + "' ORDER BY field_id"));
      assertEquals("Теги|повтор", one(store, "SELECT field_name, value FROM crm.custom_fields "
          + "WHERE field_id = 'Теги_2'"));
    }
  }

  @Test
  void russianCompaniesCsvLoadsCompanies() throws Exception {
    try (Store store = Store.inMemory()) {
      LoadReport.Line line = load(store, new AmoCrmContactExportFormat(), COMPANIES, Map.of()).lines().get(0);
      assertEquals(List.of("companies", "3", "2", "1"),
          List.of(line.entity(), "" + line.read(), "" + line.loaded(), "" + line.rejected()));
      assertEquals(List.of(StableIds.of("company", "ООО Ромашка") + "|ООО Ромашка|Розница|Иван Петров|2024-02-01T10:00",
          StableIds.of("company", "ООО Луч") + "|ООО Луч|Производство|Мария Козлова|2024-02-15T14:30"),
          rows(store, "SELECT c.company_id, c.name, c.industry, u.name, c.created_at FROM crm.companies c "
              + "JOIN crm.users u ON u.user_id = c.owner_user_id ORDER BY c.created_at"));
      assertEquals("companies|amocrm_export_companies_2024-05-20.csv:4|column 'Дата создания' value '2024-13-45' "
          + "is not a date", one(store, "SELECT entity, location, reason FROM crm.load_rejects"));
      assertEquals(List.of("ID|3001", "Web|romashka.ru", "Адрес|г. Москва; ул. Цветочная, 1",
          "Дата изменения|03.03.2024 09:15", "Кем создана|Иван Петров", "Рабочий email|info@romashka.ru",
          "Рабочий телефон|+7 495 111-22-00", "Сделки|Сайт для ООО \"Ромашка\", Поддержка", "Теги|vip"),
          rows(store, "SELECT field_name, value FROM crm.custom_fields WHERE entity = 'company' AND entity_id = '"
              + StableIds.of("company", "ООО Ромашка") + "' ORDER BY field_name"));
    }
  }

  @Test
  void allContactsAndCompaniesFileSplitsRowsByType() throws Exception {
    try (Store store = Store.inMemory()) {
      LoadReport report = load(store, new AmoCrmContactExportFormat(), ALL, Map.of());
      assertEquals(List.of("contacts|2|1|1", "companies|1|1|0"), report.lines().stream()
          .map(l -> l.entity() + "|" + l.read() + "|" + l.loaded() + "|" + l.rejected()).toList());
      assertEquals("Иван Кузнецов|ivan@gamma.ru|+7 900 000-00-02|ООО Гамма|2024-03-11T08:00|2024-03-12T09:00",
          one(store, "SELECT c.name, c.email, c.phone, co.name, co.created_at, c.created_at FROM crm.contacts c "
              + "JOIN crm.companies co USING (company_id)"));
      assertEquals("1", one(store, "SELECT count(*) FROM crm.companies"));
      assertEquals("contacts|amocrm_export_all_contacts_2024-05-20.csv:4|column 'Тип' value 'Сделка' is not one of "
          + "[company, contact, person, компания, контакт]",
          one(store, "SELECT entity, location, reason FROM crm.load_rejects"));
      assertEquals(List.of("Рабочий email|info@gamma.ru", "Рабочий телефон|+7 495 333-44-55", "Теги|партнёр"),
          rows(store, "SELECT field_name, value FROM crm.custom_fields WHERE entity = 'company' ORDER BY 1"));
    }
  }

  @Test
  void englishContactsCsvWithCommasAndTheExportTimeZone() throws Exception {
    try (Store store = Store.inMemory()) {
      LoadReport report = load(store, new AmoCrmContactExportFormat(), EN_CONTACTS,
          Map.of("export_timezone", "Europe/Moscow"));
      assertEquals(3, report.totalLoaded());
      assertEquals(List.of(
          // 09:30 Moscow is 06:30 UTC; a date alone is never shifted
          "Ann Lee|ann@acme.com|+1 415 555 0100|Acme Inc.|Bob Stone|NULL|2024-05-02T06:30|2024-05-03T07:00:15",
          "John Smith, Jr.|john@example.com|NULL|NULL|Kate Moss|NULL|2024-05-04T08:00|NULL",
          "Eve Adams|NULL|NULL|Acme Inc.|Bob Stone|NULL|2024-05-06T00:00|NULL"),
          rows(store, CONTACT_ROWS));
      assertEquals(List.of("Created by|Bob Stone", "ID|501", "Position|Head of Sales, EMEA", "Tags|vip"),
          rows(store, "SELECT field_name, value FROM crm.custom_fields WHERE entity_id = '"
              + StableIds.of("contact", "Ann Lee") + "' ORDER BY 1"));
    }
  }

  @Test
  void englishCompaniesXlsxReplacesTheCompaniesContactsNamed(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("kommo_export_companies.xlsx");
    try (XSSFWorkbook wb = new XSSFWorkbook(); OutputStream out = Files.newOutputStream(file)) {
      Sheet sh = wb.createSheet("Companies");
      CellStyle dateStyle = wb.createCellStyle();
      dateStyle.setDataFormat(wb.getCreationHelper().createDataFormat().getFormat("dd.mm.yyyy hh:mm"));
      String[] head = {"ID", "Company name", "Work phone", "Web", "Industry", "Date created", "Responsible user",
          "Tags"};
      Row h = sh.createRow(0);
      for (int i = 0; i < head.length; i++) {
        h.createCell(i).setCellValue(head[i]);
      }
      Row r1 = sh.createRow(1);
      r1.createCell(0).setCellValue(601);
      r1.createCell(1).setCellValue("Acme Inc.");
      r1.createCell(2).setCellValue("+1 415 555 0199");
      r1.createCell(3).setCellValue("acme.com");
      r1.createCell(4).setCellValue("Manufacturing");
      r1.createCell(5).setCellValue(LocalDateTime.of(2024, 4, 1, 8, 0));
      r1.getCell(5).setCellStyle(dateStyle);
      r1.createCell(6).setCellValue("Bob Stone");
      r1.createCell(7).setCellValue("key");
      Row r2 = sh.createRow(2);
      r2.createCell(0).setCellValue(602);
      r2.createCell(1).setCellValue("Globex");
      r2.createCell(5).setCellValue("15.04.2024 09:00");
      r2.createCell(6).setCellValue("Kate Moss");
      Row r3 = sh.createRow(3);
      r3.createCell(0).setCellValue(603);
      r3.createCell(1).setCellValue("Initech");
      r3.createCell(5).setCellValue("yesterday");
      wb.write(out);
    }
    assertTrue(new AmoCrmContactExportFormat().detect(FileSample.of(file)) > 0);
    try (Store store = Store.inMemory()) {
      load(store, new AmoCrmContactExportFormat(), EN_CONTACTS, Map.of());
      assertEquals("Acme Inc.|NULL", one(store, "SELECT name, industry FROM crm.companies"));
      LoadReport.Line line = load(store, new AmoCrmContactExportFormat(), file, Map.of()).lines().get(0);
      assertEquals(List.of("companies", "3", "2", "1"),
          List.of(line.entity(), "" + line.read(), "" + line.loaded(), "" + line.rejected()));
      // the name-only Acme Inc. the contacts named is replaced, not duplicated
      assertEquals(List.of("Acme Inc.|Manufacturing|Bob Stone|2024-04-01T08:00|2",
          "Globex|NULL|Kate Moss|2024-04-15T09:00|0"),
          rows(store, "SELECT co.name, co.industry, u.name, co.created_at, "
              + "(SELECT count(*) FROM crm.contacts c WHERE c.company_id = co.company_id) FROM crm.companies co "
              + "JOIN crm.users u ON u.user_id = co.owner_user_id ORDER BY co.name"));
      assertEquals("2", one(store, "SELECT count(*) FROM crm.companies"));
      assertEquals("companies|kommo_export_companies.xlsx:4|column 'Date created' value 'yesterday' is not a date",
          one(store, "SELECT entity, location, reason FROM crm.load_rejects"));
      assertEquals(List.of("ID|601", "Tags|key", "Web|acme.com", "Work phone|+1 415 555 0199"),
          rows(store, "SELECT field_name, value FROM crm.custom_fields WHERE entity = 'company' AND entity_id = '"
              + StableIds.of("company", "Acme Inc.") + "' ORDER BY 1"));
    }
  }

  @Test
  void eachExportGoesToItsFormat() throws Exception {
    List<FileFormat> formats = new ArrayList<>();
    ServiceLoader.load(FileFormat.class).forEach(formats::add);
    Map<Path, String> expected = Map.of(DEALS, "amocrm", CONTACTS, "amocrm-contacts", COMPANIES, "amocrm-contacts",
        ALL, "amocrm-contacts", EN_CONTACTS, "amocrm-contacts");
    for (Map.Entry<Path, String> e : expected.entrySet()) {
      FileSample sample = FileSample.of(e.getKey());
      FileFormat best = formats.stream().max(Comparator.comparingInt(f -> f.detect(sample))).orElseThrow();
      assertEquals(e.getValue(), best.name(), e.getKey().getFileName().toString());
    }
    // the contact format never takes a deal export, the deal format never a contact export
    assertEquals(0, new AmoCrmContactExportFormat().detect(FileSample.of(DEALS)));
    assertEquals(0, new AmoCrmExportFormat().detect(FileSample.of(CONTACTS)));
  }

  /** The joins of one folder: what a deal names is what the contact and company exports loaded. */
  private static void assertJoined(Store store) throws Exception {
    assertEquals(List.of(
        "101|ООО Ромашка|Розница|Иван Петров|Анна Смирнова|anna@romashka.ru|ООО Ромашка",
        "102|NULL|NULL|NULL|Олег Иванов|oleg@mail.ru|NULL",
        "103|ООО Ромашка|Розница|Иван Петров|NULL|NULL|NULL",
        "106|NULL|NULL|NULL|NULL|NULL|NULL"),
        rows(store, "SELECT d.deal_id, co.name, co.industry, cu.name, c.name, c.email, cc.name FROM crm.deals d "
            + "LEFT JOIN crm.companies co ON co.company_id = d.company_id "
            + "LEFT JOIN crm.users cu ON cu.user_id = co.owner_user_id "
            + "LEFT JOIN crm.contacts c ON c.contact_id = d.contact_id "
            + "LEFT JOIN crm.companies cc ON cc.company_id = c.company_id ORDER BY d.deal_id"));
    // one row per id: Ромашка, Луч (company export), Вектор (named by a contact)
    assertEquals("3|3", one(store, "SELECT count(*), count(DISTINCT company_id) FROM crm.companies"));
    // Анна Смирнова, her namesake, Олег Иванов, Пётр Сидоров
    assertEquals("4|4", one(store, "SELECT count(*), count(DISTINCT contact_id) FROM crm.contacts"));
    // the won deal 101 (1 000 000,50) makes ООО Ромашка a customer, with what the company export says
    assertEquals("company:" + StableIds.of("company", "ООО Ромашка") + "|ООО Ромашка|company|1|1000000.50|Розница"
        + "|2024-02-01T10:00",
        one(store, "SELECT cu.customer_id, cu.name, cu.kind, cu.orders, cu.revenue_base, co.industry, co.created_at "
            + "FROM crm.customers cu JOIN crm.companies co ON cu.customer_id = 'company:' || co.company_id"));
  }

  @Test
  void folderOfDealsContactsAndCompaniesJoins(@TempDir Path dir) throws Exception {
    for (Path f : List.of(DEALS, CONTACTS, COMPANIES)) {
      Files.copy(f, dir.resolve(f.getFileName()));
    }
    try (Store store = Store.inMemory()) {
      LoadReport report = new FilesSource(dir).load(store, SourceContext.of(Map.of()));
      assertEquals(List.of("amocrm_export_companies_2024-05-20.csv|companies|3|1",
          "amocrm_export_contacts_2024-05-20.csv|contacts|6|2", "amocrm_export_leads_2024-05-20.csv|deals|6|2"),
          report.lines().stream().map(l -> l.input() + "|" + l.entity() + "|" + l.read() + "|" + l.rejected())
              .sorted().toList());
      assertJoined(store);
    }
  }

  @Test
  void dealsLoadedBeforeContactsAndCompaniesJoinTheSame() throws Exception {
    try (Store store = Store.inMemory()) {
      try (LoadSession session = store.load("files")) {
        SourceContext context = SourceContext.of(Map.of());
        new AmoCrmExportFormat().load(DEALS, session, context);
        new AmoCrmContactExportFormat().load(CONTACTS, session, context);
        new AmoCrmContactExportFormat().load(COMPANIES, session, context);
      }
      StoreDerivations.apply(store, Optional.empty());
      assertJoined(store);
    }
  }

  @Test
  void strictModeNamesFileLineAndColumn() throws Exception {
    try (Store store = Store.inMemory(); LoadSession session = store.load("files")) {
      SourceException e = assertThrows(SourceException.class, () -> new AmoCrmContactExportFormat().load(CONTACTS,
          session, SourceContext.of(Map.of("strict", "true"))));
      assertTrue(e.getMessage().startsWith("amocrm_export_contacts_2024-05-20.csv:5: column 'Дата создания' value "
          + "'31.02.2024 10:00' is not a date; fix the row"), e.getMessage());
    }
  }
}
