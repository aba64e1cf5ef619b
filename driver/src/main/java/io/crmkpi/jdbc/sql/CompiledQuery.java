package io.crmkpi.jdbc.sql;

import java.util.List;

/**
 * A user statement compiled to one statement of the store's dialect.
 *
 * @param storeSql    what the store executes
 * @param paramOrder  for each {@code ?} of storeSql, in order, the index (0-based) of the user's parameter
 * @param columnNames the column labels Calcite validated (the user's aliases)
 * @param parameterCount number of {@code ?} in the user's statement
 */
public record CompiledQuery(String storeSql, List<Integer> paramOrder, List<String> columnNames,
    int parameterCount) {
}
