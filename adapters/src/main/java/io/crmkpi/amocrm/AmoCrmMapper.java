package io.crmkpi.amocrm;

import static io.crmkpi.amocrm.AmoCrmSync.ACTIVITIES;
import static io.crmkpi.amocrm.AmoCrmSync.COMPANIES;
import static io.crmkpi.amocrm.AmoCrmSync.CONTACTS;
import static io.crmkpi.amocrm.AmoCrmSync.CUSTOM;
import static io.crmkpi.amocrm.AmoCrmSync.DEALS;
import static io.crmkpi.amocrm.AmoCrmSync.HISTORY;
import static io.crmkpi.amocrm.AmoCrmSync.LEADS;
import static io.crmkpi.amocrm.AmoCrmSync.LOST;
import static io.crmkpi.amocrm.AmoCrmSync.PIPELINES;
import static io.crmkpi.amocrm.AmoCrmSync.RAW_COMPANIES;
import static io.crmkpi.amocrm.AmoCrmSync.RAW_CONTACTS;
import static io.crmkpi.amocrm.AmoCrmSync.RAW_EVENTS;
import static io.crmkpi.amocrm.AmoCrmSync.RAW_LEADS;
import static io.crmkpi.amocrm.AmoCrmSync.RAW_TASKS;
import static io.crmkpi.amocrm.AmoCrmSync.STAGES;
import static io.crmkpi.amocrm.AmoCrmSync.USERS;
import static io.crmkpi.amocrm.AmoCrmSync.WON;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmkpi.sync.BadRecord;
import io.crmkpi.sync.Batch;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** JSON records to rows; timestamps are unix seconds turned into wall-clock time in the reporting zone. */
final class AmoCrmMapper {
  private final ZoneId zone;
  private final String currency;

  AmoCrmMapper(ZoneId zone, String currency) {
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
