package io.crmkpi.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docs/metrics/ is generated from the definitions; CI fails when it is stale. */
class MetricDocsTest {

  private static final Path DIR = Path.of("..", "docs", "metrics");

  @Test
  void generatedDocsMatchTheDefinitions() throws Exception {
    var defs = MetricLibrary.builtIn().definitions();
    if (Boolean.getBoolean("crmkpi.docs.write")) {
      MetricDocs.write(DIR, defs);
    }
    for (Map.Entry<String, String> page : MetricDocs.render(defs).entrySet()) {
      Path f = DIR.resolve(page.getKey());
      assertTrue(Files.exists(f), "missing " + f + "; run: mvn -pl metrics-sql test -Dcrmkpi.docs.write=true");
      assertEquals(page.getValue(), Files.readString(f),
          f + " is stale; run: mvn -pl metrics-sql test -Dcrmkpi.docs.write=true");
    }
  }

  @Test
  void everyColumnOfEveryViewIsDescribed() {
    for (MetricDefinition d : MetricLibrary.builtIn().definitions()) {
      assertTrue(d.description().length() > 20, d.qualifiedName() + " needs a description");
      for (var c : d.columns()) {
        assertTrue(!c.description().isBlank(), d.qualifiedName() + "." + c.name() + " needs a description");
      }
    }
  }
}
