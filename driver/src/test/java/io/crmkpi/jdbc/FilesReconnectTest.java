package io.crmkpi.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmkpi.model.CanonicalModel;
import io.crmkpi.model.Table;
import io.crmkpi.store.Store;
import io.crmkpi.testing.QueryRows;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A files source in a store file (store=...): a reconnect to an unchanged folder loads nothing; after
 * a file changed, the store equals a fresh load of the new folder table by table, row by row.
 */
class FilesReconnectTest {

  @TempDir
  Path tmp;

  private static final String STAGES = "stage_id,pipeline_id,name,sort_order,kind\r\n"
      + "s1,p1,New,1,open\r\n"
      + "won,p1,Won,10,won\r\n"
      + "lost,p1,Lost,11,lost\r\n";
  private static final String COMPANIES = "company_id,name,industry,owner_user_id,created_at\n"
      + "c1,Acme,Manufacturing,u1,2023-11-01 12:00:00\n"
      + "c2,Gamma LLC,Retail,u1,2024-02-01\n";
  private static final String DEALS_V1 = "deal_id,title,pipeline_id,stage_id,amount,currency,created_at,closed_at,company_id\n"
      + "d1,Acme licence,p1,won,100.00,USD,2024-02-10 10:00:00,2024-03-05 12:00:00,c1\n"
      + "d2,Beta pilot,p1,s1,50,USD,2023-12-20 09:00:00,,\n"
      + "d3,Gamma,p1,lost,10.02,USD,2024-02-20,2024-03-01 09:15:00,c2\n"
      + "d4,Gamma again,p1,won,70,USD,2024-03-01,2024-03-09 10:00:00,c2\n"
      + "d5,Bad,p1,s1,12x,USD,2024-03-01,,\n";
  // d1's amount changed, d3 deleted, d6 added (won: a new order and a new customer history), d5 still bad
  private static final String DEALS_V2 = "deal_id,title,pipeline_id,stage_id,amount,currency,created_at,closed_at,company_id\n"
      + "d1,Acme licence,p1,won,120.00,USD,2024-02-10 10:00:00,2024-03-05 12:00:00,c1\n"
      + "d2,Beta pilot,p1,s1,50,USD,2023-12-20 09:00:00,,\n"
      + "d4,Gamma again,p1,won,70,USD,2024-03-01,2024-03-09 10:00:00,c2\n"
      + "d5,Bad,p1,s1,12x,USD,2024-03-01,,\n"
      + "d6,Acme renewal,p1,won,300,USD,2024-05-01 09:00:00,2024-05-20 09:00:00,c1\n";

  @Test
  void unchangedFolderLoadsNothingChangedFolderEqualsAFreshLoad() throws Exception {
    Path folder = Files.createDirectory(tmp.resolve("exports"));
    write(folder.resolve("stages.csv"), STAGES);
    write(folder.resolve("companies.csv"), COMPANIES);
    write(folder.resolve("deals.csv"), DEALS_V1);
    Path store = tmp.resolve("store.duckdb");
    String url = "jdbc:crmkpi:files:" + folder + ";store=" + store;

    assertEquals(List.of("d1|100.00", "d2|50.00", "d3|10.02", "d4|70.00"), query(url,
        "SELECT deal_id, amount FROM crm.deals ORDER BY deal_id"));
    Map<String, String> first = manifest(store);
    assertEquals(3, first.size(), first.toString());
    assertTrue(first.get("deals.csv").startsWith("rows=4 format=canonical-csv"), first.toString());
    String firstLoad = loadedAt(store);

    // reconnect, nothing changed: neither the manifest nor the store's load time move
    assertEquals(List.of("4"), query(url, "SELECT count(*) FROM crm.deals"));
    assertEquals(first, manifest(store));
    assertEquals(firstLoad, loadedAt(store));

    // touched without a change (a copy that keeps the bytes): still nothing loaded
    Files.setLastModifiedTime(folder.resolve("companies.csv"), FileTime.from(Instant.now().minusSeconds(3600)));
    assertEquals(List.of("4"), query(url, "SELECT count(*) FROM crm.deals"));
    assertEquals(first, manifest(store));
    assertEquals(firstLoad, loadedAt(store));

    // one file changed within the same second as the load: the content hash sees it
    write(folder.resolve("deals.csv"), DEALS_V2);
    assertEquals(List.of("d1|120.00", "d2|50.00", "d4|70.00", "d6|300.00"), query(url,
        "SELECT deal_id, amount FROM crm.deals ORDER BY deal_id"));
    Map<String, String> second = manifest(store);
    assertNotEquals(first.get("deals.csv"), second.get("deals.csv"));
    assertTrue(second.get("deals.csv").startsWith("rows=4 format=canonical-csv"), second.toString());
    assertNotEquals(firstLoad, loadedAt(store));

    // the reloaded store equals a fresh load of the new folder, every canonical table
    Path fresh = tmp.resolve("fresh.duckdb");
    query("jdbc:crmkpi:files:" + folder + ";store=" + fresh, "SELECT count(*) FROM crm.deals");
    Map<String, List<String>> reloaded = dump(store);
    Map<String, List<String>> expected = dump(fresh);
    assertEquals(expected, reloaded);
    // the derived data followed the change: d3 gone from history, d6's order is there, d1's order is 120
    assertEquals(List.of("d1|120.00", "d4|70.00", "d6|300.00"), reloaded.get("orders").stream()
        .map(r -> r.split("\\|")).map(r -> r[orderCol("deal_id")] + "|" + r[orderCol("amount")]).sorted().toList());
    assertEquals(1, reloaded.get("load_rejects").size());

    // other settings read the same files differently: they reload too
    String before = loadedAt(store);
    query(url + ";timezone=Europe/Moscow", "SELECT count(*) FROM crm.deals");
    assertNotEquals(before, loadedAt(store));
  }

  @Test
  void addedAndRemovedFilesReload() throws Exception {
    Path folder = Files.createDirectory(tmp.resolve("exports"));
    write(folder.resolve("stages.csv"), STAGES);
    write(folder.resolve("deals.csv"), DEALS_V1);
    Path store = tmp.resolve("store.duckdb");
    String url = "jdbc:crmkpi:files:" + folder + ";store=" + store;
    assertEquals(List.of("0"), query(url, "SELECT count(*) FROM crm.companies"));
    write(folder.resolve("companies.csv"), COMPANIES);
    assertEquals(List.of("2"), query(url, "SELECT count(*) FROM crm.companies"));
    assertEquals(3, manifest(store).size());
    Files.delete(folder.resolve("companies.csv"));
    assertEquals(List.of("0"), query(url, "SELECT count(*) FROM crm.companies"));
    assertEquals(List.of("deals.csv", "stages.csv"), manifest(store).keySet().stream().sorted().toList());
  }

  @Test
  void aConnectRefreshesAStoreThatOtherConnectionsHoldOpen() throws Exception {
    Path folder = Files.createDirectory(tmp.resolve("exports"));
    write(folder.resolve("stages.csv"), STAGES);
    write(folder.resolve("deals.csv"), DEALS_V1);
    String url = "jdbc:crmkpi:files:" + folder + ";store=" + tmp.resolve("store.duckdb");
    StoreRegistry.closeUnused();
    try (Connection pooled = DriverManager.getConnection(url)) { // a BI tool's pool keeps this one open
      assertEquals(List.of("4|230.02"), rows(pooled, "SELECT count(*), sum(amount) FROM crm.deals"));
      write(folder.resolve("deals.csv"), DEALS_V2);
      try (Connection next = DriverManager.getConnection(url)) {
        assertEquals(List.of("4|540.00"), rows(next, "SELECT count(*), sum(amount) FROM crm.deals"));
      }
      // the same shared store: the open connection sees the new data too
      assertEquals(List.of("d1|120.00", "d2|50.00", "d4|70.00", "d6|300.00"), rows(pooled,
          "SELECT deal_id, amount FROM crm.deals ORDER BY deal_id"));

      // a statement issued while a refresh holds the store waits for it instead of reading half of it
      StoreHandle handle = StoreRegistry.acquire(ConnectionConfig.parse(url, new java.util.Properties()));
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
      try {
        handle.refreshLock().writeLock().lock();
        java.util.concurrent.Future<List<String>> waiting;
        try {
          waiting = pool.submit(() -> rows(pooled, "SELECT count(*) FROM crm.deals"));
          org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.TimeoutException.class,
              () -> waiting.get(500, java.util.concurrent.TimeUnit.MILLISECONDS));
        } finally {
          handle.refreshLock().writeLock().unlock();
        }
        assertEquals(List.of("4"), waiting.get(30, java.util.concurrent.TimeUnit.SECONDS));
      } finally {
        pool.shutdownNow();
        StoreRegistry.release(ConnectionConfig.parse(url, new java.util.Properties()), handle);
      }
    } finally {
      StoreRegistry.closeUnused();
    }
  }

  private static int orderCol(String name) {
    return CanonicalModel.require("orders").indexOf(name);
  }

  private static void write(Path file, String text) throws Exception {
    Files.write(file, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Connects (a real reconnect: the registry's idle store is closed first), runs one query, disconnects. */
  private static List<String> query(String url, String sql) throws SQLException {
    StoreRegistry.closeUnused();
    try (Connection c = DriverManager.getConnection(url)) {
      return rows(c, sql);
    } finally {
      StoreRegistry.closeUnused();
    }
  }

  private static List<String> rows(Connection c, String sql) throws SQLException {
    return QueryRows.lines(c, sql);
  }

  /** file name -> "rows=.. format=.. size=.. sha=.. at=.." (not the mtime: a touch may update it). */
  private static Map<String, String> manifest(Path storeFile) throws SQLException {
    Map<String, String> out = new LinkedHashMap<>();
    try (Store s = Store.file(storeFile); Connection c = s.connect()) {
      for (String r : rows(c, "SELECT path, rows_loaded, format, size, mtime, sha256, loaded_at FROM util.file_manifest "
          + "ORDER BY path")) {
        String[] v = r.split("\\|");
        out.put(Path.of(v[0]).getFileName().toString(), "rows=" + v[1] + " format=" + v[2] + " size=" + v[3]
            + " sha=" + v[5] + " at=" + v[6]);
      }
    }
    return out;
  }

  private static String loadedAt(Path storeFile) throws SQLException {
    try (Store s = Store.file(storeFile); Connection c = s.connect()) {
      return rows(c, "SELECT value FROM util.store_info WHERE key = 'loaded_at'").get(0);
    }
  }

  /**
   * Every canonical table as sorted rows; load_rejects without its wall-clock rejected_at; not the deal
   * snapshots, the history a reload carries over (FilesSnapshotsTest), which a fresh load cannot have.
   */
  private static Map<String, List<String>> dump(Path storeFile) throws SQLException {
    Map<String, List<String>> out = new LinkedHashMap<>();
    try (Store s = Store.file(storeFile); Connection c = s.connect()) {
      for (Table t : CanonicalModel.tables()) {
        if (t.name().equals("deal_snapshots")) {
          continue;
        }
        String cols = t.name().equals("load_rejects") ? "source, location, entity, reason, raw" : "*";
        out.put(t.name(), rows(c, "SELECT " + cols + " FROM crm." + t.name() + " ORDER BY ALL"));
      }
    }
    return out;
  }
}
