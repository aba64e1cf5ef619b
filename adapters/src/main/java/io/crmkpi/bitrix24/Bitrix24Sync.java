package io.crmkpi.bitrix24;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmkpi.http.ApiClient;
import io.crmkpi.http.HttpClock;
import io.crmkpi.http.RateLimiter;
import io.crmkpi.http.RetryRule;
import io.crmkpi.http.Secrets;
import io.crmkpi.source.Source;
import io.crmkpi.source.SourceContext;
import io.crmkpi.source.SourceException;
import io.crmkpi.store.LoadReport;
import io.crmkpi.store.Store;
import io.crmkpi.store.DealSnapshots;
import io.crmkpi.store.StoreDerivations;
import io.crmkpi.sync.BadRecord;
import io.crmkpi.sync.Batch;
import io.crmkpi.sync.Checkpoint;
import io.crmkpi.sync.SyncStore;
import io.crmkpi.sync.TableSpec;
import java.net.URI;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Syncs a Bitrix24 portal through an inbound webhook or OAuth ({@link Bitrix24Auth}), every read in {@code batch} calls of 50
 * chained list pages ({@link Bitrix24Scan}). Funnels, stages and users: full refresh. Deals, leads,
 * contacts, companies and activities: the documented fast scan by ID restricted to records modified
 * since the previous run's START (the portal's own clock, from {@code time.date_start}): a record
 * edited during a scan may be behind the ID cursor, but its new DATE_MODIFY is after the start, so
 * the next run gets it. Stage history is append-only, scanned by ID. Deletions: an ID check on
 * incremental runs (property {@code deletions}). Checkpoints: crm.sync_state and util.sync_cursor;
 * raw rows: schema {@code bitrix24}.
 */
public final class Bitrix24Sync implements Source {

  static final String NAME = "bitrix24";
  static final String RAW = "bitrix24";
  static final int PAGE = 50;

  private static final TableSpec PIPELINES = TableSpec.canonical("pipelines");
  private static final TableSpec STAGES = TableSpec.canonical("stages");
  static final TableSpec USERS = TableSpec.canonical("users");
  static final TableSpec COMPANIES = TableSpec.canonical("companies");
  static final TableSpec CONTACTS = TableSpec.canonical("contacts");
  static final TableSpec DEALS = TableSpec.canonical("deals");
  static final TableSpec LEADS = TableSpec.canonical("leads");
  static final TableSpec ACTIVITIES = TableSpec.canonical("activities");
  static final TableSpec CUSTOM = TableSpec.canonical("custom_fields", "entity", "entity_id");
  private static final TableSpec RAW_HISTORY = TableSpec.raw(RAW, "stagehistory", "id", "id BIGINT", "owner_id VARCHAR",
      "category_id VARCHAR", "stage_id VARCHAR", "changed_at TIMESTAMP", "raw VARCHAR");

  private final URI webhook;
  private final SourceContext context;
  private final HttpClock clock;
  /** Wall clock of the deal snapshots' as-of time; tests set it. */
  java.time.Clock wall = java.time.Clock.systemUTC();
  private final ApiClient.Settings settings;

  /** Null for a webhook. */
  private final Bitrix24Auth.Settings oauth;

  Bitrix24Sync(URI webhook, SourceContext context, HttpClock clock, ApiClient.Settings settings) {
    this(webhook, null, context, clock, settings);
  }

  /** OAuth: {@code rest} is {@code <scheme>://<portal>/rest/}. */
  Bitrix24Sync(URI rest, Bitrix24Auth.Settings oauth, SourceContext context, HttpClock clock,
      ApiClient.Settings settings) {
    this.webhook = rest;
    this.oauth = oauth;
    this.context = context;
    this.clock = clock;
    this.settings = settings;
  }

  static TableSpec raw(String name) {
    return TableSpec.raw(RAW, name, "id", "id VARCHAR", "date_modify VARCHAR", "raw VARCHAR");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override public boolean isRemote() { return true; } // synced incrementally into a kept store

  @Override
  public String toString() {
    return "bitrix24:" + webhook.getHost();
  }

  @Override
  public LoadReport load(Store store, SourceContext ctx) throws SourceException {
    Secrets secrets = new Secrets();
    if (oauth == null) {
      secrets.add(webhook.toString());
      String[] path = webhook.getPath().split("/");
      secrets.add(path[path.length - 1]); // the webhook code
    }
    // leaky bucket: +1 per request, drains 2/s, blocks above 50; keep 2 requests (1 s of drain) of margin
    // for clock skew between us and the portal (other apps on the portal are handled by the 503 retry)
    RateLimiter limiter = RateLimiter.shared("bitrix24:" + webhook.getAuthority(), () -> new RateLimiter(2, 48, clock));
    ApiClient http = new ApiClient(limiter, RetryRule.DEFAULT, secrets, clock, settings);
    Bitrix24Auth auth = oauth == null ? null : new Bitrix24Auth(oauth, http, () -> System.currentTimeMillis() / 1000);
    Bitrix24Client client = new Bitrix24Client(webhook, http, auth);
    LoadReport report = new LoadReport(NAME);
    long overlap = ctx.property("sync_overlap").map(Long::parseLong).orElse(300L);
    String deletions = ctx.property("deletions").orElse("auto").trim().toLowerCase(Locale.ROOT);
    if (!List.of("auto", "scan", "off").contains(deletions)) {
      throw new SourceException("Bitrix24: deletions=" + deletions + " is not one of auto, scan, off");
    }
    Run run = new Run(store, ctx, client, report);
    try {
      run.plan(overlap, deletions);
      run.scan.run(run::answer);
      if (run.st == null) {
        throw new SourceException("Bitrix24: the portal answered nothing; check "
            + (oauth == null ? "the webhook URL" : "rest_url"));
      }
      run.st.transaction(postSteps());
      run.st.reportingZone();
      StoreDerivations.apply(store, ctx.currency());
      DealSnapshots.record(store, DealSnapshots.asOf(wall, run.reportingZone));
    } catch (SQLException e) {
      run.failed(e.getMessage());
      throw new SourceException("Bitrix24: writing the store failed: " + secrets.mask(e.getMessage()));
    } catch (SourceException | RuntimeException e) {
      run.failed(e.getMessage());
      throw e;
    } finally {
      run.close();
    }
    return report;
  }

  /** The entities scanned through the list methods: name, method, modified field, select, id column. */
  private record ListEntity(String entity, String method, String modified, List<String> select, String idColumn,
      String customEntity) {
  }

  private static final List<ListEntity> LISTS = List.of(
      new ListEntity("companies", "crm.company.list", "DATE_MODIFY", List.of("*", "UF_*"), "company_id", "company"),
      new ListEntity("contacts", "crm.contact.list", "DATE_MODIFY", List.of("*", "UF_*", "PHONE", "EMAIL"), "contact_id",
          "contact"),
      new ListEntity("leads", "crm.lead.list", "DATE_MODIFY", List.of("*", "UF_*"), "lead_id", "lead"),
      new ListEntity("deals", "crm.deal.list", "DATE_MODIFY", List.of("*", "UF_*"), "deal_id", "deal"),
      new ListEntity("activities", "crm.activity.list", "LAST_UPDATED", List.of("*"), "activity_id", null));

  /** Entities with a row in crm.sync_state, in order. */
  static final List<String> ENTITIES = List.of("pipelines", "companies", "contacts", "leads", "deals", "activities",
      "deal_stage_history");

  /**
   * One sync run: every list is a chain of {@link Bitrix24Scan}, all fetched together. The store
   * (and the portal's zone) opens at the first answer; each chain's rows of a call are committed with
   * its checkpoint in one transaction.
   */
  private final class Run implements AutoCloseable {
    final Store store;
    final SourceContext ctx;
    final LoadReport report;
    final Bitrix24Scan scan;
    final java.util.Set<String> open = new java.util.LinkedHashSet<>();
    final Map<String, Checkpoint> checkpoints = new LinkedHashMap<>();
    SyncStore st;
    Bitrix24Mapper m;
    String runStart;

    Run(Store store, SourceContext ctx, Bitrix24Client client, LoadReport report) {
      this.store = store;
      this.ctx = ctx;
      this.report = report;
      this.scan = new Bitrix24Scan(client);
    }

    void plan(long overlap, String deletions) throws SourceException, SQLException {
      Map<String, long[]> maxIds = new LinkedHashMap<>();
      try (SyncStore pre = new SyncStore(store, NAME, ZoneId.of("UTC"))) {
        for (String e : ENTITIES) {
          checkpoints.put(e, pre.checkpoint(e));
        }
      }
      reference();
      for (ListEntity le : LISTS) {
        list(le, overlap);
        Checkpoint cp = checkpoints.get(le.entity());
        if (le.customEntity() != null && !"off".equals(deletions) && cp.highWaterMark() != null) {
          long max = maxId(le);
          if (max > 0) {
            deletions(le, max, "scan".equals(deletions));
          }
        }
      }
      history();
    }

    /** The zone the store reports in (the as-of time of the deal snapshots is its wall clock). */
    ZoneId reportingZone;

    /** First answer: the portal's zone and clock; open the store and mark the entities running. */
    void answer(JsonNode answer) throws SourceException, SQLException {
      if (st != null) {
        return;
      }
      ZoneId zone = userZone(ctx);
      m = new Bitrix24Mapper(zone);
      runStart = answer.path("time").path("date_start").asText();
      reportingZone = zone != null ? zone : portalOffset(answer);
      st = new SyncStore(store, NAME, reportingZone);
      st.ensure(RAW_HISTORY);
      for (ListEntity le : LISTS) {
        st.ensure(raw(le.entity())); // a deletion pass may run before a list wrote any row
      }
      for (String e : ENTITIES) {
        st.started(e);
        open.add(e);
      }
    }

    void done(String entity, String hwm, long total) throws SQLException {
      st.finished(entity, hwm, total);
      open.remove(entity);
    }

    void failed(String error) {
      if (st == null) {
        return;
      }
      for (String e : open) {
        try {
          st.failed(e, error);
        } catch (SQLException ignored) {
          // the store itself is failing; the original error is what the user needs
        }
      }
    }

    @Override
    public void close() throws SourceException {
      if (st != null) {
        try {
          st.close();
        } catch (SQLException e) {
          throw new SourceException("Bitrix24: closing the store failed: " + e.getMessage());
        }
      }
    }

    /** Funnels, stages and users (all pages) in the first call; committed together (full refresh). */
    void reference() {
      Batch b = new Batch().complete(PIPELINES).complete(STAGES).complete(USERS);
      long[] n = new long[3]; // pipelines, stages, users
      int[] left = {3}; // categories, statuses, user pages (grows with the user total)
      Step commit = () -> {
        if (--left[0] == 0) {
          st.commit("pipelines", b, null, null);
          report.add("POST batch (crm.category.list)", "pipelines", n[0], 0);
          report.add("POST batch (crm.status.list)", "stages", n[1], 0);
          report.add("POST batch (user.get)", "users", n[2], 0);
          done("pipelines", null, st.count("crm.stages"));
        }
      };
      scan.once("crm.category.list?entityTypeId=2", (r, t) -> {
        b.next().add(PIPELINES, "0", "General", true, 0);
        n[0]++;
        for (JsonNode c : r.path("categories")) {
          if (c.path("id").asInt() != 0) {
            b.next().add(PIPELINES, c.path("id").asText(), c.path("name").asText(null),
                c.path("isDefault").asText("N").equals("Y"), c.path("sort").asInt());
            n[0]++;
          }
        }
        commit.run();
      });
      scan.once("crm.status.list", (r, t) -> {
        for (JsonNode s : r) {
          String entity = s.path("ENTITY_ID").asText("");
          if (!entity.startsWith("DEAL_STAGE")) {
            continue;
          }
          String pipeline = entity.equals("DEAL_STAGE") ? "0" : entity.substring("DEAL_STAGE_".length());
          String sem = s.path("SEMANTICS").asText("");
          b.next().add(STAGES, s.path("STATUS_ID").asText(), pipeline, s.path("NAME").asText(null),
              Integer.parseInt(s.path("SORT").asText("0")), "S".equals(sem) ? "won" : "F".equals(sem) ? "lost" : "open");
          n[1]++;
        }
        commit.run();
      });
      Bitrix24Scan.OneShot users = (r, t) -> {
        n[2] += m.users(r, b);
        commit.run();
      };
      scan.once("user.get?start=0", (r, t) -> {
        long total = t.asLong(r.size());
        for (long start = PAGE; start < total; start += PAGE) {
          left[0]++;
          scan.once("user.get?start=" + start, users);
        }
        users.result(r, t);
      });
    }

    private interface Step {
      void run() throws SourceException, SQLException;
    }

    /**
     * Records modified since the last run's START (the portal's clock), scanned by ID. Cursor of an
     * unfinished run: {@code since|runStart|lastId}; the high-water mark moves to runStart only at
     * the end.
     */
    void list(ListEntity le, long overlap) {
      Checkpoint cp = checkpoints.get(le.entity());
      String since;
      String start = null;
      long lastId = 0;
      if (cp.cursor() != null) {
        String[] c = cp.cursor().split("\\|", -1);
        since = c[0].isEmpty() ? null : c[0];
        start = c[1];
        lastId = Long.parseLong(c[2]);
      } else {
        since = cp.highWaterMark() == null ? null
            : OffsetDateTime.parse(cp.highWaterMark()).minusSeconds(overlap).toString();
      }
      Map<String, Object> params = new LinkedHashMap<>();
      if (since != null) {
        params.put("filter", Map.of(">=" + le.modified(), since));
      }
      params.put("select", le.select());
      String resumedStart = start;
      long[] tally = new long[2]; // read, rejected
      String input = "POST batch (" + le.method() + ")";
      scan.add(new Bitrix24Scan.Chain(le.entity(), le.method(), params, false, lastId, (chain, rows, last, done) -> {
        String rs = resumedStart != null ? resumedStart : runStart;
        Batch b = new Batch();
        for (JsonNode item : rows) {
          b.next();
          try {
            map(le.entity(), item, b);
          } catch (BadRecord | RuntimeException e) {
            b.dropCurrent();
            b.next().add(TableSpec.canonical("load_rejects"), NAME, input, le.entity(), e.getMessage(),
                item.toString(), LocalDateTime.now());
            tally[1]++;
          }
        }
        tally[0] += rows.size();
        st.commit(le.entity(), b, null, done ? null : (since == null ? "" : since) + "|" + rs + "|" + last);
        context.progress(NAME + " " + le.entity() + ": " + tally[0] + " read");
        if (done) {
          report.add(input, le.entity(), tally[0] - tally[1], tally[1]);
          done(le.entity(), rs, st.count("crm." + le.entity()));
        }
      }));
    }

    private void map(String entity, JsonNode item, Batch b) throws BadRecord {
      switch (entity) {
        case "companies" -> m.company(item, b);
        case "contacts" -> m.contact(item, b);
        case "leads" -> m.lead(item, b);
        case "deals" -> m.deal(item, b);
        default -> m.activity(item, b);
      }
    }

    /** Stage history is append-only: scanned by ID from the last ID seen; the checkpoint is that ID. */
    void history() {
      String entity = "deal_stage_history";
      Checkpoint cp = checkpoints.get(entity);
      long from = cp.highWaterMark() == null ? 0 : Long.parseLong(cp.highWaterMark());
      long[] read = {0};
      scan.add(new Bitrix24Scan.Chain(entity, "crm.stagehistory.list", Map.of("entityTypeId", 2), true, from,
          (chain, rows, last, done) -> {
            Batch b = new Batch();
            for (JsonNode h : rows) {
              b.next().add(RAW_HISTORY, h.path("ID").asLong(), h.path("OWNER_ID").asText(),
                  h.path("CATEGORY_ID").asText("0"), h.path("STAGE_ID").asText(), m.ts(h.get("CREATED_TIME")), h.toString());
            }
            read[0] += rows.size();
            st.commit(entity, b, Long.toString(last), null);
            context.progress(NAME + " " + entity + ": " + read[0] + " read");
            if (done) {
              report.add("POST batch (crm.stagehistory.list)", entity, read[0], 0);
              done(entity, Long.toString(last), st.count(RAW + ".stagehistory"));
            }
          }));
    }

    private long maxId(ListEntity le) throws SQLException {
      try (var c = store.connect(); var s = c.createStatement();
          var rs = s.executeQuery("SELECT coalesce(max(TRY_CAST(" + le.idColumn() + " AS BIGINT)), 0) FROM crm."
              + le.entity() + (le.entity().equals("leads") ? derivedLeads() : ""))) {
        rs.next();
        return rs.getLong(1);
      }
    }

    /** The leads are the deals' own (a portal without leads, see StoreDerivations): none of them is the portal's. */
    private static String derivedLeads() {
      return " WHERE NOT EXISTS (SELECT 1 FROM util.store_info WHERE key = '" + StoreDerivations.LEADS_FROM_DEALS
          + "' AND value = 'true')";
    }

    private long storeCount(ListEntity le, long max) throws SQLException {
      try (var c = store.connect(); var s = c.createStatement();
          var rs = s.executeQuery("SELECT count(*) FROM crm." + le.entity() + " WHERE TRY_CAST(" + le.idColumn()
              + " AS BIGINT) <= " + max + (le.entity().equals("deals") ? " AND NOT coalesce(is_deleted, false)" : ""))) {
        rs.next();
        return rs.getLong(1);
      }
    }

    /**
     * Deletions (the REST API lists no deleted records): the IDs up to the highest one stored, read
     * with {@code select=[ID]}. Every such portal record is in the store (IDs only grow, and the
     * change scan brings any newer one), so in {@code auto} mode the probe's total equal to the
     * store's count means nothing was deleted and the scan stops after one command. Otherwise the
     * IDs absent from the portal are flagged (deals: is_deleted) or removed (leads, contacts,
     * companies; their custom fields and raw rows too).
     */
    void deletions(ListEntity le, long max, boolean always) {
      List<Long> live = new ArrayList<>();
      Bitrix24Scan.Chain ids = new Bitrix24Scan.Chain(le.entity() + ":ids", le.method(), Map.of("filter",
          Map.of("<=ID", max), "select", List.of("ID")), false, 0, (chain, rows, last, done) -> {
            rows.forEach(r -> live.add(r.path("ID").asLong()));
            if (done) {
              st.transaction(deletionSql(le, max, live));
            }
          });
      ids.probe = chain -> {
        long stored = storeCount(le, max);
        if (!always && chain.total == stored) {
          return false;
        }
        context.progress(NAME + " " + le.entity() + ": " + chain.total + " in the portal up to ID " + max + ", "
            + stored + " in the store; scanning IDs for deletions");
        return true;
      };
      scan.add(ids);
    }
  }

  /**
   * Property timezone (every value is converted into it), else null: each value keeps its own local
   * time. Bitrix24 writes a datetime in the portal's zone with the offset of that moment
   * ({@code 2016-10-20T00:00:00+02:00} in a Berlin summer, {@code +01:00} in winter), so its local part
   * is the portal's wall clock; the REST API does not name the portal's zone.
   */
  private static ZoneId userZone(SourceContext ctx) throws SourceException {
    if (ctx.property("timezone").isEmpty()) {
      return null;
    }
    try {
      return ZoneId.of(ctx.property("timezone").get());
    } catch (RuntimeException e) {
      throw new SourceException("Bitrix24: unknown time zone '" + ctx.property("timezone").get()
          + "'; set timezone= to an IANA zone such as Europe/Moscow");
    }
  }

  /**
   * The store's reporting zone without timezone=: the portal's current UTC offset (from the answer's
   * time.date_start); it only places "today" (is_complete, CURRENT_DATE), the stored times are local.
   */
  private static ZoneId portalOffset(JsonNode answer) {
    try {
      return OffsetDateTime.parse(answer.path("time").path("date_start").asText()).getOffset();
    } catch (DateTimeParseException e) {
      return ZoneId.of("UTC");
    }
  }

  static String[] deletionSql(ListEntity le, long max, List<Long> live) {
    List<String> sql = new ArrayList<>();
    sql.add("CREATE OR REPLACE TEMP TABLE bitrix24_live (live_id BIGINT)");
    for (int i = 0; i < live.size(); i += 5000) {
      StringBuilder v = new StringBuilder("INSERT INTO bitrix24_live VALUES ");
      for (int j = i; j < Math.min(live.size(), i + 5000); j++) {
        v.append(j > i ? "," : "").append('(').append(live.get(j)).append(')');
      }
      sql.add(v.toString());
    }
    String gone = " <= " + max + " AND NOT EXISTS (SELECT 1 FROM bitrix24_live WHERE live_id = ";
    String id = "TRY_CAST(" + le.idColumn() + " AS BIGINT)";
    if (le.entity().equals("deals")) {
      sql.add("UPDATE crm.deals SET is_deleted = (" + id + " NOT IN (SELECT live_id FROM bitrix24_live)) WHERE " + id
          + " <= " + max);
    } else {
      sql.add("DELETE FROM crm." + le.entity() + " WHERE " + id + gone + id + ")");
      sql.add("DELETE FROM crm.custom_fields WHERE entity = '" + le.customEntity() + "' AND TRY_CAST(entity_id AS BIGINT)"
          + gone + "TRY_CAST(entity_id AS BIGINT))");
    }
    sql.add("DELETE FROM " + RAW + "." + le.entity() + " WHERE TRY_CAST(id AS BIGINT)" + gone + "TRY_CAST(id AS BIGINT))");
    sql.add("DROP TABLE bitrix24_live");
    return sql.toArray(String[]::new);
  }

  /**
   * One transaction after all entities: stage history rebuilt from the raw rows (Bitrix24 gives
   * only the stage entered; the stage left is the previous row of the same deal), and leads linked
   * to the deals converted from them. Derived orders are cleared for StoreDerivations to rebuild.
   */
  static String[] postSteps() {
    return new String[] {
        "DELETE FROM crm.deal_stage_history WHERE NOT is_inferred",
        "DELETE FROM crm.deal_stage_history WHERE deal_id IN (SELECT owner_id FROM " + RAW + ".stagehistory)",
        "INSERT INTO crm.deal_stage_history SELECT owner_id, category_id, "
            + "lag(stage_id) OVER (PARTITION BY owner_id ORDER BY changed_at, id), stage_id, changed_at, NULL, false "
            + "FROM " + RAW + ".stagehistory",
        "UPDATE crm.leads SET converted_deal_id = d.deal_id FROM (SELECT lead_id, min(deal_id) AS deal_id FROM crm.deals "
            + "WHERE lead_id IS NOT NULL GROUP BY lead_id) d WHERE leads.lead_id = d.lead_id",
        "UPDATE crm.deals SET channel = cm.channel FROM crm.channel_map cm WHERE cm.raw_value = deals.channel",
        "UPDATE crm.leads SET channel = cm.channel FROM crm.channel_map cm WHERE cm.raw_value = leads.channel",
        "DELETE FROM crm.orders WHERE order_id = deal_id AND deal_id IN (SELECT deal_id FROM crm.deals)"};
  }
}
