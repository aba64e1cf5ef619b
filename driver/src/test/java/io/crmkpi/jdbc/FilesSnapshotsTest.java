package io.crmkpi.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * crm.deal_snapshots of a files source in a store file: a changed folder reloads the store whole, and
 * the intervals of the earlier loads survive it. Reported in Tokyo (+09:00): the as-of times are its
 * wall clock.
 */
class FilesSnapshotsTest {

  static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
  private static final String STAGES = "stage_id,pipeline_id,name,sort_order,kind\n"
      + "s1,p1,New,1,open\ns2,p1,Offer,2,open\nwon,p1,Won,10,won\n";
  private static final String HEADER = "deal_id,title,pipeline_id,stage_id,amount,currency,created_at,closed_at,"
      + "expected_close_date,probability\n";
  private static final String V1 = HEADER
      + "d1,One,p1,s1,100.00,USD,2024-02-10 10:00:00,,2024-03-31,20\n"
      + "d2,Two,p1,s1,50,USD,2024-02-11 09:00:00,,,\n"
      + "d3,Three,p1,s2,10,USD,2024-02-12 09:00:00,,2024-04-15,60\n";
  // d1 moved to the offer stage and pushed a month; d2 as it was; d3 gone from the export
  private static final String V2 = HEADER
      + "d1,One,p1,s2,100.00,USD,2024-02-10 10:00:00,,2024-04-30,20\n"
      + "d2,Two,p1,s1,50,USD,2024-02-11 09:00:00,,,\n";

  @TempDir
  Path tmp;

  @AfterEach
  void release() {
    StoreRegistry.closeUnused();
  }

  private static LocalDateTime now() {
    return LocalDateTime.now(TOKYO).truncatedTo(ChronoUnit.MICROS);
  }

  private static String asOf(List<String> rows, int row, int column, LocalDateTime before, LocalDateTime after) {
    String v = rows.get(row).split("\\|")[column];
    LocalDateTime at = LocalDateTime.parse(v);
    assertTrue(!at.isBefore(before) && !at.isAfter(after), "as-of " + at + " between " + before + " and " + after);
    return v;
  }

  @Test
  void intervalsSurviveTheReloadOfAChangedFolder() throws Exception {
    Path folder = Files.createDirectory(tmp.resolve("exports"));
    Files.writeString(folder.resolve("stages.csv"), STAGES, StandardCharsets.UTF_8);
    Files.writeString(folder.resolve("deals.csv"), V1, StandardCharsets.UTF_8);
    String url = "jdbc:crmkpi:files:" + folder + ";timezone=Asia/Tokyo;store=" + tmp.resolve("store.duckdb");
    LocalDateTime before = now();
    String first;
    try (Connection c = DriverManager.getConnection(url)) {
      List<String> rows = SnapshotRows.snapshots(c);
      first = asOf(rows, 0, 1, before, now());
      assertEquals(List.of(
          "d1|" + first + "|-|s1|open|100.00|20.0|2024-03-31",
          "d2|" + first + "|-|s1|open|50.00|NULL|NULL",
          "d3|" + first + "|-|s2|open|10.00|60.0|2024-04-15"), rows);
    }
    StoreRegistry.closeUnused();

    Files.writeString(folder.resolve("deals.csv"), V2, StandardCharsets.UTF_8);
    before = now();
    try (Connection c = DriverManager.getConnection(url)) {
      List<String> rows = SnapshotRows.snapshots(c);
      String second = asOf(rows, 1, 1, before, now());
      assertEquals(List.of(
          "d1|" + first + "|" + second + "|s1|open|100.00|20.0|2024-03-31",
          "d1|" + second + "|-|s2|open|100.00|20.0|2024-04-30",
          "d2|" + first + "|-|s1|open|50.00|NULL|NULL",
          "d3|" + first + "|" + second + "|s2|open|10.00|60.0|2024-04-15"), rows);
    }
  }
}
