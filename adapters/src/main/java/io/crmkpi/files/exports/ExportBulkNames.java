package io.crmkpi.files.exports;

import static io.crmkpi.files.exports.ExportBulkLoad.JUDGED;
import static io.crmkpi.files.exports.ExportBulkLoad.X;
import static io.crmkpi.files.exports.ExportBulkLoad.append;
import static io.crmkpi.files.exports.ExportBulkLoad.pipeline;
import static io.crmkpi.files.exports.ExportBulkLoad.query;

import io.crmkpi.files.exports.ExportLoader.Kinds;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The names of a bulk-loaded export (owners, pipelines, stages, companies, contacts, channels):
 * each distinct one turned into its id once by the row path's rules, kept in
 * {@code crmkpi_export_<kind>} tables (name, other, id) for {@link ExportBulkLoad} to join, and
 * noted in the row path's {@link ExportLoader.Run} as it notes them row by row (first-seen names in
 * file order), so that its writer adds the new users, pipelines, stages, companies and contacts.
 */
final class ExportBulkNames {

  private final DuckDBConnection c;
  private final Statement s;
  private final ExportLoader.Run run;
  private final ExportProfile profile;
  private final Map<List<Object>, Kinds> kindsSeen;

  ExportBulkNames(DuckDBConnection c, Statement s, ExportLoader.Run run, ExportProfile profile,
      Map<List<Object>, Kinds> kindsSeen) {
    this.c = c;
    this.s = s;
    this.run = run;
    this.profile = profile;
    this.kindsSeen = kindsSeen;
  }

  /**
   * SQL: what the names of the loading rows are (no kinds needed): SQL-read and judged rows alike,
   * with their row number.
   */
  private String nameRows(String loading) {
    return "SELECT x.rowid AS r, x.x_owner AS owner, " + pipeline(profile, "x.x_pipeline") + " AS pipeline_name, "
        + "x.x_company AS company, x.x_company_id AS company_id, x.x_contact AS contact, "
        + "x.x_contact_id AS contact_id, coalesce(x.x_utm_source, x.x_source, '') AS channel_raw FROM " + X
        + " x WHERE " + loading + " UNION ALL SELECT r, owner, pipeline_name, company, company_id, contact, "
        + "contact_id, coalesce(utm_source, source, '') FROM " + JUDGED;
  }

  /**
   * The ids of the names the loading rows give, each worked out once by the row path's rules
   * ({@code crmkpi_export_<kind>} tables of name, other, id), and the users, pipelines, stages,
   * companies and contacts as the row path notes them row by row: first-seen names, in file order.
   */
  void build(String loading) throws SQLException {
    // one scan: each name's first row (and a pipeline's rows), by grouping set
    // a contact's company is that of its first row
    String sets = "SELECT GROUPING(owner, pipeline_name, company, company_id, contact, contact_id, channel_raw), "
        + "owner, pipeline_name, company, company_id, contact, contact_id, channel_raw, min(r), count(*), "
        + "arg_min_null(company, r), arg_min_null(company_id, r) "
        + "FROM (" + nameRows(loading) + ") GROUP BY GROUPING SETS ((owner), (pipeline_name), (company, company_id), "
        + "(contact, contact_id), (channel_raw)) ORDER BY min(r)";
    // GROUPING bits, highest first: owner, pipeline_name, company, company_id, contact, contact_id, channel_raw
    int byOwner = 0b0111111;
    int byPipeline = 0b1011111;
    int byCompany = 0b1100111;
    int byContact = 0b1111001;
    Map<Integer, List<Object[]>> groups = new HashMap<>();
    for (Object[] g : query(s, sets)) {
      groups.computeIfAbsent(((Number) g[0]).intValue(), k -> new ArrayList<>()).add(Arrays.copyOfRange(g, 1, 12));
    }
    // users (each row: owner, pipeline_name, company, company_id, contact, contact_id, channel_raw, min r, count)
    List<String[]> users = new ArrayList<>();
    for (Object[] u : groups.getOrDefault(byOwner, List.of())) {
      String name = (String) u[0];
      if (name == null) {
        continue;
      }
      String id = StableIds.of("user", name);
      users.add(new String[] {name, null, id});
      if (id != null) {
        run.users.putIfAbsent(id, name);
      }
    }
    dictionary("users", users);
    boolean deal = profile.entity.equals("deal");
    List<String[]> pipelines = new ArrayList<>();
    for (Object[] p : groups.getOrDefault(byPipeline, List.of())) {
      String name = (String) p[1];
      String id = StableIds.of("pipeline", name);
      pipelines.add(new String[] {name, null, id});
      if (deal) {
        run.pipelines.putIfAbsent(id, name.strip());
        run.pipelineDeals.merge(id, ((Number) p[8]).intValue(), Integer::sum);
      }
    }
    dictionary("pipelines", pipelines);
    List<String[]> companies = new ArrayList<>();
    for (Object[] g : groups.getOrDefault(byCompany, List.of())) {
      Object[] p = {g[2], g[3]};
      if (p[0] == null && p[1] == null) {
        continue;
      }
      String name = (String) p[0];
      String id = p[1] != null ? (String) p[1] : run.names.id("company", name);
      if (p[1] == null) {
        companies.add(new String[] {name, null, id});
      }
      if (id != null && name != null) {
        run.companies.putIfAbsent(id, name);
      }
    }
    dictionary("companies", companies);
    Map<String, String> contacts = new LinkedHashMap<>();
    Map<String, String> companyIds = new HashMap<>();
    for (Object[] g : groups.getOrDefault(byContact, List.of())) {
      Object[] p = {g[4], g[5], g[9], g[10]};
      if (p[0] == null && p[1] == null) {
        continue;
      }
      String name = (String) p[0];
      String id = p[1] != null ? (String) p[1] : run.names.id("contact", name);
      if (p[1] == null && name != null) {
        contacts.putIfAbsent(name, id);
      }
      if (id != null && name != null) {
        String company = (String) p[2];
        String companyId = p[3] != null ? (String) p[3]
            : companyIds.computeIfAbsent(company == null ? "" : company, n -> run.names.id("company", company));
        run.contacts.putIfAbsent(id, new String[] {name, companyId});
      }
    }
    List<String[]> contactRows = new ArrayList<>();
    contacts.forEach((name, id) -> contactRows.add(new String[] {name, null, id}));
    dictionary("contacts", contactRows);
    List<String[]> channels = new ArrayList<>();
    for (Object[] p : groups.getOrDefault(0b1111110, List.of())) {
      String raw = (String) p[6];
      channels.add(new String[] {raw, null, run.channels.channel(raw.isEmpty() ? null : raw)});
    }
    dictionary("channels", channels);
    if (deal) {
      stages(loading); // leads have no pipeline or stage id
    }
  }

  /**
   * Stages as the row path notes them: by file order, the first-seen name and pipeline of each
   * stage id, its kind (an open first sight is settled by the first later non-open one, unless the
   * status is per deal) and highest probability; and the {@code crmkpi_export_stages} ids.
   */
  private void stages(String loading) throws SQLException {
    // per distinct (stage, pipeline, kind inputs) its first row; the kinds come from the map kinds() made
    List<Object[]> seen = new ArrayList<>();
    for (Object[] p : query(s, "SELECT x.x_stage, " + pipeline(profile, "x.x_pipeline") + ", x.x_status, x.x_is_won, "
        + "x.x_is_closed, x.x_probability, min(x.rowid) FROM " + X + " x WHERE " + loading
        + " AND x.x_stage IS NOT NULL GROUP BY ALL")) {
      Kinds k = kindsSeen.get(Arrays.asList(p[0], p[2], p[3], p[4], p[5]));
      seen.add(new Object[] {((Number) p[6]).longValue(), p[0], p[1], k.stageKind(), p[5]});
    }
    for (Object[] p : query(s, "SELECT min(r), stage_name, pipeline_name, stage_kind, probability FROM " + JUDGED
        + " WHERE stage_name IS NOT NULL GROUP BY ALL")) {
      seen.add(new Object[] {((Number) p[0]).longValue(), p[1], p[2], p[3], p[4]});
    }
    seen.sort(Comparator.comparingLong(o -> (Long) o[0]));
    Map<List<String>, String> ids = new LinkedHashMap<>();
    for (Object[] o : seen) {
      String stageName = (String) o[1];
      String pipelineId = StableIds.of("pipeline", (String) o[2]);
      String id = StableIds.stage(pipelineId, stageName);
      ids.putIfAbsent(List.of(stageName, (String) o[2]), id);
      String kind = (String) o[3];
      ExportLoader.StageSeen st = run.stages.get(id);
      if (st == null) {
        st = new ExportLoader.StageSeen(id, pipelineId, stageName.strip(), kind, run.stages.size());
        run.stages.put(id, st);
      } else if (st.kind.equals("open") && !profile.statusPerDeal) {
        st.kind = kind;
      }
      Double probability = o[4] == null ? null : ((Number) o[4]).doubleValue();
      if (probability != null && (st.probability == null || probability > st.probability)) {
        st.probability = probability;
      }
    }
    List<String[]> rows = new ArrayList<>();
    ids.forEach((k, v) -> rows.add(new String[] {k.get(0), k.get(1), v}));
    dictionary("stages", rows);
  }

  /** A temporary table {@code crmkpi_export_<name>} (name, other, id) of {@code rows}. */
  private void dictionary(String name, List<String[]> rows)
      throws SQLException {
    String table = "crmkpi_export_" + name;
    s.execute("CREATE OR REPLACE TEMP TABLE " + table + " (name VARCHAR, other VARCHAR, id VARCHAR)");
    try (DuckDBAppender a = c.createAppender("temp", "main", table)) {
      for (String[] k : rows) {
        a.beginRow();
        append(a, k[0]);
        append(a, k[1]);
        append(a, k[2]);
        a.endRow();
      }
    }
  }

}
