package io.crmkpi.dashboards;

import java.util.List;

/**
 * A card's rows: column labels (lower case) and values as JDBC returned them (dates as ISO text).
 *
 * @param columns the result's column labels
 * @param rows each row's values, in column order
 */
public record CardResult(List<String> columns, List<List<Object>> rows) { }
