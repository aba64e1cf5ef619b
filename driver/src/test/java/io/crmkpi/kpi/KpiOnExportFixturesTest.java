package io.crmkpi.kpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmkpi.metrics.MetricDefinition;
import io.crmkpi.metrics.MetricLibrary;
import java.io.FileNotFoundException;
import java.io.InputStream;
import java.math.BigDecimal;
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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every KPI view on each CRM's real export files (the adapters' fixtures), loaded as users load them, with a
 * company-wide revenue plan beside them: each view runs and answers with the columns its definition declares,
 * and the pipeline and plan views agree with the canonical tables counted independently.
 */
class KpiOnExportFixturesTest {

  @TempDir
  Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"amocrm", "bitrix24", "hubspot", "pipedrive", "salesforce"})
  void everyViewRunsAndThePipelineAndPlanViewsAddUp(String source) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(source));
    for (String f : switch (source) {
      case "amocrm" -> List.of("amocrm_export_leads_2024-05-20.csv", "amocrm_export_companies_2024-05-20.csv");
      case "bitrix24" -> List.of("deals_utf8.csv", "companies_utf8.csv", "contacts_utf8.csv");
      case "hubspot" -> List.of("hubspot-crm-exports-all-deals-2023-04-03.csv",
          "hubspot-crm-exports-all-companies-2023-04-03.csv");
      case "pipedrive" -> List.of("deals-export.csv");
      default -> List.of("report1716200000000.csv");
    }) {
      copy("/exports/" + source + "/" + f, dir.resolve(f));
    }
    // a yearly company revenue plan for each year the fixtures could touch (most have no deals: a plan anyway)
    StringBuilder targets = new StringBuilder("target_id,grain,period_start,metric,target\n");
    for (int year = 2019; year <= 2026; year++) {
      targets.append("y").append(year).append(",year,").append(year).append("-01-01,revenue,100000\n");
    }
    Files.writeString(dir.resolve("targets.csv"), targets, StandardCharsets.UTF_8);

    try (Connection c = DriverManager.getConnection("jdbc:crmkpi:files:" + dir)) {
      long deals = one(c, "SELECT COUNT(*) FROM crm.deals WHERE NOT is_deleted").longValue();
      assertTrue(deals > 0, source + ": the fixture loads deals");
      for (MetricDefinition d : MetricLibrary.builtIn().definitions()) {
        List<String> declared = d.columns().stream().map(MetricDefinition.MetricColumn::name).toList();
        assertEquals(declared, columns(c, "SELECT * FROM " + d.qualifiedName()), source + ": " + d.qualifiedName());
      }
      // every open deal is in exactly one forecast row (a month, or the NULL month without a date)
      assertEquals(one(c, "SELECT COUNT(*) FROM crm.deals WHERE status = 'open' AND NOT is_deleted").longValue(),
          one(c, "SELECT COALESCE(SUM(open_deals), 0) FROM kpi.pipeline_forecast").longValue(), source);
      assertEquals(one(c, "SELECT COUNT(*) FROM crm.deals WHERE status = 'open' AND NOT is_deleted").longValue(),
          one(c, "SELECT COALESCE(SUM(open_deals), 0) FROM kpi.open_pipeline").longValue(), source);
      // every lost deal with a close time is in one loss_analysis row of each grain
      assertEquals(one(c, "SELECT COUNT(*) FROM crm.deals WHERE status = 'lost' AND NOT is_deleted "
              + "AND closed_at IS NOT NULL").longValue(),
          one(c, "SELECT COALESCE(SUM(lost_deals), 0) FROM kpi.loss_analysis WHERE grain = 'year'").longValue(), source);
      // one row per plan; revenue = won amount closed in the year, counted here from crm.deals
      assertEquals(8, one(c, "SELECT COUNT(*) FROM kpi.plan_attainment").longValue(), source);
      for (int year = 2019; year <= 2026; year++) {
        BigDecimal won = decimal(c, "SELECT COALESCE(SUM(amount_base), 0) FROM crm.deals WHERE status = 'won' "
            + "AND NOT is_deleted AND closed_at >= TIMESTAMP '" + year + "-01-01 00:00:00' "
            + "AND closed_at < TIMESTAMP '" + (year + 1) + "-01-01 00:00:00'");
        BigDecimal actual = decimal(c, "SELECT actual FROM kpi.plan_attainment WHERE target_id = 'y" + year + "'");
        assertEquals(0, won.compareTo(actual), source + " " + year + ": " + won + " won, plan actual " + actual);
      }
    }
  }

  private static void copy(String resource, Path to) throws Exception {
    try (InputStream in = KpiOnExportFixturesTest.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new FileNotFoundException("test fixture " + resource);
      }
      Files.copy(in, to);
    }
  }

  private static List<String> columns(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      List<String> names = new ArrayList<>();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        names.add(rs.getMetaData().getColumnLabel(i).toLowerCase(java.util.Locale.ROOT));
      }
      while (rs.next()) {
        // read every row: a view that fails only at run time fails here
        rs.getObject(1);
      }
      return names;
    }
  }

  private static Number one(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next(), sql);
      return (Number) rs.getObject(1);
    }
  }

  private static BigDecimal decimal(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next(), sql);
      BigDecimal v = rs.getBigDecimal(1);
      return v == null ? BigDecimal.ZERO : v;
    }
  }
}
