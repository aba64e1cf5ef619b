package io.crmkpi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code crmkpi sql-export} as users run it: settings from the URL in the header, a file or stdout. */
class SqlExportCommandTest {

  @TempDir
  Path tmp;

  @Test
  void theUrlsSettingsAreBakedInAndStated() throws Exception {
    Path out = tmp.resolve("kpi-spark.sql");
    CrmKpiCliTest.Run r = CrmKpiCliTest.run("sql-export", "--dialect", "spark", "--location", "s3a://acme/crm/",
        "--url", "jdbc:crmkpi:demo;timezone=Asia/Tokyo;week_start=sunday;churn_inactivity_days=45", "--out",
        out.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals("wrote " + out + "\n", r.err());
    String script = Files.readString(out, StandardCharsets.UTF_8);
    assertTrue(script.startsWith("-- crmkpi sql-export for spark: the canonical tables over the lake at s3a://acme/crm,\n"),
        script.substring(0, 200));
    assertTrue(script.contains("--   timezone = 'Asia/Tokyo'\n--   week_start = 7\n"), script.substring(0, 800));
    assertTrue(script.contains("--   churn_inactivity_days = 45\n"), script.substring(0, 800));
    assertTrue(script.contains("CREATE TABLE `crm`.`deals` (\n  `deal_id` STRING,"), script);
    assertTrue(script.contains(") USING parquet PARTITIONED BY (`part_month`) LOCATION 's3a://acme/crm/deals';\n"
        + "MSCK REPAIR TABLE `crm`.`deals`;\n"), script);
    assertTrue(script.contains(") USING parquet LOCATION 's3a://acme/crm/util_calendar';\n"), script);
    assertTrue(script.contains("CREATE OR REPLACE VIEW `kpi`.`sales_period` AS\n"), script);
    // churn after 45 days, not the default 90: the compiled views count with the URL's value
    assertTrue(script.contains("INTERVAL '1' DAY * 45"), script);
    assertFalse(script.contains("INTERVAL '1' DAY * 90"), script);
  }

  @Test
  void anUnknownDialectIsOneLineNamingTheChoices() {
    CrmKpiCliTest.Run r = CrmKpiCliTest.run("sql-export", "--dialect", "oracle");
    assertEquals(2, r.code());
    assertEquals("error: --dialect: unknown dialect 'oracle': use one of spark, trino, postgresql, duckdb\n", r.err());
    assertEquals("", r.out());
  }

  @Test
  void aSchemaPrefixEndingInADotNamesACatalog() {
    CrmKpiCliTest.Run r = CrmKpiCliTest.run("sql-export", "--dialect", "trino", "--schema-prefix", "hive.");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("CREATE OR REPLACE VIEW \"hive\".\"kpi\".\"lead_flow\" AS\n"), r.out());
    assertTrue(r.out().contains("FROM \"hive\".\"crm\".\"leads\""), r.out());
    assertTrue(r.out().contains("external_location = '/data/crmkpi-lake/leads'"), r.out());
  }
}
