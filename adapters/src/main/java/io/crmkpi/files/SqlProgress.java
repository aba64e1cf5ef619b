package io.crmkpi.files;

import io.crmkpi.source.SourceContext;
import io.crmkpi.store.Threads;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Locale;
import org.duckdb.DuckDBPreparedStatement;
import org.duckdb.QueryProgress;

/**
 * Runs one long DuckDB statement of a bulk load and reports how far it got
 * ({@code <file>: 40% read…}) every few seconds, from DuckDB's own query progress.
 */
public final class SqlProgress {

  /** How often the progress of reading and writing a big file is reported. */
  public static final long EVERY_MS = 2_000;

  private SqlProgress() {
  }

  /** Runs {@code sql} on {@code c}; returns its update count. */
  public static long execute(Connection c, String sql, String fileName, String done, SourceContext context,
      long everyMs) throws SQLException {
    try (java.sql.Statement set = c.createStatement()) {
      // a driver's store locks its configuration after the first load (a failed SET would abort the
      // transaction): a reload then runs without progress reports
      boolean locked;
      try (java.sql.ResultSet rs = set.executeQuery("SELECT current_setting('lock_configuration')")) {
        locked = rs.next() && rs.getBoolean(1);
      }
      if (!locked) {
        set.execute("SET enable_progress_bar = true");
        set.execute("SET enable_progress_bar_print = false");
      }
    }
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Thread progress = progress(ps, fileName, done, context, everyMs);
      try {
        ps.execute();
        return ps.getUpdateCount();
      } finally {
        progress.interrupt();
        Threads.joinUninterruptibly(progress);
      }
    }
  }

  /** A thread that reports how far {@code ps} got, every {@code everyMs}, until interrupted. */
  private static Thread progress(PreparedStatement ps, String fileName, String done, SourceContext context,
      long everyMs) {
    Thread t = new Thread(() -> {
      try {
        while (true) {
          Thread.sleep(everyMs);
          QueryProgress p = ps.unwrap(DuckDBPreparedStatement.class).getQueryProgress();
          if (p.getPercentage() > 0 && !Thread.currentThread().isInterrupted()) {
            context.progress(String.format(Locale.ROOT, "%s: %.0f%% %s…", fileName, p.getPercentage(), done));
          }
        }
      } catch (InterruptedException | SQLException | RuntimeException e) {
        // done (or progress is not available): nothing to report
      }
    }, "crmkpi-csv-progress " + fileName);
    t.setDaemon(true);
    t.start();
    return t;
  }
}
