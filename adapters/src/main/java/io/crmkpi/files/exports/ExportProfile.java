package io.crmkpi.files.exports;

import java.nio.charset.Charset;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one export layout means: which header names feed which canonical field, how numbers and
 * dates are written, which stage names are won/lost, and whether every deal is also a lead. A CRM
 * format is a profile plus detection; a mapping file builds a profile from YAML.
 */
public final class ExportProfile {

  /** The canonical fields an export column can feed. */
  public enum Field {
    ID, TITLE, PIPELINE, STAGE, STATUS, IS_CLOSED, IS_WON, PROBABILITY, AMOUNT, CURRENCY, CREATED_AT, CLOSED_AT,
    UPDATED_AT, OWNER, CONTACT, CONTACT_ID, COMPANY, COMPANY_ID, SOURCE, UTM_SOURCE, UTM_MEDIUM, UTM_CAMPAIGN,
    LOSS_REASON,
    /** The expected close date: a day as written, never moved between zones; may share CLOSED_AT's column. */
    EXPECTED_CLOSE
  }

  /** Canonical entity the rows are: {@code deal} or {@code lead}. */
  String entity = "deal";
  boolean alsoLead;
  final Map<Field, List<String>> aliases = new EnumMap<>(Field.class);
  char decimalSeparator = '.';
  Character thousandsSeparator;
  final List<String> datePatterns = new ArrayList<>();
  ZoneId fileZone;
  boolean dayFirstSlashes;
  final Map<String, String> stageKinds = new HashMap<>();
  final List<String> stageOrder = new ArrayList<>();
  String defaultPipeline = "Sales pipeline";
  String defaultCurrency;
  final Map<String, String> channels = new HashMap<>();
  /** Deal status comes from a status column and is independent of the stage (Pipedrive). */
  boolean statusPerDeal;
  /** What a probability of 100 % is written as: 100 (Bitrix24, Pipedrive, Salesforce) or 1 (HubSpot's 0.07). */
  int probabilityScale = 100;
  /** The deals' probability is their stage's (HubSpot's "Deal probability"): stages get it too. */
  boolean stageProbabilityFromDeals;
  /** Trailing report footer lines (Salesforce) are not data. */
  boolean footer;
  Charset encoding;
  Character delimiter;
  /** What joins several associated companies/contacts in one cell (HubSpot: {@code ;}); null = one value. */
  Character multiValueSeparator;
  final Set<String> nullDates = new java.util.HashSet<>(Set.of("не закрыта", "не закрыто", "not closed", "-"));
  final String name;

  public ExportProfile(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  public ExportProfile entity(String e) {
    this.entity = e;
    return this;
  }

  public ExportProfile alsoLead(boolean b) {
    this.alsoLead = b;
    return this;
  }

  /** Header names (any case/spacing) that feed {@code field}, in preference order; adds to earlier ones. */
  public ExportProfile column(Field field, String... headers) {
    List<String> l = aliases.computeIfAbsent(field, f -> new ArrayList<>());
    for (String h : headers) {
      l.add(StableIds.normalize(h));
    }
    return this;
  }

  /** Replaces the header names of {@code field}. */
  public ExportProfile onlyColumn(Field field, String header) {
    aliases.put(field, new ArrayList<>(List.of(StableIds.normalize(header))));
    return this;
  }

  public ExportProfile decimalSeparator(char c) {
    this.decimalSeparator = c;
    return this;
  }

  public ExportProfile thousandsSeparator(Character c) {
    this.thousandsSeparator = c;
    return this;
  }

  public ExportProfile datePattern(String p) {
    datePatterns.add(p);
    return this;
  }

  public ExportProfile fileZone(ZoneId z) {
    this.fileZone = z;
    return this;
  }

  public ExportProfile dayFirstSlashes(boolean b) {
    this.dayFirstSlashes = b;
    return this;
  }

  public ExportProfile stageKind(String stageName, String kind) {
    stageKinds.put(StableIds.normalize(stageName), StageKinds.kind(kind));
    return this;
  }

  /** Open stages in funnel order (default pipelines of the CRM); unknown stages follow. */
  public ExportProfile stageOrder(String... names) {
    for (String n : names) {
      stageOrder.add(StableIds.normalize(n));
    }
    return this;
  }

  public ExportProfile defaultPipeline(String name) {
    this.defaultPipeline = name;
    return this;
  }

  public ExportProfile defaultCurrency(String code) {
    this.defaultCurrency = code;
    return this;
  }

  public ExportProfile channel(String raw, String channel) {
    channels.put(StableIds.normalize(raw), channel);
    return this;
  }

  public ExportProfile statusPerDeal(boolean b) {
    this.statusPerDeal = b;
    return this;
  }

  /** Probabilities are written as fractions of 1 ({@code 0.07} = 7 %) instead of percents. */
  public ExportProfile probabilityAsFraction() {
    this.probabilityScale = 1;
    return this;
  }

  /** A deal's probability is its stage's: crm.stages.probability gets it too. */
  public ExportProfile stageProbabilityFromDeals() {
    this.stageProbabilityFromDeals = true;
    return this;
  }

  public ExportProfile footer(boolean b) {
    this.footer = b;
    return this;
  }

  public ExportProfile encoding(Charset c) {
    this.encoding = c;
    return this;
  }

  /** Company and contact cells may list several names joined by {@code c}: the first is the deal's. */
  public ExportProfile multiValues(char c) {
    this.multiValueSeparator = c;
    return this;
  }

  public ExportProfile delimiter(Character c) {
    this.delimiter = c;
    return this;
  }

  public ExportProfile nullDate(String text) {
    nullDates.add(StableIds.normalize(text));
    return this;
  }

  /** Every normalised header name this profile knows (for detection). */
  public Set<String> knownHeaders() {
    Set<String> s = new java.util.HashSet<>();
    aliases.values().forEach(s::addAll);
    return s;
  }
}
