package io.crmkpi.cli;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Properties;
import java.sql.SQLException;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Opens the CLI's connection with the load shown by a {@link LoadDisplay} and the driver's own log
 * lines kept off the terminal: the driver logs through {@code System.Logger}, which is JDK logging
 * here, and without {@code --verbose} its level is OFF (the CLI prints results, not logs).
 */
final class LoadView {

  /** How often the bar moves while the driver works, in milliseconds. */
  private static final long FRAME = 250;

  private LoadView() {
  }

  static Connection connect(String url, Properties properties, boolean quiet, boolean verbose)
      throws SQLException {
    logging(verbose);
    LoadDisplay display = LoadDisplay.of(quiet, verbose);
    io.crmkpi.jdbc.Progress.listen(display);
    Thread frames = null;
    if (display.animated()) {
      frames = new Thread(() -> {
        try {
          Thread.sleep(2 * FRAME); // a quick connect shows no bar at all
          while (true) {
            display.draw();
            Thread.sleep(FRAME);
          }
        } catch (InterruptedException e) {
          // connected
        }
      }, "crmkpi-progress");
      frames.setDaemon(true);
      frames.start();
    }
    try {
      return DriverManager.getConnection(url, properties);
    } finally {
      if (frames != null) {
        frames.interrupt();
        try {
          frames.join(1000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      display.finish();
    }
  }

  /** JDK logging (and slf4j-simple, should a dependency bring it) at INFO with --verbose, else OFF. */
  static void logging(boolean verbose) {
    Level level = verbose ? Level.INFO : Level.OFF;
    Logger root = Logger.getLogger("");
    root.setLevel(level);
    for (Handler h : root.getHandlers()) {
      h.setLevel(level);
    }
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "off");
  }
}
