package io.crmkpi.amocrm;

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
import io.crmkpi.sync.KeysetScan;
import io.crmkpi.sync.Prefetch;
import io.crmkpi.sync.SyncStore;
import io.crmkpi.sync.TableSpec;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Future;

/**
 * Syncs one amoCRM / Kommo account into the store, incrementally: pipelines and users in full
 * (small), companies, contacts, leads (= deals, and every deal is also a lead) and tasks by
 * {@code filter[updated_at][from]} with a {@link KeysetScan}, stage history and deletions from
 * {@code /api/v4/events} over a fixed time window. Checkpoints live in {@code crm.sync_state}; raw
 * records in schema {@code amocrm}.
 */
public final class AmoCrmSync implements Source {

  static final String NAME = "amocrm";
  static final String RAW = "amocrm";
  /** The "won" and "lost" statuses, the same ids in every pipeline. */
  static final long WON = 142;
  static final long LOST = 143;
  /** Stage moves, and deletions/restores: the lists no longer return a deleted record, only events tell. */
  static final List<String> EVENT_TYPES = List.of("lead_status_changed", "lead_deleted", "lead_restored",
      "contact_deleted", "contact_restored", "company_deleted", "company_restored", "task_deleted");

  static final TableSpec PIPELINES = TableSpec.canonical("pipelines");
  static final TableSpec STAGES = TableSpec.canonical("stages");
  static final TableSpec USERS = TableSpec.canonical("users");
  static final TableSpec COMPANIES = TableSpec.canonical("companies");
  static final TableSpec CONTACTS = TableSpec.canonical("contacts");
  static final TableSpec DEALS = TableSpec.canonical("deals");
  static final TableSpec LEADS = TableSpec.canonical("leads");
  static final TableSpec ACTIVITIES = TableSpec.canonical("activities");
  static final TableSpec CUSTOM = TableSpec.canonical("custom_fields", "entity", "entity_id");
  static final TableSpec HISTORY = TableSpec.canonical("deal_stage_history", "deal_id", "changed_at",
      "from_stage_id", "to_stage_id");
  static final TableSpec RAW_LEADS = raw("leads");
  static final TableSpec RAW_CONTACTS = raw("contacts");
  static final TableSpec RAW_COMPANIES = raw("companies");
  static final TableSpec RAW_TASKS = raw("tasks");
  static final TableSpec RAW_EVENTS = TableSpec.raw(RAW, "events", "id", "id VARCHAR", "type VARCHAR",
      "entity_id VARCHAR", "created_at BIGINT", "raw VARCHAR");

  private final URI base;
  private final SourceContext context;
  private final HttpClock clock;
  private final ApiClient.Settings settings;
  /** Wall clock for the end of the events window (tests set it). */
  java.time.Clock wall = java.time.Clock.systemUTC();

  AmoCrmSync(URI base, SourceContext context, HttpClock clock, ApiClient.Settings settings) {
    this.base = base;
    this.context = context;
    this.clock = clock;
    this.settings = settings;
  }

  private static TableSpec raw(String name) {
    return TableSpec.raw(RAW, name, "id", "id VARCHAR", "updated_at BIGINT", "raw VARCHAR");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override public boolean isRemote() { return true; } // synced incrementally into a kept store

  @Override
  public String toString() {
    return "amocrm:" + base.getHost();
  }

  @Override
  public LoadReport load(Store store, SourceContext ctx) throws SourceException {
    Secrets secrets = new Secrets();
    ctx.property("token").ifPresent(secrets::add);
    ctx.property("client_secret").ifPresent(secrets::add);
    ctx.property("refresh_token").ifPresent(secrets::add);
    // amoCRM: at most 7 requests in any second (429 above). The window limiter holds each slot until 1 s
    // after the answer, so amoCRM never sees an 8th whatever the latency; 20 ms cover its clock and rounding.
    RateLimiter limiter = RateLimiter.shared("amocrm:" + base.getAuthority(),
        () -> RateLimiter.window(7, Duration.ofMillis(1020), clock));
    ApiClient http = new ApiClient(limiter, RetryRule.DEFAULT, secrets, clock, settings);
    AmoCrmClient client = new AmoCrmClient(base, auth(ctx, http), http);
    LoadReport report = new LoadReport(NAME);
    JsonNode account = client.get("/api/v4/account", Map.of("with", "datetime_settings"));
    if (account == null) {
      throw new SourceException("amoCRM GET /api/v4/account: empty answer; check the subdomain / base_url");
    }
    ZoneId zone = zone(ctx, account);
    String currency = account.path("currency").asText(null);
    AmoCrmMapper m = new AmoCrmMapper(zone, currency);
    long overlap = ctx.property("sync_overlap").map(Long::parseLong).orElse(300L);
    int limit = ctx.property("page_limit").map(Integer::parseInt).orElse(250);
    try (SyncStore st = new SyncStore(store, NAME, zone)) {
      for (TableSpec t : List.of(RAW_LEADS, RAW_CONTACTS, RAW_COMPANIES, RAW_TASKS, RAW_EVENTS)) {
        st.ensure(t);
      }
      step(st, "pipelines", () -> pipelines(client, st, m, report));
      step(st, "users", () -> users(client, st, m, report, limit));
      step(st, "companies", () -> scan(client, st, report, "companies", "/api/v4/companies", "companies", null,
          m::company, overlap, limit, "crm.companies"));
      step(st, "contacts", () -> scan(client, st, report, "contacts", "/api/v4/contacts", "contacts", null,
          m::contact, overlap, limit, "crm.contacts"));
      step(st, "deals", () -> scan(client, st, report, "deals", "/api/v4/leads", "leads", "contacts,loss_reason",
          m::lead, overlap, limit, "crm.deals"));
      step(st, "activities", () -> scan(client, st, report, "activities", "/api/v4/tasks", "tasks", null,
          m::task, overlap, limit, "crm.activities"));
      step(st, "deal_stage_history", () -> events(client, st, m, report, overlap));
      restored(client, store, st, m, report);
      st.transaction(postSteps());
      st.reportingZone();
      StoreDerivations.apply(store, ctx.currency());
      DealSnapshots.record(store, DealSnapshots.asOf(wall, zone));
    } catch (SQLException e) {
      throw new SourceException("amoCRM: writing the store failed: " + secrets.mask(e.getMessage()));
    }
    return report;
  }

  private interface Step {
    void run() throws SourceException, SQLException;
  }

  /** Runs one entity; on failure records the (masked) error in crm.sync_state and rethrows. */
  private void step(SyncStore st, String entity, Step s) throws SourceException, SQLException {
    st.started(entity);
    try {
      s.run();
    } catch (SourceException | SQLException | RuntimeException e) {
      st.failed(entity, e.getMessage());
      throw e;
    }
  }

  private AmoCrmAuth auth(SourceContext ctx, ApiClient http) throws SourceException {
    if (ctx.property("token").isPresent()) {
      return new AmoCrmAuth.LongLived(ctx.property("token").get());
    }
    if (ctx.property("client_id").isEmpty() || ctx.property("client_secret").isEmpty()) {
      throw new SourceException("amoCRM: set token=<long-lived token>, or client_id=, client_secret= and "
          + "refresh_token= of your integration (see docs/sources/amocrm-api.md)");
    }
    Path tokens = ctx.property("token_store").map(Path::of).orElse(Path.of(System.getProperty("user.home"),
        ".crmkpi", "tokens", "amocrm-" + base.getHost() + ".json"));
    return new AmoCrmAuth.OAuth(base, http, ctx.property("client_id").get(), ctx.property("client_secret").get(),
        ctx.property("redirect_uri").orElse(""), ctx.property("refresh_token").orElse(null), tokens);
  }

  /** Property timezone, else the account's: {@code _embedded.datetime_settings.timezone} of /api/v4/account. */
  static ZoneId zone(SourceContext ctx, JsonNode account) throws SourceException {
    String z = ctx.property("timezone").orElse(
        account.path("_embedded").path("datetime_settings").path("timezone").asText("UTC"));
    try {
      return ZoneId.of(z);
    } catch (RuntimeException e) {
      throw new SourceException("amoCRM: unknown time zone '" + z + "'; set timezone= to an IANA zone such as Europe/Moscow");
    }
  }

  private void pipelines(AmoCrmClient client, SyncStore st, AmoCrmMapper m, LoadReport report)
      throws SourceException, SQLException {
    JsonNode n = client.get("/api/v4/leads/pipelines", Map.of());
    Batch b = new Batch().complete(PIPELINES).complete(STAGES);
    long count = 0;
    if (n != null) {
      for (JsonNode p : n.path("_embedded").path("pipelines")) {
        b.next();
        m.pipeline(p, b);
        count++;
      }
    }
    st.commit("pipelines", b, null, null);
    report.add("GET /api/v4/leads/pipelines", "pipelines", count, 0);
    st.finished("pipelines", null, st.count("crm.pipelines"));
  }

  private void users(AmoCrmClient client, SyncStore st, AmoCrmMapper m, LoadReport report, int limit)
      throws SourceException, SQLException {
    Batch b = new Batch().complete(USERS);
    long count = 0;
    for (int page = 1; ; page++) {
      KeysetScan.Page p = client.page("/api/v4/users", "users", Map.of("page", page, "limit", limit, "with", "group"));
      for (JsonNode u : p.items()) {
        b.next();
        m.user(u, b);
        count++;
      }
      if (!p.more() || p.items().isEmpty()) {
        break;
      }
    }
    st.commit("users", b, null, null);
    report.add("GET /api/v4/users", "users", count, 0);
    st.finished("users", null, st.count("crm.users"));
  }

  private void scan(AmoCrmClient client, SyncStore st, LoadReport report, String entity, String path, String key,
      String with, KeysetScan.Mapper mapper, long overlap, int limit, String table) throws SourceException, SQLException {
    Checkpoint cp = st.checkpoint(entity);
    Long hwm = cp.highWaterMark() == null ? null : Long.parseLong(cp.highWaterMark());
    Long from = hwm == null ? null : hwm - overlap;
    KeysetScan scan = new KeysetScan(st, entity, AmoCrmSync::updatedAt, mapper, context::progress);
    KeysetScan.Result r = scan.run(from, hwm, (f, t, page) -> {
      Map<String, Object> q = new LinkedHashMap<>();
      q.put("limit", limit);
      q.put("page", page);
      q.put("order[updated_at]", "asc");
      if (with != null) {
        q.put("with", with);
      }
      if (f != null) {
        q.put("filter[updated_at][from]", f);
      }
      if (t != null) {
        q.put("filter[updated_at][to]", t);
      }
      return client.page(path, key, q);
    });
    report.add("GET " + path, entity, r.loaded(), r.rejected());
    st.finished(entity, r.highWaterMark() == null ? null : r.highWaterMark().toString(), st.count(table));
  }

  /**
   * Events are immutable, so a fixed window [from, now] pages stably by page number; the checkpoint
   * moves to the window's end only when the window is done, and the cursor lets a crashed run resume
   * at the next page of the same window.
   */
  private void events(AmoCrmClient client, SyncStore st, AmoCrmMapper m, LoadReport report, long overlap)
      throws SourceException, SQLException {
    String entity = "deal_stage_history";
    Checkpoint cp = st.checkpoint(entity);
    Long from;
    long to;
    int page;
    if (cp.cursor() != null) {
      String[] c = cp.cursor().split(",");
      from = c[0].isEmpty() ? null : Long.parseLong(c[0]);
      to = Long.parseLong(c[1]);
      page = Integer.parseInt(c[2]) + 1;
    } else {
      from = cp.highWaterMark() == null ? null : Long.parseLong(cp.highWaterMark()) - overlap;
      to = wall.instant().getEpochSecond();
      page = 1;
    }
    long read = 0;
    long rejected = 0;
    Long f = from;
    KeysetScan.Fetcher fetcher = (x, y, n) -> {
      Map<String, Object> q = new LinkedHashMap<>();
      q.put("limit", 100);
      q.put("page", n);
      q.put("filter[type][]", EVENT_TYPES);
      if (f != null) {
        q.put("filter[created_at][from]", f);
      }
      q.put("filter[created_at][to]", to);
      return client.page("/api/v4/events", "events", q);
    };
    try (Prefetch prefetch = new Prefetch()) {
      int first = page;
      Future<KeysetScan.Page> next = prefetch.start(() -> fetcher.fetch(null, null, first));
      for (; ; page++) {
        KeysetScan.Page p = Prefetch.join(next);
        next = null;
        if (p.items().isEmpty()) {
          break;
        }
        if (p.more()) {
          int n = page + 1;
          next = prefetch.start(() -> fetcher.fetch(null, null, n)); // while this page is committed
        }
        Batch b = new Batch();
        for (JsonNode e : p.items()) {
          b.next();
          try {
            m.event(e, b);
          } catch (BadRecord bad) {
            b.dropCurrent();
            b.next();
            b.add(TableSpec.canonical("load_rejects"), NAME, p.label(), entity, bad.getMessage(), e.toString(),
                LocalDateTime.now());
            rejected++;
          }
        }
        read += p.items().size();
        st.commit(entity, b, null, (from == null ? "" : from) + "," + to + "," + page);
        context.progress(NAME + " " + entity + ": " + read + " read");
        if (next == null) {
          break;
        }
      }
    }
    report.add("GET /api/v4/events", entity, read - rejected, rejected);
    st.finished(entity, Long.toString(to), st.count("crm.deal_stage_history"));
  }

  /**
   * Contacts and companies restored after a deletion that the store no longer holds (a restore need
   * not change updated_at, so the incremental scan may not return them) are read by id; the
   * deletions themselves are applied by {@link #postSteps()}. Costs requests only when there are
   * such restores.
   */
  private void restored(AmoCrmClient client, Store store, SyncStore st, AmoCrmMapper m, LoadReport report)
      throws SourceException, SQLException {
    for (String kind : List.of("company", "contact")) {
      String entity = kind.equals("company") ? "companies" : "contacts";
      List<String> ids = new ArrayList<>();
      try (Connection c = store.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
          "SELECT entity_id FROM (" + latest(kind) + ") WHERE type = '" + kind + "_restored' AND entity_id NOT IN "
              + "(SELECT " + kind + "_id FROM crm." + entity + ") ORDER BY entity_id")) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
      long read = 0;
      long rejected = 0;
      for (int i = 0; i < ids.size(); i += RESTORED_PAGE) {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("limit", RESTORED_PAGE);
        q.put("filter[id][]", ids.subList(i, Math.min(ids.size(), i + RESTORED_PAGE)));
        KeysetScan.Page p = client.page("/api/v4/" + entity, entity, q);
        Batch b = new Batch();
        for (JsonNode n : p.items()) {
          b.next();
          try {
            if (kind.equals("company")) {
              m.company(n, b);
            } else {
              m.contact(n, b);
            }
          } catch (BadRecord bad) {
            b.dropCurrent();
            b.next();
            b.add(TableSpec.canonical("load_rejects"), NAME, p.label(), entity, bad.getMessage(), n.toString(),
                LocalDateTime.now());
            rejected++;
          }
        }
        read += p.items().size();
        st.commit(entity, b, null, null);
      }
      if (!ids.isEmpty()) {
        report.add("GET /api/v4/" + entity + " (restored)", entity, read - rejected, rejected);
        st.finished(entity, null, st.count("crm." + entity));
      }
    }
  }

  /** Restored records read by id per request (ids in the query string). */
  static final int RESTORED_PAGE = 50;

  /** Per record of {@code kind} (lead, contact, company): its latest delete or restore event (a tie: restored). */
  static String latest(String kind) {
    return "SELECT entity_id, type FROM " + RAW + ".events WHERE type IN ('" + kind + "_deleted', '" + kind
        + "_restored') QUALIFY row_number() OVER (PARTITION BY entity_id ORDER BY created_at DESC, type DESC) = 1";
  }

  private static String deleted(String kind) {
    return "SELECT entity_id FROM (" + latest(kind) + ") WHERE type = '" + kind + "_deleted'";
  }

  /**
   * After all entities, in one transaction: a creation row per deal (into the stage the first move
   * started from, else the current stage), deletions from the latest delete/restore event (deals
   * flagged, contacts/companies/tasks removed), and
   * the derived orders cleared so that StoreDerivations rebuilds them from the current won deals
   * (it only fills an empty crm.orders; an API source loads no orders of its own).
   */
  static String[] postSteps() {
    return new String[] {
        "DELETE FROM crm.deal_stage_history WHERE from_stage_id IS NULL AND NOT is_inferred",
        "INSERT INTO crm.deal_stage_history SELECT d.deal_id, "
            + "coalesce(split_part(h.first_from, ':', 1), d.pipeline_id), NULL, coalesce(h.first_from, d.stage_id), "
            + "d.created_at, NULL, false FROM crm.deals d LEFT JOIN (SELECT deal_id, "
            + "arg_min(from_stage_id, changed_at) AS first_from FROM crm.deal_stage_history "
            + "WHERE from_stage_id IS NOT NULL GROUP BY deal_id) h ON h.deal_id = d.deal_id "
            + "WHERE d.created_at IS NOT NULL",
        "UPDATE crm.deals SET is_deleted = (x.type = 'lead_deleted') FROM (" + latest("lead") + ") x "
            + "WHERE deals.deal_id = x.entity_id",
        // contacts, companies and tasks have no deleted flag in crm.*: a deleted one leaves the tables
        "DELETE FROM crm.contacts WHERE contact_id IN (" + deleted("contact") + ")",
        "DELETE FROM crm.custom_fields WHERE entity = 'contact' AND entity_id IN (" + deleted("contact") + ")",
        "DELETE FROM " + RAW + ".contacts WHERE id IN (" + deleted("contact") + ")",
        "DELETE FROM crm.companies WHERE company_id IN (" + deleted("company") + ")",
        "DELETE FROM crm.custom_fields WHERE entity = 'company' AND entity_id IN (" + deleted("company") + ")",
        "DELETE FROM " + RAW + ".companies WHERE id IN (" + deleted("company") + ")",
        "DELETE FROM crm.activities WHERE activity_id IN (SELECT entity_id FROM " + RAW + ".events WHERE type = 'task_deleted')",
        "DELETE FROM " + RAW + ".tasks WHERE id IN (SELECT entity_id FROM " + RAW + ".events WHERE type = 'task_deleted')",
        "UPDATE crm.deals SET channel = cm.channel FROM crm.channel_map cm WHERE cm.raw_value = deals.channel",
        "UPDATE crm.leads SET channel = cm.channel FROM crm.channel_map cm WHERE cm.raw_value = leads.channel",
        "DELETE FROM crm.orders WHERE order_id = deal_id AND deal_id IN (SELECT deal_id FROM crm.deals)"};
  }

  static OptionalLong updatedAt(JsonNode n) {
    JsonNode u = n.get("updated_at");
    return u == null || !u.canConvertToLong() ? OptionalLong.empty() : OptionalLong.of(u.asLong());
  }
}
