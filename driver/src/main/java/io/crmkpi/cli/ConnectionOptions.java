package io.crmkpi.cli;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
import picocli.CommandLine.Option;

/** The {@code --url}, {@code --quiet} and {@code --verbose} options shared by every command, and opening the connection. */
final class ConnectionOptions {

  @Option(names = {"-u", "--url"}, defaultValue = "jdbc:crmkpi:demo",
      description = "JDBC URL, e.g. jdbc:crmkpi:files:/path/to/exports (default: ${DEFAULT-VALUE})")
  String url;

  @Option(names = {"-q", "--quiet"}, description = "no progress messages on stderr")
  boolean quiet;

  @Option(names = {"-v", "--verbose"}, description = "the full load report and the driver's log lines on stderr")
  boolean verbose;

  Connection open() throws SQLException {
    Connection c = LoadView.connect(url, quiet, verbose);
    for (SQLWarning w = c.getWarnings(); w != null; w = w.getNextWarning()) {
      System.err.println("warning: " + w.getMessage());
    }
    return c;
  }
}
