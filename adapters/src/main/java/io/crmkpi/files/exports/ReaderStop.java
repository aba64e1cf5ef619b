package io.crmkpi.files.exports;

import io.crmkpi.source.SourceException;
import java.sql.SQLException;

/**
 * Carries what stopped a load from inside a streamed reader's callback (a strict-mode
 * {@link SourceException}, a store's {@link SQLException}) out through the reader, which only lets
 * unchecked exceptions pass; {@link #rethrow} gives it back.
 */
final class ReaderStop extends RuntimeException {

  interface Step {
    void run() throws SourceException, SQLException;
  }

  private ReaderStop(Exception cause) {
    super(cause);
  }

  /** Runs {@code step}, wrapping what it throws. */
  static void wrap(Step step) {
    try {
      step.run();
    } catch (SourceException | SQLException e) {
      throw new ReaderStop(e);
    }
  }

  void rethrow() throws SourceException, SQLException {
    if (getCause() instanceof SourceException e) {
      throw e;
    }
    throw (SQLException) getCause();
  }
}
