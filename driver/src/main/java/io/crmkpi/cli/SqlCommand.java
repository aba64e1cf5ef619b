package io.crmkpi.cli;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code crmkpi sql "<query>"}: runs one query and prints the rows. */
@Command(name = "sql", description = "Run a SQL query and print the result.")
final class SqlCommand implements Callable<Integer> {

  @Mixin
  ConnectionOptions connection;

  @Option(names = {"-f", "--format"}, defaultValue = "table",
      description = "table (numbers grouped and rounded for reading), csv (a header line then rows, nothing else "
          + "on stdout) or json; csv and json keep every digit (${DEFAULT-VALUE})")
  ResultFormat format;

  @Option(names = {"-p", "--percent"}, description = "in the table format, show rates (fractions) as percent")
  boolean percent;

  @Parameters(index = "0", paramLabel = "<query>", description = "the SQL query")
  String query;

  @Override
  public Integer call() throws Exception {
    try (Connection c = connection.open(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
      PrintStream out = System.out;
      format.write(rs, out, percent);
      out.flush();
    }
    return 0;
  }
}
