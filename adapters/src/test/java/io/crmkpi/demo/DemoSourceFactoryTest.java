package io.crmkpi.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmkpi.source.Source;
import io.crmkpi.source.SourceContext;
import io.crmkpi.source.SourceException;
import io.crmkpi.source.Sources;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoSourceFactoryTest {

  private static Source create(String target, Map<String, String> props) throws SourceException {
    return Sources.create("demo", target, SourceContext.of(props));
  }

  private static String error(String target, Map<String, String> props) {
    return assertThrows(SourceException.class, () -> create(target, props)).getMessage();
  }

  @Test
  void registeredUnderDemoWithDefaults() throws Exception {
    Source s = create("", Map.of("timezone", "Pacific/Kiritimati"));
    assertEquals("demo", s.name());
    DemoGenerator g = assertInstanceOf(DemoSource.class, s).generator();
    assertEquals(10_000, g.deals());
    assertEquals(42, g.seed());
    // today defaults to the current date in the reporting time zone (UTC+14 here)
    assertEquals(LocalDate.now(ZoneId.of("Pacific/Kiritimati")), g.today());
    assertEquals(g.today().atStartOfDay(), g.asOf());
  }

  @Test
  void readsOptionsCaseInsensitively() throws Exception {
    DemoGenerator g = ((DemoSource) create("", Map.of("DEALS", "1_000_000", "Seed", "-7", "today", "2024-02-29")))
        .generator();
    assertEquals(1_000_000, g.deals());
    assertEquals(-7, g.seed());
    assertEquals(LocalDate.of(2024, 2, 29), g.today());
    assertEquals(LocalDate.of(2021, 8, 1), g.firstDay());
  }

  @Test
  void badOptionsAreExplained() {
    assertTrue(error("", Map.of("deals", "x")).startsWith("deals: expected a whole number from 1 to 10000000, got 'x'"));
    assertTrue(error("", Map.of("deals", "0")).startsWith("deals: expected a whole number from 1 to 10000000, got '0'"));
    assertTrue(error("", Map.of("deals", "-5")).startsWith("deals: expected a whole number from 1 to 10000000, got '-5'"));
    assertTrue(error("", Map.of("deals", "99999999999")).startsWith("deals: expected a whole number from 1 to 10000000"));
    assertTrue(error("", Map.of("seed", "abc")).startsWith("seed: expected a whole number, got 'abc'"));
    assertTrue(error("", Map.of("today", "15.06.2025")).startsWith("today: expected a date YYYY-MM-DD, got '15.06.2025'"));
    String future = LocalDate.now(ZoneId.of("UTC")).plusDays(2).toString();
    assertTrue(error("", Map.of("today", future)).startsWith("today must not be in the future"));
    assertTrue(error("", Map.of("timezone", "Mars/Olympus")).startsWith(
        "timezone: expected an IANA time zone such as Europe/Moscow or UTC, got 'Mars/Olympus'"));
    assertTrue(error("big", Map.of()).startsWith("the demo source takes no target, got 'demo:big'"));
    // every message shows the URL form to fix it with
    assertTrue(error("", Map.of("deals", "x")).contains("jdbc:crmkpi:demo;deals="));
  }

  @Test
  void aBaseCurrencyTheDemoHasNoRatesForIsRefused() throws Exception {
    assertTrue(error("", Map.of("currency", "EUR")).startsWith(
        "currency: the demo has exchange rates for RUB and USD only, got 'EUR'"));
    assertInstanceOf(DemoSource.class, create("", Map.of("currency", "usd")));
  }
}
