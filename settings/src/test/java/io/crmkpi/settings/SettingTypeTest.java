package io.crmkpi.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One parser per kind of value, with one message naming the key and what is allowed. */
class SettingTypeTest {

  private static <T> T parse(SettingType<T> type, String value) {
    return Setting.of("k", type, Role.DATA, null, "test").parse(value);
  }

  private static String refusal(SettingType<?> type, String value) {
    return assertThrows(SettingException.class, () -> parse(type, value)).getMessage();
  }

  @Test
  void timeZonesHaveOneSyntaxAndOneMessage() {
    assertEquals(ZoneId.of("Europe/Moscow"), parse(SettingType.timeZone(), " Europe/Moscow "));
    assertEquals(ZoneId.of("+03:00"), parse(SettingType.timeZone(), "+03:00"));
    assertEquals("k: expected an IANA time zone such as Europe/Moscow or UTC, got 'Mars/Olympus'",
        refusal(SettingType.timeZone(), "Mars/Olympus"));
    assertEquals("k: expected an IANA time zone such as Europe/Moscow or UTC, got 'europe moscow'",
        refusal(SettingType.timeZone(), "europe moscow"));
  }

  @Test
  void currenciesAreIso4217Codes() {
    assertEquals("EUR", parse(SettingType.currency(), "eur"));
    assertEquals("RUB", parse(SettingType.currency(), "RUB"));
    assertEquals("k: expected an ISO 4217 currency code such as EUR, RUB or USD, got 'ZZZ'",
        refusal(SettingType.currency(), "ZZZ"));
    assertEquals("k: expected an ISO 4217 currency code such as EUR, RUB or USD, got 'EURO'",
        refusal(SettingType.currency(), "EURO"));
  }

  @Test
  void booleansAreTrueOrFalseOnly() {
    assertEquals(true, parse(SettingType.bool(), "TRUE"));
    assertEquals(false, parse(SettingType.bool(), "false"));
    assertEquals("k: expected true or false, got 'maybe'", refusal(SettingType.bool(), "maybe"));
    assertEquals("k: expected true or false, got '1'", refusal(SettingType.bool(), "1"));
  }

  @Test
  void integersKeepTheirRange() {
    assertEquals(10_000, parse(SettingType.integer(1, 1_000_000), "10_000"));
    assertEquals(12, parse(SettingType.integer(1, 12), "12"));
    assertEquals("k: expected a whole number from 1 to 12, got '13'", refusal(SettingType.integer(1, 12), "13"));
    assertEquals("k: expected a whole number from 1 to 12, got '1.5'", refusal(SettingType.integer(1, 12), "1.5"));
    assertEquals("k: expected a whole number from 1 to 12, got '99999999999'",
        refusal(SettingType.integer(1, 12), "99999999999"));
    assertEquals(-7L, parse(SettingType.longInteger(), "-7"));
  }

  @Test
  void decimalsKeepTheirRange() {
    assertEquals(0.35, parse(SettingType.decimal(0, 1), "0.35"));
    assertEquals("k: expected a number from 0 to 1, got '1.2'", refusal(SettingType.decimal(0, 1), "1.2"));
  }

  @Test
  void durationsAndWords() {
    assertEquals(Duration.ofMinutes(15), parse(SettingType.duration(), "15m"));
    assertEquals(Duration.ofDays(2), parse(SettingType.duration(), "2d"));
    assertEquals("k: expected a duration like 30s, 15m, 2h, 1d, got '15 minutes'",
        refusal(SettingType.duration(), "15 minutes"));
    SettingType<String> refresh = SettingType.wordsOrDuration("never", "always");
    assertEquals("never", parse(refresh, "NEVER"));
    assertEquals("2h", parse(refresh, "120m"));
    assertEquals("k: expected never, always or a duration like 30s, 15m, 2h, 1d, got 'banana'",
        refusal(refresh, "banana"));
  }

  @Test
  void choicesDatesDaysAndUrls() {
    SettingType<String> deletions = SettingType.choice("auto", "scan", "off");
    assertEquals("scan", parse(deletions, "Scan"));
    assertEquals(java.util.List.of("auto", "scan", "off"), deletions.choices());
    assertEquals("k: expected one of auto, scan, off, got 'all'", refusal(deletions, "all"));
    assertEquals(LocalDate.of(2025, 6, 30), parse(SettingType.date(), "2025-06-30"));
    assertEquals("k: expected a date YYYY-MM-DD, got '30.06.2025'", refusal(SettingType.date(), "30.06.2025"));
    assertEquals(7, parse(SettingType.dayOfWeek(), "sunday"));
    assertEquals(3, parse(SettingType.dayOfWeek(), "Wed"));
    assertEquals("k: expected 1 (Monday) .. 7 (Sunday) or a day name, got '9'", refusal(SettingType.dayOfWeek(), "9"));
    assertEquals(URI.create("http://127.0.0.1:8080/x"), parse(SettingType.httpUrl(), "http://127.0.0.1:8080/x"));
    assertEquals("k: expected an http(s) URL such as https://host/, got 'ftp://h/'",
        refusal(SettingType.httpUrl(), "ftp://h/"));
  }

  @Test
  void aSecretsValueIsNeverRepeated() {
    Setting<Integer> pin = Setting.of("pin", SettingType.integer(0, 9), Role.SECRET, null, "test");
    String m = assertThrows(SettingException.class, () -> pin.parse("hunter2")).getMessage();
    assertEquals("pin: expected a whole number from 0 to 9", m);
  }

  @Test
  void blankMeansUnsetAndTheDefaultApplies() {
    Setting<Integer> months = Setting.of("impact_months", SettingType.integer(1, 36), Role.METRIC, 3, "test");
    assertEquals(3, months.get(Map.of("impact_months", "  ")));
    assertEquals(6, months.get(Map.of("impact_months", "6")));
    assertEquals("3", months.defaultText());
  }
}
