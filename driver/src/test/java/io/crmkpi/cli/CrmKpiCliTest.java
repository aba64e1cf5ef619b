package io.crmkpi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
}
