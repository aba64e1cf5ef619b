package io.crmkpi.jdbc.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmkpi.metrics.MetricDefinition;
import io.crmkpi.metrics.MetricLibrary;
import io.crmkpi.metrics.MetricSettings;
import io.crmkpi.model.CanonicalModel;
import io.crmkpi.model.Table;
import io.crmkpi.store.Store;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.calcite.adapter.jdbc.JdbcSchema;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.SchemaPlus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreCatalogTest {

  /**
   * The catalog knows table row types without the store; they must be exactly what Calcite's JDBC
   * adapter reads from a real store's metadata (what the catalog used before), or compiled SQL changes.
   */
  @Test
  void storeTablesHaveTheRowTypesTheStoreReports(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("s.duckdb");
    Store.file(file).close();
    DataSource ds = JdbcSchema.dataSource("jdbc:duckdb:" + file, "org.duckdb.DuckDBDriver", null, null);
    SchemaPlus root = CalciteSchema.createRootSchema(false, false).plus();
    RelDataTypeFactory types = new JavaTypeFactoryImpl();
    JdbcSchema crm = JdbcSchema.create(root, "crm", ds, null, "crm");
    for (Table t : CanonicalModel.tables()) {
      org.apache.calcite.schema.Table fromStore = crm.tables().get(t.name());
      assertNotNull(fromStore, t.name());
      assertEquals(fromStore.getRowType(types).getFullTypeString(),
          StoreTable.of(t).getRowType(types).getFullTypeString(), t.name());
    }
    JdbcSchema util = JdbcSchema.create(root, "util", ds, null, "util");
    assertEquals(util.tables().get("calendar").getRowType(types).getFullTypeString(),
        StoreTable.calendar().getRowType(types).getFullTypeString());
  }

  /**
   * Built-in views are derived on first use, not at connect: every one of them must still derive,
   * with default and with other settings, and report its declared columns.
   */
  @Test
  void everyBuiltInViewDerivesWithItsDeclaredColumns() {
    for (Map<String, String> props : List.of(Map.<String, String>of(),
        Map.of("week_start", "7", "fiscal_year_start", "4", "gross_margin", "0.4", "golive", "2025-03-01"))) {
      StoreCatalog catalog = new StoreCatalog(MetricLibrary.builtIn(), MetricSettings.from(props));
      List<CatalogTable> tables = catalog.tables();
      assertEquals(List.of(), catalog.problems(), props.toString());
      for (MetricDefinition d : MetricLibrary.builtIn().definitions()) {
        CatalogTable t = tables.stream().filter(x -> x.schema().equals(d.schema()) && x.name().equals(d.name()))
            .findFirst().orElseThrow(() -> new AssertionError("missing " + d.qualifiedName()));
        assertEquals(d.columns().stream().map(MetricDefinition.MetricColumn::name).toList(),
            t.columns().stream().map(CatalogTable.CatalogColumn::name).toList(), d.qualifiedName());
      }
    }
  }

  /**
   * A statement over views whose row types other statements (and the background warm-up, on its
   * own thread) derived compiles to the same store SQL as in a catalog that derives them for it.
   */
  @Test
  void viewsDerivedEarlierCompileToTheSameSql() throws Exception {
    MetricSettings settings = MetricSettings.from(Map.of());
    StoreCatalog warm = new StoreCatalog(MetricLibrary.builtIn(), settings);
    warm.compiler().compile("SELECT * FROM kpi.conversion_by_stage");
    warm.compiler().compile("SELECT grain, COUNT(*) FROM util.periods GROUP BY grain");
    String query = "SELECT pipeline_name, stage_name, deals_reached FROM kpi.conversion_by_stage "
        + "WHERE grain = 'all' ORDER BY pipeline_id, stage_order";
    String shared = warm.compiler().compile(query).storeSql();
    String fresh = new StoreCatalog(MetricLibrary.builtIn(), settings).compiler().compile(query).storeSql();
    assertEquals(fresh, shared);
    assertTrue(shared.contains("\"crm\".\"deal_stage_history\""), shared);
  }
}
