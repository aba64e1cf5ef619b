package io.crmkpi.store;

import static io.crmkpi.files.StoreRows.rows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;

/** The derivations on tiny stores written with plain SQL; every expected value worked out by hand. */
class StoreDerivationsTest {

  private static final String DEALS = "INSERT INTO crm.deals (deal_id, stage_id, amount, currency, amount_base, "
      + "created_at, closed_at, updated_at, owner_user_id, company_id, contact_id) VALUES ";
  private static final String STAGES = "INSERT INTO crm.stages (stage_id, pipeline_id, name, sort_order, kind) VALUES ('s1', 'p1', 'New', 1, 'open'), "
      + "('s2', 'p1', 'Proposal', 2, 'open'), ('won', 'p1', 'Won', 10, 'won'), ('lost', 'p1', 'Lost', 11, 'lost')";

  /**
   * No leads loaded: one lead per deal; a later load with more deals (an incremental sync) rebuilds
   * them, deleted deals included (the KPI views drop those); once the source loads leads of its own,
   * the derived ones go.
   */
  @Test
  void withoutLeadsEveryDealIsALeadUntilTheSourceHasLeads() throws Exception {
    try (Store store = Store.inMemory()) {
      store.execute(STAGES);
      store.execute(DEALS
          + "('d1', 'won', 100.00, 'USD', NULL, '2024-01-10 00:00:00', '2024-02-01 09:00:00', NULL, 'u1', 'c1', NULL), "
          + "('d2', 's1', 50.00, 'USD', NULL, '2024-01-31 23:59:59', NULL, NULL, 'u2', NULL, 'k1')");
      StoreDerivations.apply(store, Optional.empty());
      assertEquals(List.of("d1|2024-01-10 00:00:00|converted|d1|u1|c1|NULL", "d2|2024-01-31 23:59:59|converted|d2|u2|NULL|k1"),
          rows(store, "SELECT lead_id, strftime(created_at, '%Y-%m-%d %H:%M:%S'), status, converted_deal_id, "
              + "owner_user_id, company_id, contact_id FROM crm.leads ORDER BY 1"));
      assertEquals(List.of("d1|d1", "d2|d2"), rows(store, "SELECT deal_id, lead_id FROM crm.deals ORDER BY 1"));

      store.execute(DEALS + "('d3', 's1', 5.00, 'USD', NULL, '2024-02-02 08:00:00', NULL, NULL, 'u1', NULL, NULL)");
      store.execute("UPDATE crm.deals SET is_deleted = true WHERE deal_id = 'd2'");
      StoreDerivations.apply(store, Optional.empty());
      assertEquals(List.of("d1", "d2", "d3"), rows(store, "SELECT lead_id FROM crm.leads ORDER BY 1"));

      store.execute("INSERT INTO crm.leads (lead_id, title, created_at, status, converted_deal_id) "
          + "VALUES ('L7', 'form', '2024-02-03 10:00:00', 'open', NULL)");
      StoreDerivations.apply(store, Optional.empty());
      assertEquals(List.of("L7"), rows(store, "SELECT lead_id FROM crm.leads ORDER BY 1"));
      assertEquals(List.of("d1|NULL", "d2|NULL", "d3|NULL"), rows(store, "SELECT deal_id, lead_id FROM crm.deals ORDER BY 1"));
      assertEquals(List.of(), rows(store, "SELECT value FROM util.store_info WHERE key = 'leads_from_deals'"));
    }
  }

  @Test
  void withoutRatesOnlyBaseCurrencyAmountsHaveAValueInTheBase() throws Exception {
    try (Store store = Store.inMemory()) {
      store.execute(STAGES);
      store.execute(DEALS
          + "('a1', 'won', 100.00, 'USD', NULL, '2024-01-10 10:00:00', '2024-02-01 09:00:00', NULL, 'u1', 'c1', NULL), "
          + "('a2', 's2', 250.50, 'usd', NULL, '2024-01-11 10:00:00', NULL, NULL, 'u1', NULL, 'k1'), "
          + "('a3', 'won', 80.00, 'EUR', NULL, '2024-01-12 10:00:00', '2024-02-03 09:00:00', NULL, 'u2', 'c2', NULL), "
          + "('a4', 's1', 40.00, NULL, NULL, '2024-01-13 10:00:00', NULL, NULL, 'u2', NULL, NULL), "
          + "('a5', 's1', NULL, NULL, NULL, '2024-01-14 10:00:00', NULL, NULL, 'u2', NULL, NULL), "
          + "('a6', 's1', 70.00, 'USD', 65.00, '2024-01-15 10:00:00', NULL, NULL, 'u2', NULL, NULL)");
      store.execute("INSERT INTO crm.marketing_spend VALUES ('email', 'x', '2024-01-05', 10.00, NULL, NULL), "
          + "('email', 'y', '2024-01-06', 5.00, 'EUR', NULL)");
      assertEquals("USD", StoreDerivations.apply(store, Optional.of("usd")));
      assertEquals(List.of(
          "a1|USD|100.00",
          // lower-case base currency: still the base, the amount as it is
          "a2|usd|250.50",
          // no rate for EUR: no value in the base
          "a3|EUR|NULL",
          // no currency: the base
          "a4|USD|40.00",
          "a5|NULL|NULL",
          // a value the source gave is kept
          "a6|USD|65.00"),
          rows(store, "SELECT deal_id, currency, amount_base FROM crm.deals ORDER BY 1"));
      assertEquals(List.of("a1|company:c1|100.00|USD|100.00", "a3|company:c2|80.00|EUR|NULL"),
          rows(store, "SELECT order_id, customer_id, amount, currency, amount_base FROM crm.orders ORDER BY 1"));
      assertEquals(List.of("x|USD|10.00", "y|EUR|NULL"),
          rows(store, "SELECT campaign, currency, amount_base FROM crm.marketing_spend ORDER BY 1"));
      // the sum of no known amount is unknown
      assertEquals(List.of("company:c1|1|100.00", "company:c2|1|NULL"),
          rows(store, "SELECT customer_id, orders, revenue_base FROM crm.customers ORDER BY 1"));
      assertEquals(List.of("USD"), rows(store, "SELECT value FROM util.store_info WHERE key = 'base_currency'"));
    }
  }

  @Test
  void withRatesEveryCurrencyThatHasThemIsConvertedAtTheRateOfItsDate() throws Exception {
    try (Store store = Store.inMemory()) {
      store.execute(STAGES);
      store.execute("INSERT INTO crm.fx_rates VALUES ('USD', '2024-01-01', 90.0), ('USD', '2024-02-01', 92.0), "
          + "('EUR', '2024-01-15', 100.0), ('CHF', '2024-01-01', 97.12345678), ('HLF', '2024-01-01', 0.5)");
      store.execute(DEALS
          + "('b1', 'won', 10.00, 'USD', NULL, '2024-01-20 10:00:00', '2024-02-10 09:00:00', NULL, 'u1', 'c1', NULL), "
          + "('b2', 's2', 10.00, 'USD', NULL, '2023-12-01 10:00:00', NULL, NULL, 'u1', NULL, NULL), "
          + "('b3', 'lost', 3.33, 'EUR', NULL, '2024-01-02 10:00:00', '2024-01-20 09:00:00', NULL, 'u1', NULL, NULL), "
          + "('b4', 's1', 500.00, 'RUB', NULL, '2024-01-03 10:00:00', NULL, NULL, 'u1', NULL, NULL), "
          + "('b5', 's1', 7.00, 'GBP', NULL, '2024-01-04 10:00:00', NULL, NULL, 'u1', NULL, NULL), "
          + "('b6', 's1', 1.00, 'eur', NULL, '2024-01-16 10:00:00', NULL, NULL, 'u1', NULL, NULL), "
          + "('b7', 's1', 1234567.89, 'CHF', NULL, '2024-03-01 10:00:00', NULL, NULL, 'u1', NULL, NULL), "
          + "('b8', 's1', -12.34, 'CHF', NULL, '2024-03-01 10:00:00', NULL, NULL, 'u1', NULL, NULL), "
          + "('b9', 's1', 0.01, 'HLF', NULL, '2024-03-01 10:00:00', NULL, NULL, 'u1', NULL, NULL), "
          + "('c0', 's1', -0.03, 'HLF', NULL, '2024-03-01 10:00:00', NULL, NULL, 'u1', NULL, NULL), "
          + "('c1', 's1', 200000000.01, 'HLF', NULL, '2024-03-01 10:00:00', NULL, NULL, 'u1', NULL, NULL), "
          + "('c2', 's1', 2.00, 'USD', NULL, NULL, NULL, NULL, 'u1', NULL, NULL)");
      // orders given: none are made from won deals, these are converted at their order date
      store.execute("INSERT INTO crm.orders (order_id, customer_id, ordered_at, amount, currency) VALUES "
          + "('o1', 'company:c1', '2024-02-01 00:00:00', 10.00, 'USD'), "
          + "('o2', 'company:c1', '2024-01-31 23:59:00', 5.00, 'RUB'), "
          + "('o3', 'company:c2', '2024-02-02 00:00:00', 2.00, 'GBP'), "
          + "('o4', 'company:c2', '2024-02-03 00:00:00', 3.00, NULL)");
      store.execute("INSERT INTO crm.marketing_spend VALUES ('email', 'x', '2024-01-15', 1.50, 'EUR', NULL)");
      assertEquals("RUB", StoreDerivations.apply(store, Optional.of("RUB")));
      assertEquals(List.of(
          // closed 2024-02-10: the 2024-02-01 rate, 10 x 92
          "b1|920.00",
          // open, created before the first USD rate: the earliest one, 10 x 90
          "b2|900.00",
          // closed 2024-01-20: 3.33 x 100
          "b3|333.00",
          // the base: as it is, although RUB has no rate
          "b4|500.00",
          // no GBP rate: nothing
          "b5|NULL",
          // lower-case code: the EUR rate, 1 x 100
          "b6|100.00",
          // 1234567.89 x 97.12345678 = 119905501.1063907942 (a product past 10^8)
          "b7|119905501.11",
          // -12.34 x 97.12345678 = -1198.5034566652
          "b8|-1198.50",
          // half a cent rounds away from zero: 0.005, -0.015, 100000000.005
          "b9|0.01",
          "c0|-0.02",
          "c1|100000000.01",
          // no date at all: the earliest USD rate, 2 x 90
          "c2|180.00"),
          rows(store, "SELECT deal_id, amount_base FROM crm.deals ORDER BY 1"));
      assertEquals(List.of(
          // a rate applies from its date on: 10 x 92
          "o1|USD|920.00",
          "o2|RUB|5.00",
          "o3|GBP|NULL",
          "o4|RUB|3.00"),
          rows(store, "SELECT order_id, currency, amount_base FROM crm.orders ORDER BY 1"));
      assertEquals(List.of("EUR|150.00"), rows(store, "SELECT currency, amount_base FROM crm.marketing_spend"));
      // 920.00 + 5.00; 3.00 + unknown
      assertEquals(List.of("company:c1|2|925.00", "company:c2|2|3.00"),
          rows(store, "SELECT customer_id, orders, revenue_base FROM crm.customers ORDER BY 1"));
    }
  }

  @Test
  void ratesQuotedInAnotherCurrencyThanTheBaseAreCrossRates() throws Exception {
    try (Store store = Store.inMemory()) {
      store.execute(STAGES);
      // quoted in roubles, reported in dollars
      store.execute("INSERT INTO crm.fx_rates VALUES ('RUB', '2024-01-01', 1), ('USD', '2024-01-01', 90.0), "
          + "('EUR', '2024-01-01', 99.0)");
      store.execute(DEALS
          + "('c1', 's1', 12.34, 'EUR', NULL, '2024-03-01 10:00:00', NULL, NULL, 'u1', NULL, NULL), "
          + "('c2', 's1', 1000.00, 'RUB', NULL, '2024-03-01 10:00:00', NULL, NULL, 'u1', NULL, NULL), "
          + "('c3', 's1', 50.00, 'USD', NULL, '2024-03-01 10:00:00', NULL, NULL, 'u1', NULL, NULL), "
          + "('c4', 's1', 5.00, 'CHF', NULL, '2024-03-01 10:00:00', NULL, NULL, 'u1', NULL, NULL)");
      assertEquals("USD", StoreDerivations.apply(store, Optional.of("USD")));
      assertEquals(List.of(
          // 12.34 x 99 / 90 = 13.574
          "c1|13.57",
          // 1000 x 1 / 90 = 11.111..
          "c2|11.11",
          // the base, although its own rate is 90
          "c3|50.00",
          "c4|NULL"),
          rows(store, "SELECT deal_id, amount_base FROM crm.deals ORDER BY 1"));
    }
  }

  @Test
  void historyIsInferredForEveryDealWhenThereIsNoneAndOnlyForDealsWithoutItOtherwise() throws Exception {
    String deals = DEALS
        + "('h1', 's2', NULL, NULL, NULL, '2024-01-01 10:00:00', NULL, '2024-01-03 12:00:00', 'u1', NULL, NULL), "
        + "('h2', 'won', NULL, NULL, NULL, '2024-01-02 10:00:00', '2024-01-05 17:00:00', NULL, 'u2', NULL, NULL), "
        + "('h3', 's1', NULL, NULL, NULL, '2024-01-03 10:00:00', NULL, '2024-01-04 10:00:00', 'u1', NULL, NULL), "
        + "('h4', 'lost', NULL, NULL, NULL, '2024-01-04 10:00:00', NULL, NULL, 'u1', NULL, NULL), "
        + "('h5', 's2', NULL, NULL, NULL, '2024-01-05 10:00:00', NULL, '2024-01-01 08:00:00', 'u2', NULL, NULL)";
    String history = "SELECT deal_id, pipeline_id, from_stage_id, to_stage_id, strftime(changed_at, '%m-%d %H:%M'), "
        + "user_id, is_inferred FROM crm.deal_stage_history ORDER BY deal_id, changed_at, from_stage_id NULLS FIRST";
    List<String> inferred = List.of(
        "h1|p1|NULL|s1|01-01 10:00|u1|true",
        // open: into its stage when last updated
        "h1|p1|s1|s2|01-03 12:00|u1|true",
        "h2|p1|NULL|s1|01-02 10:00|u2|true",
        // won: into its stage when closed
        "h2|p1|s1|won|01-05 17:00|u2|true",
        // in the first stage: the creation only
        "h3|p1|NULL|s1|01-03 10:00|u1|true",
        // lost without a close date: the creation only
        "h4|p1|NULL|s1|01-04 10:00|u1|true",
        "h5|p1|NULL|s1|01-05 10:00|u2|true",
        // updated before it was created: the move is dated at creation
        "h5|p1|s1|s2|01-05 10:00|u2|true");
    try (Store store = Store.inMemory()) {
      store.execute(STAGES);
      store.execute(deals);
      StoreDerivations.apply(store, Optional.empty());
      assertEquals(inferred, rows(store, history));
    }
    try (Store store = Store.inMemory()) {
      store.execute(STAGES);
      store.execute(deals);
      // h2 has a history of its own, its is_inferred left blank
      store.execute("INSERT INTO crm.deal_stage_history VALUES "
          + "('h2', 'p1', NULL, 'won', '2024-01-02 11:00:00', 'u9', NULL)");
      StoreDerivations.apply(store, Optional.empty());
      List<String> expected = new ArrayList<>(inferred);
      expected.removeIf(r -> r.startsWith("h2|"));
      expected.add(2, "h2|p1|NULL|won|01-02 11:00|u9|false");
      assertEquals(expected, rows(store, history));
    }
  }

  @Test
  void aFailingHistoryStepFailsTheDerivationsAfterTheOtherStepsEnded() throws Exception {
    try (Store store = Store.inMemory()) {
      store.execute(STAGES);
      store.execute(DEALS
          + "('f1', 'won', 10.00, 'USD', NULL, '2024-01-01 10:00:00', '2024-01-02 10:00:00', NULL, 'u1', 'c1', NULL)");
      store.execute("DROP TABLE crm.deal_stage_history");
      SQLException e = assertThrows(SQLException.class, () -> StoreDerivations.apply(store, Optional.of("USD")));
      assertTrue(e.getMessage().contains("deal_stage_history"), e.getMessage());
      // the steps beside it ran to their end
      assertEquals(List.of("f1|10.00"), rows(store, "SELECT order_id, amount_base FROM crm.orders"));
      assertEquals(List.of("company:c1|10.00"), rows(store, "SELECT customer_id, revenue_base FROM crm.customers"));
    }
  }

  @Test
  void aFailingStepWaitsForTheHistoryBeforeItFails() throws Exception {
    try (Store store = Store.inMemory()) {
      store.execute(STAGES);
      store.execute(DEALS
          + "('g1', 'won', 10.00, 'USD', NULL, '2024-01-01 10:00:00', '2024-01-02 10:00:00', NULL, 'u1', 'c1', NULL)");
      store.execute("DROP TABLE crm.customers");
      SQLException e = assertThrows(SQLException.class, () -> StoreDerivations.apply(store, Optional.of("USD")));
      assertTrue(e.getMessage().contains("customers"), e.getMessage());
      // the history, written beside the failing step, is complete when apply returns
      assertEquals(List.of("g1|NULL|s1", "g1|s1|won"),
          rows(store, "SELECT deal_id, from_stage_id, to_stage_id FROM crm.deal_stage_history ORDER BY changed_at"));
    }
  }

}
