package io.crmkpi.dashboards;

/**
 * A dashboard filter. A {@code date_range} filter {@code period} gives the SQL two variables,
 * {@code {{period_from}}} (inclusive) and {@code {{period_to}}} (exclusive), both DATE; a {@code text}
 * filter {@code channel} gives {@code {{channel}}}.
 *
 * @param id the variable name (date ranges: its prefix)
 * @param label shown to people
 * @param type {@code date_range} or {@code text}
 * @param column the column of the cards' result the filter restricts (for tools that filter datasets)
 * @param defaultValue date range: {@code last <n> months}; text: a value, or null for "all"
 */
public record Filter(String id, String label, String type, String column, String defaultValue) {

  static final String DATE_RANGE = "date_range";
  static final String TEXT = "text";

  public boolean isDateRange() {
    return DATE_RANGE.equals(type);
  }

  /** The variable names the filter gives the SQL. */
  public java.util.List<String> variables() {
    return isDateRange() ? java.util.List.of(id + "_from", id + "_to") : java.util.List.of(id);
  }
}
