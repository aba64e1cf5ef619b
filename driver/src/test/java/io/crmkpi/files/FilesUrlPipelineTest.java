package io.crmkpi.files;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline/plan columns of CRM export files, loaded as users load them
 * ({@code jdbc:crmkpi:files:<folder>}): each format's fixture (the adapters' test files) gives
 * expected close dates and probabilities worked out by hand from its cells, a bad probability is a
 * reject with file:line, every data row is loaded or rejected; a targets.csv beside the export
 * names owners and pipelines as the export does and gets their ids.
 */
class FilesUrlPipelineTest {

  @TempDir
  Path tmp;

  private Path folder(String name, String... fixtures) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(name));
    for (String f : fixtures) {
      // the fixtures may sit in the adapters' test jar: copy them as streams, not as paths
      try (java.io.InputStream in = FilesUrlPipelineTest.class.getResourceAsStream("/exports/" + f)) {
        if (in == null) {
          throw new java.io.FileNotFoundException("test fixture /exports/" + f);
        }
        Files.copy(in, dir.resolve(f.substring(f.lastIndexOf('/') + 1)));
      }
    }
    return dir;
  }

  private static List<String> query(Path folder, String options, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:crmkpi:files:" + folder + options);
        Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      List<String> out = new ArrayList<>();
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringJoiner j = new StringJoiner("|");
        for (int i = 1; i <= n; i++) {
          j.add(String.valueOf(rs.getString(i)));
        }
        out.add(j.toString());
      }
      return out;
    }
  }

  private static final String DEALS = "SELECT deal_id, status, CAST(expected_close_date AS VARCHAR), probability "
      + "FROM crm.deals ORDER BY deal_id";
  /** Deals loaded, rejects, and their sum (to compare with the data rows of the file, counted by hand). */
  private static final String READ = "SELECT (SELECT count(*) FROM crm.deals), (SELECT count(*) FROM crm.load_rejects), "
      + "(SELECT count(*) FROM crm.deals) + (SELECT count(*) FROM crm.load_rejects)";

  @Test
  void bitrix24() throws Exception {
    Path dir = folder("bitrix24", "bitrix24/deals_utf8.csv");
    // Предполагаемая дата закрытия as typed (a day: the reporting zone does not move it), Вероятность 0-100
    assertEquals(List.of("10|lost|2024-01-30|null", "13|open|null|null", "7|won|2024-01-25|100.0",
        "8|open|2024-02-28|40.0", "9|lost|2024-01-16|0.0"), query(dir, ";timezone=Pacific/Auckland", DEALS));
    // 7 data rows (row 7 spans two lines): 5 loaded, 2 rejected
    assertEquals(List.of("5|2|7"), query(dir, "", READ));
    assertEquals(List.of("deals_utf8.csv:8|column 'Вероятность' value '150' is not a probability between 0 and 100"),
        query(dir, "", "SELECT location, reason FROM crm.load_rejects WHERE reason LIKE '%probability%'"));
  }

  @Test
  void hubSpot() throws Exception {
    Path dir = folder("hubspot", "hubspot/hubspot-crm-exports-all-deals-2023-04-03.csv");
    // Close Date 2023-06-30 00:00 of the open 9002 is its expected day; Deal probability 0.9 -> 90
    assertEquals(List.of("9001|won|2023-03-15|100.0", "9002|open|2023-06-30|90.0", "9003|lost|2023-03-01|0.0",
        "9004|won|2023-03-30|100.0", "9006|open|null|20.0"), query(dir, "", DEALS));
    assertEquals(List.of("5|1|6"), query(dir, "", READ));
    assertEquals(List.of("hubspot-crm-exports-all-deals-2023-04-03.csv:6|column 'Deal probability' value '1.5' is "
        + "not a probability between 0 and 1"), query(dir, "", "SELECT location, reason FROM crm.load_rejects"));
    // the stage's probability (hs_deal_stage_probability) on the stage too
    assertEquals(List.of("Appointment scheduled|20.0", "Contract sent|90.0"), query(dir, "",
        "SELECT name, probability FROM crm.stages WHERE kind = 'open' ORDER BY 1"));
  }

  @Test
  void pipedrive() throws Exception {
    Path dir = folder("pipedrive", "pipedrive/deals-export.csv");
    assertEquals(List.of("1|won|2024-02-15|100.0", "2|lost|2024-03-31|0.0", "3|open|null|60.0"),
        query(dir, "", DEALS));
    assertEquals(List.of("3|2|5"), query(dir, "", READ));
    assertEquals(List.of("deals-export.csv:6|column 'Deal - Probability' value 'high' is not a number"),
        query(dir, "", "SELECT location, reason FROM crm.load_rejects WHERE location LIKE '%:6'"));
  }

  @Test
  void salesforce() throws Exception {
    Path dir = folder("salesforce", "salesforce/report1716200000000.csv");
    // US dates 6/30/2024 -> June 30; the report's footer lines are no rows
    assertEquals(List.of("0065g00000AbCdEAA1|won|2024-03-28|100.0", "0065g00000AbCdFAA1|open|2024-06-30|90.0",
        "0065g00000AbCdGAA1|lost|2024-02-15|0.0", "0065g00000AbCdIAA1|open|null|10.0"), query(dir, "", DEALS));
    assertEquals(List.of("4|1|5"), query(dir, "", READ));
    assertEquals(List.of("report1716200000000.csv:5|column 'Probability (%)' value '150' is not a probability "
        + "between 0 and 100"), query(dir, "", "SELECT location, reason FROM crm.load_rejects"));
  }

  @Test
  void amoCrmHasNeither() throws Exception {
    Path dir = folder("amocrm", "amocrm/amocrm_export_leads_2024-05-20.csv");
    assertEquals(List.of("0|0"), query(dir, "",
        "SELECT count(expected_close_date), count(probability) FROM crm.deals"));
  }

  @Test
  void targetsBesideAnExportNameOwnersAndPipelinesAsTheExportDoes() throws Exception {
    Path dir = folder("plan", "pipedrive/deals-export.csv");
    // sorted by name, targets.csv would come before zz-deals...: plans load after the other files anyway
    Files.move(dir.resolve("deals-export.csv"), dir.resolve("zz-deals-export.csv"));
    Files.writeString(dir.resolve("targets.csv"), "target_id,owner_user_id,pipeline_id,grain,period_start,metric,target\n"
        + "t1,Alice Smith,Sales,month,2024-02-01,revenue,5000\n"
        + "t2,bob  brown,,quarter,2024-01-01,deals_won,3\n"
        + "t3,,,year,2024-01-01,revenue,100000\n"
        + "t4,Nobody Known,,month,2024-02-01,revenue,10\n"
        + "t5,Alice Smith,,month,2024-02-15,revenue,10\n", StandardCharsets.UTF_8);
    // names (any case or spacing) became the export's ids; an unknown name stays as written
    assertEquals(List.of("t1|Alice Smith|Sales|2024-02-01|5000.00", "t2|Bob Brown|null|2024-01-01|3.00",
        "t3|null|null|2024-01-01|100000.00", "t4|null|null|2024-02-01|10.00"), query(dir, "",
        "SELECT t.target_id, u.name, p.name, CAST(t.period_start AS VARCHAR), t.target FROM crm.targets t "
            + "LEFT JOIN crm.users u ON u.user_id = t.owner_user_id "
            + "LEFT JOIN crm.pipelines p ON p.pipeline_id = t.pipeline_id ORDER BY 1"));
    assertEquals(List.of("Nobody Known"), query(dir, "", "SELECT owner_user_id FROM crm.targets WHERE target_id = 't4'"));
    assertEquals(List.of("targets.csv:6|period_start: 2024-02-15 is not the first day of a month"),
        query(dir, "", "SELECT location, reason FROM crm.load_rejects WHERE location LIKE 'targets%'"));
  }
}
