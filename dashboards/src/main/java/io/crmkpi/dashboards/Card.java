package io.crmkpi.dashboards;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * One chart of a dashboard.
 *
 * @param id unique within the dashboard
 * @param title shown above the chart
 * @param question the question the chart answers, in one sentence
 * @param chart {@code line}, {@code bar}, {@code stacked_bar}, {@code funnel}, {@code heatmap}, {@code number}
 *     (a value with its previous value and change) or {@code table}
 * @param x the category / time axis column (heatmap: the columns; number: the tile's label)
 * @param y the value columns (heatmap and funnel: one; number: value then previous value)
 * @param series a column whose values split {@code y} into series (heatmap: the rows), or null
 * @param extra other columns the chart uses (a callout flag, a unit, a direction), or empty
 * @param callout a boolean column whose TRUE rows the chart calls out (e.g. the bottleneck stage), or null
 * @param format number format per column: {@code percent}, {@code money}, {@code count}, {@code number},
 *     {@code days}, {@code minutes}, {@code score}
 * @param position where the card sits on a 24-column grid (Metabase's; Superset's 12 columns are halves)
 * @param sql the query against {@code kpi.*} / {@code crm.*}, with {@code {{variable}}} filter variables
 *     and {@code [[ ... ]]} optional clauses, dropped when a variable inside has no value (Metabase's syntax)
 * @param empty what the report says when the card has no rows (the data or setting it needs), or null
 */
public record Card(String id, String title, String question, String chart, String x, List<String> y,
    String series, List<String> extra, String callout, Map<String, String> format, Position position, String sql,
    String empty) {

  /** The columns the chart names: the SQL's result may have these and no others. */
  public List<String> columns() {
    LinkedHashSet<String> all = new LinkedHashSet<>();
    if (x != null) {
      all.add(x);
    }
    if (series != null) {
      all.add(series);
    }
    all.addAll(y);
    all.addAll(extra);
    if (callout != null) {
      all.add(callout);
    }
    return new ArrayList<>(all);
  }

  /** The number format of a column ({@code number} when the definition names none). */
  public String formatOf(String column) {
    return format.getOrDefault(column, "number");
  }

  /** Grid position: column and row from the top left, width and height in grid units. */
  public record Position(int col, int row, int width, int height) { }
}
