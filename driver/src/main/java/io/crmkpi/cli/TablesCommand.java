package io.crmkpi.cli;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code crmkpi tables}: lists tables and views with their descriptions. */
@Command(name = "tables", description = "List the tables (crm.*) and KPI views (kpi.*).")
final class TablesCommand implements Callable<Integer> {

  @Mixin
  ConnectionOptions connection;

  @Option(names = {"-f", "--format"}, defaultValue = "table", description = "table, csv or json")
  ResultFormat format;

  @Override
  public Integer call() throws Exception {
    try (Connection c = connection.open();
         ResultSet rs = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE", "VIEW"})) {
      format.write(rs, System.out, "TABLE_SCHEM", "TABLE_NAME", "TABLE_TYPE", "REMARKS");
    }
    return 0;
  }
}
