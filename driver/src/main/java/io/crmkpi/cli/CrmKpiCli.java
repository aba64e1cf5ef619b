package io.crmkpi.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code crmkpi}: query CRM KPIs from the command line through the crmkpi JDBC driver. */
@Command(name = "crmkpi", mixinStandardHelpOptions = true, version = "crmkpi 0.1.0",
    description = "CRM KPIs as SQL. Without --url every command uses the demo CRM (jdbc:crmkpi:demo).",
    subcommands = {SqlCommand.class, TablesCommand.class, DescribeCommand.class, SyncCommand.class,
        ReportCommand.class, DashboardsCommand.class, ServeCommand.class, ExportCommand.class,
        SqlExportCommand.class})
public final class CrmKpiCli implements Runnable {

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    // The jar ships no logging provider (it is also a library): the CLI names silent ones itself.
    if (System.getProperty("slf4j.provider") == null) {
      System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
      System.setProperty("slf4j.internal.verbosity", "WARN"); // not "Attempting to load provider …"
    }
    if (System.getProperty("log4j2.loggerContextFactory") == null) {
      System.setProperty("log4j2.loggerContextFactory", "org.apache.logging.log4j.simple.SimpleLoggerContextFactory");
    }
    System.exit(execute(args));
  }

  /** Runs the CLI and returns its exit code (tests call this). */
  public static int execute(String... args) {
    CommandLine cli = new CommandLine(new CrmKpiCli());
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("crmkpi: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      return 1;
    });
    return cli.execute(args);
  }
}
