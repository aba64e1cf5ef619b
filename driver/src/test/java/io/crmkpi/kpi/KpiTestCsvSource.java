package io.crmkpi.kpi;

import io.crmkpi.source.Source;
import io.crmkpi.source.SourceContext;
import io.crmkpi.source.SourceException;
import io.crmkpi.source.SourceFactory;
import io.crmkpi.store.LoadReport;
import io.crmkpi.store.Store;
import io.crmkpi.store.StoreDerivations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Stream;

/**
 * TEMPORARY test source {@code jdbc:crmkpi:kpi2csv:<folder>} used only until the files source lands on
 * main: loads canonical CSVs (file name = table) with DuckDB's CSV reader, then runs the derivations.
 */
public final class KpiTestCsvSource implements SourceFactory {

  @Override
  public String kind() {
    return "kpi2csv";
  }

  @Override
  public Source create(String target, SourceContext context) {
    return new Source() {
      @Override
      public String name() {
        return "kpi2csv";
      }

      @Override
      public LoadReport load(Store store, SourceContext ctx) throws SourceException {
        try (Stream<Path> files = Files.list(Path.of(target))) {
          List<Path> csvs = files.filter(p -> p.toString().endsWith(".csv")).sorted().toList();
          for (Path f : csvs) {
            String table = f.getFileName().toString().replace(".csv", "");
            store.execute("INSERT INTO crm." + table + " BY NAME SELECT * FROM read_csv('" + f
                + "', header = true, all_varchar = true)");
          }
          StoreDerivations.apply(store, ctx.currency());
        } catch (IOException | SQLException e) {
          throw new SourceException(target + ": " + e.getMessage(), e);
        }
        LoadReport r = new LoadReport("kpi2csv");
        r.add(target, "all", 1, 0);
        return r;
      }
    };
  }
}
