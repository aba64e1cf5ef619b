package io.crmkpi.cli;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code crmkpi describe kpi.churn_monthly}: the columns of a table or view. */
@Command(name = "describe", description = "Show the columns of a table or view (schema.name or name).")
final class DescribeCommand implements Callable<Integer> {

  @Mixin
  ConnectionOptions connection;

  @Option(names = {"-f", "--format"}, defaultValue = "table", description = "table, csv or json")
  ResultFormat format;

  @Parameters(index = "0", paramLabel = "<table>")
  String table;

  @Override
  public Integer call() throws Exception {
    String schema = null;
    String name = table;
    int dot = table.indexOf('.');
    if (dot > 0) {
      schema = table.substring(0, dot);
      name = table.substring(dot + 1);
    }
    try (Connection c = connection.open();
         ResultSet rs = c.getMetaData().getColumns(null, schema, name, "%")) {
      int rows = format.write(rs, System.out, "TABLE_SCHEM", "TABLE_NAME", "COLUMN_NAME", "TYPE_NAME", "REMARKS");
      if (rows == 0) {
        throw new IllegalArgumentException("no table or view '" + table + "'; run 'crmkpi tables' to list them");
      }
    }
    return 0;
  }
}
