package io.crmkpi.bitrix24;

import static io.crmkpi.files.exports.ExportFixtures.fixture;
import static io.crmkpi.files.exports.ExportFixtures.load;
import static io.crmkpi.files.exports.ExportFixtures.one;
import static io.crmkpi.files.exports.ExportFixtures.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmkpi.files.FilesSource;
import io.crmkpi.files.exports.StableIds;
import io.crmkpi.source.SourceContext;
import io.crmkpi.source.SourceException;
import io.crmkpi.store.LoadReport;
import io.crmkpi.store.LoadSession;
import io.crmkpi.store.Store;
import io.crmkpi.store.StoreDerivations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Bitrix24ContactExportFormatTest {

  private static final Path DEALS = fixture("bitrix24/deals_utf8.csv");
  private static final Path CONTACTS = fixture("bitrix24/contacts_utf8.csv");
  private static final Path CONTACTS_1251 = fixture("bitrix24/contacts_cp1251.csv");
  private static final Path CONTACTS_HTML = fixture("bitrix24/contacts_excel.xls");
  private static final Path COMPANIES = fixture("bitrix24/companies_utf8.csv");
  private static final Path COMPANIES_HTML = fixture("bitrix24/companies_excel.xls");

  private static final String CONTACT_ROWS = "SELECT c.name, c.email, c.phone, co.name, u.name, c.channel, "
      + "c.created_at, c.updated_at FROM crm.contacts c LEFT JOIN crm.companies co USING (company_id) "
      + "LEFT JOIN crm.users u ON u.user_id = c.owner_user_id ORDER BY c.created_at";

  private static final String COMPANY_ROWS = "SELECT c.company_id, c.name, c.industry, u.name, c.created_at "
      + "FROM crm.companies c LEFT JOIN crm.users u ON u.user_id = c.owner_user_id ORDER BY c.created_at";

  private static String counts(LoadReport report) {
    return String.join(",", report.lines().stream()
        .map(l -> l.entity() + "|" + l.read() + "|" + l.loaded() + "|" + l.rejected()).toList());
  }

  @Test
  void utf8BomContactsCsvWithQuotedNewlineRejectsAndCustomFields() throws Exception {
    try (Store store = Store.inMemory()) {
      assertEquals("contacts|4|2|2", counts(load(store, new Bitrix24ContactExportFormat(), CONTACTS, Map.of())));
      assertEquals(List.of(
          // Имя + Фамилия, as a deal export names the contact; Отчество stays a custom field
          "Пётр Сидоров|petr@vector.ru|+7 812 222-33-44|ООО Вектор|Елена Соколова|referral|2024-01-05T10:00"
              + "|2024-01-06T11:00",
          // no work phone: the mobile one
          "Мария Орлова|NULL|+7 900 111-22-33|NULL|Игорь Волков|offline|2024-01-08T09:30|NULL"),
          rows(store, CONTACT_ROWS));
      // the row of Пётр spans lines 2-3, so the rejected rows are on lines 5 and 6
      assertEquals(List.of("contacts|contacts_utf8.csv:5|has no contact name",
          "contacts|contacts_utf8.csv:6|column 'Дата создания' value '32.01.2024 10:00:00' is not a date"),
          rows(store, "SELECT entity, location, reason FROM crm.load_rejects ORDER BY location"));
      assertEquals(List.of("ID|101", "Должность|Инженер", "Комментарий|Звонить \"после обеда\"\nпо будням",
          "Отчество|Иванович"),
          rows(store, "SELECT field_name, value FROM crm.custom_fields WHERE entity = 'contact' AND entity_id = '"
              + StableIds.of("contact", "Пётр Сидоров") + "' ORDER BY field_name"));
      assertEquals(List.of("ID|102", "Обращение|г-жа"),
          rows(store, "SELECT field_name, value FROM crm.custom_fields WHERE entity = 'contact' AND entity_id = '"
              + StableIds.of("contact", "Мария Орлова") + "' ORDER BY field_name"));
      // the company a contact names exists by name, as a deal export would write it
      assertEquals(StableIds.of("company", "ООО Вектор") + "|ООО Вектор|NULL",
          one(store, "SELECT company_id, name, industry FROM crm.companies"));
    }
  }

  @Test
  void windows1251ContactsCsvWithoutBom() throws Exception {
    try (Store store = Store.inMemory()) {
      assertEquals("contacts|1|1|0", counts(load(store, new Bitrix24ContactExportFormat(), CONTACTS_1251,
          Map.of())));
      assertEquals("Фёдор Ёжиков|fedor@elka.ru|NULL|ООО Ёлка|Фёдор Ёжиков|NULL|2023-12-01T09:00|NULL",
          one(store, CONTACT_ROWS));
      // ids ignore ё/е, as the deal export's names may differ in that
      assertEquals(StableIds.of("contact", "Федор Ежиков"), one(store, "SELECT contact_id FROM crm.contacts"));
    }
  }

  @Test
  void htmlExcelContactsInWindows1251() throws Exception {
    try (Store store = Store.inMemory()) {
      assertEquals("contacts|1|1|0", counts(load(store, new Bitrix24ContactExportFormat(), CONTACTS_HTML,
          Map.of())));
      assertEquals("Ирина Ёлкина|irina@alfa.ru|NULL|ООО Альфа|Игорь Волков|NULL|2024-01-12T14:00|NULL",
          one(store, CONTACT_ROWS));
      assertEquals("contact|ID|301", one(store, "SELECT entity, field_name, value FROM crm.custom_fields"));
    }
  }

  @Test
  void companiesCsvLoadsIndustryAndKeepsTheRestAsCustomFields() throws Exception {
    try (Store store = Store.inMemory()) {
      assertEquals("companies|3|2|1", counts(load(store, new Bitrix24ContactExportFormat(), COMPANIES, Map.of())));
      assertEquals(List.of(
          StableIds.of("company", "ООО Вектор") + "|ООО Вектор|Производство|Елена Соколова|2024-01-02T08:00",
          StableIds.of("company", "ООО Альфа") + "|ООО Альфа|Информационные технологии|Игорь Волков"
              + "|2024-01-04T12:00"),
          rows(store, COMPANY_ROWS));
      assertEquals("companies|companies_utf8.csv:4|has no company name",
          one(store, "SELECT entity, location, reason FROM crm.load_rejects"));
      assertEquals(List.of("ID|11", "Адрес|г. Санкт-Петербург; Невский пр., 1", "Дата изменения|03.01.2024 09:00:00",
          "Рабочий e-mail|info@vector.ru", "Рабочий телефон|+7 812 000-00-00", "Тип компании|Клиент"),
          rows(store, "SELECT field_name, value FROM crm.custom_fields WHERE entity = 'company' AND entity_id = '"
              + StableIds.of("company", "ООО Вектор") + "' ORDER BY field_name"));
    }
  }

  @Test
  void htmlExcelCompaniesFromAnEnglishPortal() throws Exception {
    try (Store store = Store.inMemory()) {
      assertEquals("companies|2|2|0", counts(load(store, new Bitrix24ContactExportFormat(), COMPANIES_HTML,
          Map.of())));
      // &amp; decoded; 03:30 pm is 15:30
      assertEquals(List.of(StableIds.of("company", "Smith & Sons") + "|Smith & Sons|Manufacturing|John Smith"
              + "|2024-01-10T09:00",
          StableIds.of("company", "Initech") + "|Initech|NULL|John Smith|2024-01-12T15:30"),
          rows(store, COMPANY_ROWS));
      assertEquals(List.of("Company Type|Customer", "ID|41", "Work Phone|+1 212 555 0101"),
          rows(store, "SELECT field_name, value FROM crm.custom_fields WHERE entity_id = '"
              + StableIds.of("company", "Smith & Sons") + "' ORDER BY 1"));
    }
  }

  /** The joins of deals_utf8.csv with the contact and company exports, checked by hand. */
  private static void assertJoined(Store store) throws Exception {
    assertEquals(List.of(
        "7|ООО Вектор|Производство|Елена Соколова|Пётр Сидоров|petr@vector.ru|ООО Вектор",
        "8|NULL|NULL|NULL|NULL|NULL|NULL",
        "9|NULL|NULL|NULL|NULL|NULL|NULL",
        "10|ООО Вектор|Производство|Елена Соколова|NULL|NULL|NULL",
        "13|NULL|NULL|NULL|NULL|NULL|NULL"),
        rows(store, "SELECT d.deal_id, co.name, co.industry, cu.name, c.name, c.email, cc.name FROM crm.deals d "
            + "LEFT JOIN crm.companies co ON co.company_id = d.company_id "
            + "LEFT JOIN crm.users cu ON cu.user_id = co.owner_user_id "
            + "LEFT JOIN crm.contacts c ON c.contact_id = d.contact_id "
            + "LEFT JOIN crm.companies cc ON cc.company_id = c.company_id ORDER BY CAST(d.deal_id AS INTEGER)"));
    // Вектор and Альфа once each; Пётр Сидоров and Мария Орлова once each
    assertEquals("2|2", one(store, "SELECT count(*), count(DISTINCT company_id) FROM crm.companies"));
    assertEquals("2|2", one(store, "SELECT count(*), count(DISTINCT contact_id) FROM crm.contacts"));
    // won: deal 7 (150000.00) and, with Оплачено:won, deal 10 (12000.00), both ООО Вектор's
    assertEquals("company:" + StableIds.of("company", "ООО Вектор") + "|company|ООО Вектор|2|162000.00|Производство",
        one(store, "SELECT cu.customer_id, cu.kind, cu.name, cu.orders, cu.revenue_base, co.industry "
            + "FROM crm.customers cu JOIN crm.companies co ON cu.customer_id = 'company:' || co.company_id"));
  }

  @Test
  void folderOfDealsContactsAndCompaniesJoins(@TempDir Path dir) throws Exception {
    for (Path f : List.of(DEALS, CONTACTS, COMPANIES)) {
      Files.copy(f, dir.resolve(f.getFileName()));
    }
    try (Store store = Store.inMemory()) {
      LoadReport report = new FilesSource(dir).load(store, SourceContext.of(Map.of("stage_kinds", "Оплачено:won")));
      assertEquals(List.of("companies_utf8.csv|companies|3|1", "contacts_utf8.csv|contacts|4|2",
          "deals_utf8.csv|deals|7|2"), // 11: amount «много», 12: probability 150
          report.lines().stream().map(l -> l.input() + "|" + l.entity() + "|" + l.read() + "|" + l.rejected())
              .sorted().toList());
      assertJoined(store);
    }
  }

  @Test
  void dealsLoadedFirstJoinTheSame() throws Exception {
    try (Store store = Store.inMemory()) {
      try (LoadSession session = store.load("files")) {
        SourceContext context = SourceContext.of(Map.of("stage_kinds", "Оплачено:won"));
        new Bitrix24ExportFormat().load(DEALS, session, context);
        new Bitrix24ContactExportFormat().load(CONTACTS, session, context);
        new Bitrix24ContactExportFormat().load(COMPANIES, session, context);
      }
      StoreDerivations.apply(store, Optional.empty());
      assertJoined(store);
    }
  }

  @Test
  void strictModeNamesFileAndLine() throws Exception {
    try (Store store = Store.inMemory(); LoadSession session = store.load("files")) {
      SourceException e = assertThrows(SourceException.class, () -> new Bitrix24ContactExportFormat().load(
          COMPANIES, session, SourceContext.of(Map.of("strict", "true"))));
      assertTrue(e.getMessage().startsWith("companies_utf8.csv:4: has no company name; fix the row"),
          e.getMessage());
    }
  }
}
