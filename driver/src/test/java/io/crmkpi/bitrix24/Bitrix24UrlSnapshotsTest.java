package io.crmkpi.bitrix24;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmkpi.http.HttpClock;
import io.crmkpi.jdbc.SnapshotRows;
import io.crmkpi.jdbc.StoreRegistryAccess;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * crm.deal_snapshots of a Moscow portal (+03:00, no timezone=: the store reports in the portal's
 * offset) through the JDBC URL, synced twice: a deal moved to another stage with a new close date and
 * probability gets a second interval, an unchanged one keeps its one, a deleted one is closed; both
 * as-of times are the portal offset's wall clock, three hours ahead of UTC.
 */
class Bitrix24UrlSnapshotsTest {

  static final ZoneOffset MOSCOW = ZoneOffset.ofHours(3);

  @TempDir
  Path dir;

  @AfterEach
  void release() {
    StoreRegistryAccess.closeUnused();
  }

  private static LocalDateTime now() {
    return LocalDateTime.now(MOSCOW).truncatedTo(ChronoUnit.MICROS);
  }

  private static void assertWithin(String asOf, LocalDateTime before, LocalDateTime after) {
    LocalDateTime at = LocalDateTime.parse(asOf);
    assertTrue(!at.isBefore(before) && !at.isAfter(after), "as-of " + at + " between " + before + " and " + after);
  }

  @Test
  void aChangedDealGetsASecondIntervalAnUnchangedOneKeepsItsOneADeletedOneIsClosed() throws Exception {
    try (FakeBitrix24Server server = new FakeBitrix24Server(HttpClock.SYSTEM, 5, 0, ZoneId.of("Europe/Moscow"))) {
      server.now = Instant.now().getEpochSecond();
      // created 2024-09-10 10:00 +03:00, 11 and 12 September: close dates 14 days on, at the portal's midnight
      long created = OffsetDateTime.of(2024, 9, 10, 10, 0, 0, 0, MOSCOW).toEpochSecond();
      for (int i = 0; i < 3; i++) {
        server.addDeal(i + 1, created + i * 86_400L);
      }
      String url = "jdbc:crmkpi:bitrix24:portal.example;webhook=" + server.base().resolve("/rest/1/"
          + FakeBitrix24Server.CODE + "/") + ";sync_overlap=0;store=" + dir.resolve("b24.duckdb");
      LocalDateTime before1 = now();
      String first;
      try (Connection c = DriverManager.getConnection(url)) {
        LocalDateTime after1 = now();
        List<String> rows = SnapshotRows.snapshots(c);
        first = rows.get(0).split("\\|")[1];
        assertWithin(first, before1, after1);
        assertEquals(List.of(
            "1|" + first + "|-|NEW|open|1000.00|30.0|2024-09-24",
            "2|" + first + "|-|NEW|open|1000.00|30.0|2024-09-25",
            "3|" + first + "|-|NEW|open|1000.00|30.0|2024-09-26"), rows);
      }
      StoreRegistryAccess.closeUnused();

      server.now += 3600;
      server.replan(1, "PREPARATION", LocalDate.of(2024, 10, 31), "60");
      server.delete(server.deals, 3);
      server.now += 60;
      LocalDateTime before2 = now();
      try (Connection c = DriverManager.getConnection(url + ";refresh=always")) {
        LocalDateTime after2 = now();
        List<String> rows = SnapshotRows.snapshots(c);
        String second = rows.get(1).split("\\|")[1];
        assertWithin(second, before2, after2);
        assertEquals(List.of(
            "1|" + first + "|" + second + "|NEW|open|1000.00|30.0|2024-09-24",
            "1|" + second + "|-|PREPARATION|open|1000.00|60.0|2024-10-31",
            "2|" + first + "|-|NEW|open|1000.00|30.0|2024-09-25",
            "3|" + first + "|" + second + "|NEW|open|1000.00|30.0|2024-09-26"), rows);
      }
    }
  }
}
