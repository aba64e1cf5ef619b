package io.crmkpi.files;

import io.crmkpi.model.Column;
import io.crmkpi.model.ColumnType;
import io.crmkpi.model.Table;
import io.crmkpi.source.SourceContext;
import io.crmkpi.source.SourceException;
import io.crmkpi.store.LoadSession;
import io.crmkpi.store.Store;
import io.crmkpi.store.TableWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.csv.CSVFormat;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Loads a canonical CSV file with DuckDB's own parallel CSV reader: every value is read as text
 * into a temporary table, converted in SQL, and the rows go into {@code crm.<table>} with one
 * {@code INSERT ... SELECT}. A row is converted in SQL only when each of its values has the plain
 * shape whose SQL conversion equals {@link CanonicalValueParser}'s ({@code 1234.50},
 * {@code 2024-05-01 10:00:00}, {@code true}...); any other row is "flagged" and read again from the
 * file and judged by the row-by-row rules ({@link CanonicalValueParser}, {@link CanonicalRowRules}),
 * so both readers load and reject the same rows with the same reasons. Duplicate keys are found in
 * SQL; the first row in file order wins. Rejected rows get their physical line from a
 * {@link CsvRecordIndex}, built only when there is a reject.
 *
 * <p>A row with another number of values than the header is set aside by DuckDB's reader
 * ({@code store_rejects}) and rejected with its line like any other bad row. A file DuckDB's reader
 * refuses otherwise (an unclosed quote, not UTF-8, a line over 2 MB), whose rows are mostly
 * flagged, or that has a single column, is left to the row-by-row reader, which words the errors
 * with their lines: {@link #load} then returns false before anything is written.
 */
final class CanonicalCsvBulkLoad {

  private static final CSVFormat CSV = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(false).get();
  private static final String TEMP = "crmkpi_csv";
  /** Rows DuckDB's reader set aside, with the reason (store_rejects). */
  private static final String REJECTS = "crmkpi_csv_rejects";
  /**
   * Above this many flagged rows, and a tenth of the file, the row-by-row reader is the cheaper one
   * (e.g. every timestamp written with an offset): flagged rows are judged one by one and held in memory.
   */
  static final long MAX_FLAGGED = 10_000;


  // plain shapes (RE2, matched in full): what SQL converts exactly as CanonicalValueParser does
  private static final String TIMESTAMP = "[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}([ T]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9])?";
  private static final String DATE = "[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}";
  /** Anything that is neither Java whitespace nor a Unicode separator: the key is not blank. */
  private static final String NOT_BLANK = "[^\\s\\x{0B}\\x{1C}-\\x{1F}\\p{Z}]";

  private final Path file;
  private final String fileName;
  private final Table table;
  private final Column[] columns;
  private final CanonicalValueParser parser;
  private final LoadSession session;
  private final SourceContext context;
  private final long progressEveryMs;
  /** Where each record starts; built only when a row is flagged or a key repeats. */
  private CsvRecordIndex index;

  CanonicalCsvBulkLoad(Path file, Table table, Column[] columns, CanonicalValueParser parser, LoadSession session,
      SourceContext context) {
    this(file, table, columns, parser, session, context, SqlProgress.EVERY_MS);
  }

  CanonicalCsvBulkLoad(Path file, Table table, Column[] columns, CanonicalValueParser parser, LoadSession session,
      SourceContext context, long progressEveryMs) {
    this.progressEveryMs = progressEveryMs;
    this.file = file;
    this.fileName = file.getFileName().toString();
    this.table = table;
    this.columns = columns;
    this.parser = parser;
    this.session = session;
    this.context = context;
  }

  /** True when the file was loaded; false when nothing was written and the row-by-row reader must read it. */
  boolean load() throws SourceException, SQLException {
    if (columns.length < 2) {
      // one column: DuckDB's reader takes a blank line for a row of NULL, the row-by-row reader skips it
      return false;
    }
    // a connection of its own: a failed read_csv would abort the session's open transaction
    try (DuckDBConnection c = (DuckDBConnection) session.store().connect(); Statement s = c.createStatement()) {
      try {
        read(c);
      } catch (SQLException e) {
        return false; // DuckDB's reader refused the file: the row-by-row reader says where and why
      }
      try {
        return loadRead(c, s);
      } finally {
        if (index != null) {
          index.close();
        }
        s.execute("DROP TABLE IF EXISTS " + TEMP);
        s.execute("DROP TABLE IF EXISTS crmkpi_csv_keys");
        s.execute("DROP TABLE IF EXISTS crmkpi_csv_skip");
        s.execute("DROP TABLE IF EXISTS " + REJECTS);
        s.execute("DROP TABLE IF EXISTS crmkpi_csv_scans");
      }
    }
  }

  private boolean loadRead(DuckDBConnection c, Statement s) throws SourceException, SQLException {
    long total;
    long flagged;
    try (ResultSet rs = s.executeQuery("SELECT count(*), count(*) FILTER (WHERE crmkpi_flag) FROM " + TEMP)) {
      rs.next();
      total = rs.getLong(1);
      flagged = rs.getLong(2);
    }
    // rows DuckDB's reader set aside: another number of values than the header is a row reject like
    // any other; anything else (an unclosed quote, not UTF-8...) is left to the row-by-row reader
    long malformed = CsvRecordIndex.widthRejects(s, REJECTS);
    if (malformed < 0) {
      return false;
    }
    if (flagged > MAX_FLAGGED && flagged * 10 > total) {
      return false;
    }
    Map<Long, Object[]> accepted = new TreeMap<>(); // flagged rows the row rules accept, by row number
    Map<Long, String[]> rejects = new TreeMap<>(); // physical line -> {reason, raw}
    if ((flagged > 0 || malformed > 0) && !index(total, malformed)) {
      return false;
    }
    if (malformed > 0) {
      for (int record : index.malformed()) {
        List<String> values = recordValues(record);
        if (values.size() == 1 && values.get(0).isEmpty()) {
          continue; // a line of just "": no row for the row-by-row reader either
        }
        rejects.put(index.recordLine(record), new String[] {"expected " + columns.length
            + " values as in the header, found " + values.size(), CSV.format(values.toArray())});
      }
    }
    if (flagged > 0) {
      judgeFlagged(s, accepted, rejects);
    }
    Map<List<String>, TreeSet<Long>> groups = duplicates(c, s, accepted);
    TreeSet<Long> skip = new TreeSet<>(); // rows that pass SQL but lose to an earlier row with their key
    if (!groups.isEmpty()) {
      if (index == null && !index(total, 0)) {
        return false;
      }
      for (Map.Entry<List<String>, TreeSet<Long>> g : groups.entrySet()) {
        long first = g.getValue().first();
        for (long r : g.getValue().tailSet(first, false)) {
          String reason = String.join(", ", table.primaryKey()) + ": duplicate key '" + String.join("/", g.getKey())
              + "' (first on line " + index.line((int) first) + ")";
          rejects.put(index.line((int) r), new String[] {reason, CSV.format(values((int) r).toArray())});
          if (accepted.remove(r) == null) {
            skip.add(r);
          }
        }
      }
    }
    if (!rejects.isEmpty() && context.strict()) {
      Map.Entry<Long, String[]> first = rejects.entrySet().iterator().next();
      throw new SourceException(fileName + ":" + first.getKey() + ": " + first.getValue()[0]
          + " (strict=true stops at the first bad row; without it bad rows go to crm.load_rejects)");
    }
    long expected = total - flagged - skip.size();
    Store.inTransaction(c, () -> {
      long inserted = insert(c, s, skip);
      if (inserted != expected) {
        throw new SQLException(fileName + ": " + inserted + " rows went into crm." + table.name() + ", expected "
            + expected);
      }
      return inserted;
    });
    TableWriter writer = accepted.isEmpty() ? null : session.table(table.name());
    for (Object[] row : accepted.values()) {
      writer.add(row);
    }
    for (Map.Entry<Long, String[]> r : rejects.entrySet()) {
      session.reject(table.name(), fileName + ":" + r.getKey(), r.getValue()[0], r.getValue()[1]);
    }
    session.report().add(fileName, table.name(), expected + accepted.size(), rejects.size());
    return true;
  }

  /**
   * Builds {@link #index}; false when it does not see the rows DuckDB read and set aside (the
   * row-by-row reader then decides).
   */
  private boolean index(long total, long malformed) throws SourceException {
    try {
      index = CsvRecordIndex.of(file, columns.length);
      return index.count() == total && index.malformed().length == malformed;
    } catch (IOException e) {
      throw new SourceException(fileName + ": cannot read: " + e.getMessage(), e);
    }
  }

  private List<String> values(int row) throws SourceException {
    try {
      return index.values(row);
    } catch (IOException e) {
      throw new SourceException(fileName + ":" + index.line(row) + ": cannot read: " + e.getMessage(), e);
    }
  }

  private List<String> recordValues(int record) throws SourceException {
    try {
      return index.recordValues(record);
    } catch (IOException e) {
      throw new SourceException(fileName + ":" + index.recordLine(record) + ": cannot read: " + e.getMessage(), e);
    }
  }

  /** Reads the file into the temporary table: the converted values and whether the row needs the row rules. */
  private void read(Connection c) throws SQLException {
    StringJoiner types = new StringJoiner(", ", "{", "}");
    StringJoiner select = new StringJoiner(", ");
    List<String> flags = new ArrayList<>();
    Map<String, List<String>> codes = CanonicalRowRules.codes(table.name());
    for (int i = 0; i < columns.length; i++) {
      String raw = "c" + i;
      types.add("'" + raw + "': 'VARCHAR'");
      Column col = columns[i];
      List<String> allowed = codes.get(col.name());
      if (allowed != null) {
        String in = String.join(", ", allowed.stream().map(v -> "'" + v + "'").toList());
        select.add("lower(" + raw + ") AS " + quote(col.name()));
        flags.add("(" + raw + " IS NOT NULL AND lower(" + raw + ") NOT IN (" + in + "))");
      } else {
        select.add(convert(col, raw) + " AS " + quote(col.name()));
        String plain = plain(col, raw);
        if (plain != null) {
          flags.add("(" + raw + " IS NOT NULL AND NOT (" + plain + "))");
        }
      }
      if (table.primaryKey().contains(col.name())) {
        flags.add(col.type() == ColumnType.VARCHAR
            ? "(" + raw + " IS NULL OR NOT regexp_matches(" + raw + ", '" + NOT_BLANK + "'))"
            : "(" + raw + " IS NULL)");
      }
    }
    flags.addAll(tableRules());
    // key columns missing from the header cannot be: the header check refused the file
    // a flag that comes out NULL (unknown) sends the row to the row rules too
    String flag = flags.isEmpty() ? "false" : "coalesce(" + String.join(" OR ", flags) + ", true)";
    String path = file.toAbsolutePath().toString().replace("'", "''");
    String sql = "CREATE TEMP TABLE " + TEMP + " AS SELECT " + select + ", " + flag + " AS crmkpi_flag "
        + "FROM read_csv('" + path + "', header = true, delim = ',', quote = '\"', escape = '\"', "
        + "auto_detect = false, strict_mode = true, null_padding = false, "
        + "store_rejects = true, rejects_table = '" + REJECTS + "', rejects_scan = 'crmkpi_csv_scans', "
        + "encoding = 'utf-8', columns = " + types + ")";
    execute(c, sql, "read");
  }

  /** Runs {@code sql}, reporting its progress every few seconds; returns the update count. */
  private long execute(Connection c, String sql, String done) throws SQLException {
    return SqlProgress.execute(c, sql, fileName, done, context, progressEveryMs);
  }

  /** SQL for the value of raw text {@code raw} in {@code col}; exact whenever {@link #plain} holds. */
  private static String convert(Column col, String raw) {
    return switch (col.type()) {
      case VARCHAR -> raw;
      case CURRENCY -> "upper(" + raw + ")";
      case BOOLEAN -> "lower(" + raw + ") IN ('true', '1', 'yes')";
      default -> "TRY_CAST(" + raw + " AS " + col.type().ddl() + ")";
    };
  }

  /** SQL that is true when non-NULL {@code raw} has a shape {@link #convert} reads exactly; null: always. */
  private static String plain(Column col, String raw) {
    return switch (col.type()) {
      case VARCHAR -> null;
      case CURRENCY -> match(raw, "[A-Za-z]{3}");
      case INTEGER -> match(raw, "-?[0-9]{1,9}");
      case BIGINT -> match(raw, "-?[0-9]{1,18}");
      case DOUBLE -> match(raw, "-?[0-9]{1,15}(\\.[0-9]{1,15})?");
      case BOOLEAN -> "lower(" + raw + ") IN ('true', 'false', '1', '0', 'yes', 'no')";
      case DATE -> match(raw, DATE) + " AND TRY_CAST(" + raw + " AS DATE) IS NOT NULL";
      case TIMESTAMP -> match(raw, TIMESTAMP) + " AND TRY_CAST(" + raw + " AS TIMESTAMP) IS NOT NULL";
      case MONEY -> match(raw, "-?[0-9]{1,16}(\\.[0-9]{1,2})?");
      case QUANTITY -> match(raw, "-?[0-9]{1,15}(\\.[0-9]{1,3})?");
      case RATE -> match(raw, "-?[0-9]{1,10}(\\.[0-9]{1,8})?");
    };
  }

  private static String match(String raw, String regex) {
    return "regexp_full_match(" + raw + ", '" + regex + "')";
  }

  /** Row rules across columns ({@link CanonicalRowRules}): a row that may break them is flagged. */
  private List<String> tableRules() {
    List<String> rules = new ArrayList<>();
    int survey = position("survey");
    int score = position("score");
    if (table.name().equals("survey_responses") && survey >= 0 && score >= 0) {
      String sc = "TRY_CAST(c" + score + " AS INTEGER)";
      // IS TRUE: a missing survey or score is not checked (as in CanonicalRowRules)
      rules.add("(lower(c" + survey + ") = 'nps' AND " + sc + " NOT BETWEEN 0 AND 10) IS TRUE");
      rules.add("(lower(c" + survey + ") = 'csat' AND " + sc + " NOT BETWEEN 1 AND 5) IS TRUE");
    }
    int rate = position("rate_to_base");
    if (table.name().equals("fx_rates") && rate >= 0) {
      rules.add("(TRY_CAST(c" + rate + " AS DECIMAL(18,8)) <= 0) IS TRUE");
    }
    int probability = position("probability");
    if (CanonicalRowRules.PROBABILITIES.contains(table.name()) && probability >= 0) {
      rules.add("(TRY_CAST(c" + probability + " AS DOUBLE) NOT BETWEEN 0 AND 100) IS TRUE");
    }
    if (table.name().equals("targets")) {
      // a missing part, a negative target or a period_start that may not start its period: the row rules judge
      for (String c : CanonicalRowRules.TARGET_REQUIRED) {
        int i = position(c);
        rules.add(i < 0 ? "true" : "(c" + i + " IS NULL)");
      }
      int start = position("period_start");
      if (start >= 0) {
        rules.add("(day(TRY_CAST(c" + start + " AS DATE)) <> 1) IS TRUE");
      }
      int target = position("target");
      if (target >= 0) {
        rules.add("(TRY_CAST(c" + target + " AS DECIMAL(18,2)) < 0) IS TRUE");
      }
    }
    int from = position("valid_from");
    int to = position("valid_to");
    if (table.name().equals("deal_snapshots") && from >= 0 && to >= 0) {
      rules.add("(TRY_CAST(c" + to + " AS TIMESTAMP) <= TRY_CAST(c" + from + " AS TIMESTAMP)) IS TRUE");
    }
    return rules;
  }

  private int position(String column) {
    for (int i = 0; i < columns.length; i++) {
      if (columns[i].name().equals(column)) {
        return i;
      }
    }
    return -1;
  }

  /** Reads every flagged row again from the file and judges it by the row-by-row rules. */
  private void judgeFlagged(Statement s, Map<Long, Object[]> accepted, Map<Long, String[]> rejects)
      throws SourceException, SQLException {
    List<Long> flaggedRows = new ArrayList<>();
    try (ResultSet rs = s.executeQuery("SELECT rowid FROM " + TEMP + " WHERE crmkpi_flag ORDER BY rowid")) {
      while (rs.next()) {
        flaggedRows.add(rs.getLong(1));
      }
    }
    int[] target = new int[columns.length];
    for (int i = 0; i < columns.length; i++) {
      target[i] = table.indexOf(columns[i].name());
    }
    for (long r : flaggedRows) {
      List<String> values = values((int) r);
      Object[] row = new Object[table.columns().size()];
      String reason = CanonicalCsvFormat.parse(values, columns, target, parser, row);
      if (reason == null) {
        reason = CanonicalRowRules.check(table, row);
      }
      if (reason == null) {
        accepted.put(r, row);
      } else {
        rejects.put(index.line((int) r), new String[] {reason, CSV.format(values.toArray())});
      }
    }
  }

  /**
   * Keys held by more than one accepted row: the rows SQL converted plus the flagged rows the row
   * rules accepted, by key (values as text, as in the messages), each with its record numbers.
   */
  private Map<List<String>, TreeSet<Long>> duplicates(DuckDBConnection c, Statement s, Map<Long, Object[]> accepted)
      throws SQLException {
    Map<List<String>, TreeSet<Long>> groups = new HashMap<>();
    List<String> key = table.primaryKey();
    if (key.isEmpty()) {
      return groups;
    }
    if (!accepted.isEmpty()) {
      // the accepted flagged rows' keys, next to the others, to find clashes in one pass
      StringJoiner ddl = new StringJoiner(", ");
      for (String k : key) {
        ddl.add(quote(k) + " VARCHAR");
      }
      s.execute("CREATE OR REPLACE TEMP TABLE crmkpi_csv_keys (" + ddl + ", r BIGINT)");
      // an appender, not a batch of INSERTs (those cost ~100 µs a row)
      try (DuckDBAppender a = c.createAppender("temp", "main", "crmkpi_csv_keys")) {
        for (Map.Entry<Long, Object[]> e : accepted.entrySet()) {
          a.beginRow();
          for (String part : keyOf(e.getValue())) {
            a.append(part);
          }
          a.append(e.getKey().longValue());
          a.endRow();
        }
      }
    }
    String keysAsText = String.join(", ", key.stream().map(k -> quote("k_" + k)).toList());
    StringJoiner named = new StringJoiner(", ");
    for (String k : key) {
      named.add("CAST(" + quote(k) + " AS VARCHAR) AS " + quote("k_" + k));
    }
    String union = "SELECT " + named + ", rowid AS r FROM " + TEMP + " WHERE NOT crmkpi_flag"
        + (accepted.isEmpty() ? "" : " UNION ALL SELECT * FROM crmkpi_csv_keys");
    String sql = "WITH a AS (" + union + "), d AS (SELECT " + keysAsText + " FROM a GROUP BY ALL HAVING count(*) > 1) "
        + "SELECT a.* FROM a SEMI JOIN d USING (" + keysAsText + ") ORDER BY a.r";
    try (ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        List<String> parts = new ArrayList<>(key.size());
        for (int i = 1; i <= key.size(); i++) {
          parts.add(rs.getString(i));
        }
        groups.computeIfAbsent(parts, p -> new TreeSet<>()).add(rs.getLong(key.size() + 1));
      }
    }
    return groups;
  }

  /** The key of a parsed row as text, as the duplicate message shows it. */
  private List<String> keyOf(Object[] row) {
    List<String> parts = new ArrayList<>();
    for (String k : table.primaryKey()) {
      parts.add(String.valueOf(row[table.indexOf(k)]));
    }
    return parts;
  }

  /**
   * Moves the rows SQL converted, less {@code skip}, into {@code crm.<table>}; returns how many.
   * Deals get in the same statement what {@code StoreDerivations} would otherwise fill with
   * million-row UPDATEs: the pipeline and status of their stage (when crm.stages knows it by now)
   * and is_deleted = false; what the file gives wins, and the derivations still fill the rest.
   */
  private long insert(DuckDBConnection c, Statement s, TreeSet<Long> skip) throws SQLException {
    StringJoiner cols = new StringJoiner(", ");
    StringJoiner values = new StringJoiner(", ");
    List<String> given = new ArrayList<>();
    for (Column col : columns) {
      given.add(col.name());
    }
    boolean deals = table.name().equals("deals");
    String from = TEMP + " t";
    for (String name : given) {
      cols.add(quote(name));
      values.add(deals ? derivedDealValue(name, "t." + quote(name)) : "t." + quote(name));
    }
    if (deals) {
      for (String name : List.of("pipeline_id", "status", "is_deleted")) {
        if (!given.contains(name)) {
          cols.add(quote(name));
          values.add(derivedDealValue(name, "NULL"));
        }
      }
      if (given.contains("stage_id")) {
        // one row per stage id, however many crm.stages holds (the UPDATE it replaces takes any one)
        from += " LEFT JOIN (SELECT stage_id, first(pipeline_id ORDER BY pipeline_id) AS pipeline_id, "
            + "first(kind ORDER BY pipeline_id) AS kind FROM crm.stages GROUP BY stage_id) st ON st.stage_id = t.stage_id";
      }
    }
    String where = "NOT t.crmkpi_flag";
    if (!skip.isEmpty()) {
      s.execute("CREATE OR REPLACE TEMP TABLE crmkpi_csv_skip (r BIGINT)");
      try (DuckDBAppender a = c.createAppender("temp", "main", "crmkpi_csv_skip")) {
        for (long r : skip) {
          a.beginRow();
          a.append(r);
          a.endRow();
        }
      }
      where += " AND t.rowid NOT IN (SELECT r FROM crmkpi_csv_skip)";
    }
    return execute(c, "INSERT INTO crm." + table.name() + " (" + cols + ") SELECT " + values + " FROM " + from
        + " WHERE " + where, "written");
  }

  /** {@code name} as a quoted SQL identifier (canonical names are plain, but some are SQL words). */
  private static String quote(String name) {
    return '"' + name + '"';
  }

  /** The value of deal column {@code name} given the file's {@code value} (see {@link #insert}). */
  private String derivedDealValue(String name, String value) {
    boolean stage = position("stage_id") >= 0;
    return switch (name) {
      case "pipeline_id" -> stage ? "coalesce(" + value + ", st.pipeline_id)" : value;
      case "status" -> stage ? "coalesce(" + value + ", st.kind)" : value;
      case "is_deleted" -> "coalesce(" + value + ", false)";
      default -> value;
    };
  }
}
