package io.crmkpi.bitrix24;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmkpi.http.FakeApiServer;
import io.crmkpi.http.HttpClock;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Bitrix24 REST as documented: POST /rest/{user}/{code}/{method}, values as strings, dates with the
 * portal's offset (+03:00), pages of 50 ({@code start}, {@code next}, {@code total}) or the fast
 * scan ({@code start=-1}: no total), filters {@code >ID} / {@code >=DATE_MODIFY}, {@code batch} of
 * up to 50 commands, the leaky bucket (2/s, 503 QUERY_LIMIT_EXCEEDED above 50) and
 * insufficient_scope. OAuth mode ({@link #oauth}): POST /rest/{method} with {@code auth} in the body,
 * access tokens that expire after {@link #tokenUses} requests (401 expired_token), and the token
 * endpoint GET /oauth/token/ that rotates the refresh token and invalidates the old one.
 */
final class FakeBitrix24Server extends FakeApiServer {

  static final ObjectMapper M = new ObjectMapper();
  static final ZoneOffset OFFSET = ZoneOffset.ofHours(3);
  /** The portal's region zone: dates carry its offset of their own moment (DST included). */
  final java.time.ZoneId zone;
  /** Simple CRM mode (crm.settings.mode.get = 2): no leads, deals only. */
  boolean simpleMode;
  /** Users of the portal (user.get pages them by 50). */
  int users = 3;
  static final String CODE = "whk8g9l071eismy9q2l";
  static final String[][] FUNNEL0 = {{"NEW", "P"}, {"PREPARATION", "P"}, {"EXECUTING", "P"}, {"WON", "S"}, {"LOSE", "F"}, {"APOLOGY", "F"}};
  static final String[][] FUNNEL1 = {{"C1:NEW", "P"}, {"C1:WON", "S"}, {"C1:LOSE", "F"}};

  final TreeMap<Long, ObjectNode> deals = new TreeMap<>();
  final TreeMap<Long, ObjectNode> contacts = new TreeMap<>();
  final List<ObjectNode> history = new ArrayList<>();
  final Map<String, Integer> served = new TreeMap<>();
  /** The portal's clock (epoch seconds), used for time.date_start and for changes. */
  long now = OffsetDateTime.of(2024, 10, 1, 12, 0, 0, 0, OFFSET).toEpochSecond();
  boolean crmScope = true;
  final TreeMap<Long, ObjectNode> leads = new TreeMap<>();
  final TreeMap<Long, ObjectNode> companies = new TreeMap<>();
  /** Every batch command as sent (before substitution). */
  final List<String> commands = new ArrayList<>();
  /** Batch calls served; from call number failBatchesFrom + 1 on, every batch fails with HTTP 500 (a crash). */
  int batches;
  int failBatchesFrom = Integer.MAX_VALUE;
  /** Probability that one command of a batch fails inside result_error (HTTP 200). */
  double commandFaults;
  int commandFaultsInjected;
  private Random commandFault = new Random(7);
  /** Runs after each batch call (changes to the portal between calls of one sync). */
  java.util.function.IntConsumer afterBatch = n -> { };
  /** In batch call number denyAtBatch, commands of method denyMethod fail with insufficient_scope. */
  int denyAtBatch = -1;
  String denyMethod = "";
  /** OAuth mode: the app's credentials, the one valid refresh token, live access tokens and their uses left. */
  boolean oauth;
  static final String CLIENT_ID = "local.65f0a1b2c3d4e5.12345678";
  static final String CLIENT_SECRET = "Zq8xV2mN4pL6rT0yW3uE5iO7aS9dF1gH";
  String refreshToken;
  final Map<String, Integer> accessTokens = new java.util.HashMap<>();
  /** An access token's lifetime in requests (the real one: 1 hour); expires_in says 3600. */
  int tokenUses = Integer.MAX_VALUE;
  int refreshes;
  int expiredAnswers;
  /** Every refresh token ever issued, oldest first. */
  final List<String> issuedRefresh = new ArrayList<>();
  private long tokenSeq;
  private double bucket;
  private long lastDrain;
  private final Random rnd;

  FakeBitrix24Server(HttpClock clock, long seed, int nDeals) throws IOException {
    this(clock, seed, nDeals, java.time.ZoneId.of("Europe/Moscow"));
  }

  FakeBitrix24Server(HttpClock clock, long seed, int nDeals, java.time.ZoneId zone) throws IOException {
    super(clock);
    this.zone = zone;
    rnd = new Random(seed);
    lastDrain = clock.nanoTime();
    long t0 = OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, OFFSET).toEpochSecond();
    for (long id = 1; id <= 200; id++) {
      long c = t0 + rnd.nextInt(200 * 86400);
      ObjectNode o = M.createObjectNode().put("ID", String.valueOf(id)).put("NAME", "Name" + id).put("LAST_NAME", "Last" + id)
          .put("ASSIGNED_BY_ID", String.valueOf(1 + rnd.nextInt(3))).put("DATE_CREATE", iso(c)).put("DATE_MODIFY", iso(c + 60))
          .put("COMPANY_ID", "0");
      o.putArray("EMAIL").addObject().put("ID", "9" + id).put("VALUE_TYPE", "WORK").put("VALUE", "p" + id + "@example.com")
          .put("TYPE_ID", "EMAIL");
      contacts.put(id, o);
    }
    long hid = 0;
    for (long id = 1; id <= nDeals; id++) {
      long c = t0 + rnd.nextInt(250 * 86400);
      boolean second = rnd.nextInt(3) == 0;
      String[][] f = second ? FUNNEL1 : FUNNEL0;
      int last = rnd.nextInt(f.length);
      long t = c;
      for (int i = 0; i <= last; i++) {
        if (i > 0 && i < last && f[i][1].equals("F")) {
          continue;
        }
        if (i > 0) {
          t += 600 + rnd.nextInt(86400);
        }
        ObjectNode h = M.createObjectNode().put("ID", ++hid).put("TYPE_ID", i == 0 ? 1 : 2).put("OWNER_ID", id)
            .put("CREATED_TIME", iso(t)).put("CATEGORY_ID", second ? 1 : 0).put("STAGE_SEMANTIC_ID", f[i][1])
            .put("STAGE_ID", f[i][0]);
        history.add(h);
      }
      ObjectNode d = M.createObjectNode().put("ID", String.valueOf(id)).put("TITLE", "Deal " + id)
          .put("CATEGORY_ID", second ? "1" : "0").put("STAGE_ID", f[last][0]).put("STAGE_SEMANTIC_ID", f[last][1])
          .put("OPPORTUNITY", (100 + rnd.nextInt(9000)) + ".50").put("CURRENCY_ID", rnd.nextInt(4) == 0 ? "USD" : "RUB")
          .put("ASSIGNED_BY_ID", String.valueOf(1 + rnd.nextInt(3))).put("CONTACT_ID", String.valueOf(1 + rnd.nextInt(200)))
          .put("COMPANY_ID", "0").put("DATE_CREATE", iso(c)).put("DATE_MODIFY", iso(t + 30)).put("MOVED_TIME", iso(t))
          .put("CLOSED", f[last][1].equals("P") ? "N" : "Y").put("UTM_SOURCE", rnd.nextBoolean() ? "google" : null)
          .put("SOURCE_ID", "CALL").put("UF_CRM_1704817278", rnd.nextBoolean() ? "VIP" : null)
          .put("CLOSEDATE", midnight(c + 30 * 86400L)).put("PROBABILITY", f[last][1].equals("P") ? "50" : null);
      d.putNull("LEAD_ID");
      deals.put(id, d);
    }
  }

  static final java.time.format.DateTimeFormatter ISO = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

  /** A datetime as the portal writes it: its local time with the offset its zone has at that moment. */
  String iso(long epochS) {
    return OffsetDateTime.ofInstant(java.time.Instant.ofEpochSecond(epochS), zone).format(ISO);
  }

  /**
   * A date field as the portal writes it (CLOSEDATE, BEGINDATE): a datetime at the portal's local
   * midnight of that day, with the offset of its zone then ({@code 2024-08-30T00:00:00+03:00}).
   */
  String midnight(long epochS) {
    java.time.LocalDate day = java.time.Instant.ofEpochSecond(epochS).atZone(zone).toLocalDate();
    return day.atStartOfDay(zone).toOffsetDateTime().format(ISO);
  }

  /** Sets deal {@code id}'s expected close day and probability ("" clears it) now, moving it to open {@code stage}. */
  synchronized void replan(long id, String stage, java.time.LocalDate close, String probability) {
    ObjectNode d = deals.get(id);
    if (!stage.equals(d.get("STAGE_ID").asText())) {
      d.put("STAGE_ID", stage).put("STAGE_SEMANTIC_ID", "P").put("MOVED_TIME", iso(now));
      history.add(M.createObjectNode().put("ID", history.size() + 1L).put("TYPE_ID", 2).put("OWNER_ID", id)
          .put("CREATED_TIME", iso(now)).put("CATEGORY_ID", d.get("CATEGORY_ID").asInt()).put("STAGE_SEMANTIC_ID", "P")
          .put("STAGE_ID", stage));
    }
    d.put("CLOSEDATE", close.atStartOfDay(zone).toOffsetDateTime().format(ISO)).put("PROBABILITY", probability)
        .put("DATE_MODIFY", iso(now));
  }

  /** An open deal in funnel 0 created at {@code created} (epoch seconds), with its creation history row. */
  synchronized ObjectNode addDeal(long id, long created) {
    history.add(M.createObjectNode().put("ID", history.size() + 1L).put("TYPE_ID", 1).put("OWNER_ID", id)
        .put("CREATED_TIME", iso(created)).put("CATEGORY_ID", 0).put("STAGE_SEMANTIC_ID", "P").put("STAGE_ID", "NEW"));
    ObjectNode d = M.createObjectNode().put("ID", String.valueOf(id)).put("TITLE", "Deal " + id).put("CATEGORY_ID", "0")
        .put("STAGE_ID", "NEW").put("STAGE_SEMANTIC_ID", "P").put("OPPORTUNITY", "1000.00").put("CURRENCY_ID", "RUB")
        .put("ASSIGNED_BY_ID", "1").put("CONTACT_ID", "1").put("COMPANY_ID", "0").put("DATE_CREATE", iso(created))
        .put("DATE_MODIFY", iso(created + 30)).put("MOVED_TIME", iso(created)).put("CLOSED", "N").put("SOURCE_ID", "CALL")
        .put("CLOSEDATE", midnight(created + 14 * 86400L)).put("PROBABILITY", "30");
    d.putNull("UTM_SOURCE");
    d.putNull("UF_CRM_1704817278");
    d.putNull("LEAD_ID");
    deals.put(id, d);
    return d;
  }

  /** Deal {@code id} is won now. */
  synchronized void win(long id) {
    ObjectNode d = deals.get(id);
    String[][] f = "1".equals(d.get("CATEGORY_ID").asText()) ? FUNNEL1 : FUNNEL0;
    String won = f[f[1][1].equals("S") ? 1 : 3][0];
    d.put("STAGE_ID", won).put("STAGE_SEMANTIC_ID", "S").put("DATE_MODIFY", iso(now)).put("MOVED_TIME", iso(now)).put("CLOSED", "Y");
    history.add(M.createObjectNode().put("ID", history.size() + 1L).put("TYPE_ID", 3).put("OWNER_ID", id)
        .put("CREATED_TIME", iso(now)).put("CATEGORY_ID", d.get("CATEGORY_ID").asInt()).put("STAGE_SEMANTIC_ID", "S")
        .put("STAGE_ID", won));
  }

  @Override
  protected synchronized Reply rateLimit() {
    long t = clock.nanoTime();
    bucket = Math.max(0, bucket - (t - lastDrain) / 1e9 * 2);
    lastDrain = t;
    bucket += 1;
    if (bucket > 50) {
      return error(503, "QUERY_LIMIT_EXCEEDED", "Too many requests");
    }
    return null;
  }

  private static void status(ArrayNode a, int id, String entity, String statusId, String name, int sort, String category,
      String semantics) {
    String color = semantics.equals("S") ? "#7BD500" : semantics.equals("F") ? "#FF5752" : "#39A8EF";
    ObjectNode s = a.addObject().put("ID", String.valueOf(id)).put("ENTITY_ID", entity).put("STATUS_ID", statusId)
        .put("NAME", name).put("NAME_INIT", sort == 20 ? name : "").put("SORT", String.valueOf(sort))
        .put("SYSTEM", semantics.equals("P") ? "N" : "Y").put("CATEGORY_ID", category).put("COLOR", color)
        .put("SEMANTICS", semantics.equals("P") ? null : semantics);
    s.putObject("EXTRA").put("SEMANTICS", switch (semantics) {
      case "S" -> "success";
      case "F" -> "failure";
      default -> "process";
    }).put("COLOR", color);
  }

  /** The time block of an answer (and of each batch command's result_time). */
  private ObjectNode time(ObjectNode t) {
    double at = now;
    return t.put("start", at).put("finish", at + 0.004).put("duration", 0.004).put("processing", 0.003)
        .put("date_start", iso(now)).put("date_finish", iso(now)).put("operating_reset_at", now + 600)
        .put("operating", 0);
  }

  static Reply error(int status, String code, String text) {
    return Reply.json(status, M.createObjectNode().put("error", code).put("error_description", text).toString());
  }

  /** OAuth mode on, with a fresh refresh token (returned) and no access token. */
  synchronized String startOAuth(int tokenUses) {
    oauth = true;
    this.tokenUses = tokenUses;
    refreshToken = newToken("r");
    issuedRefresh.add(refreshToken);
    return refreshToken;
  }

  /** A fresh access token (as if the app had just been authorised). */
  synchronized String issueAccess() {
    String a = newToken("a");
    accessTokens.put(a, tokenUses);
    return a;
  }

  private String newToken(String kind) {
    // Bitrix24 tokens: 70-odd hex characters
    return String.format("%s%016x%016x", kind.equals("a") ? "6f2b" : "5e1a", ++tokenSeq * 7919, rnd.nextLong());
  }

  private Reply token(Call c) {
    if (!"refresh_token".equals(c.q("grant_type")) || !CLIENT_ID.equals(c.q("client_id"))
        || !CLIENT_SECRET.equals(c.q("client_secret"))) {
      return Reply.json(400, M.createObjectNode().put("error", "invalid_client")
          .put("error_description", "Invalid client").toString());
    }
    if (!c.q("refresh_token").equals(refreshToken)) {
      // echoes the token as some servers do: the client must mask it
      return Reply.json(400, M.createObjectNode().put("error", "invalid_grant")
          .put("error_description", "Invalid refresh token " + c.q("refresh_token")).toString());
    }
    refreshes++;
    refreshToken = newToken("r");
    issuedRefresh.add(refreshToken);
    String access = issueAccess();
    ObjectNode o = M.createObjectNode().put("access_token", access).put("expires", now + 3600).put("expires_in", 3600)
        .put("scope", "crm,user").put("domain", "127.0.0.1").put("server_endpoint", "https://oauth.bitrix.info/rest/")
        .put("status", "L").put("client_endpoint", base().resolve("/rest/").toString())
        .put("member_id", "da45a03b265edd8787f8a258d793cc5d").put("user_id", 1).put("refresh_token", refreshToken);
    return Reply.json(200, o.toString());
  }

  @Override
  protected synchronized Reply serve(Call c) throws Exception {
    if (oauth && c.path().equals("/oauth/token/")) {
      return token(c);
    }
    String prefix = oauth ? "/rest/" : "/rest/1/" + CODE + "/";
    if (!c.path().startsWith(prefix)) {
      return error(401, "NO_AUTH_FOUND", "Wrong authorization data");
    }
    String method = c.path().substring(prefix.length()).replace(".json", "");
    JsonNode p = c.body().isBlank() ? M.createObjectNode() : M.readTree(c.body());
    if (oauth) {
      String auth = p.path("auth").asText("");
      Integer left = accessTokens.get(auth);
      if (left == null) {
        return error(401, "NO_AUTH_FOUND", "Wrong authorization data");
      }
      if (left <= 0) {
        expiredAnswers++;
        return error(401, "expired_token", "The access token provided has expired.");
      }
      accessTokens.put(auth, left - 1);
    }
    ObjectNode out = M.createObjectNode();
    if (method.equals("batch")) {
      if (p.path("cmd").size() > 50) {
        return error(400, "ERROR_BATCH_LENGTH_EXCEEDED", "Max batch length exceeded");
      }
      batches++;
      if (batches > failBatchesFrom) {
        return error(500, "INTERNAL_SERVER_ERROR", "Internal server error");
      }
      // as the rest module: $arResult = {result, next, total, time, error} keyed by command
      ObjectNode ar = M.createObjectNode();
      for (String k : new String[] {"result", "next", "total", "time", "error"}) {
        ar.putObject(k);
      }
      for (var it = p.path("cmd").fields(); it.hasNext(); ) {
        var e = it.next();
        String[] mq = e.getValue().asText().split("\\?", 2);
        JsonNode params = substitute(parseQuery(mq.length > 1 ? mq[1] : ""), ar);
        commands.add(e.getValue().asText());
        ObjectNode one = M.createObjectNode();
        boolean fault = commandFaults > 0 && commandFault.nextDouble() < commandFaults;
        commandFaultsInjected += fault ? 1 : 0;
        Reply r = fault ? error(500, "INTERNAL_SERVER_ERROR", "Internal error")
            : batches == denyAtBatch && mq[0].equals(denyMethod)
                ? error(403, "insufficient_scope", "The request requires higher privileges than provided by the webhook token")
                : method(mq[0], params, one);
        time(((ObjectNode) ar.get("time")).putObject(e.getKey()));
        if (r != null) {
          ((ObjectNode) ar.get("error")).set(e.getKey(), M.readTree(r.body()));
        } else {
          ((ObjectNode) ar.get("result")).set(e.getKey(), one.get("result"));
          for (String k : new String[] {"next", "total"}) {
            if (one.has(k)) {
              ((ObjectNode) ar.get(k)).set(e.getKey(), one.get(k));
            }
          }
        }
      }
      ObjectNode res = out.putObject("result");
      // PHP's empty array is [] in JSON
      for (String[] k : new String[][] {{"result", "result"}, {"result_error", "error"}, {"result_total", "total"},
          {"result_next", "next"}, {"result_time", "time"}}) {
        JsonNode v = ar.get(k[1]);
        res.set(k[0], v.size() == 0 ? M.createArrayNode() : v);
      }
      afterBatch.accept(batches);
    } else {
      Reply r = method(method, p, out);
      if (r != null) {
        return r;
      }
    }
    time(out.putObject("time"));
    return Reply.json(200, out.toString());
  }

  private Reply method(String method, JsonNode p, ObjectNode out) {
    if (!crmScope && method.startsWith("crm.")) {
      return error(403, "insufficient_scope", "The request requires higher privileges than provided by the webhook token");
    }
    switch (method) {
      case "crm.category.list" -> {
        ArrayNode a = out.putObject("result").putArray("categories");
        a.addObject().put("id", 0).put("name", "General").put("sort", 100).put("isDefault", "Y");
        a.addObject().put("id", 1).put("name", "Wholesale").put("sort", 200).put("isDefault", "N");
        out.put("total", 2);
      }
      case "crm.status.list" -> {
        // every field the docs show (ID, NAME_INIT, SYSTEM, CATEGORY_ID, COLOR, EXTRA...), and the total
        ArrayNode a = out.putArray("result");
        status(a, 1, "SOURCE", "CALL", "Call", 10, null, "P");
        int sort = 10;
        int id = 100;
        for (String[] s : FUNNEL0) {
          status(a, ++id, "DEAL_STAGE", s[0], s[0].toLowerCase(), sort += 10, null, s[1]);
        }
        for (String[] s : FUNNEL1) {
          status(a, ++id, "DEAL_STAGE_1", s[0], s[0].toLowerCase(), sort += 10, "1", s[1]);
        }
        JsonNode f = p.path("filter");
        if (f.has("ENTITY_ID")) {
          for (var it = a.elements(); it.hasNext(); ) {
            if (!it.next().path("ENTITY_ID").asText().equals(f.get("ENTITY_ID").asText())) {
              it.remove();
            }
          }
        }
        out.put("total", a.size());
      }
      case "user.get" -> {
        // pages of 50 by start, with next and total, as every list
        ArrayNode a = out.putArray("result");
        int start = p.path("start").asInt(0);
        for (int i = start + 1; i <= Math.min(users, start + 50); i++) {
          ObjectNode u = a.addObject().put("ID", String.valueOf(i)).put("ACTIVE", i != 3).put("NAME", "User")
              .put("LAST_NAME", "N" + i).put("SECOND_NAME", "").put("EMAIL", "u" + i + "@example.com")
              .put("LAST_LOGIN", iso(now - 3600)).put("DATE_REGISTER", iso(now - 400L * 86400)).put("TIME_ZONE", "")
              .put("IS_ONLINE", "N").put("TIMESTAMP_X", "24.08.2023 13:19:39").put("WORK_POSITION", "Manager")
              .put("USER_TYPE", "employee");
          u.putArray("UF_DEPARTMENT").add(1);
        }
        out.put("total", users);
        if (start + 50 < users) {
          out.put("next", start + 50);
        }
        served.merge("user.get", a.size(), Integer::sum);
      }
      case "crm.deal.list" -> list(out, "crm.deal.list", deals, p);
      case "crm.contact.list" -> list(out, "crm.contact.list", contacts, p);
      case "crm.lead.list" -> list(out, method, simpleMode ? new TreeMap<>() : leads, p);
      case "crm.settings.mode.get" -> out.put("result", simpleMode ? 2 : 1);
      case "crm.company.list" -> list(out, method, companies, p);
      case "crm.activity.list" -> list(out, method, new TreeMap<>(), p);
      case "crm.stagehistory.list" -> {
        ObjectNode wrap = M.createObjectNode();
        TreeMap<Long, ObjectNode> byId = new TreeMap<>();
        long gt = p.path("filter").path(">ID").isValueNode() ? p.path("filter").path(">ID").asLong() : 0;
        // history IDs are 1..n in list order: only the tail is looked at
        for (ObjectNode h : history.subList((int) Math.min(Math.max(gt, 0), history.size()), history.size())) {
          byId.put(h.get("ID").asLong(), h);
          if (p.path("start").asLong(0) < 0 && byId.size() >= 50) {
            break;
          }
        }
        list(wrap, method, byId, p);
        out.putObject("result").set("items", wrap.get("result"));
        out.set("total", wrap.get("total"));
        if (wrap.has("next")) {
          out.set("next", wrap.get("next"));
        }
      }
      default -> {
        return error(404, "ERROR_METHOD_NOT_FOUND", "Method not found!");
      }
    }
    return null;
  }

  /**
   * A list with the filters the sync uses. {@code >ID} as CSQLWhere reads it: a value that is not a
   * scalar (a batch substitution that found no 50th row hands over the whole previous result) counts
   * as intval(array): 1 if non-empty, else 0, so the answer restarts from the beginning.
   */
  private void list(ObjectNode out, String method, java.util.NavigableMap<Long, ObjectNode> all, JsonNode p) {
    JsonNode f = p.path("filter");
    long gtId = f.has(">ID") ? (f.get(">ID").isContainerNode() ? (f.get(">ID").size() > 0 ? 1 : 0)
        : f.get(">ID").asLong()) : Long.MIN_VALUE;
    long leId = f.has("<=ID") ? f.get("<=ID").asLong() : Long.MAX_VALUE;
    OffsetDateTime modifiedFrom = f.has(">=DATE_MODIFY") ? OffsetDateTime.parse(f.get(">=DATE_MODIFY").asText()) : null;
    OffsetDateTime modifiedAfter = f.has(">DATE_MODIFY") ? OffsetDateTime.parse(f.get(">DATE_MODIFY").asText()) : null;
    List<ObjectNode> rows = new ArrayList<>();
    long start = p.path("start").asLong(0);
    for (ObjectNode o : (gtId == Long.MIN_VALUE ? all : all.tailMap(gtId, false)).values()) {
      if (start < 0 && rows.size() >= 50) {
        break; // no count wanted: stop at the page
      }
      long id = o.get("ID").asLong();
      if (id <= gtId || id > leId) {
        continue;
      }
      if (modifiedFrom != null && OffsetDateTime.parse(o.get("DATE_MODIFY").asText()).isBefore(modifiedFrom)) {
        continue;
      }
      if (modifiedAfter != null && !OffsetDateTime.parse(o.get("DATE_MODIFY").asText()).isAfter(modifiedAfter)) {
        continue;
      }
      rows.add(o);
    }
    // order: {ID: ASC|DESC} (the fast scan asks ID ASC); without one, ID ascending
    boolean desc = "DESC".equalsIgnoreCase(p.path("order").path("ID").asText("ASC"));
    rows.sort((a, b) -> (desc ? -1 : 1) * Long.compare(a.get("ID").asLong(), b.get("ID").asLong()));
    int from = start < 0 ? 0 : (int) start;
    List<ObjectNode> slice = rows.subList(Math.min(from, rows.size()), Math.min(rows.size(), from + 50));
    List<String> select = new ArrayList<>();
    p.path("select").forEach(x -> select.add(x.asText()));
    if (select.isEmpty()) {
      select.addAll(List.of("*", "UF_*"));
    }
    boolean idsOnly = select.equals(List.of("ID"));
    served.merge(method + (idsOnly ? " ID" : ""), slice.size(), Integer::sum);
    ArrayNode a = out.putArray("result");
    for (ObjectNode o : slice) {
      a.add(select(o, select));
    }
    if (start >= 0) {
      out.put("total", rows.size());
      if (from + 50 < rows.size()) {
        out.put("next", from + 50);
      }
    } else {
      out.put("total", 0);
    }
  }

  /** Multiple fields: only when named in select ("*" leaves them out). */
  static final java.util.Set<String> MULTI = java.util.Set.of("PHONE", "EMAIL", "WEB", "IM");

  /** The record with the fields of {@code select}: "*" every plain field, "UF_*" the custom ones, else by name. */
  static ObjectNode select(ObjectNode o, List<String> select) {
    ObjectNode r = M.createObjectNode();
    for (var it = o.fields(); it.hasNext(); ) {
      var f = it.next();
      String k = f.getKey();
      boolean custom = k.startsWith("UF_");
      if (select.contains(k) || (custom && select.contains("UF_*"))
          || (!custom && !MULTI.contains(k) && select.contains("*"))) {
        r.set(k, f.getValue());
      }
    }
    return r;
  }

  /** PHP parse_str: {@code a[b][]=v} nests; numeric keys stay object keys (PHP arrays are maps). */
  static ObjectNode parseQuery(String query) {
    ObjectNode root = M.createObjectNode();
    if (query.isEmpty()) {
      return root;
    }
    for (String kv : query.split("&")) {
      String[] x = kv.split("=", 2);
      String key = URLDecoder.decode(x[0], StandardCharsets.UTF_8);
      String value = x.length > 1 ? URLDecoder.decode(x[1], StandardCharsets.UTF_8) : "";
      int b = key.indexOf('[');
      List<String> path = new ArrayList<>();
      path.add(b < 0 ? key : key.substring(0, b));
      var m = java.util.regex.Pattern.compile("\\[([^\\]]*)\\]").matcher(b < 0 ? "" : key.substring(b));
      while (m.find()) {
        path.add(m.group(1));
      }
      ObjectNode node = root;
      for (int i = 0; i < path.size() - 1; i++) {
        String k = path.get(i);
        JsonNode child = node.get(k);
        if (!(child instanceof ObjectNode)) {
          child = node.putObject(k);
        }
        node = (ObjectNode) child;
      }
      String last = path.get(path.size() - 1);
      node.put(last.isEmpty() ? String.valueOf(node.size()) : last, value);
    }
    return root;
  }

  private static final java.util.regex.Pattern REF =
      java.util.regex.Pattern.compile("\\$(result|next|total|time|error)(\\S*)", java.util.regex.Pattern.CASE_INSENSITIVE);
  private static final java.util.regex.Pattern SEG = java.util.regex.Pattern.compile("\\[([^\\]]+)\\]");

  /**
   * The rest module's batch substitution (CRestUtil::processBatchElement): walk the path while each
   * key exists ({@code isset}), stop at the deepest existing node; a reference that is the whole
   * value is replaced by that node (scalar, array or object), one inside a longer value only by a
   * scalar (else it stays as written).
   */
  static JsonNode substitute(JsonNode params, ObjectNode ar) {
    if (params.isObject()) {
      ObjectNode o = M.createObjectNode();
      params.fields().forEachRemaining(e -> o.set(e.getKey(), substitute(e.getValue(), ar)));
      return o;
    }
    String v = params.asText();
    var m = REF.matcher(v);
    JsonNode whole = null;
    StringBuilder out = new StringBuilder();
    int at = 0;
    while (m.find()) {
      JsonNode r = ar.get(m.group(1).toLowerCase());
      var seg = SEG.matcher(m.group(2));
      while (seg.find()) {
        String k = seg.group(1);
        JsonNode next = r.isArray() && k.matches("\\d+") ? r.get(Integer.parseInt(k)) : r.get(k);
        if (next == null || next.isNull()) {
          break;
        }
        r = next;
      }
      if (m.group(0).equals(v)) {
        whole = r;
      } else if (r.isValueNode()) {
        out.append(v, at, m.start()).append(r.asText());
        at = m.end();
      }
    }
    if (whole != null) {
      return whole;
    }
    out.append(v.substring(at));
    return M.getNodeFactory().textNode(out.toString());
  }

  synchronized void delete(TreeMap<Long, ObjectNode> table, long id) {
    table.remove(id);
  }
}
