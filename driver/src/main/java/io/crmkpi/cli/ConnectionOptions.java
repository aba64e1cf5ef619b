package io.crmkpi.cli;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLWarning;
import picocli.CommandLine.Option;

/** The {@code --url} option shared by every command, and opening the connection with progress on stderr. */
final class ConnectionOptions {

  @Option(names = {"-u", "--url"}, defaultValue = "jdbc:crmkpi:demo",
      description = "JDBC URL, e.g. jdbc:crmkpi:files:/path/to/exports (default: ${DEFAULT-VALUE})")
  String url;

  @Option(names = {"-q", "--quiet"}, description = "no progress messages on stderr")
  boolean quiet;

  Connection open() throws SQLException {
    io.crmkpi.jdbc.Progress.listen(quiet ? m -> { } : m -> System.err.println(m));
    Connection c = DriverManager.getConnection(url);
    for (SQLWarning w = c.getWarnings(); w != null; w = w.getNextWarning()) {
      System.err.println("warning: " + w.getMessage());
    }
    return c;
  }
}
