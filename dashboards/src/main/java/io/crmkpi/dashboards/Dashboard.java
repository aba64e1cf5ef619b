package io.crmkpi.dashboards;

import java.util.List;

/**
 * One dashboard as defined in {@code dashboards/src/main/resources/io/crmkpi/dashboards/<name>.yaml}.
 *
 * @param name the file name without {@code .yaml}; {@code crmkpi report --dashboard <name>}
 * @param title shown as the dashboard's heading
 * @param description one paragraph: what the dashboard is for
 * @param filters the dashboard's filters, wired to the cards' SQL variables
 * @param cards the charts, in reading order
 */
public record Dashboard(String name, String title, String description, List<Filter> filters, List<Card> cards) {

  /** The filter with this id, or null. */
  public Filter filter(String id) {
    return filters.stream().filter(f -> f.id().equals(id)).findFirst().orElse(null);
  }
}
