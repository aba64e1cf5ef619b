package io.crmkpi.jdbc.clients;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import io.crmkpi.jdbc.catalog.CatalogFunctions;
import io.crmkpi.metrics.MetricLibrary;
import io.crmkpi.model.CanonicalModel;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What SchemaCrawler and sqlline must show for the demo, whichever class path runs them: real
 * content, and no exception or error anywhere in their output.
 */
final class ThirdPartyClients {

  /** A small demo: 300 deals, generated in about a second. */
  static final String URL = "jdbc:crmkpi:demo;deals=300";

  private static final Pattern TROUBLE = Pattern.compile(
      "(?i)exception|\\bSEVERE\\b|\\bWARNING\\b|^Error|\\berror:|not supported|No current connection");

  private ThirdPartyClients() {
  }

  static void schemaCrawlerAtMaximumLevel(String classPath, Path dir) throws Exception {
    Path report = dir.resolve("schemacrawler.txt");
    String log = ClientProcess.run(classPath, SchemaCrawlerRun.class.getName(), URL, report.toString());
    assertClean("SchemaCrawler", log);
    String text = Files.readString(report, StandardCharsets.UTF_8);
    Files.copy(report, Path.of(System.getProperty("java.io.tmpdir"), "crmkpi-schemacrawler.txt"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertClean("SchemaCrawler report", text);
    // the KPI view with its remarks (from the metric library) and a column with its own
    assertTrue(Pattern.compile("kpi\\.churn_monthly\\s+\\[view\\]\\s+-+\\s+Customer churn and retention per "
        + "calendar month\\.").matcher(text).find(), text);
    assertTrue(text.contains("Customers active at the start of the month"), text);
    // a relationship of the model, both ways: deals.pipeline_id references pipelines
    assertTrue(Pattern.compile("deals_pipeline_id_fkey\\s+\\[foreign key, with no action\\]\\s+"
        + "pipeline_id \\(0\\.\\.many\\)--> crm\\.pipelines\\.pipeline_id").matcher(text).find(), text);
    assertTrue(Pattern.compile("deals_pipeline_id_fkey\\s+\\[foreign key, with no action\\]\\s+"
        + "pipeline_id <--\\(0\\.\\.many\\) crm\\.deals\\.pipeline_id").matcher(text).find(), text);
    // a key column is NOT NULL, a money column has its precision and scale
    assertTrue(Pattern.compile("\\n  deal_id\\s+VARCHAR NOT NULL").matcher(text).find(), text);
    assertTrue(Pattern.compile("\\n  amount_base\\s+DECIMAL\\(18, 2\\)").matcher(text).find(), text);
  }

  static void sqllineSession(String classPath, Path dir) throws Exception {
    Path script = dir.resolve("session.sql");
    Files.writeString(script, String.join("\n",
        "!dbinfo",
        "!typeinfo",
        "!tables",
        "!columns deals",
        "!primarykeys deals",
        "!importedkeys deals",
        "!exportedkeys pipelines",
        "!procedures",
        "SELECT COUNT(*) AS deal_count FROM crm.deals;",
        "!quit", ""));
    String out = ClientProcess.run(classPath, "sqlline.SqlLine", "-d", "io.crmkpi.jdbc.Driver", "-u", URL,
        "-n", "", "-p", "", "--color=false", "--showWarnings=true",
        "--outputformat=csv", "-f", script.toString());
    assertClean("sqlline", out);
    // !dbinfo: crmkpi's own answers, not DuckDB's
    assertTrue(out.contains("crmkpi JDBC driver"), out);
    assertTrue(Pattern.compile("supportsBatchUpdates\\s+false").matcher(out).find(), out);
    assertFalse(out.contains("read_parquet") || out.contains("pragma_"), "DuckDB functions in !dbinfo");
    // !typeinfo, !tables, keys
    assertTrue(out.contains("TIMESTAMP '"), "typeinfo literal prefix: " + out);
    assertTrue(out.contains("churn_monthly"), out);
    assertTrue(out.contains("deals_pipeline_id_fkey"), out);
    assertTrue(out.contains("deals_pkey"), out);
    assertTrue(Pattern.compile("'DEAL_COUNT'\\s+'300'", Pattern.CASE_INSENSITIVE).matcher(out).find(),
        "300 deals: " + out);
  }

  /** DBeaver's connect, navigator, ER diagram and data editor calls, with what they must show. */
  static void dbeaverSession(String classPath) throws Exception {
    String out = ClientProcess.run(classPath, DbeaverSession.class.getName(), URL);
    assertClean("DBeaver's calls", out);
    List<String> lines = out.lines().filter(l -> l.startsWith("dbeaver| ")).map(l -> l.substring(9)).toList();
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("product: crmkpi 0.")), out);
    assertTrue(lines.contains("application name: DBeaver 25.2.0 - Main <crmkpi>"), out);
    assertTrue(lines.contains("auto-commit: true"), out);
    assertTrue(lines.contains("isolation: 2"), out); // READ_COMMITTED, as getDefaultTransactionIsolation says
    assertTrue(lines.contains("table types: TABLE,VIEW"), out);
    assertTrue(lines.contains("transactions: false"), out);
    assertTrue(lines.contains("batch: false"), out);
    assertTrue(lines.contains("quote: \""), out);
    assertTrue(lines.contains("catalogs: 0"), out);
    assertTrue(lines.contains("schemas: crm,kpi,util"), out);
    assertTrue(lines.contains("types: BIGINT,BOOLEAN,CHAR,DATE,DECIMAL,DOUBLE,INTEGER,REAL,SMALLINT,TIME,TIMESTAMP,"
        + "TINYINT,VARCHAR"), out);
    assertTrue(lines.contains("schema crm: " + CanonicalModel.tables().size() + " tables, 0 views"), out);
    long kpiViews = MetricLibrary.builtIn().definitions().stream().filter(d -> d.schema().equals("kpi")).count();
    assertTrue(lines.contains("schema kpi: 0 tables, " + kpiViews + " views"), out);
    assertTrue(lines.contains("pk crm.fx_rates: fx_rates_pkey [currency, rate_date]"), out);
    assertTrue(lines.contains("fk deals_pipeline_id_fkey: crm.deals.pipeline_id -> crm.pipelines.pipeline_id seq 1 "
        + "update 3 delete 3 pk pipelines_pkey deferrability 7"), out);
    assertTrue(lines.contains("foreign keys: " + CanonicalModel.foreignKeys().size()), out);
    assertTrue(lines.contains("referenced by crm.deals: activities.deal_id,deal_snapshots.deal_id,deal_stage_history.deal_id,"
        + "leads.converted_deal_id,orders.deal_id"), out);
    assertTrue(lines.contains("routines in kpi: none"), out);
    int functions = CatalogFunctions.NUMERIC.size() + CatalogFunctions.STRING.size() + CatalogFunctions.TIME_DATE.size()
        + CatalogFunctions.SYSTEM.size() + CatalogFunctions.AGGREGATE.size();
    assertTrue(lines.contains("global functions: " + functions), out);
    assertTrue(lines.contains("row count: true"), out);
  }

  /**
   * Notices about the clients' own invocation, not failures: SchemaCrawler notes that no user and
   * password were given (crmkpi has no accounts); sqlline asks for REPEATABLE_READ by default and
   * says it keeps the READ_COMMITTED the driver reports.
   */
  private static final Pattern NOTICE = Pattern.compile("Database (user|password) is not provided"
      + "|Transaction isolation level TRANSACTION_REPEATABLE_READ is not supported\\. "
      + "Default \\(TRANSACTION_READ_COMMITTED\\) will be used instead\\.");

  private static void assertClean(String what, String output) {
    java.util.List<String> bad = output.lines()
        .filter(l -> TROUBLE.matcher(l).find() && !NOTICE.matcher(l).find()).toList();
    assertTrue(bad.isEmpty(), what + " reported trouble:\n" + String.join("\n", bad) + "\n---\n" + output);
  }
}
