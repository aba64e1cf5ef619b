package io.crmkpi.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** getPropertyInfo, as DBeaver and Metabase ask for their connection forms: the declared settings of the URL's source. */
class DriverTest {

  private static Map<String, DriverPropertyInfo> info(String url, Properties props) throws Exception {
    return Arrays.stream(DriverManager.getDriver(url).getPropertyInfo(url, props))
        .collect(Collectors.toMap(p -> p.name, Function.identity()));
  }

  @Test
  void aSourcesFormShowsItsSettingsWithChoicesDefaultsAndValues() throws Exception {
    Properties props = new Properties();
    props.setProperty("week_start", "7");
    Map<String, DriverPropertyInfo> p = info("jdbc:crmkpi:bitrix24:portal.example;webhook=https://portal.example/rest/1/"
        + "c0de5ecret/;deletions=scan", props);
    assertArrayEquals(new String[] {"auto", "scan", "off"}, p.get("deletions").choices);
    assertEquals("scan", p.get("deletions").value);
    assertEquals("***", p.get("webhook").value);
    assertEquals("7", p.get("week_start").value);
    assertArrayEquals(new String[] {"true", "false"}, p.get("strict").choices);
    assertNull(p.get("deals"), "a demo setting is no bitrix24 setting");
    assertEquals("for a store file: reload or sync on connect when the last load is older than this, `always`, "
        + "`rebuild` (as `always`, after moving a damaged store file aside), or `never` (opens the store file "
        + "read-only). A `files:` folder is compared with the store's file manifest instead (unless `never`): nothing "
        + "loads while no file was added, removed or changed (default: 15m; never, always, rebuild or a duration like "
        + "30s, 15m, 2h, 1d)", p.get("refresh").description);
    assertEquals(8 + 3 + 7 + 10, p.size(), "driver 8 + sources' common 3 + views 7 + bitrix24 10: " + p.keySet());
  }

  @Test
  void withoutASourceEverySettingIsListed() throws Exception {
    Map<String, DriverPropertyInfo> p = info("jdbc:crmkpi:", null);
    assertTrue(p.keySet().containsAll(List.of("deals", "webhook", "token", "export_timezone", "store")), p.keySet()::toString);
    // 16 shared + demo 3 + files 4 + amocrm 9 + bitrix24's 6 others + hubspot's 2 others
    assertEquals(42, p.size());
  }
}
