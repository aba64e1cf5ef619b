package io.crmkpi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code crmkpi serve} options as a user types them (the protocol itself: io.crmkpi.pgwire.PgServerTest). */
class ServeCommandTest {

  @TempDir
  Path tmp;

  @Test
  void addUserStoresAScramVerifierNotThePassword() throws Exception {
    Path users = tmp.resolve("users.txt");
    InputStream in = System.in;
    CrmKpiCliTest.Run r;
    try {
      System.setIn(new ByteArrayInputStream("correct horse\n".getBytes(StandardCharsets.UTF_8)));
      r = CrmKpiCliTest.run("serve", "--users", users.toString(), "--add-user", "superset");
    } finally {
      System.setIn(in);
    }
    assertEquals(0, r.code(), r.err());
    String file = Files.readString(users);
    assertTrue(file.matches("superset:SCRAM-SHA-256\\$4096:[A-Za-z0-9+/=]{24}\\$[A-Za-z0-9+/=]{44}:[A-Za-z0-9+/=]{44}\n"),
        file);
    assertFalse(file.contains("correct horse"));
    assertFalse(r.err().contains("correct horse"));
  }

  @Test
  void trustOffLoopbackAndBadOptionsAreOneLineErrors() {
    CrmKpiCliTest.Run r = CrmKpiCliTest.run("serve", "--url", "jdbc:crmkpi:script:jdbc/small.sql", "--bind", "0.0.0.0",
        "--port", "0");
    assertEquals(1, r.code());
    assertEquals("crmkpi: --bind 0.0.0.0 is not a loopback address: trust authentication is only allowed on loopback; "
        + "give --users <file> (see crmkpi serve --add-user)\n", r.err());
    r = CrmKpiCliTest.run("serve", "--tls-cert", tmp.resolve("c.pem").toString(), "--port", "0");
    assertEquals(1, r.code());
    assertEquals("crmkpi: --tls-cert and --tls-key go together\n", r.err());
    r = CrmKpiCliTest.run("serve", "--add-user", "x");
    assertEquals(1, r.code());
    assertEquals("crmkpi: --add-user needs --users <file>\n", r.err());
  }
}
