package io.crmkpi.bitrix24;

import io.crmkpi.files.FileSample;
import io.crmkpi.files.exports.ExportDetection;
import io.crmkpi.files.exports.ExportFormatSupport;
import io.crmkpi.files.exports.ExportProfile;
import io.crmkpi.files.exports.ExportProfile.Field;
import io.crmkpi.files.exports.ExportTable;
import io.crmkpi.files.exports.ExportLoader;
import io.crmkpi.source.SourceContext;
import io.crmkpi.source.SourceException;
import io.crmkpi.store.LoadSession;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/**
 * Bitrix24 deal or lead list export: the CSV (every value quoted and followed by {@code ;}, display
 * names instead of ids, UTF-8 with BOM or windows-1251) and the "Excel" export, which is an HTML
 * table. Stage kinds come from the default stage names; custom stages need
 * {@code stage_kinds=Name:won,...}.
 */
public final class Bitrix24ExportFormat extends ExportFormatSupport {

  private static final List<String> LEAD_MARKERS = List.of("Название лида", "Статус лида", "Lead Name", "Lead Status",
      "Lead Title");

  @Override
  public String name() {
    return "bitrix24";
  }

  @Override
  protected List<String> signature() {
    return List.of("Стадия сделки", "Сумма", "Валюта", "Направление", "Предполагаемая дата закрытия",
        "Сделка закрыта", "Дата изменения", "Кем создана", "Кем изменена", "Рекламная система", "Тип трафика",
        "Обозначение рекламной кампании", "Название лида", "Статус лида", "Кем создан", "Кем изменен",
        "Sales Funnel", "Responsible", "Creation Date", "Modification Date", "Created By", "Modified By",
        "Advertising System", "Traffic Type", "Campaign Identifier", "Stage Group", "Lead Name");
  }

  @Override
  public int detect(FileSample sample) {
    ExportTable t = ExportDetection.sniff(sample);
    // contact and company exports share Дата изменения, Кем создан... but are Bitrix24ContactExportFormat's
    return Bitrix24ContactExportFormat.isPartyExport(ExportDetection.headers(t)) ? 0 : super.detect(sample);
  }

  @Override
  protected int shapeBonus(FileSample sample, ExportTable t, Set<String> headers) {
    ExportTable.Shape s = t.shape();
    boolean bitrixCsv = s.kind().equals("csv") && s.delimiter() == ';' && s.allQuoted() && s.trailingDelimiter();
    return bitrixCsv || s.kind().equals("html") ? 30 : 0;
  }

  @Override
  public void load(Path file, LoadSession session, SourceContext context) throws SourceException, SQLException {
    boolean leads;
    try {
      ExportTable t = ExportDetection.sniff(io.crmkpi.files.FileSample.of(file));
      leads = ExportDetection.count(ExportDetection.headers(t), LEAD_MARKERS) > 0;
    } catch (java.io.IOException e) {
      throw new SourceException(file.getFileName() + ": cannot read (" + e.getMessage() + ")", e);
    }
    new ExportLoader(leads ? leadProfile() : profile(context)).load(file, session, context);
  }

  @Override
  protected ExportProfile profile(SourceContext context) {
    return common(new ExportProfile(name()))
        .column(Field.TITLE, "Название", "Название сделки", "Title", "Deal Name", "Name")
        .column(Field.STAGE, "Стадия сделки", "Стадия", "Deal Stage", "Stage")
        .column(Field.PIPELINE, "Воронка", "Направление", "Sales Funnel", "Pipeline", "Funnel")
        .column(Field.CLOSED_AT, "Дата завершения", "Предполагаемая дата закрытия", "Close Date", "Closed on")
        .column(Field.IS_CLOSED, "Сделка закрыта", "Закрыта", "Closed")
        // CLOSEDATE and PROBABILITY (0-100, typed per deal)
        .column(Field.EXPECTED_CLOSE, "Предполагаемая дата закрытия", "Close Date", "Expected close date")
        .column(Field.PROBABILITY, "Вероятность", "Вероятность, %", "Probability", "Probability, %")
        .column(Field.CONTACT, "Контакт", "Contact")
        .column(Field.COMPANY, "Компания", "Company")
        .defaultPipeline("Общая")
        .stageOrder("Новая", "Подготовка документов", "Счёт на предоплату", "В работе", "Финальный счёт",
            "New", "Document preparation", "Prepayment invoice", "In progress", "Final invoice");
  }

  private ExportProfile leadProfile() {
    return common(new ExportProfile(name())).entity("lead")
        .column(Field.TITLE, "Название лида", "Lead Name", "Lead Title", "Название", "Title")
        .column(Field.STAGE, "Статус лида", "Статус", "Lead Status", "Status")
        .column(Field.COMPANY, "Название компании", "Company Name");
  }

  private static ExportProfile common(ExportProfile p) {
    return p.decimalSeparator('.')
        .column(Field.ID, "ID")
        .column(Field.AMOUNT, "Сумма", "Amount", "Income", "Opportunity")
        .column(Field.CURRENCY, "Валюта", "Currency")
        .column(Field.OWNER, "Ответственный", "Responsible", "Responsible person")
        .column(Field.CREATED_AT, "Дата создания", "Creation Date", "Created on", "Created")
        .column(Field.UPDATED_AT, "Дата изменения", "Modification Date", "Modified on", "Modified")
        .column(Field.SOURCE, "Источник", "Source")
        .column(Field.UTM_SOURCE, "Рекламная система", "UTM Source", "utm_source", "Advertising System")
        .column(Field.UTM_MEDIUM, "Тип трафика", "UTM Medium", "utm_medium", "Traffic Type")
        .column(Field.UTM_CAMPAIGN, "Обозначение рекламной кампании", "UTM Campaign", "utm_campaign",
            "Campaign Identifier");
  }
}
