package io.crmkpi.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmkpi.http.FakeApiServer;
import io.crmkpi.http.HttpClock;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * HubSpot CRM v3 as documented, over generated data: Bearer private-app tokens, string properties
 * (times as ISO-8601 with Z), list endpoints with an {@code after} cursor (limit &lt;= 100, &lt;= 50
 * with {@code propertiesWithHistory}), the search API (filters GTE/GT/EQ, one sort, limit &lt;= 100,
 * offset {@code after}, and a 400 for any page reaching past result 10,000), batch read, v4
 * association batch read, owners, pipelines with string stage metadata, and the rate limits: a
 * rolling 10-second window for all calls but search and a rolling second for search, answering 429
 * {@code RATE_LIMIT} with HubSpot's policy names and headers; a daily budget answers 429 DAILY.
 */
public final class FakeHubSpotServer extends FakeApiServer {

  static final ObjectMapper M = new ObjectMapper();
  public static final String TOKEN = "pat-na1-7f3c9a2e-1b4d-4e8f-9a6b-SECRETSECRET";
  static final long T0 = 1704067200000L; // 2024-01-01T00:00:00Z
  /** Stage id, probability, isClosed, per pipeline. */
  static final String[][] DEFAULT_STAGES = {{"appointmentscheduled", "0.2", "false"}, {"qualifiedtobuy", "0.4", "false"},
      {"presentationscheduled", "0.6", "false"}, {"closedwon", "1.0", "true"}, {"closedlost", "0.0", "true"}};
  static final String[][] CUSTOM_STAGES = {{"1001", "0.1", "false"}, {"1002", "0.5", "false"}, {"1003", "1.0", "true"},
      {"1004", "0.0", "true"}};
  static final String CUSTOM_PIPELINE = "7740";
  static final String[] SOURCES = {"ORGANIC_SEARCH", "PAID_SEARCH", "DIRECT_TRAFFIC", "OFFLINE", "REFERRALS"};

  public final TreeMap<Long, ObjectNode> deals = new TreeMap<>();
  public final TreeMap<Long, ObjectNode> contacts = new TreeMap<>();
  public final TreeMap<Long, ObjectNode> companies = new TreeMap<>();
  final List<ObjectNode> owners = new ArrayList<>();
  /** Archived (deleted) records by type: gone from lists, search and batch read; listed with archived=true. */
  public final Map<String, TreeMap<Long, ObjectNode>> archived = Map.of("deals", new TreeMap<>(), "contacts",
      new TreeMap<>(), "companies", new TreeMap<>());
  /** Deal id → associated contact / company ids. */
  final Map<Long, long[]> dealContacts = new TreeMap<>();
  final Map<Long, long[]> dealCompanies = new TreeMap<>();
  /** Records served per endpoint kind ("list deals", "search deals", "batch deals"...). */
  public final Map<String, Integer> served = new TreeMap<>();
  /** The portal's clock in epoch ms; changes are stamped with it. */
  public long now = T0 + 300L * 86_400_000;
  /** The portal's time zone and company currency (GET /account-info/v3/details). */
  public String timeZone = "US/Eastern";
  public String companyCurrency = "EUR";
  /** A single-currency portal: deals have no deal_currency_code property at all. */
  public boolean singleCurrency;
  /** The token may not read the account's details (403 MISSING_SCOPES). */
  public boolean accountInfoForbidden;
  public int per10s = 100;
  public int searchPerSecond = 5;
  public long dailyLimit = Long.MAX_VALUE;
  /** When set, 401 answers quote the presented token (to prove the client masks it). */
  boolean echoToken;
  private final Deque<Long> window = new ArrayDeque<>();
  private final Deque<Long> searchWindow = new ArrayDeque<>();
  private long daily;
  private final Random rnd;

  public FakeHubSpotServer(HttpClock clock, long seed, int nDeals) throws IOException {
    super(clock);
    rnd = new Random(seed);
    for (int i = 1; i <= 6; i++) {
      ObjectNode o = M.createObjectNode().put("id", String.valueOf(5000 + i)).put("email", "owner" + i + "@example.com")
          .put("firstName", "Owner").put("lastName", "N" + i).put("userId", 900 + i)
          .put("createdAt", iso(T0)).put("updatedAt", iso(T0)).put("archived", i == 6);
      o.putArray("teams").addObject().put("id", "77").put("name", i <= 3 ? "North" : "South").put("primary", true);
      owners.add(o);
    }
    int nCompanies = Math.max(10, nDeals / 20);
    for (long id = 1; id <= nCompanies; id++) {
      long c = T0 + (long) (rnd.nextDouble() * 200 * 86_400_000L);
      ObjectNode p = M.createObjectNode().put("name", "Company " + id).put("industry", id % 3 == 0 ? "RETAIL" : null)
          .put("hubspot_owner_id", owner()).put("createdate", iso(c)).put("hs_lastmodifieddate", iso(c + rnd.nextInt(86_400_000)));
      companies.put(3_000_000 + id, record(3_000_000 + id, p));
    }
    int nContacts = Math.max(20, nDeals / 5);
    for (long id = 1; id <= nContacts; id++) {
      long c = T0 + (long) (rnd.nextDouble() * 200 * 86_400_000L);
      ObjectNode p = M.createObjectNode().put("firstname", "First" + id).put("lastname", id % 7 == 0 ? null : "Last" + id)
          .put("email", "c" + id + "@example.com").put("phone", "+4930" + id)
          .put("associatedcompanyid", rnd.nextBoolean() ? String.valueOf(3_000_001 + rnd.nextInt(nCompanies)) : null)
          .put("hubspot_owner_id", owner()).put("hs_analytics_source", SOURCES[rnd.nextInt(SOURCES.length)])
          .put("createdate", iso(c)).put("lastmodifieddate", iso(c + rnd.nextInt(86_400_000)));
      contacts.put(1_000_000 + id, record(1_000_000 + id, p));
    }
    for (long id = 1; id <= nDeals; id++) {
      long dealId = 9_000_000_000L + id * 7;
      boolean custom = rnd.nextInt(3) == 0;
      String[][] f = custom ? CUSTOM_STAGES : DEFAULT_STAGES;
      long c = T0 + (long) (rnd.nextDouble() * 250 * 86_400_000L);
      int last = rnd.nextInt(f.length);
      ObjectNode p = M.createObjectNode().put("dealname", "Deal " + id).put("pipeline", custom ? CUSTOM_PIPELINE : "default")
          .put("amount", rnd.nextInt(10) == 0 ? null : String.valueOf(100 + rnd.nextInt(90_000)) + (rnd.nextBoolean() ? ".5" : ""))
          .put("deal_currency_code", rnd.nextInt(4) == 0 ? "USD" : "EUR").put("createdate", iso(c))
          .put("hubspot_owner_id", owner()).put("hs_analytics_source", rnd.nextInt(4) == 0 ? null : SOURCES[rnd.nextInt(5)])
          .put("closed_lost_reason", "Too expensive").put("closedate", (String) null);
      ObjectNode d = record(dealId, p);
      d.putObject("propertiesWithHistory").putArray("dealstage");
      track(d, "amount", c);
      long t = c;
      for (int i = 0; i <= last; i++) {
        if (i > 0 && i < last && f[i][2].equals("true")) {
          continue;
        }
        if (i > 0) {
          t += 60_000 + (long) (rnd.nextDouble() * 5 * 86_400_000L);
        }
        stage(d, f[i][0], t, f[i][2].equals("true"));
      }
      p.put("hs_lastmodifieddate", iso(t + rnd.nextInt(3_600_000)));
      long[] cs = new long[1 + rnd.nextInt(2)];
      for (int i = 0; i < cs.length; i++) {
        cs[i] = 1_000_001 + rnd.nextInt(nContacts);
      }
      dealContacts.put(dealId, cs);
      dealCompanies.put(dealId, rnd.nextBoolean() ? new long[] {3_000_001 + rnd.nextInt(nCompanies)} : new long[0]);
      deals.put(dealId, d);
    }
  }

  /**
   * Adds an open deal created at {@code created} (epoch ms) in the default pipeline, without
   * associations; in a single-currency portal without deal_currency_code.
   */
  public synchronized ObjectNode addDeal(long id, long created, String amount) {
    ObjectNode p = M.createObjectNode().put("dealname", "Deal " + id).put("pipeline", "default").put("amount", amount)
        .put("createdate", iso(created)).put("hubspot_owner_id", "5001").put("hs_lastmodifieddate", iso(created + 1000));
    if (!singleCurrency) {
      p.put("deal_currency_code", companyCurrency);
    }
    ObjectNode d = record(id, p);
    d.putObject("propertiesWithHistory").putArray("dealstage");
    track(d, "amount", created);
    stage(d, DEFAULT_STAGES[0][0], created, false);
    dealContacts.put(id, new long[0]);
    dealCompanies.put(id, new long[0]);
    deals.put(id, d);
    return d;
  }

  private String owner() {
    return String.valueOf(5001 + rnd.nextInt(6));
  }

  private static ObjectNode record(long id, ObjectNode p) {
    ObjectNode r = M.createObjectNode().put("id", String.valueOf(id));
    p.put("hs_object_id", String.valueOf(id));
    r.set("properties", p);
    return r;
  }

  static String iso(long ms) {
    return Instant.ofEpochMilli(ms).toString().replaceAll("(\\.\\d{3})?Z$", "") + String.format(".%03dZ", ms % 1000);
  }

  static long ms(String iso) {
    return Instant.parse(iso).toEpochMilli();
  }

  /**
   * Records the current value of {@code property} as set at {@code t} in the deal's property history
   * (newest first, as HubSpot lists it: {value, timestamp, sourceType, sourceId}); an unset value has none.
   */
  private static void track(ObjectNode d, String property, long t) {
    JsonNode v = d.get("properties").get(property);
    if (v == null || v.isNull()) {
      return;
    }
    ObjectNode h = (ObjectNode) d.get("propertiesWithHistory");
    ArrayNode list = h.has(property) ? (ArrayNode) h.get(property) : h.putArray(property);
    list.insert(0, M.createObjectNode().put("value", v.asText()).put("timestamp", iso(t)).put("sourceType", "CRM_UI")
        .put("sourceId", "userId:901").put("updatedByUserId", 901));
  }

  /** The stage's probability ("0.0".."1.0") as its metadata gives it. */
  static String stageProbability(String stage) {
    for (String[][] f : new String[][][] {DEFAULT_STAGES, CUSTOM_STAGES}) {
      for (String[] s : f) {
        if (s[0].equals(stage)) {
          return s[1];
        }
      }
    }
    throw new IllegalArgumentException(stage);
  }

  /**
   * Sets a deal property at {@code t} as a user does in HubSpot: the value (null clears it), its
   * history entry for dealstage, amount and closedate, and the modification time.
   */
  public synchronized void set(long dealId, String property, String value, long t) {
    ObjectNode d = deals.get(dealId);
    ObjectNode p = (ObjectNode) d.get("properties");
    if (property.equals("dealstage")) {
      String[] s = Arrays.stream(DEFAULT_STAGES).filter(x -> x[0].equals(value)).findFirst()
          .orElseGet(() -> Arrays.stream(CUSTOM_STAGES).filter(x -> x[0].equals(value)).findFirst().orElseThrow());
      stage(d, value, t, s[2].equals("true"));
    } else {
      p.put(property, value);
      if (List.of("amount", "closedate").contains(property)) {
        track(d, property, t);
      }
    }
    p.put("hs_lastmodifieddate", iso(t));
  }

  /** Deal enters {@code stage} at {@code t}: history entry (newest first, as HubSpot lists it). */
  private void stage(ObjectNode d, String stage, long t, boolean closed) {
    ObjectNode p = (ObjectNode) d.get("properties");
    p.put("dealstage", stage);
    // HubSpot's calculated property: the stage's probability
    p.put("hs_deal_stage_probability", stageProbability(stage));
    if (closed) {
      p.put("closedate", iso(t));
      track(d, "closedate", t);
    }
    ArrayNode h = (ArrayNode) d.get("propertiesWithHistory").get("dealstage");
    h.insert(0, M.createObjectNode().put("value", stage).put("timestamp", iso(t)).put("sourceType", "CRM_UI")
        .put("sourceId", "userId:" + (901 + rnd.nextInt(6))).put("updatedByUserId", 901 + rnd.nextInt(6)));
  }

  /** Moves an open deal one stage on (or to won/lost), changes its amount, stamped {@code at}. */
  public synchronized void advance(long dealId, long at) {
    ObjectNode d = deals.get(dealId);
    ObjectNode p = (ObjectNode) d.get("properties");
    String[][] f = CUSTOM_PIPELINE.equals(p.get("pipeline").asText()) ? CUSTOM_STAGES : DEFAULT_STAGES;
    int i = 0;
    while (!f[i][0].equals(p.get("dealstage").asText())) {
      i++;
    }
    if (!f[i][2].equals("true")) {
      int next = i + 1;
      stage(d, f[next][0], at, f[next][2].equals("true"));
    }
    p.put("amount", String.valueOf(200 + rnd.nextInt(50_000)));
    track(d, "amount", at);
    p.put("hs_lastmodifieddate", iso(at));
  }

  /** Renames a contact, stamped {@code at}. */
  public synchronized void renameContact(long id, long at) {
    ObjectNode p = (ObjectNode) contacts.get(id).get("properties");
    p.put("firstname", "Renamed" + id).put("lastmodifieddate", iso(at));
  }

  private TreeMap<Long, ObjectNode> live(String type) {
    return switch (type) {
      case "deals" -> deals;
      case "contacts" -> contacts;
      case "companies" -> companies;
      default -> throw new IllegalArgumentException(type);
    };
  }

  /** Deletes a record as HubSpot does: archived at {@code at}, out of every list but the archived one. */
  public synchronized void archive(String type, long id, long at) {
    ObjectNode r = live(type).remove(id);
    r.put("archivedAt", iso(at));
    archived.get(type).put(id, r);
  }

  /** Restores an archived record; a restore is a modification, stamped {@code at}. */
  public synchronized void restore(String type, long id, long at) {
    ObjectNode r = archived.get(type).remove(id);
    r.remove("archivedAt");
    ((ObjectNode) r.get("properties")).put(type.equals("contacts") ? "lastmodifieddate" : "hs_lastmodifieddate", iso(at));
    live(type).put(id, r);
  }

  // ---- rate limits ------------------------------------------------------------------------------

  @Override
  protected Reply rateLimit() {
    return null;
  }

  @Override
  protected synchronized Reply rateLimit(Call call) {
    long t = clock.nanoTime();
    boolean search = call.path().endsWith("/search");
    Deque<Long> w = search ? searchWindow : window;
    long span = search ? 1_000_000_000L : 10_000_000_000L;
    int max = search ? searchPerSecond : per10s;
    while (!w.isEmpty() && t - w.peekFirst() >= span) {
      w.pollFirst();
    }
    if (++daily > dailyLimit) {
      return tooMany("You have reached your daily limit.", "DAILY", max, 0);
    }
    if (w.size() >= max) {
      return tooMany("You have reached your " + (search ? "secondly" : "ten_secondly_rolling") + " limit.",
          search ? "SECONDLY" : "TEN_SECONDLY_ROLLING", max, span);
    }
    w.addLast(t);
    return null;
  }

  private static Reply tooMany(String message, String policy, int max, long spanNanos) {
    String body = M.createObjectNode().put("status", "error").put("message", message).put("errorType", "RATE_LIMIT")
        .put("correlationId", "c033cdaa-2c40-4a64-ae48-b4cec88dad24").put("policyName", policy)
        .put("requestId", "3d3e35b7-0dae-4b9f-a6e3-9c230cbcf8dd").toString();
    return new Reply(429, body, Map.of("Content-Type", "application/json", "X-HubSpot-RateLimit-Max", String.valueOf(max),
        "X-HubSpot-RateLimit-Remaining", "0", "X-HubSpot-RateLimit-Interval-Milliseconds",
        String.valueOf(spanNanos / 1_000_000)));
  }

  static Reply error(int status, String category, String message) {
    return Reply.json(status, M.createObjectNode().put("status", "error").put("message", message)
        .put("correlationId", "0b6c9e5c-1111-4c1e-9a9e-5f1f0c1d2e3f").put("category", category).toString());
  }

  // ---- endpoints --------------------------------------------------------------------------------

  @Override
  protected synchronized Reply serve(Call c) throws Exception {
    String auth = c.q("#auth");
    if (auth == null || !auth.equals("Bearer " + TOKEN)) {
      return error(401, "INVALID_AUTHENTICATION", "Authentication credentials not found."
          + (echoToken && auth != null ? " Presented: " + auth : ""));
    }
    String path = c.path();
    if (path.equals("/account-info/v3/details") && accountInfoForbidden) {
      return error(403, "MISSING_SCOPES", "This app hasn't been granted all required scopes to make this call.");
    }
    if (path.equals("/account-info/v3/details")) {
      java.time.ZoneId z = java.time.ZoneId.of(timeZone);
      int offsetMs = z.getRules().getOffset(Instant.ofEpochMilli(now)).getTotalSeconds() * 1000;
      ObjectNode o = M.createObjectNode().put("portalId", 62515).put("accountType", "STANDARD").put("timeZone", timeZone)
          .put("companyCurrency", companyCurrency).put("utcOffset", z.getRules().getOffset(Instant.ofEpochMilli(now)).getId())
          .put("utcOffsetMilliseconds", offsetMs).put("uiDomain", "app.hubspot.com").put("dataHostingLocation", "na1");
      ArrayNode extra = o.putArray("additionalCurrencies");
      if (!singleCurrency) {
        extra.add("USD");
      }
      return Reply.json(200, o.toString());
    }
    if (path.equals("/crm/v3/pipelines/deals")) {
      return Reply.json(200, pipelines().toString());
    }
    if (path.equals("/crm/v3/owners")) {
      boolean archived = "true".equals(c.q("archived"));
      int limit = c.q("limit") == null ? 100 : Integer.parseInt(c.q("limit"));
      if (limit > 500) {
        return error(400, "VALIDATION_ERROR", "limit must be at most 500");
      }
      int after = c.q("after") == null ? 0 : Integer.parseInt(c.q("after"));
      List<ObjectNode> all = owners.stream().filter(o -> o.get("archived").asBoolean() == archived).toList();
      ObjectNode out = M.createObjectNode();
      ArrayNode a = out.putArray("results");
      all.subList(Math.min(after, all.size()), Math.min(all.size(), after + limit)).forEach(a::add);
      if (after + limit < all.size()) {
        out.putObject("paging").putObject("next").put("after", String.valueOf(after + limit))
            .put("link", "https://api.hubapi.com/crm/v3/owners/?after=" + (after + limit));
      }
      return Reply.json(200, out.toString());
    }
    String[] parts = path.split("/");
    if (path.startsWith("/crm/v4/associations/deals/") && path.endsWith("/batch/read")) {
      return associations(parts[5], M.readTree(c.body()));
    }
    if (!path.startsWith("/crm/v3/objects/") || parts.length < 5) {
      return error(404, "OBJECT_NOT_FOUND", "Not found");
    }
    TreeMap<Long, ObjectNode> all = switch (parts[4]) {
      case "deals" -> deals;
      case "contacts" -> contacts;
      case "companies" -> companies;
      default -> null;
    };
    if (all == null) {
      return error(404, "OBJECT_NOT_FOUND", "Unknown object type " + parts[4]);
    }
    if (parts.length == 5 && c.method().equals("GET")) {
      return list(parts[4], all, c);
    }
    if (parts.length == 6 && parts[5].equals("search") && c.method().equals("POST")) {
      return search(parts[4], all, M.readTree(c.body()));
    }
    if (parts.length == 7 && parts[5].equals("batch") && parts[6].equals("read")) {
      return batchRead(parts[4], all, M.readTree(c.body()));
    }
    return error(404, "OBJECT_NOT_FOUND", "Not found");
  }

  private ObjectNode pipelines() {
    ObjectNode out = M.createObjectNode();
    ArrayNode a = out.putArray("results");
    int order = 0;
    for (String[] pl : new String[][] {{"default", "Sales Pipeline"}, {CUSTOM_PIPELINE, "Partner Pipeline"}}) {
      ObjectNode p = a.addObject().put("id", pl[0]).put("label", pl[1]).put("displayOrder", order++).put("archived", false)
          .put("createdAt", iso(T0)).put("updatedAt", iso(T0));
      ArrayNode st = p.putArray("stages");
      String[][] f = pl[0].equals("default") ? DEFAULT_STAGES : CUSTOM_STAGES;
      for (int i = 0; i < f.length; i++) {
        ObjectNode s = st.addObject().put("id", f[i][0]).put("label", "Stage " + f[i][0]).put("displayOrder", i)
            .put("archived", false);
        s.putObject("metadata").put("isClosed", f[i][2]).put("probability", f[i][1]);
      }
    }
    return out;
  }

  /** The record as the API shows it: only the asked properties (plus the ones HubSpot always adds). */
  private ObjectNode view(String type, ObjectNode r, List<String> props, List<String> history, List<String> assoc) {
    ObjectNode p = (ObjectNode) r.get("properties");
    String modified = type.equals("contacts") ? "lastmodifieddate" : "hs_lastmodifieddate";
    ObjectNode out = M.createObjectNode().put("id", r.get("id").asText());
    ObjectNode vp = out.putObject("properties");
    for (String k : props) {
      if (p.has(k)) { // a property the record never had is absent; an emptied one is null
        vp.set(k, p.get(k));
      }
    }
    vp.set("createdate", p.get("createdate"));
    vp.set(modified, p.get(modified));
    vp.set("hs_object_id", p.get("hs_object_id"));
    out.put("createdAt", p.get("createdate").asText()).put("updatedAt", p.get(modified).asText())
        .put("archived", r.has("archivedAt"));
    if (r.has("archivedAt")) {
      out.put("archivedAt", r.get("archivedAt").asText()).put("updatedAt", r.get("archivedAt").asText());
    }
    if (!history.isEmpty()) {
      // each asked property's history, newest first; one never set has an empty list
      ObjectNode h = out.putObject("propertiesWithHistory");
      JsonNode kept = r.path("propertiesWithHistory");
      for (String k : history) {
        h.set(k, kept.has(k) ? kept.get(k) : M.createArrayNode());
      }
    }
    if (!assoc.isEmpty()) {
      ObjectNode as = out.putObject("associations");
      long id = r.get("id").asLong();
      for (String t : assoc) {
        long[] to = t.equals("contacts") ? dealContacts.get(id) : dealCompanies.get(id);
        if (to.length > 0) {
          ArrayNode res = as.putObject(t).putArray("results");
          for (long x : to) {
            res.addObject().put("id", String.valueOf(x)).put("type", "deal_to_" + t.substring(0, t.length() - 1));
          }
        }
      }
    }
    return out;
  }

  private Reply list(String type, TreeMap<Long, ObjectNode> all, Call c) {
    int limit = c.q("limit") == null ? 10 : Integer.parseInt(c.q("limit"));
    List<String> withHistory = c.q("propertiesWithHistory") == null ? List.of()
        : Arrays.asList(c.q("propertiesWithHistory").split(","));
    boolean history = !withHistory.isEmpty();
    if (limit > 100 || (history && limit > 50)) {
      return error(400, "VALIDATION_ERROR", "limit must be at most " + (history ? 50 : 100));
    }
    List<String> props = c.q("properties") == null ? List.of() : Arrays.asList(c.q("properties").split(","));
    List<String> assoc = c.q("associations") == null || !type.equals("deals") ? List.of()
        : Arrays.asList(c.q("associations").split(","));
    long after = c.q("after") == null ? Long.MIN_VALUE : Long.parseLong(c.q("after"));
    boolean archivedList = "true".equals(c.q("archived"));
    if (archivedList) {
      all = archived.get(type);
    }
    ObjectNode out = M.createObjectNode();
    ArrayNode a = out.putArray("results");
    var it = all.tailMap(after, true).values().iterator();
    while (it.hasNext() && a.size() < limit) {
      a.add(view(type, it.next(), props, withHistory, assoc));
    }
    if (it.hasNext()) {
      String next = it.next().get("id").asText();
      out.putObject("paging").putObject("next").put("after", next)
          .put("link", "https://api.hubapi.com/crm/v3/objects/" + type + "?after=" + next);
    }
    served.merge((archivedList ? "archived " : "list ") + type, a.size(), Integer::sum);
    return Reply.json(200, out.toString());
  }

  private Reply search(String type, TreeMap<Long, ObjectNode> all, JsonNode body) {
    int limit = body.path("limit").asInt(10);
    int after = body.path("after").asInt(0);
    if (limit > 200) {
      return error(400, "VALIDATION_ERROR", "limit must be at most 200");
    }
    if (after + limit > 10_000) {
      return error(400, "VALIDATION_ERROR", "The request exceeds the maximum of 10000 results a search can return; "
          + "narrow the filters");
    }
    List<ObjectNode> rows = new ArrayList<>();
    for (ObjectNode r : all.values()) {
      boolean ok = true;
      for (JsonNode f : body.path("filterGroups").path(0).path("filters")) {
        long v = value(r, f.path("propertyName").asText());
        long x = f.path("value").asLong();
        ok &= switch (f.path("operator").asText()) {
          case "GTE" -> v >= x;
          case "GT" -> v > x;
          case "EQ" -> v == x;
          case "LT" -> v < x;
          case "LTE" -> v <= x;
          default -> throw new IllegalArgumentException("operator");
        };
      }
      if (ok) {
        rows.add(r);
      }
    }
    String sort = body.path("sorts").path(0).path("propertyName").asText("hs_object_id");
    Map<ObjectNode, Long> key = new java.util.IdentityHashMap<>();
    rows.forEach(r -> key.put(r, value(r, sort)));
    // ties in an unspecified (but repeatable) order, as in HubSpot: not by id
    rows.sort(Comparator.<ObjectNode>comparingLong(key::get)
        .thenComparingLong(r -> Long.reverse(r.get("id").asLong() * 0x9E3779B97F4A7C15L)));
    List<String> props = new ArrayList<>();
    body.path("properties").forEach(p -> props.add(p.asText()));
    ObjectNode out = M.createObjectNode().put("total", rows.size());
    ArrayNode a = out.putArray("results");
    for (int i = after; i < Math.min(rows.size(), after + limit); i++) {
      a.add(view(type, rows.get(i), props, List.of(), List.of()));
    }
    if (after + limit < rows.size()) {
      out.putObject("paging").putObject("next").put("after", String.valueOf(after + limit));
    }
    served.merge("search " + type, a.size(), Integer::sum);
    return Reply.json(200, out.toString());
  }

  private static final Map<String, Long> PARSED = new java.util.concurrent.ConcurrentHashMap<>();

  private static long value(ObjectNode r, String property) {
    JsonNode v = r.get("properties").get(property);
    String s = v == null || v.isNull() ? "0" : v.asText();
    return s.endsWith("Z") ? PARSED.computeIfAbsent(s, FakeHubSpotServer::ms) : Long.parseLong(s);
  }

  private Reply batchRead(String type, TreeMap<Long, ObjectNode> all, JsonNode body) {
    List<String> withHistory = new ArrayList<>();
    body.path("propertiesWithHistory").forEach(h -> withHistory.add(h.asText()));
    boolean history = !withHistory.isEmpty();
    int n = body.path("inputs").size();
    if (n > 100 || (history && n > 50)) {
      return error(400, "VALIDATION_ERROR", "at most " + (history ? 50 : 100) + " inputs");
    }
    List<String> props = new ArrayList<>();
    body.path("properties").forEach(p -> props.add(p.asText()));
    ObjectNode out = M.createObjectNode().put("status", "COMPLETE");
    ArrayNode a = out.putArray("results");
    List<String> missing = new ArrayList<>();
    for (JsonNode in : body.path("inputs")) {
      ObjectNode r = all.get(in.path("id").asLong());
      if (r != null) {
        a.add(view(type, r, props, withHistory, List.of()));
      } else {
        missing.add(in.path("id").asText());
      }
    }
    served.merge("batch " + type, a.size(), Integer::sum);
    if (missing.isEmpty()) {
      return Reply.json(200, out.toString());
    }
    // HubSpot: 207 Multi-Status, the found records and one error naming the ids it could not read
    out.put("numErrors", 1);
    ObjectNode e = out.putArray("errors").addObject().put("status", "error").put("category", "OBJECT_NOT_FOUND")
        .put("message", "Could not get some " + type.toUpperCase(java.util.Locale.ROOT).replaceAll("S$", "")
            + " objects, they may be deleted or not exist. Check that ids are valid.");
    missing.forEach(e.putObject("context").putArray("ids")::add);
    return Reply.json(207, out.toString());
  }

  private Reply associations(String to, JsonNode body) {
    if (body.path("inputs").size() > 1000) {
      return error(400, "VALIDATION_ERROR", "at most 1000 inputs");
    }
    ObjectNode out = M.createObjectNode().put("status", "COMPLETE");
    ArrayNode a = out.putArray("results");
    ArrayNode errors = M.createArrayNode();
    Set<Long> seen = new HashSet<>();
    for (JsonNode in : body.path("inputs")) {
      long id = in.path("id").asLong();
      long[] ids = to.equals("contacts") ? dealContacts.get(id) : dealCompanies.get(id);
      if (ids == null || ids.length == 0) {
        // v4 batch read: an id without associations is an error of a 207 answer, not an empty result
        ObjectNode e = errors.addObject().put("status", "error").put("category", "OBJECT_NOT_FOUND")
            .put("subCategory", "crm.associations.NO_ASSOCIATIONS_FOUND")
            .put("message", "No " + to.substring(0, to.length() - 1) + " is associated with deal " + id + ".");
        e.putObject("context").putArray("fromObjectId").add(String.valueOf(id));
        continue;
      }
      if (!seen.add(id)) {
        continue;
      }
      ObjectNode r = a.addObject();
      r.putObject("from").put("id", String.valueOf(id));
      ArrayNode t = r.putArray("to");
      for (long x : ids) {
        t.addObject().put("toObjectId", x).putArray("associationTypes").addObject().put("category", "HUBSPOT_DEFINED")
            .put("typeId", to.equals("contacts") ? 3 : 5).putNull("label");
      }
    }
    served.merge("associations " + to, a.size(), Integer::sum);
    if (errors.isEmpty()) {
      return Reply.json(200, out.toString());
    }
    out.put("numErrors", errors.size()).set("errors", errors);
    return Reply.json(207, out.toString());
  }
}
