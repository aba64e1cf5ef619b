package io.crmkpi.dashboards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Definitions are read and checked with one-line errors; filters bind to JDBC parameters. */
class DashboardCatalogTest {

  private static Dashboard parse(String yaml) throws Exception {
    return DashboardCatalog.parse("t", "t.yaml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
  }

  private static final String FILTERS = """
      title: T
      filters:
        - {id: period, label: Period, type: date_range, column: period_start, default: last 3 months}
        - {id: channel, label: Channel, type: text, column: channel}
      """;

  @Test
  void theBundledDashboardsAreSixWithThirtyCards() {
    List<Dashboard> all = DashboardCatalog.bundled();
    assertEquals(List.of("overview", "sales", "pipeline", "marketing", "customers", "service"),
        all.stream().map(Dashboard::name).toList());
    assertEquals(List.of(3, 5, 9, 4, 5, 4), all.stream().map(d -> d.cards().size()).toList());
    // a card may say what it needs when it has no rows; the others say "No rows for these filters."
    Dashboard pipeline = all.get(2);
    assertEquals("No revenue plan per manager for this month: load the plans into crm.targets (targets.csv) to compare.",
        pipeline.cards().get(1).empty());
    assertEquals(null, pipeline.cards().get(0).empty());
    assertEquals("no dashboard 'crm'; bundled: overview, sales, pipeline, marketing, customers, service",
        assertThrows(IllegalArgumentException.class, () -> DashboardCatalog.bundled("crm")).getMessage());
  }

  @Test
  void badDefinitionsAreOneLineNamingFileAndKey() {
    assertEquals("t.yaml: card a.chart: 'pie' is not one of [bar, funnel, heatmap, line, number, stacked_bar, table]",
        assertThrows(IllegalArgumentException.class, () -> parse(FILTERS
            + "cards:\n  - {id: a, title: A, question: Q, chart: pie, y: v, sql: SELECT 1}\n")).getMessage());
    assertEquals("t.yaml: card a.sql: {{since}} is no filter's variable [period_from, period_to, channel]",
        assertThrows(IllegalArgumentException.class, () -> parse(FILTERS
            + "cards:\n  - {id: a, title: A, question: Q, chart: bar, y: v, sql: 'SELECT 1 WHERE x > {{since}}'}\n"))
            .getMessage());
    assertEquals("t.yaml: filters[0].default: 'last year' is not 'last <n> months'",
        assertThrows(IllegalArgumentException.class, () -> parse("""
            title: T
            filters:
              - {id: period, label: P, type: date_range, column: period_start, default: last year}
            """)).getMessage());
    assertEquals("t.yaml: cards[0].id: missing",
        assertThrows(IllegalArgumentException.class, () -> parse(FILTERS + "cards:\n  - {title: A}\n")).getMessage());
  }

  @Test
  void optionalClausesDropWithoutAValueAndVariablesBecomeParameters() throws Exception {
    Dashboard d = parse(FILTERS + """
        cards:
          - id: a
            title: A
            question: Q
            chart: bar
            x: channel
            y: spend
            sql: SELECT channel, spend FROM kpi.x WHERE p >= {{period_from}} AND p < {{period_to}} [[AND channel = {{channel}}]]
        """);
    Map<String, Object> values = FilterValues.defaults(d, LocalDate.of(2026, 12, 7));
    // last 3 months on 2026-12-07: October, November, December
    assertEquals(LocalDate.of(2026, 10, 1), values.get("period_from"));
    assertEquals(LocalDate.of(2027, 1, 1), values.get("period_to"));
    assertEquals("Period: 2026-10-01 – 2026-12-31; Channel: all", FilterValues.describe(d, values));
    CardSql all = CardSql.bind(d.cards().get(0).sql(), values);
    assertEquals("SELECT channel, spend FROM kpi.x WHERE p >= ? AND p < ? ", all.sql());
    assertEquals(List.of(LocalDate.of(2026, 10, 1), LocalDate.of(2027, 1, 1)), all.parameters());
    values.put("channel", "it's");
    CardSql one = CardSql.bind(d.cards().get(0).sql(), values);
    assertEquals("SELECT channel, spend FROM kpi.x WHERE p >= ? AND p < ? AND channel = ?", one.sql());
    assertEquals("it's", one.parameters().get(2));
  }
}
