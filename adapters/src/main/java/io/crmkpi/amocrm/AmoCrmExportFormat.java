package io.crmkpi.amocrm;

import io.crmkpi.files.FileSample;
import io.crmkpi.files.exports.ExportDetection;
import io.crmkpi.files.exports.ExportFormatSupport;
import io.crmkpi.files.exports.ExportProfile;
import io.crmkpi.files.exports.ExportProfile.Field;
import io.crmkpi.files.exports.ExportTable;
import io.crmkpi.source.SourceContext;
import java.util.List;
import java.util.Set;

/**
 * amoCRM / Kommo deal ("сделки") export, CSV or Excel, Russian or English UI. amoCRM has no
 * separate lead entity, so every deal is also a lead. Won/lost come from the system stages
 * ("Успешно реализовано" / "Закрыто и не реализовано", "Closed - won" / "Closed - lost").
 */
public final class AmoCrmExportFormat extends ExportFormatSupport {

  /** Headers only a deal export has: without one, the file is a contact or company export. */
  private static final List<String> DEAL_HEADERS = List.of("Название сделки", "Сделка", "Бюджет", "Бюджет сделки",
      "Этап сделки", "Статус сделки", "Воронка", "Дата создания сделки", "ID сделки", "Lead title", "Lead name",
      "Deal name", "Budget", "Sale", "Lead status", "Stage", "Pipeline", "Lead ID", "Deal ID");

  static boolean isDealExport(Set<String> normalizedHeaders) {
    return ExportDetection.count(normalizedHeaders, DEAL_HEADERS) > 0;
  }

  @Override
  public int detect(FileSample sample) {
    ExportTable t = ExportDetection.sniff(sample);
    return isDealExport(ExportDetection.headers(t)) ? super.detect(sample) : 0;
  }

  @Override
  public String name() {
    return "amocrm";
  }

  @Override
  protected List<String> signature() {
    return List.of("Название сделки", "Бюджет", "Этап сделки", "Статус сделки", "Дата создания сделки",
        "Кем создана сделка", "Теги сделки", "Основной контакт", "Полное имя контакта", "Ответственный за контакт",
        "Кем редактирована", "Дата редактирования", "Примечание", "Lead title", "Lead name", "Budget", "Sale",
        "Responsible user", "Lead status", "Lead tags", "Main contact", "Closing date",
        "Contact full name");
  }

  @Override
  protected int shapeBonus(FileSample sample, ExportTable sniffed, Set<String> headers) {
    return sample.fileName().contains("amocrm") || sample.fileName().contains("kommo") ? 20 : 0;
  }

  @Override
  protected ExportProfile profile(SourceContext context) {
    return new ExportProfile(name())
        .alsoLead(true)
        .decimalSeparator('?')
        .column(Field.ID, "ID", "ID сделки", "Lead ID", "Deal ID")
        .column(Field.TITLE, "Название сделки", "Сделка", "Lead title", "Lead name", "Deal name")
        .column(Field.AMOUNT, "Бюджет", "Бюджет сделки", "Budget", "Sale")
        .column(Field.OWNER, "Ответственный", "Ответственный за сделку", "Responsible user", "Responsible")
        .column(Field.STAGE, "Этап сделки", "Статус сделки", "Этап", "Статус", "Lead status", "Stage", "Status")
        .column(Field.PIPELINE, "Воронка", "Pipeline")
        .column(Field.CREATED_AT, "Дата создания сделки", "Дата создания", "Date created", "Created at",
            "Creation date")
        .column(Field.UPDATED_AT, "Дата редактирования", "Дата изменения", "Date modified", "Modified at",
            "Last modified")
        .column(Field.CLOSED_AT, "Дата закрытия", "Closing date", "Date closed", "Closed at")
        .column(Field.CONTACT, "Основной контакт", "Полное имя контакта", "Main contact", "Contact full name")
        .column(Field.COMPANY, "Компания", "Компания контакта", "Company", "Contact company")
        .column(Field.SOURCE, "Источник", "Source")
        .column(Field.UTM_SOURCE, "utm_source")
        .column(Field.UTM_MEDIUM, "utm_medium")
        .column(Field.UTM_CAMPAIGN, "utm_campaign")
        .column(Field.LOSS_REASON, "Причина отказа", "Loss reason", "Reason for refusal")
        .defaultPipeline("Воронка")
        .stageOrder("Неразобранное", "Первичный контакт", "Переговоры", "Принимают решение",
            "Согласование договора", "Incoming leads", "Initial contact", "Discussions", "Decision making",
            "Contract discussion");
  }
}
