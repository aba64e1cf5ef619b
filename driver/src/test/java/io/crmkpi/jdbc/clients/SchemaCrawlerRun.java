package io.crmkpi.jdbc.clients;

import java.nio.file.Path;
import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import schemacrawler.schemacrawler.LimitOptionsBuilder;
import schemacrawler.schemacrawler.LoadOptionsBuilder;
import schemacrawler.schemacrawler.SchemaCrawlerOptions;
import schemacrawler.schemacrawler.SchemaCrawlerOptionsBuilder;
import schemacrawler.schemacrawler.SchemaInfoLevelBuilder;
import schemacrawler.tools.command.text.schema.options.TextOutputFormat;
import schemacrawler.tools.executable.SchemaCrawlerExecutable;
import schemacrawler.tools.options.OutputOptionsBuilder;
import us.fatehi.utility.datasource.DatabaseConnectionSources;
import us.fatehi.utility.datasource.MultiUseUserCredentials;

/**
 * Runs SchemaCrawler's "details" text report at the maximum info level over a crmkpi URL, as a
 * user would from its command line: {@code SchemaCrawlerRun <url> <output file>}. Its warnings
 * (a metadata call that failed) go to stderr, where the tests look for them.
 */
public final class SchemaCrawlerRun {

  private SchemaCrawlerRun() {
  }

  public static void main(String[] args) throws Exception {
    Logger root = Logger.getLogger("");
    for (var h : root.getHandlers()) {
      root.removeHandler(h);
    }
    ConsoleHandler console = new ConsoleHandler();
    console.setLevel(Level.INFO);
    root.addHandler(console);
    root.setLevel(Level.INFO);

    SchemaCrawlerOptions options = SchemaCrawlerOptionsBuilder.newSchemaCrawlerOptions()
        .withLimitOptions(LimitOptionsBuilder.builder().includeSchemas(Pattern.compile("crm|kpi|util"))
            .includeRoutines(Pattern.compile(".*")).toOptions())
        .withLoadOptions(LoadOptionsBuilder.builder().withSchemaInfoLevel(SchemaInfoLevelBuilder.maximum())
            .toOptions());
    SchemaCrawlerExecutable run = new SchemaCrawlerExecutable("details");
    run.setSchemaCrawlerOptions(options);
    run.setOutputOptions(OutputOptionsBuilder.newOutputOptions(TextOutputFormat.text, Path.of(args[1])));
    run.setDataSource(DatabaseConnectionSources.newDatabaseConnectionSource(args[0],
        new MultiUseUserCredentials("", "")));
    run.execute();
  }
}
