package io.crmkpi.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Settings as a user meets them through DriverManager: unknown keys refused with the key meant, bad
 * values refused with the key and what is allowed, and no secret in any message.
 */
class ConnectionConfigTest {

  @TempDir
  Path dir;

  private static String refusal(String url) {
    return refusal(url, new Properties());
  }

  private static String refusal(String url, Properties info) {
    SQLException e = assertThrows(SQLException.class, () -> DriverManager.getConnection(url, info).close());
    return e.getMessage();
  }

  @Test
  void anUnknownKeySuggestsTheNearestKnownOne() {
    assertEquals("unknown setting 'timezon' for jdbc:crmkpi:demo; did you mean timezone?",
        refusal("jdbc:crmkpi:demo;timezon=Europe/Moscow"));
    Properties info = new Properties();
    info.setProperty("Week_Strat", "7");
    assertEquals("unknown setting 'week_strat' for jdbc:crmkpi:demo; did you mean week_start?",
        refusal("jdbc:crmkpi:demo", info));
    assertEquals("unknown setting 'colour' for jdbc:crmkpi:files; known settings: cache, churn_inactivity_days, "
            + "currency, export_timezone, fiscal_year_start, golive, gross_margin, impact_months, mapping, memory_limit, "
            + "metrics, profile, refresh, schema, stage_kinds, stale_days, store, store_password, store_user, strict, "
            + "timezone, week_start",
        refusal("jdbc:crmkpi:files:" + dir + ";colour=red"));
  }

  @Test
  void aKeyOfAnotherSourceNamesThatSource() {
    assertEquals("'webhook' is not a setting of jdbc:crmkpi:demo but of jdbc:crmkpi:bitrix24",
        refusal("jdbc:crmkpi:demo;webhook=https://portal.example/rest/1/c0de5ecret/"));
  }

  @Test
  void aMistypedSecretKeyIsRefusedWithoutItsValue() {
    String m = refusal("jdbc:crmkpi:hubspot;tokn=pat-na1-5ecret-value");
    assertEquals("unknown setting 'tokn' for jdbc:crmkpi:hubspot; did you mean token?", m);
  }

  @Test
  void badValuesNameTheKeyAndWhatIsAllowed() {
    assertEquals("refresh: expected never, always, rebuild or a duration like 30s, 15m, 2h, 1d, got 'banana'",
        refusal("jdbc:crmkpi:demo;refresh=banana"));
    assertEquals("strict: expected true or false, got 'maybe'", refusal("jdbc:crmkpi:files:" + dir + ";strict=maybe"));
    assertEquals("currency: expected an ISO 4217 currency code such as EUR, RUB or USD, got 'ZZZ'",
        refusal("jdbc:crmkpi:files:" + dir + ";currency=ZZZ"));
    assertEquals("timezone: expected an IANA time zone such as Europe/Moscow or UTC, got 'Mars/Olympus'",
        refusal("jdbc:crmkpi:demo;timezone=Mars/Olympus"));
    assertEquals("deletions: expected one of auto, scan, off, got 'all'",
        refusal("jdbc:crmkpi:bitrix24:portal.example;webhook=https://portal.example/rest/1/abcdef/;deletions=all"));
    assertEquals("week_start: expected 1 (Monday) .. 7 (Sunday) or a day name, got '9'",
        refusal("jdbc:crmkpi:demo;week_start=9"));
  }

  @Test
  void theDemoRefusesABaseCurrencyItHasNoRatesFor() {
    assertTrue(refusal("jdbc:crmkpi:demo;deals=50;currency=EUR")
        .startsWith("currency: the demo has exchange rates for RUB and USD only, got 'EUR'"));
  }

  @Test
  void maskingKeepsTheHelpAroundASecret() {
    assertEquals("HubSpot: set token=<private app access token> (HubSpot > Settings > Integrations > Private apps; "
        + "see docs/sources/hubspot-api.md)", refusal("jdbc:crmkpi:hubspot"));
    assertTrue(refusal("jdbc:crmkpi:bitrix24:portal.example").startsWith("Bitrix24: set webhook=<inbound webhook URL>, "
        + "e.g. https://portal.bitrix24.ru/rest/1/<code>/, or OAuth properties client_id"));
  }

  @Test
  void credentialsInsideAUrlAreMasked() throws SQLException {
    String m = refusal("jdbc:crmkpi:hubspot;token=pat-na1-5ecret;base_url=ftp://admin:hunter22@127.0.0.1/");
    assertEquals("base_url: expected an http(s) URL such as https://host/, got 'ftp://***@127.0.0.1/'", m);
    ConnectionConfig c = ConnectionConfig.parse(
        "jdbc:crmkpi:hubspot;token=pat-na1-5ecret;base_url=http://admin:hunter22@127.0.0.1:9/", null);
    assertEquals("jdbc:crmkpi:hubspot;base_url=http://***@127.0.0.1:9/;token=***", c.maskedUrl());
    String unparsable = refusal("jdbc:crmkpi:;token=pat-na1-5ecret;tokn=other-5ecret;store=/tmp/x");
    assertEquals("missing source in jdbc:crmkpi:;token=***;tokn=***;store=/tmp/x; e.g. jdbc:crmkpi:demo or "
        + "jdbc:crmkpi:files:/path/to/exports", unparsable);
  }

  @Test
  void theStoreIsSharedAcrossViewAndPlacementSettings() throws SQLException {
    String base = "jdbc:crmkpi:files:/data;store=/s/a.duckdb;timezone=UTC";
    String key = ConnectionConfig.parse(base, null).storeKey();
    assertEquals(key, ConnectionConfig.parse(base + ";week_start=7;refresh=never;cache=off", null).storeKey());
    assertFalse(key.equals(ConnectionConfig.parse(base + ";strict=true", null).storeKey()));
    assertFalse(key.equals(ConnectionConfig.parse("jdbc:crmkpi:files:/data;store=/s/b.duckdb;timezone=UTC", null)
        .storeKey()));
    assertEquals("files:/data{store=/s/a.duckdb, timezone=UTC}", key);
  }
}
