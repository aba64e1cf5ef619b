package io.crmkpi.demo;

import io.crmkpi.settings.Role;
import io.crmkpi.settings.Setting;
import io.crmkpi.settings.SettingException;
import io.crmkpi.settings.SettingType;
import io.crmkpi.source.Source;
import io.crmkpi.source.SourceContext;
import io.crmkpi.source.SourceException;
import io.crmkpi.source.SourceFactory;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code jdbc:crmkpi:demo[;deals=N][;seed=S][;today=YYYY-MM-DD]}. Without {@code today} the data ends at
 * the start of the current day in the reporting time zone.
 */
public final class DemoSourceFactory implements SourceFactory {

  static final Setting<Integer> DEALS = Setting.of("deals", SettingType.integer(1, 10_000_000), Role.DATA,
      DemoGenerator.DEFAULT_DEALS, "number of deals the `demo` source generates (the other tables scale with it)");
  static final Setting<Long> SEED = Setting.of("seed", SettingType.longInteger(), Role.DATA, DemoGenerator.DEFAULT_SEED,
      "random seed of the `demo` source: the same seed, size and day give the same data");
  static final Setting<LocalDate> TODAY = Setting.of("today", SettingType.date(), Role.DATA, null,
      "the last day of the `demo` history (not in the future)").defaultDescribedAs("today in `timezone`");
  /** The demo has exchange rates for these currencies only; another base could not be converted into. */
  static final List<String> CURRENCIES = List.of("RUB", "USD");

  private static final String USAGE = " (URL form: jdbc:crmkpi:demo;deals=10000;seed=42;today=2025-06-30)";

  @Override
  public String kind() {
    return "demo";
  }

  @Override
  public List<Setting<?>> settings() {
    return List.of(DEALS, SEED, TODAY);
  }

  @Override
  public Source create(String target, SourceContext context) throws SourceException {
    if (target != null && !target.isBlank()) {
      throw new SourceException("the demo source takes no target, got 'demo:" + target + "'; pass options as "
          + "properties instead" + USAGE);
    }
    Map<String, String> p = context.properties();
    try {
      Optional<String> currency = context.currency();
      if (currency.isPresent() && !CURRENCIES.contains(currency.get())) {
        throw new SettingException("currency", "currency: the demo has exchange rates for "
            + String.join(" and ", CURRENCIES) + " only, got '" + currency.get() + "'");
      }
      ZoneId zone = context.timezone();
      LocalDate now = LocalDate.now(zone);
      LocalDate today = TODAY.find(p).orElse(now);
      if (today.isAfter(now)) {
        throw new SourceException("today must not be in the future (it is " + now + " in " + zone + "), got '"
            + today + "'; the demo never generates future data");
      }
      return new DemoSource(new DemoGenerator(DEALS.get(p), SEED.get(p), today));
    } catch (SettingException e) {
      throw new SourceException(e.getMessage() + USAGE);
    }
  }
}
