package io.crmkpi.settings;

import java.time.ZoneId;
import java.util.List;

/** The settings both the sources (converting instants, amounts) and the KPI views read. */
public final class CommonSettings {

  /** Reporting time zone: instants from sources are converted into it; periods follow it. */
  public static final Setting<ZoneId> TIMEZONE = Setting.of("timezone", SettingType.timeZone(), Role.DATA,
      ZoneId.of("UTC"), "reporting time zone (IANA name). Instants from sources are converted into it; "
          + "`CURRENT_DATE`, `is_complete` and month boundaries follow it")
      .defaultDescribedAs("the CRM account's zone (API sources that report one), else UTC");

  /** Base currency of every {@code *_base} and KPI money column. */
  public static final Setting<String> CURRENCY = Setting.of("currency", SettingType.currency(), Role.DATA, null,
      "base currency of `amount_base` and every KPI money column (ISO 4217 code)")
      .defaultDescribedAs("the fx table's base (rate 1), else the most common deal currency; the demo: RUB");

  public static final List<Setting<?>> ALL = List.of(TIMEZONE, CURRENCY);

  private CommonSettings() {
  }
}
