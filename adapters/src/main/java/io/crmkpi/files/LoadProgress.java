package io.crmkpi.files;

import io.crmkpi.source.SourceContext;
import java.util.Locale;

/**
 * Progress of reading one (possibly large) file: {@code deals.csv: 250,000 rows…} every
 * {@link #EVERY} rows, and in between at most every few seconds when rows come slowly, through
 * {@link SourceContext#progress} (the CLI prints it to stderr).
 */
public final class LoadProgress {

  /** Rows between two messages. */
  public static final long EVERY = 250_000;
  private static final long CLOCK_EVERY = 10_000;
  private static final long SLOW_NANOS = 5_000_000_000L;

  private final String fileName;
  private final SourceContext context;
  private final long every;
  private long rows;
  private long lastMessage = System.nanoTime();

  LoadProgress(String fileName, SourceContext context, long every) {
    this.fileName = fileName;
    this.context = context;
    this.every = every;
  }

  /** Progress for {@code fileName} with the default step. */
  public static LoadProgress of(String fileName, SourceContext context) {
    return new LoadProgress(fileName, context, EVERY);
  }

  /** Counts one row (loaded or rejected). */
  public void row() {
    rows++;
    if (rows % every == 0) {
      report();
    } else if (rows % CLOCK_EVERY == 0 && System.nanoTime() - lastMessage >= SLOW_NANOS) {
      report();
    }
  }

  public long rows() {
    return rows;
  }

  private void report() {
    lastMessage = System.nanoTime();
    context.progress(String.format(Locale.ROOT, "%s: %,d rows…", fileName, rows));
  }
}
