package io.crmkpi.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmkpi.model.CanonicalModel;
import io.crmkpi.model.Column;
import io.crmkpi.model.ColumnType;
import io.crmkpi.model.Table;
import io.crmkpi.source.SourceContext;
import io.crmkpi.source.Sources;
import io.crmkpi.store.LoadReport;
import io.crmkpi.store.Store;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the generated CRM with SQL over the store (never with the generator's own code): integrity,
 * no future data, the pitfalls the KPI views must survive, and determinism.
 */
class DemoSourceTest {

  private static final int DEALS = 3000;
  private static final String TODAY = "2025-06-15";
  private static Store store;
  private static Connection c;
  private static LoadReport report;

  @BeforeAll
  static void load() throws Exception {
    store = Store.inMemory();
    report = load(store, Map.of("deals", Integer.toString(DEALS), "seed", "42", "today", TODAY));
    c = store.connect();
  }

  @AfterAll
  static void close() throws Exception {
    c.close();
    store.close();
  }

  static LoadReport load(Store s, Map<String, String> props) throws Exception {
    SourceContext ctx = SourceContext.of(props);
    return Sources.create("demo", "", ctx).load(s, ctx);
  }

  private static long count(String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next(), sql);
      return rs.getLong(1);
    }
  }

  @Test
  void dealCountIsExactAndReportMatchesTables() throws Exception {
    assertEquals(DEALS, count("SELECT count(*) FROM crm.deals"));
    for (LoadReport.Line line : report.lines()) {
      assertEquals(line.loaded(), count("SELECT count(*) FROM crm." + line.entity()), line.entity());
      assertEquals(0, line.rejected());
    }
    // one sync_state row per generated table, all for source demo
    assertEquals(report.lines().size() - 1, count("SELECT count(*) FROM crm.sync_state WHERE source = 'demo' "
        + "AND status = 'ok'"));
    assertEquals(DEALS, count("SELECT rows_total FROM crm.sync_state WHERE entity = 'deals'"));
  }

  @Test
  void everyTableTheKpiCatalogReadsHasRows() throws Exception {
    for (String t : List.of("pipelines", "stages", "users", "fx_rates", "companies", "contacts", "customers", "leads",
        "deals", "deal_stage_history", "deal_snapshots", "targets", "orders", "order_items", "activities", "tickets",
        "survey_responses", "marketing_spend", "channel_map", "sync_state")) {
      assertTrue(count("SELECT count(*) FROM crm." + t) > 0, "crm." + t + " is empty");
    }
  }

  @Test
  void referenceDataHasTheDocumentedShape() throws Exception {
    assertEquals(2, count("SELECT count(*) FROM crm.pipelines"));
    assertEquals(1, count("SELECT count(*) FROM crm.pipelines WHERE is_default AND name = 'Sales'"));
    assertEquals(6, count("SELECT count(*) FROM crm.stages s JOIN crm.pipelines p USING (pipeline_id) "
        + "WHERE p.name = 'Sales' AND kind = 'open'"));
    assertEquals(5, count("SELECT count(*) FROM crm.stages s JOIN crm.pipelines p USING (pipeline_id) "
        + "WHERE p.name = 'Partners' AND kind = 'open'"));
    // each pipeline: one won, one lost, both after every open stage; stage ids unique across pipelines
    assertEquals(0, count("SELECT count(*) FROM (SELECT pipeline_id FROM crm.stages GROUP BY 1 HAVING "
        + "count(*) FILTER (kind = 'won') <> 1 OR count(*) FILTER (kind = 'lost') <> 1 "
        + "OR max(sort_order) FILTER (kind = 'open') > min(sort_order) FILTER (kind <> 'open'))"));
    assertEquals(count("SELECT count(*) FROM crm.stages"), count("SELECT count(DISTINCT stage_id) FROM crm.stages"));
    assertEquals(8, count("SELECT count(*) FROM crm.users"));
    assertEquals(2, count("SELECT count(DISTINCT team) FROM crm.users"));
    assertEquals(1, count("SELECT count(*) FROM crm.users WHERE NOT is_active"));
    assertEquals("google_ads", string("SELECT channel FROM crm.channel_map WHERE raw_value = 'google'"));
    assertEquals("yandex_direct", string("SELECT channel FROM crm.channel_map WHERE raw_value = 'yandex'"));
    assertEquals(1, count("SELECT count(*) FROM crm.fx_rates WHERE currency = 'RUB' AND rate_to_base = 1"));
    // USD rates move but stay plausible, and every day of the history has one
    assertTrue(count("SELECT count(DISTINCT rate_to_base) FROM crm.fx_rates WHERE currency = 'USD'") > 100);
    assertEquals(0, count("SELECT count(*) FROM crm.fx_rates WHERE currency = 'USD' "
        + "AND (rate_to_base < 50 OR rate_to_base > 150)"));
    assertEquals(count("SELECT date_diff('day', min(rate_date), max(rate_date)) + 1 FROM crm.fx_rates "
        + "WHERE currency = 'USD'"), count("SELECT count(*) FROM crm.fx_rates WHERE currency = 'USD'"));
  }

  @Test
  void nothingHappensAfterTheSnapshotMoment() throws Exception {
    // the data is a snapshot at 2025-06-15 00:00: no TIMESTAMP after it, no DATE after today, except the
    // dates that plan ahead (expected close dates, plan periods: DemoPipelineTest bounds them)
    int checked = 0;
    List<String> ahead = List.of("deals.expected_close_date", "deal_snapshots.expected_close_date",
        "targets.period_start");
    for (Table t : CanonicalModel.tables()) {
      for (Column col : t.columns()) {
        if (ahead.contains(t.name() + "." + col.name())) {
          assertTrue(count("SELECT count(*) FROM crm." + t.name() + " WHERE " + col.name() + " > DATE '" + TODAY
              + "'") > 0, t.name() + "." + col.name() + " plans ahead");
        } else if (col.type() == ColumnType.TIMESTAMP) {
          assertEquals(0, count("SELECT count(*) FROM crm." + t.name() + " WHERE " + col.name()
              + " > TIMESTAMP '" + TODAY + " 00:00:00'"), t.name() + "." + col.name());
          checked++;
        } else if (col.type() == ColumnType.DATE) {
          assertEquals(0, count("SELECT count(*) FROM crm." + t.name() + " WHERE " + col.name()
              + " > DATE '" + TODAY + "'"), t.name() + "." + col.name());
          checked++;
        }
      }
    }
    assertTrue(checked >= 20, "checked " + checked + " columns");
    // and the history does reach the last working day before the snapshot (Friday 13 June; the 14th is a quiet Saturday)
    assertTrue(count("SELECT count(*) FROM crm.deals WHERE created_at >= TIMESTAMP '2025-06-13 00:00:00'") > 0);
  }

  @Test
  void historyCoversTwoToThreeYearsOfAGrowingBusiness() throws Exception {
    long days = count("SELECT date_diff('day', min(created_at), max(created_at)) FROM crm.deals");
    assertTrue(days > 2 * 365 && days < 3 * 365, days + " days");
    long firstYear = count("SELECT count(*) FROM crm.deals WHERE created_at < (SELECT min(created_at) "
        + "FROM crm.deals) + INTERVAL 12 MONTH");
    long lastYear = count("SELECT count(*) FROM crm.deals WHERE created_at >= TIMESTAMP '2024-06-15 00:00:00'");
    assertTrue(lastYear > 1.5 * firstYear, "first year " + firstYear + ", last year " + lastYear);
  }

  @Test
  void dealsAreConsistentWithTheirPipelineAndHistory() throws Exception {
    // current stage belongs to the deal's pipeline, status = stage kind, closed_at iff closed
    assertEquals(0, count("SELECT count(*) FROM crm.deals d LEFT JOIN crm.stages s ON s.stage_id = d.stage_id "
        + "AND s.pipeline_id = d.pipeline_id WHERE s.stage_id IS NULL OR d.status <> s.kind "
        + "OR (d.status = 'open') <> (d.closed_at IS NULL) OR d.closed_at < d.created_at "
        + "OR d.updated_at < coalesce(d.closed_at, d.created_at)"));
    assertEquals(0, count("SELECT count(*) FROM crm.deals WHERE status = 'lost' AND loss_reason IS NULL "
        + "OR status <> 'lost' AND loss_reason IS NOT NULL"));
    // every history row's stages are in the deal's pipeline; nothing inferred
    assertEquals(0, count("SELECT count(*) FROM crm.deal_stage_history h JOIN crm.deals d USING (deal_id) "
        + "LEFT JOIN crm.stages s ON s.stage_id = h.to_stage_id AND s.pipeline_id = d.pipeline_id "
        + "WHERE s.stage_id IS NULL OR h.pipeline_id <> d.pipeline_id OR h.is_inferred"));
    assertEquals(DEALS, count("SELECT count(DISTINCT deal_id) FROM crm.deal_stage_history"));
    // chains: first row comes from NULL at created_at, each from = previous to, strictly later in time
    assertEquals(0, count("SELECT count(*) FROM (SELECT h.*, d.created_at AS dc, "
        + "lag(to_stage_id) OVER w AS prev_to, lag(changed_at) OVER w AS prev_at, row_number() OVER w AS n "
        + "FROM crm.deal_stage_history h JOIN crm.deals d USING (deal_id) "
        + "WINDOW w AS (PARTITION BY deal_id ORDER BY changed_at)) "
        + "WHERE (n = 1 AND (from_stage_id IS NOT NULL OR changed_at <> dc)) "
        + "OR (n > 1 AND (from_stage_id IS DISTINCT FROM prev_to OR changed_at <= prev_at))"));
    // the last row lands in the current stage; a closed deal closed at its last change
    assertEquals(0, count("SELECT count(*) FROM crm.deals d JOIN (SELECT deal_id, "
        + "arg_max(to_stage_id, changed_at) AS last_to, max(changed_at) AS last_at "
        + "FROM crm.deal_stage_history GROUP BY 1) h USING (deal_id) "
        + "WHERE h.last_to <> d.stage_id OR (d.closed_at IS NOT NULL AND d.closed_at <> h.last_at)"));
  }

  @Test
  void leadsAndDealsPointAtEachOther() throws Exception {
    assertEquals(0, count("SELECT count(*) FROM crm.leads l LEFT JOIN crm.deals d ON d.deal_id = l.converted_deal_id "
        + "WHERE (l.status = 'converted') <> (d.deal_id IS NOT NULL) OR d.lead_id <> l.lead_id "
        + "OR d.created_at < l.created_at"));
    assertEquals(0, count("SELECT count(*) FROM crm.deals d LEFT JOIN crm.leads l ON l.lead_id = d.lead_id "
        + "WHERE d.lead_id IS NOT NULL AND l.converted_deal_id IS DISTINCT FROM d.deal_id"));
    assertEquals(3, count("SELECT count(DISTINCT status) FROM crm.leads"));
    // utm tags present for paid channels; response within the day's working hours mostly
    assertTrue(count("SELECT count(DISTINCT channel) FROM crm.leads WHERE utm_source IS NOT NULL") >= 5);
    assertEquals(0, count("SELECT count(*) FROM crm.leads WHERE first_response_at < created_at"));
    assertTrue(count("SELECT count(*) FROM crm.leads WHERE first_response_at IS NULL") > 0);
    long medianMinutes = count("SELECT CAST(median(date_diff('second', created_at, first_response_at)) / 60 "
        + "AS BIGINT) FROM crm.leads");
    assertTrue(medianMinutes >= 5 && medianMinutes <= 240, medianMinutes + " min");
    // first_response_at is the lead's earliest human outbound activity; robots never count
    assertEquals(0, count("SELECT count(*) FROM crm.leads l LEFT JOIN (SELECT lead_id, min(created_at) AS t "
        + "FROM crm.activities WHERE direction = 'out' AND NOT is_automated AND lead_id IS NOT NULL GROUP BY 1) a "
        + "USING (lead_id) WHERE l.first_response_at IS DISTINCT FROM a.t"));
    assertTrue(count("SELECT count(*) FROM crm.activities WHERE is_automated AND lead_id IS NOT NULL") > 0);
    assertEquals(0, count("SELECT count(*) FROM crm.deals d LEFT JOIN crm.contacts c USING (contact_id) "
        + "LEFT JOIN crm.companies co ON co.company_id = d.company_id "
        + "WHERE c.contact_id IS NULL OR (d.company_id IS NOT NULL AND co.company_id IS NULL) "
        + "OR d.owner_user_id NOT IN (SELECT user_id FROM crm.users)"));
  }

  @Test
  void ordersAreTheWonLiveDealsAndTheShopReorders() throws Exception {
    long wonLive = count("SELECT count(*) FROM crm.deals WHERE status = 'won' AND NOT is_deleted");
    assertTrue(wonLive > DEALS / 5, "won " + wonLive);
    assertEquals(wonLive, count("SELECT count(*) FROM crm.orders WHERE deal_id IS NOT NULL"));
    assertEquals(0, count("SELECT count(*) FROM crm.orders o LEFT JOIN crm.deals d ON d.deal_id = o.deal_id "
        + "WHERE o.deal_id IS NOT NULL AND (d.deal_id IS NULL OR o.order_id <> d.deal_id OR d.status <> 'won' "
        + "OR d.is_deleted OR o.ordered_at <> d.closed_at OR o.amount <> d.amount OR o.currency <> d.currency "
        + "OR o.customer_id <> CASE WHEN d.company_id IS NOT NULL THEN 'company:' || d.company_id "
        + "ELSE 'contact:' || d.contact_id END)"));
    // reorders without a deal: ids S-n, in RUB, by a customer who already bought through a deal, through a
    // newsletter link or a direct call, and only consumables
    long shop = count("SELECT count(*) FROM crm.orders WHERE deal_id IS NULL");
    assertTrue(shop > wonLive, "shop orders " + shop + ", won deals " + wonLive);
    assertEquals(0, count("SELECT count(*) FROM crm.orders o WHERE deal_id IS NULL AND (order_id NOT LIKE 'S-%' "
        + "OR currency <> 'RUB' OR channel NOT IN ('email', 'direct') OR ordered_at <= (SELECT min(x.ordered_at) "
        + "FROM crm.orders x WHERE x.customer_id = o.customer_id AND x.deal_id IS NOT NULL))"));
    assertEquals(0, count("SELECT count(*) FROM crm.order_items i JOIN crm.orders o USING (order_id) "
        + "WHERE o.deal_id IS NULL AND i.category IN ('Equipment', 'Service')"));
    // 1-4 lines per order numbered from 1; only the lines after the first are upsells
    assertEquals(0, count("SELECT count(*) FROM (SELECT order_id, count(*) n, max(line_no) m, "
        + "count(*) FILTER (is_upsell) u, bool_or(line_no = 1 AND is_upsell) bad FROM crm.order_items GROUP BY 1) "
        + "WHERE n NOT BETWEEN 1 AND 4 OR m <> n OR u <> n - 1 OR bad"));
    assertEquals(0, count("SELECT count(*) FROM crm.orders WHERE order_id NOT IN (SELECT order_id FROM crm.order_items)"));
    assertTrue(count("SELECT count(*) FROM crm.order_items WHERE is_upsell") > 0);
    assertTrue(count("SELECT count(DISTINCT category) FROM crm.order_items") >= 3);
    // lines add up to the order in the base currency (RUB), for RUB and USD orders alike
    assertEquals(0, count("SELECT count(*) FROM crm.orders o JOIN (SELECT order_id, sum(amount_base) s "
        + "FROM crm.order_items GROUP BY 1) i USING (order_id) WHERE i.s <> o.amount_base"));
    assertEquals(0, count("SELECT count(*) FROM crm.order_items i JOIN crm.orders o USING (order_id) "
        + "WHERE o.currency = 'RUB' AND i.amount_base <> i.quantity * i.unit_price AND i.line_no < 4 "
        + "AND i.line_no < (SELECT max(line_no) FROM crm.order_items x WHERE x.order_id = i.order_id)"));
    // crm.customers, as derived, covers every ordering party
    assertEquals(count("SELECT count(DISTINCT customer_id) FROM crm.orders"), count("SELECT count(*) FROM crm.customers"));
  }

  @Test
  void serviceDataIsConsistent() throws Exception {
    assertEquals(0, count("SELECT count(*) FROM crm.tickets WHERE first_response_at < created_at "
        + "OR resolved_at < first_response_at OR (status = 'open') <> (resolved_at IS NULL) "
        + "OR customer_id NOT IN (SELECT customer_id FROM crm.customers)"));
    assertEquals(0, count("SELECT count(*) FROM crm.survey_responses WHERE NOT (survey = 'nps' AND score "
        + "BETWEEN 0 AND 10 OR survey = 'csat' AND score BETWEEN 1 AND 5)"));
    assertTrue(count("SELECT count(*) FROM crm.survey_responses WHERE survey = 'csat'") > 0);
    assertEquals(0, count("SELECT count(*) FROM crm.marketing_spend WHERE amount <= 0 OR currency <> 'RUB' "
        + "OR amount_base <> amount"));
  }

  @Test
  void thePitfallsAreReallyInTheData() throws Exception {
    String moves = "SELECT count(DISTINCT h.deal_id) FROM crm.deal_stage_history h "
        + "JOIN crm.stages f ON f.stage_id = h.from_stage_id JOIN crm.stages t ON t.stage_id = h.to_stage_id WHERE ";
    Map<String, Long> pitfalls = new LinkedHashMap<>();
    pitfalls.put("skipped stages", count(moves + "f.kind = 'open' AND t.kind = 'open' AND t.sort_order > f.sort_order + 1"));
    pitfalls.put("backward moves", count(moves + "f.kind = 'open' AND t.kind = 'open' AND t.sort_order < f.sort_order"));
    pitfalls.put("reopened", count(moves + "f.kind IN ('won', 'lost') AND t.kind = 'open'"));
    pitfalls.put("reopened and closed again", count(moves + "f.kind IN ('won', 'lost') AND t.kind = 'open' "
        + "AND h.deal_id IN (SELECT deal_id FROM crm.deals WHERE status <> 'open')"));
    pitfalls.put("USD deals", count("SELECT count(*) FROM crm.deals WHERE currency = 'USD'"));
    pitfalls.put("RUB deals", count("SELECT count(*) FROM crm.deals WHERE currency = 'RUB'"));
    pitfalls.put("deleted deals", count("SELECT count(*) FROM crm.deals WHERE is_deleted"));
    pitfalls.put("Partners deals", count("SELECT count(*) FROM crm.deals d JOIN crm.pipelines p USING (pipeline_id) "
        + "WHERE NOT p.is_default"));
    pitfalls.put("NPS 0", count("SELECT count(*) FROM crm.survey_responses WHERE survey = 'nps' AND score = 0"));
    pitfalls.put("NPS 10", count("SELECT count(*) FROM crm.survey_responses WHERE survey = 'nps' AND score = 10"));
    pitfalls.put("gap > 90 days", count("SELECT count(DISTINCT customer_id) FROM (SELECT customer_id, ordered_at - "
        + "lag(ordered_at) OVER (PARTITION BY customer_id ORDER BY ordered_at) AS gap FROM crm.orders) "
        + "WHERE gap > INTERVAL 90 DAY"));
    pitfalls.put("repeat customers", count("SELECT count(*) FROM crm.customers WHERE orders > 1"));
    pitfalls.put("open deals", count("SELECT count(*) FROM crm.deals WHERE status = 'open'"));
    pitfalls.put("inactive owner's deals", count("SELECT count(*) FROM crm.deals d JOIN crm.users u "
        + "ON u.user_id = d.owner_user_id WHERE NOT u.is_active"));
    for (var e : pitfalls.entrySet()) {
      assertTrue(e.getValue() > 0, e.getKey() + ": " + pitfalls);
    }
    assertTrue(pitfalls.get("USD deals") < pitfalls.get("RUB deals"), "RUB is the main currency");
    // a channel that pays and never brings a customer (CAC must come out NULL for it)
    assertEquals(1, count("SELECT count(*) FROM (SELECT channel FROM crm.marketing_spend GROUP BY 1 "
        + "HAVING sum(amount) > 0 AND channel NOT IN (SELECT channel FROM crm.customers))"));
    // amounts in USD converted with that day's rate, so base != amount
    assertTrue(count("SELECT count(*) FROM crm.deals WHERE currency = 'USD' AND amount_base > 50 * amount") > 0);
    // the generator writes deals' amount_base itself (its snapshots need the same figures): as StoreDerivations
    // derives it, with the rate of the closing day, else of the creation day
    assertEquals(0, count("SELECT count(*) FROM crm.deals d ASOF JOIN crm.fx_rates r ON r.currency = d.currency "
        + "AND CAST(coalesce(d.closed_at, d.created_at) AS DATE) >= r.rate_date "
        + "WHERE d.amount_base IS DISTINCT FROM round(d.amount * r.rate_to_base, 2)"));
    assertEquals(DEALS, count("SELECT count(*) FROM crm.deals d ASOF JOIN crm.fx_rates r ON r.currency = d.currency "
        + "AND CAST(coalesce(d.closed_at, d.created_at) AS DATE) >= r.rate_date"));
  }

  @Test
  void sameSeedSameDataOtherSeedOtherData() throws Exception {
    Map<String, String> first;
    Map<String, String> second;
    Map<String, String> other;
    // generated each time: the demo cache would otherwise hand the second load the first one's rows
    Map<String, String> opts = Map.of("deals", "800", "seed", "7", "today", "2024-02-29", "cache", "off");
    try (Store a = Store.inMemory()) {
      load(a, opts);
      first = digests(a);
    }
    try (Store b = Store.inMemory()) {
      load(b, opts);
      second = digests(b);
    }
    try (Store d = Store.inMemory()) {
      load(d, Map.of("deals", "800", "seed", "8", "today", "2024-02-29", "cache", "off"));
      other = digests(d);
    }
    assertEquals(first, second);
    assertTrue(first.get("deals").startsWith("800:"), first.get("deals"));
    for (String t : List.of("deals", "deal_stage_history", "deal_snapshots", "targets", "leads", "orders",
        "activities", "marketing_spend", "fx_rates")) {
      assertNotEquals(first.get(t), other.get(t), t);
    }
    // reference data does not depend on the seed
    assertEquals(first.get("stages"), other.get("stages"));
  }

  @Test
  void orderLinesFollowTheConfiguredBaseCurrency() throws Exception {
    try (Store s = Store.inMemory(); Connection x = s.connect(); Statement st = x.createStatement()) {
      load(s, Map.of("deals", "600", "today", "2025-01-10", "currency", "USD"));
      try (ResultSet rs = st.executeQuery("SELECT count(*) FILTER (i.s <> o.amount_base), "
          + "count(*) FILTER (o.currency = 'USD' AND o.amount_base <> o.amount), count(*) "
          + "FROM crm.orders o JOIN (SELECT order_id, sum(amount_base) s FROM crm.order_items GROUP BY 1) i "
          + "USING (order_id)")) {
        rs.next();
        assertEquals(0, rs.getLong(1), "orders whose lines do not add up in USD");
        assertEquals(0, rs.getLong(2), "USD orders must keep their amount in a USD base");
        assertTrue(rs.getLong(3) > 50);
      }
      // a RUB order of 100 000 at a rate near 90 is worth about 1 100 USD
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM crm.orders WHERE currency = 'RUB' "
          + "AND (amount_base > amount / 50 OR amount_base < amount / 150)")) {
        rs.next();
        assertEquals(0, rs.getLong(1));
      }
    }
  }

  /** table -> "rows:md5 of all rows sorted", for every canonical table. */
  static Map<String, String> digests(Store s) throws SQLException {
    Map<String, String> out = new LinkedHashMap<>();
    List<String> names = new ArrayList<>();
    CanonicalModel.tables().forEach(t -> names.add(t.name()));
    try (Connection x = s.connect(); Statement st = x.createStatement()) {
      for (String t : names) {
        try (ResultSet rs = st.executeQuery("SELECT count(*) || ':' || coalesce(md5(string_agg(CAST(r AS VARCHAR), "
            + "'|' ORDER BY CAST(r AS VARCHAR))), '') FROM crm." + t + " r")) {
          rs.next();
          out.put(t, rs.getString(1));
        }
      }
    }
    return out;
  }

  private static String string(String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next(), sql);
      return rs.getString(1);
    }
  }
}
