package io.crmkpi.files;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmkpi.model.CanonicalModel;
import io.crmkpi.model.Column;
import io.crmkpi.model.Table;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/sources/canonical-csv.md documents every loadable table and column of the model, so it cannot drift. */
class CanonicalCsvDocTest {

  @Test
  void everyLoadableTableAndColumnIsDocumented() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "sources", "canonical-csv.md"), StandardCharsets.UTF_8);
    for (Table t : CanonicalModel.tables()) {
      String heading = "### `" + t.name() + ".csv` → `crm." + t.name() + "`";
      boolean loadable = CanonicalCsvFormat.table(t.name()).isPresent();
      assertTrue(doc.contains(heading) == loadable, t.name() + (loadable ? " is not documented" : " is not loadable"));
      if (!loadable) {
        continue;
      }
      int from = doc.indexOf(heading);
      int to = doc.indexOf("### ", from + heading.length());
      String section = doc.substring(from, to < 0 ? doc.length() : to);
      for (Column c : t.columns()) {
        assertTrue(section.contains("| `" + c.name() + "`"), t.name() + "." + c.name() + " is not documented");
      }
      for (String k : t.primaryKey()) {
        assertTrue(section.contains("| `" + k + "` **key**"), t.name() + "." + k + " is not marked as key");
      }
    }
  }
}
