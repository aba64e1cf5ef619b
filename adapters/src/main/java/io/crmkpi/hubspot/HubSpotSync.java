package io.crmkpi.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmkpi.files.exports.ChannelMapper;
import io.crmkpi.http.ApiClient;
import io.crmkpi.http.HttpClock;
import io.crmkpi.http.RateLimiter;
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
import io.crmkpi.sync.Prefetch;
import io.crmkpi.sync.SyncStore;
import io.crmkpi.sync.TableSpec;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.Future;

/**
 * Syncs a HubSpot portal (CRM v3) with a private-app token. Pipelines (stage metadata → stage kind)
 * and owners (→ users) are read whole every run. Companies, contacts and deals are read whole the
 * first time with the list endpoints and their {@code after} cursor (deals with
 * {@code propertiesWithHistory=dealstage,closedate,amount}, which also seeds the past of
 * {@code crm.deal_snapshots}, and their contact/company associations), afterwards
 * incrementally with the search API on the last-modified property. A search query serves at most
 * 10,000 results, so a longer window is split: the next query starts at the last modification time
 * seen, and when 10,000 records share one millisecond (a bulk edit) that millisecond is walked by
 * {@code hs_object_id}. Changed deals are then read in batches (with their stage history) and their
 * associations in one v4 call per type. Deletions: later runs page through the archived records
 * ({@code archived=true}) first. Every deal is also a lead. Raw records: schema {@code hubspot}.
 */
public final class HubSpotSync implements Source {

  static final String NAME = "hubspot";
  static final String RAW = "hubspot";
  /** HubSpot serves at most this many results of one search query. */
  static final int SEARCH_CAP = 10_000;
  static final int PAGE = 100;
  /** Page size of search queries (HubSpot's maximum there; 100 on lists). */
  static final int SEARCH_PAGE = 200;
  /** Page size of list/batch reads that ask for property history. */
  static final int HISTORY_PAGE = 50;
  /** Changed deals gathered before they are read (v4 association batch reads take up to 1,000). */
  static final int DEAL_FLUSH = 1000;

  static final TableSpec PIPELINES = TableSpec.canonical("pipelines");
  static final TableSpec STAGES = TableSpec.canonical("stages");
  static final TableSpec USERS = TableSpec.canonical("users");
  static final TableSpec COMPANIES = TableSpec.canonical("companies");
  static final TableSpec CONTACTS = TableSpec.canonical("contacts");
  static final TableSpec DEALS = TableSpec.canonical("deals");
  static final TableSpec LEADS = TableSpec.canonical("leads");
  /** Grouped by deal: each read of a deal carries its whole stage history, which replaces the old one. */
  static final TableSpec HISTORY = TableSpec.canonical("deal_stage_history", "deal_id");
  private static final TableSpec REJECTS = TableSpec.canonical("load_rejects");
  /** Past deal intervals from property history, grouped by deal, for DealSnapshots (first full read only). */
  static final TableSpec SEED = TableSpec.raw("util", "deal_snapshot_seed", "deal_id", DealSnapshots.SEED_COLUMNS);
  /** Properties whose history the first full read asks for: the seed of crm.deal_snapshots (dealstage: the stage history too). */
  static final String SEEDED = "dealstage,closedate,amount";

  /** One synced object type. */
  record Kind(String entity, String object, String modified, List<String> properties, String table) {
  }

  static final Kind COMPANY = new Kind("companies", "companies", "hs_lastmodifieddate",
      List.of("name", "industry", "hubspot_owner_id", "createdate", "hs_lastmodifieddate"), "crm.companies");
  static final Kind CONTACT = new Kind("contacts", "contacts", "lastmodifieddate",
      List.of("firstname", "lastname", "email", "phone", "associatedcompanyid", "hubspot_owner_id",
          "hs_analytics_source", "createdate", "lastmodifieddate"), "crm.contacts");
  static final Kind DEAL = new Kind("deals", "deals", "hs_lastmodifieddate",
      List.of("dealname", "amount", "deal_currency_code", "dealstage", "pipeline", "closedate", "createdate",
          "hs_lastmodifieddate", "hubspot_owner_id", "hs_analytics_source", "closed_lost_reason",
          "hs_deal_stage_probability"), "crm.deals");

  private final URI base;
  private final String token;
  private final SourceContext context;
  private final HttpClock clock;
  private final ApiClient.Settings settings;
  /** Wall clock marking the start of a run (the next run starts there); tests set it. */
  java.time.Clock wall = java.time.Clock.systemUTC();
  /** Requests of the last run (both budgets, retries included), for benchmarks. */
  long lastRequests;

  HubSpotSync(URI base, String token, SourceContext context, HttpClock clock, ApiClient.Settings settings) {
    this.base = base;
    this.token = token;
    this.context = context;
    this.clock = clock;
    this.settings = settings;
  }

  static TableSpec raw(String name) {
    return TableSpec.raw(RAW, name, "id", "id VARCHAR", "updated_at VARCHAR", "raw VARCHAR");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override public boolean isRemote() { return true; } // synced incrementally into a kept store

  @Override
  public String toString() {
    return "hubspot:" + base.getHost();
  }

  @Override
  public LoadReport load(Store store, SourceContext ctx) throws SourceException {
    Secrets secrets = new Secrets(token);
    // General limit: N requests per rolling 10 s (100 on Free/Starter, 190 on Professional/Enterprise); search:
    // its own N per second. Window limiters hold each slot until the window has passed after the answer, so
    // HubSpot (which counts arrivals) never sees more than N in its window; the extra 1% covers its clock.
    int per10s = ctx.property("rate_limit").map(Integer::parseInt).orElse(100);
    int searchPerSecond = ctx.property("search_rate").map(v -> Math.max(1, (int) Double.parseDouble(v))).orElse(5);
    String account = base.getAuthority() + ":" + Integer.toHexString(token.hashCode());
    RateLimiter general = RateLimiter.shared("hubspot:" + account + ":" + per10s,
        () -> RateLimiter.window(per10s, Duration.ofMillis(10_100), clock));
    RateLimiter searchLimiter = RateLimiter.shared("hubspot-search:" + account + ":" + searchPerSecond,
        () -> RateLimiter.window(searchPerSecond, Duration.ofMillis(1_010), clock));
    HubSpotClient client = new HubSpotClient(base, token, new ApiClient(general, HubSpotClient.RULE, secrets, clock,
        settings), new ApiClient(searchLimiter, HubSpotClient.RULE, secrets, clock, settings));
    LoadReport report = new LoadReport(NAME);
    JsonNode details = accountDetails(client, store);
    ZoneId zone = zone(ctx, details);
    ZoneId accountZone = accountZone(details, zone);
    // a single-currency portal's deals have no deal_currency_code: their amounts are in the company currency
    String currency = HubSpotMapper.text(details.get("companyCurrency"));
    long overlapMs = ctx.property("sync_overlap").map(Long::parseLong).orElse(300L) * 1000;
    try (SyncStore st = new SyncStore(store, NAME, zone)) {
      HubSpotMapper m = new HubSpotMapper(zone, accountZone, currency != null ? currency : ctx.currency().orElse(null),
          ChannelMapper.load(store, Map.of()));
      for (String t : List.of("companies", "contacts", "deals", "owners", "pipelines")) {
        st.ensure(raw(t));
      }
      st.ensure(SEED);
      step(st, "pipelines", () -> pipelines(client, st, m, report));
      step(st, "users", () -> owners(client, st, m, report));
      for (Kind k : List.of(COMPANY, CONTACT, DEAL)) {
        step(st, k.entity(), () -> sync(client, store, st, m, report, k, overlapMs));
      }
      st.transaction(postSteps());
      st.reportingZone();
      StoreDerivations.apply(store, ctx.currency());
      DealSnapshots.record(store, DealSnapshots.asOf(wall, zone));
    } catch (SQLException e) {
      throw new SourceException("HubSpot: writing the store failed: " + secrets.mask(e.getMessage()));
    } finally {
      lastRequests = client.requests();
    }
    return report;
  }

  /**
   * GET /account-info/v3/details: the portal's {@code timeZone} and {@code companyCurrency}. A token
   * not allowed to read it (403) leaves both unknown: UTC unless timezone= is set.
   */
  private JsonNode accountDetails(HubSpotClient client, Store store) throws SourceException {
    try {
      return client.get("/account-info/v3/details", Map.of());
    } catch (io.crmkpi.http.ApiException e) {
      if (e.status() != 403) {
        // the first request: a bad token or address fails here, and crm.sync_state says so
        try (SyncStore st = new SyncStore(store, NAME, ZoneId.of("UTC"))) {
          st.failed("pipelines", e.getMessage());
        } catch (SQLException ignored) {
          // the store is failing too; the API error is what the user needs
        }
        throw e;
      }
      context.progress(NAME + ": the token may not read the account's details (time zone, currency); "
          + "set timezone= (default UTC)");
      return HubSpotClient.JSON.createObjectNode();
    }
  }

  /** Property timezone, else the portal's time zone. */
  static ZoneId zone(SourceContext ctx, JsonNode account) throws SourceException {
    String z = ctx.property("timezone").orElse(account.path("timeZone").asText("UTC"));
    try {
      return ZoneId.of(z);
    } catch (RuntimeException e) {
      throw new SourceException("HubSpot: unknown time zone '" + z + "'; set timezone= to an IANA zone such as "
          + "Europe/Berlin");
    }
  }

  /**
   * The portal's own zone, in which HubSpot shows dates such as closedate; unknown (a token that may
   * not read the account details, an unknown name): the reporting zone.
   */
  static ZoneId accountZone(JsonNode account, ZoneId fallback) {
    try {
      return account.hasNonNull("timeZone") ? ZoneId.of(account.get("timeZone").asText()) : fallback;
    } catch (RuntimeException e) {
      return fallback;
    }
  }

  private interface Step {
    void run() throws SourceException, SQLException;
  }

  private void step(SyncStore st, String entity, Step s) throws SourceException, SQLException {
    st.started(entity);
    try {
      s.run();
    } catch (SourceException | SQLException | RuntimeException e) {
      st.failed(entity, e.getMessage());
      throw e;
    }
  }

  private void pipelines(HubSpotClient client, SyncStore st, HubSpotMapper m, LoadReport report)
      throws SourceException, SQLException {
    JsonNode n = client.get("/crm/v3/pipelines/deals", Map.of("archived", false));
    Batch b = new Batch().complete(PIPELINES).complete(STAGES).complete(raw("pipelines"));
    long count = 0;
    for (JsonNode p : n.path("results")) {
      b.next();
      m.pipeline(p, b);
      count++;
    }
    st.commit("pipelines", b, null, null);
    report.add("GET /crm/v3/pipelines/deals", "pipelines", count, 0);
    st.finished("pipelines", null, st.count("crm.stages"));
  }

  /** Active owners, then archived ones (deals may still name them). */
  private void owners(HubSpotClient client, SyncStore st, HubSpotMapper m, LoadReport report)
      throws SourceException, SQLException {
    Batch b = new Batch().complete(USERS).complete(raw("owners"));
    long count = 0;
    for (boolean archived : new boolean[] {false, true}) {
      String after = null;
      do {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("limit", PAGE);
        q.put("archived", archived);
        if (after != null) {
          q.put("after", after);
        }
        JsonNode n = client.get("/crm/v3/owners", q);
        for (JsonNode o : n.path("results")) {
          b.next();
          m.owner(o, archived, b);
          count++;
        }
        after = n.path("paging").path("next").path("after").asText(null);
      } while (after != null);
    }
    st.commit("users", b, null, null);
    report.add("GET /crm/v3/owners", "users", count, 0);
    st.finished("users", null, st.count("crm.users"));
  }

  /**
   * First run (or an unfinished one): the list with its after cursor; afterwards: deletions, then
   * search. (Deletions first: a record archived and restored during the run ends live, since a
   * restore changes its modification time and search then reads it.)
   */
  private void sync(HubSpotClient client, Store store, SyncStore st, HubSpotMapper m, LoadReport report, Kind k,
      long overlapMs) throws SourceException, SQLException {
    Checkpoint cp = st.checkpoint(k.entity());
    if (cp.cursor() != null || cp.highWaterMark() == null) {
      m.seedHistory(k == DEAL);
      list(client, st, m, report, k, cp.cursor());
    } else {
      m.seedHistory(false);
      archived(client, store, st, report, k);
      search(client, st, m, report, k, Long.parseLong(cp.highWaterMark()) - overlapMs);
    }
  }

  /**
   * Deletions. HubSpot archives a deleted record (restorable for 90 days, then purged): search and
   * the normal lists stop returning it, the list with {@code archived=true} returns it with
   * {@code archivedAt}. That list has no filter on archivedAt, so each incremental run pages through
   * all archived records (100 a page, no history), and writes only those the store still holds live:
   * a deal gets {@code is_deleted = true} (KPI views exclude it), a contact or company leaves
   * crm.contacts / crm.companies; the raw row becomes the archived record ({@code "archived": true}).
   * A first (full) load needs no such pass: it reads only live records.
   */
  private void archived(HubSpotClient client, Store store, SyncStore st, LoadReport report, Kind k)
      throws SourceException, SQLException {
    String path = "/crm/v3/objects/" + k.object();
    boolean deals = k == DEAL;
    String key = switch (k.entity()) {
      case "companies" -> "company_id";
      case "contacts" -> "contact_id";
      default -> "deal_id";
    };
    String after = null;
    long applied = 0;
    try (Connection c = store.connect(); Statement s = c.createStatement()) {
      do {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("limit", PAGE);
        q.put("properties", String.join(",", k.properties()));
        q.put("archived", true);
        if (after != null) {
          q.put("after", after);
        }
        JsonNode n = client.get(path, q);
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        for (JsonNode r : n.path("results")) {
          String id = HubSpotMapper.text(r.get("id"));
          if (id != null) {
            byId.put(id, r);
          }
        }
        Set<String> live = new HashSet<>();
        if (!byId.isEmpty()) {
          String in = inList(byId.keySet());
          try (ResultSet rs = s.executeQuery("SELECT " + key + " FROM " + k.table() + " WHERE " + key + " IN (" + in + ")"
              + (deals ? " AND NOT coalesce(is_deleted, false)" : ""))) {
            while (rs.next()) {
              live.add(rs.getString(1));
            }
          }
        }
        if (!live.isEmpty()) {
          Batch b = new Batch();
          for (String id : live) {
            JsonNode r = byId.get(id);
            b.next().add(raw(k.object()), id, HubSpotMapper.text(r.get("archivedAt")), r.toString());
            if (!deals) {
              b.clear(k == COMPANY ? COMPANIES : CONTACTS, id);
            }
          }
          if (deals) {
            b.then("UPDATE crm.deals SET is_deleted = true WHERE deal_id IN (" + inList(live) + ")");
          }
          st.commit(k.entity(), b, null, null);
          applied += live.size();
        }
        after = n.path("paging").path("next").path("after").asText(null);
      } while (after != null);
    }
    report.add("GET " + path + "?archived=true", k.entity(), applied, 0);
    if (applied > 0) {
      context.progress(NAME + " " + k.entity() + ": " + applied + " deleted");
    }
  }

  private static String inList(Collection<String> ids) {
    StringJoiner j = new StringJoiner(", ");
    ids.forEach(id -> j.add("'" + id.replace("'", "''") + "'"));
    return j.toString();
  }

  /**
   * Full read in id order. Cursor of an unfinished run: {@code runStart|after}. The high-water mark
   * becomes the run's start: a record edited during the scan may be behind the cursor, but its new
   * modification time is after the start, so the next (search) run gets it.
   */
  private void list(HubSpotClient client, SyncStore st, HubSpotMapper m, LoadReport report, Kind k, String cursor)
      throws SourceException, SQLException {
    long runStart = wall.millis();
    String after = null;
    if (cursor != null) {
      String[] c = cursor.split("\\|", -1);
      runStart = Long.parseLong(c[0]);
      after = c[1].isEmpty() ? null : c[1];
    }
    String path = "/crm/v3/objects/" + k.object();
    long read = 0;
    long rejected = 0;
    try (Prefetch prefetch = new Prefetch()) {
      String a0 = after;
      Future<JsonNode> next = prefetch.start(() -> listPage(client, path, k, a0));
      while (true) {
        JsonNode n = Prefetch.join(next);
        List<JsonNode> items = new ArrayList<>();
        n.path("results").forEach(items::add);
        rejected += map(st, m, k, items, "GET " + path);
        read += items.size();
        after = n.path("paging").path("next").path("after").asText(null);
        if (after == null) {
          break;
        }
        String a = after;
        next = prefetch.start(() -> listPage(client, path, k, a)); // while this page is committed
        // the page and the cursor after it move together
        st.commit(k.entity(), pending, null, runStart + "|" + after);
        pending = null;
        context.progress(NAME + " " + k.entity() + ": " + read + " read");
      }
    }
    st.commit(k.entity(), pending, Long.toString(runStart), null);
    pending = null;
    report.add("GET " + path, k.entity(), read - rejected, rejected);
    st.finished(k.entity(), Long.toString(runStart), st.count(k.table()));
  }

  private static JsonNode listPage(HubSpotClient client, String path, Kind k, String after) throws SourceException {
    boolean deals = k == DEAL;
    Map<String, Object> q = new LinkedHashMap<>();
    q.put("limit", deals ? HISTORY_PAGE : PAGE);
    q.put("properties", String.join(",", k.properties()));
    if (deals) {
      q.put("propertiesWithHistory", SEEDED);
      q.put("associations", "contacts,companies");
    }
    q.put("archived", false);
    if (after != null) {
      q.put("after", after);
    }
    return client.get(path, q);
  }

  /** The batch built by {@link #map}, committed by the caller together with its checkpoint. */
  private Batch pending;

  private long map(SyncStore st, HubSpotMapper m, Kind k, List<JsonNode> items, String label) {
    Batch b = new Batch();
    long rejected = 0;
    for (JsonNode item : items) {
      b.next();
      try {
        switch (k.entity()) {
          case "companies" -> m.company(item, b);
          case "contacts" -> m.contact(item, b);
          default -> m.deal(item, b);
        }
      } catch (BadRecord | RuntimeException e) {
        b.dropCurrent();
        b.next().add(REJECTS, NAME, label, k.entity(), e instanceof BadRecord ? e.getMessage() : "cannot map: " + e,
            item.toString(), LocalDateTime.now());
        rejected++;
      }
    }
    pending = b;
    return rejected;
  }

  /**
   * Records modified at or after {@code from} (epoch ms), ascending, through the search API. Each
   * page is committed with a resume point no later than the run's start and than the last
   * modification time fully read, so a crash only re-reads, never skips.
   */
  private void search(HubSpotClient client, SyncStore st, HubSpotMapper m, LoadReport report, Kind k, long from)
      throws SourceException, SQLException {
    long runStart = wall.millis();
    String path = "/crm/v3/objects/" + k.object() + "/search";
    boolean deals = k == DEAL;
    long w = from;
    Long firstModified = null; // of the current query
    boolean tie = false; // walking one millisecond by hs_object_id
    Map<String, Long> seen = new HashMap<>(); // id → modification time read in this run
    List<JsonNode> buffer = new ArrayList<>();
    long idFrom = 0; // the current tie query's lower id bound (exclusive)
    long lastId = 0; // the last id seen
    String after = null;
    long read = 0;
    long rejected = 0;
    while (true) {
      ObjectNode body = HubSpotClient.JSON.createObjectNode();
      ArrayNode filters = body.putArray("filterGroups").addObject().putArray("filters");
      filters.addObject().put("propertyName", k.modified()).put("operator", tie ? "EQ" : "GTE").put("value", Long.toString(w));
      if (tie) {
        filters.addObject().put("propertyName", "hs_object_id").put("operator", "GT").put("value", Long.toString(idFrom));
      }
      body.putArray("sorts").addObject().put("propertyName", tie ? "hs_object_id" : k.modified())
          .put("direction", "ASCENDING");
      ArrayNode props = body.putArray("properties");
      (deals ? List.of(k.modified()) : k.properties()).forEach(props::add);
      body.put("limit", SEARCH_PAGE);
      if (after != null) {
        body.put("after", after);
      }
      JsonNode n = client.post(path, body);
      List<JsonNode> found = new ArrayList<>();
      n.path("results").forEach(found::add);
      // overlapping queries find some records again; unchanged ones are neither read nor written twice
      List<JsonNode> fresh = new ArrayList<>();
      for (JsonNode f : found) {
        if (!Long.valueOf(modified(f, k)).equals(seen.put(f.path("id").asText(), modified(f, k)))) {
          fresh.add(f);
        }
      }
      long lastModified = found.isEmpty() ? w : modified(found.get(found.size() - 1), k);
      if (firstModified == null && !found.isEmpty()) {
        firstModified = modified(found.get(0), k);
      }
      if (!found.isEmpty()) {
        lastId = Long.parseLong(found.get(found.size() - 1).path("id").asText());
      }
      String next = n.path("paging").path("next").path("after").asText(null);
      long resume = Math.max(from, Math.min(tie ? w : lastModified, runStart));
      // deals are read in full (batch read + associations) once DEAL_FLUSH have gathered, so that the
      // association calls cover many search pages; other objects are committed page by page
      buffer.addAll(fresh);
      if (!deals || buffer.size() >= DEAL_FLUSH) {
        long[] counts = flush(client, st, m, k, buffer, path, resume);
        read += counts[0];
        rejected += counts[1];
        context.progress(NAME + " " + k.entity() + ": " + read + " changed read");
      }
      if (next == null) {
        if (tie) {
          tie = false; // this millisecond is done: continue after it
          w = w + 1;
          after = null;
          firstModified = null;
          continue;
        }
        break;
      }
      if (Long.parseLong(next) + SEARCH_PAGE > SEARCH_CAP) {
        // the next page would pass the 10,000-result cap: start a new query (a new time window)
        after = null;
        if (tie) {
          idFrom = lastId; // same millisecond, a new query from the last id seen
          continue;
        }
        if (firstModified != null && firstModified == lastModified) {
          tie = true; // 10,000 results in one millisecond (a bulk edit): walk it by id
          w = lastModified;
          idFrom = 0;
        } else {
          w = lastModified; // a new time window from the last time seen
        }
        firstModified = null;
        continue;
      }
      after = next;
    }
    long[] counts = flush(client, st, m, k, buffer, path, Math.max(from, runStart));
    read += counts[0];
    rejected += counts[1];
    report.add("POST " + path, k.entity(), read - rejected, rejected);
    st.finished(k.entity(), Long.toString(Math.max(from, runStart)), st.count(k.table()));
  }

  /** Maps (deals: reads first) and commits the gathered records with the resume point; returns {read, rejected}. */
  private long[] flush(HubSpotClient client, SyncStore st, HubSpotMapper m, Kind k, List<JsonNode> buffer, String path,
      long resume) throws SourceException, SQLException {
    List<JsonNode> items = k == DEAL ? dealDetails(client, buffer) : buffer;
    long rejected = map(st, m, k, items, "POST " + path);
    st.commit(k.entity(), pending, Long.toString(resume), null);
    pending = null;
    buffer.clear();
    return new long[] {items.size(), rejected};
  }

  private static long modified(JsonNode item, Kind k) {
    String v = item.path("properties").path(k.modified()).asText(null);
    if (v == null) {
      v = item.path("updatedAt").asText();
    }
    return v.chars().allMatch(Character::isDigit) ? Long.parseLong(v) : Instant.parse(v).toEpochMilli();
  }

  /**
   * Found deals with their full properties and stage history (batch read, 50 a call) and their
   * contact and company associations (one v4 batch call per type), in the list's record shape.
   */
  private List<JsonNode> dealDetails(HubSpotClient client, List<JsonNode> found) throws SourceException {
    if (found.isEmpty()) {
      return List.of();
    }
    Map<String, ObjectNode> byId = new LinkedHashMap<>();
    for (int i = 0; i < found.size(); i += HISTORY_PAGE) {
      ObjectNode body = HubSpotClient.JSON.createObjectNode();
      DEAL.properties().forEach(body.putArray("properties")::add);
      body.putArray("propertiesWithHistory").add("dealstage");
      ArrayNode inputs = body.putArray("inputs");
      found.subList(i, Math.min(found.size(), i + HISTORY_PAGE)).forEach(f -> inputs.addObject().put("id", f.path("id").asText()));
      for (JsonNode d : client.post("/crm/v3/objects/deals/batch/read", body).path("results")) {
        byId.put(d.path("id").asText(), (ObjectNode) d.deepCopy());
      }
    }
    List<String> ids = new ArrayList<>(byId.keySet());
    for (String type : List.of("contacts", "companies")) {
      Map<String, ArrayNode> to = new HashMap<>();
      for (int i = 0; i < ids.size(); i += DEAL_FLUSH) { // at most 1,000 inputs a call
        ObjectNode body = HubSpotClient.JSON.createObjectNode();
        ArrayNode inputs = body.putArray("inputs");
        ids.subList(i, Math.min(ids.size(), i + DEAL_FLUSH)).forEach(id -> inputs.addObject().put("id", id));
        for (JsonNode r : client.post("/crm/v4/associations/deals/" + type + "/batch/read", body).path("results")) {
          ArrayNode list = HubSpotClient.JSON.createArrayNode();
          r.path("to").forEach(t -> list.addObject().put("id", t.path("toObjectId").asText()));
          to.put(r.path("from").path("id").asText(), list);
        }
      }
      for (var e : byId.entrySet()) {
        ObjectNode assoc = e.getValue().has("associations") ? (ObjectNode) e.getValue().get("associations")
            : e.getValue().putObject("associations");
        assoc.putObject(type).set("results", to.getOrDefault(e.getKey(), HubSpotClient.JSON.createArrayNode()));
      }
    }
    // search order; a deal deleted between search and read is simply absent
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode f : found) {
      ObjectNode d = byId.get(f.path("id").asText());
      if (d != null) {
        out.add(d);
      }
    }
    return out;
  }

  /** After all entities: derived orders cleared for StoreDerivations to rebuild from the current won deals. */
  static String[] postSteps() {
    return new String[] {
        "DELETE FROM crm.orders WHERE order_id = deal_id AND deal_id IN (SELECT deal_id FROM crm.deals)"};
  }
}
