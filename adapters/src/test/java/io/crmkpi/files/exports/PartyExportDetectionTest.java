package io.crmkpi.files.exports;

import static io.crmkpi.files.exports.ExportFixtures.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmkpi.files.FileFormat;
import io.crmkpi.files.FileSample;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Contact and company exports of amoCRM, Bitrix24 and HubSpot look alike (Имя, Фамилия, Ответственный;
 * First Name, Company name, Industry): each must go to its own CRM's contact format, and no deal
 * format may take one (nor a contact format a deal export).
 */
class PartyExportDetectionTest {

  private static final List<String> CRM_FORMATS = List.of("amocrm", "amocrm-contacts", "bitrix24",
      "bitrix24-contacts", "hubspot", "hubspot-contacts", "pipedrive", "salesforce");

  /** Every registered format's score for {@code file}, by name. */
  private static Map<String, Integer> scores(Path file) throws Exception {
    Map<String, Integer> s = new TreeMap<>();
    FileSample sample = FileSample.of(file);
    for (FileFormat f : ServiceLoader.load(FileFormat.class)) {
      s.put(f.name(), f.detect(sample));
    }
    assertTrue(s.keySet().containsAll(CRM_FORMATS), "registered: " + s.keySet());
    return s;
  }

  private static void assertOwnFormat(Path file, String format) throws Exception {
    Map<String, Integer> s = scores(file);
    String name = file.getFileName().toString();
    assertTrue(s.get(format) > 0, name + " not claimed by " + format + ": " + s);
    for (Map.Entry<String, Integer> other : s.entrySet()) {
      if (!other.getKey().equals(format)) {
        // strictly above, so the folder's pick does not depend on the order of format names
        assertTrue(other.getValue() < s.get(format), name + ": " + other.getKey() + " scores as high: " + s);
      }
      if (CRM_FORMATS.contains(other.getKey()) && !other.getKey().equals(format)) {
        // another CRM's format (or the same CRM's other role) leaves the file alone altogether
        assertEquals(0, other.getValue(), name + ": " + other.getKey() + " " + s);
      }
    }
  }

  private static Path xlsx(Path file, String... head) throws Exception {
    try (XSSFWorkbook wb = new XSSFWorkbook(); OutputStream out = Files.newOutputStream(file)) {
      Row h = wb.createSheet("Export").createRow(0);
      for (int i = 0; i < head.length; i++) {
        h.createCell(i).setCellValue(head[i]);
      }
      Row r = wb.getSheetAt(0).createRow(1);
      for (int i = 0; i < head.length; i++) {
        r.createCell(i).setCellValue("x" + i);
      }
      wb.write(out);
    }
    return file;
  }

  @Test
  void everyContactAndCompanyExportGoesToItsOwnCrm(@TempDir Path dir) throws Exception {
    Map<Path, String> expected = new LinkedHashMap<>();
    for (String f : List.of("amocrm_export_contacts_2024-05-20.csv", "amocrm_export_companies_2024-05-20.csv",
        "amocrm_export_all_contacts_2024-05-20.csv", "kommo_export_contacts_2024-05-20.csv")) {
      expected.put(fixture("amocrm/" + f), "amocrm-contacts");
    }
    for (String f : List.of("contacts_utf8.csv", "contacts_cp1251.csv", "contacts_excel.xls", "companies_utf8.csv",
        "companies_excel.xls")) {
      expected.put(fixture("bitrix24/" + f), "bitrix24-contacts");
    }
    for (String f : List.of("hubspot-crm-exports-all-contacts-2023-04-03.csv",
        "hubspot-crm-exports-all-companies-2023-04-03.csv")) {
      expected.put(fixture("hubspot/" + f), "hubspot-contacts");
    }
    // XLSX: HubSpot's with its own names, Kommo's with headers HubSpot also uses (First name, Company name)
    expected.put(xlsx(dir.resolve("hubspot-crm-exports-contacts-2024-01-02.xlsx"), "Record ID", "First Name",
        "Last Name", "Email", "Create Date"), "hubspot-contacts");
    expected.put(xlsx(dir.resolve("export-companies.xlsx"), "Record ID", "Company name", "Company owner", "Industry",
        "Create Date"), "hubspot-contacts");
    expected.put(xlsx(dir.resolve("kommo_export_contacts.xlsx"), "ID", "First name", "Last name", "Company",
        "Work phone", "Date created", "Responsible user"), "amocrm-contacts");
    expected.put(xlsx(dir.resolve("kommo_export_companies.xlsx"), "ID", "Company name", "Industry", "Work phone",
        "Date created", "Responsible user"), "amocrm-contacts");
    for (Map.Entry<Path, String> e : expected.entrySet()) {
      assertOwnFormat(e.getKey(), e.getValue());
    }
  }

  @Test
  void dealAndLeadExportsStayWithTheDealFormats(@TempDir Path dir) throws Exception {
    Map<Path, String> expected = new LinkedHashMap<>();
    expected.put(fixture("amocrm/amocrm_export_leads_2024-05-20.csv"), "amocrm");
    for (String f : List.of("deals_utf8.csv", "deals_cp1251.csv", "deals_excel.xls")) {
      expected.put(fixture("bitrix24/" + f), "bitrix24");
    }
    expected.put(fixture("hubspot/hubspot-crm-exports-all-deals-2023-04-03.csv"), "hubspot");
    expected.put(fixture("hubspot/hubspot-crm-exports-q2-deals-2023-05-16.csv"), "hubspot");
    // a Bitrix24 lead export carries the lead's Имя/Фамилия/Название компании, and is still no contact export
    Path leads = dir.resolve("leads.csv");
    Files.write(leads, ("\uFEFF\"ID\";\"Название лида\";\"Статус лида\";\"Имя\";\"Фамилия\";\"Название компании\";"
        + "\"Ответственный\";\"Дата создания\";\n\"1\";\"Заявка\";\"Новый\";\"Ия\";\"Ким\";\"ООО А\";\"Игорь Волков\";"
        + "\"01.01.2024 10:00:00\";\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    expected.put(leads, "bitrix24");
    for (Map.Entry<Path, String> e : expected.entrySet()) {
      assertOwnFormat(e.getKey(), e.getValue());
    }
  }

  @Test
  void scoresOfOneContactFileUnderEveryFormat() throws Exception {
    // the Bitrix24 contact CSV: 15 headers of which Имя, Отчество, Фамилия, Обращение, Должность (own) and
    // ID, Компания, Ответственный, Дата создания, Дата изменения, Источник, Рабочий телефон, Мобильный телефон,
    // Рабочий e-mail, Комментарий (shared) count: 10 * 15 + 30 for the all-quoted ';'-terminated shape
    Map<String, Integer> s = new TreeMap<>(scores(fixture("bitrix24/contacts_utf8.csv")));
    s.keySet().retainAll(CRM_FORMATS);
    Map<String, Integer> expected = new TreeMap<>();
    for (String f : CRM_FORMATS) {
      expected.put(f, f.equals("bitrix24-contacts") ? 180 : 0);
    }
    assertEquals(expected, s);
  }
}
