package io.crmkpi.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmkpi.testing.QueryRows;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store file through the JDBC URL: any file name, a DuckDB shut off from the machine once loaded,
 * damaged files, read-only opens and the folder store= may create.
 */
class StoreFileTest {

  @TempDir
  Path tmp;

  private static final String DEALS = "deal_id,title,pipeline_id,stage_id,amount,currency,created_at,closed_at\n"
      + "d1,Acme,p1,won,100.00,USD,2024-02-10 10:00:00,2024-03-05 12:00:00\n"
      + "d2,Beta,p1,s1,50,USD,2023-12-20 09:00:00,\n"
      + "d3,Gamma,p1,lost,10.02,USD,2024-02-20,2024-03-01 09:15:00\n";
  private static final String STAGES = "stage_id,pipeline_id,name,sort_order,kind\n"
      + "s1,p1,New,1,open\nwon,p1,Won,10,won\nlost,p1,Lost,11,lost\n";
  /** 100.00 + 50 + 10.02, three deals. */
  private static final List<String> TOTAL = List.of("3|160.02");

  @AfterEach
  void closeStores() {
    StoreRegistry.closeUnused();
  }

  private Path folder() throws Exception {
    Path folder = tmp.resolve("exports");
    if (!Files.isDirectory(folder)) {
      Files.createDirectory(folder);
      Files.writeString(folder.resolve("stages.csv"), STAGES, StandardCharsets.UTF_8);
      Files.writeString(folder.resolve("deals.csv"), DEALS, StandardCharsets.UTF_8);
    }
    return folder;
  }

  private String url(Path store) throws Exception {
    return "jdbc:crmkpi:files:" + folder() + ";store=" + store;
  }

  @Test
  void aStoreFileMayBeNamedLikeASchemaOrASource() throws Exception {
    for (String name : List.of("crm.duckdb", "kpi.duckdb", "amocrm.duckdb", "util.duckdb")) {
      String url = url(tmp.resolve(name));
      assertEquals(TOTAL, query(url, "SELECT count(*), sum(amount) FROM crm.deals"), name);
      // and again from the file, as a new program would find it
      assertEquals(TOTAL, query(url + ";refresh=never", "SELECT count(*), sum(amount) FROM crm.deals"), name);
      assertEquals(List.of("1|1"), query(url, "SELECT deals_won, deals_lost FROM kpi.deal_success_rate "
          + "WHERE grain = 'year' AND period_start = DATE '2024-01-01'"), name);
    }
  }

  @Test
  void queryConnectionsReachNothingOutsideTheStore() throws Exception {
    Path store = tmp.resolve("store.duckdb");
    String url = url(store) + ";memory_limit=512MiB";
    try (Connection c = DriverManager.getConnection(url)) {
      assertEquals(TOTAL, rows(c, "SELECT count(*), sum(amount) FROM crm.deals"));
      StoreHandle handle = StoreRegistry.acquire(ConnectionConfig.parse(url, new Properties()));
      try (Connection raw = handle.pool().getConnection()) {
        SQLException read = assertThrows(SQLException.class, () -> rows(raw, "SELECT * FROM read_text('/etc/hostname')"));
        assertTrue(read.getMessage().contains("file system operations are disabled"), read.getMessage());
        // beside the store and the exports folder (which stays readable for reloads), in the temporary folder
        Path secret = Files.writeString(tmp.resolve("secret.csv"), "a,b\n1,2\n");
        SQLException csv = assertThrows(SQLException.class, () -> rows(raw, "SELECT * FROM read_csv('" + secret + "')"));
        assertTrue(csv.getMessage().contains("file system operations are disabled"), csv.getMessage());
        assertEquals(List.of("3"), rows(raw, "SELECT count(*) FROM read_csv('" + folder().resolve("deals.csv") + "')"));
        // and the folder where exports are rewritten before DuckDB reads them (footers cut, sheets tabulated)
        Path copy = Files.createTempFile(io.crmkpi.files.FilesSource.copiesFolder(), "crmkpi-export-", ".csv");
        try {
          Files.writeString(copy, "a,b\n1,2\n3,4\n");
          assertEquals(List.of("2"), rows(raw, "SELECT count(*) FROM read_csv('" + copy + "')"));
        } finally {
          Files.delete(copy);
        }
        SQLException unlock = assertThrows(SQLException.class, () -> execute(raw, "SET enable_external_access = true"));
        assertTrue(unlock.getMessage().contains("while database is running"), unlock.getMessage());
        SQLException widen = assertThrows(SQLException.class, () -> execute(raw, "SET allowed_directories = ['/']"));
        assertTrue(widen.getMessage().contains("enable_external_access is disabled"), widen.getMessage());
        SQLException install = assertThrows(SQLException.class, () -> execute(raw, "INSTALL httpfs"));
        assertTrue(install.getMessage().contains("disabled by configuration"), install.getMessage());
        assertEquals(List.of("false|false|false|false"), rows(raw, "SELECT current_setting('enable_external_access'), "
            + "current_setting('autoinstall_known_extensions'), current_setting('autoload_known_extensions'), "
            + "current_setting('lock_configuration')"));
        assertEquals(List.of(store + ".tmp|512.0 MiB|UTC"), rows(raw, "SELECT current_setting('temp_directory'), "
            + "current_setting('memory_limit'), current_setting('TimeZone')"));
      } finally {
        StoreRegistry.release(ConnectionConfig.parse(url, new Properties()), handle);
      }
    }
  }

  @Test
  void theSourceFolderStaysReadableForAReloadOfAStoreInUse() throws Exception {
    Path store = tmp.resolve("store.duckdb");
    String url = url(store);
    try (Connection held = DriverManager.getConnection(url)) {
      assertEquals(TOTAL, rows(held, "SELECT count(*), sum(amount) FROM crm.deals"));
      Files.writeString(folder().resolve("deals.csv"), DEALS + "d4,Delta,p1,won,9.98,USD,2024-04-01,2024-04-02\n");
      try (Connection next = DriverManager.getConnection(url)) { // the folder changed: reloads under the lock
        assertEquals(List.of("4|170.00"), rows(next, "SELECT count(*), sum(amount) FROM crm.deals"));
      }
    }
  }

  @Test
  void anInMemoryStoreSpillsUnderTheDataFolderNotTheWorkingDirectory() throws Exception {
    String url = "jdbc:crmkpi:files:" + folder();
    try (Connection c = DriverManager.getConnection(url)) {
      assertEquals(TOTAL, rows(c, "SELECT count(*), sum(amount) FROM crm.deals"));
      StoreHandle handle = StoreRegistry.acquire(ConnectionConfig.parse(url, new Properties()));
      try (Connection raw = handle.pool().getConnection()) {
        String temp = rows(raw, "SELECT current_setting('temp_directory')").get(0);
        Path expected = StoreOpener.dataFolder().resolve("tmp");
        assertTrue(temp.startsWith(expected + "/memory-" + ProcessHandle.current().pid() + "-"), temp);
        SQLException read = assertThrows(SQLException.class, () -> rows(raw, "SELECT * FROM read_text('/etc/hostname')"));
        assertTrue(read.getMessage().contains("file system operations are disabled"), read.getMessage());
      } finally {
        StoreRegistry.release(ConnectionConfig.parse(url, new Properties()), handle);
      }
    }
  }

  @Test
  void anApiSourcesDefaultStoreIsNamedByAccountWithoutSecrets() throws Exception {
    Path hubA = StoreOpener.defaultStorePath(ConnectionConfig.parse("jdbc:crmkpi:hubspot;token=pat-na1-SECRET-A", null));
    Path hubB = StoreOpener.defaultStorePath(ConnectionConfig.parse("jdbc:crmkpi:hubspot;token=pat-na1-SECRET-B", null));
    assertEquals(StoreOpener.dataFolder(), hubA.getParent());
    assertTrue(hubA.getFileName().toString().matches("hubspot-account-[0-9a-f]{8}\\.duckdb"), hubA.toString());
    assertFalse(hubA.toString().contains("SECRET"));
    assertFalse(hubA.equals(hubB), "the token names the portal: two tokens, two stores");
    // amoCRM: the subdomain names the account; a new token for it keeps its store
    Path amo1 = StoreOpener.defaultStorePath(ConnectionConfig.parse("jdbc:crmkpi:amocrm:acme;token=SECRET-1", null));
    Path amo2 = StoreOpener.defaultStorePath(ConnectionConfig.parse("jdbc:crmkpi:amocrm:acme;token=SECRET-2", null));
    assertEquals(amo1, amo2);
    assertTrue(amo1.getFileName().toString().matches("amocrm-acme-[0-9a-f]{8}\\.duckdb"), amo1.toString());
    // Bitrix24: the webhook's host, not its code (a password), tells portals apart
    Path b1 = StoreOpener.defaultStorePath(ConnectionConfig.parse(
        "jdbc:crmkpi:bitrix24:p.bitrix24.ru;webhook=https://p.bitrix24.ru/rest/1/SECRETCODE1/", null));
    Path b2 = StoreOpener.defaultStorePath(ConnectionConfig.parse(
        "jdbc:crmkpi:bitrix24:p.bitrix24.ru;webhook=https://p.bitrix24.ru/rest/1/SECRETCODE2/", null));
    assertEquals(b1, b2);
    assertFalse(b1.toString().contains("SECRETCODE"));
  }

  @Test
  void aBadMemoryLimitIsRefusedNamingTheKey() throws Exception {
    SQLException e = assertThrows(SQLException.class,
        () -> DriverManager.getConnection(url(tmp.resolve("m.duckdb")) + ";memory_limit=lots"));
    assertEquals("memory_limit: expected a size like 512MB, 4GB or 2GiB; got 'lots'", e.getMessage());
  }

  @Test
  void aDamagedStoreIsSaidToBeDamagedKeptAndRebuiltOnRequest() throws Exception {
    Path store = tmp.resolve("store.duckdb");
    String url = url(store);
    assertEquals(TOTAL, query(url, "SELECT count(*), sum(amount) FROM crm.deals"));
    long size = Files.size(store);
    try (RandomAccessFile f = new RandomAccessFile(store.toFile(), "rw")) {
      byte[] junk = new byte[(int) (size / 3)];
      new Random(7).nextBytes(junk);
      f.seek(size / 3);
      f.write(junk); // the middle third of the file
    }
    String damaged = sha256(store);

    SQLException e = assertThrows(SQLException.class, () -> DriverManager.getConnection(url));
    assertTrue(e.getMessage().startsWith("the store file " + store + " is damaged ("), e.getMessage());
    assertTrue(e.getMessage().contains("refresh=rebuild"), e.getMessage());
    assertFalse(e.getMessage().contains("in use"), e.getMessage());
    assertEquals(damaged, sha256(store), "the damaged file is left as it is");
    StoreRegistry.closeUnused();

    assertEquals(TOTAL, query(url + ";refresh=rebuild", "SELECT count(*), sum(amount) FROM crm.deals"));
    List<Path> aside;
    try (Stream<Path> files = Files.list(tmp)) {
      aside = files.filter(p -> p.getFileName().toString().matches("store\\.duckdb\\.damaged-\\d{8}-\\d{6}")).toList();
    }
    assertEquals(1, aside.size(), aside.toString());
    assertEquals(damaged, sha256(aside.get(0)), "moved aside untouched");
    assertEquals(TOTAL, query(url, "SELECT count(*), sum(amount) FROM crm.deals"));
  }

  @Test
  void aStoreAnotherProgramHoldsIsSaidToBeInUseNotDamaged() throws Exception {
    Path store = tmp.resolve("store.duckdb");
    assertEquals(TOTAL, query(url(store), "SELECT count(*), sum(amount) FROM crm.deals"));
    String before = sha256(store);
    // another program: a JVM of its own that opens the file with DuckDB and keeps it open
    Path holder = Files.writeString(tmp.resolve("Holder.java"), "public class Holder { public static void main(String[] a)"
        + " throws Exception { try (var c = java.sql.DriverManager.getConnection(\"jdbc:duckdb:\" + a[0])) {"
        + " System.out.println(\"ready\"); System.out.flush(); System.in.read(); } } }");
    String duckdbJar = Path.of(org.duckdb.DuckDBDriver.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .toString();
    String javaCommand = ProcessHandle.current().info().command().orElse("java");
    Process other = new ProcessBuilder(javaCommand, "-cp", duckdbJar, holder.toString(), store.toString())
        .redirectErrorStream(true).start();
    try {
      String line = new java.io.BufferedReader(new java.io.InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8))
          .readLine();
      assertEquals("ready", line);
      SQLException e = assertThrows(SQLException.class, () -> DriverManager.getConnection(url(store)));
      assertTrue(e.getMessage().startsWith("the store file " + store + " is in use by another program ("), e.getMessage());
      assertTrue(e.getMessage().endsWith("close that program or point store= at another file"), e.getMessage());
    } finally {
      other.getOutputStream().close();
      other.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
      other.destroy();
    }
    assertEquals(TOTAL, query(url(store) + ";refresh=never", "SELECT count(*), sum(amount) FROM crm.deals"));
    assertEquals(before, sha256(store), "neither program changed the file");
  }

  @Test
  void refreshNeverOpensTheStoreReadOnly() throws Exception {
    Path store = tmp.resolve("store.duckdb");
    String url = url(store);
    assertEquals(TOTAL, query(url, "SELECT count(*), sum(amount) FROM crm.deals"));
    String before = sha256(store);
    // chmod does not stop root (CI): the refresh policy, not the file's mode, decides the read-only open
    boolean chmod = store.toFile().setWritable(false, false);
    try {
      String never = url + ";refresh=never";
      try (Connection c = DriverManager.getConnection(never)) {
        assertEquals(TOTAL, rows(c, "SELECT count(*), sum(amount) FROM crm.deals"));
        StoreHandle handle = StoreRegistry.acquire(ConnectionConfig.parse(never, new Properties()));
        try (Connection raw = handle.pool().getConnection(); Statement s = raw.createStatement()) {
          SQLException write = assertThrows(SQLException.class,
              () -> s.execute("DELETE FROM crm.deals"));
          assertTrue(write.getMessage().contains("read-only"), write.getMessage());
        } finally {
          StoreRegistry.release(ConnectionConfig.parse(never, new Properties()), handle);
        }
      }
      StoreRegistry.closeUnused();
      assertEquals(before, sha256(store), "nothing written (chmod applied: " + chmod + ")");
    } finally {
      store.toFile().setWritable(true, false);
    }
  }

  @Test
  void storeCreatesItsOwnFolderButNotAChainOfThem() throws Exception {
    Path own = tmp.resolve("new").resolve("store.duckdb");
    assertEquals(TOTAL, query(url(own), "SELECT count(*), sum(amount) FROM crm.deals"));
    assertTrue(Files.isRegularFile(own));

    Path deep = tmp.resolve("typo").resolve("stores").resolve("store.duckdb");
    SQLException e = assertThrows(SQLException.class, () -> DriverManager.getConnection(url(deep)));
    assertEquals("store: the folder " + tmp.resolve("typo") + " does not exist (store=" + deep + " would be created "
        + "in " + tmp.resolve("typo").resolve("stores") + " inside it); create it or choose another path", e.getMessage());
    assertFalse(Files.exists(tmp.resolve("typo")));
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
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
}
