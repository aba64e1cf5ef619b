package io.crmkpi.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Unknown keys are refused with the nearest known key; values of unknown keys are never repeated. */
class SettingsRegistryTest {

  private static final Setting<String> TOKEN = Setting.of("token", SettingType.secret("a token"), Role.SECRET, null,
      "test");
  private static final SettingsRegistry REGISTRY = SettingsRegistry.of(CommonSettings.ALL,
      List.of(TOKEN, Setting.of("week_start", SettingType.dayOfWeek(), Role.METRIC, 1, "test")));

  @Test
  void typosSuggestTheKeyMeant() {
    assertEquals(Optional.of("timezone"), REGISTRY.nearest("timezon"));
    assertEquals(Optional.of("timezone"), REGISTRY.nearest("tiemzone"));
    assertEquals(Optional.of("timezone"), REGISTRY.nearest("time_zone"));
    assertEquals(Optional.of("token"), REGISTRY.nearest("tokn"));
    assertEquals(Optional.of("week_start"), REGISTRY.nearest("weekstart"));
    assertEquals(Optional.empty(), REGISTRY.nearest("colour"));
  }

  @Test
  void distanceCountsOneEditPerTypo() {
    assertEquals(1, SettingsRegistry.distance("timezon", "timezone"));
    assertEquals(1, SettingsRegistry.distance("tiemzone", "timezone"));
    assertEquals(3, SettingsRegistry.distance("kitten", "sitting"));
    assertEquals(0, SettingsRegistry.distance("x", "x"));
  }

  @Test
  void anUnknownKeyIsRefusedWithoutItsValue() {
    SettingException e = assertThrows(SettingException.class,
        () -> REGISTRY.check(Map.of("tokn", "pat-na1-secret-value"), "jdbc:crmkpi:hubspot"));
    assertEquals("unknown setting 'tokn' for jdbc:crmkpi:hubspot; did you mean token?", e.getMessage());
    assertEquals("tokn", e.key());
    SettingException far = assertThrows(SettingException.class,
        () -> REGISTRY.check(Map.of("colour", "red"), "jdbc:crmkpi:demo"));
    assertEquals("unknown setting 'colour' for jdbc:crmkpi:demo; known settings: currency, timezone, token, "
        + "week_start", far.getMessage());
  }

  @Test
  void aBadValueIsRefusedNamingTheKey() {
    SettingException e = assertThrows(SettingException.class,
        () -> REGISTRY.check(Map.of("currency", "ZZZ", "timezone", "UTC"), "jdbc:crmkpi:demo"));
    assertEquals("currency: expected an ISO 4217 currency code such as EUR, RUB or USD, got 'ZZZ'", e.getMessage());
  }

  @Test
  void secretValuesIncludeUnknownKeys() {
    assertEquals(List.of("pat-1234"), REGISTRY.secretValues(Map.of("token", "pat-1234", "timezone", "UTC")));
    assertEquals(List.of("abcdef"), REGISTRY.secretValues(Map.of("tokn", "abcdef")));
    assertFalse(REGISTRY.keys(Role.SECRET).isEmpty());
  }

  @Test
  void aKeyDeclaredWithTwoRolesIsAMistake() {
    Setting<String> other = Setting.of("token", SettingType.text("x"), Role.DATA, null, "test");
    assertThrows(IllegalStateException.class, () -> SettingsRegistry.of(List.of(TOKEN), List.of(other)));
  }
}
