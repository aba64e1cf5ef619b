package io.crmkpi.demo;

import io.crmkpi.source.Source;
import io.crmkpi.source.SourceContext;
import io.crmkpi.source.SourceException;
import io.crmkpi.source.SourceFactory;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * {@code jdbc:crmkpi:demo[;deals=N][;seed=S][;today=YYYY-MM-DD]}. Without {@code today} the data ends at
 * the start of the current day in the reporting time zone.
 */
public final class DemoSourceFactory implements SourceFactory {

  private static final String USAGE = " (URL form: jdbc:crmkpi:demo;deals=10000;seed=42;today=2025-06-30)";

  @Override
  public String kind() {
    return "demo";
  }

  @Override
  public Source create(String target, SourceContext context) throws SourceException {
    if (target != null && !target.isBlank()) {
      throw new SourceException("the demo source takes no target, got 'demo:" + target + "'; pass options as "
          + "properties instead" + USAGE);
    }
    int deals = DemoGenerator.DEFAULT_DEALS;
    Optional<String> d = context.property("deals");
    if (d.isPresent()) {
      try {
        deals = Integer.parseInt(d.get().trim().replace("_", ""));
      } catch (NumberFormatException e) {
        deals = -1;
      }
      if (deals <= 0) {
        throw new SourceException("deals must be a positive integer, got '" + d.get() + "'" + USAGE);
      }
    }
    long seed = DemoGenerator.DEFAULT_SEED;
    Optional<String> s = context.property("seed");
    if (s.isPresent()) {
      try {
        seed = Long.parseLong(s.get().trim());
      } catch (NumberFormatException e) {
        throw new SourceException("seed must be an integer, got '" + s.get() + "'" + USAGE);
      }
    }
    ZoneId zone;
    try {
      zone = context.timezone();
    } catch (DateTimeException e) {
      throw new SourceException("timezone must be a time zone id such as Europe/Moscow or UTC, got '"
          + context.property("timezone").orElse("") + "'");
    }
    LocalDate now = LocalDate.now(zone);
    LocalDate today = now;
    Optional<String> t = context.property("today");
    if (t.isPresent()) {
      try {
        today = LocalDate.parse(t.get().trim());
      } catch (DateTimeParseException e) {
        throw new SourceException("today must be a date as YYYY-MM-DD, got '" + t.get() + "'" + USAGE);
      }
      if (today.isAfter(now)) {
        throw new SourceException("today must not be in the future (it is " + now + " in " + zone + "), got '"
            + t.get() + "'; the demo never generates future data");
      }
    }
    return new DemoSource(new DemoGenerator(deals, seed, today));
  }
}
