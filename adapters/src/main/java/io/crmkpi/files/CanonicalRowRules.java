package io.crmkpi.files;

import io.crmkpi.model.Table;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The rules of the canonical model a parsed row must meet before it is stored: key columns are
 * filled, coded columns (stage kind, deal status, survey...) hold one of the model's values
 * (lower-cased in place), survey scores lie on the survey's scale, rates are positive. KPI views
 * filter on these values, so a row breaking them is rejected rather than silently miscounted.
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
      "customers", Map.of("kind", List.of("company", "contact")));

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
