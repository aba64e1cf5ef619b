package io.crmkpi.metrics;

import java.util.List;

/**
 * One view of the KPI library: metadata plus SQL over {@code crm.*}, as read from a definition file.
 *
 * @param schema      {@code kpi} for KPI views, {@code util} for helpers they share
 * @param name        view name (lower-case snake_case)
 * @param description what the view answers; becomes the JDBC REMARKS of the view
 * @param columns     every output column, in order, with its description
 * @param settings    connection settings the SQL uses as {@code ${name}} placeholders
 * @param pitfalls    traps the definition handles (documentation)
 * @param example     an example query for the docs
 * @param sql         the view body in Calcite SQL (lex MYSQL_ANSI), with {@code ${setting}} placeholders
 * @param origin      where the definition came from (resource or file path), for error messages
 */
public record MetricDefinition(String schema, String name, String description, List<MetricColumn> columns,
    List<String> settings, List<String> pitfalls, String example, String sql, String origin) {

  /** One output column of a view. */
  public record MetricColumn(String name, String description) {
  }

  public String qualifiedName() {
    return schema + "." + name;
  }
}
