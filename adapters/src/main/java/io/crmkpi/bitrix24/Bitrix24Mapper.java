package io.crmkpi.bitrix24;

import static io.crmkpi.bitrix24.Bitrix24Sync.ACTIVITIES;
import static io.crmkpi.bitrix24.Bitrix24Sync.COMPANIES;
import static io.crmkpi.bitrix24.Bitrix24Sync.CONTACTS;
import static io.crmkpi.bitrix24.Bitrix24Sync.CUSTOM;
import static io.crmkpi.bitrix24.Bitrix24Sync.DEALS;
import static io.crmkpi.bitrix24.Bitrix24Sync.LEADS;
import static io.crmkpi.bitrix24.Bitrix24Sync.NAME;
import static io.crmkpi.bitrix24.Bitrix24Sync.USERS;
import static io.crmkpi.bitrix24.Bitrix24Sync.raw;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmkpi.sync.BadRecord;
import io.crmkpi.sync.Batch;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/** Bitrix24 records (UPPER_CASE keys, values as strings, dates with the portal's offset) to rows. */
final class Bitrix24Mapper {
  /** The reporting zone times are converted into; null: each value's own local time (the portal's). */
  private final ZoneId zone;

  Bitrix24Mapper(ZoneId zone) {
    this.zone = zone;
  }

  LocalDateTime ts(JsonNode n) {
    if (n == null || n.isNull() || !n.isTextual() || n.asText().isBlank()) {
      return null;
    }
    OffsetDateTime t = OffsetDateTime.parse(n.asText());
    return zone == null ? t.toLocalDateTime() : t.atZoneSameInstant(zone).toLocalDateTime();
  }

  /**
   * The calendar date of a date field as the portal shows it: {@code CLOSEDATE} comes as a datetime at
   * the portal's local midnight with its offset ({@code 2024-08-30T00:00:00+02:00}), or as a plain
   * date; its date part is the date, whatever the reporting zone (converting the instant would move
   * it a day back east of UTC).
   */
  static LocalDate localDate(String id, String field, JsonNode n) throws BadRecord {
    String t = text(n);
    if (t == null) {
      return null;
    }
    try {
      return LocalDate.parse(t.length() > 10 ? t.substring(0, 10) : t);
    } catch (DateTimeParseException e) {
      throw new BadRecord("deal " + id + ": " + field + " '" + t + "' is not a date");
    }
  }

  /** A 0-100 percentage sent as a string ({@code "PROBABILITY":"40"}); empty is unknown. */
  static Double percent(String id, String field, JsonNode n) throws BadRecord {
    String t = text(n);
    if (t == null) {
      return null;
    }
    try {
      return Double.valueOf(t.trim());
    } catch (NumberFormatException e) {
      throw new BadRecord("deal " + id + ": " + field + " '" + t + "' is not a number");
    }
  }

  static OffsetDateTime instant(JsonNode n) {
    return n == null || n.isNull() || !n.isTextual() || n.asText().isBlank() ? null : OffsetDateTime.parse(n.asText());
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
        text(d.get("UTM_CAMPAIGN")), null, false, localDate(id, "CLOSEDATE", d.get("CLOSEDATE")),
        percent(id, "PROBABILITY", d.get("PROBABILITY")));
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
    LocalDateTime end = ts(a.get("END_TIME"));
    // from the instants: local times across a clock change would be an hour off
    OffsetDateTime from = instant(a.get("START_TIME"));
    OffsetDateTime to = instant(a.get("END_TIME"));
    Integer duration = "call".equals(kind) && from != null && to != null
        ? (int) java.time.Duration.between(from, to).getSeconds() : null;
    b.add(ACTIVITIES, id, kind, dir, "2".equals(type) ? owner : null, "1".equals(type) ? owner : null,
        "3".equals(type) ? owner : null, "4".equals(type) ? owner : null, id(a.get("RESPONSIBLE_ID")),
        ts(a.get("CREATED")), "Y".equals(a.path("COMPLETED").asText()) ? (end != null ? end : ts(a.get("LAST_UPDATED")))
            : null, duration, "0".equals(a.path("AUTHOR_ID").asText("")));
    b.add(raw("activities"), id, text(a.get("LAST_UPDATED")), a.toString());
  }
}
