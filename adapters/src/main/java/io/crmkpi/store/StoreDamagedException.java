package io.crmkpi.store;

import java.nio.file.Path;
import java.sql.SQLException;

/**
 * The store file fails DuckDB's block checksums or is not a DuckDB file: it was left as it is. A store
 * that its source can rebuild is moved aside and loaded anew with {@code refresh=rebuild}.
 */
public final class StoreDamagedException extends SQLException {

  private final transient Path file;

  StoreDamagedException(Path file, SQLException cause) {
    super("the store file " + file + " is damaged (" + Store.firstLine(cause) + "); it was left as it is. "
        + "Connect with refresh=rebuild to move it aside and load the source again, or point store= at another file",
        "08001", cause);
    this.file = file;
  }

  /** The damaged file. */
  public Path file() {
    return file;
  }

  /** True when a DuckDB error says the file's bytes are wrong (not locked, not missing). */
  static boolean isDamage(SQLException e) {
    String m = String.valueOf(e.getMessage());
    return m.contains("Corrupt database file") || m.contains("not a valid DuckDB database file")
        || m.contains("does not match stored checksum") || m.contains("database file is corrupt");
  }
}
