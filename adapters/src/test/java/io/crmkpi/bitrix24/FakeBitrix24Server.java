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
 * insufficient_scope.
 */
final class FakeBitrix24Server extends FakeApiServer {

  static final ObjectMapper M = new ObjectMapper();
  static final ZoneOffset OFFSET = ZoneOffset.ofHours(3);
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
  private double bucket;
  private long lastDrain;
  private final Random rnd;

  FakeBitrix24Server(HttpClock clock, long seed, int nDeals) throws IOException {
    super(clock);
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
          .put("SOURCE_ID", "CALL").put("UF_CRM_1704817278", rnd.nextBoolean() ? "VIP" : null);
      d.putNull("LEAD_ID");
      deals.put(id, d);
    }
  }

  static final java.time.format.DateTimeFormatter ISO = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

  static String iso(long epochS) {
    return OffsetDateTime.ofInstant(java.time.Instant.ofEpochSecond(epochS), OFFSET).format(ISO);
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

  static Reply error(int status, String code, String text) {
    return Reply.json(status, M.createObjectNode().put("error", code).put("error_description", text).toString());
  }

  @Override
  protected synchronized Reply serve(Call c) throws Exception {
    String prefix = "/rest/1/" + CODE + "/";
    if (!c.path().startsWith(prefix)) {
      return error(401, "NO_AUTH_FOUND", "Wrong authorization data");
    }
    String method = c.path().substring(prefix.length()).replace(".json", "");
    JsonNode p = c.body().isBlank() ? M.createObjectNode() : M.readTree(c.body());
    ObjectNode out = M.createObjectNode();
    if (method.equals("batch")) {
      ObjectNode res = out.putObject("result");
      ObjectNode result = res.putObject("result");
      ObjectNode errors = res.putObject("result_error");
      ObjectNode totals = res.putObject("result_total");
      if (p.path("cmd").size() > 50) {
        return error(400, "ERROR_BATCH_LENGTH_EXCEEDED", "Max batch length exceeded");
      }
      for (var it = p.path("cmd").fields(); it.hasNext(); ) {
        var e = it.next();
        String[] mq = e.getValue().asText().split("\\?", 2);
        ObjectNode params = M.createObjectNode();
        if (mq.length > 1) {
          for (String kv : mq[1].split("&")) {
            String[] x = kv.split("=", 2);
            params.put(URLDecoder.decode(x[0], StandardCharsets.UTF_8), x.length > 1 ? URLDecoder.decode(x[1], StandardCharsets.UTF_8) : "");
          }
        }
        ObjectNode one = M.createObjectNode();
        Reply r = method(mq[0], params, one);
        if (r != null) {
          errors.set(e.getKey(), M.readTree(r.body()));
        } else {
          result.set(e.getKey(), one.get("result"));
          if (one.has("total")) {
            totals.set(e.getKey(), one.get("total"));
          }
        }
      }
    } else {
      Reply r = method(method, p, out);
      if (r != null) {
        return r;
      }
    }
    out.putObject("time").put("date_start", iso(now)).put("date_finish", iso(now)).put("operating", 0);
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
        ArrayNode a = out.putArray("result");
        a.addObject().put("ENTITY_ID", "SOURCE").put("STATUS_ID", "CALL").put("NAME", "Call").put("SORT", "10");
        int sort = 10;
        for (String[] s : FUNNEL0) {
          a.addObject().put("ENTITY_ID", "DEAL_STAGE").put("STATUS_ID", s[0]).put("NAME", s[0].toLowerCase())
              .put("SORT", String.valueOf(sort += 10)).put("SEMANTICS", s[1].equals("P") ? null : s[1]);
        }
        for (String[] s : FUNNEL1) {
          a.addObject().put("ENTITY_ID", "DEAL_STAGE_1").put("STATUS_ID", s[0]).put("NAME", s[0].toLowerCase())
              .put("SORT", String.valueOf(sort += 10)).put("SEMANTICS", s[1].equals("P") ? null : s[1]);
        }
      }
      case "user.get" -> {
        ArrayNode a = out.putArray("result");
        for (int i = 1; i <= 3; i++) {
          ObjectNode u = a.addObject().put("ID", String.valueOf(i)).put("ACTIVE", i != 3).put("NAME", "User").put("LAST_NAME", "N" + i)
              .put("EMAIL", "u" + i + "@example.com");
          u.putArray("UF_DEPARTMENT").add(1);
        }
        out.put("total", 3);
      }
      case "crm.deal.list" -> list(out, "crm.deal.list", new ArrayList<>(deals.values()), p);
      case "crm.contact.list" -> list(out, "crm.contact.list", new ArrayList<>(contacts.values()), p);
      case "crm.lead.list", "crm.company.list", "crm.activity.list" -> list(out, method, new ArrayList<>(), p);
      case "crm.stagehistory.list" -> {
        ObjectNode wrap = M.createObjectNode();
        list(wrap, method, new ArrayList<>(history), p);
        out.putObject("result").set("items", wrap.get("result"));
      }
      default -> {
        return error(404, "ERROR_METHOD_NOT_FOUND", "Method not found!");
      }
    }
    return null;
  }

  private void list(ObjectNode out, String method, List<ObjectNode> all, JsonNode p) {
    JsonNode f = p.path("filter");
    long gtId = f.has(">ID") ? f.get(">ID").asLong() : Long.MIN_VALUE;
    OffsetDateTime modifiedFrom = f.has(">=DATE_MODIFY") ? OffsetDateTime.parse(f.get(">=DATE_MODIFY").asText()) : null;
    List<ObjectNode> rows = new ArrayList<>();
    for (ObjectNode o : all) {
      if (o.get("ID").asLong() <= gtId) {
        continue;
      }
      if (modifiedFrom != null && OffsetDateTime.parse(o.get("DATE_MODIFY").asText()).isBefore(modifiedFrom)) {
        continue;
      }
      rows.add(o);
    }
    rows.sort((a, b) -> Long.compare(a.get("ID").asLong(), b.get("ID").asLong()));
    long start = p.path("start").asLong(0);
    int from = start < 0 ? 0 : (int) start;
    List<ObjectNode> slice = rows.subList(Math.min(from, rows.size()), Math.min(rows.size(), from + 50));
    served.merge(method, slice.size(), Integer::sum);
    ArrayNode a = out.putArray("result");
    slice.forEach(a::add);
    if (start >= 0) {
      out.put("total", rows.size());
      if (from + 50 < rows.size()) {
        out.put("next", from + 50);
      }
    } else {
      out.put("total", 0);
    }
  }
}
