package io.crmkpi.metrics;

import io.crmkpi.settings.CommonSettings;
import io.crmkpi.settings.Role;
import io.crmkpi.settings.Setting;
import io.crmkpi.settings.SettingType;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The connection settings KPI views depend on, declared here (with {@code timezone} and
 * {@code currency}, which the sources read too), validated, with their defaults. Each renders as a
 * SQL literal for {@code ${name}} placeholders in definitions.
 */
public final class MetricSettings {

  public static final Setting<Integer> WEEK_START = Setting.of("week_start", SettingType.dayOfWeek(), Role.METRIC, 1,
      "first day of a week: `1` (Monday) .. `7` (Sunday) or a day name (`sunday`)");
  public static final Setting<Integer> FISCAL_YEAR_START = Setting.of("fiscal_year_start", SettingType.integer(1, 12),
      Role.METRIC, 1, "first month of the fiscal year; moves `quarter` and `year` periods");
  public static final Setting<Integer> CHURN_INACTIVITY_DAYS = Setting.of("churn_inactivity_days",
      SettingType.integer(1, 3650), Role.METRIC, 90, "days without an order after which a customer counts as churned");
  public static final Setting<Integer> STALE_DAYS = Setting.of("stale_days", SettingType.integer(1, 3650), Role.METRIC,
      30, "days without a stage change or activity after which an open deal is listed in `kpi.stale_deals`");
  public static final Setting<Double> GROSS_MARGIN = Setting.of("gross_margin", SettingType.decimal(0, 1), Role.METRIC,
      1.0, "share of revenue that is gross profit, used by ROMI and customer profit");
  public static final Setting<LocalDate> GOLIVE = Setting.of("golive", SettingType.date(), Role.METRIC, null,
      "date the CRM was introduced; fills `kpi.crm_impact`");
  public static final Setting<Integer> IMPACT_MONTHS = Setting.of("impact_months", SettingType.integer(1, 36),
      Role.METRIC, 3, "complete months compared before and after `golive`");

  /** Every setting a definition may use, in the order docs list them. */
  public static final List<Setting<?>> SETTINGS = List.of(CommonSettings.TIMEZONE, CommonSettings.CURRENCY, WEEK_START,
      FISCAL_YEAR_START, CHURN_INACTIVITY_DAYS, STALE_DAYS, GROSS_MARGIN, GOLIVE, IMPACT_MONTHS);

  /** Every setting a definition may use, with its meaning and default (for the generated metric docs). */
  public static final Map<String, String> DOCUMENTATION;

  static {
    Map<String, String> d = new LinkedHashMap<>();
    SETTINGS.forEach(s -> d.put(s.key(), s.description() + "; default: " + s.defaultText()));
    DOCUMENTATION = Collections.unmodifiableMap(d);
  }

  private final ZoneId timezone;
  private final int weekStart;
  private final int fiscalYearStart;
  private final int churnInactivityDays;
  private final int staleDays;
  private final double grossMargin;
  private final LocalDate golive;
  private final int impactMonths;

  private MetricSettings(Map<String, String> p) {
    this.timezone = CommonSettings.TIMEZONE.get(p);
    this.weekStart = WEEK_START.get(p);
    this.fiscalYearStart = FISCAL_YEAR_START.get(p);
    this.churnInactivityDays = CHURN_INACTIVITY_DAYS.get(p);
    this.staleDays = STALE_DAYS.get(p);
    this.grossMargin = GROSS_MARGIN.get(p);
    this.golive = GOLIVE.get(p);
    this.impactMonths = IMPACT_MONTHS.get(p);
  }

  public static MetricSettings defaults() {
    return from(Map.of());
  }

  /**
   * Reads settings from connection properties (keys case-insensitive); a bad value throws a
   * {@link io.crmkpi.settings.SettingException} naming the key and what it allows.
   */
  public static MetricSettings from(Map<String, String> properties) {
    Map<String, String> p = new LinkedHashMap<>();
    properties.forEach((k, v) -> p.put(k.toLowerCase(Locale.ROOT), v));
    return new MetricSettings(p);
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

  public int staleDays() {
    return staleDays;
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
      case "stale_days" -> Integer.toString(staleDays);
      case "gross_margin" -> "CAST(" + grossMargin + " AS DOUBLE)";
      case "golive" -> golive == null ? "CAST(NULL AS DATE)" : "DATE '" + golive + "'";
      case "impact_months" -> Integer.toString(impactMonths);
      case "timezone" -> "'" + timezone.getId() + "'";
      default -> null;
    });
  }

  /** The setting names a definition may reference. */
  public static List<String> names() {
    return SETTINGS.stream().map(Setting::key).toList();
  }
}
