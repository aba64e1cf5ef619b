package io.crmkpi.jdbc.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmkpi.jdbc.catalog.StoreCatalog;
import io.crmkpi.metrics.MetricLibrary;
import io.crmkpi.metrics.MetricSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compilations on disk serve a later catalog with the same identity, and only that one. */
class CompiledQueryStoreTest {

  private static final String QUERY = "SELECT pipeline_name, stage_name FROM kpi.conversion_by_stage WHERE grain = 'all'";

  @TempDir
  Path dir;

  private StoreCatalog catalog(Map<String, String> settings, boolean disk) {
    return new StoreCatalog(MetricLibrary.builtIn(), MetricSettings.from(settings),
        disk ? Optional.of(dir) : Optional.empty());
  }

  private List<Path> files() throws Exception {
    try (Stream<Path> s = Files.walk(dir.resolve("compiled"))) {
      return s.filter(p -> p.toString().endsWith(".q")).toList();
    }
  }

  @Test
  void aLaterCatalogWithTheSameIdentityTakesTheCompilationFromDisk() throws Exception {
    StoreCatalog first = catalog(Map.of(), true);
    CompiledQuery real = first.compiler().compile(QUERY);
    assertTrue(real.storeSql().contains("\"crm\".\"deal_stage_history\""), real.storeSql());
    assertEquals(1, files().size());
    // replace the stored compilation by a recognisable one: whoever reads it got it from disk
    CompiledQuery marker = first.compiler().compile("SELECT 'from disk' AS pipeline_name, 'x' AS stage_name");
    first.compiler().disk().put(QUERY, marker);

    CompiledQuery again = catalog(Map.of(), true).compiler().compile(QUERY);
    assertEquals(marker, again);
    assertEquals(List.of("pipeline_name", "stage_name"), again.columnNames());

    // other settings are another catalog (the rendered view SQL differs): compiled by Calcite
    CompiledQuery otherWeek = catalog(Map.of("week_start", "7"), true).compiler().compile(QUERY);
    assertNotEquals(marker.storeSql(), otherWeek.storeSql());
    assertTrue(otherWeek.storeSql().contains("\"crm\".\"deal_stage_history\""));
    // no disk cache: Calcite
    StoreCatalog noDisk = catalog(Map.of(), false);
    assertNull(noDisk.compiler().disk());
    assertEquals(real, noDisk.compiler().compile(QUERY));
  }

  @Test
  void parametersAndColumnsSurviveTheRoundTrip() throws Exception {
    StoreCatalog first = catalog(Map.of(), true);
    String sql = "SELECT deal_id AS \"Deal\", title FROM crm.deals WHERE amount > ? AND owner_user_id = ? ORDER BY 1";
    CompiledQuery q = first.compiler().compile(sql);
    assertEquals(2, q.parameterCount());
    CompiledQuery read = first.compiler().disk().get(sql).orElseThrow();
    assertEquals(q, read);
    assertEquals(List.of("Deal", "title"), read.columnNames());
    // types and origins too (ResultSetMetaData and ParameterMetaData answer from them)
    assertEquals(new CompiledQuery.Column("Deal", "VARCHAR", java.sql.Types.VARCHAR, -1, -1, false, "crm", "deals",
        "deal_id"), read.columns().get(0));
    assertEquals(List.of("DECIMAL", "VARCHAR"), read.parameters().stream().map(CompiledQuery.Column::typeName).toList());
    assertTrue(first.compiler().disk().get(sql + " ").isEmpty(), "another SQL text is another statement");
  }

  @Test
  void aDamagedFileIsCompiledAgainAndReplaced() throws Exception {
    CompiledQuery real = catalog(Map.of(), true).compiler().compile(QUERY);
    Path f = files().get(0);
    Files.write(f, new byte[] {0, 0, 0, 1, 0x7f, 0x7f, 0x7f, 0x7f});
    StoreCatalog second = catalog(Map.of(), true);
    assertTrue(second.compiler().disk().get(QUERY).isEmpty());
    assertEquals(real, second.compiler().compile(QUERY));
    assertEquals(real, second.compiler().disk().get(QUERY).orElseThrow());
  }
}
