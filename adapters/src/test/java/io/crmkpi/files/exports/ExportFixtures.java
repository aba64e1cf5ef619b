package io.crmkpi.files.exports;

import io.crmkpi.files.FileFormat;
import io.crmkpi.source.SourceContext;
import io.crmkpi.store.LoadReport;
import io.crmkpi.store.LoadSession;
import io.crmkpi.store.Store;
import io.crmkpi.store.StoreDerivations;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Test helpers: fixture paths, one-file loads into an in-memory store, and compact query results. */
public final class ExportFixtures {

  private ExportFixtures() {
  }

  public static Path fixture(String relative) {
    try {
      return Path.of(ExportFixtures.class.getResource("/exports/" + relative).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Loads {@code file} with {@code format} into {@code store}, runs the derivations, returns the report. */
  public static LoadReport load(Store store, FileFormat format, Path file, Map<String, String> properties)
      throws Exception {
    SourceContext context = SourceContext.of(properties);
    LoadReport report;
    try (LoadSession session = store.load("files")) {
      format.load(file, session, context);
      report = session.report();
    }
    StoreDerivations.apply(store, Optional.empty());
    return report;
  }

  /** Every row of {@code sql} as {@code v1|v2|...} (NULL for null). */
  public static List<String> rows(Store store, String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = store.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          if (i > 1) {
            b.append('|');
          }
          Object v = rs.getObject(i);
          if (v instanceof java.sql.Timestamp t) {
            v = t.toLocalDateTime();
          }
          b.append(v == null ? "NULL" : v.toString());
        }
        out.add(b.toString());
      }
    }
    return out;
  }

  public static String one(Store store, String sql) throws Exception {
    List<String> r = rows(store, sql);
    if (r.size() != 1) {
      throw new AssertionError("expected one row from " + sql + ", got " + r);
    }
    return r.get(0);
  }
}
