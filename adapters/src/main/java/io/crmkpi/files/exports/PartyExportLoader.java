package io.crmkpi.files.exports;

import io.crmkpi.files.FilesSourceFactory;
import io.crmkpi.files.FileSample;
import io.crmkpi.files.LoadProgress;
import io.crmkpi.files.exports.PartyExportProfile.Field;
import io.crmkpi.source.SourceContext;
import io.crmkpi.source.SourceException;
import io.crmkpi.store.LoadSession;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Loads one contact and/or company export through a {@link PartyExportProfile} into
 * {@code crm.contacts} / {@code crm.companies}, unmapped columns into {@code crm.custom_fields},
 * bad rows into {@code crm.load_rejects}.
 *
 * <p>Ids are {@link StableIds} of the name, the same ids a deal export gives the contact or company
 * it names, so deals join whichever file loads first. A row that repeats a name already seen in the
 * file gets the name plus its CRM id (a deal cannot tell such people apart: it links the first).
 * A name-only row that a deal export wrote earlier is replaced by the richer row here.
 */
public final class PartyExportLoader {

  private final PartyExportProfile profile;
  private final String defaultEntity;

  /** {@code defaultEntity}: what a row is when the file has no type column (contact or company). */
  public PartyExportLoader(PartyExportProfile profile, String defaultEntity) {
    this.profile = profile;
    this.defaultEntity = defaultEntity;
  }

  /**
   * Loads a contact or company export: a file with company columns and none of the contact ones lists
   * companies, anything else contacts (a type column, when the profile has one, decides per row).
   */
  public static void loadFile(PartyExportProfile profile, List<String> contactHeaders, List<String> companyHeaders,
      Path file, LoadSession session, SourceContext context) throws SourceException, SQLException {
    Set<String> h;
    try {
      h = ExportDetection.headers(ExportDetection.sniff(FileSample.of(file)));
    } catch (IOException e) {
      throw new SourceException(file.getFileName() + ": cannot read (" + e.getMessage() + ")", e);
    }
    boolean companies = ExportDetection.count(h, contactHeaders) == 0 && ExportDetection.count(h, companyHeaders) > 0;
    new PartyExportLoader(profile, companies ? "company" : "contact").load(file, session, context);
  }

  /** A row that cannot load; the message names the column and the value. */
  private static final class RowException extends Exception {
    RowException(String message) {
      super(message);
    }
  }

  /** Field to column indices for one entity, and the columns left for custom fields. */
  private record Columns(Map<Field, List<Integer>> fields, List<Integer> custom) {

    List<Integer> indices(Field f) {
      return fields.getOrDefault(f, List.of());
    }

    static Columns resolve(List<String> headers, Map<Field, List<String>> aliases, Set<Integer> reserved) {
      Map<Field, List<Integer>> fields = new EnumMap<>(Field.class);
      Set<Integer> used = new HashSet<>(reserved);
      for (Map.Entry<Field, List<String>> e : aliases.entrySet()) {
        for (String alias : e.getValue()) {
          for (int i = 0; i < headers.size(); i++) {
            if (!used.contains(i) && StableIds.normalize(headers.get(i)).equals(alias)) {
              fields.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(i);
              used.add(i);
            }
          }
        }
      }
      // the CRM id, and every column of a field fed by several (work and mobile phone), stay custom fields too
      Set<Integer> alsoCustom = new HashSet<>(fields.getOrDefault(Field.ID, List.of()));
      fields.values().stream().filter(l -> l.size() > 1).forEach(alsoCustom::addAll);
      List<Integer> custom = new ArrayList<>();
      for (int i = 0; i < headers.size(); i++) {
        if ((!used.contains(i) || alsoCustom.contains(i)) && !headers.get(i).replace("\uFEFF", "").isBlank()) {
          custom.add(i);
        }
      }
      return new Columns(fields, custom);
    }
  }

  public void load(Path file, LoadSession session, SourceContext context) throws SourceException, SQLException {
    String fileName = file.getFileName().toString();
    // rows are judged as the file streams by (only the text of a CSV is held, not its rows)
    Run[] started = {null};
    LoadProgress progress = LoadProgress.of(fileName, context);
    try {
      ExportFileReader.stream(file, null, null, new ExportFileReader.RowSink() {
        @Override
        public void header(List<String> headers) {
          ReaderStop.wrap(() -> started[0] = start(fileName, headers, session, context));
        }

        @Override
        public void row(ExportTable.Row row) {
          progress.row();
          ReaderStop.wrap(() -> started[0].row(row));
        }
      });
    } catch (ReaderStop stop) {
      stop.rethrow();
    } catch (IOException | RuntimeException e) {
      throw new SourceException(fileName + ": cannot read the " + profile.name() + " export (" + e.getMessage()
          + "); check that the file is complete and re-export it if needed", e);
    }
    Run run = started[0] != null ? started[0] : start(fileName, List.of(), session, context); // no header: says so
    run.write();
    for (String entity : List.of("contact", "company")) {
      long loaded = run.loaded.getOrDefault(entity, 0L);
      long rejected = run.rejected.getOrDefault(entity, 0L);
      if (entity.equals(defaultEntity) || loaded + rejected > 0) {
        session.report().add(fileName, table(entity), loaded, rejected);
      }
    }
    session.flush();
  }

  /** The state of a load of the file whose header is {@code headers}: columns resolved, what the store has read. */
  private Run start(String fileName, List<String> headers, LoadSession session, SourceContext context)
      throws SourceException, SQLException {
    Integer typeColumn = null;
    for (int i = 0; i < headers.size() && typeColumn == null; i++) {
      if (profile.typeColumn.contains(StableIds.normalize(headers.get(i)))) {
        typeColumn = i;
      }
    }
    Set<Integer> reserved = typeColumn == null ? Set.of() : Set.of(typeColumn);
    Map<String, Columns> columns = new HashMap<>();
    for (String entity : List.of("contact", "company")) {
      columns.put(entity, Columns.resolve(headers, profile.aliases.getOrDefault(entity, Map.of()), reserved));
    }
    Columns main = columns.get(defaultEntity);
    if (typeColumn == null && main.indices(Field.NAME).isEmpty() && main.indices(Field.FIRST_NAME).isEmpty()
        && main.indices(Field.LAST_NAME).isEmpty()) {
      throw new SourceException(fileName + ": no " + defaultEntity + " name column among " + headers + " for the "
          + profile.name() + " format; is it a " + defaultEntity + " export?");
    }
    ZoneId report = context.timezone();
    ZoneId fileZone;
    try {
      fileZone = FilesSourceFactory.EXPORT_TIMEZONE.find(context.properties()).orElse(report);
    } catch (io.crmkpi.settings.SettingException e) {
      throw new SourceException(e.getMessage());
    }
    boolean russian = headers.stream().anyMatch(h -> h.chars().anyMatch(ch -> ch >= 0x400 && ch <= 0x4FF));
    ExportValues values = new ExportValues(russian ? ',' : '.', null, List.of(), fileZone, report, russian);
    PartyNames names;
    try (Connection c = session.store().connect()) {
      names = PartyNames.load(c);
    }
    return new Run(new ExportTable(fileName, headers, List.of(), null), typeColumn, columns, values, session, context,
        names);
  }

  private static String table(String entity) {
    return entity.equals("contact") ? "contacts" : "companies";
  }

  /** The state of one file's load. */
  private final class Run {
    final ExportTable table;
    final Integer typeColumn;
    final Map<String, Columns> columns;
    final ExportValues values;
    final LoadSession session;
    final SourceContext context;
    final PartyNames names;
    ChannelMapper channels;
    final Map<String, Long> loaded = new HashMap<>();
    final Map<String, Long> rejected = new HashMap<>();
    /** Per entity: rows by id in file order. */
    final Map<String, Map<String, Map<String, Object>>> rows = Map.of("contact", new LinkedHashMap<>(),
        "company", new LinkedHashMap<>());
    final Map<String, List<Object[]>> custom = Map.of("contact", new ArrayList<>(), "company", new ArrayList<>());
    final Map<String, Integer> crmIds = new HashMap<>();
    final Map<String, String> users = new LinkedHashMap<>();
    final Map<String, String> companiesNamed = new LinkedHashMap<>();
    /** Per entity, with CRM ids: the name id a deal export may have given a row, to its CRM id. */
    final Map<String, Map<String, String>> nameIds = Map.of("contact", new LinkedHashMap<>(),
        "company", new LinkedHashMap<>());
    /** Custom field id per column: the header, a repeated one as {@code name_2}. */
    final List<String> fieldIds = new ArrayList<>();

    Run(ExportTable table, Integer typeColumn, Map<String, Columns> columns, ExportValues values,
        LoadSession session, SourceContext context, PartyNames names) {
      this.table = table;
      this.typeColumn = typeColumn;
      this.columns = columns;
      this.values = values;
      this.session = session;
      this.context = context;
      this.names = names;
      Map<String, Integer> seen = new HashMap<>();
      for (int i = 0; i < table.headers().size(); i++) {
        String h = header(i);
        int n = seen.merge(h.toLowerCase(Locale.ROOT), 1, Integer::sum);
        fieldIds.add(n == 1 ? h : h + "_" + n);
      }
    }

    void row(ExportTable.Row row) throws SourceException, SQLException {
      if (row.values().stream().allMatch(String::isBlank)) {
        return;
      }
      String entity = defaultEntity;
      try {
        if (row.values().size() != table.headers().size()) {
          throw new RowException("has " + row.values().size() + " columns, the header has "
              + table.headers().size());
        }
        if (typeColumn != null) {
          String type = row.values().get(typeColumn);
          entity = profile.typeValues.get(StableIds.normalize(type));
          if (entity == null) {
            entity = defaultEntity;
            throw new RowException("column '" + header(typeColumn) + "' value '" + type.strip()
                + "' is not one of " + new java.util.TreeSet<>(profile.typeValues.keySet()));
          }
        }
        parse(row, entity, columns.get(entity));
        loaded.merge(entity, 1L, Long::sum);
      } catch (RowException e) {
        String location = table.location(row);
        if (context.strict()) {
          throw new SourceException(location + ": " + e.getMessage()
              + "; fix the row, or load without strict=true to skip it into crm.load_rejects");
        }
        session.reject(table(entity), location, e.getMessage(), row.raw());
        rejected.merge(entity, 1L, Long::sum);
      }
    }

    private String header(int i) {
      return table.headers().get(i).replace("\uFEFF", "").strip();
    }

    /** The column index of the first non-empty cell of {@code f}, or -1. */
    private int cell(ExportTable.Row row, Columns c, Field f) {
      for (int i : c.indices(f)) {
        if (!row.values().get(i).isBlank()) {
          return i;
        }
      }
      return -1;
    }

    private String text(ExportTable.Row row, Columns c, Field f) {
      int i = cell(row, c, f);
      return i < 0 ? null : row.values().get(i).strip();
    }

    private LocalDateTime time(ExportTable.Row row, Columns c, Field f) throws RowException {
      int i = cell(row, c, f);
      if (i < 0) {
        return null;
      }
      try {
        return values.dateTime(row.values().get(i)).orElse(null);
      } catch (IllegalArgumentException e) {
        throw new RowException("column '" + header(i) + "' value '" + row.values().get(i).strip() + "' "
            + e.getMessage());
      }
    }

    private void parse(ExportTable.Row row, String entity, Columns c) throws RowException, SQLException {
      String name = text(row, c, Field.NAME);
      if (name == null) {
        String first = text(row, c, Field.FIRST_NAME);
        String last = text(row, c, Field.LAST_NAME);
        name = ((first == null ? "" : first) + " " + (last == null ? "" : last)).strip();
      }
      if (name.isEmpty()) {
        throw new RowException("has no " + entity + " name");
      }
      String crmId = text(row, c, Field.ID);
      if (crmId != null) {
        crmId = crmId.replaceAll("\\.0+$", "");
        Integer first = crmIds.putIfAbsent(entity + "|" + crmId, row.line());
        if (first != null) {
          throw new RowException("duplicate id '" + crmId + "' (first on line " + first + ")");
        }
      }
      LocalDateTime created = time(row, c, Field.CREATED_AT);
      LocalDateTime updated = time(row, c, Field.UPDATED_AT);
      String id = StableIds.of(entity, name);
      if (profile.crmIds && crmId != null) {
        nameIds.get(entity).merge(id, crmId, (a, b) -> PartyNames.FIRST.compare(a, b) <= 0 ? a : b);
        id = crmId;
      } else if (rows.get(entity).containsKey(id)) {
        // a namesake: its own id, which no deal export can name
        id = StableIds.of(entity, name + " #" + (crmId != null ? crmId : "line " + row.line()));
      }
      String owner = text(row, c, Field.OWNER);
      String ownerId = StableIds.of("user", owner);
      if (ownerId != null) {
        users.putIfAbsent(ownerId, owner);
      }
      Map<String, Object> r = new HashMap<>();
      r.put("name", name);
      r.put("owner_user_id", ownerId);
      r.put("created_at", created);
      if (entity.equals("company")) {
        r.put("company_id", id);
        r.put("industry", text(row, c, Field.INDUSTRY));
      } else {
        r.put("contact_id", id);
        r.put("email", text(row, c, Field.EMAIL));
        r.put("phone", text(row, c, Field.PHONE));
        String company = first(text(row, c, Field.COMPANY), profile.multiValueSeparator);
        String companyId = first(text(row, c, Field.COMPANY_ID), ';');
        if (companyId != null) {
          companyId = companyId.split(",")[0].strip().replaceAll("\\.0+$", "");
        } else {
          companyId = names.id("company", company);
        }
        if (companyId != null && company != null) {
          companiesNamed.putIfAbsent(companyId, company);
        }
        r.put("company_id", companyId);
        String source = text(row, c, Field.UTM_SOURCE);
        if (source == null) {
          source = text(row, c, Field.SOURCE);
        }
        if (source != null) {
          if (channels == null) {
            channels = ChannelMapper.load(session.store(), Map.of());
          }
          r.put("channel", channels.channel(source));
        }
        r.put("updated_at", updated);
      }
      rows.get(entity).put(id, r);
      Set<Integer> usedCells = new HashSet<>();
      for (Field f : Field.values()) {
        if (f != Field.ID) {
          usedCells.add(cell(row, c, f));
        }
      }
      for (int i : c.custom()) {
        String v = row.values().get(i);
        if (!usedCells.contains(i) && !v.isBlank()) {
          custom.get(entity).add(new Object[] {entity, id, fieldIds.get(i), header(i), v.strip()});
        }
      }
    }

    private static String first(String cell, Character separator) {
      if (cell == null || separator == null) {
        return cell;
      }
      String f = cell.split(java.util.regex.Pattern.quote(separator.toString()))[0].strip();
      return f.isEmpty() ? null : f;
    }

    /**
     * With CRM ids: a row an earlier deal export wrote under the name id of a company or contact
     * becomes this file's row under its CRM id, and whatever pointed at the name id follows.
     */
    private void renameNameIds(Connection conn, Map<String, Map<String, Object>> earlier) throws SQLException {
      for (String entity : List.of("contact", "company")) {
        Map<String, String> renames = nameIds.get(entity);
        if (renames.isEmpty()) {
          continue;
        }
        String key = entity + "_id";
        String t = "crm." + table(entity);
        Set<String> present = new HashSet<>();
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT " + key + " FROM " + t)) {
          while (rs.next()) {
            present.add(rs.getString(1));
          }
        }
        for (Map.Entry<String, String> r : renames.entrySet()) {
          String from = r.getKey();
          String to = r.getValue();
          if (from.equals(to) || !present.contains(from)) {
            continue;
          }
          try (var q = conn.prepareStatement("SELECT * FROM " + t + " WHERE " + key + " = ?")) {
            q.setString(1, from);
            try (ResultSet rs = q.executeQuery()) {
              if (rs.next()) {
                Map<String, Object> old = new HashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                  Object v = rs.getObject(i);
                  old.put(rs.getMetaData().getColumnName(i), v instanceof java.sql.Timestamp ts
                      ? ts.toLocalDateTime() : v);
                }
                old.remove(key);
                earlier.putIfAbsent(entity + "|" + to, old);
              }
            }
          }
          update(conn, "DELETE FROM " + t + " WHERE " + key + " = ?", from);
          update(conn, "DELETE FROM crm.custom_fields WHERE entity = '" + entity + "' AND entity_id = ?", from);
          for (io.crmkpi.model.Table other : io.crmkpi.model.CanonicalModel.tables()) {
            if (!other.name().equals(table(entity))
                && other.columns().stream().anyMatch(col -> col.name().equals(key))) {
              update(conn, "UPDATE crm." + other.name() + " SET " + key + " = ? WHERE " + key + " = ?", to, from);
            }
          }
        }
      }
    }

    private static void update(Connection conn, String sql, String... args) throws SQLException {
      try (var u = conn.prepareStatement(sql)) {
        for (int i = 0; i < args.length; i++) {
          u.setString(i + 1, args[i]);
        }
        u.executeUpdate();
      }
    }

    /** Replaces name-only rows of earlier files, then writes this file's rows and the references. */
    void write() throws SQLException {
      Map<String, Map<String, Object>> earlier = new HashMap<>();
      Set<String> existingUsers = new HashSet<>();
      Set<String> existingCompanies = new HashSet<>();
      try (Connection conn = session.store().connect(); Statement s = conn.createStatement()) {
        renameNameIds(conn, earlier);
        for (String entity : List.of("contact", "company")) {
          String t = "crm." + table(entity);
          String key = entity + "_id";
          List<String> again = new ArrayList<>();
          try (ResultSet rs = s.executeQuery("SELECT " + key + " FROM " + t)) {
            while (rs.next()) {
              if (rows.get(entity).containsKey(rs.getString(1))) {
                again.add(rs.getString(1));
              }
            }
          }
          // ids are '<kind>-<hex>' (StableIds), safe to inline
          for (int from = 0; from < again.size(); from += 1000) {
            String in = " IN ('" + String.join("','", again.subList(from, Math.min(again.size(), from + 1000)))
                + "')";
            try (ResultSet rs = s.executeQuery("SELECT * FROM " + t + " WHERE " + key + in)) {
              int n = rs.getMetaData().getColumnCount();
              while (rs.next()) {
                Map<String, Object> old = new HashMap<>();
                for (int i = 1; i <= n; i++) {
                  Object v = rs.getObject(i);
                  old.put(rs.getMetaData().getColumnName(i), v instanceof java.sql.Timestamp ts
                      ? ts.toLocalDateTime() : v);
                }
                // a row renamed from a name id above may meet the one a deal export wrote under the CRM id
                earlier.merge(entity + "|" + rs.getString(key), old, (a, b) -> {
                  b.forEach((k, v) -> {
                    if (a.get(k) == null) {
                      a.put(k, v);
                    }
                  });
                  return a;
                });
              }
            }
            s.execute("DELETE FROM " + t + " WHERE " + key + in);
            s.execute("DELETE FROM crm.custom_fields WHERE entity = '" + entity + "' AND entity_id" + in);
          }
        }
        try (ResultSet rs = s.executeQuery("SELECT user_id FROM crm.users")) {
          while (rs.next()) {
            existingUsers.add(rs.getString(1));
          }
        }
        try (ResultSet rs = s.executeQuery("SELECT company_id FROM crm.companies")) {
          while (rs.next()) {
            existingCompanies.add(rs.getString(1));
          }
        }
      }
      for (String entity : List.of("contact", "company")) {
        for (Map<String, Object> r : rows.get(entity).values()) {
          Map<String, Object> old = earlier.get(entity + "|" + r.get(entity + "_id"));
          if (old != null) {
            // what the deal export knew (the contact's company) fills what this file leaves empty
            old.forEach((k, v) -> {
              if (r.get(k) == null && v != null) {
                r.put(k, v);
              }
            });
          }
          session.table(table(entity)).add(r);
        }
        for (Object[] cf : custom.get(entity)) {
          session.table("custom_fields").add(cf);
        }
      }
      existingCompanies.addAll(rows.get("company").keySet());
      for (Map.Entry<String, String> c : companiesNamed.entrySet()) {
        if (existingCompanies.add(c.getKey())) {
          session.table("companies").add(c.getKey(), c.getValue(), null, null, null);
        }
      }
      for (Map.Entry<String, String> u : users.entrySet()) {
        if (existingUsers.add(u.getKey())) {
          session.table("users").add(u.getKey(), u.getValue(), null, null, true);
        }
      }
    }
  }
}
