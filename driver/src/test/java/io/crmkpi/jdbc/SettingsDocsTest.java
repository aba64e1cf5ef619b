package io.crmkpi.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmkpi.settings.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/configuration.md's settings tables are generated from the declarations; this fails when they drift. */
class SettingsDocsTest {

  private static final Path DOC = Path.of("..", "docs", "configuration.md");

  @Test
  void configurationDocMatchesTheDeclarations() throws Exception {
    if (Boolean.getBoolean("crmkpi.docs.write")) {
      SettingsDocs.write(DOC);
    }
    assertEquals(SettingsDocs.render(Files.readString(DOC)), Files.readString(DOC),
        "docs/configuration.md is stale; run: mvn -pl driver -am test -Dtest=SettingsDocsTest "
            + "-Dcrmkpi.docs.write=true -Dsurefire.failIfNoSpecifiedTests=false");
  }

  @Test
  void everyDeclaredSettingHasARow() {
    String tables = SettingsDocs.tables();
    for (Setting<?> s : DriverSettings.all().all()) {
      assertTrue(tables.contains("| `" + s.key() + "` | " + s.defaultText().replace("|", "\\|") + " | "), s.key());
    }
    assertTrue(tables.contains("| `deletions` | auto | one of auto, scan, off | data | how deleted records are found"),
        tables);
    assertTrue(!tables.contains("script"), "test sources are not documented");
  }
}
