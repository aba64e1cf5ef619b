package io.crmkpi.jdbc.clients;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SchemaCrawler (maximum info level) and sqlline run against the driver's classes, each in its own
 * JVM. ThirdPartyClientsJarIT runs the same against the shaded jar after packaging.
 */
class ThirdPartyClientsTest {

  @TempDir
  Path dir;

  @Test
  void schemaCrawlerReportsTheCatalogWithoutAnError() throws Exception {
    ThirdPartyClients.schemaCrawlerAtMaximumLevel(ClientProcess.testClassPath(), dir);
  }

  @Test
  void sqllineMetadataCommandsGiveNoError() throws Exception {
    ThirdPartyClients.sqllineSession(ClientProcess.testClassPath(), dir);
  }

  @Test
  void dbeaverCallsOnConnectAndInTheNavigator() throws Exception {
    ThirdPartyClients.dbeaverSession(ClientProcess.testClassPath());
  }
}
