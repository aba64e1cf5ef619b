package io.crmkpi.cli;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code crmkpi sync --url …}: loads or syncs the source now, whatever the refresh policy says. */
@Command(name = "sync", description = "Load / sync the source into its store now and print what was loaded.")
final class SyncCommand implements Callable<Integer> {

  @Mixin
  ConnectionOptions connection;

  @Override
  public Integer call() throws Exception {
    connection.url = connection.url + (connection.url.contains(";refresh=") ? "" : ";refresh=always");
    try (Connection c = connection.open(); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT source, entity, last_sync_at, rows_total, status, error "
          + "FROM crm.sync_state ORDER BY source, entity")) {
        ResultFormat.table.write(rs, System.out);
      }
      try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM crm.load_rejects")) {
        rs.next();
        long rejected = rs.getLong(1);
        if (rejected > 0) {
          System.out.println(rejected + " input rows were rejected: SELECT * FROM crm.load_rejects");
        }
      }
    }
    return 0;
  }
}
