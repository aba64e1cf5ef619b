package io.crmkpi.files;

import io.crmkpi.model.CanonicalModel;
import io.crmkpi.model.Column;
import io.crmkpi.model.Table;
import io.crmkpi.source.SourceContext;
import io.crmkpi.source.SourceException;
import io.crmkpi.store.LoadSession;
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
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Canonical CSV: a file named after a canonical table ({@code deals.csv}) whose header is a subset
 * of that table's columns, in any order. UTF-8 (a BOM is skipped), comma-separated, RFC 4180
 * quoting. Values follow {@link CanonicalValueParser}; rows that do not parse or break
 * {@link CanonicalRowRules} are rejected with their physical line number.
 */
public final class CanonicalCsvFormat implements FileFormat {

  public static final String NAME = "canonical-csv";

  /** Bookkeeping tables the store writes itself; no file loads them. */
  private static final Set<String> NOT_LOADABLE = Set.of("load_rejects", "sync_state");

  // RFC 4180 keeps empty lines as records, so physical line numbers stay exact; blank lines are skipped below.
  private static final CSVFormat CSV = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(false).get();

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
        new Rows(fileName, table, columns, parser, session, context.strict())
            .load(csv, records, LoadProgress.of(fileName, context));
      }
    } catch (CharacterCodingException e) {
      throw new SourceException(fileName + ": not UTF-8 text; save the file as UTF-8 (canonical CSV is UTF-8)", e);
    } catch (IOException | UncheckedIOException e) {
      String msg = e instanceof UncheckedIOException u ? u.getCause().getMessage() : e.getMessage();
      throw new SourceException(fileName + ": cannot read: " + msg, e);
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

  /** Loads the data records of one file. */
  private static final class Rows {
    private final String fileName;
    private final Table table;
    private final Column[] columns;
    private final int[] target;
    private final CanonicalValueParser parser;
    private final LoadSession session;
    private final boolean strict;
    private final Map<String, Long> keys = new HashMap<>(1 << 16);
    private final int[] keyIndex;
    private long loaded;
    private long rejected;

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
      while (true) {
        // the parser has consumed whole lines so far: the next record starts on the next physical line
        long line = csv.getCurrentLineNumber() + 1;
        CSVRecord record;
        try {
          if (!records.hasNext()) {
            break;
          }
          record = records.next();
        } catch (UncheckedIOException e) {
          if (e.getCause() instanceof CharacterCodingException) {
            throw new SourceException(fileName + ": not UTF-8 text; save the file as UTF-8 (canonical CSV is UTF-8)", e);
          }
          throw new SourceException(fileName + ":" + line + ": malformed CSV (" + e.getCause().getMessage()
              + "); canonical CSV follows RFC 4180: a value with a comma, quote or line break is enclosed in "
              + "double quotes and its quotes are doubled", e);
        }
        if (record.size() == 1 && record.get(0).isEmpty()) {
          continue; // a blank line, not a row
        }
        progress.row();
        Object[] row = new Object[table.columns().size()];
        String reason = parse(record, row);
        if (reason == null) {
          reason = CanonicalRowRules.check(table, row);
        }
        if (reason == null) {
          reason = duplicate(row, line);
        }
        if (reason == null) {
          writer.add(row);
          loaded++;
        } else {
          String location = fileName + ":" + line;
          if (strict) {
            throw new SourceException(location + ": " + reason + " (strict=true stops at the first bad row; "
                + "without it bad rows go to crm.load_rejects)");
          }
          session.reject(table.name(), location, reason, CSV.format(record.values()));
          rejected++;
        }
      }
      session.report().add(fileName, table.name(), loaded, rejected);
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
      String key;
      if (keyIndex.length == 1) {
        key = row[keyIndex[0]].toString() + '\u0000'; // no builder for the usual one-column key
      } else {
        StringBuilder b = new StringBuilder();
        for (int k : keyIndex) {
          b.append(row[k]).append('\u0000');
        }
        key = b.toString();
      }
      Long first = keys.putIfAbsent(key, line);
      if (first == null) {
        return null;
      }
      return String.join(", ", table.primaryKey()) + ": duplicate key '"
          + key.substring(0, key.length() - 1).replace('\u0000', '/') + "' (first on line " + first + ")";
    }
  }
}
