package io.crmkpi.metrics;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The connection settings KPI views depend on, validated, with their defaults. Each renders as a
 * SQL literal for {@code ${name}} placeholders in definitions.
 */
public final class MetricSettings {

  /** Every setting a definition may use, with its default and meaning (for docs and errors). */
  public static final Map<String, String> DOCUMENTATION;

  static {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("timezone", "reporting time zone (IANA name); default: the CRM account's zone, else UTC");
    d.put("currency", "base currency (ISO code) of every *_base and KPI money column; default: the store's");
    d.put("week_start", "first day of a week: 1 = Monday (default) .. 7 = Sunday, or a day name");
    d.put("fiscal_year_start", "month (1-12) the fiscal year starts; moves quarters and years; default 1");
    d.put("churn_inactivity_days", "days without an order after which a customer counts as churned; default 90");
    d.put("gross_margin", "share of revenue that is gross profit, used by ROMI and profit; default 1.0");
    d.put("golive", "date the CRM was introduced (YYYY-MM-DD); fills kpi.crm_impact; default unset");
    d.put("impact_months", "complete months compared before and after golive; default 3");
    DOCUMENTATION = Map.copyOf(d);
  }

  private final ZoneId timezone;
  private final int weekStart;
  private final int fiscalYearStart;
  private final int churnInactivityDays;
  private final double grossMargin;
  private final LocalDate golive;
  private final int impactMonths;

  private MetricSettings(ZoneId timezone, int weekStart, int fiscalYearStart, int churnInactivityDays,
      double grossMargin, LocalDate golive, int impactMonths) {
    this.timezone = timezone;
    this.weekStart = weekStart;
    this.fiscalYearStart = fiscalYearStart;
    this.churnInactivityDays = churnInactivityDays;
    this.grossMargin = grossMargin;
    this.golive = golive;
    this.impactMonths = impactMonths;
  }

  public static MetricSettings defaults() {
    return from(Map.of());
  }

  /** Reads settings from connection properties (keys case-insensitive); bad values throw with the key named. */
  public static MetricSettings from(Map<String, String> properties) {
    Map<String, String> p = new LinkedHashMap<>();
    properties.forEach((k, v) -> {
      if (v != null && !v.isBlank()) {
        p.put(k.toLowerCase(Locale.ROOT), v.trim());
      }
    });
    ZoneId tz = ZoneId.of("UTC");
    if (p.containsKey("timezone")) {
      try {
        tz = ZoneId.of(p.get("timezone"));
      } catch (DateTimeException e) {
        throw new IllegalArgumentException("timezone: unknown time zone '" + p.get("timezone")
            + "' (use an IANA name such as Europe/Moscow or UTC)");
      }
    }
    return new MetricSettings(tz,
        weekStart(p.get("week_start")),
        intIn(p, "fiscal_year_start", 1, 1, 12),
        intIn(p, "churn_inactivity_days", 90, 1, 3650),
        grossMargin(p.get("gross_margin")),
        golive(p.get("golive")),
        intIn(p, "impact_months", 3, 1, 36));
  }

  private static int weekStart(String v) {
    if (v == null) {
      return 1;
    }
    if (v.matches("\\d+")) {
      int n = Integer.parseInt(v);
      if (n >= 1 && n <= 7) {
        return n;
      }
    } else {
      for (DayOfWeek d : DayOfWeek.values()) {
        String name = d.name().toLowerCase(Locale.ROOT);
        if (name.equals(v.toLowerCase(Locale.ROOT)) || name.substring(0, 3).equals(v.toLowerCase(Locale.ROOT))) {
          return d.getValue();
        }
      }
    }
    throw new IllegalArgumentException("week_start: expected 1 (Monday) .. 7 (Sunday) or a day name, got '" + v + "'");
  }

  private static int intIn(Map<String, String> p, String key, int dflt, int min, int max) {
    String v = p.get(key);
    if (v == null) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException(key + ": expected a whole number from " + min + " to " + max + ", got '" + v + "'");
  }

  private static double grossMargin(String v) {
    if (v == null) {
      return 1.0;
    }
    try {
      double d = Double.parseDouble(v);
      if (d >= 0 && d <= 1) {
        return d;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new IllegalArgumentException("gross_margin: expected a fraction from 0 to 1 (e.g. 0.35), got '" + v + "'");
  }

  private static LocalDate golive(String v) {
    if (v == null) {
      return null;
    }
    try {
      return LocalDate.parse(v);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("golive: expected a date YYYY-MM-DD, got '" + v + "'");
    }
  }

  public ZoneId timezone() {
    return timezone;
  }

  public int weekStart() {
    return weekStart;
  }

  public int fiscalYearStart() {
    return fiscalYearStart;
  }

  public int churnInactivityDays() {
    return churnInactivityDays;
  }

  public double grossMargin() {
    return grossMargin;
  }

  public Optional<LocalDate> golive() {
    return Optional.ofNullable(golive);
  }

  public int impactMonths() {
    return impactMonths;
  }

  /** The SQL literal a {@code ${name}} placeholder is replaced with; empty if the name is not a view setting. */
  public Optional<String> literal(String name) {
    return Optional.ofNullable(switch (name) {
      case "week_start" -> Integer.toString(weekStart);
      case "fiscal_year_start" -> Integer.toString(fiscalYearStart);
      case "churn_inactivity_days" -> Integer.toString(churnInactivityDays);
      case "gross_margin" -> "CAST(" + grossMargin + " AS DOUBLE)";
      case "golive" -> golive == null ? "CAST(NULL AS DATE)" : "DATE '" + golive + "'";
      case "impact_months" -> Integer.toString(impactMonths);
      case "timezone" -> "'" + timezone.getId() + "'";
      default -> null;
    });
  }

  /** The setting names a definition may reference. */
  public static List<String> names() {
    return List.of("timezone", "currency", "week_start", "fiscal_year_start", "churn_inactivity_days",
        "gross_margin", "golive", "impact_months");
  }
}
