package io.crmkpi.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.crmkpi.source.SourceContext;
import io.crmkpi.source.Sources;
import io.crmkpi.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cached demo is a DuckDB file the restore attaches and copies from: a file another user planted in
 * a shared cache folder, with a view in place of a table, would run that view's SQL (here: read a
 * file) into crm.deals. Only files carrying this user's MAC are attached.
 */
class DemoCacheSecurityTest {

  @TempDir
  Path dir;

  private final List<String> progress = new ArrayList<>();

  private List<String> titles(Map<String, String> props) throws Exception {
    progress.clear();
    SourceContext ctx = new SourceContext(props, progress::add);
    List<String> out = new ArrayList<>();
    try (Store s = Store.inMemory()) {
      Sources.create("demo", "", ctx).load(s, ctx);
      try (Connection c = s.connect(); Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SELECT DISTINCT title FROM crm.deals")) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  @Test
  void aPlantedCacheFileWithAViewIsNotAttached() throws Exception {
    Path hostname = Path.of("/etc/hostname");
    assumeTrue(Files.isReadable(hostname));
    String secret = Files.readString(hostname);
    Map<String, String> props = Map.of("deals", "300", "seed", "3", "today", "2025-03-31", "cache", dir.toString());
    List<String> genuine = titles(props);
    Path file;
    try (Stream<Path> s = Files.list(dir.resolve("demo"))) {
      file = s.filter(p -> p.toString().endsWith(".duckdb")).findFirst().orElseThrow();
    }
    // the attacker replaces the deals table by a view that reads a file of the victim's
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file); Statement s = c.createStatement()) {
      s.execute("ALTER TABLE crm.deals RENAME TO deals_orig");
      s.execute("CREATE VIEW crm.deals AS SELECT * REPLACE ((SELECT content FROM read_text('/etc/hostname')) AS title) "
          + "FROM crm.deals_orig");
    }
    // the forgery works when attached: what the restore would have copied into crm.deals
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
      s.execute("ATTACH '" + file + "' AS demo_cache (READ_ONLY)");
      try (ResultSet rs = s.executeQuery("SELECT DISTINCT title FROM demo_cache.crm.deals")) {
        assertTrue(rs.next());
        assertEquals(secret, rs.getString(1));
      }
    }
    List<String> again = titles(props);
    assertTrue(progress.stream().anyMatch(m -> m.contains("rows generated")), progress.toString());
    assertTrue(!again.contains(secret), "no deal is titled with the host name");
    assertEquals(genuine.size(), again.size());
    // and the generation replaced the planted file with a sealed one that is used again
    assertEquals(genuine, titles(props));
    assertTrue(progress.stream().anyMatch(m -> m.contains("from the cache")), progress.toString());
  }
}
