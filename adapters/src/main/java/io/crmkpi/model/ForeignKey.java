package io.crmkpi.model;

/**
 * A relationship of the canonical model: {@code crm.<table>.<column>} holds a key of
 * {@code crm.<refTable>.<refColumn>} (the referenced table's primary key). Declared, not enforced:
 * the store has no constraints (sources deliver rows in any order, and a deal may name a stage
 * that a partial export left out), but BI tools use them to link tables and draw ER diagrams.
 */
public record ForeignKey(String table, String column, String refTable, String refColumn) {

  /** A stable constraint name, PostgreSQL's convention: {@code deals_pipeline_id_fkey}. */
  public String name() {
    return table + "_" + column + "_fkey";
  }
}
