package io.crmkpi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** The CLI as a user runs it: exit codes, and stdout that a script can parse. */
class CrmKpiCliTest {

  private static final String URL = "jdbc:crmkpi:script:jdbc/small.sql";

  record Run(int code, String out, String err) {
  }

  static Run run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int code = CrmKpiCli.execute(args);
      return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void csvIsAHeaderThenRowsAndNothingElse() {
    Run r = run("sql", "--url", URL, "--format", "csv",
        "SELECT deal_id, title, amount_base, created_at FROM crm.deals WHERE deal_id IN ('d1', 'd4') ORDER BY 1");
    assertEquals(0, r.code(), r.err());
    assertEquals("deal_id,title,amount_base,created_at\n"
        + "d1,One,1000.00,2024-01-10 10:00:00\n"
        + "d4,Four,1800.00,2024-03-01 08:00:00\n", r.out());
  }

  @Test
  void jsonAndTableFormats() {
    Run j = run("sql", "-q", "--url", URL, "--format", "json", "SELECT deal_id, amount FROM crm.deals WHERE deal_id = 'd3'");
    assertEquals(0, j.code(), j.err());
    assertTrue(j.out().replaceAll("\\s", "").equals("[{\"deal_id\":\"d3\",\"amount\":\"10.00\"}]"), j.out());
    Run t = run("sql", "-q", "--url", URL, "SELECT status, COUNT(*) AS n FROM crm.deals GROUP BY status ORDER BY status");
    assertEquals("status | n\n-------+--\nlost   | 1\nopen   | 1\nwon    | 2\n(3 rows)\n", t.out());
  }

  @Test
  void tablesAndDescribe() {
    Run t = run("tables", "-q", "--url", URL, "--format", "csv");
    assertTrue(t.out().contains("\ncrm,deals,TABLE,Opportunities (deals).\n"), t.out());
    assertTrue(t.out().contains("\nutil,periods,VIEW,"), t.out());
    Run d = run("describe", "-q", "--url", URL, "--format", "csv", "crm.fx_rates");
    assertEquals("TABLE_SCHEM,TABLE_NAME,COLUMN_NAME,TYPE_NAME,REMARKS\n"
        + "crm,fx_rates,currency,VARCHAR,ISO 4217 code.\n"
        + "crm,fx_rates,rate_date,DATE,Date the rate applies from.\n"
        + "crm,fx_rates,rate_to_base,DECIMAL,Units of base currency per unit of this currency (base = 1).\n", d.out());
  }

  @Test
  void errorsGoToStderrWithExitCode1() {
    Run r = run("sql", "--url", URL, "SELECT nope FROM crm.deals");
    assertEquals(1, r.code());
    assertEquals("", r.out());
    assertTrue(r.err().contains("crmkpi: Column 'nope' not found"), r.err());
    Run d = run("describe", "-q", "--url", URL, "crm.nothing");
    assertEquals(1, d.code());
    assertTrue(d.err().contains("no table or view 'crm.nothing'"), d.err());
  }

  /** The demo's tables and the load report's row count, counted over JDBC rather than taken from the report. */
  private static final String DEMO = "jdbc:crmkpi:demo;deals=300;seed=5;today=2025-06-15;cache=off";

  @Test
  void aLoadPrintsOneSummaryLineOnStderrAndResultsOnStdout() throws Exception {
    // first: the driver keeps a loaded store for the URL, and a later connect has nothing to load
    Run r = run("sql", "--url", DEMO, "SELECT COUNT(*) AS deals FROM crm.deals");
    long rows = 0;
    try (Connection c = DriverManager.getConnection(DEMO); Statement s = c.createStatement()) {
      for (String t : List.of("pipelines", "stages", "users", "channel_map", "fx_rates", "marketing_spend", "companies",
          "contacts", "leads", "deals", "deal_stage_history", "orders", "order_items", "activities", "tickets",
          "survey_responses", "sync_state", "deal_snapshots", "targets")) {
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM crm." + t)) {
          rs.next();
          rows += rs.getLong(1);
        }
      }
    }
    assertEquals(0, r.code(), r.err());
    assertEquals(String.format(java.util.Locale.ROOT, "demo: %,d rows loaded%n", rows), r.err());
    assertEquals("deals\n-----\n  300\n(1 row)\n", r.out());

    Run q = run("sql", "--quiet", "--url", DEMO.replace("seed=5", "seed=6"), "SELECT COUNT(*) AS deals FROM crm.deals");
    assertEquals("", q.err());
    assertEquals(r.out(), q.out());

    // --verbose: every message: the demo's own note, the whole report (one line per table), its total
    Run v = run("sql", "--verbose", "--url", DEMO.replace("seed=5", "seed=7"), "SELECT COUNT(*) AS deals FROM crm.deals");
    List<String> lines = v.err().lines().toList();
    assertEquals(19, lines.size(), v.err());
    assertEquals("demo generator (deals=300, seed=7, today=2025-06-15): deals read 300 = loaded 300 + rejected 0",
        lines.get(10));
    long sum = 0;
    for (String line : lines.subList(1, 18)) {
      sum += Long.parseLong(line.replaceAll(".* = loaded (\\d+) \\+ rejected 0$", "$1"));
    }
    assertEquals("demo: " + sum + " rows generated", lines.get(0));
    assertEquals("demo total: read " + sum + " = loaded " + sum + " + rejected 0", lines.get(18));
  }

  @Test
  void driverLogLinesAreOffUnlessVerbose() {
    Logger driver = Logger.getLogger("io.crmkpi");
    run("sql", "--url", URL, "SELECT 1 AS x FROM crm.pipelines");
    assertEquals(false, driver.isLoggable(Level.INFO));
    assertEquals(false, driver.isLoggable(Level.SEVERE));
    run("sql", "--verbose", "--url", URL, "SELECT 1 AS x FROM crm.pipelines");
    assertEquals(true, driver.isLoggable(Level.INFO));
    assertEquals(false, driver.isLoggable(Level.FINE));
    run("sql", "--url", URL, "SELECT 1 AS x FROM crm.pipelines");
    assertEquals(false, driver.isLoggable(Level.INFO));
  }

  /** small.sql: won d1 1000 RUB + d4 20 USD at 90 = 2800.00; lost d2 500.00; open d3 10 USD = 900.00; 4 deals. */
  private static final String BY_STATUS = "SELECT status, SUM(amount_base) AS amount, "
      + "CAST(SUM(amount_base) AS DOUBLE) * 34346.3387 AS big, COUNT(*) / 4.0E0 AS share_of_deals, "
      + "CAST(COUNT(*) AS DOUBLE) / 3 AS win_rate FROM crm.deals GROUP BY status ORDER BY status";

  @Test
  void tableNumbersReadAsPeopleReadThem() {
    // big: 2800 x 34346.3387 = 96169748.36, 500 x = 17173169.35, 900 x = 30911704.83
    Run t = run("sql", "-q", "--url", URL, BY_STATUS);
    assertEquals(0, t.code(), t.err());
    assertEquals("status | amount   | big           | share_of_deals | win_rate\n"
        + "-------+----------+---------------+----------------+---------\n"
        + "lost   |   500.00 | 17,173,169.35 |           0.25 |   0.3333\n"
        + "open   |   900.00 | 30,911,704.83 |           0.25 |   0.3333\n"
        + "won    | 2,800.00 | 96,169,748.36 |            0.5 |   0.6667\n"
        + "(3 rows)\n", t.out());
    Run p = run("sql", "-q", "--percent", "--url", URL, BY_STATUS);
    assertEquals("status | amount   | big           | share_of_deals | win_rate\n"
        + "-------+----------+---------------+----------------+---------\n"
        + "lost   |   500.00 | 17,173,169.35 |         25.00% |   33.33%\n"
        + "open   |   900.00 | 30,911,704.83 |         25.00% |   33.33%\n"
        + "won    | 2,800.00 | 96,169,748.36 |         50.00% |   66.67%\n"
        + "(3 rows)\n", p.out());
    // whole numbers: below 10,000 as they are (years, orders of stages), grouped when the column holds larger ones
    Run w = run("sql", "-q", "--url", URL, "SELECT x, y FROM (VALUES (3023, 2024), (11087, 2025)) AS t (x, y)");
    assertEquals("x      | y   \n-------+-----\n 3,023 | 2024\n11,087 | 2025\n(2 rows)\n", w.out());
  }

  @Test
  void csvAndJsonKeepEveryDigitWithoutExponents() {
    Run c = run("sql", "-q", "--url", URL, "--format", "csv", BY_STATUS);
    assertEquals(0, c.code(), c.err());
    assertEquals("status,amount,big,share_of_deals,win_rate\n"
        + "lost,500.00,17173169.35,0.25,0.3333333333333333\n"
        // 900 x 34346.3387 is 30911704.830000002 in binary floating point: every digit is kept
        + "open,900.00,30911704.830000002,0.25,0.3333333333333333\n"
        + "won,2800.00,96169748.36,0.5,0.6666666666666666\n", c.out());
    Run j = run("sql", "-q", "--url", URL, "--format", "json",
        "SELECT CAST(SUM(amount_base) AS DOUBLE) * 34346.3387 AS big FROM crm.deals WHERE status = 'won'");
    assertEquals("[{\"big\":\"96169748.36\"}]", j.out().replaceAll("\\s", ""));
  }
}
