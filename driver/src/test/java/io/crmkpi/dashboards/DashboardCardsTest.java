package io.crmkpi.dashboards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every bundled card's SQL runs on the demo through the driver, at the filters' defaults and with each
 * filter at another value: it returns rows, only columns its chart names, and each filter changes the result.
 */
class DashboardCardsTest {

  /** The demo with a CRM go-live, so that kpi.crm_impact has rows. */
  static final String URL = "jdbc:crmkpi:demo;golive=2025-06-01";

  private static Connection c;

  @BeforeAll
  static void open() throws Exception {
    c = DriverManager.getConnection(URL);
  }

  @AfterAll
  static void close() throws Exception {
    c.close();
  }

  private static LocalDate today() throws Exception {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CURRENT_DATE")) {
      rs.next();
      return rs.getDate(1).toLocalDate();
    }
  }

  /** A value of a text filter that the card's result has (its first row's), or a demo value it filters on. */
  private static String otherValue(Dashboard d, Card card, Filter f, CardResult atDefaults) {
    int i = atDefaults.columns().indexOf(f.column());
    // the first row's value, unless every row has it (a top-20 list of one pipeline: filtering on it changes nothing)
    if (i >= 0 && atDefaults.rows().stream().map(r -> r.get(i)).distinct().count() > 1) {
      return (String) atDefaults.rows().get(0).get(i);
    }
    // the card filters on a column it does not show (the deal cycle's pipeline, the forecast's manager) or
    // that has one value: a demo pipeline or manager
    return switch (f.id()) {
      case "pipeline" -> "Partners";
      case "manager" -> "Anna Smirnova";
      default -> throw new AssertionError(d.name() + "/" + card.id() + ": no other value for " + f.id());
    };
  }

  @Test
  void everyCardReturnsRowsWithOnlyTheColumnsItsChartNames() throws Exception {
    LocalDate today = today();
    int cards = 0;
    for (Dashboard d : DashboardCatalog.bundled()) {
      Map<String, Object> defaults = FilterValues.defaults(d, today);
      for (Card card : d.cards()) {
        CardResult r = CardRunner.run(c, d, card, defaults);
        assertFalse(r.rows().isEmpty(), d.name() + "/" + card.id() + ": no rows at the defaults");
        assertEquals(card.columns().stream().sorted().toList(), r.columns().stream().sorted().toList(),
            d.name() + "/" + card.id() + ": columns");
        cards++;
      }
    }
    assertEquals(30, cards);
  }

  @Test
  void everyFilterChangesTheResultOfTheCardsThatUseIt() throws Exception {
    LocalDate today = today();
    int checked = 0;
    for (Dashboard d : DashboardCatalog.bundled()) {
      Map<String, Object> defaults = FilterValues.defaults(d, today);
      for (Filter f : d.filters()) {
        for (Card card : d.cards()) {
          if (f.variables().stream().noneMatch(v -> card.sql().contains("{{" + v + "}}"))) {
            continue;
          }
          CardResult at = CardRunner.run(c, d, card, defaults);
          Map<String, Object> other = new HashMap<>(defaults);
          if (f.isDateRange()) {
            // the three months before the default range
            LocalDate from = (LocalDate) defaults.get(f.id() + "_from");
            other.put(f.id() + "_from", from.minusMonths(3));
            other.put(f.id() + "_to", from);
          } else {
            other.put(f.id(), otherValue(d, card, f, at));
          }
          CardResult changed = CardRunner.run(c, d, card, other);
          String where = d.name() + "/" + card.id() + " with " + f.id() + " changed";
          assertFalse(changed.rows().isEmpty(), where + ": no rows");
          assertNotEquals(at.rows(), changed.rows(), where + ": same rows");
          if (!f.isDateRange()) {
            Object value = other.get(f.id());
            int i = changed.columns().indexOf(f.column());
            if (i >= 0) {
              for (List<Object> row : changed.rows()) {
                assertEquals(value, row.get(i), where + ": a row of another " + f.column());
              }
            }
          }
          checked++;
        }
      }
    }
    assertTrue(checked >= 20, "filter/card pairs checked: " + checked);
  }

  /** Superset's virtual datasets (the cards' SQL without filter variables) run and give the chart's columns. */
  @Test
  void everySupersetDatasetRuns() throws Exception {
    for (Dashboard d : DashboardCatalog.bundled()) {
      for (Card card : d.cards()) {
        String sql = SupersetBundle.datasetSql(card.sql());
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
          List<String> columns = new ArrayList<>();
          for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
            columns.add(rs.getMetaData().getColumnLabel(i).toLowerCase(java.util.Locale.ROOT));
          }
          assertEquals(card.columns().stream().sorted().toList(), columns.stream().sorted().toList(), card.id());
          assertTrue(rs.next(), d.name() + "/" + card.id() + ": no rows");
        }
      }
    }
  }

  /** The funnel's bottleneck is the open stage with the lowest conversion among stages >= 10 deals reached. */
  @Test
  void theFunnelCallsOutItsBottleneckStage() throws Exception {
    Dashboard d = DashboardCatalog.bundled("sales");
    Map<String, Object> values = FilterValues.defaults(d, today());
    CardResult r = CardRunner.run(c, d, d.cards().get(0), values);
    int pipeline = r.columns().indexOf("pipeline_name");
    int reached = r.columns().indexOf("deals_reached");
    int conv = r.columns().indexOf("conversion_to_next");
    int flag = r.columns().indexOf("is_bottleneck");
    Map<String, Object[]> lowest = new HashMap<>();
    List<String> flagged = new ArrayList<>();
    for (List<Object> row : r.rows()) {
      String p = (String) row.get(pipeline);
      if (row.get(conv) != null && ((Number) row.get(reached)).longValue() >= 10) {
        double v = ((Number) row.get(conv)).doubleValue();
        Object[] best = lowest.get(p);
        if (best == null || v < (double) best[0]) {
          lowest.put(p, new Object[] {v, row});
        }
      }
      if (Boolean.TRUE.equals(row.get(flag))) {
        flagged.add(p);
      }
    }
    assertEquals(2, lowest.size(), "the demo has two pipelines");
    assertEquals(2, flagged.size(), "one bottleneck per pipeline: " + flagged);
    for (Object[] best : lowest.values()) {
      assertEquals(Boolean.TRUE, ((List<?>) best[1]).get(flag), "flagged: " + best[1]);
    }
  }
}
