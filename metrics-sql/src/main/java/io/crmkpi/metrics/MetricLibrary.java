package io.crmkpi.metrics;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The set of view definitions for a connection: the built-in library (listed in
 * {@code io/crmkpi/metrics/index.txt}, in dependency order) plus a user folder of {@code *.yaml}
 * files that add or override views. Files that cannot be read are kept as {@link #problems()} so
 * that the other views keep working.
 */
public final class MetricLibrary {

  private static final String INDEX = "io/crmkpi/metrics/index.txt";
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z_]+)}");

  private final Map<String, MetricDefinition> definitions;
  private final List<String> problems;

  private MetricLibrary(Map<String, MetricDefinition> definitions, List<String> problems) {
    this.definitions = definitions;
    this.problems = problems;
  }

  /** The built-in definitions only. */
  public static MetricLibrary builtIn() {
    return load(null);
  }

  /** Built-ins plus the user's folder (may be null). */
  public static MetricLibrary load(Path userFolder) {
    Map<String, MetricDefinition> defs = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (String resource : index()) {
      String schema = resource.substring(0, resource.indexOf('/'));
      try (InputStream in = resource("io/crmkpi/metrics/" + resource)) {
        MetricDefinition d = MetricDefinitionReader.read(in, "built-in " + resource, schema);
        defs.put(d.qualifiedName(), d);
      } catch (IOException e) {
        throw new IllegalStateException("cannot read built-in definition " + resource, e);
      }
    }
    if (userFolder != null) {
      if (!Files.isDirectory(userFolder)) {
        problems.add("metrics=" + userFolder + ": not a folder; put one .yaml definition per view in it "
            + "(see docs/metrics/authoring.md)");
      } else {
        try (Stream<Path> files = Files.list(userFolder)) {
          for (Path f : files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
              .sorted().toList()) {
            try (InputStream in = Files.newInputStream(f)) {
              MetricDefinition d = MetricDefinitionReader.read(in, f.toString(), "kpi");
              // an override takes the built-in's place (views after it may read it); a new view goes last
              defs.put(d.qualifiedName(), d);
            } catch (MetricDefinitionException e) {
              problems.add(e.getMessage());
            } catch (IOException e) {
              problems.add(f + ": cannot read: " + e.getMessage());
            }
          }
        } catch (IOException e) {
          problems.add("metrics=" + userFolder + ": cannot list: " + e.getMessage());
        }
      }
    }
    return new MetricLibrary(defs, problems);
  }

  private static List<String> index() {
    try (InputStream in = resource(INDEX);
         BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      return r.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + INDEX, e);
    }
  }

  private static InputStream resource(String name) throws IOException {
    InputStream in = MetricLibrary.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IOException("missing resource " + name);
    }
    return in;
  }

  /** Definitions in dependency order (built-ins first, then user files). */
  public List<MetricDefinition> definitions() {
    return List.copyOf(definitions.values());
  }

  /** Files that could not be read, each message naming the file. */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  /**
   * The view SQL with {@code ${setting}} placeholders replaced by literals.
   *
   * @throws MetricDefinitionException for a placeholder that is not a setting
   */
  public static String render(MetricDefinition d, MetricSettings settings) {
    Matcher m = PLACEHOLDER.matcher(d.sql());
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String literal = settings.literal(m.group(1)).orElseThrow(() -> new MetricDefinitionException(
          d.origin() + ": unknown placeholder ${" + m.group(1) + "}; settings are " + MetricSettings.names()));
      m.appendReplacement(out, Matcher.quoteReplacement(literal));
    }
    m.appendTail(out);
    return out.toString();
  }
}
