package io.crmkpi.jdbc.clients;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a third-party client in its own JVM, as a user would, and returns what it printed
 * (stdout and stderr together). The class path is either the test class path (the driver's
 * classes) or the built jar plus the clients' jars.
 */
final class ClientProcess {

  private ClientProcess() {
  }

  /** The test class path: the driver's classes, its dependencies and the clients. */
  static String testClassPath() {
    return System.getProperty("java.class.path");
  }

  /**
   * The shaded jar, this module's test classes (for the runner classes) and the clients' own jars
   * from the test class path: nothing of the driver but the jar.
   */
  static String jarClassPath(Path jar) {
    List<String> parts = new ArrayList<>();
    parts.add(jar.toAbsolutePath().toString());
    for (String p : testClassPath().split(File.pathSeparator)) {
      String name = Path.of(p).getFileName().toString();
      // sqlline with the jline jars docs/connecting/dbeaver.md lists (no native terminal providers)
      boolean jline = name.startsWith("jline-") && !name.startsWith("jline-terminal-jansi")
          && !name.startsWith("jline-terminal-jna");
      if (p.endsWith("test-classes") || name.startsWith("schemacrawler-") || name.startsWith("sqlline-") || jline) {
        parts.add(p);
      }
    }
    return String.join(File.pathSeparator, parts);
  }

  static String run(String classPath, String mainClass, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g", "-Dorg.jline.terminal.dumb=true", "-Dcrmkpi.nowarmup=true", "-cp", classPath, mainClass));
    cmd.addAll(Arrays.asList(args));
    Path log = Files.createTempFile("crmkpi-client", ".log");
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError(mainClass + " did not end within 5 minutes:\n" + Files.readString(log));
      }
      String out = Files.readString(log, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new AssertionError(mainClass + " exited with " + p.exitValue() + ":\n" + out);
      }
      return out;
    } finally {
      Files.copy(log, Path.of(System.getProperty("java.io.tmpdir"), "crmkpi-" + mainClass + ".log"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING); // the last run's output, for a reader
      Files.deleteIfExists(log);
    }
  }
}
