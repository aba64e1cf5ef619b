package io.crmkpi.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-user cache key: private, stable across runs, and a MAC only it can make. */
class CacheKeyTest {

  @TempDir
  Path dir;

  @Test
  void theKeyIsCreatedPrivateAndReused() throws Exception {
    Path base = dir.resolve("cache");
    CacheKey first = CacheKey.of(base).orElseThrow();
    Path key = base.resolve(CacheKey.FILE);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(base)));
    byte[] sealed = first.seal("payload".getBytes(StandardCharsets.UTF_8));
    // a later run reads the same key: what the first sealed opens
    CacheKey later = CacheKey.of(base).orElseThrow();
    assertArrayEquals("payload".getBytes(StandardCharsets.UTF_8), later.open(sealed, base).orElseThrow());
    assertEquals(32, Files.size(key));
  }

  @Test
  void theSealIsAnHmacSha256OfThePayloadUnderTheKeyFile() throws Exception {
    CacheKey k = CacheKey.of(dir).orElseThrow();
    byte[] payload = "SELECT 1".getBytes(StandardCharsets.UTF_8);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(Files.readAllBytes(dir.resolve(CacheKey.FILE)), "HmacSHA256"));
    String expected = HexFormat.of().formatHex(mac.doFinal(payload)) + HexFormat.of().formatHex(payload);
    assertEquals(expected, HexFormat.of().formatHex(k.seal(payload)));
  }

  @Test
  void anotherKeysSealOrATamperedPayloadIsRefused() throws Exception {
    CacheKey mine = CacheKey.of(dir.resolve("mine")).orElseThrow();
    CacheKey theirs = CacheKey.of(dir.resolve("theirs")).orElseThrow();
    byte[] forged = theirs.seal("SELECT read_text('/etc/shadow')".getBytes(StandardCharsets.UTF_8));
    assertTrue(mine.open(forged, dir).isEmpty());
    byte[] sealed = mine.seal("SELECT 1".getBytes(StandardCharsets.UTF_8));
    sealed[sealed.length - 1] = '2';
    assertTrue(mine.open(sealed, dir).isEmpty());
    assertTrue(mine.open(new byte[5], dir).isEmpty(), "shorter than a MAC");
  }

  @Test
  void aSealedFileVerifiesUntilItChanges() throws Exception {
    CacheKey k = CacheKey.of(dir).orElseThrow();
    Path f = dir.resolve("demo.duckdb");
    Files.writeString(f, "tables");
    assertFalse(k.verifyFile(f), "no MAC yet");
    k.sealFile(f);
    assertTrue(k.verifyFile(f));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("demo.duckdb.mac"))));
    Files.writeString(f, "tables and a view");
    assertFalse(k.verifyFile(f));
  }
}
