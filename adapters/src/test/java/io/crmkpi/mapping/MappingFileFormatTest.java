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
