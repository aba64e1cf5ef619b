package io.crmkpi.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.StringJoiner;
import org.duckdb.DuckDBConnection;

/**
 * The embedded DuckDB database that holds the canonical tables: in memory (demo) or a file
 * (persistent sources). Hands out connections to the same database with {@link #connect()}.
 *
 * <p>A file is attached under the fixed name {@link #CATALOG}, so that any file name works: DuckDB
 * names a database after its file, and {@code crm.duckdb} or {@code amocrm.duckdb} would then clash
 * with the schema of the same name. Once loaded, {@link #harden} shuts the database off from the
 * machine: no file or network access, no extension installs or auto-loads.
 */
public final class Store implements AutoCloseable {

  /** The name a store file is attached under (every connection uses it as its default database). */
  public static final String CATALOG = "crmkpi_store";

  /**
   * How a store is opened: {@code readOnly} (a file only), DuckDB's {@code memory_limit} (null: DuckDB's
   * default, 80% of RAM), and the folder for DuckDB's spill files (null: beside a store file).
   */
  public record Options(boolean readOnly, String memoryLimit, Path tempDirectory) {
    public static Options defaults() {
      return new Options(false, null, null);
    }
  }

  /**
   * One DuckDB database per store file in this JVM, shared by every {@link Store} on that file (as
   * DuckDB's own instance cache did when a file was opened by its URL): a file can be attached by one
   * database of a process only.
   */
  private static final Map<Path, Database> FILES = new HashMap<>();

  /** A DuckDB database: its first connection, users, and the settings {@link #harden} fixed. */
  private static final class Database {
    final DuckDBConnection owner;
    final Path file;
    final boolean readOnly;
    int users = 1;
    ZoneId hardenedIn;

    Database(DuckDBConnection owner, Path file, boolean readOnly) {
      this.owner = owner;
      this.file = file;
      this.readOnly = readOnly;
    }
  }

  private final Database db;
  private final DuckDBConnection owner;
  private final String description;
  private boolean closed;

  private Store(Database db, String description) {
    this.db = db;
    this.owner = db.owner;
    this.description = description;
  }

  /** A new, empty in-memory store with the current schema. */
  public static Store inMemory() throws SQLException {
    return inMemory(Options.defaults());
  }

  /** A new, empty in-memory store with the current schema, opened with {@code options}. */
  public static Store inMemory(Options options) throws SQLException {
    DuckDBConnection c = open();
    try {
      configure(c, options, options.tempDirectory());
      StoreSchema.ensure(c);
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
    return new Store(new Database(c, null, false), "memory");
  }

  /** Opens (creating it and its folders if needed) a store file and migrates its schema to the current version. */
  public static Store file(Path path) throws SQLException {
    try {
      Path parent = path.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (java.io.IOException e) {
      throw new SQLException("cannot create the store folder for " + path + ": " + e.getMessage(), e);
    }
    return file(path, Options.defaults());
  }

  /**
   * Opens (creating if needed) a store file in an existing folder and migrates its schema to the
   * current version (a read-only store must already be current). A file that fails DuckDB's block
   * checksums throws {@link StoreDamagedException} and is left as it is.
   */
  public static Store file(Path path, Options options) throws SQLException {
    if (options.memoryLimit() != null) {
      memoryLimit(options.memoryLimit()); // a bad value is the setting's fault, not the file's
    }
    Path abs = path.toAbsolutePath().normalize();
    synchronized (FILES) {
      Database open = FILES.get(abs);
      if (open != null) {
        if (open.readOnly && !options.readOnly()) {
          throw new SQLException("the store file " + path + " is open read-only in this program (refresh=never); "
              + "connect with refresh=never too, or close the other connections first", "08001");
        }
        open.users++;
        return new Store(open, path.toString());
      }
      Store store = openFile(path, abs, options);
      FILES.put(abs, store.db);
      return store;
    }
  }

  private static Store openFile(Path path, Path abs, Options options) throws SQLException {
    DuckDBConnection c = open();
    try {
      configure(c, options, options.tempDirectory() != null ? options.tempDirectory()
          : abs.resolveSibling(abs.getFileName() + ".tmp"));
      try (Statement s = c.createStatement()) {
        s.execute("ATTACH " + literal(abs.toString()) + " AS " + CATALOG + (options.readOnly() ? " (READ_ONLY)" : ""));
        s.execute("USE " + CATALOG);
      }
    } catch (SQLException e) {
      c.close();
      throw fileError(path, e, options.readOnly());
    }
    Store store = new Store(new Database(c, abs, options.readOnly()), path.toString());
    try {
      if (options.readOnly()) {
        StoreSchema.check(c);
      } else {
        StoreSchema.ensure(c);
      }
      store.verify();
    } catch (SQLException e) {
      c.close();
      throw StoreDamagedException.isDamage(e) ? new StoreDamagedException(path, e) : e;
    }
    return store;
  }

  /** DuckDB's message reworded for a store file that did not open. */
  private static SQLException fileError(Path path, SQLException e, boolean readOnly) {
    if (StoreDamagedException.isDamage(e)) {
      return new StoreDamagedException(path, e);
    }
    String m = String.valueOf(e.getMessage());
    if (m.contains("Could not set lock") || m.contains("Conflicting lock")) {
      return new SQLException("the store file " + path + " is in use by another program (" + firstLine(e)
          + "); close that program or point store= at another file", "08001", e);
    }
    if (m.contains("Unique file handle conflict") || m.contains("already attached")) {
      return new SQLException("the store file " + path + " is already open in this program by another DuckDB "
          + "connection; close it or point store= at another file", "08001", e);
    }
    if (!readOnly && (m.contains("Permission denied") || m.contains("Read-only file system"))) {
      return new SQLException("the store file " + path + " cannot be written (" + firstLine(e) + "); make it "
          + "writable, or connect with refresh=never to read it as it is", "08001", e);
    }
    return new SQLException("cannot open the store file " + path + ": " + firstLine(e), "08001", e);
  }

  static String firstLine(SQLException e) {
    String m = String.valueOf(e.getMessage());
    return m.lines().findFirst().orElse(m);
  }

  /** Settings every store gets before anything loads. */
  private static void configure(DuckDBConnection c, Options options, Path tempDirectory) throws SQLException {
    try (Statement s = c.createStatement()) {
      // an extension is never fetched from the network nor loaded behind a statement's back
      s.execute("SET GLOBAL autoinstall_known_extensions = false");
      s.execute("SET GLOBAL autoload_known_extensions = false");
      if (tempDirectory != null) {
        s.execute("SET GLOBAL temp_directory = " + literal(tempDirectory.toAbsolutePath().toString()));
      }
      if (options.memoryLimit() != null) {
        s.execute("SET GLOBAL memory_limit = " + literal(memoryLimit(options.memoryLimit())));
      }
    }
  }

  /** {@code 512MB}, {@code 4GB}, {@code 2GiB}… as DuckDB reads them; anything else is refused naming the key. */
  static String memoryLimit(String value) throws SQLException {
    String v = value.trim();
    if (!v.matches("(?i)\\d+(\\.\\d+)?\\s*(b|kb|mb|gb|tb|kib|mib|gib|tib)")) {
      throw new SQLException("memory_limit: expected a size like 512MB, 4GB or 2GiB; got '" + value + "'");
    }
    return v.toUpperCase(Locale.ROOT).replace("IB", "iB");
  }

  /**
   * Reads every block of every table once: DuckDB checks a block's checksum when it reads it, so a
   * damaged file is found when it opens, not in the middle of a later query. Not {@code util.calendar}:
   * the same for every store and the largest table of a small one (≈ 0.6 M rows, tens of milliseconds
   * on each open); a damaged block there shows when a query reads it.
   */
  private void verify() throws SQLException {
    List<String> tables = new ArrayList<>();
    try (Statement s = owner.createStatement();
         ResultSet rs = s.executeQuery("SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = "
             + literal(CATALOG) + " AND NOT temporary AND NOT (schema_name = 'util' AND table_name = 'calendar')")) {
      while (rs.next()) {
        tables.add(quote(rs.getString(1)) + "." + quote(rs.getString(2)));
      }
    }
    try (Statement s = owner.createStatement()) {
      for (String t : tables) {
        try (ResultSet rs = s.executeQuery("SELECT count(hash(t)) FROM " + t + " AS t")) {
          rs.next();
        }
      }
    }
  }

  /**
   * Shuts the database off from the machine once loading is done: no file or network access (but for
   * {@code readable}, folders the source's later loads read through the store), extensions neither
   * installed nor auto-loaded, and {@code TimeZone} set for every connection (the reporting zone).
   * The configuration is not locked: DuckDB's lock is all or nothing, and the JDBC layer turns the
   * session setting {@code jdbc_stream_results} on for a streamed result. What the lock would add is
   * held anyway: DuckDB refuses to turn external access back on (or widen {@code allowed_directories})
   * in a running database, and statements reach the store only through crmkpi's compiler, which
   * emits no SET (user SET statements are refused before parsing).
   */
  public void harden(ZoneId timezone, List<Path> readable) throws SQLException {
    synchronized (db) {
      if (db.hardenedIn != null) {
        if (!db.hardenedIn.equals(timezone)) {
          throw new SQLException("the store file " + description + " is open in this program with timezone="
              + db.hardenedIn.getId() + "; connections to one store file share its time zone (the one its data "
              + "was written in): use timezone=" + db.hardenedIn.getId() + " or another store= file", "08001");
        }
        return;
      }
      hardenNow(timezone, readable);
      db.hardenedIn = timezone;
    }
  }

  /**
   * DuckDB knows IANA names only, not offsets such as +03:00 (the zone a Bitrix24 portal reports):
   * a whole-hour offset is Etc/GMT with the sign inverted (+03:00 is Etc/GMT-3), another one a region
   * that keeps that offset all year (+05:30 is Asia/Kolkata).
   */
  static String duckDbZone(ZoneId zone) {
    if (!(zone instanceof java.time.ZoneOffset offset)) {
      return zone.getId();
    }
    int seconds = offset.getTotalSeconds();
    if (seconds == 0) {
      return "UTC";
    }
    if (seconds % 3600 == 0 && seconds >= -12 * 3600 && seconds <= 14 * 3600) {
      return "Etc/GMT" + (seconds > 0 ? "-" : "+") + Math.abs(seconds / 3600);
    }
    java.time.Instant now = java.time.Instant.now();
    return ZoneId.getAvailableZoneIds().stream().sorted().filter(id -> {
      var rules = ZoneId.of(id).getRules();
      return rules.getOffset(now).equals(offset) && rules.nextTransition(now) == null;
    }).findFirst().orElse(zone.getId());
  }

  private void hardenNow(ZoneId timezone, List<Path> readable) throws SQLException {
    try (Statement s = owner.createStatement()) {
      s.execute("SET GLOBAL TimeZone = " + literal(duckDbZone(timezone)));
      if (!readable.isEmpty()) {
        StringJoiner dirs = new StringJoiner(", ", "[", "]");
        for (Path p : readable) {
          String dir = p.toAbsolutePath().normalize().toString();
          dirs.add(literal(dir.endsWith("/") ? dir : dir + "/"));
        }
        s.execute("SET GLOBAL allowed_directories = " + dirs);
      }
      s.execute("SET GLOBAL enable_external_access = false");
    }
  }

  private static DuckDBConnection open() throws SQLException {
    try {
      Class.forName("org.duckdb.DuckDBDriver");
    } catch (ClassNotFoundException e) {
      throw new SQLException("DuckDB JDBC driver is not on the class path", e);
    }
    return (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:", new Properties());
  }

  /** A new connection to this store's database (the caller closes it). */
  public DuckDBConnection connect() throws SQLException {
    DuckDBConnection c = (DuckDBConnection) owner.duplicate();
    if (db.file != null) {
      try (Statement s = c.createStatement()) {
        s.execute("USE " + CATALOG); // the default database is per connection
      } catch (SQLException e) {
        c.close();
        throw e;
      }
    }
    return c;
  }

  /** Where the store lives: {@code memory} or the file path. */
  public String description() {
    return description;
  }

  /** True for a store file opened read-only (nothing can load into it). */
  public boolean readOnly() {
    return db.readOnly;
  }

  /** Opens a load session that writes rows of the canonical tables for one source. */
  public LoadSession load(String source) throws SQLException {
    return new LoadSession(this, source);
  }

  /** Closes this store; the database closes with the last store on its file. */
  @Override
  public void close() throws SQLException {
    synchronized (FILES) {
      if (closed) {
        return;
      }
      closed = true;
      if (--db.users > 0) {
        return;
      }
      if (db.file != null) {
        FILES.remove(db.file, db);
      }
    }
    owner.close();
  }

  /** Work of one transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run() throws SQLException;
  }

  /**
   * Runs {@code work} on {@code c} as one transaction: committed when it returns, rolled back when
   * it throws; the connection is back in auto-commit either way.
   */
  public static <T> T inTransaction(java.sql.Connection c, Work<T> work) throws SQLException {
    c.setAutoCommit(false);
    try {
      T result = work.run();
      c.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  /** Runs one statement on a fresh connection. */
  public void execute(String sql) throws SQLException {
    try (Connection c = connect(); var s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  private static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }
}
