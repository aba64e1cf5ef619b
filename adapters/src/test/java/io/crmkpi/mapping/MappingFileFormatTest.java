package io.crmkpi.mapping;

import static io.crmkpi.files.exports.ExportFixtures.fixture;
import static io.crmkpi.files.exports.ExportFixtures.load;
import static io.crmkpi.files.exports.ExportFixtures.one;
import static io.crmkpi.files.exports.ExportFixtures.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmkpi.source.SourceContext;
import io.crmkpi.source.SourceException;
import io.crmkpi.store.LoadSession;
import io.crmkpi.store.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappingFileFormatTest {

  @Test
  void mappingBesideTheFileDrivesEncodingNumbersDatesZoneStagesAndChannels() throws Exception {
    try (Store store = Store.inMemory()) {
      var report = load(store, new MappingFileFormat(), fixture("mapping/sales.csv"), Map.of("timezone", "UTC"));
      assertEquals(List.of(4L, 3L, 1L), List.of(report.totalRead(), report.totalLoaded(), report.totalRejected()));
      // Moscow wall-clock times shifted to UTC (-3 h)
      assertEquals(List.of(
          "1|Кухня|won|1250000.75|RUB|2024-02-01T09:00|2024-02-05T12:30|Анна|Мебель|Оплачено|won|classifieds",
          "2|Шкаф|open|80000.00|RUB|2024-02-03T07:00|NULL|Борис|Мебель|Замер|open|сайт",
          "3|Стол|lost|15000.00|RUB|2024-02-04T08:00|2024-02-06T08:00|Анна|Мебель|Отказ|lost|unknown"),
          rows(store, "SELECT d.deal_id, d.title, d.status, d.amount, d.currency, d.created_at, d.closed_at, u.name, "
              + "p.name, s.name, s.kind, d.channel FROM crm.deals d JOIN crm.stages s USING (stage_id) "
              + "JOIN crm.pipelines p ON p.pipeline_id = d.pipeline_id "
              + "JOIN crm.users u ON u.user_id = d.owner_user_id ORDER BY d.deal_id"));
      assertEquals("sales.csv:5|column 'Создана' value '32/02/2024 10:00' is not a date",
          one(store, "SELECT location, reason FROM crm.load_rejects"));
      assertEquals("Комментарий|срочно", one(store, "SELECT field_name, value FROM crm.custom_fields"));
      assertEquals("classifieds", one(store, "SELECT channel FROM crm.deals WHERE deal_id = '1'"));
    }
  }

  @Test
  void detectsOnlyFilesWithAMappingBeside(@TempDir Path dir) throws Exception {
    MappingFileFormat f = new MappingFileFormat();
    assertEquals(200, f.detect(io.crmkpi.files.FileSample.of(fixture("mapping/sales.csv"))));
    Path lone = Files.writeString(dir.resolve("other.csv"), "a;b\n1;2\n");
    assertEquals(0, f.detect(io.crmkpi.files.FileSample.of(lone)));
  }

  /**
   * An amoCRM deal export whose account keeps a planned close date and a probability (0-1) in custom
   * fields: a mapping file maps them; the date is the day as written, whatever the zones.
   */
  @Test
  void customFieldsMappedToTheExpectedCloseDateAndAFractionalProbability(@TempDir Path dir) throws Exception {
    Path data = Files.writeString(dir.resolve("amocrm_export_leads_2024-06-01.csv"),
        "ID;Название сделки;Этап сделки;Бюджет;Плановая дата;Шанс\n"
            + "201;Сайт;Переговоры;1000;30.06.2024 23:30;0,25\n"
            + "202;Бот;Успешно реализовано;2000;31.05.2024;1\n"
            + "203;Лендинг;Переговоры;500;;\n"
            + "204;Аудит;Переговоры;700;01.07.2024;2\n"
            + "205;SEO;Переговоры;900;когда-нибудь;0,5\n", StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("amocrm_export_leads_2024-06-01.mapping.yaml"), "decimal_separator: \",\"\n"
        + "timezone: Asia/Vladivostok\nprobability_scale: 1\ncolumns:\n  deal_id: ID\n  title: Название сделки\n"
        + "  stage: Этап сделки\n  amount: Бюджет\n  expected_close_date: Плановая дата\n  probability: Шанс\n"
        + "stages:\n  Успешно реализовано: won\n", StandardCharsets.UTF_8);
    try (Store store = Store.inMemory()) {
      var report = load(store, new MappingFileFormat(), data, Map.of("timezone", "UTC"));
      assertEquals(List.of(5L, 3L, 2L), List.of(report.totalRead(), report.totalLoaded(), report.totalRejected()));
      // 23:30 in Vladivostok is 13:30 UTC the same day, but a day is never moved anyway; 0,25 of 1 = 25 %
      assertEquals(List.of("201|open|2024-06-30|25.0", "202|won|2024-05-31|100.0", "203|open|NULL|NULL"),
          rows(store, "SELECT deal_id, status, expected_close_date, probability FROM crm.deals ORDER BY 1"));
      assertEquals(List.of(
          "amocrm_export_leads_2024-06-01.csv:5|column 'Шанс' value '2' is not a probability between 0 and 1",
          "amocrm_export_leads_2024-06-01.csv:6|column 'Плановая дата' value 'когда-нибудь' is not a date"),
          rows(store, "SELECT location, reason FROM crm.load_rejects ORDER BY 1"));
    }
  }

  @Test
  void badProbabilityScaleNamesTheKey(@TempDir Path dir) throws Exception {
    Path data = Files.writeString(dir.resolve("x.csv"), "A,B\n1,2\n");
    Files.writeString(dir.resolve("x.mapping.yaml"), "probability_scale: 10\ncolumns:\n  title: A\n");
    try (Store store = Store.inMemory(); LoadSession session = store.load("files")) {
      SourceException e = assertThrows(SourceException.class,
          () -> new MappingFileFormat().load(data, session, SourceContext.of(Map.of())));
      assertEquals("x.mapping.yaml: probability_scale must be 100 (40 = 40 %) or 1 (0.4 = 40 %), got '10'",
          e.getMessage());
    }
  }

  @Test
  void badMappingNamesTheKey(@TempDir Path dir) throws Exception {
    Path data = Files.writeString(dir.resolve("x.csv"), "A,B\n1,2\n");
    Files.writeString(dir.resolve("x.mapping.yaml"), "columns:\n  titel: A\n");
    try (Store store = Store.inMemory(); LoadSession session = store.load("files")) {
      SourceException e = assertThrows(SourceException.class,
          () -> new MappingFileFormat().load(data, session, SourceContext.of(Map.of())));
      assertTrue(e.getMessage().startsWith("x.mapping.yaml: columns: unknown field 'titel'"), e.getMessage());
    }
  }
}
