package io.crmkpi.cli;

import io.crmkpi.dashboards.DashboardCatalog;
import io.crmkpi.dashboards.MetabaseImporter;
import io.crmkpi.dashboards.MetabaseSerialization;
import io.crmkpi.dashboards.SupersetBundle;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code crmkpi dashboards import --metabase <url> ...}: the bundled dashboards into a BI tool. */
@Command(name = "dashboards", description = "Import the bundled dashboards into a BI tool.",
    subcommands = {DashboardsCommand.Import.class, DashboardsCommand.MetabaseYaml.class, DashboardsCommand.Superset.class})
final class DashboardsCommand implements Runnable {

  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  @Command(name = "import", description = "Create or update the dashboards in Metabase through its REST API "
      + "(a second run updates in place).")
  static final class Import implements Callable<Integer> {

    @Option(names = "--metabase", required = true, paramLabel = "<url>", description = "Metabase's address")
    String metabase;

    @Option(names = "--api-key", paramLabel = "<key>",
        description = "a Metabase API key; better: the environment variable CRMKPI_METABASE_API_KEY, or --api-key-file")
    String apiKey;

    @Option(names = "--api-key-file", paramLabel = "<path>", description = "read the API key from a file's first line")
    Path apiKeyFile;

    @Option(names = "--database", required = true, paramLabel = "<name>",
        description = "the name of the crmkpi database in Metabase")
    String database;

    @Option(names = "--collection", defaultValue = "CRM KPIs", paramLabel = "<name>",
        description = "the collection to put them in (${DEFAULT-VALUE})")
    String collection;

    @Option(names = "--dry-run", description = "read what exists, print the writes instead of sending them")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
      String key = apiKey;
      if (key == null && apiKeyFile != null) {
        try (BufferedReader r = Files.newBufferedReader(apiKeyFile, StandardCharsets.UTF_8)) {
          key = r.readLine();
        }
      }
      if (key == null) {
        key = System.getenv("CRMKPI_METABASE_API_KEY");
      }
      if (key == null || key.isBlank()) {
        throw new IllegalArgumentException("set the Metabase API key: CRMKPI_METABASE_API_KEY, --api-key-file or --api-key");
      }
      MetabaseImporter.Summary s = new MetabaseImporter(metabase, key.strip(), dryRun, System.err)
          .importAll(DashboardCatalog.bundled(), database, collection, LocalDate.now());
      System.err.println("metabase: " + (dryRun ? "would create " : "created ") + s.created() + ", updated "
          + s.updated() + " in collection '" + collection + "'");
      return 0;
    }
  }

  @Command(name = "superset", description = "Write the dashboards as a Superset import bundle (ZIP) for "
      + "`superset import-dashboards -p <zip>` or Dashboards, Import.")
  static final class Superset implements Callable<Integer> {

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "<bundle.zip>", description = "the ZIP to write")
    Path out;

    @Option(names = "--uri", defaultValue = SupersetBundle.DEFAULT_URI, paramLabel = "<sqlalchemy uri>",
        description = "how Superset reaches crmkpi's PostgreSQL endpoint (${DEFAULT-VALUE}); no password here: "
            + "Superset asks for it on import")
    String uri;

    @Override
    public Integer call() throws Exception {
      Files.write(out, SupersetBundle.zip(DashboardCatalog.bundled(), uri));
      System.err.println("superset: wrote " + out + " (" + DashboardCatalog.BUNDLED.size() + " dashboards)");
      return 0;
    }
  }

  @Command(name = "metabase-yaml", description = "Write the dashboards as Metabase serialization YAML (Pro/Enterprise "
      + "`java -jar metabase.jar import <folder>`).")
  static final class MetabaseYaml implements Callable<Integer> {

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "<folder>", description = "the folder to write")
    Path out;

    @Option(names = "--database", defaultValue = "crmkpi", paramLabel = "<name>",
        description = "the name of the crmkpi database in Metabase (${DEFAULT-VALUE})")
    String database;

    @Option(names = "--collection", defaultValue = "CRM KPIs", paramLabel = "<name>",
        description = "the collection to put them in (${DEFAULT-VALUE})")
    String collection;

    @Override
    public Integer call() throws Exception {
      int n = MetabaseSerialization.write(out, DashboardCatalog.bundled(), database, collection, LocalDate.now());
      System.err.println("metabase-yaml: wrote " + n + " files to " + out + " (" + DashboardCatalog.BUNDLED.size()
          + " dashboards in collection '" + collection + "')");
      return 0;
    }
  }
}
