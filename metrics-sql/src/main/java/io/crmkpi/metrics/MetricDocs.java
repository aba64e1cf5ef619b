package io.crmkpi.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Generates {@code docs/metrics/}: one page per view (definition, columns, formula, settings,
 * pitfalls, an example query) and an index, from the same definitions that give JDBC REMARKS.
 */
public final class MetricDocs {

  private MetricDocs() {
  }

  /** File name → content for every generated page. */
  public static Map<String, String> render(List<MetricDefinition> definitions) {
    Map<String, String> pages = new LinkedHashMap<>();
    StringBuilder index = new StringBuilder("# The KPI library\n\n")
        .append("<!-- generated from metrics-sql/src/main/resources/io/crmkpi/metrics; do not edit: "
            + "run `mvn -pl metrics-sql test -Dcrmkpi.docs.write=true` -->\n\n")
        .append("Every view is generated from a definition file (see [authoring.md](authoring.md)). ")
        .append("Rates are fractions in [0, 1] next to the counts they come from; a zero denominator gives NULL. ")
        .append("Money is in the base currency; deleted deals are excluded.\n\n")
        .append("| view | what it answers |\n|---|---|\n");
    for (MetricDefinition d : definitions) {
      String file = d.schema() + "." + d.name() + ".md";
      index.append("| [`").append(d.qualifiedName()).append("`](").append(file).append(") | ")
          .append(firstSentence(d.description())).append(" |\n");
      pages.put(file, page(d));
    }
    pages.put("README.md", index.toString());
    return pages;
  }

  private static String page(MetricDefinition d) {
    StringBuilder b = new StringBuilder("# ").append(d.qualifiedName()).append("\n\n")
        .append("<!-- generated from ").append(d.origin().replace("built-in ", "metrics-sql/…/metrics/"))
        .append("; do not edit -->\n\n").append(d.description()).append("\n\n## Columns\n\n")
        .append("| column | description |\n|---|---|\n");
    for (MetricDefinition.MetricColumn c : d.columns()) {
      b.append("| ").append(c.name()).append(" | ").append(c.description().replace("\n", " ")).append(" |\n");
    }
    if (!d.settings().isEmpty()) {
      b.append("\n## Settings it uses\n\n");
      for (String s : d.settings()) {
        b.append("- `").append(s).append("`: ").append(MetricSettings.DOCUMENTATION.get(s)).append('\n');
      }
    }
    if (!d.pitfalls().isEmpty()) {
      b.append("\n## Pitfalls handled\n\n");
      for (String p : d.pitfalls()) {
        b.append("- ").append(p).append('\n');
      }
    }
    if (!d.example().isBlank()) {
      b.append("\n## Example\n\n```sql\n").append(d.example()).append("\n```\n");
    }
    b.append("\n## Definition (formula)\n\n```sql\n").append(d.sql()).append("\n```\n");
    return b.toString();
  }

  private static String firstSentence(String text) {
    String t = text.replace("\n", " ").trim();
    int dot = t.indexOf(". ");
    return (dot > 0 ? t.substring(0, dot + 1) : t).replace("|", "\\|");
  }

  /** Writes every page into {@code dir}, removing generated pages of views that no longer exist. */
  public static void write(Path dir, List<MetricDefinition> definitions) throws IOException {
    Files.createDirectories(dir);
    Map<String, String> pages = render(definitions);
    try (Stream<Path> old = Files.list(dir)) {
      for (Path p : old.toList()) {
        String n = p.getFileName().toString();
        if ((n.startsWith("kpi.") || n.startsWith("util.")) && !pages.containsKey(n)) {
          Files.delete(p);
        }
      }
    }
    for (Map.Entry<String, String> e : pages.entrySet()) {
      Files.writeString(dir.resolve(e.getKey()), e.getValue());
    }
  }
}
