package io.crmkpi.dashboards;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The values a dashboard's filters take: their defaults on a given day, then the user's overrides. */
public final class FilterValues {

  private static final Pattern LAST_MONTHS = Pattern.compile("last (\\d+) months?");

  private FilterValues() {
  }

  /**
   * Variable values at the filters' defaults on {@code today}: {@code last 12 months} is the current month and
   * the 11 before it ({@code _from} the first day of the first, {@code _to} the first day after the current).
   * A text filter without a default has no value (its optional clauses drop: all values).
   */
  public static Map<String, Object> defaults(Dashboard d, LocalDate today) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (Filter f : d.filters()) {
      if (f.isDateRange()) {
        LocalDate next = today.withDayOfMonth(1).plusMonths(1);
        values.put(f.id() + "_from", next.minusMonths(months(f, d.name() + ": filter " + f.id() + ".default")));
        values.put(f.id() + "_to", next);
      } else if (f.defaultValue() != null) {
        values.put(f.id(), f.defaultValue());
      }
    }
    return values;
  }

  /** The number of months of a date range default ({@code last <n> months}). */
  static int months(Filter f, String at) {
    Matcher m = LAST_MONTHS.matcher(f.defaultValue() == null ? "" : f.defaultValue().strip());
    if (!m.matches() || Integer.parseInt(m.group(1)) < 1) {
      throw new IllegalArgumentException(at + ": '" + f.defaultValue() + "' is not 'last <n> months'");
    }
    return Integer.parseInt(m.group(1));
  }

  /** A person-readable statement of the values, e.g. {@code Period: 2025-01-01 – 2025-12-31; Channel: all}. */
  public static String describe(Dashboard d, Map<String, Object> values) {
    StringBuilder s = new StringBuilder();
    for (Filter f : d.filters()) {
      if (s.length() > 0) {
        s.append("; ");
      }
      s.append(f.label()).append(": ");
      if (f.isDateRange()) {
        Object from = values.get(f.id() + "_from");
        Object to = values.get(f.id() + "_to");
        s.append(from == null ? "…" : from).append(" – ")
            .append(to == null ? "…" : ((LocalDate) to).minusDays(1));
      } else {
        Object v = values.get(f.id());
        s.append(v == null ? "all" : v);
      }
    }
    return s.toString();
  }
}
