package io.crmkpi.files.exports;

import static io.crmkpi.files.exports.ExportBulkSql.amount;
import static io.crmkpi.files.exports.ExportBulkSql.moneyAffix;
import static io.crmkpi.files.exports.ExportBulkSql.moneyCore;
import static io.crmkpi.files.exports.ExportBulkSql.moneyPrefix;
import static io.crmkpi.files.exports.ExportBulkSql.moneySuffix;
import static io.crmkpi.files.exports.ExportBulkSql.firstListed;
import static io.crmkpi.files.exports.ExportBulkSql.literal;
import static io.crmkpi.files.exports.ExportBulkSql.trimmed;

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
import io.crmkpi.store.Store;
import io.crmkpi.store.TableWriter;
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
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Loads a CSV deal or lead export with DuckDB's own parallel CSV reader, as {@code CanonicalCsvBulkLoad}
 * does for canonical files. Cells are trimmed and converted in SQL where their text has a "plain
 * shape" whose SQL conversion equals {@link ExportValues}' ({@code 1500.50}, {@code 1 000,50},
 * {@code 2024-01-31 10:00}, {@code 31.01.2024 10:00:00}: {@link ExportBulkSql}); what depends on
 * few distinct values (deal kinds from stage/status/won/closed/probability, currencies, ids of
 * owners, pipelines, stages, companies, contacts, channels: {@link ExportBulkNames}) is worked out
 * once per distinct value by the row path's own code ({@link ExportLoader.Run}) and joined back.
 * A row with any other cell is "flagged": read again from the file and judged whole by the row
 * path, so both paths load and reject the same rows with the same reasons. Users, pipelines,
 * stages, companies and contacts go through the row path's own writer, fed by aggregates in file
 * order.
 *
 * <p>Used for CSV files and workbooks ({@link ExportBulkInput}: other encodings and workbooks
 * through a UTF-8 copy) whose times are in the reporting zone, with an id column and no date
 * patterns of their own; {@link #load} returns false before anything is written when DuckDB's
 * reader refuses the file (another number of values than the header, a stray quote...) or most
 * rows are flagged, and the row path reads the file.
 */
final class ExportBulkLoad {

  static final String X = "crmkpi_export";
  private static final String KINDS = "crmkpi_export_kinds";
  static final String JUDGED = "crmkpi_export_judged";
  private static final String GAPS = "crmkpi_export_gaps";
  /** Rows DuckDB's reader set aside, with the reason (store_rejects). */
  private static final String REJECTS = "crmkpi_export_rejects";
  private static final String[] NAME_TABLES = {"users", "pipelines", "stages", "companies", "contacts", "channels"};
  /** Above this many flagged rows, and a tenth of the file, the row path is the cheaper one. */
  static final long MAX_FLAGGED = 10_000;

  /** The parsed row columns, as {@link Parsed} has them (the SQL rows and the judged rows alike). */
  private static final String PARSED_COLUMNS = "r BIGINT, id VARCHAR, title VARCHAR, amount DECIMAL(18,2), "
      + "currency VARCHAR, probability DOUBLE, created TIMESTAMP, updated TIMESTAMP, closed TIMESTAMP, "
      + "stage_name VARCHAR, pipeline_name VARCHAR, owner VARCHAR, company VARCHAR, company_id VARCHAR, "
      + "contact VARCHAR, contact_id VARCHAR, utm_source VARCHAR, utm_medium VARCHAR, utm_campaign VARCHAR, "
      + "source VARCHAR, loss_reason VARCHAR, kind VARCHAR, stage_kind VARCHAR, deleted BOOLEAN, expected DATE";

  private final ExportBulkInput input;
  private final Path file;
  private final String fileName;
  private final ExportTable head;
  private final ExportProfile profile;
  private final ExportLoader.Run run;
  private final ExportBulkSql sql;
  private final Columns columns;
  private final LoadSession session;
  private final SourceContext context;
  private final char delimiter;
  private final boolean trailing;
  /** crm.deals or crm.leads. */
  private final String entityTable;
  /** Where each record starts; built only when a row is flagged or an id repeats. */
  private CsvRecordIndex index;
  /** The kinds of each (stage, status, won, closed, probability) the SQL-read rows have. */
  private final Map<List<Object>, Kinds> kindsSeen = new java.util.HashMap<>();
  private long loaded;
  private long rejected;

  /** Loads {@code input} (the export named {@code fileName}, or its UTF-8 copy). */
  ExportBulkLoad(ExportBulkInput input, String fileName, ExportProfile profile, ExportLoader.Run run,
      LoadSession session, SourceContext context) {
    this.input = input;
    this.file = input.path();
    this.fileName = fileName;
    this.head = input.head();
    this.profile = profile;
    this.run = run;
    this.sql = new ExportBulkSql(profile, run.values.dayFirstSlashes());
    this.columns = run.columns;
    this.session = session;
    this.context = context;
    this.delimiter = head.shape().delimiter(); // a forced one was checked equal (ExportBulkInput)
    this.trailing = head.shape().trailingDelimiter();
    this.entityTable = profile.entity.equals("lead") ? "leads" : "deals";
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
        for (String t : List.of(X, KINDS, JUDGED, GAPS, REJECTS, "crmkpi_export_scans", "crmkpi_export_dup",
            "crmkpi_export_skip")) {
          s.execute("DROP TABLE IF EXISTS " + t);
        }
        for (String t : NAME_TABLES) {
          s.execute("DROP TABLE IF EXISTS crmkpi_export_" + t);
        }
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
    long malformed = CsvRecordIndex.widthRejects(s, REJECTS);
    if (malformed < 0) {
      return false;
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
      throw ExportLoader.strictError(fileName + ":" + shown(first.getKey()), new Exception(first.getValue()[0]));
    }
    String loading = loadingRows(c, s, duplicates);
    new ExportBulkNames(c, s, run, profile, kindsSeen).build(loading);
    loaded = Store.inTransaction(c, () -> write(c, s, loading));
    run.writeReferences();
    for (Map.Entry<Long, String[]> r : rejects.entrySet()) {
      session.reject(entityTable, fileName + ":" + shown(r.getKey()), r.getValue()[0], r.getValue()[1]);
    }
    rejected = rejects.size();
    return true;
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

  /**
   * Local times the row path reads otherwise than a plain conversion: those the file's zone skips
   * (spring forward; java.time moves them past the gap) and, when times are moved to another
   * reporting zone, those it has twice (fall back; java.time takes the earlier offset). Rows with
   * such a time are flagged. One row per day a transition touches, 1900-2100.
   */
  private void gaps(Connection c, Statement s) throws SQLException {
    s.execute("CREATE OR REPLACE TEMP TABLE " + GAPS + " (d DATE, s TIMESTAMP, e TIMESTAMP)");
    ZoneRules rules = run.values.fileZone().getRules();
    if (rules.isFixedOffset()) {
      return;
    }
    boolean overlaps = shifted();
    try (DuckDBAppender a = ((DuckDBConnection) c).createAppender("temp", "main", GAPS)) {
      Instant at = LocalDateTime.of(1900, 1, 1, 0, 0).toInstant(ZoneOffset.UTC);
      Instant end = LocalDateTime.of(2100, 1, 1, 0, 0).toInstant(ZoneOffset.UTC);
      for (ZoneOffsetTransition t = rules.nextTransition(at); t != null && t.getInstant().isBefore(end);
          t = rules.nextTransition(t.getInstant())) {
        if (t.isGap() || overlaps) {
          LocalDateTime from = t.isGap() ? t.getDateTimeBefore() : t.getDateTimeAfter();
          LocalDateTime to = t.isGap() ? t.getDateTimeAfter() : t.getDateTimeBefore();
          for (LocalDateTime d = from.toLocalDate().atStartOfDay(); d.isBefore(to); d = d.plusDays(1)) {
            a.beginRow();
            a.append(d.toLocalDate());
            a.appendEpochMicros(TableWriter.epochMicros(from));
            a.appendEpochMicros(TableWriter.epochMicros(to));
            a.endRow();
          }
        }
      }
    }
  }

  /**
   * SQL: wall-clock time {@code local} of the file's zone as the reporting zone's wall clock. Regions
   * through ICU's time zones; a fixed offset (ICU knows no {@code +03:00}) by arithmetic.
   */
  private String toReportZone(String local) {
    ZoneId file = run.values.fileZone().normalized();
    ZoneId report = run.values.reportZone().normalized();
    if (!(file instanceof ZoneOffset) && !(report instanceof ZoneOffset)) {
      return "timezone(" + literal(report.getId()) + ", timezone(" + literal(file.getId()) + ", " + local + "))";
    }
    String utc = file instanceof ZoneOffset o ? "(" + local + " - to_seconds(" + o.getTotalSeconds() + "))"
        : "timezone('UTC', timezone(" + literal(file.getId()) + ", " + local + "))";
    return report instanceof ZoneOffset o ? "(" + utc + " + to_seconds(" + o.getTotalSeconds() + "))"
        : "timezone(" + literal(report.getId()) + ", timezone('UTC', " + utc + "))";
  }

  /** Whether the file's times are moved to another zone (its rules differ from the reporting zone's). */
  private boolean shifted() {
    return !run.values.fileZone().getRules().equals(run.values.reportZone().getRules());
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
    outer.add("CASE WHEN contains(t_id, '.') THEN regexp_replace(t_id, '\\.0+$', '') ELSE t_id END AS x_id");
    flags.add("t_id IS NULL");
    flags.add("x_extra");
    outer.add("t_title AS x_title");
    // values by cheap casts that are right for plain text; text that is not plain flags its row
    // (CASE: the shape checks run only on cells that have text)
    // an amount may carry its currency ($1,200.00, USD 8,000.00, 1 000 руб.): the number is read
    // here, the currency text with the other kinds (m_ columns are dropped from the table)
    List<String> dropped = new ArrayList<>(List.of("m_prefix", "m_suffix", "m_core"));
    outer.add(moneyPrefix("t_amount") + " AS m_prefix");
    outer.add(moneySuffix("t_amount", "m_prefix") + " AS m_suffix");
    outer.add(moneyCore("t_amount", "m_prefix", "m_suffix") + " AS m_core");
    outer.add(amount("m_core") + " AS x_amount");
    outer.add("CASE WHEN t_amount IS NULL OR m_prefix = '' AND m_suffix = '' THEN NULL ELSE nullif("
        + moneyAffix("m_prefix", "m_suffix") + ", '') END AS x_affix");
    flags.add("CASE WHEN t_amount IS NULL THEN false ELSE NOT " + sql.plainAmount("m_core") + " END");
    outer.add("t_currency AS x_currency"); // read by the row path's rules, once per distinct text (kinds)
    outer.add(sql.probability("t_probability") + " AS x_probability");
    // out of 0-100: the row path rejects the row
    flags.add("CASE WHEN t_probability IS NULL THEN false ELSE NOT " + sql.plainProbability("t_probability")
        + " OR x_probability > 100 END");
    // the expected close date: the file's wall-clock day, never moved between zones (no gap to mind)
    outer.add("CAST(" + sql.time("t_expected_close") + " AS DATE) AS x_expected_close");
    flags.add("CASE WHEN t_expected_close IS NULL THEN false WHEN " + sql.plainTime("t_expected_close")
        + " AND x_expected_close IS NOT NULL THEN false ELSE NOT " + sql.nullDate("t_expected_close") + " END");
    boolean gaps = !run.values.fileZone().getRules().isFixedOffset();
    boolean shifted = shifted();
    for (String f : List.of("created_at", "updated_at", "closed_at")) {
      String t = "t_" + f;
      String v = "x_" + f;
      // the file's wall clock (l_, dropped from the table), then the reporting zone's: a time of day
      // is moved between the zones (toReportZone), a date alone stays as typed
      String local = shifted ? "l_" + f : v;
      outer.add(sql.time(t) + " AS " + local);
      if (shifted) {
        dropped.add(local);
        outer.add("CASE WHEN " + sql.hasTimeOfDay(t) + " THEN " + toReportZone(local) + " ELSE " + local + " END AS "
            + v);
      }
      flags.add("CASE WHEN " + t + " IS NULL THEN false WHEN " + sql.plainTime(t) + " AND " + local
          + " IS NOT NULL THEN false ELSE NOT " + sql.nullDate(t) + " END");
      if (gaps) {
        flags.add("(" + local + " IS NOT NULL AND (" + local + " NOT BETWEEN TIMESTAMP '1900-01-02' AND "
            + "TIMESTAMP '2099-12-31' OR EXISTS (SELECT 1 FROM " + GAPS + " g WHERE g.d = CAST(" + local + " AS DATE) "
            + "AND " + local + " >= g.s AND " + local + " < g.e)))");
      }
    }
    for (Field f : List.of(Field.STAGE, Field.PIPELINE, Field.OWNER, Field.UTM_SOURCE, Field.UTM_MEDIUM,
        Field.UTM_CAMPAIGN, Field.SOURCE, Field.LOSS_REASON, Field.STATUS, Field.IS_WON, Field.IS_CLOSED)) {
      String n = f.name().toLowerCase();
      outer.add("t_" + n + " AS x_" + n);
    }
    outer.add(sql.multi("t_company") + " AS x_company");
    outer.add(sql.multi("t_contact") + " AS x_contact");
    outer.add(firstListed("t_company_id") + " AS x_company_id");
    outer.add(firstListed("t_contact_id") + " AS x_contact_id");
    for (int i : columns.custom()) {
      outer.add("c" + i);
    }
    outer.add("x_blank");
    // a flag that comes out NULL (unknown) sends the row to the row path too
    outer.add("coalesce(" + String.join(" OR ", flags) + ", true) AS x_flag");

    String path = file.toAbsolutePath().toString().replace("'", "''");
    String keep = "* EXCLUDE (" + String.join(", ", dropped) + ")";
    String sql = "CREATE TEMP TABLE " + X + " AS SELECT " + keep + " FROM (SELECT " + outer + " FROM (SELECT " + inner
        + " FROM read_csv('"
        + path + "', header = true, delim = " + literal(String.valueOf(delimiter)) + ", quote = '\"', escape = '\"', "
        + "auto_detect = false, strict_mode = true, null_padding = false, encoding = 'utf-8', store_rejects = true, "
        + "rejects_table = '" + REJECTS + "', rejects_scan = 'crmkpi_export_scans', columns = " + types + ")))";
    SqlProgress.execute(c, sql, fileName, "read", context, SqlProgress.EVERY_MS);
  }

  /**
   * The deal kinds of every distinct (stage, status, won, closed, probability) of the rows SQL
   * read, by the row path's rules; a combination those rules refuse flags its rows.
   */
  private void kinds(DuckDBConnection c, Statement s) throws SQLException {
    // keys without NULLs (texts are never empty, probabilities never negative) for a plain equi-join
    s.execute("CREATE TEMP TABLE " + KINDS + " (stage VARCHAR, status VARCHAR, won VARCHAR, closed VARCHAR, "
        + "probability DOUBLE, currency_text VARCHAR, amount_affix VARCHAR, kind VARCHAR, stage_kind VARCHAR, "
        + "deleted BOOLEAN, currency VARCHAR)");
    List<Object[]> combos = query(s, "SELECT DISTINCT x_stage, x_status, x_is_won, x_is_closed, x_probability, "
        + "x_currency, x_affix FROM " + X + " WHERE NOT x_flag");
    boolean refused = false;
    try (DuckDBAppender a = c.createAppender("temp", "main", KINDS)) {
      for (Object[] k : combos) {
        Double p = k[4] == null ? null : ((Number) k[4]).doubleValue();
        Kinds kinds;
        String currency;
        try {
          kinds = run.kinds((String) k[0], (String) k[1], (String) k[2], (String) k[3], p);
          // as the row path: the currency column, else the amount's own sign or code
          String affixCurrency = ExportValues.affixCurrency(k[6] == null ? "" : (String) k[6]);
          currency = ExportValues.currency((String) k[5]).orElse(affixCurrency);
        } catch (ExportLoader.FieldException | IllegalArgumentException e) {
          refused = true;
          continue; // the row path words the error, with the row's line
        }
        kindsSeen.put(Arrays.asList(k[0], k[1], k[2], k[3], p), kinds);
        a.beginRow();
        for (int i = 0; i < 4; i++) {
          a.append(k[i] == null ? "" : (String) k[i]);
        }
        a.append(p == null ? -1.0 : p);
        a.append(k[5] == null ? "" : (String) k[5]);
        a.append(k[6] == null ? "" : (String) k[6]);
        a.append(kinds.kind());
        a.append(kinds.stageKind());
        a.append(kinds.deleted());
        append(a, currency);
        a.endRow();
      }
    }
    if (!refused) {
      return;
    }
    // rows whose combination has no kind or currency: judged by the row path
    s.execute("UPDATE " + X + " x SET x_flag = true WHERE NOT x_flag AND NOT EXISTS (SELECT 1 FROM " + KINDS + " k "
        + "WHERE " + kindsMatch() + ")");
  }

  /** SQL: KINDS row {@code k} is the one of X row {@code x}. */
  private static String kindsMatch() {
    return "k.stage = coalesce(x.x_stage, '') AND k.status = coalesce(x.x_status, '') "
        + "AND k.won = coalesce(x.x_is_won, '') AND k.closed = coalesce(x.x_is_closed, '') "
        + "AND k.probability = coalesce(x.x_probability, -1) AND k.currency_text = coalesce(x.x_currency, '') "
        + "AND k.amount_affix = coalesce(x.x_affix, '')";
  }

  static void append(DuckDBAppender a, String v) throws SQLException {
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
          + shown(index.line((int) pairs.get(i)[1])) + ")", raw(values(r))});
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

  /** The location the row path gives the record starting on {@code line} of the file read (for a workbook its row). */
  private long shown(long line) {
    return input.shown(line, k -> index.recordLine(k));
  }

  /** A row as the row path keeps it in crm.load_rejects. */
  private String raw(List<String> values) {
    return String.join(String.valueOf(input.rawDelimiter()), values);
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
        a.appendEpochMicros(TableWriter.epochMicros(t));
      }
    }
    for (String v : new String[] {p.stageName(), p.pipelineName(), p.owner(), p.company(), p.companyId(), p.contact(),
        p.contactId(), p.utmSource(), p.utmMedium(), p.utmCampaign(), p.source(), p.lossReason(), p.kind(),
        p.stageKind()}) {
      append(a, v);
    }
    a.append(p.deleted());
    if (p.expectedClose() == null) {
      a.appendNull();
    } else {
      a.append(p.expectedClose());
    }
    a.endRow();
  }

  /** SQL: the SQL-read rows that load (not flagged, not a duplicate), {@code x}. */
  private String loadingRows(DuckDBConnection c, Statement s, Set<Long> duplicates) throws SQLException {
    if (duplicates.isEmpty()) {
      return "NOT x.x_flag";
    }
    s.execute("CREATE OR REPLACE TEMP TABLE crmkpi_export_skip (r BIGINT)");
    try (DuckDBAppender a = c.createAppender("temp", "main", "crmkpi_export_skip")) {
      for (long r : duplicates) {
        a.beginRow();
        a.append(r);
        a.endRow();
      }
    }
    return "NOT x.x_flag AND x.rowid NOT IN (SELECT r FROM crmkpi_export_skip)";
  }

  /**
   * SQL: the rows that load, in the shape of {@link Parsed}: those SQL read (with their kinds; an
   * open deal has no close time, a closed one at least its update time) and those the row path judged.
   */
  private String parsedRows(String loading) {
    String currency = profile.defaultCurrency == null ? "k.currency"
        : "coalesce(k.currency, CASE WHEN x.x_amount IS NOT NULL THEN " + literal(profile.defaultCurrency) + " END)";
    return "SELECT x.rowid AS r, x.x_id AS id, x.x_title AS title, x.x_amount AS amount, " + currency
        + " AS currency, x.x_probability AS probability, x.x_created_at AS created, x.x_updated_at AS updated, "
        + "CASE WHEN k.kind = 'open' THEN NULL ELSE coalesce(x.x_closed_at, x.x_updated_at) END AS closed, "
        + "x.x_stage AS stage_name, " + pipeline(profile, "x.x_pipeline") + " AS pipeline_name, x.x_owner AS owner, "
        + "x.x_company AS company, x.x_company_id AS company_id, x.x_contact AS contact, x.x_contact_id AS contact_id, "
        + "x.x_utm_source AS utm_source, x.x_utm_medium AS utm_medium, x.x_utm_campaign AS utm_campaign, "
        + "x.x_source AS source, x.x_loss_reason AS loss_reason, k.kind, k.stage_kind, k.deleted, "
        + "x.x_expected_close AS expected "
        + "FROM " + X + " x JOIN " + KINDS + " k ON " + kindsMatch() + " WHERE " + loading
        + " UNION ALL SELECT * FROM " + JUDGED;
  }

  static String pipeline(ExportProfile profile, String column) {
    return "coalesce(" + column + ", " + literal(profile.defaultPipeline) + ")";
  }

  /** Every row of {@code sql} as values. */
  static List<Object[]> query(Statement s, String sql) throws SQLException {
    List<Object[]> out = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        Object[] row = new Object[n];
        for (int i = 0; i < n; i++) {
          row[i] = rs.getObject(i + 1);
        }
        out.add(row);
      }
    }
    return out;
  }

  /** SQL: the loading rows with their names turned into ids (the columns the row path's register gives). */
  private String resolved(String loading) {
    boolean deal = profile.entity.equals("deal");
    return "SELECT p.id, p.title, " + (deal ? "pl.id" : "CAST(NULL AS VARCHAR)") + " AS pipeline_id, "
        + (deal ? "st.id" : "CAST(NULL AS VARCHAR)") + " AS stage_id, p.kind, "
        + "p.amount, p.currency, p.created, p.closed, p.updated, u.id AS owner_id, "
        + "coalesce(p.contact_id, ct.id) AS contact_id, coalesce(p.company_id, co.id) AS company_id, "
        + "ch.id AS channel, p.utm_source, p.utm_medium, p.utm_campaign, "
        + "CASE WHEN p.kind = 'lost' THEN p.loss_reason END AS loss_reason, p.deleted, p.expected, p.probability "
        + "FROM (" + parsedRows(loading) + ") p "
        + "LEFT JOIN crmkpi_export_users u ON u.name = p.owner "
        + (deal ? "LEFT JOIN crmkpi_export_pipelines pl ON pl.name = p.pipeline_name "
            + "LEFT JOIN crmkpi_export_stages st ON st.name = p.stage_name AND st.other = p.pipeline_name " : "")
        + "LEFT JOIN crmkpi_export_companies co ON co.name = p.company "
        + "LEFT JOIN crmkpi_export_contacts ct ON ct.name = p.contact "
        + "LEFT JOIN crmkpi_export_channels ch ON ch.name = coalesce(p.utm_source, p.source, '')";
  }

  /** Writes the deals (and leads) and custom fields of the loading rows; returns how many rows loaded. */
  private long write(DuckDBConnection c, Statement s, String loading) throws SQLException {
    String v = "(" + resolved(loading) + ")";
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
          + "utm_source, utm_medium, utm_campaign, loss_reason, is_deleted, expected_close_date, probability) "
          + "SELECT id, title, pipeline_id, stage_id, "
          + "kind, amount, currency, created, closed, updated, owner_id, contact_id, company_id, "
          + (profile.alsoLead ? "id" : "NULL") + ", channel, utm_source, utm_medium, utm_campaign, loss_reason, "
          + "deleted, expected, probability FROM " + v, fileName, "written", context, SqlProgress.EVERY_MS);
      if (profile.alsoLead) {
        s.execute("INSERT INTO crm.leads (lead_id, title, created_at, updated_at, status, channel, utm_source, "
            + "utm_medium, utm_campaign, owner_user_id, contact_id, company_id, converted_deal_id) SELECT id, title, "
            + "created, updated, 'converted', channel, utm_source, utm_medium, utm_campaign, owner_id, contact_id, "
            + "company_id, id FROM " + v);
      }
    }
    if (!columns.custom().isEmpty()) {
      // one scan: each loading row's non-blank custom cells as a list, unnested (a judged row's id is
      // the one SQL read: the same trim and ".0" rule)
      StringJoiner cells = new StringJoiner(", ", "[", "]");
      for (int i : columns.custom()) {
        cells.add("{'f': " + literal(columns.ids().get(i)) + ", 'n': " + literal(columns.headers().get(i).strip())
            + ", 'v': " + trimmed("x.c" + i) + "}");
      }
      s.execute("INSERT INTO crm.custom_fields (entity, entity_id, field_id, field_name, value) SELECT "
          + literal(profile.entity) + ", id, e.f, e.n, e.v FROM (SELECT x.x_id AS id, unnest(" + cells + ") AS e "
          + "FROM " + X + " x WHERE (" + loading + ") OR x.rowid IN (SELECT r FROM " + JUDGED + ")) "
          + "WHERE e.v IS NOT NULL");
    }
    return n;
  }
}
