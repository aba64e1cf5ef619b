package io.crmkpi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets reach the CLI from a file, standard input or the environment, never only from --url.
 * Bitrix24 shows whether the webhook arrived without any network: no webhook is "set webhook=...",
 * a webhook that is not a webhook URL is "webhook= is not an inbound webhook URL" (its value unsaid).
 */
class ConnectionOptionsTest {

  private static final String URL = "jdbc:crmkpi:bitrix24:portal.example;store=memory";
  private static final String NOT_A_WEBHOOK = "c0de-5ecret-not-a-url";
  private static final String ARRIVED = "crmkpi: Bitrix24: webhook= is not an inbound webhook URL of the form "
      + "https://<portal>/rest/<user id>/<code>/\n";

  @TempDir
  Path dir;

  private static CrmKpiCliTest.Run withStdin(String stdin, String... args) {
    InputStream in = System.in;
    try {
      System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
      return CrmKpiCliTest.run(args);
    } finally {
      System.setIn(in);
    }
  }

  @Test
  void withoutTheSecretTheSourceAsksForIt() {
    CrmKpiCliTest.Run r = CrmKpiCliTest.run("sql", "-q", "--url", URL, "SELECT 1");
    assertEquals(1, r.code());
    assertTrue(r.err().startsWith("crmkpi: Bitrix24: set webhook=<inbound webhook URL>"), r.err());
  }

  /** A secret file as it should be: readable by its owner only. */
  private Path secretFile(String content) throws Exception {
    Path f = dir.resolve("webhook");
    Files.writeString(f, content);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    return f;
  }

  @Test
  void aSecretFromAFile() throws Exception {
    Path f = secretFile(NOT_A_WEBHOOK + "\n");
    CrmKpiCliTest.Run r = CrmKpiCliTest.run("sql", "-q", "--url", URL, "--secret-file", "webhook=" + f, "SELECT 1");
    assertEquals(1, r.code());
    assertEquals(ARRIVED, r.err());
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
    CrmKpiCliTest.Run shared = CrmKpiCliTest.run("sql", "-q", "--url", URL, "--secret-file", "webhook=" + f, "SELECT 1");
    assertEquals("warning: --secret-file webhook=" + f + ": other users can read the file (rw-r--r--); chmod 600 it\n"
        + ARRIVED, shared.err());
    CrmKpiCliTest.Run missing = CrmKpiCliTest.run("sql", "-q", "--url", URL, "--secret-file",
        "webhook=" + dir.resolve("nothing"), "SELECT 1");
    assertEquals("crmkpi: --secret-file webhook=" + dir.resolve("nothing") + ": cannot read the file "
        + "(NoSuchFileException)\n", missing.err());
  }

  @Test
  void aSecretFromStandardInput() {
    CrmKpiCliTest.Run r = withStdin(NOT_A_WEBHOOK + "\n", "sql", "-q", "--url", URL, "--secret-stdin", "webhook",
        "SELECT 1");
    assertEquals(ARRIVED, r.err());
    CrmKpiCliTest.Run empty = withStdin("", "sql", "-q", "--url", URL, "--secret-stdin", "webhook", "SELECT 1");
    assertEquals("crmkpi: --secret-stdin webhook: standard input is empty\n", empty.err());
  }

  @Test
  void aMistypedSecretKeyIsRefusedWithoutItsValue() throws Exception {
    Path f = secretFile(NOT_A_WEBHOOK);
    CrmKpiCliTest.Run r = CrmKpiCliTest.run("sql", "-q", "--url", URL, "--secret-file", "webhok=" + f, "SELECT 1");
    assertEquals("crmkpi: unknown setting 'webhok' for jdbc:crmkpi:bitrix24; did you mean webhook?\n", r.err());
  }

  @Test
  void aSecretInTheUrlIsWarnedAbout() {
    CrmKpiCliTest.Run r = CrmKpiCliTest.run("sql", "-q", "--url", URL + ";webhook=" + NOT_A_WEBHOOK, "SELECT 1");
    assertEquals("warning: webhook= in --url shows in ps and shell history; use --secret-env, --secret-file, "
        + "--secret-stdin or CRMKPI_WEBHOOK\n" + ARRIVED, r.err());
  }

  /** Environment variables need a process of their own: the CLI as a user starts it. */
  @Test
  void secretsFromTheEnvironment() throws Exception {
    String env = run(List.of("sql", "-q", "--url", URL, "--secret-env", "webhook=MY_HOOK", "SELECT 1"), "MY_HOOK");
    assertEquals(ARRIVED, env);
    String prefixed = run(List.of("sql", "-q", "--url", URL, "SELECT 1"), "CRMKPI_WEBHOOK");
    assertEquals(ARRIVED, prefixed);
    String unset = run(List.of("sql", "-q", "--url", URL, "--secret-env", "webhook=NOT_SET_ANYWHERE", "SELECT 1"),
        "OTHER");
    assertEquals("crmkpi: --secret-env webhook=NOT_SET_ANYWHERE: the environment variable NOT_SET_ANYWHERE is not "
        + "set\n", unset);
  }

  /** Runs the CLI in a new JVM with {@code variable} set to the not-a-webhook secret; its stderr. */
  private String run(List<String> args, String variable) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), CrmKpiCli.class.getName()));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put(variable, NOT_A_WEBHOOK);
    pb.environment().put("XDG_CACHE_HOME", dir.resolve("cache").toString());
    pb.environment().put("XDG_DATA_HOME", dir.resolve("data").toString());
    Process p = pb.start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(1, p.exitValue(), err);
    assertFalse(err.contains(NOT_A_WEBHOOK), err);
    return err;
  }
}
