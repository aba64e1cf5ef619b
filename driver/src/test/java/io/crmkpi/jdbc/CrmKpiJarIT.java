package io.crmkpi.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The built {@code crmkpi.jar} (failsafe runs this after {@code package}) as a library in a host
 * application and as the CLI: it announces only crmkpi's JDBC driver, ships no logging provider or
 * bridge, and writes nothing on a host's stderr.
 */
class CrmKpiJarIT {

  static final String DEMO = "jdbc:crmkpi:demo;deals=300;seed=11";

  static Path jar() {
    String p = System.getProperty("crmkpi.jar");
    assertNotNull(p, "failsafe sets crmkpi.jar");
    Path jar = Path.of(p);
    assertTrue(Files.isRegularFile(jar), jar + " is built by package");
    return jar;
  }

  @Test
  void onlyCrmKpisDriverIsAService() throws IOException {
    try (JarFile j = new JarFile(jar().toFile())) {
      ZipEntry services = j.getEntry("META-INF/services/java.sql.Driver");
      assertNotNull(services);
      List<String> drivers = new String(j.getInputStream(services).readAllBytes(), StandardCharsets.UTF_8).lines()
          .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
      assertEquals(List.of("io.crmkpi.jdbc.Driver"), drivers);
      // the source plug-ins are still merged from every module
      assertNotNull(j.getEntry("META-INF/services/io.crmkpi.source.SourceFactory"));
    }
  }

  @Test
  void noLoggingProviderOrBridgeIsShipped() throws IOException {
    List<String> found = new ArrayList<>();
    try (JarFile j = new JarFile(jar().toFile())) {
      j.stream().map(ZipEntry::getName).filter(n -> n.startsWith("org/slf4j/nop/") || n.startsWith("org/slf4j/simple/")
          || n.startsWith("ch/qos/logback/") || n.startsWith("org/apache/logging/slf4j/")
          || n.startsWith("org/apache/logging/log4j/core/") || n.startsWith("org/slf4j/jul/")
          || n.equals("META-INF/services/org.slf4j.spi.SLF4JServiceProvider")
          || n.equals("META-INF/services/org.apache.logging.log4j.spi.Provider")).limit(5).forEach(found::add);
    }
    assertEquals(List.of(), found);
  }

  private static String run(List<String> command, StringBuilder err) throws Exception {
    Process p = new ProcessBuilder(command).start();
    var errText = new java.util.concurrent.CompletableFuture<String>();
    Thread t = new Thread(() -> {
      try {
        errText.complete(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        errText.complete(e.toString());
      }
    });
    t.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "ended: " + command);
    err.append(errText.get());
    assertEquals(0, p.exitValue(), out + err);
    return out;
  }

  private static String java() {
    return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
  }

  /** What the driver answers in this JVM (test class path): the reference for the jar's answers. */
  private static long dealsInProcess() throws Exception {
    try (Connection c = DriverManager.getConnection(DEMO); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM crm.deals")) {
      assertTrue(rs.next());
      return rs.getLong(1);
    }
  }

  @Test
  void aHostApplicationSeesOneDriverAndAQuietStderr() throws Exception {
    // the host has its own SLF4J provider (here: nop), as applications do
    String nop = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> e.contains("slf4j-nop")).findFirst().orElseThrow();
    String classes = Path.of(CrmKpiJarIT.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    StringBuilder err = new StringBuilder();
    String out = run(List.of(java(), "-cp", jar() + File.pathSeparator + nop + File.pathSeparator + classes,
        HostProbe.class.getName(), DEMO), err);
    assertEquals("drivers: io.crmkpi.jdbc.Driver\ndeals: " + dealsInProcess() + "\n", out);
    assertEquals("", err.toString(), "nothing on the host's stderr");
  }

  @Test
  void theCliRunsWithoutLoggingNoise() throws Exception {
    StringBuilder err = new StringBuilder();
    String out = run(List.of(java(), "-jar", jar().toString(), "sql", "--format", "csv", "--url", DEMO,
        "SELECT COUNT(*) AS n FROM crm.deals"), err);
    assertTrue(out.contains(String.valueOf(dealsInProcess())), out);
    assertTrue(!err.toString().contains("SLF4J") && !err.toString().contains("StatusLogger"), err.toString());
  }
}
