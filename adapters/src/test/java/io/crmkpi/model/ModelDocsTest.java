package io.crmkpi.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/data-model.md is generated from the model; this fails when someone forgets to regenerate it. */
class ModelDocsTest {

  @Test
  void dataModelDocMatchesTheCode() throws Exception {
    Path doc = Path.of("..", "docs", "data-model.md");
    if (Boolean.getBoolean("crmkpi.docs.write")) {
      ModelDocs.write(doc);
    }
    assertTrue(Files.exists(doc), "missing " + doc.toAbsolutePath()
        + "; run: mvn -pl adapters test -Dcrmkpi.docs.write=true");
    assertEquals(ModelDocs.render(), Files.readString(doc),
        "docs/data-model.md is stale; run: mvn -pl adapters test -Dcrmkpi.docs.write=true");
  }

  @Test
  void everyTableIsDocumentedWithItsColumns() {
    String doc = ModelDocs.render();
    for (Table t : CanonicalModel.tables()) {
      assertTrue(doc.contains("\n## crm." + t.name() + "\n"), t.name());
      for (Column c : t.columns()) {
        assertTrue(doc.contains("| " + c.name() + " | " + c.type().ddl() + " |"), t.name() + "." + c.name());
      }
    }
  }
}
