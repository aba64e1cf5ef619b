package io.crmkpi.sync;

import io.crmkpi.model.CanonicalModel;
import io.crmkpi.model.Column;
import io.crmkpi.model.Table;
import io.crmkpi.store.StoreSchema;
import java.util.Arrays;
import java.util.List;

/**
 * A table the sync writes: a canonical {@code crm.*} table or a raw source-native one (e.g.
 * {@code amocrm.leads}). {@code key} is what an upsert replaces by: the primary key, or a group key
 * such as (entity, entity_id) for custom fields, where the record's whole group is replaced. An
 * empty key means append only (rejects).
 */
public record TableSpec(String schema, String name, List<String> columns, List<String> key, String ddl) {

  public String qualified() {
    return schema + "." + name;
  }

  /** A canonical table upserted by its primary key. */
  public static TableSpec canonical(String name) {
    Table t = CanonicalModel.require(name);
    return canonical(name, t.primaryKey().toArray(String[]::new));
  }

  /** A canonical table upserted by {@code key} (a group key when it is not unique). */
  public static TableSpec canonical(String name, String... key) {
    Table t = CanonicalModel.require(name);
    return new TableSpec(CanonicalModel.SCHEMA, t.name(), t.columnNames(), List.of(key), StoreSchema.createTable(t));
  }

  /**
   * A raw table in the source's own schema. {@code columns} are {@code "name TYPE"} definitions;
   * {@code key} is the id column.
   */
  public static TableSpec raw(String schema, String name, String key, String... columns) {
    List<String> names = Arrays.stream(columns).map(c -> c.trim().split("\\s+")[0]).toList();
    String ddl = "CREATE TABLE IF NOT EXISTS " + schema + "." + name + " (" + String.join(", ", columns) + ")";
    return new TableSpec(schema, name, names, List.of(key), ddl);
  }
}
