package io.crmkpi.files;

import io.crmkpi.model.Table;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The rules of the canonical model a parsed row must meet before it is stored: key columns are
 * filled, coded columns (stage kind, deal status, survey, target grain and metric...) hold one of
 * the model's values (lower-cased in place), survey scores lie on the survey's scale, rates are
 * positive, probabilities lie in 0-100, a target is a whole plan (grain, period, metric, a value of
 * 0 or more) starting on a month's first day, a deal snapshot's interval ends after it starts.
 * Which months start a quarter or a year is the fiscal_year_start setting's, a setting of the views
 * (connections sharing a store may differ in it): the views align targets, the rules cannot. KPI views filter on these values, so a row
 * breaking them is rejected rather than silently miscounted.
 */
public final class CanonicalRowRules {

  /** table -> column -> allowed values (lower case). */
  private static final Map<String, Map<String, List<String>>> CODES = Map.of(
      "stages", Map.of("kind", List.of("open", "won", "lost")),
      "deals", Map.of("status", List.of("open", "won", "lost")),
      "leads", Map.of("status", List.of("open", "converted", "junk")),
      "tickets", Map.of("status", List.of("open", "solved", "closed")),
      "activities", Map.of("kind", List.of("call", "email", "meeting", "task", "message", "note"),
          "direction", List.of("in", "out")),
      "survey_responses", Map.of("survey", List.of("nps", "csat")),
      "customers", Map.of("kind", List.of("company", "contact")),
      "targets", Map.of("grain", List.of("month", "quarter", "year"),
          "metric", List.of("revenue", "deals_won", "orders", "activities")),
      "deal_snapshots", Map.of("status", List.of("open", "won", "lost")));

  /** Tables with a probability column (0-100). */
  static final List<String> PROBABILITIES = List.of("deals", "stages", "deal_snapshots");

  /** Columns a target row cannot do without (target_id, its key, is checked as every key). */
  static final List<String> TARGET_REQUIRED = List.of("grain", "period_start", "metric", "target");

  private CanonicalRowRules() {
  }

  /** Coded columns of {@code table} with their allowed values (lower case); empty when none. */
  static Map<String, List<String>> codes(String table) {
    return CODES.getOrDefault(table, Map.of());
  }

  /**
   * Checks {@code row} (values in the table's column order) and normalises coded values to lower
   * case. Returns null when the row is fine, else the reason, starting with the column name.
   */
  public static String check(Table table, Object[] row) {
    for (String key : table.primaryKey()) {
      Object v = row[table.indexOf(key)];
      if (v == null || v.toString().isBlank()) {
        return key + ": key column is empty";
      }
    }
    for (Map.Entry<String, List<String>> e : CODES.getOrDefault(table.name(), Map.of()).entrySet()) {
      int i = table.indexOf(e.getKey());
      if (row[i] == null) {
        continue;
      }
      String v = row[i].toString().strip().toLowerCase(Locale.ROOT);
      if (!e.getValue().contains(v)) {
        return e.getKey() + ": '" + row[i] + "' is not one of " + String.join(", ", e.getValue());
      }
      row[i] = v;
    }
    if (table.name().equals("survey_responses")) {
      return surveyScore(table, row);
    }
    if (table.name().equals("fx_rates")) {
      Object rate = row[table.indexOf("rate_to_base")];
      if (rate instanceof BigDecimal r && r.signum() <= 0) {
        return "rate_to_base: " + r.toPlainString() + " is not a positive rate";
      }
    }
    if (PROBABILITIES.contains(table.name())) {
      Object p = row[table.indexOf("probability")];
      if (p instanceof Number n && !(n.doubleValue() >= 0 && n.doubleValue() <= 100)) {
        return "probability: " + p + " is not a probability (0-100)";
      }
    }
    if (table.name().equals("targets")) {
      return target(table, row);
    }
    if (table.name().equals("deal_snapshots")) {
      Object from = row[table.indexOf("valid_from")];
      Object to = row[table.indexOf("valid_to")];
      if (from instanceof LocalDateTime f && to instanceof LocalDateTime t && !t.isAfter(f)) {
        return "valid_to: " + t + " is not after valid_from " + f + " (NULL for the current state)";
      }
    }
    return null;
  }

  /** A target names its whole plan, is 0 or more, and its period starts on a month's first day. */
  private static String target(Table table, Object[] row) {
    for (String c : TARGET_REQUIRED) {
      if (row[table.indexOf(c)] == null) {
        return c + ": missing; a target needs grain, period_start, metric and target";
      }
    }
    if (((BigDecimal) row[table.indexOf("target")]).signum() < 0) {
      return "target: " + ((BigDecimal) row[table.indexOf("target")]).toPlainString() + " is negative";
    }
    LocalDate start = (LocalDate) row[table.indexOf("period_start")];
    if (start.getDayOfMonth() != 1) {
      return "period_start: " + start + " is not the first day of a month";
    }
    return null;
  }

  private static String surveyScore(Table table, Object[] row) {
    Object survey = row[table.indexOf("survey")];
    Object score = row[table.indexOf("score")];
    if (survey == null || score == null) {
      return null;
    }
    int s = ((Number) score).intValue();
    int min = survey.equals("nps") ? 0 : 1;
    int max = survey.equals("nps") ? 10 : 5;
    if (s < min || s > max) {
      return "score: " + s + " is outside the " + survey + " scale " + min + "-" + max;
    }
    return null;
  }
}
