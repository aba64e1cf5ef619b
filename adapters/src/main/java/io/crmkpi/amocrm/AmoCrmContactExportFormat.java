package io.crmkpi.amocrm;

import io.crmkpi.files.FileFormat;
import io.crmkpi.files.FileSample;
import io.crmkpi.files.exports.ExportDetection;
import io.crmkpi.files.exports.ExportTable;
import io.crmkpi.files.exports.PartyExportLoader;
import io.crmkpi.files.exports.PartyExportProfile;
import io.crmkpi.files.exports.PartyExportProfile.Field;
import io.crmkpi.source.SourceContext;
import io.crmkpi.source.SourceException;
import io.crmkpi.store.LoadSession;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * amoCRM / Kommo contact or company export ("Контакты" → "Ещё" → "Экспорт"), CSV or Excel,
 * Russian or English UI; also the "all contacts and companies" file, whose "Тип" column says
 * what each row is. Contacts and companies get the ids a deal export gives the same names, so
 * deals, contacts and companies of one folder join.
 */
public final class AmoCrmContactExportFormat implements FileFormat {

  /** Headers of a contact export (not of a company export). */
  private static final List<String> CONTACT_HEADERS = List.of("Полное имя", "Имя", "Фамилия", "Full name",
      "First name", "Last name", "Должность", "Position");

  /** Headers of a company export (not of a contact export). */
  private static final List<String> COMPANY_HEADERS = List.of("Название компании", "Company name",
      "Сфера деятельности", "Industry");

  /** Headers both exports share. */
  private static final List<String> SHARED_HEADERS = List.of("Тип", "Наименование", "Компания", "Рабочий телефон",
      "Мобильный телефон", "Рабочий email", "Личный email", "Телефон", "E-mail", "Web", "Адрес", "Дата создания",
      "Дата изменения", "Создатель", "Автор изменения", "Кем создан", "Кем создана", "Ближайшая задача",
      "Ответственный", "Теги", "Сделки", "Примечание", "Work phone", "Mobile phone", "Work email", "Personal email",
      "Date created", "Date modified", "Created by", "Modified by", "Responsible user", "Tags", "Leads",
      "Closest task", "Company");

  private static final List<String> ENTITY_TYPES = List.of("Тип", "Type");

  /** Columns of HubSpot exports (amoCRM has none of them): such a file is HubSpotContactExportFormat's. */
  private static final List<String> HUBSPOT_HEADERS = List.of("Record ID", "Contact owner", "Company owner",
      "Lifecycle Stage", "Create Date");

  @Override
  public String name() {
    return "amocrm-contacts";
  }

  @Override
  public int detect(FileSample sample) {
    ExportTable t = ExportDetection.sniff(sample);
    if (ExportDetection.notAnExport(sample, t)) {
      return 0;
    }
    Set<String> h = ExportDetection.headers(t);
    if (AmoCrmExportFormat.isDealExport(h) || foreign(sample, t, h)) {
      return 0;
    }
    int own = ExportDetection.count(h, CONTACT_HEADERS) + ExportDetection.count(h, COMPANY_HEADERS);
    int hits = own + ExportDetection.count(h, SHARED_HEADERS);
    if (hits < 2 || own == 0 && ExportDetection.count(h, ENTITY_TYPES) == 0) {
      return 0;
    }
    String file = sample.fileName().toLowerCase(Locale.ROOT);
    return 10 * hits + (file.contains("amocrm") || file.contains("kommo") ? 20 : 0);
  }

  /**
   * Another CRM's contact or company export with headers like amoCRM's: Bitrix24 writes HTML or an
   * all-quoted CSV with a {@code ;} after every value, HubSpot names its files and has Record ID.
   */
  private static boolean foreign(FileSample sample, ExportTable t, Set<String> h) {
    ExportTable.Shape s = t.shape();
    boolean bitrix = s.kind().equals("html") || s.kind().equals("csv") && s.allQuoted() && s.trailingDelimiter();
    boolean hubspot = sample.fileName().startsWith("hubspot-crm-exports")
        || ExportDetection.count(h, HUBSPOT_HEADERS) > 0;
    return bitrix || hubspot;
  }

  @Override
  public void load(Path file, LoadSession session, SourceContext context) throws SourceException, SQLException {
    PartyExportLoader.loadFile(profile(), CONTACT_HEADERS, COMPANY_HEADERS, file, session, context);
  }

  static PartyExportProfile profile() {
    PartyExportProfile p = new PartyExportProfile("amocrm-contacts")
        .typeColumn("Тип", "Type")
        .typeValue("Контакт", "contact").typeValue("Contact", "contact").typeValue("Person", "contact")
        .typeValue("Компания", "company").typeValue("Company", "company");
    for (String e : List.of("contact", "company")) {
      p.column(e, Field.ID, "ID", e.equals("contact") ? "ID контакта" : "ID компании",
              e.equals("contact") ? "Contact ID" : "Company ID")
          .column(e, Field.OWNER, "Ответственный", "Responsible user", "Responsible")
          .column(e, Field.CREATED_AT, "Дата создания", "Date created", "Created at", "Creation date");
    }
    // crm.companies has no updated_at: a company's modification date stays a custom field
    return p
        .column("contact", Field.UPDATED_AT, "Дата изменения", "Дата редактирования", "Date modified", "Modified at",
            "Last modified")
        .column("contact", Field.NAME, "Полное имя", "Полное имя контакта", "Наименование", "Full name",
            "Contact full name", "Name")
        .column("contact", Field.FIRST_NAME, "Имя", "First name")
        .column("contact", Field.LAST_NAME, "Фамилия", "Last name")
        .column("contact", Field.COMPANY, "Компания", "Компания контакта", "Название компании", "Company",
            "Contact company", "Company name")
        .column("contact", Field.EMAIL, "Рабочий email", "Личный email", "Другой email", "E-mail", "Email",
            "Work email", "Personal email", "Other email")
        .column("contact", Field.PHONE, "Рабочий телефон", "Мобильный телефон", "Рабочий прямой телефон",
            "Домашний телефон", "Другой телефон", "Телефон", "Work phone", "Mobile phone", "Direct work phone",
            "Work direct phone", "Home phone", "Other phone", "Phone")
        .column("contact", Field.UTM_SOURCE, "utm_source")
        .column("contact", Field.SOURCE, "Источник", "Source")
        .column("company", Field.NAME, "Название компании", "Наименование", "Название", "Компания",
            "Company name", "Name", "Company")
        .column("company", Field.INDUSTRY, "Сфера деятельности", "Отрасль", "Industry");
  }
}
