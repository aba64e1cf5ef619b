package io.crmkpi.bitrix24;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import io.crmkpi.sync.SyncStore;
import io.crmkpi.sync.TableSpec;
import java.math.BigDecimal;
import java.net.URI;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Syncs a Bitrix24 portal through an inbound webhook. Funnels, stages and users come in one
 * {@code batch} call (full refresh). Deals, leads, contacts, companies and activities use the
 * documented fast scan ({@code order ID ASC, filter >ID, start -1}) restricted to records modified
 * since the previous run's START (the portal's own clock, from {@code time.date_start}): a record
 * edited during a scan may be behind the ID cursor, but its new DATE_MODIFY is after the start, so
 * the next run gets it. Stage history is append-only, scanned by ID. Checkpoints: crm.sync_state;
 * raw rows: schema {@code bitrix24}.
 */
public final class Bitrix24Sync implements Source {

  static final String NAME = "bitrix24";
  static final String RAW = "bitrix24";
  static final int PAGE = 50;

  private static final TableSpec PIPELINES = TableSpec.canonical("pipelines");
  private static final TableSpec STAGES = TableSpec.canonical("stages");
  private static final TableSpec USERS = TableSpec.canonical("users");
  private static final TableSpec COMPANIES = TableSpec.canonical("companies");
  private static final TableSpec CONTACTS = TableSpec.canonical("contacts");
  private static final TableSpec DEALS = TableSpec.canonical("deals");
  private static final TableSpec LEADS = TableSpec.canonical("leads");
  private static final TableSpec ACTIVITIES = TableSpec.canonical("activities");
  private static final TableSpec CUSTOM = TableSpec.canonical("custom_fields", "entity", "entity_id");
  private static final TableSpec RAW_HISTORY = TableSpec.raw(RAW, "stagehistory", "id", "id BIGINT", "owner_id VARCHAR",
      "category_id VARCHAR", "stage_id VARCHAR", "changed_at TIMESTAMP", "raw VARCHAR");

  private final URI webhook;
  private final SourceContext context;
  private final HttpClock clock;
  private final ApiClient.Settings settings;

  Bitrix24Sync(URI webhook, SourceContext context, HttpClock clock, ApiClient.Settings settings) {
    this.webhook = webhook;
    this.context = context;
    this.clock = clock;
    this.settings = settings;
  }

  private static TableSpec raw(String name) {
    return TableSpec.raw(RAW, name, "id", "id VARCHAR", "date_modify VARCHAR", "raw VARCHAR");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String toString() {
    return "bitrix24:" + webhook.getHost();
  }

  @Override
  public LoadReport load(Store store, SourceContext ctx) throws SourceException {
    Secrets secrets = new Secrets(webhook.toString());
    String[] path = webhook.getPath().split("/");
    secrets.add(path[path.length - 1]); // the webhook code
    // leaky bucket: +1 per request, drains 2/s, blocks above 50; stay a little under the ceiling
    RateLimiter limiter = RateLimiter.shared("bitrix24:" + webhook.getAuthority(), () -> new RateLimiter(2, 45, clock));
    Bitrix24Client client = new Bitrix24Client(webhook, new ApiClient(limiter, RetryRule.DEFAULT, secrets, clock, settings));
    LoadReport report = new LoadReport(NAME);
    long overlap = ctx.property("sync_overlap").map(Long::parseLong).orElse(300L);

    ObjectNode cmd = Bitrix24Client.JSON.createObjectNode();
    cmd.put("categories", "crm.category.list?entityTypeId=2");
    cmd.put("statuses", "crm.status.list");
    cmd.put("users", "user.get?start=0");
    JsonNode ref = client.call("batch", Bitrix24Client.params(Map.of("halt", 0, "cmd", cmd)));
    JsonNode errors = ref.path("result").path("result_error");
    if (errors.isObject() && errors.size() > 0) {
      Map.Entry<String, JsonNode> first = errors.fields().next();
      String code = first.getValue().path("error").asText("");
      throw new io.crmkpi.http.ApiException("Bitrix24 POST batch (" + first.getKey() + "): " + code + "; "
          + Bitrix24Client.advice(403, code), 200, code);
    }
    ZoneId zone = zone(ctx, ref);
    Mapper m = new Mapper(zone);
    try (SyncStore st = new SyncStore(store, NAME, zone)) {
      st.ensure(RAW_HISTORY);
      step(st, "pipelines", () -> reference(client, st, m, ref.path("result"), report));
      step(st, "companies", () -> scan(client, st, report, "companies", "crm.company.list", "DATE_MODIFY", m::company,
          List.of("*", "UF_*"), overlap));
      step(st, "contacts", () -> scan(client, st, report, "contacts", "crm.contact.list", "DATE_MODIFY", m::contact,
          List.of("*", "UF_*", "PHONE", "EMAIL"), overlap));
      step(st, "leads", () -> scan(client, st, report, "leads", "crm.lead.list", "DATE_MODIFY", m::lead,
          List.of("*", "UF_*"), overlap));
      step(st, "deals", () -> scan(client, st, report, "deals", "crm.deal.list", "DATE_MODIFY", m::deal,
          List.of("*", "UF_*"), overlap));
      step(st, "activities", () -> scan(client, st, report, "activities", "crm.activity.list", "LAST_UPDATED",
          m::activity, List.of("*"), overlap));
      step(st, "deal_stage_history", () -> history(client, st, m, report));
      st.transaction(postSteps());
      StoreDerivations.apply(store, ctx.currency());
    } catch (SQLException e) {
      throw new SourceException("Bitrix24: writing the store failed: " + secrets.mask(e.getMessage()));
    }
    return report;
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

  /** Property timezone, else the portal's UTC offset as seen in the answer's time.date_start. */
  private static ZoneId zone(SourceContext ctx, JsonNode answer) throws SourceException {
    if (ctx.property("timezone").isPresent()) {
      try {
        return ZoneId.of(ctx.property("timezone").get());
      } catch (RuntimeException e) {
        throw new SourceException("Bitrix24: unknown time zone '" + ctx.property("timezone").get()
            + "'; set timezone= to an IANA zone such as Europe/Moscow");
      }
    }
    try {
      return OffsetDateTime.parse(answer.path("time").path("date_start").asText()).getOffset();
    } catch (DateTimeParseException e) {
      return ZoneId.of("UTC");
    }
  }

  private void reference(Bitrix24Client client, SyncStore st, Mapper m, JsonNode result, LoadReport report)
      throws SourceException, SQLException {
    JsonNode r = result.path("result");
    Batch b = new Batch().complete(PIPELINES).complete(STAGES).complete(USERS);
    b.next().add(PIPELINES, "0", "General", true, 0);
    long pipelines = 1;
    for (JsonNode c : r.path("categories").path("categories")) {
      if (c.path("id").asInt() != 0) {
        b.next().add(PIPELINES, c.path("id").asText(), c.path("name").asText(null), c.path("isDefault").asText("N").equals("Y"),
            c.path("sort").asInt());
        pipelines++;
      }
    }
    long stages = 0;
    for (JsonNode s : r.path("statuses")) {
      String entity = s.path("ENTITY_ID").asText("");
      if (!entity.startsWith("DEAL_STAGE")) {
        continue;
      }
      String pipeline = entity.equals("DEAL_STAGE") ? "0" : entity.substring("DEAL_STAGE_".length());
      String sem = s.path("SEMANTICS").asText("");
      b.next().add(STAGES, s.path("STATUS_ID").asText(), pipeline, s.path("NAME").asText(null),
          Integer.parseInt(s.path("SORT").asText("0")), "S".equals(sem) ? "won" : "F".equals(sem) ? "lost" : "open");
      stages++;
    }
    long users = 0;
    JsonNode first = r.path("users");
    users += m.users(first, b);
    long total = result.path("result_total").path("users").asLong(first.size());
    if (total > PAGE) {
      // all remaining user pages in one batch (<= 50 commands = 2,550 users)
      ObjectNode cmd = Bitrix24Client.JSON.createObjectNode();
      for (int start = PAGE; start < total && cmd.size() < 50; start += PAGE) {
        cmd.put("u" + start, "user.get?start=" + start);
      }
      JsonNode more = client.call("batch", Bitrix24Client.params(Map.of("halt", 0, "cmd", cmd))).path("result").path("result");
      for (Iterator<JsonNode> it = more.elements(); it.hasNext(); ) {
        users += m.users(it.next(), b);
      }
    }
    st.commit("pipelines", b, null, null);
    report.add("POST batch (crm.category.list)", "pipelines", pipelines, 0);
    report.add("POST batch (crm.status.list)", "stages", stages, 0);
    report.add("POST batch (user.get)", "users", users, 0);
    st.finished("pipelines", null, st.count("crm.stages"));
  }

  private interface RowMapper {
    void map(JsonNode item, Batch b) throws BadRecord;
  }

  /**
   * Fast scan by ID of the records modified since the last run's start. Cursor of an unfinished run:
   * {@code since|runStart|lastId}; the high-water mark moves to runStart only at the end.
   */
  private void scan(Bitrix24Client client, SyncStore st, LoadReport report, String entity, String method,
      String modifiedField, RowMapper mapper, List<String> select, long overlap) throws SourceException, SQLException {
    Checkpoint cp = st.checkpoint(entity);
    String since;
    String runStart = null;
    long lastId = 0;
    if (cp.cursor() != null) {
      String[] c = cp.cursor().split("\\|", -1);
      since = c[0].isEmpty() ? null : c[0];
      runStart = c[1];
      lastId = Long.parseLong(c[2]);
    } else {
      since = cp.highWaterMark() == null ? null : OffsetDateTime.parse(cp.highWaterMark()).minusSeconds(overlap).toString();
    }
    long read = 0;
    long rejected = 0;
    while (true) {
      Map<String, Object> filter = new LinkedHashMap<>();
      filter.put(">ID", lastId);
      if (since != null) {
        filter.put(">=" + modifiedField, since);
      }
      JsonNode answer = client.call(method, Bitrix24Client.params(Map.of("order", Map.of("ID", "ASC"), "filter", filter,
          "select", select, "start", -1)));
      if (runStart == null) {
        runStart = answer.path("time").path("date_start").asText();
      }
      JsonNode items = answer.path("result");
      Batch b = new Batch();
      for (JsonNode item : items) {
        b.next();
        lastId = Math.max(lastId, item.path("ID").asLong());
        try {
          mapper.map(item, b);
        } catch (BadRecord | RuntimeException e) {
          b.dropCurrent();
          b.next().add(TableSpec.canonical("load_rejects"), NAME, "POST " + method, entity, e.getMessage(),
              item.toString(), LocalDateTime.now());
          rejected++;
        }
      }
      read += items.size();
      st.commit(entity, b, null, (since == null ? "" : since) + "|" + runStart + "|" + lastId);
      context.progress(NAME + " " + entity + ": " + read + " read");
      if (items.size() < PAGE) {
        break;
      }
    }
    report.add("POST " + method, entity, read - rejected, rejected);
    st.finished(entity, runStart, st.count(entity.equals("activities") ? "crm.activities" : "crm." + entity));
  }

  /** Stage history is append-only: scan by ID from the last ID seen; the checkpoint is that ID. */
  private void history(Bitrix24Client client, SyncStore st, Mapper m, LoadReport report)
      throws SourceException, SQLException {
    String entity = "deal_stage_history";
    Checkpoint cp = st.checkpoint(entity);
    long lastId = cp.highWaterMark() == null ? 0 : Long.parseLong(cp.highWaterMark());
    long read = 0;
    while (true) {
      JsonNode answer = client.call("crm.stagehistory.list", Bitrix24Client.params(Map.of("entityTypeId", 2,
          "order", Map.of("ID", "ASC"), "filter", Map.of(">ID", lastId), "start", -1)));
      JsonNode items = answer.path("result").path("items");
      Batch b = new Batch();
      for (JsonNode h : items) {
        lastId = Math.max(lastId, h.path("ID").asLong());
        b.next().add(RAW_HISTORY, h.path("ID").asLong(), h.path("OWNER_ID").asText(), h.path("CATEGORY_ID").asText("0"),
            h.path("STAGE_ID").asText(), m.ts(h.get("CREATED_TIME")), h.toString());
      }
      read += items.size();
      st.commit(entity, b, Long.toString(lastId), null);
      context.progress(NAME + " " + entity + ": " + read + " read");
      if (items.size() < PAGE) {
        break;
      }
    }
    report.add("POST crm.stagehistory.list", entity, read, 0);
    st.finished(entity, Long.toString(lastId), st.count(RAW + ".stagehistory"));
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

  /** Bitrix24 records (UPPER_CASE keys, values as strings, dates with the portal's offset) to rows. */
  static final class Mapper {
    private final ZoneId zone;

    Mapper(ZoneId zone) {
      this.zone = zone;
    }

    LocalDateTime ts(JsonNode n) {
      if (n == null || n.isNull() || !n.isTextual() || n.asText().isBlank()) {
        return null;
      }
      return OffsetDateTime.parse(n.asText()).atZoneSameInstant(zone).toLocalDateTime();
    }

    static String id(JsonNode n) {
      return n == null || n.isNull() || n.asText().isEmpty() || "0".equals(n.asText()) ? null : n.asText();
    }

    static String text(JsonNode n) {
      return n == null || n.isNull() || n.asText().isEmpty() ? null : n.asText();
    }

    static String first(JsonNode multi) {
      return multi != null && multi.isArray() && multi.size() > 0 ? text(multi.get(0).get("VALUE")) : null;
    }

    static String name(JsonNode n) {
      String s = ((n.path("NAME").asText("") + " " + n.path("LAST_NAME").asText("")).trim());
      return s.isEmpty() ? null : s;
    }

    static String channel(JsonNode n) {
      String raw = text(n.get("UTM_SOURCE"));
      if (raw == null) {
        raw = text(n.get("SOURCE_ID"));
      }
      return raw == null ? "unknown" : raw.trim().toLowerCase(Locale.ROOT);
    }

    long users(JsonNode list, Batch b) {
      long n = 0;
      for (JsonNode u : list) {
        JsonNode dep = u.path("UF_DEPARTMENT");
        b.next().add(USERS, u.path("ID").asText(), name(u), text(u.get("EMAIL")),
            dep.isArray() && dep.size() > 0 ? dep.get(0).asText() : null, u.path("ACTIVE").asBoolean(true));
        n++;
      }
      return n;
    }

    private static String requireId(JsonNode n) throws BadRecord {
      String id = id(n.get("ID"));
      if (id == null) {
        throw new BadRecord("record without ID");
      }
      return id;
    }

    void customFields(JsonNode n, String entity, String id, Batch b) {
      b.clear(CUSTOM, entity, id);
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        if (f.getKey().startsWith("UF_CRM_") && !f.getValue().isNull() && !f.getValue().asText().isEmpty()) {
          b.add(CUSTOM, entity, id, f.getKey(), f.getKey(), f.getValue().isContainerNode() ? f.getValue().toString()
              : f.getValue().asText());
        }
      }
    }

    void company(JsonNode c, Batch b) throws BadRecord {
      String id = requireId(c);
      b.add(COMPANIES, id, text(c.get("TITLE")), text(c.get("INDUSTRY")), id(c.get("ASSIGNED_BY_ID")), ts(c.get("DATE_CREATE")));
      customFields(c, "company", id, b);
      b.add(raw("companies"), id, text(c.get("DATE_MODIFY")), c.toString());
    }

    void contact(JsonNode c, Batch b) throws BadRecord {
      String id = requireId(c);
      b.add(CONTACTS, id, name(c), first(c.get("EMAIL")), first(c.get("PHONE")), id(c.get("COMPANY_ID")),
          id(c.get("ASSIGNED_BY_ID")), channel(c), ts(c.get("DATE_CREATE")), ts(c.get("DATE_MODIFY")));
      customFields(c, "contact", id, b);
      b.add(raw("contacts"), id, text(c.get("DATE_MODIFY")), c.toString());
    }

    void lead(JsonNode l, Batch b) throws BadRecord {
      String id = requireId(l);
      String sem = l.path("STATUS_SEMANTIC_ID").asText("P");
      b.add(LEADS, id, text(l.get("TITLE")), ts(l.get("DATE_CREATE")), ts(l.get("DATE_MODIFY")),
          "S".equals(sem) ? "converted" : "F".equals(sem) ? "junk" : "open", channel(l), text(l.get("UTM_SOURCE")),
          text(l.get("UTM_MEDIUM")), text(l.get("UTM_CAMPAIGN")), id(l.get("ASSIGNED_BY_ID")), id(l.get("CONTACT_ID")),
          id(l.get("COMPANY_ID")), null, null);
      customFields(l, "lead", id, b);
      b.add(raw("leads"), id, text(l.get("DATE_MODIFY")), l.toString());
    }

    void deal(JsonNode d, Batch b) throws BadRecord {
      String id = requireId(d);
      String stage = text(d.get("STAGE_ID"));
      if (stage == null) {
        throw new BadRecord("deal " + id + " has no STAGE_ID");
      }
      String sem = d.path("STAGE_SEMANTIC_ID").asText("P");
      String status = "S".equals(sem) ? "won" : "F".equals(sem) ? "lost" : "open";
      String amount = text(d.get("OPPORTUNITY"));
      LocalDateTime closed = "open".equals(status) ? null
          : d.hasNonNull("MOVED_TIME") ? ts(d.get("MOVED_TIME")) : ts(d.get("CLOSEDATE"));
      b.add(DEALS, id, text(d.get("TITLE")), d.path("CATEGORY_ID").asText("0"), stage, status,
          amount == null ? null : new BigDecimal(amount), text(d.get("CURRENCY_ID")), null, ts(d.get("DATE_CREATE")),
          closed, ts(d.get("DATE_MODIFY")), id(d.get("ASSIGNED_BY_ID")), id(d.get("CONTACT_ID")), id(d.get("COMPANY_ID")),
          id(d.get("LEAD_ID")), channel(d), text(d.get("UTM_SOURCE")), text(d.get("UTM_MEDIUM")),
          text(d.get("UTM_CAMPAIGN")), null, false);
      customFields(d, "deal", id, b);
      b.add(raw("deals"), id, text(d.get("DATE_MODIFY")), d.toString());
    }

    void activity(JsonNode a, Batch b) throws BadRecord {
      String id = requireId(a);
      String kind = switch (a.path("TYPE_ID").asText("")) {
        case "1" -> "meeting";
        case "2" -> "call";
        case "3" -> "task";
        case "4" -> "email";
        default -> "message";
      };
      String dir = switch (a.path("DIRECTION").asText("")) {
        case "1" -> "in";
        case "2" -> "out";
        default -> null;
      };
      String owner = id(a.get("OWNER_ID"));
      String type = a.path("OWNER_TYPE_ID").asText("");
      LocalDateTime start = ts(a.get("START_TIME"));
      LocalDateTime end = ts(a.get("END_TIME"));
      Integer duration = "call".equals(kind) && start != null && end != null
          ? (int) java.time.Duration.between(start, end).getSeconds() : null;
      b.add(ACTIVITIES, id, kind, dir, "2".equals(type) ? owner : null, "1".equals(type) ? owner : null,
          "3".equals(type) ? owner : null, "4".equals(type) ? owner : null, id(a.get("RESPONSIBLE_ID")),
          ts(a.get("CREATED")), "Y".equals(a.path("COMPLETED").asText()) ? (end != null ? end : ts(a.get("LAST_UPDATED")))
              : null, duration, "0".equals(a.path("AUTHOR_ID").asText("")));
      b.add(raw("activities"), id, text(a.get("LAST_UPDATED")), a.toString());
    }
  }
}
