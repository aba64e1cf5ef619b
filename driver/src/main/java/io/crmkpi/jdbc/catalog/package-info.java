/**
 * The catalog a connection sees and what JDBC metadata reports about it: Calcite's schemas over
 * the store ({@code crm}, {@code util}) and the compiled metric views ({@code kpi}), and the rows of
 * getTables, getColumns, keys, types and functions (CatalogMetadata), all from the model and the
 * metric library, never from the store's own metadata.
 */
package io.crmkpi.jdbc.catalog;
