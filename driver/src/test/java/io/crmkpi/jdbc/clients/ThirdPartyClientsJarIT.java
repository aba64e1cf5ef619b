package io.crmkpi.jdbc.clients;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SchemaCrawler and sqlline against the shaded {@code crmkpi.jar} as users get it (failsafe runs
 * this after {@code package}): the class path holds the jar and the clients, no driver classes.
 */
class ThirdPartyClientsJarIT {

  @TempDir
  Path dir;

  private static String classPath() {
    Path jar = Path.of(System.getProperty("crmkpi.jar", "target/crmkpi.jar"));
    assertTrue(Files.isRegularFile(jar), "no shaded jar at " + jar.toAbsolutePath());
    String cp = ClientProcess.jarClassPath(jar);
    assertTrue(!cp.contains("target/classes"), cp);
    return cp;
  }

  @Test
  void schemaCrawlerOnTheJar() throws Exception {
    ThirdPartyClients.schemaCrawlerAtMaximumLevel(classPath(), dir);
  }

  @Test
  void sqllineOnTheJar() throws Exception {
    ThirdPartyClients.sqllineSession(classPath(), dir);
  }

  @Test
  void dbeaverCallsOnTheJar() throws Exception {
    ThirdPartyClients.dbeaverSession(classPath());
  }
}
