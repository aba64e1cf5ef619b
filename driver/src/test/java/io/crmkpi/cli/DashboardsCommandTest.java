package io.crmkpi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code crmkpi dashboards import}: its errors are one line and never show the API key;
 * {@code crmkpi dashboards metabase-yaml} writes the serialization folder for the database and collection given.
 */
class DashboardsCommandTest {

  @TempDir
  Path dir;

  @Test
  void withoutAKeyItSaysWhereToPutIt() {
    CrmKpiCliTest.Run r = CrmKpiCliTest.run("dashboards", "import", "--metabase", "http://127.0.0.1:9", "--database",
        "crmkpi");
    assertEquals(1, r.code());
    assertEquals("crmkpi: set the Metabase API key: CRMKPI_METABASE_API_KEY, --api-key-file or --api-key\n", r.err());
  }

  @Test
  void aMetabaseThatDoesNotAnswerIsOneLineWithoutTheKey() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    Path key = dir.resolve("key");
    Files.writeString(key, "mb_Very-Secret\n");
    CrmKpiCliTest.Run r = CrmKpiCliTest.run("dashboards", "import", "--metabase", "http://127.0.0.1:" + port,
        "--api-key-file", key.toString(), "--database", "crmkpi");
    assertEquals(1, r.code());
    assertTrue(r.err().startsWith("crmkpi: Metabase at http://127.0.0.1:" + port + " did not answer GET /api/database: "),
        r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertFalse(r.err().contains("Very-Secret"));
  }

  @Test
  void metabaseYamlWritesOneFilePerCollectionCardAndDashboard() throws Exception {
    Path out = dir.resolve("mb");
    CrmKpiCliTest.Run r = CrmKpiCliTest.run("dashboards", "metabase-yaml", "--out", out.toString(), "--database",
        "CRM warehouse", "--collection", "Sales KPIs");
    assertEquals(0, r.code(), r.err());
    int cards = io.crmkpi.dashboards.DashboardCatalog.bundled().stream().mapToInt(d -> d.cards().size()).sum();
    java.util.List<Path> files;
    try (var walk = Files.walk(out)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    assertEquals(1 + 6 + cards, files.size(), files.toString());
    assertEquals("metabase-yaml: wrote " + files.size() + " files to " + out
        + " (6 dashboards in collection 'Sales KPIs')\n", r.err());
    String card = Files.readString(out.resolve("collections/main/sales_kpis/sales_funnel_stage_funnel.yaml"));
    assertTrue(card.contains("  database: \"CRM warehouse\"\n"), card);
    assertTrue(Files.readString(out.resolve("collections/main/sales_kpis.yaml")).contains("name: \"Sales KPIs\""));
  }
}
