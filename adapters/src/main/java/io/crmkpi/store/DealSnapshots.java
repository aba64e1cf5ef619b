package io.crmkpi.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;

/**
 * Keeps {@code crm.deal_snapshots}, the deal history CRMs do not keep: at the end of a load or sync
 * (after {@link StoreDerivations}, so status and amount_base are final), in one transaction, each
 * deal whose (stage_id, status, amount_base, probability, expected_close_date) differs from its open
 * interval ({@code valid_to IS NULL}) has that interval closed at the as-of time and a new one opened
 * there; a deal without an open interval gets one from the as-of time; a deal gone from the source
 * (absent or {@code is_deleted}) has its open interval closed.
 *
 * <p>A first-seen deal's interval starts at the as-of time, not at its {@code created_at}: the store
 * knows only the state it sees now, not the stages, amounts or dates the deal had before, and an
 * interval back to creation would claim a past state nobody observed (what the slippage view reads).
 * Where an API gives property history (HubSpot), the sync stages the past intervals in
 * {@link #SEED} and they come first.
 *
 * <p>Full-reload sources (files) empty the canonical tables before they load; {@link #setAside}
 * keeps the intervals in {@link #CARRIED} meanwhile, and {@link #record} puts them back for every
 * deal the load did not write a history of its own for (a {@code deal_snapshots.csv}).
 */
public final class DealSnapshots {

  /**
   * Past intervals a sync built from property history, staged until {@link #record}: the columns of
   * {@code crm.deal_snapshots} with the amount in the deal's currency instead of amount_base (converted
   * here by the deal's own FX path once the base currency is known).
   */
  public static final String SEED = "util.deal_snapshot_seed";
  /** Column definitions of {@link #SEED}. */
  public static final String[] SEED_COLUMNS = {"deal_id VARCHAR", "valid_from TIMESTAMP", "valid_to TIMESTAMP",
      "stage_id VARCHAR", "status VARCHAR", "amount DECIMAL(18,2)", "currency VARCHAR", "probability DOUBLE",
      "expected_close_date DATE"};
  /** The intervals of a store being reloaded whole, kept while the canonical tables are empty. */
  static final String CARRIED = "util.deal_snapshots_carried";

  private static final String COLUMNS = "deal_id, valid_from, valid_to, stage_id, status, amount_base, probability, "
      + "expected_close_date";

  private DealSnapshots() {
  }

  /** The as-of time of a load or sync that runs now: the wall clock of the reporting zone, to the microsecond. */
  public static LocalDateTime asOf(java.time.Clock clock, java.time.ZoneId zone) {
    return LocalDateTime.ofInstant(clock.instant(), zone).truncatedTo(ChronoUnit.MICROS);
  }

  /**
   * Before a full reload empties {@code crm.deal_snapshots}: its rows move to {@link #CARRIED} (added
   * to what an unfinished earlier reload left there), in one transaction.
   */
  public static void setAside(Store store) throws SQLException {
    try (Connection c = store.connect(); Statement s = c.createStatement()) {
      Store.inTransaction(c, () -> {
        s.execute("CREATE TABLE IF NOT EXISTS " + CARRIED + " AS SELECT " + COLUMNS + " FROM crm.deal_snapshots LIMIT 0");
        s.execute("INSERT INTO " + CARRIED + " SELECT " + COLUMNS + " FROM crm.deal_snapshots s WHERE NOT EXISTS "
            + "(SELECT 1 FROM " + CARRIED + " k WHERE k.deal_id = s.deal_id AND k.valid_from = s.valid_from)");
        s.execute("DELETE FROM crm.deal_snapshots");
        return null;
      });
    }
  }

  /** What one {@link #record} did: intervals opened and closed. */
  public record Result(long opened, long closed) {
  }

  /** Brings the snapshots up to the deals as they are at {@code asOf} (see the class comment), in one transaction. */
  public static Result record(Store store, LocalDateTime asOf) throws SQLException {
    try (Connection c = store.connect(); Statement s = c.createStatement()) {
      return Store.inTransaction(c, () -> {
        restore(s, CARRIED);
        seed(s);
        return compare(c, s, asOf);
      });
    }
  }

  /** Carried intervals come back for deals the load wrote no snapshots of its own for. */
  private static void restore(Statement s, String table) throws SQLException {
    if (!exists(s, table)) {
      return;
    }
    s.execute("INSERT INTO crm.deal_snapshots (" + COLUMNS + ") SELECT " + COLUMNS + " FROM " + table + " k "
        + "WHERE NOT EXISTS (SELECT 1 FROM crm.deal_snapshots s WHERE s.deal_id = k.deal_id)");
    s.execute("DROP TABLE " + table);
  }

  /**
   * Seeded intervals of deals that have none yet: amounts to the base currency at the deal's own
   * conversion date (its closed_at, else created_at, as for crm.deals.amount_base), status from the
   * stage when the source left it open.
   */
  private static void seed(Statement s) throws SQLException {
    if (!exists(s, SEED)) {
      return;
    }
    String base = "USD";
    try (ResultSet rs = s.executeQuery("SELECT value FROM util.store_info WHERE key = 'base_currency'")) {
      if (rs.next()) {
        base = rs.getString(1);
      }
    }
    s.execute("CREATE OR REPLACE TEMP TABLE crmkpi_seed AS SELECT x.deal_id, x.valid_from, x.valid_to, x.stage_id, "
        + "coalesce(x.status, st.kind, 'open') AS status, x.amount, upper(coalesce(x.currency, d.currency, '" + base
        + "')) AS currency, CAST(NULL AS DECIMAL(18,2)) AS amount_base, x.probability, x.expected_close_date, "
        + "CAST(coalesce(d.closed_at, d.created_at) AS DATE) AS fx_date "
        + "FROM " + SEED + " x JOIN crm.deals d ON d.deal_id = x.deal_id "
        + "LEFT JOIN crm.stages st ON st.stage_id = x.stage_id "
        + "WHERE NOT EXISTS (SELECT 1 FROM crm.deal_snapshots s WHERE s.deal_id = x.deal_id)");
    StoreDerivations.convert(s, base, "temp.main.crmkpi_seed", "fx_date");
    s.execute("INSERT INTO crm.deal_snapshots (" + COLUMNS + ") SELECT " + COLUMNS + " FROM crmkpi_seed");
    s.execute("DROP TABLE crmkpi_seed");
    s.execute("DELETE FROM " + SEED);
  }

  private static Result compare(Connection c, Statement s, LocalDateTime asOf) throws SQLException {
    // the deals as they are now; deleted ones count as gone
    s.execute("CREATE OR REPLACE TEMP TABLE crmkpi_now AS SELECT deal_id, stage_id, status, amount_base, probability, "
        + "expected_close_date FROM crm.deals WHERE deal_id IS NOT NULL AND NOT coalesce(is_deleted, false)");
    long closed;
    try (PreparedStatement p = c.prepareStatement("UPDATE crm.deal_snapshots SET valid_to = ? WHERE valid_to IS NULL "
        + "AND NOT EXISTS (SELECT 1 FROM crmkpi_now n WHERE n.deal_id = deal_snapshots.deal_id "
        + "AND n.stage_id IS NOT DISTINCT FROM deal_snapshots.stage_id AND n.status IS NOT DISTINCT FROM deal_snapshots.status "
        + "AND n.amount_base IS NOT DISTINCT FROM deal_snapshots.amount_base "
        + "AND n.probability IS NOT DISTINCT FROM deal_snapshots.probability "
        + "AND n.expected_close_date IS NOT DISTINCT FROM deal_snapshots.expected_close_date)")) {
      p.setTimestamp(1, Timestamp.valueOf(asOf));
      closed = p.executeUpdate();
    }
    // a state replaced at the very moment it began (two runs within the same microsecond, or a clock
    // set back) lasted no time: the new state takes its place rather than a second row at that key
    s.execute("DELETE FROM crm.deal_snapshots WHERE valid_to IS NOT NULL AND valid_to <= valid_from");
    long opened;
    try (PreparedStatement p = c.prepareStatement("INSERT INTO crm.deal_snapshots (" + COLUMNS + ") "
        + "SELECT deal_id, ?, NULL, stage_id, status, amount_base, probability, expected_close_date FROM crmkpi_now n "
        + "WHERE NOT EXISTS (SELECT 1 FROM crm.deal_snapshots s WHERE s.deal_id = n.deal_id AND s.valid_to IS NULL)")) {
      p.setTimestamp(1, Timestamp.valueOf(asOf));
      opened = p.executeUpdate();
    }
    s.execute("DROP TABLE crmkpi_now");
    return new Result(opened, closed);
  }

  private static boolean exists(Statement s, String qualified) throws SQLException {
    String[] p = qualified.split("\\.");
    try (ResultSet rs = s.executeQuery("SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
        + "AND schema_name = '" + p[0] + "' AND table_name = '" + p[1] + "'")) {
      rs.next();
      return rs.getLong(1) > 0;
    }
  }
}
