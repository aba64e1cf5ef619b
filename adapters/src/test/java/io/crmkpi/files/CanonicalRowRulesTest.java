package io.crmkpi.files;

import static io.crmkpi.files.StoreRows.fixture;
import static io.crmkpi.files.StoreRows.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.crmkpi.source.SourceContext;
import io.crmkpi.store.LoadReport;
import io.crmkpi.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The pipeline/plan rules of canonical CSV, through a folder as users load it: fixture {@code plan}
 * (users, pipelines, stages and deals with probabilities, targets.csv, deal_snapshots.csv); every
 * row's fate is worked out by hand next to the expectations, for both readers alike.
 */
class CanonicalRowRulesTest {

  private static final String REJECTS = "SELECT location, reason FROM crm.load_rejects ORDER BY location";

  private static List<String> report(LoadReport r) {
    return r.lines().stream().map(l -> l.input() + " " + l.read() + "=" + l.loaded() + "+" + l.rejected()).toList();
  }

  @Test
  void targetsSnapshotsAndProbabilitiesFollowTheModelsRulesOnBothReaders() throws Exception {
    List<List<String>> runs = new ArrayList<>();
    for (boolean bulk : new boolean[] {false, true}) {
      try (Store store = Store.inMemory()) {
        LoadReport report = new FilesSource(fixture("plan"), List.of(new CanonicalCsvFormat(bulk)))
            .load(store, SourceContext.of(Map.of()));
        // reference tables first, deals, then the plans and the history last (they refer to the others)
        assertEquals(List.of("pipelines.csv 1=1+0", "stages.csv 5=4+1", "users.csv 2=2+0", "deals.csv 3=2+1",
            "deal_snapshots.csv 5=3+2", "targets.csv 11=5+6"), report(report), "bulk=" + bulk);
        List<String> all = new ArrayList<>();
        all.addAll(rows(store, "SELECT stage_id, probability FROM crm.stages ORDER BY 1"));
        all.addAll(rows(store, "SELECT deal_id, expected_close_date, probability FROM crm.deals ORDER BY 1"));
        all.addAll(rows(store, "SELECT * FROM crm.targets ORDER BY target_id"));
        // the load's own snapshot step stamps changes with the load time: shown as 'load'
        all.addAll(rows(store, "SELECT deal_id, " + stamp("valid_from") + ", " + stamp("valid_to")
            + ", status, probability FROM crm.deal_snapshots ORDER BY 1, valid_from"));
        all.addAll(rows(store, REJECTS));
        runs.add(all);
      }
    }
    assertEquals(List.of(
        "s1|10.0", "s2|60.5", "s3|100.0", "s4|0.0",
        "d1|2024-03-31|0.0", "d2|NULL|100.0",
        // t10: MONTH and Orders lower-cased, a target of 0 is a plan too
        "t1|u1|p1|month|2024-01-01|revenue|10000.00",
        "t10|NULL|p1|month|2024-02-01|orders|0.00",
        "t2|NULL|NULL|quarter|2024-04-01|deals_won|12.00",
        "t3|u2|NULL|year|2024-01-01|activities|500.00",
        // a quarter from February: the quarters of fiscal_year_start=2, 5, 8 or 11 (the views' setting)
        "t5|u1|NULL|quarter|2024-02-01|revenue|100.00",
        "d1|2024-01-05 10:00|2024-02-01 00:00|open|10.0",
        "d1|2024-02-01 00:00|NULL|open|0.0",
        // the file says d2 was won, deals.csv says it is open now: the load closes the file's interval
        "d2|2024-01-07 10:00|load|won|100.0",
        "d2|load|NULL|open|100.0",
        "deal_snapshots.csv:4|valid_to: 2024-01-06T10:00 is not after valid_from 2024-01-06T10:00 "
            + "(NULL for the current state)",
        "deal_snapshots.csv:6|status: 'closed' is not one of open, won, lost",
        "deals.csv:4|probability: -5.0 is not a probability (0-100)",
        "stages.csv:6|probability: 150.0 is not a probability (0-100)",
        "targets.csv:10|period_start: missing; a target needs grain, period_start, metric and target",
        "targets.csv:12|target_id: key column is empty",
        "targets.csv:5|period_start: 2024-01-15 is not the first day of a month",
        "targets.csv:7|grain: 'week' is not one of month, quarter, year",
        "targets.csv:8|metric: 'calls' is not one of revenue, deals_won, orders, activities",
        "targets.csv:9|target: -1.00 is negative"), runs.get(0));
    assertEquals(runs.get(0), runs.get(1), "the SQL reader loads and rejects as the row-by-row one");
  }

  private static String stamp(String column) {
    return "CASE WHEN " + column + " >= TIMESTAMP '2025-01-01' THEN 'load' ELSE strftime(" + column
        + ", '%Y-%m-%d %H:%M') END";
  }
}
