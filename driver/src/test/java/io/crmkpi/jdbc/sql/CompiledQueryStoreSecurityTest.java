package io.crmkpi.jdbc.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.crmkpi.jdbc.catalog.StoreCatalog;
import io.crmkpi.metrics.MetricLibrary;
import io.crmkpi.metrics.MetricSettings;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attack of issue 13: another user who can write into a shared {@code cache=} folder plants a
 * compiled statement whose store SQL reads a file. It must never run: files carry a MAC keyed by the
 * user's own key, and files or folders others own or may write are not trusted.
 */
class CompiledQueryStoreSecurityTest {

  private static final String QUERY = "SELECT pipeline_name, stage_name FROM kpi.conversion_by_stage WHERE grain = 'all'";

  @TempDir
  Path dir;

  private StoreCatalog catalog() {
    return new StoreCatalog(MetricLibrary.builtIn(), MetricSettings.from(Map.of()), Optional.of(dir));
  }

  /** A compiled-statement file in the stored layout, sealed with a key that is not the user's. */
  private static byte[] forged(String sql, String storeSql, List<String> columns) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] attackerMac = new byte[32];
    new SecureRandom().nextBytes(attackerMac);
    bytes.write(attackerMac);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(2);
      for (String s : List.of(sql, storeSql)) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
      }
      out.writeInt(0);
      out.writeInt(0);
      out.writeInt(columns.size());
      for (String s : columns) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
      }
    }
    return bytes.toByteArray();
  }

  private List<Path> catalogFolders() throws Exception {
    try (Stream<Path> s = Files.list(dir.resolve("compiled"))) {
      return s.filter(Files::isDirectory).toList();
    }
  }

  @Test
  void aForgedStatementInTheCacheFolderIsNotRun() throws Exception {
    Path hostname = Path.of("/etc/hostname");
    assumeTrue(Files.isReadable(hostname) && Files.readString(hostname).length() != 4);
    String url = "jdbc:crmkpi:script:jdbc/small.sql;cache=" + dir;
    String next = "SELECT count(*) AS n FROM crm.deals WHERE deal_id <> 'none'";
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT count(*) AS n FROM crm.deals")) {
      assertTrue(rs.next());
      assertEquals(4, rs.getLong(1));
      // the attacker writes, into the catalog's folder, the statement the user is going to send next
      for (Path folder : catalogFolders()) {
        Files.write(folder.resolve(CompiledQueryStore.sha256(next).substring(0, 40) + ".q"),
            forged(next, "SELECT length(read_text('/etc/hostname')) AS n", List.of("n")));
      }
      try (ResultSet again = s.executeQuery(next)) {
        assertTrue(again.next());
        assertEquals(4, again.getLong(1), "the deals are counted, not /etc/hostname's characters");
      }
    }
  }

  @Test
  void theSameForgeryIsRefusedByTheStoreAndReplacedByARealCompilation() throws Exception {
    StoreCatalog first = catalog();
    CompiledQuery real = first.compiler().compile(QUERY);
    Path f = first.compiler().disk().fileFor(QUERY);
    Files.write(f, forged(QUERY, "SELECT length(read_text('/etc/hostname')) AS pipeline_name, 'x' AS stage_name",
        List.of("pipeline_name", "stage_name")));
    StoreCatalog second = catalog();
    assertTrue(second.compiler().disk().get(QUERY).isEmpty());
    assertEquals(real, second.compiler().compile(QUERY));
    assertEquals(real, second.compiler().disk().get(QUERY).orElseThrow(), "the forgery was replaced");
  }

  @Test
  void aFileOthersMayWriteIsIgnored() throws Exception {
    StoreCatalog first = catalog();
    CompiledQuery real = first.compiler().compile(QUERY);
    CompiledQuery marker = first.compiler().compile("SELECT 'from disk' AS pipeline_name, 'x' AS stage_name");
    first.compiler().disk().put(QUERY, marker);
    Path f = first.compiler().disk().fileFor(QUERY);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    assertEquals(marker, catalog().compiler().disk().get(QUERY).orElseThrow(), "sealed by the user: used");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-rw-rw-"));
    assertTrue(catalog().compiler().disk().get(QUERY).isEmpty());
    assertEquals(real, catalog().compiler().compile(QUERY));
  }

  @Test
  void aFileAnotherUserOwnsIsIgnored() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "only root can give a file away");
    StoreCatalog first = catalog();
    CompiledQuery marker = first.compiler().compile("SELECT 'from disk' AS pipeline_name, 'x' AS stage_name");
    first.compiler().disk().put(QUERY, marker);
    Path f = first.compiler().disk().fileFor(QUERY);
    Files.setOwner(f, f.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
    assertTrue(catalog().compiler().disk().get(QUERY).isEmpty());
  }

  @Test
  void aFolderOthersMayWriteIsNotUsedAtAll() throws Exception {
    catalog().compiler().compile(QUERY);
    Files.setPosixFilePermissions(dir.resolve("compiled"), PosixFilePermissions.fromString("rwxrwxrwx"));
    assertNull(catalog().compiler().disk());
    Files.setPosixFilePermissions(dir.resolve("compiled"), PosixFilePermissions.fromString("rwx------"));
    assertNotNull(catalog().compiler().disk());
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwx---"));
    assertNull(catalog().compiler().disk(), "the cache folder itself");
  }

  @Test
  void theKeyIsPrivateAndAKeyOthersCanReadDisablesTheCache() throws Exception {
    catalog().compiler().compile(QUERY);
    Path key = dir.resolve("mac.key");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    assertEquals(32, Files.size(key));
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    assertNull(catalog().compiler().disk());
  }
}
