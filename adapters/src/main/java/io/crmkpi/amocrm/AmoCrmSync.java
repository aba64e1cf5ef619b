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
import io.crmkpi.store.StoreDerivations;
import io.crmkpi.sync.BadRecord;
import io.crmkpi.sync.Batch;
import io.crmkpi.sync.Checkpoint;
import io.crmkpi.sync.KeysetScan;
import io.crmkpi.sync.Prefetch;
import io.crmkpi.sync.SyncStore;
import io.crmkpi.sync.TableSpec;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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

  private static final TableSpec PIPELINES = TableSpec.canonical("pipelines");
  private static final TableSpec STAGES = TableSpec.canonical("stages");
  private static final TableSpec USERS = TableSpec.canonical("users");
  private static final TableSpec COMPANIES = TableSpec.canonical("companies");
  private static final TableSpec CONTACTS = TableSpec.canonical("contacts");
  private static final TableSpec DEALS = TableSpec.canonical("deals");
  private static final TableSpec LEADS = TableSpec.canonical("leads");
  private static final TableSpec ACTIVITIES = TableSpec.canonical("activities");
  private static final TableSpec CUSTOM = TableSpec.canonical("custom_fields", "entity", "entity_id");
  private static final TableSpec HISTORY = TableSpec.canonical("deal_stage_history", "deal_id", "changed_at",
      "from_stage_id", "to_stage_id");
  private static final TableSpec RAW_LEADS = raw("leads");
  private static final TableSpec RAW_CONTACTS = raw("contacts");
  private static final TableSpec RAW_COMPANIES = raw("companies");
  private static final TableSpec RAW_TASKS = raw("tasks");
  private static final TableSpec RAW_EVENTS = TableSpec.raw(RAW, "events", "id", "id VARCHAR", "type VARCHAR",
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
    Mapper m = new Mapper(zone, currency);
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
      StoreDerivations.apply(store, ctx.currency());
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

  private static ZoneId zone(SourceContext ctx, JsonNode account) throws SourceException {
    String z = ctx.property("timezone").orElse(account.path("datetime_settings").path("timezone").asText("UTC"));
    try {
      return ZoneId.of(z);
    } catch (RuntimeException e) {
      throw new SourceException("amoCRM: unknown time zone '" + z + "'; set timezone= to an IANA zone such as Europe/Moscow");
    }
  }

  private void pipelines(AmoCrmClient client, SyncStore st, Mapper m, LoadReport report)
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

  private void users(AmoCrmClient client, SyncStore st, Mapper m, LoadReport report, int limit)
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
  private void events(AmoCrmClient client, SyncStore st, Mapper m, LoadReport report, long overlap)
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
  private void restored(AmoCrmClient client, Store store, SyncStore st, Mapper m, LoadReport report)
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

  /** JSON records to rows; timestamps are unix seconds turned into wall-clock time in the reporting zone. */
  static final class Mapper {
    private final ZoneId zone;
    private final String currency;

    Mapper(ZoneId zone, String currency) {
      this.zone = zone;
      this.currency = currency;
    }

    LocalDateTime ts(JsonNode n) {
      return n == null || n.isNull() || !n.canConvertToLong() || n.asLong() == 0 ? null
          : LocalDateTime.ofInstant(Instant.ofEpochSecond(n.asLong()), zone);
    }

    static String id(JsonNode n) {
      return n == null || n.isNull() || n.isMissingNode() || n.asText().isEmpty() || "0".equals(n.asText()) ? null
          : n.asText();
    }

    static String stageId(JsonNode pipelineId, JsonNode statusId) {
      return pipelineId.asText() + ":" + statusId.asText();
    }

    static String kind(long statusId) {
      return statusId == WON ? "won" : statusId == LOST ? "lost" : "open";
    }

    void pipeline(JsonNode p, Batch b) {
      String pid = p.path("id").asText();
      b.add(PIPELINES, pid, p.path("name").asText(null), p.path("is_main").asBoolean(false), p.path("sort").asInt());
      for (JsonNode s : p.path("_embedded").path("statuses")) {
        b.add(STAGES, stageId(p.path("id"), s.path("id")), pid, s.path("name").asText(null), s.path("sort").asInt(),
            kind(s.path("id").asLong()));
      }
    }

    void user(JsonNode u, Batch b) {
      JsonNode groups = u.path("_embedded").path("groups");
      String team = groups.isArray() && groups.size() > 0 ? groups.get(0).path("name").asText(null) : null;
      b.add(USERS, u.path("id").asText(), u.path("name").asText(null), u.path("email").asText(null), team,
          u.path("rights").path("is_active").asBoolean(true));
    }

    void company(JsonNode c, Batch b) throws BadRecord {
      String id = requireId(c);
      b.add(COMPANIES, id, c.path("name").asText(null), null, id(c.get("responsible_user_id")), ts(c.get("created_at")));
      customFields(c, "company", id, b, List.of());
      b.add(RAW_COMPANIES, id, c.path("updated_at").asLong(), c.toString());
    }

    void contact(JsonNode c, Batch b) throws BadRecord {
      String id = requireId(c);
      JsonNode companies = c.path("_embedded").path("companies");
      String company = companies.isArray() && companies.size() > 0 ? id(companies.get(0).get("id")) : null;
      b.add(CONTACTS, id, c.path("name").asText(null), fieldByCode(c, "EMAIL"), fieldByCode(c, "PHONE"), company,
          id(c.get("responsible_user_id")), null, ts(c.get("created_at")), ts(c.get("updated_at")));
      customFields(c, "contact", id, b, List.of("EMAIL", "PHONE"));
      b.add(RAW_CONTACTS, id, c.path("updated_at").asLong(), c.toString());
    }

    void lead(JsonNode l, Batch b) throws BadRecord {
      String id = requireId(l);
      if (!l.hasNonNull("pipeline_id") || !l.hasNonNull("status_id")) {
        throw new BadRecord("lead " + id + " has no pipeline_id/status_id");
      }
      long status = l.path("status_id").asLong();
      String kind = kind(status);
      JsonNode emb = l.path("_embedded");
      String contact = null;
      for (JsonNode c : emb.path("contacts")) {
        if (contact == null || c.path("is_main").asBoolean(false)) {
          contact = id(c.get("id"));
        }
      }
      JsonNode companies = emb.path("companies");
      String company = companies.isArray() && companies.size() > 0 ? id(companies.get(0).get("id")) : null;
      JsonNode lr = emb.path("loss_reason");
      String lossReason = lr.isArray() && lr.size() > 0 ? lr.get(0).path("name").asText(null) : null;
      String utmSource = fieldByCode(l, "UTM_SOURCE");
      String channel = utmSource == null || utmSource.isBlank() ? "unknown" : utmSource.trim().toLowerCase(Locale.ROOT);
      LocalDateTime created = ts(l.get("created_at"));
      LocalDateTime updated = ts(l.get("updated_at"));
      BigDecimal amount = l.hasNonNull("price") ? new BigDecimal(l.get("price").asText()) : null;
      b.add(DEALS, id, l.path("name").asText(null), l.path("pipeline_id").asText(),
          stageId(l.path("pipeline_id"), l.path("status_id")), kind, amount, amount == null ? null : currency, null,
          created, "open".equals(kind) ? null : ts(l.get("closed_at")), updated, id(l.get("responsible_user_id")),
          contact, company, id, channel, utmSource, fieldByCode(l, "UTM_MEDIUM"), fieldByCode(l, "UTM_CAMPAIGN"),
          lossReason, l.path("is_deleted").asBoolean(false));
      b.add(LEADS, id, l.path("name").asText(null), created, updated, "converted", channel, utmSource,
          fieldByCode(l, "UTM_MEDIUM"), fieldByCode(l, "UTM_CAMPAIGN"), id(l.get("responsible_user_id")), contact,
          company, id, null);
      customFields(l, "deal", id, b, List.of("UTM_SOURCE", "UTM_MEDIUM", "UTM_CAMPAIGN"));
      b.add(RAW_LEADS, id, l.path("updated_at").asLong(), l.toString());
    }

    void task(JsonNode t, Batch b) throws BadRecord {
      String id = requireId(t);
      String entityType = t.path("entity_type").asText("");
      String entityId = id(t.get("entity_id"));
      String kind = switch (t.path("task_type_id").asInt()) {
        case 2 -> "meeting";
        default -> "task";
      };
      boolean done = t.path("is_completed").asBoolean(false);
      b.add(ACTIVITIES, id, kind, null, "leads".equals(entityType) ? entityId : null,
          "leads".equals(entityType) ? entityId : null, "contacts".equals(entityType) ? entityId : null,
          "companies".equals(entityType) ? entityId : null, id(t.get("responsible_user_id")), ts(t.get("created_at")),
          done ? ts(t.get("updated_at")) : null, t.hasNonNull("duration") ? t.get("duration").asInt() : null,
          t.path("created_by").asLong(-1) == 0);
      b.add(RAW_TASKS, id, t.path("updated_at").asLong(), t.toString());
    }

    void event(JsonNode e, Batch b) throws BadRecord {
      String id = e.path("id").asText(null);
      String type = e.path("type").asText("");
      String entityId = id(e.get("entity_id"));
      if (id == null || entityId == null || !e.path("created_at").canConvertToLong()) {
        throw new BadRecord("event without id, entity_id or created_at");
      }
      if ("lead_status_changed".equals(type)) {
        JsonNode after = e.path("value_after").path(0).path("lead_status");
        JsonNode before = e.path("value_before").path(0).path("lead_status");
        if (!after.hasNonNull("id") || !after.hasNonNull("pipeline_id")) {
          throw new BadRecord("lead_status_changed without value_after.lead_status");
        }
        String from = before.hasNonNull("id") ? stageId(before.path("pipeline_id"), before.path("id")) : null;
        b.add(HISTORY, entityId, after.path("pipeline_id").asText(), from,
            stageId(after.path("pipeline_id"), after.path("id")), ts(e.get("created_at")), id(e.get("created_by")),
            false);
      }
      b.add(RAW_EVENTS, id, type, entityId, e.path("created_at").asLong(), e.toString());
    }

    private static String requireId(JsonNode n) throws BadRecord {
      String id = id(n.get("id"));
      if (id == null) {
        throw new BadRecord("record without id");
      }
      return id;
    }

    /** First value of the custom field with this field_code (PHONE, EMAIL, UTM_SOURCE...). */
    static String fieldByCode(JsonNode n, String code) {
      for (JsonNode f : n.path("custom_fields_values")) {
        if (code.equalsIgnoreCase(f.path("field_code").asText(""))) {
          JsonNode v = f.path("values").path(0).path("value");
          return v.isMissingNode() || v.isNull() ? null : v.asText();
        }
      }
      return null;
    }

    /** Replaces the record's crm.custom_fields rows (all values of a field joined with "; "). */
    void customFields(JsonNode n, String entity, String id, Batch b, List<String> skipCodes) {
      b.clear(CUSTOM, entity, id);
      for (JsonNode f : n.path("custom_fields_values")) {
        if (skipCodes.contains(f.path("field_code").asText("").toUpperCase(Locale.ROOT))) {
          continue;
        }
        List<String> values = new ArrayList<>();
        for (JsonNode v : f.path("values")) {
          values.add(v.path("value").asText());
        }
        b.add(CUSTOM, entity, id, f.path("field_id").asText(), f.path("field_name").asText(null),
            String.join("; ", values));
      }
    }
  }
}
