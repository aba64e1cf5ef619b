package io.crmkpi.jdbc;

import io.crmkpi.metrics.MetricSettings;
import io.crmkpi.settings.Setting;
import io.crmkpi.source.SourceContext;
import io.crmkpi.source.SourceFactory;
import io.crmkpi.source.Sources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The settings tables of {@code docs/configuration.md}, generated from the declarations (the driver's,
 * {@link SourceContext}'s, {@link MetricSettings}' and each shipped source's), between two marker
 * lines; the prose around them is written by hand.
 */
final class SettingsDocs {

  static final String BEGIN = "<!-- settings tables: generated from the declarations; do not edit. "
      + "Regenerate: mvn -pl driver -am test -Dtest=SettingsDocsTest -Dcrmkpi.docs.write=true "
      + "-Dsurefire.failIfNoSpecifiedTests=false -->";
  static final String END = "<!-- end of the generated settings tables -->";

  private SettingsDocs() {
  }

  /** {@code doc} with the region between the markers replaced by the current tables. */
  static String render(String doc) {
    int b = doc.indexOf(BEGIN);
    int e = doc.indexOf(END);
    if (b < 0 || e < b) {
      throw new IllegalArgumentException("docs/configuration.md lacks the marker lines " + BEGIN + " and " + END);
    }
    return doc.substring(0, b + BEGIN.length()) + "\n\n" + tables() + "\n" + doc.substring(e);
  }

  static void write(Path doc) throws IOException {
    Files.writeString(doc, render(Files.readString(doc)));
  }

  /** Every table: the driver's and every source's settings, the KPI views', then each source's own. */
  static String tables() {
    StringBuilder b = new StringBuilder();
    List<Setting<?>> connection = new ArrayList<>(DriverSettings.SETTINGS);
    connection.add(SourceContext.STRICT);
    table(b, "## Connection and store", "", connection);
    table(b, "## Reporting settings (used by the KPI views and the sources)", "", MetricSettings.SETTINGS);
    b.append("## Source settings\n\n");
    b.append("Each source accepts the settings above and its own; any other key is refused with the nearest known "
        + "key (`timezon` → \"did you mean timezone?\").\n\n");
    for (SourceFactory f : shipped()) {
      if (!f.settings().isEmpty()) {
        table(b, "### `" + f.kind() + "`", "", f.settings());
      } else {
        b.append("### `").append(f.kind()).append("`\n\nNo settings of its own.\n\n");
      }
    }
    return b.toString();
  }

  /** The sources crmkpi ships (not test sources on the class path): those of the adapters module. */
  private static List<SourceFactory> shipped() {
    var home = SourceFactory.class.getProtectionDomain().getCodeSource();
    return Sources.factories().values().stream()
        .filter(f -> Objects.equals(f.getClass().getProtectionDomain().getCodeSource(), home)).toList();
  }

  private static void table(StringBuilder b, String title, String intro, List<Setting<?>> settings) {
    b.append(title).append("\n\n").append(intro);
    b.append("| key | default | values | role | meaning |\n|---|---|---|---|---|\n");
    for (Setting<?> s : settings) {
      b.append("| `").append(s.key()).append("` | ").append(cell(s.defaultText())).append(" | ")
          .append(cell(s.type().expected())).append(" | ").append(s.role().label()).append(" | ")
          .append(cell(s.description())).append(" |\n");
    }
    b.append('\n');
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }
}
