package io.crmkpi.store;

import static io.crmkpi.files.StoreRows.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The snapshot intervals on tiny stores written with plain SQL; every expected row worked out by hand. */
class DealSnapshotsTest {

  private static final String STAGES = "INSERT INTO crm.stages (stage_id, pipeline_id, name, sort_order, kind) VALUES "
      + "('s1', 'p1', 'New', 1, 'open'), ('s2', 'p1', 'Proposal', 2, 'open'), ('won', 'p1', 'Won', 10, 'won')";
  private static final String DEALS = "INSERT INTO crm.deals (deal_id, stage_id, amount, currency, created_at, closed_at, "
      + "probability, expected_close_date) VALUES ";
  private static final String ROWS = "SELECT deal_id, strftime(valid_from, '%Y-%m-%d %H:%M'), "
      + "coalesce(strftime(valid_to, '%Y-%m-%d %H:%M'), '-'), stage_id, status, amount_base, probability, "
      + "expected_close_date FROM crm.deal_snapshots ORDER BY deal_id, valid_from";
  private static final LocalDateTime T1 = LocalDateTime.of(2024, 2, 1, 10, 0);
  private static final LocalDateTime T2 = LocalDateTime.of(2024, 2, 8, 9, 30);
  private static final LocalDateTime T3 = LocalDateTime.of(2024, 2, 15, 18, 45);

  private static void derive(Store store) throws Exception {
    StoreDerivations.apply(store, Optional.of("USD"));
  }

  /**
   * First run: one open interval per deal from the as-of time. Second run: d1 moved stage and close
   * date (closed at T2, a new one from T2), d2 unchanged (one interval), d3 deleted (closed at T2),
   * d4 new (from T2). A third run at T2 again with nothing changed writes nothing.
   */
  @Test
  void changedDealsGetANewIntervalUnchangedKeepTheirsDeletedAreClosed() throws Exception {
    try (Store store = Store.inMemory()) {
      store.execute(STAGES);
      store.execute(DEALS + "('d1', 's1', 100.00, 'USD', '2024-01-05 08:00:00', NULL, 20, '2024-03-31'), "
          + "('d2', 's1', 50.00, 'USD', '2024-01-06 08:00:00', NULL, NULL, NULL), "
          + "('d3', 's2', 70.00, 'USD', '2024-01-07 08:00:00', NULL, 60, '2024-02-29')");
      derive(store);
      assertEquals(new DealSnapshots.Result(3, 0), DealSnapshots.record(store, T1));
      assertEquals(List.of(
          "d1|2024-02-01 10:00|-|s1|open|100.00|20.0|2024-03-31",
          "d2|2024-02-01 10:00|-|s1|open|50.00|NULL|NULL",
          "d3|2024-02-01 10:00|-|s2|open|70.00|60.0|2024-02-29"), rows(store, ROWS));

      store.execute("UPDATE crm.deals SET stage_id = 's2', expected_close_date = '2024-04-30' WHERE deal_id = 'd1'");
      store.execute("UPDATE crm.deals SET is_deleted = true WHERE deal_id = 'd3'");
      store.execute(DEALS + "('d4', 'won', 10.00, 'USD', '2024-02-07 08:00:00', '2024-02-07 09:00:00', 100, NULL)");
      derive(store);
      assertEquals(new DealSnapshots.Result(2, 2), DealSnapshots.record(store, T2));
      List<String> after = List.of(
          "d1|2024-02-01 10:00|2024-02-08 09:30|s1|open|100.00|20.0|2024-03-31",
          "d1|2024-02-08 09:30|-|s2|open|100.00|20.0|2024-04-30",
          "d2|2024-02-01 10:00|-|s1|open|50.00|NULL|NULL",
          "d3|2024-02-01 10:00|2024-02-08 09:30|s2|open|70.00|60.0|2024-02-29",
          "d4|2024-02-08 09:30|-|won|won|10.00|100.0|NULL");
      assertEquals(after, rows(store, ROWS));

      assertEquals(new DealSnapshots.Result(0, 0), DealSnapshots.record(store, T2));
      assertEquals(after, rows(store, ROWS));
    }
  }

  /**
   * A state replaced at the moment it began (two runs at one as-of time) is replaced, not kept as a
   * zero-length interval beside the new one under the same key.
   */
  @Test
  void aChangeAtTheSameAsOfTimeReplacesTheStateThatBeganThen() throws Exception {
    try (Store store = Store.inMemory()) {
      store.execute(STAGES);
      store.execute(DEALS + "('d1', 's1', 100.00, 'USD', '2024-01-05 08:00:00', NULL, 20, '2024-03-31')");
      derive(store);
      DealSnapshots.record(store, T1);
      store.execute("UPDATE crm.deals SET probability = 40 WHERE deal_id = 'd1'");
      DealSnapshots.record(store, T1);
      assertEquals(List.of("d1|2024-02-01 10:00|-|s1|open|100.00|40.0|2024-03-31"), rows(store, ROWS));
    }
  }

  /**
   * A full reload (the files source empties the canonical tables): the intervals set aside come back
   * and the comparison goes on from them; a deal the reload no longer has is closed.
   */
  @Test
  void intervalsSurviveAReloadThatEmptiesTheTables() throws Exception {
    try (Store store = Store.inMemory()) {
      store.execute(STAGES);
      store.execute(DEALS + "('d1', 's1', 100.00, 'USD', '2024-01-05 08:00:00', NULL, 20, '2024-03-31'), "
          + "('d2', 's1', 50.00, 'USD', '2024-01-06 08:00:00', NULL, NULL, NULL)");
      derive(store);
      DealSnapshots.record(store, T1);

      DealSnapshots.setAside(store);
      store.execute("DELETE FROM crm.deals");
      store.execute("DELETE FROM crm.stages");
      assertEquals(List.of(), rows(store, ROWS));
      store.execute(STAGES);
      store.execute(DEALS + "('d1', 's1', 120.00, 'USD', '2024-01-05 08:00:00', NULL, 20, '2024-03-31')");
      derive(store);
      assertEquals(new DealSnapshots.Result(1, 2), DealSnapshots.record(store, T3));
      assertEquals(List.of(
          "d1|2024-02-01 10:00|2024-02-15 18:45|s1|open|100.00|20.0|2024-03-31",
          "d1|2024-02-15 18:45|-|s1|open|120.00|20.0|2024-03-31",
          "d2|2024-02-01 10:00|2024-02-15 18:45|s1|open|50.00|NULL|NULL"), rows(store, ROWS));
      assertEquals(List.of("0"), rows(store, "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'deal_snapshots_carried'"));
    }
  }

  /**
   * A reload whose folder brings a deal_snapshots.csv: the history it gives for d1 wins over the carried
   * one (the file knows better), d2's carried interval comes back; d1's loaded open interval matches
   * the deal, so nothing changes for it.
   */
  @Test
  void aLoadedHistoryWinsOverTheCarriedOneForItsDeals() throws Exception {
    try (Store store = Store.inMemory()) {
      store.execute(STAGES);
      store.execute(DEALS + "('d1', 's1', 100.00, 'USD', '2024-01-05 08:00:00', NULL, 20, '2024-03-31'), "
          + "('d2', 's1', 50.00, 'USD', '2024-01-06 08:00:00', NULL, NULL, NULL)");
      derive(store);
      DealSnapshots.record(store, T1);
      DealSnapshots.setAside(store);
      store.execute("INSERT INTO crm.deal_snapshots VALUES "
          + "('d1', '2024-01-05 08:00:00', '2024-01-20 08:00:00', 's1', 'open', 100.00, 10, '2024-02-29'), "
          + "('d1', '2024-01-20 08:00:00', NULL, 's1', 'open', 100.00, 20, '2024-03-31')");
      assertEquals(new DealSnapshots.Result(0, 0), DealSnapshots.record(store, T3));
      assertEquals(List.of(
          "d1|2024-01-05 08:00|2024-01-20 08:00|s1|open|100.00|10.0|2024-02-29",
          "d1|2024-01-20 08:00|-|s1|open|100.00|20.0|2024-03-31",
          "d2|2024-02-01 10:00|-|s1|open|50.00|NULL|NULL"), rows(store, ROWS));
    }
  }

  /**
   * Seeded past intervals (HubSpot property history) in the deal's currency: converted at the deal's
   * own date (created 2024-01-10, EUR rate 1.10 from 2024-01-01): 80 EUR = 88.00, 100 EUR = 110.00.
   * The seed's last interval is the deal as it is, so the comparison adds nothing.
   */
  @Test
  void seededHistoryIsConvertedLikeTheDealAndMatchesItsCurrentState() throws Exception {
    try (Store store = Store.inMemory()) {
      store.execute(STAGES);
      store.execute("INSERT INTO crm.fx_rates VALUES ('USD', '2024-01-01', 1), ('EUR', '2024-01-01', 1.10), "
          + "('EUR', '2024-03-01', 1.20)");
      store.execute(DEALS + "('d5', 's2', 100.00, 'EUR', '2024-01-10 09:00:00', NULL, 50, '2024-04-15')");
      store.execute("CREATE TABLE " + DealSnapshots.SEED + " (" + String.join(", ", DealSnapshots.SEED_COLUMNS) + ")");
      store.execute("INSERT INTO " + DealSnapshots.SEED + " VALUES "
          + "('d5', '2024-01-10 09:00:00', '2024-01-20 12:00:00', 's1', NULL, 80.00, 'EUR', 20, '2024-03-31'), "
          + "('d5', '2024-01-20 12:00:00', NULL, 's2', 'open', 100.00, 'EUR', 50, '2024-04-15')");
      derive(store);
      assertEquals(new DealSnapshots.Result(0, 0), DealSnapshots.record(store, T3));
      assertEquals(List.of(
          "d5|2024-01-10 09:00|2024-01-20 12:00|s1|open|88.00|20.0|2024-03-31",
          "d5|2024-01-20 12:00|-|s2|open|110.00|50.0|2024-04-15"), rows(store, ROWS));
      assertEquals(List.of("0"), rows(store, "SELECT count(*) FROM " + DealSnapshots.SEED));
    }
  }
}
