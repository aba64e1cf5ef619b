package io.crmkpi.cli;

import io.crmkpi.jdbc.ConnectionConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * The {@code --url}, {@code --quiet} and {@code --verbose} options shared by every command, where
 * secrets come from, and opening the connection with progress on stderr. Secrets travel as
 * connection properties, never in the URL: a URL is visible to other users in {@code ps} and stays
 * in shell history.
 */
final class ConnectionOptions {

  /** Environment variables named {@code CRMKPI_<KEY>} supply the source's secret settings. */
  static final String ENV_PREFIX = "CRMKPI_";

  @Option(names = {"-u", "--url"}, defaultValue = "jdbc:crmkpi:demo",
      description = "JDBC URL, e.g. jdbc:crmkpi:files:/path/to/exports (default: ${DEFAULT-VALUE}). Put no secret "
          + "here: use --secret-env, --secret-file, --secret-stdin or CRMKPI_<KEY>")
  String url;

  @Option(names = "--secret-env", paramLabel = "KEY=VAR",
      description = "take setting KEY from environment variable VAR, e.g. --secret-env token=HUBSPOT_TOKEN (repeatable)")
  Map<String, String> secretEnv = new LinkedHashMap<>();

  @Option(names = "--secret-file", paramLabel = "KEY=PATH",
      description = "take setting KEY from a file (its first line), e.g. --secret-file webhook=~/.bitrix24-webhook "
          + "(repeatable)")
  Map<String, String> secretFile = new LinkedHashMap<>();

  @Option(names = "--secret-stdin", paramLabel = "KEY",
      description = "take setting KEY from the first line of standard input, e.g. pass store | crmkpi ... --secret-stdin token")
  String secretStdin;

  @Option(names = {"-q", "--quiet"}, description = "no progress messages on stderr")
  boolean quiet;

  @Option(names = {"-v", "--verbose"}, description = "the full load report and the driver's log lines on stderr")
  boolean verbose;

  Connection open() throws SQLException {
    Connection c = LoadView.connect(url, secrets(System.getenv(), System.in), quiet, verbose);
    for (SQLWarning w = c.getWarnings(); w != null; w = w.getNextWarning()) {
      System.err.println("warning: " + w.getMessage());
    }
    return c;
  }

  /**
   * The secret settings from their sources, later ones winning: {@code CRMKPI_<KEY>} variables for
   * the URL's source's secret keys, then --secret-env, --secret-file, --secret-stdin. Warns when the
   * URL itself holds a secret.
   */
  Properties secrets(Map<String, String> env, InputStream stdin) throws SQLException {
    Properties p = new Properties();
    for (String key : ConnectionConfig.secretKeys(url)) {
      String v = env.get(ENV_PREFIX + key.toUpperCase(Locale.ROOT));
      if (v != null && !v.isBlank()) {
        p.setProperty(key, v.strip());
      }
      if (url.toLowerCase(Locale.ROOT).contains(";" + key + "=")) {
        System.err.println("warning: " + key + "= in --url shows in ps and shell history; use --secret-env, "
            + "--secret-file, --secret-stdin or " + ENV_PREFIX + key.toUpperCase(Locale.ROOT));
      }
    }
    for (Map.Entry<String, String> e : secretEnv.entrySet()) {
      String v = env.get(e.getValue());
      if (v == null || v.isBlank()) {
        throw new SQLException("--secret-env " + e.getKey() + "=" + e.getValue() + ": the environment variable "
            + e.getValue() + " is not set");
      }
      p.setProperty(e.getKey(), v.strip());
    }
    for (Map.Entry<String, String> e : secretFile.entrySet()) {
      p.setProperty(e.getKey(), firstLine(e.getKey(), e.getValue()));
    }
    if (secretStdin != null) {
      try {
        String line = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)).readLine();
        if (line == null || line.isBlank()) {
          throw new SQLException("--secret-stdin " + secretStdin + ": standard input is empty");
        }
        p.setProperty(secretStdin, line.strip());
      } catch (IOException e) {
        throw new SQLException("--secret-stdin " + secretStdin + ": cannot read standard input: " + e.getMessage());
      }
    }
    return p;
  }

  /** Like ssh with a key file: a secret others can read is no longer only yours. */
  private static void warnIfShared(String where, Path path) throws IOException {
    if (Files.getFileAttributeView(path, PosixFileAttributeView.class) != null) {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
      if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
        System.err.println("warning: " + where + ": other users can read the file ("
            + PosixFilePermissions.toString(perms) + "); chmod 600 it");
      }
    }
  }

  private static String firstLine(String key, String file) throws SQLException {
    String where = "--secret-file " + key + "=" + file;
    Path path = Path.of(file.startsWith("~/") ? System.getProperty("user.home") + file.substring(1) : file);
    try (BufferedReader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      warnIfShared(where, path);
      String line = r.readLine();
      if (line == null || line.isBlank()) {
        throw new SQLException(where + ": the file is empty");
      }
      return line.strip();
    } catch (IOException e) {
      throw new SQLException(where + ": cannot read the file (" + e.getClass().getSimpleName() + ")");
    }
  }
}
