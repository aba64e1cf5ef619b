package io.crmkpi.cli;

import io.crmkpi.dialect.EngineScript;
import io.crmkpi.jdbc.ConnectionConfig;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code crmkpi sql-export}: the canonical tables' DDL and every KPI view, compiled for another
 * engine (see docs/scale-out.md). Reads no data: the URL only supplies the settings.
 */
@Command(name = "sql-export", description = "Write DDL for the canonical tables over a Parquet lake and every "
    + "util.*/kpi.* view compiled for Spark, Trino, PostgreSQL or DuckDB, with the URL's settings baked in.")
final class SqlExportCommand implements Callable<Integer> {

  @Option(names = "--dialect", required = true, description = "spark, trino, postgresql or duckdb")
  String dialect;

  @Option(names = {"-u", "--url"}, defaultValue = "jdbc:crmkpi:demo",
      description = "JDBC URL whose settings the views use (timezone, week_start, fiscal_year_start, "
          + "churn_inactivity_days, metrics…); no data is read (default: ${DEFAULT-VALUE})")
  String url;

  @Option(names = "--schema-prefix", defaultValue = "",
      description = "before each schema name: 'hive.' names a catalog (hive.crm), 'acme_' makes acme_crm")
  String schemaPrefix;

  @Option(names = "--location", description = "the lake root the tables read (as written by crmkpi export), "
      + "e.g. s3://bucket/crmkpi or /data/lake (default: /data/crmkpi-lake)")
  String location;

  @Option(names = {"-o", "--out"}, defaultValue = "-", description = "file to write, or - for standard output")
  String out;

  @Override
  public Integer call() throws Exception {
    ConnectionConfig config = ConnectionConfig.parse(url, new Properties());
    String script;
    try {
      script = new EngineScript(dialect, config.properties(), schemaPrefix, location).write();
    } catch (IllegalArgumentException e) {
      System.err.println("error: --dialect: " + e.getMessage());
      return 2;
    }
    if (out.equals("-")) {
      PrintStream o = new PrintStream(System.out, true, StandardCharsets.UTF_8);
      o.print(script);
      o.flush();
    } else {
      Files.writeString(Path.of(out), script, StandardCharsets.UTF_8);
      System.err.println("wrote " + out);
    }
    return 0;
  }
}
