package io.crmkpi.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Optional;

/**
 * Fills what the canonical model derives from other tables, after a source has loaded: deal status
 * from stage kinds, amounts in the base currency, orders from won deals (when no order data was
 * loaded), inferred stage history for deals without any, upsell flags, and {@code crm.customers}.
 * Every step only fills what the source left NULL or empty, so a source that knows better wins.
 *
 * <p>The inferred history is written on a second connection (thread {@code crmkpi-derive-history})
 * while the other steps run; {@link #apply} returns, or throws, only once both have ended.
 */
public final class StoreDerivations {

  private StoreDerivations() {
  }

  /** Runs every derivation; returns the base currency used. A failing step fails it with that step's error. */
  public static String apply(Store store, Optional<String> currencySetting) throws SQLException {
    try (Connection c = store.connect(); Statement s = c.createStatement()) {
      String base = baseCurrency(s, currencySetting);
      s.execute("UPDATE crm.deals SET is_deleted = false WHERE is_deleted IS NULL");
      // a deals file may give only the stage: its pipeline is the stage's
      s.execute("UPDATE crm.deals SET pipeline_id = st.pipeline_id FROM crm.stages st "
          + "WHERE deals.stage_id = st.stage_id AND deals.pipeline_id IS NULL");
      s.execute("UPDATE crm.deals SET status = st.kind FROM crm.stages st "
          + "WHERE deals.stage_id = st.stage_id AND deals.status IS NULL");
      s.execute("UPDATE crm.deals SET status = 'open' WHERE status IS NULL");
      leadsFromDeals(s);
      // The stage history needs only the deals' stages and dates, complete by now: it is written on a
      // connection of its own while this one does amounts, orders and customers. Writing its rows is
      // the biggest step, and partly single-threaded steps here fill the cores it leaves idle.
      Background history = new Background("crmkpi-derive-history", () -> {
        try (Connection hc = store.connect(); Statement hs = hc.createStatement()) {
          // history a source loaded is real history, whatever the file left blank
          hs.execute("UPDATE crm.deal_stage_history SET is_inferred = false WHERE is_inferred IS NULL");
          inferStageHistory(hs);
        }
      });
      try {
        s.execute("UPDATE crm.deals SET currency = '" + base + "' WHERE currency IS NULL AND amount IS NOT NULL");
        convert(s, base, "deals", "CAST(coalesce(closed_at, created_at) AS DATE)");
        ordersFromWonDeals(s);
        s.execute("UPDATE crm.orders SET currency = '" + base + "' WHERE currency IS NULL AND amount IS NOT NULL");
        convert(s, base, "orders", "CAST(ordered_at AS DATE)");
        s.execute("UPDATE crm.marketing_spend SET currency = '" + base + "' WHERE currency IS NULL");
        convert(s, base, "marketing_spend", "spend_date");
        upsellFlags(s);
        customers(s);
      } catch (SQLException | RuntimeException | Error e) {
        history.awaitAfter(e);
        throw e;
      }
      history.await();
      s.execute("INSERT OR REPLACE INTO util.store_info VALUES ('base_currency', '" + base + "')");
      return base;
    }
  }

  /** util.store_info key: set while crm.leads holds one derived lead per deal (see {@link #leadsFromDeals}). */
  public static final String LEADS_FROM_DEALS = "leads_from_deals";

  /**
   * A source without leads (a Bitrix24 portal in simple CRM mode, a files folder without leads.csv):
   * every deal is also a lead, as for amoCRM and HubSpot ({@code lead_id = converted_deal_id =
   * deal_id}, status converted, the deal's created_at, channel, owner, contact and company), so lead
   * counts and the success rate are not 0/NULL. The derived rows are rebuilt at every load (an
   * incremental sync adds deals); once a source loads real leads, they replace them.
   */
  static void leadsFromDeals(Statement s) throws SQLException {
    boolean derived;
    try (ResultSet rs = s.executeQuery("SELECT count(*) FROM util.store_info WHERE key = '" + LEADS_FROM_DEALS
        + "' AND value = 'true'")) {
      rs.next();
      derived = rs.getLong(1) > 0;
    }
    if (derived) {
      s.execute("DELETE FROM crm.leads WHERE lead_id = converted_deal_id");
    }
    boolean none;
    try (ResultSet rs = s.executeQuery("SELECT NOT EXISTS (SELECT 1 FROM crm.leads) "
        + "AND EXISTS (SELECT 1 FROM crm.deals)")) {
      rs.next();
      none = rs.getBoolean(1);
    }
    if (!none) {
      if (derived) { // the source has leads of its own now: deals no longer point at their derived selves
        s.execute("UPDATE crm.deals SET lead_id = NULL WHERE lead_id = deal_id "
            + "AND NOT EXISTS (SELECT 1 FROM crm.leads l WHERE l.lead_id = deals.lead_id)");
      }
      s.execute("DELETE FROM util.store_info WHERE key = '" + LEADS_FROM_DEALS + "'");
      return;
    }
    s.execute("INSERT INTO crm.leads (lead_id, title, created_at, updated_at, status, channel, utm_source, utm_medium, "
        + "utm_campaign, owner_user_id, contact_id, company_id, converted_deal_id, first_response_at) "
        + "SELECT deal_id, title, created_at, updated_at, 'converted', channel, utm_source, utm_medium, utm_campaign, "
        + "owner_user_id, contact_id, company_id, deal_id, NULL FROM crm.deals WHERE deal_id IS NOT NULL");
    s.execute("UPDATE crm.deals SET lead_id = deal_id WHERE lead_id IS NULL");
    s.execute("INSERT OR REPLACE INTO util.store_info VALUES ('" + LEADS_FROM_DEALS + "', 'true')");
  }

  /**
   * The base currency: the setting, else the currency whose rate is 1 in {@code crm.fx_rates},
   * else the most common deal currency, else USD.
   */
  static String baseCurrency(Statement s, Optional<String> setting) throws SQLException {
    if (setting.isPresent()) {
      return sanitize(setting.get());
    }
    try (ResultSet rs = s.executeQuery("SELECT currency FROM crm.fx_rates WHERE rate_to_base = 1 "
        + "GROUP BY currency ORDER BY count(*) DESC, currency LIMIT 1")) {
      if (rs.next()) {
        return sanitize(rs.getString(1));
      }
    }
    try (ResultSet rs = s.executeQuery("SELECT currency FROM crm.deals WHERE currency IS NOT NULL "
        + "GROUP BY currency ORDER BY count(*) DESC, currency LIMIT 1")) {
      if (rs.next()) {
        return sanitize(rs.getString(1));
      }
    }
    return "USD";
  }

  private static String sanitize(String currency) throws SQLException {
    String c = currency.trim().toUpperCase(Locale.ROOT);
    if (!c.matches("[A-Z]{3}")) {
      throw new SQLException("currency must be a 3-letter ISO code, got '" + currency + "'");
    }
    return c;
  }

  /**
   * amount_base = amount x rate(currency, date) / rate(base, date), where rate is the latest rate on
   * or before the date (the earliest known rate for dates before it), and a currency with no rates is
   * worth 1 only when it is the base. {@code table} is a canonical table's name or a qualified one
   * (the seeded snapshots convert their amounts the same way).
   */
  static void convert(Statement s, String base, String table, String dateExpr) throws SQLException {
    String name = table.substring(table.lastIndexOf('.') + 1);
    String qualified = table.contains(".") ? table : "crm." + table;
    // Rows in the base currency are worth their amount whatever the rates: a plain UPDATE, no joins.
    s.execute("UPDATE " + qualified + " SET amount_base = CAST(amount AS DECIMAL(18,2)) "
        + "WHERE amount_base IS NULL AND amount IS NOT NULL AND upper(currency) = '" + base + "'");
    // Any other row needs a rate of its own currency: without one, amount_base stays NULL, so only rows
    // whose currency has rates are updated (none at all when crm.fx_rates is empty). The rates are
    // looked up once per currency and date (a few thousand pairs, not a row each: an ASOF join of
    // every row costs a second at a million rows), then joined to the rows by equality.
    String rate = "(SELECT currency, rate_date, rate_to_base AS r FROM crm.fx_rates)";
    String first = "(SELECT currency, arg_min(rate_to_base, rate_date) AS r FROM crm.fx_rates GROUP BY currency)";
    String wide = "CAST(t.amount AS DECIMAL(38,2))";
    s.execute("UPDATE " + qualified + " SET amount_base = x.v FROM ("
        + "WITH t AS (SELECT rowid AS rid, amount, upper(currency) AS cur, " + dateExpr + " AS d FROM " + qualified
        + "  WHERE amount_base IS NULL AND amount IS NOT NULL "
        + "    AND upper(currency) IN (SELECT currency FROM crm.fx_rates)), "
        + "k AS (SELECT DISTINCT cur, d FROM t), "
        + "kr AS (SELECT k.cur, k.d, coalesce(rc.r, fc.r) AS r, coalesce(rb.r, fb.r) AS rb FROM k "
        + "  ASOF LEFT JOIN " + rate + " rc ON rc.currency = k.cur AND k.d >= rc.rate_date "
        + "  ASOF LEFT JOIN (SELECT * FROM " + rate + " WHERE currency = '" + base + "') rb ON k.d >= rb.rate_date "
        + "  LEFT JOIN " + first + " fc ON fc.currency = k.cur "
        + "  LEFT JOIN (SELECT * FROM " + first + " WHERE currency = '" + base + "') fb ON true) "
        // Decimal arithmetic: in DOUBLE, 10.02 x 98.25 = 984.46499.. rounds to 984.46 instead of 984.47.
        // amount (18,2) x rate (18,8) is exact in DECIMAL(18,10) below 10^8, where rounding it costs a
        // tenth of the DECIMAL(38,10) the bigger products need; both round half away from zero alike.
        + "SELECT t.rid, CAST(CASE "
        + "  WHEN coalesce(kr.rb, 1) = 1 AND abs(CAST(t.amount AS DOUBLE) * CAST(kr.r AS DOUBLE)) < 9e7 "
        + "    THEN round(t.amount * kr.r, 2) "
        + "  WHEN coalesce(kr.rb, 1) = 1 THEN round(" + wide + " * kr.r, 2) "
        // a cross rate divides, which DuckDB does in DOUBLE: back to decimal before rounding to cents
        + "  ELSE round(CAST(" + wide + " * kr.r / kr.rb AS DECIMAL(38,10)), 2) "
        + "  END AS DECIMAL(18,2)) AS v "
        + "FROM t JOIN kr ON kr.cur = t.cur AND kr.d IS NOT DISTINCT FROM t.d"
        + ") x WHERE " + name + ".rowid = x.rid");
  }

  private static void ordersFromWonDeals(Statement s) throws SQLException {
    try (ResultSet rs = s.executeQuery("SELECT count(*) FROM crm.orders")) {
      rs.next();
      if (rs.getLong(1) > 0) {
        return;
      }
    }
    s.execute("INSERT INTO crm.orders (order_id, customer_id, deal_id, ordered_at, amount, currency, amount_base, "
        + "owner_user_id, channel) "
        + "SELECT deal_id, " + partyId("company_id", "contact_id") + ", deal_id, closed_at, amount, currency, "
        + "amount_base, owner_user_id, channel FROM crm.deals "
        + "WHERE status = 'won' AND NOT is_deleted AND closed_at IS NOT NULL");
  }

  /** The customer id of a party: {@code company:<id>} when there is a company, else {@code contact:<id>}. */
  public static String partyId(String companyCol, String contactCol) {
    return "CASE WHEN " + companyCol + " IS NOT NULL AND " + companyCol + " <> '' THEN 'company:' || " + companyCol
        + " WHEN " + contactCol + " IS NOT NULL AND " + contactCol + " <> '' THEN 'contact:' || " + contactCol
        + " END";
  }

  /**
   * For deals with no history at all: creation into the pipeline's first open stage at created_at,
   * into the current open stage (if different) at updated_at (else created_at), into the won/lost
   * stage at closed_at. All marked is_inferred.
   */
  private static void inferStageHistory(Statement s) throws SQLException {
    // NOT EXISTS (an anti join) rather than NOT IN, whose NULL semantics cost a slow plan on big tables;
    // one pass over the deals, each giving its one or two rows as a list (cheaper than a UNION ALL of
    // three scans of a materialised deal set)
    String creation = "{'f': CAST(NULL AS VARCHAR), 't': first_stage, 'at': created_at}";
    // no history at all (a load of deals alone): every deal qualifies, and the anti join (a hash
    // table of every deal id) would find nothing
    boolean someHistory;
    try (ResultSet rs = s.executeQuery("SELECT EXISTS (SELECT 1 FROM crm.deal_stage_history)")) {
      rs.next();
      someHistory = rs.getBoolean(1);
    }
    s.execute("INSERT INTO crm.deal_stage_history "
        + "WITH fs AS (SELECT pipeline_id, first(stage_id ORDER BY sort_order, stage_id) AS stage_id "
        + "            FROM crm.stages WHERE kind = 'open' GROUP BY pipeline_id), "
        + "d AS (SELECT d.deal_id, d.pipeline_id, d.stage_id, coalesce(st.kind, 'open') AS kind, "
        + "        d.created_at, d.updated_at, d.closed_at, d.owner_user_id, "
        + "        coalesce(fs.stage_id, d.stage_id) AS first_stage "
        + "      FROM crm.deals d LEFT JOIN crm.stages st ON st.stage_id = d.stage_id "
        + "      LEFT JOIN fs ON fs.pipeline_id = d.pipeline_id "
        + "      WHERE d.stage_id IS NOT NULL AND d.created_at IS NOT NULL AND d.deal_id IS NOT NULL "
        + (someHistory ? "AND NOT EXISTS (SELECT 1 FROM crm.deal_stage_history h WHERE h.deal_id = d.deal_id)" : "")
        + ") "
        + "SELECT deal_id, pipeline_id, e.f, e.t, e.at, owner_user_id, true FROM ("
        + "  SELECT deal_id, pipeline_id, owner_user_id, unnest(CASE "
        + "    WHEN stage_id <> first_stage AND kind = 'open' THEN [" + creation + ", {'f': first_stage, "
        + "      't': stage_id, 'at': CASE WHEN updated_at >= created_at THEN updated_at ELSE created_at END}] "
        + "    WHEN stage_id <> first_stage AND kind IN ('won', 'lost') AND closed_at IS NOT NULL THEN ["
        + creation + ", {'f': first_stage, 't': stage_id, 'at': closed_at}] "
        + "    ELSE [" + creation + "] END) AS e FROM d)");
  }

  /** Items not marked by the source: every item but the order's most expensive one is an upsell. */
  private static void upsellFlags(Statement s) throws SQLException {
    s.execute("UPDATE crm.order_items SET is_upsell = x.up FROM ("
        + "SELECT order_id, line_no, row_number() OVER (PARTITION BY order_id "
        + "  ORDER BY amount_base DESC NULLS LAST, line_no) > 1 AS up FROM crm.order_items) x "
        + "WHERE order_items.order_id = x.order_id AND order_items.line_no = x.line_no "
        + "AND order_items.is_upsell IS NULL");
  }

  /**
   * Rebuilds {@code crm.customers} from all orders. Values a source loaded itself (name, kind,
   * channel, churned_at) win over derived ones; order statistics always come from the orders.
   */
  private static void customers(Statement s) throws SQLException {
    s.execute("CREATE OR REPLACE TEMP TABLE crmkpi_customers AS "
        + "WITH o AS (SELECT o.customer_id, o.order_id, o.ordered_at, o.amount_base, "
        + "             coalesce(d.channel, o.channel) AS ch, d.company_id, d.contact_id "
        + "           FROM crm.orders o LEFT JOIN crm.deals d ON d.deal_id = o.deal_id "
        + "           WHERE o.customer_id IS NOT NULL), "
        + "f AS (SELECT customer_id, first(ch ORDER BY ordered_at, order_id) AS ch, min(ordered_at) AS first_at, "
        + "        max(ordered_at) AS last_at, count(*) AS n, sum(amount_base) AS rev FROM o GROUP BY customer_id) "
        + "SELECT f.customer_id, "
        + "  coalesce(ex.kind, CASE WHEN f.customer_id LIKE 'company:%' OR co.company_id IS NOT NULL THEN 'company' "
        + "                         WHEN f.customer_id LIKE 'contact:%' OR ct.contact_id IS NOT NULL THEN 'contact' END) AS kind, "
        + "  coalesce(ex.name, co.name, ct.name) AS name, "
        + "  coalesce(ex.channel, f.ch, ct.channel, 'unknown') AS channel, "
        + "  f.first_at AS first_order_at, f.last_at AS last_order_at, CAST(f.n AS INTEGER) AS orders, "
        + "  CAST(f.rev AS DECIMAL(18,2)) AS revenue_base, ex.churned_at "
        + "FROM f "
        + "LEFT JOIN crm.customers ex ON ex.customer_id = f.customer_id "
        + "LEFT JOIN crm.companies co ON co.company_id = CASE WHEN f.customer_id LIKE 'company:%' "
        + "  THEN substr(f.customer_id, 9) ELSE f.customer_id END "
        + "LEFT JOIN crm.contacts ct ON ct.contact_id = CASE WHEN f.customer_id LIKE 'contact:%' "
        + "  THEN substr(f.customer_id, 9) ELSE f.customer_id END");
    s.execute("DELETE FROM crm.customers");
    s.execute("INSERT INTO crm.customers SELECT * FROM crmkpi_customers");
    s.execute("DROP TABLE crmkpi_customers");
  }

  /** A step on a thread of its own; {@link #await} waits for it and rethrows what it threw. */
  private static final class Background {

    interface Step {
      void run() throws SQLException;
    }

    private final Thread thread;
    private volatile Throwable failure;

    Background(String name, Step step) {
      thread = new Thread(() -> {
        try {
          step.run();
        } catch (Throwable t) {
          failure = t;
        }
      }, name);
      thread.setDaemon(true);
      thread.start();
    }

    void await() throws SQLException {
      Threads.joinUninterruptibly(thread);
      Throwable t = failure;
      if (t instanceof SQLException e) {
        throw e;
      }
      if (t instanceof RuntimeException e) {
        throw e;
      }
      if (t instanceof Error e) {
        throw e;
      }
    }

    /** Waits for the step after the caller failed with {@code primary}; its own failure is added to it. */
    void awaitAfter(Throwable primary) {
      Threads.joinUninterruptibly(thread);
      Throwable t = failure;
      if (t != null && t != primary) {
        primary.addSuppressed(t);
      }
    }
  }
}
