package io.crmkpi.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A benchmark-only scale-up of a generated demo store: the demo's business replicated {@code factor}
 * times inside DuckDB, so that 10 M deals take minutes instead of the generator's hours on 2 cores.
 * Replica {@code k} (1 … factor-1) is the same business run by another set of parties, {@code k} days
 * earlier: every id of a party or fact gets the suffix {@code ~k} (companies, contacts, customers,
 * leads, deals, orders, activities, tickets, survey answers and the references to them), every date
 * and timestamp moves back {@code k} days, and the shared dimensions (pipelines, stages, users,
 * products, exchange rates, channel map) stay as they are. So counts and sums grow by the factor
 * while rates, cycle times and per-deal figures keep the demo's values; marketing spend is
 * replicated too, so cost per customer and ROMI stay sane, and the sales plans (crm.targets:
 * revenue and deals won per owner, pipeline or company) are multiplied by the factor, so plan
 * attainment does too. Never part of the product: the demo
 * generator is what users run.
 */
public final class DemoScaleUp {

  /** Tables of the parties and facts; the others are dimensions every replica shares. */
  static final List<String> REPLICATED = List.of("companies", "contacts", "customers", "leads", "deals",
      "deal_snapshots", "deal_stage_history", "orders", "order_items", "activities", "tickets", "survey_responses",
      "marketing_spend", "custom_fields");
  /** Id columns of parties and facts (pipeline, stage, user, product and field ids are shared). */
  static final Set<String> SUFFIXED = Set.of("company_id", "contact_id", "customer_id", "lead_id", "deal_id",
      "converted_deal_id", "order_id", "activity_id", "ticket_id", "response_id", "entity_id");

  private DemoScaleUp() {
  }

  /** {@code DemoScaleUp <base.duckdb> <target.duckdb> <factor>}: writes the target, prints time and size. */
  public static void main(String[] args) throws Exception {
    Path base = Path.of(args[0]);
    Path target = Path.of(args[1]);
    long t = System.nanoTime();
    write(base, target, Integer.parseInt(args[2]));
    System.out.printf(Locale.ROOT, "%s → %s ×%s in %.1f s, %.2f GB%n", base, target, args[2],
        (System.nanoTime() - t) / 1e9, Files.size(target) / 1e9);
  }

  /**
   * Writes {@code target}: a copy of the store file {@code base} (which no other database of this
   * process may hold open) with its parties and facts replicated {@code factor} times.
   */
  public static void write(Path base, Path target, int factor) throws SQLException, IOException {
    if (factor < 1) {
      throw new IllegalArgumentException("scale factor must be ≥ 1, got " + factor);
    }
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.deleteIfExists(tmp.resolveSibling(tmp.getFileName() + ".wal"));
    Files.copy(base, tmp, StandardCopyOption.REPLACE_EXISTING);
    Path wal = base.resolveSibling(base.getFileName() + ".wal");
    if (Files.exists(wal)) {
      Files.copy(wal, tmp.resolveSibling(tmp.getFileName() + ".wal"), StandardCopyOption.REPLACE_EXISTING);
    }
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + tmp.toAbsolutePath());
         Statement s = c.createStatement()) {
      for (String t : REPLICATED) {
        if (factor > 1) {
          s.execute("INSERT INTO crm." + t + " SELECT " + String.join(", ", columns(c, t))
              + " FROM crm." + t + " CROSS JOIN range(1, " + factor + ") r(k)");
        }
      }
      // the plans are the shared owners' and pipelines' (revenue, deals won: both additive): K× the business, K× the plan
      s.execute("UPDATE crm.targets SET target = target * " + factor);
      s.execute("CHECKPOINT");
    }
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    Path tmpWal = tmp.resolveSibling(tmp.getFileName() + ".wal");
    if (Files.exists(tmpWal)) {
      Files.move(tmpWal, target.resolveSibling(target.getFileName() + ".wal"), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** The select list of replica {@code k}: ids suffixed, dates and timestamps {@code k} days earlier. */
  private static List<String> columns(Connection c, String table) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT column_name, data_type FROM "
        + "information_schema.columns WHERE table_schema = 'crm' AND table_name = '" + table + "' ORDER BY ordinal_position")) {
      while (rs.next()) {
        String col = rs.getString(1);
        String type = rs.getString(2).toUpperCase(Locale.ROOT);
        if (SUFFIXED.contains(col)) {
          out.add(col + " || '~' || k"); // NULL stays NULL
        } else if (type.equals("DATE")) {
          out.add("CAST(" + col + " - INTERVAL (k) DAY AS DATE)");
        } else if (type.startsWith("TIMESTAMP")) {
          out.add(col + " - INTERVAL (k) DAY");
        } else {
          out.add(col);
        }
      }
    }
    if (out.isEmpty()) {
      throw new SQLException("the store has no table crm." + table);
    }
    return out;
  }
}
