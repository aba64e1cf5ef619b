package io.crmkpi.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileTest {

  @Test
  void replacesThePairWholeAndLeavesNoTempFile(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("sub/tokens.json");
    assertTrue(TokenFile.read(f).isEmpty());
    TokenFile.write(f, new TokenFile.Tokens("acc-1111", "ref-1111", 1700000000L));
    TokenFile.write(f, new TokenFile.Tokens("acc-2222", "ref-2222", 1700003600L));
    assertEquals(new TokenFile.Tokens("acc-2222", "ref-2222", 1700003600L), TokenFile.read(f).orElseThrow());
    assertEquals("{\"access_token\":\"acc-2222\",\"refresh_token\":\"ref-2222\",\"expires_at\":1700003600}",
        Files.readString(f));
    try (var files = Files.list(f.getParent())) {
      assertEquals(List.of("tokens.json"), files.map(p -> p.getFileName().toString()).toList());
    }
    assertFalse(new TokenFile.Tokens("acc-2222", "ref-2222", 1).toString().contains("2222"), "toString hides tokens");
  }

  @Test
  void missingFieldsAreNullAndAFileThatIsNotAnObjectIsRefused(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("t.json");
    Files.writeString(f, "{\"refresh_token\":\"only-refresh\"}", StandardCharsets.UTF_8);
    TokenFile.Tokens t = TokenFile.read(f).orElseThrow();
    assertNull(t.access());
    assertEquals("only-refresh", t.refresh());
    assertEquals(0, t.expiresAtEpochS());
    Files.writeString(f, "[1]", StandardCharsets.UTF_8);
    assertThrows(IOException.class, () -> TokenFile.read(f));
  }
}
