package io.crmkpi.jdbc.catalog;

import java.util.Map;
import java.util.TreeMap;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;

/** A fixed table map (Calcite's JdbcSchema would re-read the store's metadata on every lookup). */
final class CachedSchema extends AbstractSchema {

  private final Map<String, Table> tables = new TreeMap<>();

  void add(String name, Table table) {
    tables.put(name, table);
  }

  @Override
  protected Map<String, Table> getTableMap() {
    return tables;
  }
}
