package io.crmkpi.files.exports;


import io.crmkpi.files.FilesSourceFactory;
import io.crmkpi.files.LoadProgress;
import io.crmkpi.files.exports.ExportProfile.Field;
import io.crmkpi.source.SourceContext;
import io.crmkpi.source.SourceException;
import io.crmkpi.store.LoadSession;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Loads one deal (or lead) export through an {@link ExportProfile}: resolves columns, parses each
 * row, writes deals (and leads), users, pipelines, stages, companies, contacts built from the names
 * seen (with {@link StableIds}), unmapped columns into {@code crm.custom_fields}, bad rows into
 * {@code crm.load_rejects}. Stage history is left to {@code StoreDerivations} (inferred).
 */
public final class ExportLoader {

  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  private final ExportProfile profile;
  /** Whether a CSV file may be loaded by DuckDB's reader ({@link ExportBulkLoad}); false: always row by row. */
  private final boolean bulk;

  public ExportLoader(ExportProfile profile) {
    this(profile, true);
  }

  ExportLoader(ExportProfile profile, boolean bulk) {
    this.profile = profile;
    this.bulk = bulk;
  }

  /** Whether the last {@link #load} went through {@link ExportBulkLoad}. */
  private boolean bulkLoaded;

  boolean bulkLoaded() {
    return bulkLoaded;
  }

  /** A row that cannot load; the message names the column and the value. */
  /** The first of the ids in a cell listing several ({@code 12;13} or {@code 12,13}). */
  static String firstListed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ';' || c == ',') {
        return s.substring(0, i).strip();
      }
    }
    return s.strip();
  }

  static final class RowException extends Exception {
    RowException(String message) {
      super(message);
    }
  }

  /** A value that does not read, in the first non-blank column of {@code field}. */
  static final class FieldException extends Exception {
    final Field field;

    FieldException(Field field, String message) {
      super(message);
      this.field = field;
    }
  }

  /** What one row says, before names become ids: closed_at already NULL for open deals, else at least updated_at. */
  record Parsed(String id, String title, BigDecimal amount, String currency, Double probability, LocalDateTime created,
      LocalDateTime updated, LocalDateTime closed, String stageName, String pipelineName, String owner, String company,
      String companyId, String contact, String contactId, String utmSource, String utmMedium, String utmCampaign,
      String source, String lossReason, String kind, String stageKind, boolean deleted, LocalDate expectedClose) {
  }

  /** The kind of a deal (open/won/lost), of its stage, and whether it is deleted. */
  record Kinds(String kind, String stageKind, boolean deleted) {
  }

  /** The canonical table the rows go to. */
  String entityTable() {
    return profile.entity.equals("lead") ? "leads" : "deals";
  }

  static String leadStatus(String kind) {
    return kind.equals("won") ? "converted" : kind.equals("lost") ? "junk" : "open";
  }

  static SourceException strictError(String location, Exception e) {
    return new SourceException(location + ": " + e.getMessage()
        + "; fix the row, or load without strict=true to skip it into crm.load_rejects");
  }

  public void load(Path file, LoadSession session, SourceContext context) throws SourceException, SQLException {
    String fileName = file.getFileName().toString();
    bulkLoaded = false;
    Map<String, String> overrides = new HashMap<>(profile.stageKinds);
    try {
      overrides.putAll(StageKinds.parse(context.property("stage_kinds").orElse(null)));
    } catch (IllegalArgumentException e) {
      throw new SourceException("property stage_kinds: " + e.getMessage());
    }
    ZoneId report = context.timezone();
    ZoneId fileZone;
    try {
      fileZone = profile.fileZone != null ? profile.fileZone
          : FilesSourceFactory.EXPORT_TIMEZONE.find(context.properties()).orElse(report);
    } catch (io.crmkpi.settings.SettingException e) {
      throw new SourceException(e.getMessage());
    }
    if (bulk) {
      try (ExportBulkInput input = ExportBulkInput.open(file, profile, context)) {
        if (input != null) {
          Run run = prepare(input.head(), overrides, fileZone, report, session, context);
          ExportBulkLoad load = new ExportBulkLoad(input, fileName, profile, run, session, context);
          if (load.load()) {
            bulkLoaded = true;
            session.report().add(fileName, entityTable(), load.loaded(), load.rejected());
            session.flush();
            return;
          }
        }
      }
    }
    // rows are judged as the file streams by (only the text of a CSV is held, not its rows)
    Run[] started = {null};
    LoadProgress progress = LoadProgress.of(fileName, context);
    ExportFileReader.RowSink rows = new ExportFileReader.RowSink() {
      @Override
      public void header(List<String> headers) {
        ReaderStop.wrap(() -> started[0] = prepare(new ExportTable(fileName, headers, List.of(), null), overrides,
            fileZone, report, session, context));
      }

      @Override
      public void row(ExportTable.Row row) {
        progress.row();
        ReaderStop.wrap(() -> started[0].row(row));
      }
    };
    try {
      ReportFooter footer = profile.footer ? new ReportFooter(rows) : null;
      ExportFileReader.stream(file, profile.encoding, profile.delimiter, footer != null ? footer : rows);
      if (footer != null) {
        footer.finish();
      }
    } catch (ReaderStop stop) {
      stop.rethrow();
    } catch (IOException | RuntimeException e) {
      throw new SourceException(fileName + ": cannot read the " + profile.name() + " export (" + e.getMessage()
          + "); check that the file is complete and re-export it if needed", e);
    }
    Run run = started[0] != null ? started[0] // no header at all: prepare says what is missing
        : prepare(new ExportTable(fileName, List.of(), List.of(), null), overrides, fileZone, report, session, context);
    run.writeReferences();
    session.report().add(fileName, entityTable(), run.loaded, run.rejected);
    // make this file's users/stages visible to the next file of the same load
    session.flush();
  }

  /** The state of a load of {@code table} (its header is enough): columns resolved, what the store has read. */
  private Run prepare(ExportTable table, Map<String, String> overrides, ZoneId fileZone, ZoneId report,
      LoadSession session, SourceContext context) throws SourceException, SQLException {
    // '?' = by the header language: Russian files write 1 000,50 and 31/12/2024, English ones 1,000.50 and 12/31/2024
    boolean russian = table.headers().stream().anyMatch(h -> h.chars().anyMatch(ch -> ch >= 0x400 && ch <= 0x4FF));
    char decimal = profile.decimalSeparator == '?' ? (russian ? ',' : '.') : profile.decimalSeparator;
    ExportValues values = new ExportValues(decimal, profile.thousandsSeparator,
        profile.datePatterns, fileZone, report, profile.dayFirstSlashes || russian);
    Columns columns = Columns.resolve(table.headers(), profile);
    if (columns.indices(Field.ID).isEmpty() && columns.indices(Field.TITLE).isEmpty()) {
      throw new SourceException(table.fileName() + ": no deal id or title column among " + table.headers()
          + " for the " + profile.name() + " format; is it a deal export?");
    }
    Run run = new Run(table, columns, values, overrides, session, context,
        ChannelMapper.load(session.store(), profile.channels));
    run.existing();
    return run;
  }

  /** Field to column indices, and the columns left for custom fields. */
  record Columns(Map<Field, List<Integer>> fields, List<Integer> custom, List<String> headers, List<String> ids) {

    List<Integer> indices(Field f) {
      return fields.getOrDefault(f, List.of());
    }

    static Columns resolve(List<String> headers, ExportProfile p) {
      Map<Field, List<Integer>> fields = new EnumMap<>(Field.class);
      Set<Integer> used = new HashSet<>();
      for (Map.Entry<Field, List<String>> e : p.aliases.entrySet()) {
        // aliases in preference order; every header that matches any alias is used (duplicates too);
        // the expected close date (last in the enum) may read a column another field reads: one
        // "Close Date" is HubSpot's and Salesforce's close date and expected close date alike
        boolean shared = e.getKey() == Field.EXPECTED_CLOSE;
        for (String alias : e.getValue()) {
          for (int i = 0; i < headers.size(); i++) {
            List<Integer> own = fields.getOrDefault(e.getKey(), List.of());
            if ((shared ? !own.contains(i) : !used.contains(i)) && StableIds.normalize(headers.get(i)).equals(alias)) {
              fields.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(i);
              used.add(i);
            }
          }
        }
      }
      // a repeated column that feeds a field is its fallback, and also kept as a custom field so no value is lost
      Set<Integer> fallbacks = new HashSet<>();
      fields.values().forEach(l -> fallbacks.addAll(l.subList(1, l.size())));
      List<Integer> custom = new ArrayList<>();
      List<String> ids = new ArrayList<>();
      Map<String, Integer> seen = new HashMap<>();
      for (int i = 0; i < headers.size(); i++) {
        String h = headers.get(i).replace("\uFEFF", "").strip();
        int n = seen.merge(h.toLowerCase(Locale.ROOT), 1, Integer::sum);
        ids.add(n == 1 ? h : h + "_" + n);
        if ((!used.contains(i) || fallbacks.contains(i)) && !h.isEmpty()) {
          custom.add(i);
        }
      }
      return new Columns(fields, custom, headers, ids);
    }
  }

  /** One stage seen in the file. */
  static final class StageSeen {
    final String id;
    final String pipelineId;
    final String name;
    String kind;
    final int firstSeen;
    Double probability;

    StageSeen(String id, String pipelineId, String name, String kind, int firstSeen) {
      this.id = id;
      this.pipelineId = pipelineId;
      this.name = name;
      this.kind = kind;
      this.firstSeen = firstSeen;
    }
  }

  /** The state of one file's load. */
  final class Run {
    final ExportTable table;
    final Columns columns;
    final ExportValues values;
    final Map<String, String> overrides;
    final LoadSession session;
    final SourceContext context;
    final ChannelMapper channels;
    final Set<String> existingUsers = new HashSet<>();
    final Set<String> existingPipelines = new HashSet<>();
    final Set<String> existingStages = new HashSet<>();
    final Set<String> existingCompanies = new HashSet<>();
    final Set<String> existingContacts = new HashSet<>();
    /** Ids of companies and contacts a contact/company export loaded, by name. */
    PartyNames names;
    boolean hasDefaultPipeline;
    final Map<String, String> users = new LinkedHashMap<>();
    final Map<String, String> pipelines = new LinkedHashMap<>();
    final Map<String, Integer> pipelineDeals = new HashMap<>();
    final Map<String, StageSeen> stages = new LinkedHashMap<>();
    final Map<String, String> companies = new LinkedHashMap<>();
    final Map<String, String[]> contacts = new LinkedHashMap<>();
    final Map<String, Integer> ids = new HashMap<>();
    long loaded;
    long rejected;

    Run(ExportTable table, Columns columns, ExportValues values, Map<String, String> overrides,
        LoadSession session, SourceContext context, ChannelMapper channels) {
      this.table = table;
      this.columns = columns;
      this.values = values;
      this.overrides = overrides;
      this.session = session;
      this.context = context;
      this.channels = channels;
    }

    void existing() throws SQLException {
      try (Connection c = session.store().connect(); Statement s = c.createStatement()) {
        names = PartyNames.load(c);
        ids(s, "SELECT user_id FROM crm.users", existingUsers);
        ids(s, "SELECT pipeline_id FROM crm.pipelines", existingPipelines);
        ids(s, "SELECT stage_id FROM crm.stages", existingStages);
        ids(s, "SELECT company_id FROM crm.companies", existingCompanies);
        ids(s, "SELECT contact_id FROM crm.contacts", existingContacts);
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM crm.pipelines WHERE is_default")) {
          rs.next();
          hasDefaultPipeline = rs.getLong(1) > 0;
        }
      }
    }

    private void ids(Statement s, String sql, Set<String> into) throws SQLException {
      try (ResultSet rs = s.executeQuery(sql)) {
        while (rs.next()) {
          into.add(rs.getString(1));
        }
      }
    }

    void row(ExportTable.Row row) throws SQLException, SourceException {
      if (row.values().stream().allMatch(String::isBlank)) {
        return;
      }
      try {
        Parsed p = parseRow(row, true);
        register(p);
        customFields(row, p.id());
        loaded++;
      } catch (RowException e) {
        String location = table.location(row);
        if (context.strict()) {
          throw strictError(location, e);
        }
        session.reject(entityTable(), location, e.getMessage(), row.raw());
        rejected++;
      }
    }

    /**
     * What a non-blank row says, or why it cannot load: its width, its id (and, when
     * {@code duplicates}, whether an earlier row had it), then its values.
     */
    Parsed parseRow(ExportTable.Row row, boolean duplicates) throws RowException {
      if (row.values().size() != columns.headers().size()) {
        throw new RowException("has " + row.values().size() + " columns, the header has "
            + columns.headers().size());
      }
      String id = id(row);
      if (duplicates) {
        Integer first = ids.putIfAbsent(id, row.line());
        if (first != null) {
          throw new RowException("duplicate id '" + id + "' (first on line " + first + ")");
        }
      }
      return parse(row, id);
    }

    /** Of a multi-valued association cell the first value (the deal's); the cell itself otherwise. */
    private String first(String cell) {
      if (cell == null || profile.multiValueSeparator == null) {
        return cell;
      }
      int sep = cell.indexOf(profile.multiValueSeparator.toString());
      String f = (sep < 0 ? cell : cell.substring(0, sep)).strip();
      return f.isEmpty() ? null : f;
    }

    /** The first non-empty value among the columns of {@code f}, with its column index. */
    private Optional<int[]> cell(ExportTable.Row row, Field f) {
      for (int i : columns.indices(f)) {
        if (!row.values().get(i).isBlank()) {
          return Optional.of(new int[] {i});
        }
      }
      return Optional.empty();
    }

    private String text(ExportTable.Row row, Field f) {
      return cell(row, f).map(c -> row.values().get(c[0]).strip()).orElse(null);
    }

    private String header(int i) {
      return columns.headers().get(i).strip();
    }

    private RowException bad(ExportTable.Row row, int i, String what) {
      return new RowException("column '" + header(i) + "' value '" + row.values().get(i).strip() + "' " + what);
    }

    private LocalDateTime time(ExportTable.Row row, Field f) throws RowException {
      Optional<int[]> c = cell(row, f);
      if (c.isEmpty()) {
        return null;
      }
      int i = c.get()[0];
      String v = row.values().get(i);
      if (profile.nullDates.contains(StableIds.normalize(v))) {
        return null;
      }
      try {
        return values.dateTime(v).orElse(null);
      } catch (IllegalArgumentException e) {
        throw bad(row, i, e.getMessage());
      }
    }

    private String id(ExportTable.Row row) throws RowException {
      if (columns.indices(Field.ID).isEmpty()) {
        // no id column: the title and creation time identify the deal across re-exports
        return "row-" + StableIds.hash(StableIds.normalize(text(row, Field.TITLE)) + "|"
            + text(row, Field.CREATED_AT));
      }
      String id = text(row, Field.ID);
      if (id == null) {
        throw new RowException("column '" + header(columns.indices(Field.ID).get(0)) + "' (the id) is empty");
      }
      return ExportValues.withoutZeroFraction(id);
    }

    /** The values of a row with id {@code id}, before names become ids; throws naming the first bad cell. */
    private Parsed parse(ExportTable.Row row, String id) throws RowException {
      String title = text(row, Field.TITLE);
      BigDecimal amount = null;
      String currency = null;
      Optional<int[]> amountCell = cell(row, Field.AMOUNT);
      if (amountCell.isPresent()) {
        try {
          Optional<ExportValues.Money> m = values.money(row.values().get(amountCell.get()[0]));
          amount = m.map(ExportValues.Money::amount).orElse(null);
          currency = m.map(ExportValues.Money::currency).orElse(null);
        } catch (IllegalArgumentException e) {
          throw bad(row, amountCell.get()[0], e.getMessage());
        }
      }
      Optional<int[]> currencyCell = cell(row, Field.CURRENCY);
      if (currencyCell.isPresent()) {
        try {
          currency = ExportValues.currency(row.values().get(currencyCell.get()[0])).orElse(currency);
        } catch (IllegalArgumentException e) {
          throw bad(row, currencyCell.get()[0], e.getMessage());
        }
      }
      if (currency == null && amount != null) {
        currency = profile.defaultCurrency;
      }
      Double probability = probability(row);
      LocalDate expectedClose = day(row, Field.EXPECTED_CLOSE);
      LocalDateTime created = time(row, Field.CREATED_AT);
      LocalDateTime updated = time(row, Field.UPDATED_AT);
      LocalDateTime closed = time(row, Field.CLOSED_AT);
      String stageName = text(row, Field.STAGE);
      Kinds k;
      try {
        k = kinds(stageName, text(row, Field.STATUS), text(row, Field.IS_WON), text(row, Field.IS_CLOSED), probability);
      } catch (FieldException e) {
        throw bad(row, cell(row, e.field).orElseThrow()[0], e.getMessage());
      }
      if (k.kind.equals("open")) {
        closed = null; // an open deal's "close date" is the expected one
      } else if (closed == null) {
        closed = updated;
      }
      String pipelineName = Optional.ofNullable(text(row, Field.PIPELINE)).orElse(profile.defaultPipeline);
      String companyId = Optional.ofNullable(text(row, Field.COMPANY_ID)).map(ExportLoader::firstListed).orElse(null);
      String contactId = Optional.ofNullable(text(row, Field.CONTACT_ID)).map(ExportLoader::firstListed).orElse(null);
      return new Parsed(id, title, amount, currency, probability, created, updated, closed, stageName, pipelineName,
          text(row, Field.OWNER), first(text(row, Field.COMPANY)), companyId, first(text(row, Field.CONTACT)),
          contactId, text(row, Field.UTM_SOURCE), text(row, Field.UTM_MEDIUM), text(row, Field.UTM_CAMPAIGN),
          text(row, Field.SOURCE), text(row, Field.LOSS_REASON), k.kind, k.stageKind, k.deleted, expectedClose);
    }

    /**
     * The probability (0-100) of a row: a percent ({@code 40}, {@code 40%}), or a fraction of 1
     * where the profile says so ({@code 0.4}; a {@code %} sign still means percent); a value
     * outside 0-100 is not a probability and rejects the row, as any unreadable value does.
     */
    private Double probability(ExportTable.Row row) throws RowException {
      Optional<int[]> c = cell(row, Field.PROBABILITY);
      if (c.isEmpty()) {
        return null;
      }
      int i = c.get()[0];
      String text = row.values().get(i).strip();
      boolean percent = text.endsWith("%");
      BigDecimal p;
      try {
        p = values.decimal(percent ? text.substring(0, text.length() - 1) : text).orElse(null);
      } catch (IllegalArgumentException e) {
        throw bad(row, i, e.getMessage());
      }
      if (p == null) {
        return null;
      }
      boolean fraction = !percent && profile.probabilityScale == 1;
      if (fraction) {
        p = p.movePointRight(2);
      }
      if (p.signum() < 0 || p.compareTo(HUNDRED) > 0) {
        throw bad(row, i, "is not a probability between 0 and " + (fraction ? "1" : "100"));
      }
      return p.doubleValue();
    }

    /** The calendar date of the first non-blank cell of {@code f}, as written (never moved between zones). */
    private LocalDate day(ExportTable.Row row, Field f) throws RowException {
      Optional<int[]> c = cell(row, f);
      if (c.isEmpty()) {
        return null;
      }
      int i = c.get()[0];
      String v = row.values().get(i);
      if (profile.nullDates.contains(StableIds.normalize(v))) {
        return null;
      }
      try {
        return values.date(v).orElse(null);
      } catch (IllegalArgumentException e) {
        throw bad(row, i, e.getMessage());
      }
    }

    /** Turns the names of a parsed row into ids, notes the users, pipelines, stages... it names, writes it. */
    private void register(Parsed p) throws SQLException {
      String kind = p.kind();
      boolean isDeal = profile.entity.equals("deal");
      String pipelineId = isDeal ? StableIds.of("pipeline", p.pipelineName()) : null;
      if (isDeal) {
        pipelines.putIfAbsent(pipelineId, p.pipelineName().strip());
        pipelineDeals.merge(pipelineId, 1, Integer::sum);
      }
      String stageId = null;
      String stageName = p.stageName();
      if (stageName != null && isDeal) {
        stageId = StableIds.stage(pipelineId, stageName);
        StageSeen st = stages.get(stageId);
        if (st == null) {
          st = new StageSeen(stageId, pipelineId, stageName.strip(), p.stageKind(), stages.size());
          stages.put(stageId, st);
        } else if (st.kind.equals("open") && !profile.statusPerDeal) {
          st.kind = p.stageKind();
        }
        if (p.probability() != null && (st.probability == null || p.probability() > st.probability)) {
          st.probability = p.probability();
        }
      }
      String owner = p.owner();
      String ownerId = StableIds.of("user", owner);
      if (ownerId != null) {
        users.putIfAbsent(ownerId, owner);
      }
      String company = p.company();
      String companyId = p.companyId() != null ? p.companyId() : names.id("company", company);
      if (companyId != null && company != null) {
        companies.putIfAbsent(companyId, company);
      }
      String contact = p.contact();
      String contactId = p.contactId() != null ? p.contactId() : names.id("contact", contact);
      if (contactId != null && contact != null) {
        contacts.putIfAbsent(contactId, new String[] {contact, companyId});
      }
      String utmSource = p.utmSource();
      String channel = channels.channel(utmSource != null ? utmSource : p.source());
      String id = p.id();
      String title = p.title();
      if (profile.entity.equals("lead")) {
        Map<String, Object> lead = new HashMap<>();
        lead.put("lead_id", id);
        lead.put("title", title);
        lead.put("created_at", p.created());
        lead.put("updated_at", p.updated());
        lead.put("status", leadStatus(kind));
        lead.put("channel", channel);
        lead.put("utm_source", utmSource);
        lead.put("utm_medium", p.utmMedium());
        lead.put("utm_campaign", p.utmCampaign());
        lead.put("owner_user_id", ownerId);
        lead.put("contact_id", contactId);
        lead.put("company_id", companyId);
        session.table("leads").add(lead);
      } else {
        Map<String, Object> deal = new HashMap<>();
        deal.put("deal_id", id);
        deal.put("title", title);
        deal.put("pipeline_id", pipelineId);
        deal.put("stage_id", stageId);
        deal.put("status", kind);
        deal.put("amount", p.amount());
        deal.put("currency", p.currency());
        deal.put("created_at", p.created());
        deal.put("closed_at", p.closed());
        deal.put("updated_at", p.updated());
        deal.put("owner_user_id", ownerId);
        deal.put("contact_id", contactId);
        deal.put("company_id", companyId);
        deal.put("lead_id", profile.alsoLead ? id : null);
        deal.put("channel", channel);
        deal.put("utm_source", utmSource);
        deal.put("utm_medium", p.utmMedium());
        deal.put("utm_campaign", p.utmCampaign());
        deal.put("loss_reason", kind.equals("lost") ? p.lossReason() : null);
        deal.put("is_deleted", p.deleted());
        deal.put("expected_close_date", p.expectedClose());
        deal.put("probability", p.probability());
        session.table("deals").add(deal);
        if (profile.alsoLead) {
          session.table("leads").add(id, title, p.created(), p.updated(), "converted", channel, utmSource,
              p.utmMedium(), p.utmCampaign(), ownerId, contactId, companyId, id, null);
        }
      }
    }

    /** Unmapped columns of a loaded row into crm.custom_fields. */
    private void customFields(ExportTable.Row row, String id) throws SQLException {
      for (int i : columns.custom()) {
        String v = row.values().get(i);
        if (!v.isBlank()) {
          session.table("custom_fields").add(profile.entity, id, columns.ids().get(i), header(i), v.strip());
        }
      }
    }

    /**
     * The deal kind of a row (won/lost/open), its stage's kind and whether it is deleted, from the
     * first non-blank cells of the stage, status, won and closed columns and the probability.
     */
    Kinds kinds(String stageName, String status, String won, String closed, Double probability) throws FieldException {
      String kind = dealKind(stageName, status, won, closed, probability);
      boolean deleted = "deleted".equals(kind);
      if (deleted) {
        kind = null;
      }
      String stageKind = profile.statusPerDeal ? Optional.ofNullable(stageName).flatMap(this::nameKind).orElse("open")
          : kind;
      if (kind == null) {
        kind = stageKind == null ? "open" : stageKind;
      }
      if (stageKind == null) {
        stageKind = kind;
      }
      return new Kinds(kind, stageKind, deleted);
    }

    /** won/lost/open (or "deleted") of a row, or null when nothing says. */
    private String dealKind(String stageName, String statusText, String wonText, String closedText, Double probability)
        throws FieldException {
      if (stageName != null && !profile.statusPerDeal) {
        String o = overrides.get(StableIds.normalize(stageName));
        if (o != null) {
          return o;
        }
      }
      if (statusText != null) {
        String s = StableIds.normalize(statusText);
        String k = switch (s) {
          case "won", "выиграна", "выигран", "выиграно", "успешно" -> "won";
          case "lost", "проиграна", "проигран", "проиграно" -> "lost";
          case "open", "открыта", "открыт", "открыто", "в работе" -> "open";
          case "deleted", "удалена", "удален" -> "deleted";
          default -> null;
        };
        if (k == null && !profile.statusPerDeal) {
          k = StageKinds.system(s).orElse(null);
        }
        if (k == null) {
          throw new FieldException(Field.STATUS, "is not a deal status (open, won, lost)");
        }
        return k;
      }
      Boolean won = bool(Field.IS_WON, wonText);
      Boolean closed = bool(Field.IS_CLOSED, closedText);
      if (Boolean.TRUE.equals(won)) {
        return "won";
      }
      if (closed != null) {
        if (!closed) {
          return "open";
        }
        if (won != null) {
          return "lost";
        }
        Optional<String> byName = Optional.ofNullable(stageName).flatMap(this::nameKind).filter(k -> !k.equals("open"));
        if (byName.isPresent()) {
          return byName.get();
        }
        // a closed deal in a custom stage: HubSpot marks won stages with probability 1 (100 %)
        return probability != null && probability >= 99.9 ? "won" : "lost";
      }
      if (won != null && !profile.statusPerDeal) {
        return Optional.ofNullable(stageName).flatMap(this::nameKind).orElse("open");
      }
      return Optional.ofNullable(stageName).flatMap(this::nameKind).orElse(null);
    }

    private Boolean bool(Field f, String text) throws FieldException {
      if (text == null) {
        return null;
      }
      try {
        return ExportValues.bool(text).orElse(null);
      } catch (IllegalArgumentException e) {
        throw new FieldException(f, e.getMessage());
      }
    }

    private Optional<String> nameKind(String stageName) {
      String o = overrides.get(StableIds.normalize(stageName));
      return o != null ? Optional.of(o) : StageKinds.system(stageName);
    }

    void writeReferences() throws SQLException {
      for (Map.Entry<String, String> u : users.entrySet()) {
        if (existingUsers.add(u.getKey())) {
          session.table("users").add(u.getKey(), u.getValue().strip(), null, null, true);
        }
      }
      String defaultPipeline = hasDefaultPipeline ? null : pipelineDeals.entrySet().stream()
          .max(Map.Entry.<String, Integer>comparingByValue()
              .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())))
          .map(Map.Entry::getKey).orElse(null);
      int order = existingPipelines.size();
      for (Map.Entry<String, String> p : pipelines.entrySet()) {
        if (existingPipelines.add(p.getKey())) {
          session.table("pipelines").add(p.getKey(), p.getValue(), p.getKey().equals(defaultPipeline), ++order);
        }
      }
      Map<String, List<StageSeen>> byPipeline = new LinkedHashMap<>();
      stages.values().forEach(s -> byPipeline.computeIfAbsent(s.pipelineId, k -> new ArrayList<>()).add(s));
      for (List<StageSeen> list : byPipeline.values()) {
        list.sort(Comparator.comparingInt((StageSeen s) -> s.kind.equals("open") ? 0 : s.kind.equals("won") ? 1 : 2)
            .thenComparingInt(s -> {
              int k = profile.stageOrder.indexOf(StableIds.normalize(s.name));
              return k < 0 ? Integer.MAX_VALUE : k;
            })
            .thenComparingDouble(s -> s.probability == null ? 200.0 : s.probability)
            .thenComparingInt(s -> s.firstSeen));
        int n = 0;
        for (StageSeen s : list) {
          n++;
          if (existingStages.add(s.id)) {
            session.table("stages").add(s.id, s.pipelineId, s.name, n, s.kind,
                profile.stageProbabilityFromDeals ? s.probability : null);
          }
        }
      }
      for (Map.Entry<String, String> c : companies.entrySet()) {
        if (existingCompanies.add(c.getKey())) {
          session.table("companies").add(c.getKey(), c.getValue(), null, null, null);
        }
      }
      for (Map.Entry<String, String[]> c : contacts.entrySet()) {
        if (existingContacts.add(c.getKey())) {
          session.table("contacts").add(c.getKey(), c.getValue()[0], null, null, c.getValue()[1], null, null, null,
              null);
        }
      }
    }
  }
}
