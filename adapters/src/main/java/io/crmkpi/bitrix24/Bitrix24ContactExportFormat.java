package io.crmkpi.bitrix24;

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
import java.util.Set;

/**
 * Bitrix24 contact or company list export ("Контакты"/"Компании" → ⚙ → "Экспорт"), in the same
 * physical forms as the deal export: CSV with every value quoted and followed by {@code ;} (UTF-8
 * with BOM or windows-1251), or the "Excel" export, an HTML table. Deal exports name a contact
 * ("Имя Фамилия") or company by its display name, so rows get the {@code StableIds} of that name
 * and deals, contacts and companies of one folder join; the Bitrix24 {@code ID} stays a custom field.
 */
public final class Bitrix24ContactExportFormat implements FileFormat {

  /** Headers of a contact export (a lead export has them too, and a lead marker). */
  private static final List<String> CONTACT_HEADERS = List.of("Имя", "Фамилия", "Отчество", "Обращение",
      "Должность", "Тип контакта", "Дата рождения", "First Name", "Last Name", "Second Name", "Middle Name",
      "Salutation", "Position", "Contact Type", "Date of birth");

  /** Headers of a company export. */
  private static final List<String> COMPANY_HEADERS = List.of("Название компании", "Тип компании",
      "Сфера деятельности", "Годовой оборот", "Кол-во сотрудников", "Реквизиты", "Company Name", "Company Type",
      "Industry", "Annual Income", "Employees");

  /** Headers both share. */
  private static final List<String> SHARED_HEADERS = List.of("ID", "Компания", "Ответственный", "Дата создания",
      "Дата изменения", "Источник", "Рабочий телефон", "Мобильный телефон", "Рабочий e-mail", "Частный e-mail",
      "Кем создан", "Кем изменен", "Комментарий", "Доступен для всех", "Company", "Responsible", "Created",
      "Modified", "Source", "Work Phone", "Mobile Phone", "Work E-mail", "Created by", "Modified by", "Comment");

  /** Headers of deal and lead exports: such a file belongs to {@link Bitrix24ExportFormat}. */
  private static final List<String> DEAL_OR_LEAD_HEADERS = List.of("Стадия сделки", "Стадия", "Сумма", "Воронка",
      "Направление", "Статус лида", "Статус", "Название лида", "Название сделки", "Deal Stage", "Stage", "Amount",
      "Sales Funnel", "Lead Status", "Status", "Lead Name", "Lead Title", "Deal Name", "Opportunity", "Income");

  @Override
  public String name() {
    return "bitrix24-contacts";
  }

  /** A contact or company export, not a deal or lead export (which carry contact columns too). */
  static boolean isPartyExport(Set<String> normalizedHeaders) {
    return ExportDetection.count(normalizedHeaders, CONTACT_HEADERS)
        + ExportDetection.count(normalizedHeaders, COMPANY_HEADERS) > 0
        && ExportDetection.count(normalizedHeaders, DEAL_OR_LEAD_HEADERS) == 0;
  }

  /** The physical form only Bitrix24 writes: all-quoted {@code ;} CSV with a trailing {@code ;}, or HTML. */
  static boolean bitrixShape(ExportTable t) {
    ExportTable.Shape s = t.shape();
    return s.kind().equals("html")
        || s.kind().equals("csv") && s.delimiter() == ';' && s.allQuoted() && s.trailingDelimiter();
  }

  @Override
  public int detect(FileSample sample) {
    ExportTable t = ExportDetection.sniff(sample);
    if (ExportDetection.notAnExport(sample, t) || !bitrixShape(t)) {
      return 0;
    }
    Set<String> h = ExportDetection.headers(t);
    if (!isPartyExport(h)) {
      return 0;
    }
    int hits = ExportDetection.count(h, CONTACT_HEADERS) + ExportDetection.count(h, COMPANY_HEADERS)
        + ExportDetection.count(h, SHARED_HEADERS);
    // the shape is Bitrix24's alone: above any header count another CRM's format can reach on it
    return hits < 2 ? 0 : 10 * hits + 30;
  }

  @Override
  public void load(Path file, LoadSession session, SourceContext context) throws SourceException, SQLException {
    PartyExportLoader.loadFile(profile(), CONTACT_HEADERS, COMPANY_HEADERS, file, session, context);
  }

  static PartyExportProfile profile() {
    PartyExportProfile p = new PartyExportProfile("bitrix24-contacts");
    for (String e : List.of("contact", "company")) {
      p.column(e, Field.ID, "ID")
          .column(e, Field.OWNER, "Ответственный", "Responsible", "Responsible person")
          .column(e, Field.CREATED_AT, "Дата создания", "Created", "Creation Date", "Created on");
    }
    // crm.companies has no updated_at, phone or e-mail: those company columns stay custom fields
    return p
        .column("contact", Field.UPDATED_AT, "Дата изменения", "Modified", "Modification Date", "Modified on")
        .column("contact", Field.FIRST_NAME, "Имя", "First Name")
        .column("contact", Field.LAST_NAME, "Фамилия", "Last Name")
        .column("contact", Field.COMPANY, "Компания", "Company")
        .column("contact", Field.EMAIL, "Рабочий e-mail", "Частный e-mail", "E-mail для рассылок", "Другой e-mail",
            "E-mail", "Work E-mail", "Personal E-mail", "Newsletter E-mail", "Other E-mail")
        .column("contact", Field.PHONE, "Рабочий телефон", "Мобильный телефон", "Домашний телефон", "Другой телефон",
            "Телефон", "Work Phone", "Mobile Phone", "Home Phone", "Other Phone", "Phone")
        .column("contact", Field.UTM_SOURCE, "Рекламная система", "UTM Source", "utm_source", "Advertising System")
        .column("contact", Field.SOURCE, "Источник", "Source")
        .column("company", Field.NAME, "Название компании", "Название", "Company Name", "Title", "Name")
        .column("company", Field.INDUSTRY, "Сфера деятельности", "Industry");
  }
}
