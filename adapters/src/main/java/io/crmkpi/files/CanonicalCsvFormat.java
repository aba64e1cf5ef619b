package io.crmkpi.files;

import io.crmkpi.model.CanonicalModel;
import io.crmkpi.model.Column;
import io.crmkpi.model.Table;
import io.crmkpi.source.SourceContext;
import io.crmkpi.source.SourceException;
import io.crmkpi.store.LoadSession;
import io.crmkpi.store.Threads;
import io.crmkpi.store.TableWriter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Canonical CSV: a file named after a canonical table ({@code deals.csv}) whose header is a subset
 * of that table's columns, in any order. UTF-8 (a BOM is skipped), comma-separated, RFC 4180
 * quoting. Values follow {@link CanonicalValueParser}; rows that do not parse or break
 * {@link CanonicalRowRules} are rejected with their physical line number.
 *
 * <p>Two readers give the same result: DuckDB's parallel CSV reader with the checks in SQL
 * ({@link CanonicalCsvBulkLoad}, the usual one), and the row-by-row reader below (commons-csv on a
 * second thread, the appender), for files the first one leaves to it.
 */
public final class CanonicalCsvFormat implements FileFormat {

  public static final String NAME = "canonical-csv";

  /** Bookkeeping tables the store writes itself; no file loads them. */
  private static final Set<String> NOT_LOADABLE = Set.of("load_rejects", "sync_state");

  // RFC 4180 keeps empty lines as records, so physical line numbers stay exact; blank lines are skipped below.
  private static final CSVFormat CSV = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(false).get();

  private final boolean bulk;

  /** The format as registered: files are read by DuckDB's CSV reader when it can ({@link CanonicalCsvBulkLoad}). */
  public CanonicalCsvFormat() {
    this(true);
  }

  /** {@code bulk = false}: every file row by row (tests compare the two readers). */
  CanonicalCsvFormat(boolean bulk) {
    this.bulk = bulk;
  }

  @Override
  public String name() {
    return NAME;
  }

  /** 100 for a table-named .csv with a canonical header; 10 when only the name fits (so errors explain the header). */
  @Override
  public int detect(FileSample sample) {
    if (!sample.extension().equals("csv") || table(sample.baseName()).isEmpty()) {
      return 0;
    }
    Table table = table(sample.baseName()).get();
    String text = new String(sample.head(), StandardCharsets.UTF_8);
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    int eol = text.indexOf('\n');
    String header = (eol < 0 ? text : text.substring(0, eol)).strip();
    if (header.isEmpty()) {
      return 10;
    }
    for (String name : header.split(",", -1)) {
      if (table.column(unquote(name)).isEmpty()) {
        return 10;
      }
    }
    return 100;
  }

  /** Loadable canonical table named {@code baseName}, if any. */
  static Optional<Table> table(String baseName) {
    return CanonicalModel.table(baseName).filter(t -> !NOT_LOADABLE.contains(t.name()));
  }

  private static String unquote(String s) {
    String t = s.strip();
    if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
      t = t.substring(1, t.length() - 1).replace("\"\"", "\"");
    }
    return t.strip().toLowerCase(Locale.ROOT);
  }

  @Override
  public void load(Path file, LoadSession session, SourceContext context) throws SourceException, SQLException {
    String fileName = file.getFileName().toString();
    FileSample name = new FileSample(file, new byte[0]);
    Table table = table(name.baseName()).orElseThrow(() -> new SourceException(fileName
        + ": a canonical CSV file is named after the canonical table it fills (deals.csv, stages.csv, ...); "
        + "rename it or see docs/sources/canonical-csv.md"));
    CanonicalValueParser parser = new CanonicalValueParser(context.timezone());
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      reader.mark(1);
      if (reader.read() != '\uFEFF') {
        reader.reset();
      }
      try (CSVParser csv = CSV.parse(reader)) {
        Iterator<CSVRecord> records = csv.iterator();
        if (!records.hasNext()) {
          throw new SourceException(fileName + ":1: empty file; a canonical CSV file starts with a header line "
              + "of column names of crm." + table.name() + " (see docs/sources/canonical-csv.md)");
        }
        Column[] columns = header(fileName, table, records.next());
        if (!(bulk && new CanonicalCsvBulkLoad(file, table, columns, parser, session, context).load())) {
          new Rows(fileName, table, columns, parser, session, context.strict())
              .load(csv, records, LoadProgress.of(fileName, context));
        }
      }
    } catch (CharacterCodingException e) {
      throw new SourceException(fileName + ": not UTF-8 text; save the file as UTF-8 (canonical CSV is UTF-8)", e);
    } catch (IOException | UncheckedIOException e) {
      String msg = e instanceof UncheckedIOException u ? u.getCause().getMessage() : e.getMessage();
      throw new SourceException(fileName + ": cannot read: " + msg, e);
    }
    if (table.name().equals("targets")) {
      CanonicalTargetRefs.resolve(session);
    }
  }

  /** Maps header positions to canonical columns; refuses unknown, repeated or missing key columns. */
  private static Column[] header(String fileName, Table table, CSVRecord header) throws SourceException {
    List<String> names = new ArrayList<>();
    for (String raw : header.values()) {
      names.add(raw.strip().toLowerCase(Locale.ROOT));
    }
    Set<String> unknown = new LinkedHashSet<>();
    Set<String> seen = new LinkedHashSet<>();
    Column[] columns = new Column[names.size()];
    for (int i = 0; i < names.size(); i++) {
      Optional<Column> c = table.column(names.get(i));
      if (c.isEmpty()) {
        unknown.add(names.get(i).isEmpty() ? "(empty name)" : "'" + names.get(i) + "'");
        continue;
      }
      if (!seen.add(c.get().name())) {
        throw new SourceException(fileName + ":1: column " + c.get().name() + " appears twice in the header");
      }
      columns[i] = c.get();
    }
    if (!unknown.isEmpty()) {
      String hint = names.size() == 1 && names.get(0).contains(";")
          ? " (the file seems to use ';' between values; canonical CSV uses ',')" : "";
      throw new SourceException(fileName + ":1: unknown column" + (unknown.size() > 1 ? "s " : " ")
          + String.join(", ", unknown) + " for crm." + table.name() + hint + "; valid columns: "
          + String.join(", ", table.columnNames()));
    }
    List<String> missing = table.primaryKey().stream().filter(k -> !seen.contains(k)).toList();
    if (!missing.isEmpty()) {
      throw new SourceException(fileName + ":1: missing key column" + (missing.size() > 1 ? "s " : " ")
          + String.join(", ", missing) + " (crm." + table.name() + " rows are identified by it)");
    }
    return columns;
  }

  /**
   * Parses the values of one record into {@code row} (canonical column order; {@code target} maps
   * header positions to it). Returns null, or the reason the record cannot be loaded.
   */
  static String parse(List<String> values, Column[] columns, int[] target, CanonicalValueParser parser, Object[] row) {
    if (values.size() != columns.length) {
      return "expected " + columns.length + " values as in the header, found " + values.size();
    }
    try {
      for (int i = 0; i < columns.length; i++) {
        row[target[i]] = parser.parse(columns[i], values.get(i));
      }
      return null;
    } catch (CanonicalValueParser.BadValueException e) {
      return e.getMessage();
    }
  }

  /**
   * Loads the data records of one file on two threads: a reader thread tokenises, parses and checks
   * the records (commons-csv, value parsing, row rules, duplicate keys) and hands batches to the
   * calling thread, which appends them to the store. On a big file the two halves cost about the
   * same, so they overlap; every store call stays on the caller's thread.
   */
  private static final class Rows {
    private static final int BATCH_ROWS = 4096;
    private static final int QUEUED_BATCHES = 8;

    private final String fileName;
    private final Table table;
    private final Column[] columns;
    private final int[] target;
    private final CanonicalValueParser parser;
    private final LoadSession session;
    private final boolean strict;
    private final Map<Object, Long> keys = new HashMap<>(1 << 16);
    private final int[] keyIndex;
    private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(QUEUED_BATCHES);
    private volatile boolean cancelled;

    /** Parsed rows and rejects in file order, or the end of the file, or the error that stopped reading. */
    private static final class Batch {
      final List<Object[]> rows = new ArrayList<>(BATCH_ROWS);
      /** Per entry of {@code rows}: null for a good row, else {location, reason, raw line}. */
      final List<String[]> rejects = new ArrayList<>(BATCH_ROWS);
      boolean last;
      SourceException failure;
      RuntimeException bug;
    }

    Rows(String fileName, Table table, Column[] columns, CanonicalValueParser parser, LoadSession session,
        boolean strict) {
      this.fileName = fileName;
      this.table = table;
      this.columns = columns;
      this.target = new int[columns.length];
      for (int i = 0; i < columns.length; i++) {
        target[i] = table.indexOf(columns[i].name());
      }
      this.keyIndex = table.primaryKey().stream().mapToInt(table::indexOf).toArray();
      this.parser = parser;
      this.session = session;
      this.strict = strict;
    }

    void load(CSVParser csv, Iterator<CSVRecord> records, LoadProgress progress) throws SourceException, SQLException {
      TableWriter writer = session.table(table.name());
      Thread reader = new Thread(() -> read(csv, records), "crmkpi-csv " + fileName);
      reader.setDaemon(true);
      reader.start();
      long loaded = 0;
      long rejected = 0;
      try {
        while (true) {
          Batch b = take();
          for (int i = 0; i < b.rows.size(); i++) {
            progress.row();
            String[] reject = b.rejects.get(i);
            if (reject == null) {
              writer.add(b.rows.get(i));
              loaded++;
            } else {
              session.reject(table.name(), reject[0], reject[1], reject[2]);
              rejected++;
            }
          }
          if (b.bug != null) {
            throw b.bug;
          }
          if (b.failure != null) {
            throw b.failure;
          }
          if (b.last) {
            break;
          }
        }
      } finally {
        cancelled = true;
        queue.clear(); // unblocks a reader waiting to put
        reader.interrupt();
        Threads.joinUninterruptibly(reader);
      }
      session.report().add(fileName, table.name(), loaded, rejected);
    }

    private Batch take() throws SourceException {
      try {
        return queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SourceException(fileName + ": loading was interrupted", e);
      }
    }

    /** The reader thread: fills batches until the end of the file, an error, or cancellation. */
    private void read(CSVParser csv, Iterator<CSVRecord> records) {
      Batch batch = new Batch();
      try {
        while (!cancelled) {
          // the parser has consumed whole lines so far: the next record starts on the next physical line
          long line = csv.getCurrentLineNumber() + 1;
          CSVRecord record;
          try {
            if (!records.hasNext()) {
              batch.last = true;
              break;
            }
            record = records.next();
          } catch (UncheckedIOException e) {
            if (e.getCause() instanceof CharacterCodingException) {
              throw new SourceException(fileName
                  + ": not UTF-8 text; save the file as UTF-8 (canonical CSV is UTF-8)", e);
            }
            throw new SourceException(fileName + ":" + line + ": malformed CSV (" + e.getCause().getMessage()
                + "); canonical CSV follows RFC 4180: a value with a comma, quote or line break is enclosed in "
                + "double quotes and its quotes are doubled", e);
          }
          if (record.size() == 1 && record.get(0).isEmpty()) {
            continue; // a blank line, not a row
          }
          Object[] row = new Object[table.columns().size()];
          String reason = parse(record, row);
          if (reason == null) {
            reason = CanonicalRowRules.check(table, row);
          }
          if (reason == null) {
            reason = duplicate(row, line);
          }
          if (reason == null) {
            batch.rows.add(row);
            batch.rejects.add(null);
          } else {
            String location = fileName + ":" + line;
            if (strict) {
              throw new SourceException(location + ": " + reason + " (strict=true stops at the first bad row; "
                  + "without it bad rows go to crm.load_rejects)");
            }
            batch.rows.add(null);
            batch.rejects.add(new String[] {location, reason, CSV.format(record.values())});
          }
          if (batch.rows.size() == BATCH_ROWS) {
            put(batch);
            batch = new Batch();
          }
        }
      } catch (SourceException e) {
        batch.failure = e;
      } catch (RuntimeException e) {
        batch.bug = e;
      } catch (InterruptedException e) {
        return; // the loading thread stopped early
      }
      try {
        put(batch);
      } catch (InterruptedException e) {
        // the loading thread stopped early
      }
    }

    private void put(Batch batch) throws InterruptedException {
      if (!cancelled) {
        queue.put(batch);
      }
    }

    private String parse(CSVRecord record, Object[] row) {
      if (record.size() != columns.length) {
        return "expected " + columns.length + " values as in the header, found " + record.size();
      }
      try {
        for (int i = 0; i < columns.length; i++) {
          row[target[i]] = parser.parse(columns[i], record.get(i));
        }
        return null;
      } catch (CanonicalValueParser.BadValueException e) {
        return e.getMessage();
      }
    }

    /** The same key twice in one file would double-count; the first row wins. */
    private String duplicate(Object[] row, long line) {
      if (keyIndex.length == 0) {
        return null;
      }
      Object key;
      if (keyIndex.length == 1) {
        key = row[keyIndex[0]]; // the usual one-column key: the value itself (String, Integer...)
      } else {
        List<Object> parts = new ArrayList<>(keyIndex.length);
        for (int k : keyIndex) {
          parts.add(row[k]);
        }
        key = parts;
      }
      Long first = keys.putIfAbsent(key, line);
      if (first == null) {
        return null;
      }
      String shown = key instanceof List<?> parts
          ? String.join("/", parts.stream().map(String::valueOf).toList()) : key.toString();
      return String.join(", ", table.primaryKey()) + ": duplicate key '" + shown + "' (first on line " + first + ")";
    }
  }
}
