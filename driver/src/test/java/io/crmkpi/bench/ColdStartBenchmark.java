package io.crmkpi.bench;

import io.crmkpi.demo.DemoGenerator;
import io.crmkpi.demo.DemoSource;
import io.crmkpi.jdbc.catalog.StoreCatalog;
import io.crmkpi.metrics.MetricLibrary;
import io.crmkpi.metrics.MetricSettings;
import io.crmkpi.store.LoadSession;
import io.crmkpi.store.Store;
import io.crmkpi.store.StoreDerivations;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The default demo in a cold JVM, measured N times in fresh JVMs (median): connect, first query,
 * connect → first result, JVM start → first result, and the CPU the JVM used by then.
 *
 * <pre>
 * mvn -o -q -B -pl driver -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
 * mvn -o -q -B -DskipTests package            # only for the cli mode
 * cd driver &amp;&amp; java -cp "$(cat target/bench.cp):target/classes:target/test-classes" \
 *     io.crmkpi.bench.ColdStartBenchmark [driver|phases|cli] [runs]
 * </pre>
 * {@code -Dcold.compare=<class path of another build | its crmkpi.jar>} alternates runs of that
 * build with this one (same machine load for both); {@code -Dcold.jvm="-Dcold.threads=true"} adds
 * CPU per thread kind (JIT compilers, GC) read from /proc.
 * {@code driver}: DriverManager connect + the README query; {@code phases}: the same work split into
 * its steps (store, generate, derivations, catalog, compile, execute); {@code cli}: wall time of
 * {@code java -jar target/crmkpi.jar sql "<README query>"} (process start → exit).
 * Extra JVM options for the children: {@code -Dcold.jvm="-XX:TieredStopAtLevel=1 ..."};
 * {@code -Dcold.url=jdbc:crmkpi:demo;cache=off} connects elsewhere (here: without the demo and
 * compiled-statement caches, as on the first connect after a build); {@code -Dcold.launcher=bin/crmkpi} runs the
 * command-line launcher instead of {@code java -jar} in the cli mode.
 */
public final class ColdStartBenchmark {

  /** The README's first query. */
  static final String QUERY = "SELECT pipeline_name, stage_name, deals_reached, conversion_to_next "
      + "FROM kpi.conversion_by_stage WHERE grain = 'all' ORDER BY pipeline_id, stage_order";

  private ColdStartBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "driver";
    if (mode.startsWith("probe-")) {
      probe(mode.substring("probe-".length()));
      return;
    }
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    // -Dcold.compare=<class path | jar>: alternate runs with a baseline build, same machine load
    String baseline = System.getProperty("cold.compare");
    List<String> builds = baseline == null ? List.of("current") : List.of("baseline", "current");
    Map<String, Map<String, List<Double>>> samples = new LinkedHashMap<>();
    for (int i = 0; i < runs; i++) {
      for (String build : builds) {
        String cp = build.equals("baseline") ? baseline : null;
        Map<String, Double> one = mode.equals("cli") ? cli(cp) : child("probe-" + mode, cp);
        System.out.println("run " + (i + 1) + " " + build + ": " + one);
        one.forEach((k, v) -> samples.computeIfAbsent(build, b -> new LinkedHashMap<>())
            .computeIfAbsent(k, x -> new ArrayList<>()).add(v));
      }
    }
    for (String build : builds) {
      System.out.println();
      System.out.println(build + ": median of " + runs + " fresh JVMs (" + mode + "), ms:");
      samples.get(build).forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-28s %8.0f   (min %.0f, max %.0f)%n",
          k, median(v), v.stream().mapToDouble(Double::doubleValue).min().orElse(0),
          v.stream().mapToDouble(Double::doubleValue).max().orElse(0)));
    }
  }

  private static List<String> jvmOptions() {
    String extra = System.getProperty("cold.jvm", "").trim();
    return extra.isEmpty() ? List.of() : List.of(extra.split("\\s+"));
  }

  private static Map<String, Double> child(String mode, String classPath) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions());
    if (System.getProperty("cold.url") != null) {
      cmd.add("-Dcold.url=" + System.getProperty("cold.url"));
    }
    cmd.add("-cp");
    cmd.add(classPath != null ? classPath : System.getProperty("java.class.path"));
    cmd.add(ColdStartBenchmark.class.getName());
    cmd.add(mode);
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    Map<String, Double> out = new LinkedHashMap<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.startsWith("@ ")) {
          String[] kv = line.substring(2).split("=", 2);
          out.put(kv[0], Double.parseDouble(kv[1]));
        }
      }
    }
    if (p.waitFor() != 0 || out.isEmpty()) {
      throw new IllegalStateException("probe failed: " + cmd);
    }
    return out;
  }

  private static Map<String, Double> cli(String baselineJar) throws Exception {
    Path jar = Path.of(baselineJar != null ? baselineJar : System.getProperty("cold.jar", "target/crmkpi.jar"));
    String launcher = System.getProperty("cold.launcher");
    List<String> cmd = new ArrayList<>();
    if (launcher != null && baselineJar == null) {
      cmd.add(launcher);
    } else {
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(jvmOptions());
      cmd.addAll(List.of("-jar", jar.toString()));
    }
    cmd.addAll(List.of("sql", QUERY));
    String url = System.getProperty("cold.url");
    if (url != null) {
      cmd.addAll(List.of("--url", url));
    }
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int rc = p.waitFor();
    long t1 = System.nanoTime();
    if (rc != 0 || !out.contains("(13 rows)")) {
      throw new IllegalStateException("CLI failed (" + rc + "): " + out);
    }
    return Map.of("cli wall (start → exit)", (t1 - t0) / 1e6);
  }

  // ------------------------------------------------------------------ in the fresh JVM

  private static long mark;
  private static long cpuMark;

  private static long cpu() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static void probe(String mode) throws Exception {
    long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
    double boot = System.currentTimeMillis() - jvmStart;
    mark = System.nanoTime();
    cpuMark = cpu();
    phases = mode.equals("phases");
    long t0 = mark;
    if (mode.equals("driver")) {
      try (Connection c = DriverManager.getConnection(System.getProperty("cold.url", "jdbc:crmkpi:demo"))) {
        put("connect", lap());
        Map<String, Double> before = threadCpu();
        int rows = rows(c, QUERY);
        put("first query", lap());
        if (Boolean.getBoolean("cold.threads")) {
          threadCpu().forEach((k, v) -> {
            double d = v - before.getOrDefault(k, 0.0);
            if (d > 0) {
              System.out.println("@ first query threads " + k + "=" + d);
            }
          });
        }
        put("connect → first result", (System.nanoTime() - t0) / 1e6);
        put("jvm start → first result", boot + (System.nanoTime() - t0) / 1e6);
        if (rows != 13) {
          throw new IllegalStateException("expected 13 rows, got " + rows);
        }
      }
    } else {
      try (Store store = Store.inMemory()) {
        put("store", lap());
        DemoGenerator g = new DemoGenerator(DemoGenerator.DEFAULT_DEALS, DemoGenerator.DEFAULT_SEED, LocalDate.now());
        try (LoadSession s = store.load("demo")) {
          g.generate(s, "RUB", m -> { });
        }
        put("generate + append", lap());
        StoreDerivations.apply(store, Optional.empty());
        put("derivations", lap());
        StoreCatalog catalog = new StoreCatalog(MetricLibrary.builtIn(), MetricSettings.from(Map.of()));
        put("catalog (views)", lap());
        String sql = catalog.compiler().compile(QUERY).storeSql();
        put("compile first query", lap());
        try (Connection c = store.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
          while (rs.next()) {
            rs.getObject(1);
          }
        }
        put("execute", lap());
        put("total", (System.nanoTime() - t0) / 1e6);
      }
    }
    put("jvm boot (before main)", boot);
    put("cpu (process, all threads)", cpu() / 1e6);
    if (Boolean.getBoolean("cold.threads")) {
      threadCpu().forEach((k, v) -> System.out.println("@ threads " + k + "=" + v));
    }
    System.out.flush();
    System.exit(0);
  }

  /** CPU ms per thread kind, from /proc (Linux): shows what the JIT compilers and GC cost. */
  private static Map<String, Double> threadCpu() {
    Map<String, Double> out = new java.util.TreeMap<>();
    long tick = 100; // USER_HZ
    try (var tasks = java.nio.file.Files.list(Path.of("/proc/self/task"))) {
      for (Path t : tasks.toList()) {
        try {
          String name = java.nio.file.Files.readString(t.resolve("comm")).trim().replaceAll("[0-9#]+$", "").trim();
          String stat = java.nio.file.Files.readString(t.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          double ms = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1000.0 / tick;
          out.merge(name, ms, Double::sum);
        } catch (java.io.IOException | RuntimeException ignored) {
          // the thread ended
        }
      }
    } catch (java.io.IOException ignored) {
      // not Linux
    }
    return out;
  }

  private static double lap() {
    long now = System.nanoTime();
    double ms = (now - mark) / 1e6;
    mark = now;
    long c = cpu();
    lastCpu = (c - cpuMark) / 1e6;
    cpuMark = c;
    return ms;
  }

  private static double lastCpu = Double.NaN;

  /** A step's wall time, and (in phases mode) the process CPU it used. */
  private static void put(String key, double ms) {
    System.out.println("@ " + key + "=" + ms);
    if (!Double.isNaN(lastCpu)) {
      System.out.println("@   cpu " + key + "=" + lastCpu);
    }
    lastCpu = Double.NaN;
  }

  private static boolean phases;

  private static int rows(Connection c, String sql) throws Exception {
    int n = 0;
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        rs.getObject(1);
        n++;
      }
    }
    return n;
  }

  private static double median(List<Double> v) {
    List<Double> s = v.stream().sorted().toList();
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }
}
