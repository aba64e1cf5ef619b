package io.crmkpi.hubspot;

import static io.crmkpi.hubspot.HubSpotSync.COMPANIES;
import static io.crmkpi.hubspot.HubSpotSync.CONTACTS;
import static io.crmkpi.hubspot.HubSpotSync.DEALS;
import static io.crmkpi.hubspot.HubSpotSync.HISTORY;
import static io.crmkpi.hubspot.HubSpotSync.LEADS;
import static io.crmkpi.hubspot.HubSpotSync.PIPELINES;
import static io.crmkpi.hubspot.HubSpotSync.STAGES;
import static io.crmkpi.hubspot.HubSpotSync.USERS;
import static io.crmkpi.hubspot.HubSpotSync.raw;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmkpi.files.exports.ChannelMapper;
import io.crmkpi.sync.BadRecord;
import io.crmkpi.sync.Batch;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** HubSpot records (string properties, ISO-Z or epoch-ms times) to rows in the reporting zone. */
final class HubSpotMapper {
  private final ZoneId zone;
  /** The portal's own zone: dates (closedate) are the days HubSpot shows in it. */
  private final ZoneId accountZone;
  private final String defaultCurrency;
  private final Map<String, String> stageKind = new HashMap<>();
  private final Map<String, Double> stageProbability = new HashMap<>();
  /** Whether deals' property history seeds crm.deal_snapshots (the first full read). */
  private boolean seed;
  private final Map<String, String> ownerByUserId = new HashMap<>();
  private final ChannelMapper channels;

  HubSpotMapper(ZoneId zone, ZoneId accountZone, String defaultCurrency, ChannelMapper channels) {
    this.zone = zone;
    this.accountZone = accountZone;
    this.defaultCurrency = defaultCurrency;
    this.channels = channels;
  }

  LocalDateTime ts(String v) {
    if (v == null || v.isBlank()) {
      return null;
    }
    Instant i = v.chars().allMatch(Character::isDigit) ? Instant.ofEpochMilli(Long.parseLong(v))
        : OffsetDateTime.parse(v).toInstant();
    return LocalDateTime.ofInstant(i, zone);
  }

  /**
   * The calendar day of a HubSpot datetime as the portal shows it: the instant in the account's zone
   * (closedate is stored as an instant, midnight or the moment of closing in the portal's zone).
   */
  LocalDate day(String v) {
    if (v == null || v.isBlank()) {
      return null;
    }
    Instant i = v.chars().allMatch(Character::isDigit) ? Instant.ofEpochMilli(Long.parseLong(v))
        : OffsetDateTime.parse(v).toInstant();
    return LocalDate.ofInstant(i, accountZone);
  }

  /** A 0.0-1.0 probability sent as a string ("0.2") as 0-100 (decimal, so 0.2 is 20.0, not 20.000000000000004). */
  static Double percent(String v) {
    return v == null || v.isBlank() ? null : new BigDecimal(v.trim()).movePointRight(2).doubleValue();
  }

  void seedHistory(boolean on) {
    seed = on;
  }

  static String text(JsonNode n) {
    return n == null || n.isNull() || n.isMissingNode() || n.asText().isEmpty() ? null : n.asText();
  }

  /** Closed with probability 1.0 is won, closed otherwise lost (both metadata values are strings). */
  static String kind(JsonNode metadata) {
    if (!"true".equalsIgnoreCase(metadata.path("isClosed").asText())) {
      return "open";
    }
    String p = metadata.path("probability").asText("0");
    return !p.isBlank() && Double.parseDouble(p) >= 1.0 ? "won" : "lost";
  }

  void pipeline(JsonNode p, Batch b) {
    String pid = p.path("id").asText();
    b.add(PIPELINES, pid, text(p.get("label")), "default".equals(pid), p.path("displayOrder").asInt());
    for (JsonNode s : p.path("stages")) {
      String kind = kind(s.path("metadata"));
      Double probability = percent(text(s.path("metadata").get("probability")));
      stageKind.put(s.path("id").asText(), kind);
      if (probability != null) {
        stageProbability.put(s.path("id").asText(), probability);
      }
      b.add(STAGES, s.path("id").asText(), pid, text(s.get("label")), s.path("displayOrder").asInt(), kind,
          probability);
    }
    b.add(raw("pipelines"), pid, text(p.get("updatedAt")), p.toString());
  }

  void owner(JsonNode o, boolean archived, Batch b) {
    String id = o.path("id").asText();
    String name = (o.path("firstName").asText("") + " " + o.path("lastName").asText("")).trim();
    JsonNode teams = o.path("teams");
    String team = null;
    for (JsonNode t : teams) {
      if (team == null || t.path("primary").asBoolean(false)) {
        team = text(t.get("name"));
      }
    }
    if (o.hasNonNull("userId")) {
      ownerByUserId.put(o.get("userId").asText(), id);
    }
    b.add(USERS, id, name.isEmpty() ? null : name, text(o.get("email")), team, !archived && !o.path("archived").asBoolean(false));
    b.add(raw("owners"), id, text(o.get("updatedAt")), o.toString());
  }

  private static String requireId(JsonNode n) throws BadRecord {
    String id = text(n.get("id"));
    if (id == null) {
      throw new BadRecord("record without id");
    }
    return id;
  }

  /** hs_analytics_source (ORGANIC_SEARCH, PAID_SEARCH, ...) through crm.channel_map ("organic search" → organic). */
  private String channel(JsonNode p) {
    String s = text(p.get("hs_analytics_source"));
    return channels.channel(s == null ? null : s.replace('_', ' '));
  }

  private static String firstAssociation(JsonNode item, String type) {
    String best = null;
    for (JsonNode a : item.path("associations").path(type).path("results")) {
      String id = text(a.get("id"));
      // lowest id: stable whatever order the API lists them in
      if (id != null && (best == null || new BigDecimal(id).compareTo(new BigDecimal(best)) < 0)) {
        best = id;
      }
    }
    return best;
  }

  void company(JsonNode c, Batch b) throws BadRecord {
    String id = requireId(c);
    JsonNode p = c.path("properties");
    b.add(COMPANIES, id, text(p.get("name")), text(p.get("industry")), text(p.get("hubspot_owner_id")),
        created(c, p));
    b.add(raw("companies"), id, text(p.get("hs_lastmodifieddate")), c.toString());
  }

  void contact(JsonNode c, Batch b) throws BadRecord {
    String id = requireId(c);
    JsonNode p = c.path("properties");
    String first = text(p.get("firstname"));
    String last = text(p.get("lastname"));
    String name = ((first == null ? "" : first) + " " + (last == null ? "" : last)).trim();
    b.add(CONTACTS, id, name.isEmpty() ? null : name, text(p.get("email")),
        text(p.get("phone")), text(p.get("associatedcompanyid")), text(p.get("hubspot_owner_id")), channel(p),
        created(c, p), updated(c, p.get("lastmodifieddate")));
    b.add(raw("contacts"), id, text(p.get("lastmodifieddate")), c.toString());
  }

  void deal(JsonNode d, Batch b) throws BadRecord {
    String id = requireId(d);
    JsonNode p = d.path("properties");
    String stage = text(p.get("dealstage"));
    if (stage == null) {
      throw new BadRecord("deal " + id + " has no dealstage");
    }
    String kind = stageKind.get(stage); // unknown stage: StoreDerivations decides
    BigDecimal amount;
    try {
      amount = text(p.get("amount")) == null ? null : new BigDecimal(p.get("amount").asText().trim());
    } catch (NumberFormatException e) {
      throw new BadRecord("deal " + id + ": amount '" + p.get("amount").asText() + "' is not a number");
    }
    String currency = text(p.get("deal_currency_code"));
    if (currency == null && amount != null) {
      currency = defaultCurrency;
    }
    LocalDateTime created = created(d, p);
    LocalDateTime updated = updated(d, p.get("hs_lastmodifieddate"));
    boolean closed = "won".equals(kind) || "lost".equals(kind);
    String owner = text(p.get("hubspot_owner_id"));
    String contact = firstAssociation(d, "contacts");
    String company = firstAssociation(d, "companies");
    String channel = channel(p);
    LocalDate expected;
    Double probability;
    try {
      expected = day(text(p.get("closedate")));
      probability = percent(text(p.get("hs_deal_stage_probability")));
    } catch (RuntimeException e) {
      throw new BadRecord("deal " + id + ": closedate '" + text(p.get("closedate")) + "' or hs_deal_stage_probability '"
          + text(p.get("hs_deal_stage_probability")) + "' is not readable");
    }
    b.add(DEALS, id, text(p.get("dealname")), text(p.get("pipeline")), stage, kind, amount, currency, null, created,
        closed ? ts(text(p.get("closedate"))) : null, updated, owner, contact, company, id, channel, null, null, null,
        "lost".equals(kind) ? text(p.get("closed_lost_reason")) : null, false, expected, probability);
    if (seed) {
      snapshots(d, id, new State(stage, kind, amount, probability, expected), currency, b);
    }
    b.add(LEADS, id, text(p.get("dealname")), created, updated, "converted", channel, null, null, null, owner, contact,
        company, id, null);
    history(d, id, text(p.get("pipeline")), b);
    b.add(raw("deals"), id, text(p.get("hs_lastmodifieddate")), d.toString());
  }

  /** propertiesWithHistory.dealstage (any order) → one row per change, oldest first, from = previous value. */
  private void history(JsonNode d, String id, String pipeline, Batch b) {
    b.clear(HISTORY, id);
    List<JsonNode> h = new ArrayList<>();
    d.path("propertiesWithHistory").path("dealstage").forEach(h::add);
    if (h.isEmpty()) {
      return; // StoreDerivations infers a history for deals without one
    }
    h.sort((x, y) -> ts(x.path("timestamp").asText()).compareTo(ts(y.path("timestamp").asText())));
    String from = null;
    for (JsonNode e : h) {
      String to = text(e.get("value"));
      if (to == null || to.equals(from)) {
        continue;
      }
      String user = e.hasNonNull("updatedByUserId") ? ownerByUserId.get(e.get("updatedByUserId").asText()) : null;
      b.add(HISTORY, id, pipeline, from, to, ts(e.path("timestamp").asText()), user, false);
      from = to;
    }
  }

  /** A deal's tracked state: what crm.deal_snapshots keeps an interval of. */
  private record State(String stage, String kind, BigDecimal amount, Double probability, LocalDate expected) {
    /** The same state: amounts by value ("1000" and "1000.00" are one amount). */
    boolean same(State o) {
      return o != null && java.util.Objects.equals(stage, o.stage) && java.util.Objects.equals(kind, o.kind)
          && (amount == null ? o.amount == null : o.amount != null && amount.compareTo(o.amount) == 0)
          && java.util.Objects.equals(probability, o.probability) && java.util.Objects.equals(expected, o.expected);
    }
  }

  /**
   * Past intervals of a deal from the history of dealstage, amount and closedate (each a list of
   * {value, timestamp, ...}, newest first; sorted here anyway): one interval from each moment any of
   * them changed, holding the values each had then (a property without an entry yet: NULL), merged
   * when nothing tracked differs. The stage's probability stands for the deal's at the time
   * (hs_deal_stage_probability follows the stage). The last interval is open and is the deal as it is
   * now, so the comparison after the sync finds it unchanged. Amounts stay in the deal's currency;
   * DealSnapshots converts them the deal's way.
   */
  private void snapshots(JsonNode d, String id, State now, String currency, Batch b) throws BadRecord {
    b.clear(HubSpotSync.SEED, id);
    JsonNode h = d.path("propertiesWithHistory");
    // keyed by the reporting zone's wall clock, the intervals' own bounds: each bound once
    java.util.TreeMap<LocalDateTime, Map<String, String>> changes = new java.util.TreeMap<>();
    for (String prop : List.of("dealstage", "amount", "closedate")) {
      for (JsonNode e : h.path(prop)) {
        LocalDateTime at = ts(text(e.get("timestamp")));
        if (at != null) {
          // two entries of one property at one moment: the list's first (newest) wins
          changes.computeIfAbsent(at, k -> new HashMap<>()).putIfAbsent(prop, e.hasNonNull("value")
              ? e.get("value").asText() : "");
        }
      }
    }
    if (changes.isEmpty()) {
      return; // no history: the deal's interval starts when the sync sees it
    }
    List<Object[]> rows = new ArrayList<>();
    Map<String, String> values = new HashMap<>();
    State last = null;
    for (var c : changes.entrySet()) {
      values.putAll(c.getValue());
      State s;
      try {
        String stage = blankToNull(values.get("dealstage"));
        String amount = blankToNull(values.get("amount"));
        s = new State(stage, stage == null ? null : stageKind.get(stage),
            amount == null ? null : new BigDecimal(amount.trim()), stage == null ? null : stageProbability.get(stage),
            day(blankToNull(values.get("closedate"))));
      } catch (RuntimeException e) {
        throw new BadRecord("deal " + id + ": a value in propertiesWithHistory is not readable (" + e.getMessage() + ")");
      }
      if (s.same(last)) {
        continue;
      }
      if (!rows.isEmpty()) {
        rows.get(rows.size() - 1)[2] = c.getKey();
      }
      rows.add(new Object[] {id, c.getKey(), null, s.stage(), s.kind(), s.amount(), currency, s.probability(),
          s.expected()});
      last = s;
    }
    Object[] open = rows.get(rows.size() - 1);
    open[3] = now.stage();
    open[4] = now.kind();
    open[5] = now.amount();
    open[7] = now.probability();
    open[8] = now.expected();
    for (Object[] r : rows) {
      b.add(HubSpotSync.SEED, r);
    }
  }

  private static String blankToNull(String v) {
    return v == null || v.isBlank() ? null : v;
  }

  private LocalDateTime created(JsonNode n, JsonNode p) {
    String c = text(p.get("createdate"));
    return ts(c != null ? c : text(n.get("createdAt")));
  }

  private LocalDateTime updated(JsonNode n, JsonNode v) {
    String u = text(v);
    return ts(u != null ? u : text(n.get("updatedAt")));
  }
}
