package io.crmkpi.files;

import io.crmkpi.store.Store;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/** Test helper: query results as "a|b|c" lines (NULL for null), fixture folders by resource name. */
public final class StoreRows {

  private StoreRows() {
  }

  public static List<String> rows(Store store, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = store.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringJoiner j = new StringJoiner("|");
        for (int i = 1; i <= n; i++) {
          Object v = rs.getObject(i);
          j.add(v == null ? "NULL" : rs.getString(i));
        }
        out.add(j.toString());
      }
    }
    return out;
  }

  static Path fixture(String name) {
    try {
      return Path.of(StoreRows.class.getResource("/files/canonical/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
