package io.crmkpi.amocrm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmkpi.http.FakeApiServer;
import io.crmkpi.http.HttpClock;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * amoCRM API v4 as the docs describe it, over generated data: HAL pages with _links.next, limit
 * &lt;= 250 (events 100), 204 for an empty page, filter[updated_at], order[updated_at], events by
 * type and created_at (newest first), Bearer tokens that expire after a number of uses, refresh
 * token rotation (the old refresh token is rejected once used), and 429 above 7 requests/second.
 */
final class FakeAmoCrmServer extends FakeApiServer {

  static final ObjectMapper M = new ObjectMapper();
  static final long T0 = 1704067200L; // 2024-01-01T00:00:00Z
  static final long P1 = 1001;
  static final long P2 = 1002;
  static final long[] P1_OPEN = {11, 12, 13};
  static final long[] P2_OPEN = {21, 22};

  final TreeMap<Long, ObjectNode> leads = new TreeMap<>();
  final TreeMap<Long, ObjectNode> contacts = new TreeMap<>();
  final TreeMap<Long, ObjectNode> companies = new TreeMap<>();
  final TreeMap<Long, ObjectNode> tasks = new TreeMap<>();
  final List<ObjectNode> events = new ArrayList<>();
  final List<ObjectNode> users = new ArrayList<>();
  private final Random rnd;
  private final Deque<Long> window = new ArrayDeque<>();
  /** amoCRM's limit: requests in any rolling second. */
  int perSecond = 7;
  /** The most requests seen in one rolling second (without a 429). */
  int peak;
  /** Served records per path, for "fetches only what changed". */
  final Map<String, Integer> served = new TreeMap<>();

  /** The account's time zone (Account settings), served in _embedded.datetime_settings. */
  String accountZone = "Europe/Moscow";

  // auth
  String longLivedToken;
  String clientId = "client-1";
  String clientSecret = "client-secret-XYZ-123";
  String refreshToken;
  final Map<String, Integer> accessUses = new java.util.HashMap<>();
  int accessTokenLifetime = Integer.MAX_VALUE;
  int refreshes;
  final Set<String> usedRefreshTokens = new HashSet<>();

  FakeAmoCrmServer(HttpClock clock, long seed, int nLeads) throws IOException {
    super(clock);
    rnd = new Random(seed);
    generate(nLeads);
  }

  private void generate(int nLeads) {
    for (int i = 1; i <= 8; i++) {
      ObjectNode u = M.createObjectNode().put("id", 500 + i).put("name", "Manager " + i)
          .put("email", "m" + i + "@example.com");
      u.putObject("rights").put("is_active", i != 8);
      u.putObject("_embedded").putArray("groups").addObject().put("id", 7).put("name", i <= 4 ? "North" : "South");
      users.add(u);
    }
    for (long id = 1; id <= 150; id++) {
      long c = T0 + rnd.nextInt(200 * 86400);
      ObjectNode o = M.createObjectNode().put("id", 7_000_000 + id).put("name", "Company " + id)
          .put("responsible_user_id", 501 + rnd.nextInt(8)).put("created_at", c).put("updated_at", c + rnd.nextInt(86400));
      o.putNull("custom_fields_values");
      companies.put(7_000_000 + id, o);
    }
    for (long id = 1; id <= 400; id++) {
      long c = T0 + rnd.nextInt(200 * 86400);
      ObjectNode o = M.createObjectNode().put("id", 8_000_000 + id).put("name", "Contact " + id)
          .put("first_name", "").put("last_name", "").put("responsible_user_id", 501 + rnd.nextInt(8))
          .put("created_at", c).put("updated_at", c + rnd.nextInt(86400));
      ArrayNode cf = o.putArray("custom_fields_values");
      cf.addObject().put("field_id", 1).put("field_name", "Телефон").put("field_code", "PHONE").put("field_type", "multitext")
          .putArray("values").addObject().put("value", "+7900" + (1000000 + id)).put("enum_code", "WORK");
      cf.addObject().put("field_id", 2).put("field_name", "Email").put("field_code", "EMAIL").put("field_type", "multitext")
          .putArray("values").addObject().put("value", "c" + id + "@example.org").put("enum_code", "WORK");
      ArrayNode comps = o.putObject("_embedded").putArray("companies");
      if (id % 3 == 0) {
        comps.addObject().put("id", 7_000_000 + 1 + rnd.nextInt(150));
      }
      contacts.put(8_000_000 + id, o);
    }
    // a bulk edit: 300 leads share one updated_at second (more than a 250-row page)
    long bulk = T0 + 250 * 86400L;
    for (long id = 1; id <= nLeads; id++) {
      ObjectNode l = newLead(20_000 + id, T0 + rnd.nextInt(240 * 86400));
      if (id % 9 == 0) {
        l.put("updated_at", bulk);
      }
      leads.put(20_000 + id, l);
    }
    for (long id = 1; id <= 500; id++) {
      long lead = 20_001 + rnd.nextInt(nLeads);
      long c = T0 + rnd.nextInt(240 * 86400);
      ObjectNode t = M.createObjectNode().put("id", 90_000 + id).put("created_by", id % 10 == 0 ? 0 : 501)
          .put("updated_by", 501).put("created_at", c).put("updated_at", c + rnd.nextInt(3 * 86400))
          .put("responsible_user_id", 501 + rnd.nextInt(8)).put("entity_id", lead).put("entity_type", "leads")
          .put("duration", rnd.nextInt(3) * 1800).put("is_completed", rnd.nextBoolean())
          .put("task_type_id", 1 + rnd.nextInt(2)).put("text", "Call back").put("complete_till", c + 86400);
      tasks.put(90_000 + id, t);
    }
  }

  /** A lead created at {@code created} that has walked through its pipeline; its status events are added too. */
  ObjectNode newLead(long id, long created) {
    boolean second = rnd.nextInt(4) == 0;
    long pipeline = second ? P2 : P1;
    long[] open = second ? P2_OPEN : P1_OPEN;
    int steps = rnd.nextInt(open.length + 1); // 0..n moves
    int outcome = rnd.nextInt(3); // 0 open, 1 won, 2 lost
    List<Long> path = new ArrayList<>();
    for (int i = 0; i < Math.min(steps + 1, open.length); i++) {
      path.add(open[i]);
    }
    if (outcome > 0) {
      path.add(outcome == 1 ? 142L : 143L);
    }
    long t = created;
    for (int i = 1; i < path.size(); i++) {
      t += 3600 + rnd.nextInt(5 * 86400);
      statusEvent(id, pipeline, path.get(i - 1), path.get(i), t);
    }
    event("lead_added", "lead", id, created);
    long status = path.get(path.size() - 1);
    ObjectNode l = M.createObjectNode().put("id", id).put("name", "Deal " + id).put("price", 1000 * (1 + rnd.nextInt(500)))
        .put("responsible_user_id", 501 + rnd.nextInt(8)).put("group_id", 0).put("status_id", status)
        .put("pipeline_id", pipeline).put("created_by", 501).put("updated_by", 501).put("created_at", created)
        .put("updated_at", t + rnd.nextInt(3600)).put("is_deleted", false).put("account_id", 1);
    if (status == 142 || status == 143) {
      l.put("closed_at", t);
    } else {
      l.putNull("closed_at");
    }
    l.putNull("loss_reason_id");
    ArrayNode cf = l.putArray("custom_fields_values");
    if (rnd.nextBoolean()) {
      cf.addObject().put("field_id", 501).put("field_name", "utm_source").put("field_code", "UTM_SOURCE")
          .put("field_type", "tracking_data").putArray("values").addObject().put("value", rnd.nextBoolean() ? "Google" : "yandex");
    }
    cf.addObject().put("field_id", 777).put("field_name", "Город").putNull("field_code").put("field_type", "text")
        .putArray("values").addObject().put("value", "City " + rnd.nextInt(5));
    ObjectNode emb = l.putObject("_embedded");
    emb.putArray("tags");
    emb.putArray("contacts").addObject().put("id", 8_000_001 + rnd.nextInt(400)).put("is_main", true);
    ArrayNode comps = emb.putArray("companies");
    if (rnd.nextInt(3) == 0) {
      comps.addObject().put("id", 7_000_001 + rnd.nextInt(150));
    }
    if (status == 143) {
      emb.putArray("loss_reason").addObject().put("id", 1).put("name", "Too expensive");
    }
    return l;
  }

  void statusEvent(long leadId, long pipeline, long from, long to, long at) {
    ObjectNode e = M.createObjectNode().put("id", UUID.nameUUIDFromBytes((leadId + ":" + at + ":" + to).getBytes())
        .toString().replace("-", "").substring(0, 26)).put("type", "lead_status_changed").put("entity_id", leadId)
        .put("entity_type", "lead").put("created_by", 501).put("created_at", at).put("account_id", 1);
    e.putArray("value_after").addObject().putObject("lead_status").put("id", to).put("pipeline_id", pipeline);
    e.putArray("value_before").addObject().putObject("lead_status").put("id", from).put("pipeline_id", pipeline);
    events.add(e);
  }

  // ---- changes made by tests -------------------------------------------------------------------

  /** Moves lead {@code id} to {@code status} at time {@code at} (with its event), and changes its price. */
  synchronized void move(long id, long status, long at) {
    ObjectNode l = leads.get(id);
    statusEvent(id, l.get("pipeline_id").asLong(), l.get("status_id").asLong(), status, at);
    l.put("status_id", status).put("updated_at", at).put("price", l.get("price").asLong() + 1);
    if (status == 142 || status == 143) {
      l.put("closed_at", at);
    }
  }

  /** Records deleted from contacts / companies (amoCRM keeps them restorable). */
  final Map<Long, ObjectNode> deletedContacts = new TreeMap<>();
  final Map<Long, ObjectNode> deletedCompanies = new TreeMap<>();

  /** An event without values: {@code <entity>_deleted}, {@code _restored}. */
  private void event(String type, String entityType, long id, long at) {
    ObjectNode e = M.createObjectNode().put("id", type.substring(0, 3) + id + "x" + at).put("type", type)
        .put("entity_id", id).put("entity_type", entityType).put("created_by", 501).put("created_at", at);
    e.putArray("value_after");
    e.putArray("value_before");
    events.add(e);
  }

  synchronized void deleteContact(long id, long at) {
    deletedContacts.put(id, contacts.remove(id));
    event("contact_deleted", "contact", id, at);
  }

  synchronized void deleteCompany(long id, long at) {
    deletedCompanies.put(id, companies.remove(id));
    event("company_deleted", "company", id, at);
  }

  /** Restores a contact as it was: its updated_at does not change, only the event tells. */
  synchronized void restoreContact(long id, long at) {
    contacts.put(id, deletedContacts.remove(id));
    event("contact_restored", "contact", id, at);
  }

  synchronized void restoreCompany(long id, long at) {
    companies.put(id, deletedCompanies.remove(id));
    event("company_restored", "company", id, at);
  }

  synchronized void deleteTask(long id, long at) {
    tasks.remove(id);
    event("task_deleted", "task", id, at);
  }

  synchronized void delete(long id, long at) {
    leads.remove(id);
    ObjectNode e = M.createObjectNode().put("id", "del" + id + "x" + at).put("type", "lead_deleted").put("entity_id", id)
        .put("entity_type", "lead").put("created_by", 501).put("created_at", at);
    e.putArray("value_after");
    e.putArray("value_before");
    events.add(e);
  }

  // ---- protocol --------------------------------------------------------------------------------

  @Override
  protected synchronized Reply rateLimit() {
    long now = clock.nanoTime();
    while (!window.isEmpty() && window.peekFirst() <= now - 1_000_000_000L) {
      window.pollFirst();
    }
    window.addLast(now);
    if (window.size() > perSecond) {
      return problem(429, "Too Many Requests", "Превышено допустимое количество запросов в секунду");
    }
    peak = Math.max(peak, window.size());
    return null;
  }

  /** HTTP 400 as amoCRM answers a request it refuses: problem+json with validation-errors. */
  static Reply invalid(String path, String code, String detail) {
    ObjectNode o = M.createObjectNode();
    ObjectNode e = o.putArray("validation-errors").addObject().put("request_id", "0");
    e.putArray("errors").addObject().put("code", code).put("path", path).put("detail", detail);
    o.put("title", "Bad Request").put("type", "https://httpstatus.es/400").put("status", 400)
        .put("detail", "Request validation failed");
    return new Reply(400, o.toString(), Map.of("Content-Type", "application/problem+json"));
  }

  static Reply problem(int status, String title, String detail) {
    ObjectNode o = M.createObjectNode().put("title", title).put("type", "https://httpstatus.es/" + status)
        .put("status", status).put("detail", detail);
    return new Reply(status, o.toString(), Map.of("Content-Type", "application/problem+json"));
  }

  @Override
  protected synchronized Reply serve(Call c) throws Exception {
    if (c.path().equals("/oauth2/access_token")) {
      return token(c);
    }
    if (!authorised(c.q("#auth"))) {
      return problem(401, "Unauthorized", "Unauthorized");
    }
    return switch (c.path()) {
      case "/api/v4/account" -> ok(account(c));
      case "/api/v4/leads/pipelines" -> ok(pipelines());
      case "/api/v4/users" -> list(c, "users", new ArrayList<>(users), x -> true, false);
      case "/api/v4/leads" -> list(c, "leads", new ArrayList<>(leads.values()), x -> true, true);
      case "/api/v4/contacts" -> list(c, "contacts", new ArrayList<>(contacts.values()), x -> true, true);
      case "/api/v4/companies" -> list(c, "companies", new ArrayList<>(companies.values()), x -> true, true);
      case "/api/v4/tasks" -> list(c, "tasks", new ArrayList<>(tasks.values()), x -> true, true);
      case "/api/v4/events" -> events(c);
      default -> problem(404, "Not Found", "no such path");
    };
  }

  /**
   * GET /api/v4/account as documented: the account's fields at the top, {@code datetime_settings}
   * only when {@code with=datetime_settings} asks for it, and then under {@code _embedded}.
   */
  private ObjectNode account(Call c) {
    ObjectNode o = M.createObjectNode().put("id", 1).put("name", "Test").put("subdomain", "test")
        .put("created_at", T0 - 86400L * 365).put("current_user_id", 501).put("country", "RU").put("currency", "RUB")
        .put("currency_symbol", "₽").put("customers_mode", "disabled").put("is_unsorted_on", true)
        .put("is_loss_reason_enabled", true).put("contact_name_display_order", 1);
    o.putObject("_links").putObject("self").put("href", "https://test.amocrm.ru/api/v4/account");
    String with = c.q("with") == null ? "" : c.q("with");
    if (java.util.Arrays.asList(with.split(",")).contains("datetime_settings")) {
      java.time.ZoneId z = java.time.ZoneId.of(accountZone);
      String offset = z.getRules().getOffset(java.time.Instant.ofEpochSecond(T0)).getId().replace("Z", "+00:00");
      o.putObject("_embedded").putObject("datetime_settings").put("date_pattern", "d.m.Y H:i")
          .put("short_date_pattern", "d.m.Y").put("short_time_pattern", "H:i").put("date_format", "d.m.Y")
          .put("time_format", "H:i:s").put("timezone", accountZone).put("timezone_offset", offset);
    }
    return o;
  }

  private boolean authorised(String header) {
    if (header == null || !header.startsWith("Bearer ")) {
      return false;
    }
    String t = header.substring(7);
    if (t.equals(longLivedToken)) {
      return true;
    }
    Integer uses = accessUses.get(t);
    if (uses == null || uses >= accessTokenLifetime) {
      return false;
    }
    accessUses.put(t, uses + 1);
    return true;
  }

  private Reply token(Call c) throws IOException {
    JsonNode b = M.readTree(c.body());
    if (!clientId.equals(b.path("client_id").asText()) || !clientSecret.equals(b.path("client_secret").asText())
        || !"refresh_token".equals(b.path("grant_type").asText())) {
      return problem(400, "Bad Request", "invalid client");
    }
    String given = b.path("refresh_token").asText();
    if (!given.equals(refreshToken)) {
      // echoes the token on purpose: the client must mask it
      return Reply.json(400, M.createObjectNode().put("hint", "Token has been revoked: " + given)
          .put("title", "Bad Request").put("status", 400).toString());
    }
    usedRefreshTokens.add(given);
    refreshes++;
    String access = "acc-" + UUID.randomUUID();
    refreshToken = "ref-" + UUID.randomUUID();
    accessUses.clear(); // old access tokens die with the rotation
    accessUses.put(access, 0);
    return Reply.json(200, M.createObjectNode().put("token_type", "Bearer").put("expires_in", 86400)
        .put("access_token", access).put("refresh_token", refreshToken).toString());
  }

  private ObjectNode pipelines() {
    ObjectNode root = M.createObjectNode();
    ArrayNode ps = root.putObject("_embedded").putArray("pipelines");
    for (long p : new long[] {P1, P2}) {
      ObjectNode o = ps.addObject().put("id", p).put("name", p == P1 ? "Воронка" : "Partners").put("sort", p == P1 ? 1 : 2)
          .put("is_main", p == P1).put("is_unsorted_on", true).put("is_archive", false);
      ArrayNode st = o.putObject("_embedded").putArray("statuses");
      long[] open = p == P1 ? P1_OPEN : P2_OPEN;
      for (int i = 0; i < open.length; i++) {
        st.addObject().put("id", open[i]).put("name", "Stage " + open[i]).put("sort", 10 * (i + 1)).put("pipeline_id", p)
            .put("type", i == 0 ? 1 : 0);
      }
      st.addObject().put("id", 142).put("name", "Успешно реализовано").put("sort", 10000).put("pipeline_id", p).put("type", 0);
      st.addObject().put("id", 143).put("name", "Закрыто и не реализовано").put("sort", 11000).put("pipeline_id", p).put("type", 0);
    }
    return root;
  }

  private Reply ok(JsonNode n) {
    return new Reply(200, n.toString(), Map.of("Content-Type", "application/hal+json"));
  }

  private Reply list(Call c, String key, List<ObjectNode> all, Predicate<ObjectNode> keep, boolean updatedFilter) {
    int limit = c.q("limit") == null ? 50 : Integer.parseInt(c.q("limit"));
    if (limit > 250) {
      return invalid("limit", "InvalidLimit", "The value must be less than or equal to 250");
    }
    int page = c.q("page") == null ? 1 : Integer.parseInt(c.q("page"));
    List<ObjectNode> rows = new ArrayList<>();
    List<String> ids = c.query().get("filter[id][]");
    for (ObjectNode o : all) {
      if (ids != null && !ids.contains(o.path("id").asText())) {
        continue;
      }
      long u = o.path("updated_at").asLong();
      if (updatedFilter && c.q("filter[updated_at][from]") != null && u < Long.parseLong(c.q("filter[updated_at][from]"))) {
        continue;
      }
      if (updatedFilter && c.q("filter[updated_at][to]") != null && u > Long.parseLong(c.q("filter[updated_at][to]"))) {
        continue;
      }
      if (keep.test(o)) {
        rows.add(o);
      }
    }
    if ("asc".equals(c.q("order[updated_at]"))) {
      rows.sort(Comparator.comparingLong((ObjectNode o) -> o.path("updated_at").asLong())
          .thenComparingLong(o -> o.path("id").asLong()));
    }
    return page(c, key, rows, limit, page);
  }

  private Reply page(Call c, String key, List<ObjectNode> rows, int limit, int page) {
    int from = (page - 1) * limit;
    if (from >= rows.size()) {
      return new Reply(204, "", Map.of());
    }
    List<ObjectNode> slice = rows.subList(from, Math.min(rows.size(), from + limit));
    served.merge(c.path(), slice.size(), Integer::sum);
    ObjectNode root = M.createObjectNode().put("_page", page);
    // users are counted (_total_items, _page_count: next only while pages remain); the big lists
    // (leads, contacts, companies, tasks, events) are not: their every page links a next one, and the
    // page after the last answers 204 — a client stops at a short page
    boolean counted = c.path().equals("/api/v4/users");
    if (counted) {
      root.put("_total_items", rows.size()).put("_page_count", (rows.size() + limit - 1) / limit);
    }
    ObjectNode links = root.putObject("_links");
    links.putObject("self").put("href", "https://test.amocrm.ru" + c.path() + "?page=" + page);
    if (!counted || from + limit < rows.size()) {
      links.putObject("next").put("href", "https://test.amocrm.ru" + c.path() + "?page=" + (page + 1));
    }
    ArrayNode a = root.putObject("_embedded").putArray(key);
    slice.forEach(a::add);
    return ok(root);
  }

  private Reply events(Call c) {
    int limit = c.q("limit") == null ? 50 : Integer.parseInt(c.q("limit"));
    if (limit > 100) {
      return invalid("limit", "InvalidLimit", "The value must be less than or equal to 100");
    }
    int page = c.q("page") == null ? 1 : Integer.parseInt(c.q("page"));
    // filter[type][]=a&filter[type][]=b, or filter[type]=a,b
    List<String> types = new ArrayList<>(c.query().getOrDefault("filter[type][]", List.of()));
    for (String v : c.query().getOrDefault("filter[type]", List.of())) {
      types.addAll(List.of(v.split(",")));
    }
    String from = c.q("filter[created_at][from]");
    String to = c.q("filter[created_at][to]");
    List<ObjectNode> rows = new ArrayList<>();
    for (ObjectNode e : events) {
      long t = e.path("created_at").asLong();
      if ((types.isEmpty() || types.contains(e.path("type").asText())) && (from == null || t >= Long.parseLong(from))
          && (to == null || t <= Long.parseLong(to))) {
        rows.add(e);
      }
    }
    rows.sort(Comparator.comparingLong((ObjectNode o) -> -o.path("created_at").asLong())
        .thenComparing(o -> o.path("id").asText()));
    return page(c, "events", rows, limit, page);
  }
}
