package io.crmkpi.files.exports;

import io.crmkpi.files.CsvRecordIndex;
import io.crmkpi.files.FileSample;
import io.crmkpi.files.SqlProgress;
import io.crmkpi.files.exports.ExportLoader.Columns;
import io.crmkpi.files.exports.ExportLoader.Kinds;
import io.crmkpi.files.exports.ExportLoader.Parsed;
import io.crmkpi.files.exports.ExportProfile.Field;
import io.crmkpi.source.SourceContext;
import io.crmkpi.source.SourceException;
import io.crmkpi.store.LoadSession;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.commons.csv.CSVFormat;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Loads a CSV deal or lead export with DuckDB's own parallel CSV reader, as {@code CanonicalCsvBulkLoad}
 * does for canonical files. Cells are trimmed and converted in SQL where their text has a "plain
 * shape" whose SQL conversion equals {@link ExportValues}' ({@code 1500.50}, {@code 1 000,50},
 * {@code 2024-01-31 10:00}, {@code 31.01.2024 10:00:00}, {@code USD}...); what depends on few
 * distinct values (deal kinds from stage/status/won/closed, ids of owners, pipelines, stages,
 * companies, contacts, channels) is worked out once per distinct value by the row path's own
 * code ({@link ExportLoader.Run}) and joined back. A row with any other cell is "flagged": read
 * again from the file and judged whole by the row path, so both paths load and reject the same rows
 * with the same reasons. Users, pipelines, stages, companies and contacts go through the row
 * path's own writer, fed by aggregates in file order.
 *
 * <p>Used for UTF-8 CSV files whose times are in the reporting zone, with an id column and no
 * date patterns of their own; {@link #load} returns false before anything is written when DuckDB's
 * reader refuses the file (another number of values than the header, a stray quote...) or most
 * rows are flagged, and the row path reads the file.
 */
final class ExportBulkLoad {

  private static final String X = "crmkpi_export";
  private static final String KINDS = "crmkpi_export_kinds";
  private static final String JUDGED = "crmkpi_export_judged";
  private static final String P = "crmkpi_export_rows";
  private static final String GAPS = "crmkpi_export_gaps";
  /** Rows DuckDB's reader set aside, with the reason (store_rejects). */
  private static final String REJECTS = "crmkpi_export_rejects";
  private static final String[] NAME_TABLES = {"users", "pipelines", "stages", "companies", "contacts", "channels"};
  /** Above this many flagged rows, and a tenth of the file, the row path is the cheaper one. */
  static final long MAX_FLAGGED = 10_000;

  /** What {@link String#strip()} removes: Java whitespace (no-break spaces are not). */
  static final String WHITESPACE = "\t\n\u000B\f\r\u001C\u001D\u001E\u001F \u1680\u2000\u2001\u2002\u2003\u2004"
      + "\u2005\u2006\u2008\u2009\u200A\u2028\u2029\u205F\u3000";
  private static final String ISO_DATE = "[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}";
  private static final String ISO_TIME = ISO_DATE + "[ T]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?";
  private static final String DOT_DATE = "[0-9]{2}\\.[0-9]{2}\\.[1-9][0-9]{3}";
  private static final String DOT_TIME = DOT_DATE + " ([01]?[0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?";

  /** The parsed row columns, as {@link Parsed} has them (the SQL rows and the judged rows alike). */
  private static final String PARSED_COLUMNS = "r BIGINT, id VARCHAR, title VARCHAR, amount DECIMAL(18,2), "
      + "currency VARCHAR, probability DOUBLE, created TIMESTAMP, updated TIMESTAMP, closed TIMESTAMP, "
      + "stage_name VARCHAR, pipeline_name VARCHAR, owner VARCHAR, company VARCHAR, company_id VARCHAR, "
      + "contact VARCHAR, contact_id VARCHAR, utm_source VARCHAR, utm_medium VARCHAR, utm_campaign VARCHAR, "
      + "source VARCHAR, loss_reason VARCHAR, kind VARCHAR, stage_kind VARCHAR, deleted BOOLEAN";

  private final Path file;
  private final String fileName;
  private final ExportTable head;
  private final ExportProfile profile;
  private final ExportLoader.Run run;
  private final Columns columns;
  private final LoadSession session;
  private final SourceContext context;
  private final char delimiter;
  private final boolean trailing;
  /** crm.deals or crm.leads. */
  private final String entityTable;
  /** Where each record starts; built only when a row is flagged or an id repeats. */
  private CsvRecordIndex index;
  private long loaded;
  private long rejected;

  ExportBulkLoad(Path file, ExportTable head, ExportProfile profile, ExportLoader.Run run, LoadSession session,
      SourceContext context) {
    this.file = file;
    this.fileName = file.getFileName().toString();
    this.head = head;
    this.profile = profile;
    this.run = run;
    this.columns = run.columns;
    this.session = session;
    this.context = context;
    this.delimiter = profile.delimiter != null ? profile.delimiter : head.shape().delimiter();
    this.trailing = head.shape().trailingDelimiter();
    this.entityTable = profile.entity.equals("lead") ? "leads" : "deals";
  }

  /**
   * The header of {@code file} when the bulk path may load it: a UTF-8 CSV of two columns or more,
   * times in the reporting zone, no date patterns or report footer of the profile's own; else null.
   */
  static ExportTable head(Path file, ExportProfile profile, ZoneId fileZone, ZoneId report) {
    if (profile.footer || !profile.datePatterns.isEmpty() || !fileZone.getRules().equals(report.getRules())
        || (profile.encoding != null && !profile.encoding.equals(StandardCharsets.UTF_8))) {
      return null;
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(FileSample.SIZE);
    } catch (IOException e) {
      return null; // the row path words the error
    }
    ExportTable t = ExportFileReader.sniff(file, bytes);
    ExportTable.Shape shape = t.shape();
    if (!shape.kind().equals("csv") || !shape.charset().equals(StandardCharsets.UTF_8.name())
        || t.headers().size() < 2) {
      return null;
    }
    if (profile.delimiter != null && profile.delimiter != shape.delimiter()) {
      return null; // a forced delimiter the header does not show: the row path's reader decides
    }
    return t;
  }

  long loaded() {
    return loaded;
  }

  long rejected() {
    return rejected;
  }

  /** True when the file was loaded; false when nothing was written and the row path must read it. */
  boolean load() throws SourceException, SQLException {
    if (columns.indices(Field.ID).isEmpty()) {
      return false; // ids from hashes of title and time: the row path's
    }
    try (DuckDBConnection c = (DuckDBConnection) session.store().connect(); Statement s = c.createStatement()) {
      try {
        gaps(c, s);
        read(c);
      } catch (SQLException e) {
        return false; // DuckDB's reader refused the file: the row path says where and why
      }
      try {
        return loadRead(c, s);
      } finally {
        if (index != null) {
          index.close();
        }
        for (String t : List.of(X, KINDS, JUDGED, P, GAPS, REJECTS, "crmkpi_export_scans", "crmkpi_export_dup",
            "crmkpi_export_skip")) {
          s.execute("DROP TABLE IF EXISTS " + t);
        }
        for (String t : NAME_TABLES) {
          s.execute("DROP TABLE IF EXISTS crmkpi_export_" + t);
        }
        s.execute("DROP VIEW IF EXISTS crmkpi_export_resolved");
      }
    }
  }

  private boolean loadRead(DuckDBConnection c, Statement s) throws SourceException, SQLException {
    kinds(c, s);
    long total;
    long flagged;
    try (ResultSet rs = s.executeQuery("SELECT count(*), count(*) FILTER (WHERE x_flag AND NOT x_blank) FROM " + X)) {
      rs.next();
      total = rs.getLong(1);
      flagged = rs.getLong(2);
    }
    if (flagged > MAX_FLAGGED && flagged * 10 > total) {
      return false;
    }
    // rows DuckDB's reader set aside: another number of values than the header is a row reject like
    // any other; anything else (a stray quote, not UTF-8...) is left to the row path
    long malformed;
    try (ResultSet rs = s.executeQuery("SELECT count(DISTINCT line) FILTER (WHERE error_type IN ('MISSING COLUMNS', "
        + "'TOO MANY COLUMNS')), count(*) FILTER (WHERE error_type NOT IN ('MISSING COLUMNS', 'TOO MANY COLUMNS')) "
        + "FROM " + REJECTS)) {
      rs.next();
      malformed = rs.getLong(1);
      if (rs.getLong(2) > 0) {
        return false;
      }
    }
    // rejects by physical line: {reason, raw}
    Map<Long, String[]> rejects = new TreeMap<>();
    if (malformed > 0 && !malformed(total, malformed, rejects)) {
      return false;
    }
    Set<Long> duplicates = duplicates(s, rejects, total);
    if (flagged > 0 && !index(total)) {
      return false;
    }
    s.execute("CREATE TEMP TABLE " + JUDGED + " (" + PARSED_COLUMNS + ")");
    if (flagged > 0) {
      judge(c, s, rejects, duplicates);
    }
    if (!rejects.isEmpty() && context.strict()) {
      Map.Entry<Long, String[]> first = rejects.entrySet().iterator().next();
      throw ExportLoader.strictError(fileName + ":" + first.getKey(), new Exception(first.getValue()[0]));
    }
    parsedRows(c, s, duplicates);
    names(c, s);
    c.setAutoCommit(false);
    try {
      loaded = write(c, s);
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
    references(s);
    run.writeReferences();
    for (Map.Entry<Long, String[]> r : rejects.entrySet()) {
      session.reject(entityTable, fileName + ":" + r.getKey(), r.getValue()[0], r.getValue()[1]);
    }
    rejected = rejects.size();
    return true;
  }

  /** SQL text literal. */
  private static String literal(String v) {
    return v == null ? "NULL" : "'" + v.replace("'", "''") + "'";
  }

  /** The first non-blank cell of {@code f}, stripped (as the row path's {@code text}); NULL when none. */
  private String text(Field f) {
    List<Integer> cols = columns.indices(f);
    if (cols.isEmpty()) {
      return "CAST(NULL AS VARCHAR)";
    }
    StringJoiner j = new StringJoiner(", ", "coalesce(", ")");
    for (int i : cols) {
      j.add(trimmed("c" + i));
    }
    return cols.size() == 1 ? trimmed("c" + cols.get(0)) : j.toString();
  }

  private static String trimmed(String raw) {
    return "nullif(trim(" + raw + ", " + literal(WHITESPACE) + "), '')";
  }

  private static String match(String expr, String regex) {
    return "regexp_full_match(" + expr + ", " + literal(regex) + ")";
  }

  /** The decimal separators a plain number may have: a declared thousands separator is not one. */
  private String decimalSeparators() {
    Character t = profile.thousandsSeparator;
    return t != null && t == '.' ? "," : t != null && t == ',' ? "." : ".,";
  }

  /** SQL for the amount of trimmed text {@code t}; NULL when its shape is not plain. */
  private String amount(String t) {
    String sep = "[" + decimalSeparators().replace(".", "\\.") + "][0-9]{1,2}";
    String groups = "[ \\x{A0}\\x{202F}]";
    return "CASE WHEN " + match(t, "-?[0-9]{1,16}(" + sep + ")?") + " THEN CAST(replace(" + t
        + ", ',', '.') AS DECIMAL(18,2)) "
        + "WHEN " + match(t, "-?[0-9]{1,3}(" + groups + "[0-9]{3}){1,4}(" + sep + ")?") + " THEN CAST(replace("
        + "regexp_replace(" + t + ", " + literal(groups) + ", '', 'g'), ',', '.') AS DECIMAL(18,2)) END";
  }

  /** SQL for the probability (0..1) of trimmed text {@code t}; NULL when its shape is not plain. */
  private String probability(String t) {
    String sep = "[" + decimalSeparators().replace(".", "\\.") + "][0-9]{1,2}";
    String v = "CAST(replace(replace(" + t + ", '%', ''), ',', '.') AS DOUBLE)";
    return "CASE WHEN " + match(t, "[0-9]{1,3}(" + sep + ")?%?") + " THEN (CASE WHEN " + v + " > 1 THEN " + v
        + " / 100 ELSE " + v + " END) END";
  }

  /** SQL for the time of trimmed text {@code t} (wall clock of the reporting zone); NULL when not plain. */
  private static String time(String t) {
    return "CASE WHEN " + match(t, ISO_TIME) + " THEN TRY_CAST(" + t + " AS TIMESTAMP) "
        + "WHEN " + match(t, ISO_DATE) + " THEN CAST(TRY_CAST(" + t + " AS DATE) AS TIMESTAMP) "
        + "WHEN " + match(t, DOT_TIME) + " THEN try_strptime(" + t + ", ['%d.%m.%Y %H:%M:%S', '%d.%m.%Y %H:%M']) "
        + "WHEN " + match(t, DOT_DATE) + " THEN try_strptime(" + t + ", '%d.%m.%Y') END";
  }

  private String nullDate(String t) {
    StringJoiner in = new StringJoiner(", ");
    profile.nullDates.forEach(d -> in.add(literal(d)));
    return "lower(" + t + ") IN (" + in + ")";
  }

  /**
   * Local times the reporting zone skips (spring forward): the row path moves them past the gap,
   * so rows with such a time are flagged. One row per day a gap touches, 1900-2100.
   */
  private void gaps(Connection c, Statement s) throws SQLException {
    s.execute("CREATE OR REPLACE TEMP TABLE " + GAPS + " (d DATE, s TIMESTAMP, e TIMESTAMP)");
    ZoneRules rules = context.timezone().getRules();
    if (rules.isFixedOffset()) {
      return;
    }
    try (DuckDBAppender a = ((DuckDBConnection) c).createAppender("temp", "main", GAPS)) {
      Instant at = LocalDateTime.of(1900, 1, 1, 0, 0).toInstant(ZoneOffset.UTC);
      Instant end = LocalDateTime.of(2100, 1, 1, 0, 0).toInstant(ZoneOffset.UTC);
      for (ZoneOffsetTransition t = rules.nextTransition(at); t != null && t.getInstant().isBefore(end);
          t = rules.nextTransition(t.getInstant())) {
        if (t.isGap()) {
          for (LocalDateTime d = t.getDateTimeBefore().toLocalDate().atStartOfDay(); d.isBefore(t.getDateTimeAfter());
              d = d.plusDays(1)) {
            a.beginRow();
            a.append(d.toLocalDate());
            a.appendEpochMicros(micros(t.getDateTimeBefore()));
            a.appendEpochMicros(micros(t.getDateTimeAfter()));
            a.endRow();
          }
        }
      }
    }
  }

  private static long micros(LocalDateTime t) {
    return Math.addExact(Math.multiplyExact(t.toEpochSecond(ZoneOffset.UTC), 1_000_000L), t.getNano() / 1_000);
  }

  /**
   * Reads the file into {@link #X}: per row the fields as the row path would have them (where
   * plain), the raw cells of the custom-field columns, whether every cell is blank, whether a cell
   * is not plain (flag).
   */
  private void read(Connection c) throws SQLException {
    int width = head.headers().size();
    StringJoiner types = new StringJoiner(", ", "{", "}");
    for (int i = 0; i < width; i++) {
      types.add("'c" + i + "': 'VARCHAR'");
    }
    if (trailing) {
      types.add("'c_trailing': 'VARCHAR'");
    }
    // the trimmed texts, then what they read as
    StringJoiner inner = new StringJoiner(", ");
    for (Field f : Field.values()) {
      inner.add(text(f) + " AS t_" + f.name().toLowerCase());
    }
    for (int i : columns.custom()) {
      inner.add("c" + i);
    }
    StringJoiner blank = new StringJoiner(" AND ");
    for (int i = 0; i < width; i++) {
      blank.add(trimmed("c" + i) + " IS NULL");
    }
    if (trailing) {
      blank.add(trimmed("c_trailing") + " IS NULL");
    }
    // all cells blank: a row the row path skips; only asked of rows without an id
    inner.add("CASE WHEN " + text(Field.ID) + " IS NULL THEN (" + blank + ") ELSE false END AS x_blank");
    inner.add((trailing ? "c_trailing IS NOT NULL" : "false") + " AS x_extra");

    StringJoiner outer = new StringJoiner(", ");
    List<String> flags = new ArrayList<>();
    outer.add("regexp_replace(t_id, '\\.0+$', '') AS x_id");
    flags.add("t_id IS NULL");
    flags.add("x_extra");
    outer.add("t_title AS x_title");
    outer.add(amount("t_amount") + " AS x_amount");
    flags.add("(t_amount IS NOT NULL AND x_amount IS NULL)");
    outer.add("CASE WHEN " + match("t_currency", "[A-Za-z]{3}") + " THEN upper(t_currency) END AS x_currency");
    flags.add("(t_currency IS NOT NULL AND x_currency IS NULL)");
    outer.add(probability("t_probability") + " AS x_probability");
    flags.add("(t_probability IS NOT NULL AND x_probability IS NULL)");
    boolean gaps = !context.timezone().getRules().isFixedOffset();
    for (String f : List.of("created_at", "updated_at", "closed_at")) {
      String t = "t_" + f;
      outer.add(time(t) + " AS x_" + f);
      flags.add("(" + t + " IS NOT NULL AND x_" + f + " IS NULL AND NOT " + nullDate(t) + ")");
      if (gaps) {
        String v = "x_" + f;
        flags.add("(" + v + " IS NOT NULL AND (" + v + " NOT BETWEEN TIMESTAMP '1900-01-02' AND TIMESTAMP '2099-12-31'"
            + " OR EXISTS (SELECT 1 FROM " + GAPS + " g WHERE g.d = CAST(" + v + " AS DATE) AND " + v + " >= g.s AND "
            + v + " < g.e)))");
      }
    }
    for (Field f : List.of(Field.STAGE, Field.PIPELINE, Field.OWNER, Field.UTM_SOURCE, Field.UTM_MEDIUM,
        Field.UTM_CAMPAIGN, Field.SOURCE, Field.LOSS_REASON, Field.STATUS, Field.IS_WON, Field.IS_CLOSED)) {
      String n = f.name().toLowerCase();
      outer.add("t_" + n + " AS x_" + n);
    }
    outer.add(multi("t_company") + " AS x_company");
    outer.add(multi("t_contact") + " AS x_contact");
    outer.add("trim(regexp_extract(t_company_id, '^[^;,]*'), " + literal(WHITESPACE) + ") AS x_company_id");
    outer.add("trim(regexp_extract(t_contact_id, '^[^;,]*'), " + literal(WHITESPACE) + ") AS x_contact_id");
    for (int i : columns.custom()) {
      outer.add("c" + i);
    }
    outer.add("x_blank");
    // a flag that comes out NULL (unknown) sends the row to the row path too
    outer.add("coalesce(" + String.join(" OR ", flags) + ", true) AS x_flag");

    String path = file.toAbsolutePath().toString().replace("'", "''");
    String sql = "CREATE TEMP TABLE " + X + " AS SELECT " + outer + " FROM (SELECT " + inner + " FROM read_csv('"
        + path + "', header = true, delim = " + literal(String.valueOf(delimiter)) + ", quote = '\"', escape = '\"', "
        + "auto_detect = false, strict_mode = true, null_padding = false, encoding = 'utf-8', store_rejects = true, "
        + "rejects_table = '" + REJECTS + "', rejects_scan = 'crmkpi_export_scans', columns = " + types + "))";
    SqlProgress.execute(c, sql, fileName, "read", context, SqlProgress.EVERY_MS);
  }

  /** Of a cell listing several companies/contacts, the first (the deal's); NULL when it is empty. */
  private String multi(String t) {
    if (profile.multiValueSeparator == null) {
      return t;
    }
    return "nullif(trim(split_part(" + t + ", " + literal(String.valueOf(profile.multiValueSeparator)) + ", 1), "
        + literal(WHITESPACE) + "), '')";
  }

  /**
   * The deal kinds of every distinct (stage, status, won, closed, probability) of the rows SQL
   * read, by the row path's rules; a combination those rules refuse flags its rows.
   */
  private void kinds(DuckDBConnection c, Statement s) throws SQLException {
    s.execute("CREATE TEMP TABLE " + KINDS + " (stage VARCHAR, status VARCHAR, won VARCHAR, closed VARCHAR, "
        + "probability DOUBLE, kind VARCHAR, stage_kind VARCHAR, deleted BOOLEAN)");
    List<Object[]> combos = new ArrayList<>();
    boolean refused = false;
    try (ResultSet rs = s.executeQuery("SELECT DISTINCT x_stage, x_status, x_is_won, x_is_closed, x_probability FROM "
        + X + " WHERE NOT x_flag")) {
      while (rs.next()) {
        Double p = rs.getObject(5) == null ? null : rs.getDouble(5);
        combos.add(new Object[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), p});
      }
    }
    try (DuckDBAppender a = c.createAppender("temp", "main", KINDS)) {
      for (Object[] k : combos) {
        Kinds kinds;
        try {
          kinds = run.kinds((String) k[0], (String) k[1], (String) k[2], (String) k[3], (Double) k[4]);
        } catch (ExportLoader.FieldException e) {
          refused = true;
          continue; // the row path words the error, with the row's line
        }
        a.beginRow();
        for (int i = 0; i < 4; i++) {
          append(a, (String) k[i]);
        }
        if (k[4] == null) {
          a.appendNull();
        } else {
          a.append((Double) k[4]);
        }
        a.append(kinds.kind());
        a.append(kinds.stageKind());
        a.append(kinds.deleted());
        a.endRow();
      }
    }
    if (!refused) {
      return;
    }
    // rows whose combination has no kind: judged by the row path
    s.execute("UPDATE " + X + " SET x_flag = true WHERE NOT x_flag AND NOT EXISTS (SELECT 1 FROM " + KINDS + " k "
        + "WHERE k.stage IS NOT DISTINCT FROM x_stage AND k.status IS NOT DISTINCT FROM x_status "
        + "AND k.won IS NOT DISTINCT FROM x_is_won AND k.closed IS NOT DISTINCT FROM x_is_closed "
        + "AND k.probability IS NOT DISTINCT FROM x_probability)");
  }

  private static void append(DuckDBAppender a, String v) throws SQLException {
    if (v == null) {
      a.appendNull();
    } else {
      a.append(v);
    }
  }

  /**
   * Rows whose id an earlier row had (the row path checks ids before values, so a flagged row
   * counts too): rejected as duplicates; returns their row numbers.
   */
  private Set<Long> duplicates(Statement s, Map<Long, String[]> rejects, long total)
      throws SQLException, SourceException {
    List<long[]> pairs = new ArrayList<>(); // {row, first row of its id}
    List<String> ids = new ArrayList<>();
    Set<Long> rows = new HashSet<>();
    // one hash aggregation tells whether any id repeats; only then are its rows looked up
    s.execute("CREATE OR REPLACE TEMP TABLE crmkpi_export_dup AS SELECT x_id FROM " + X
        + " WHERE x_id IS NOT NULL GROUP BY x_id HAVING count(*) > 1");
    try (ResultSet rs = s.executeQuery("SELECT count(*) FROM crmkpi_export_dup")) {
      rs.next();
      if (rs.getLong(1) == 0) {
        return rows;
      }
    }
    try (ResultSet rs = s.executeQuery("SELECT r, first_r, x_id FROM (SELECT rowid AS r, x_id, "
        + "min(rowid) OVER (PARTITION BY x_id) AS first_r FROM " + X
        + " WHERE x_id IN (SELECT x_id FROM crmkpi_export_dup)) WHERE r > first_r ORDER BY r")) {
      while (rs.next()) {
        pairs.add(new long[] {rs.getLong(1), rs.getLong(2)});
        ids.add(rs.getString(3));
      }
    }
    if (!index(total)) {
      throw new SourceException(fileName + ": the file changed while it was read; load again");
    }
    for (int i = 0; i < pairs.size(); i++) {
      long r = pairs.get(i)[0];
      rows.add(r);
      rejects.put(index.line((int) r), new String[] {"duplicate id '" + ids.get(i) + "' (first on line "
          + index.line((int) pairs.get(i)[1]) + ")", raw(values(r))});
    }
    return rows;
  }

  /**
   * Rejects the records DuckDB's reader set aside for their number of values, as the row path words
   * it (a record of blank values is skipped, as there); false when the index does not see them as
   * DuckDB did, or the row path would read one as a row of the header's width (a Bitrix24 line
   * without its trailing separator): the row path then loads the file.
   */
  private boolean malformed(long total, long malformed, Map<Long, String[]> rejects) throws SourceException {
    if (!index(total) || index.malformed().length != malformed) {
      return false;
    }
    int width = head.headers().size();
    for (int record : index.malformed()) {
      List<String> values;
      try {
        values = index.recordValues(record);
      } catch (IOException e) {
        throw new SourceException(fileName + ":" + index.recordLine(record) + ": cannot read: " + e.getMessage(), e);
      }
      if (values.stream().allMatch(String::isBlank)) {
        continue;
      }
      if (values.size() == width) {
        return false;
      }
      rejects.put(index.recordLine(record), new String[] {"has " + values.size() + " columns, the header has " + width,
          raw(values)});
    }
    return true;
  }

  /** Builds {@link #index}; false when it does not see the rows DuckDB read. */
  private boolean index(long total) throws SourceException {
    if (index != null) {
      return true;
    }
    try {
      CSVFormat format = CSVFormat.RFC4180.builder().setDelimiter(delimiter).setIgnoreEmptyLines(false)
          .setTrailingDelimiter(trailing).setIgnoreSurroundingSpaces(false).get();
      index = CsvRecordIndex.of(file, head.headers().size() + (trailing ? 1 : 0), format);
      return index.count() == total;
    } catch (IOException e) {
      throw new SourceException(fileName + ": cannot read: " + e.getMessage(), e);
    }
  }

  private List<String> values(long row) throws SourceException {
    try {
      return index.values((int) row);
    } catch (IOException e) {
      throw new SourceException(fileName + ":" + index.line((int) row) + ": cannot read: " + e.getMessage(), e);
    }
  }

  /** A row as the row path keeps it in crm.load_rejects. */
  private String raw(List<String> values) {
    return String.join(String.valueOf(delimiter), values);
  }

  /** Judges every flagged row (not a duplicate, not blank) by the row path's rules. */
  private void judge(DuckDBConnection c, Statement s, Map<Long, String[]> rejects, Set<Long> duplicates)
      throws SQLException, SourceException {
    List<Long> rows = new ArrayList<>();
    try (ResultSet rs = s.executeQuery("SELECT rowid FROM " + X + " WHERE x_flag AND NOT x_blank ORDER BY rowid")) {
      while (rs.next()) {
        rows.add(rs.getLong(1));
      }
    }
    try (DuckDBAppender a = c.createAppender("temp", "main", JUDGED)) {
      for (long r : rows) {
        if (duplicates.contains(r)) {
          continue; // a duplicate id: rejected before its values are read
        }
        List<String> values = values(r);
        ExportTable.Row row = new ExportTable.Row((int) index.line((int) r), values, raw(values));
        if (values.stream().allMatch(String::isBlank)) {
          continue;
        }
        Parsed p;
        try {
          p = run.parseRow(row, false);
        } catch (ExportLoader.RowException e) {
          rejects.put((long) row.line(), new String[] {e.getMessage(), row.raw()});
          continue;
        }
        appendParsed(a, r, p);
      }
    }
  }

  private static void appendParsed(DuckDBAppender a, long r, Parsed p) throws SQLException {
    a.beginRow();
    a.append(r);
    append(a, p.id());
    append(a, p.title());
    if (p.amount() == null) {
      a.appendNull();
    } else {
      BigDecimal d = p.amount().setScale(2, RoundingMode.HALF_UP);
      if (d.precision() <= 18) {
        a.appendDecimal(d.unscaledValue().longValue());
      } else {
        a.append(d); // out of DECIMAL(18, 2): the appender words the error, as the row path's
      }
    }
    append(a, p.currency());
    if (p.probability() == null) {
      a.appendNull();
    } else {
      a.append(p.probability().doubleValue());
    }
    for (LocalDateTime t : new LocalDateTime[] {p.created(), p.updated(), p.closed()}) {
      if (t == null) {
        a.appendNull();
      } else {
        a.appendEpochMicros(micros(t));
      }
    }
    for (String v : new String[] {p.stageName(), p.pipelineName(), p.owner(), p.company(), p.companyId(), p.contact(),
        p.contactId(), p.utmSource(), p.utmMedium(), p.utmCampaign(), p.source(), p.lossReason(), p.kind(),
        p.stageKind()}) {
      append(a, v);
    }
    a.append(p.deleted());
    a.endRow();
  }

  /**
   * {@link #P}: the rows that load, in the shape of {@link Parsed}: those SQL read (with their
   * kinds; an open deal has no close time, a closed one at least its update time) and those the
   * row path judged.
   */
  private void parsedRows(DuckDBConnection c, Statement s, Set<Long> duplicates) throws SQLException {
    String skip = "";
    if (!duplicates.isEmpty()) {
      s.execute("CREATE OR REPLACE TEMP TABLE crmkpi_export_skip (r BIGINT)");
      try (DuckDBAppender a = c.createAppender("temp", "main", "crmkpi_export_skip")) {
        for (long r : duplicates) {
          a.beginRow();
          a.append(r);
          a.endRow();
        }
      }
      skip = " AND x.rowid NOT IN (SELECT r FROM crmkpi_export_skip)";
    }
    String currency = profile.defaultCurrency == null ? "x.x_currency"
        : "coalesce(x.x_currency, CASE WHEN x.x_amount IS NOT NULL THEN " + literal(profile.defaultCurrency) + " END)";
    String pipeline = "coalesce(x.x_pipeline, " + literal(profile.defaultPipeline) + ")";
    s.execute("CREATE TEMP TABLE " + P + " AS SELECT x.rowid AS r, x.x_id AS id, x.x_title AS title, "
        + "x.x_amount AS amount, " + currency + " AS currency, x.x_probability AS probability, "
        + "x.x_created_at AS created, x.x_updated_at AS updated, "
        + "CASE WHEN k.kind = 'open' THEN NULL ELSE coalesce(x.x_closed_at, x.x_updated_at) END AS closed, "
        + "x.x_stage AS stage_name, " + pipeline + " AS pipeline_name, x.x_owner AS owner, x.x_company AS company, "
        + "x.x_company_id AS company_id, x.x_contact AS contact, x.x_contact_id AS contact_id, "
        + "x.x_utm_source AS utm_source, x.x_utm_medium AS utm_medium, x.x_utm_campaign AS utm_campaign, "
        + "x.x_source AS source, x.x_loss_reason AS loss_reason, k.kind, k.stage_kind, k.deleted "
        + "FROM " + X + " x JOIN " + KINDS + " k ON k.stage IS NOT DISTINCT FROM x.x_stage "
        + "AND k.status IS NOT DISTINCT FROM x.x_status AND k.won IS NOT DISTINCT FROM x.x_is_won "
        + "AND k.closed IS NOT DISTINCT FROM x.x_is_closed AND k.probability IS NOT DISTINCT FROM x.x_probability "
        + "WHERE NOT x.x_flag" + skip + " UNION ALL SELECT * FROM " + JUDGED);
  }

  /** The ids of the names the rows give, each worked out once by the row path's rules. */
  private void names(DuckDBConnection c, Statement s) throws SQLException {
    dictionary(c, s, "users", "SELECT DISTINCT owner FROM " + P + " WHERE owner IS NOT NULL",
        n -> StableIds.of("user", n[0]));
    dictionary(c, s, "pipelines", "SELECT DISTINCT pipeline_name FROM " + P, n -> StableIds.of("pipeline", n[0]));
    dictionary(c, s, "stages", "SELECT DISTINCT stage_name, pipeline_name FROM " + P + " WHERE stage_name IS NOT NULL",
        n -> StableIds.stage(StableIds.of("pipeline", n[1]), n[0]));
    dictionary(c, s, "companies", "SELECT DISTINCT company FROM " + P + " WHERE company_id IS NULL "
        + "AND company IS NOT NULL", n -> run.names.id("company", n[0]));
    dictionary(c, s, "contacts", "SELECT DISTINCT contact FROM " + P + " WHERE contact_id IS NULL "
        + "AND contact IS NOT NULL", n -> run.names.id("contact", n[0]));
    dictionary(c, s, "channels", "SELECT DISTINCT coalesce(utm_source, source) FROM " + P,
        n -> run.channels.channel(n[0]));
  }

  /** A temporary table {@code crmkpi_export_<name>} (name, other, id) of what {@code id} gives each distinct value. */
  private void dictionary(DuckDBConnection c, Statement s, String name, String distinct,
      Function<String[], String> id) throws SQLException {
    String table = "crmkpi_export_" + name;
    s.execute("CREATE OR REPLACE TEMP TABLE " + table + " (name VARCHAR, other VARCHAR, id VARCHAR)");
    List<String[]> keys = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(distinct)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        keys.add(new String[] {rs.getString(1), n > 1 ? rs.getString(2) : null});
      }
    }
    try (DuckDBAppender a = c.createAppender("temp", "main", table)) {
      for (String[] k : keys) {
        a.beginRow();
        append(a, k[0]);
        append(a, k[1]);
        append(a, id.apply(k));
        a.endRow();
      }
    }
  }

  /** The loading rows with their names turned into ids (the columns the row path's register gives). */
  private String resolved() {
    boolean deal = profile.entity.equals("deal");
    return "SELECT p.r, p.id, p.title, " + (deal ? "pl.id" : "CAST(NULL AS VARCHAR)") + " AS pipeline_id, "
        + (deal ? "st.id" : "CAST(NULL AS VARCHAR)") + " AS stage_id, p.kind, p.stage_kind, p.probability, "
        + "p.amount, p.currency, p.created, p.closed, p.updated, u.id AS owner_id, p.owner, "
        + "p.contact, coalesce(p.contact_id, ct.id) AS contact_id, p.company, "
        + "coalesce(p.company_id, co.id) AS company_id, p.pipeline_name, p.stage_name, ch.id AS channel, "
        + "p.utm_source, p.utm_medium, p.utm_campaign, p.loss_reason, p.deleted "
        + "FROM " + P + " p "
        + "LEFT JOIN crmkpi_export_users u ON u.name = p.owner "
        + "LEFT JOIN crmkpi_export_pipelines pl ON pl.name = p.pipeline_name "
        + "LEFT JOIN crmkpi_export_stages st ON st.name = p.stage_name AND st.other = p.pipeline_name "
        + "LEFT JOIN crmkpi_export_companies co ON p.company_id IS NULL AND co.name = p.company "
        + "LEFT JOIN crmkpi_export_contacts ct ON p.contact_id IS NULL AND ct.name = p.contact "
        + "LEFT JOIN crmkpi_export_channels ch ON ch.name IS NOT DISTINCT FROM coalesce(p.utm_source, p.source)";
  }

  /** Writes the deals (and leads) and custom fields of the loading rows; returns how many rows loaded. */
  private long write(DuckDBConnection c, Statement s) throws SQLException {
    s.execute("CREATE OR REPLACE TEMP VIEW crmkpi_export_resolved AS " + resolved());
    String v = "crmkpi_export_resolved";
    long n;
    if (profile.entity.equals("lead")) {
      n = SqlProgress.execute(c, "INSERT INTO crm.leads (lead_id, title, created_at, updated_at, status, channel, "
          + "utm_source, utm_medium, utm_campaign, owner_user_id, contact_id, company_id) SELECT id, title, created, "
          + "updated, CASE kind WHEN 'won' THEN 'converted' WHEN 'lost' THEN 'junk' ELSE 'open' END, channel, "
          + "utm_source, utm_medium, utm_campaign, owner_id, contact_id, company_id FROM " + v, fileName, "written",
          context, SqlProgress.EVERY_MS);
    } else {
      n = SqlProgress.execute(c, "INSERT INTO crm.deals (deal_id, title, pipeline_id, stage_id, status, amount, "
          + "currency, created_at, closed_at, updated_at, owner_user_id, contact_id, company_id, lead_id, channel, "
          + "utm_source, utm_medium, utm_campaign, loss_reason, is_deleted) SELECT id, title, pipeline_id, stage_id, "
          + "kind, amount, currency, created, closed, updated, owner_id, contact_id, company_id, "
          + (profile.alsoLead ? "id" : "NULL") + ", channel, utm_source, utm_medium, utm_campaign, "
          + "CASE WHEN kind = 'lost' THEN loss_reason END, deleted FROM " + v, fileName, "written", context,
          SqlProgress.EVERY_MS);
      if (profile.alsoLead) {
        s.execute("INSERT INTO crm.leads (lead_id, title, created_at, updated_at, status, channel, utm_source, "
            + "utm_medium, utm_campaign, owner_user_id, contact_id, company_id, converted_deal_id) SELECT id, title, "
            + "created, updated, 'converted', channel, utm_source, utm_medium, utm_campaign, owner_id, contact_id, "
            + "company_id, id FROM " + v);
      }
    }
    if (!columns.custom().isEmpty()) {
      StringJoiner union = new StringJoiner(" UNION ALL ");
      for (int i : columns.custom()) {
        String value = trimmed("x.c" + i);
        union.add("SELECT " + literal(profile.entity) + ", p.id, " + literal(columns.ids().get(i)) + ", "
            + literal(columns.headers().get(i).strip()) + ", " + value + " FROM " + P + " p JOIN " + X
            + " x ON x.rowid = p.r WHERE " + value + " IS NOT NULL");
      }
      s.execute("INSERT INTO crm.custom_fields (entity, entity_id, field_id, field_name, value) " + union);
    }
    return n;
  }

  /**
   * Users, pipelines, stages, companies and contacts of the loaded rows, as the row path notes them
   * row by row: first-seen names, in file order; the row path's writer then adds the new ones.
   */
  private void references(Statement s) throws SQLException {
    String v = "crmkpi_export_resolved";
    try (ResultSet rs = s.executeQuery("SELECT owner_id, arg_min(owner, r) FROM " + v + " WHERE owner_id IS NOT NULL "
        + "GROUP BY owner_id ORDER BY min(r)")) {
      while (rs.next()) {
        run.users.putIfAbsent(rs.getString(1), rs.getString(2));
      }
    }
    if (profile.entity.equals("deal")) {
      try (ResultSet rs = s.executeQuery("SELECT pipeline_id, arg_min(pipeline_name, r), count(*) FROM " + v
          + " GROUP BY pipeline_id ORDER BY min(r)")) {
        while (rs.next()) {
          run.pipelines.putIfAbsent(rs.getString(1), rs.getString(2).strip());
          run.pipelineDeals.merge(rs.getString(1), (int) rs.getLong(3), Integer::sum);
        }
      }
      boolean perDeal = profile.statusPerDeal;
      try (ResultSet rs = s.executeQuery("SELECT stage_id, arg_min(pipeline_id, r), arg_min(stage_name, r), "
          + "arg_min(stage_kind, r), arg_min(stage_kind, r) FILTER (WHERE stage_kind <> 'open'), max(probability) "
          + "FROM " + v + " WHERE stage_name IS NOT NULL GROUP BY stage_id ORDER BY min(r)")) {
        while (rs.next()) {
          String id = rs.getString(1);
          String kind = rs.getString(4);
          if (kind.equals("open") && !perDeal && rs.getString(5) != null) {
            kind = rs.getString(5); // a later row's kind settles an open first sight
          }
          ExportLoader.StageSeen st = run.stages.get(id);
          if (st == null) {
            st = new ExportLoader.StageSeen(id, rs.getString(2), rs.getString(3).strip(), kind, run.stages.size());
            run.stages.put(id, st);
          }
          Object p = rs.getObject(6);
          if (p != null) {
            st.probability = rs.getDouble(6);
          }
        }
      }
    }
    try (ResultSet rs = s.executeQuery("SELECT company_id, arg_min(company, r) FROM " + v
        + " WHERE company_id IS NOT NULL AND company IS NOT NULL GROUP BY company_id ORDER BY min(r)")) {
      while (rs.next()) {
        run.companies.putIfAbsent(rs.getString(1), rs.getString(2));
      }
    }
    try (ResultSet rs = s.executeQuery("SELECT contact_id, arg_min(contact, r), arg_min_null(company_id, r) FROM " + v
        + " WHERE contact_id IS NOT NULL AND contact IS NOT NULL GROUP BY contact_id ORDER BY min(r)")) {
      while (rs.next()) {
        run.contacts.putIfAbsent(rs.getString(1), new String[] {rs.getString(2), rs.getString(3)});
      }
    }
  }
}
