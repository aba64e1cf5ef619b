package io.crmkpi.jdbc.catalog;

import java.util.List;

/** What JDBC metadata reports about one table or view. */
public record CatalogTable(String schema, String name, String type, String remarks, List<CatalogColumn> columns,
    List<String> primaryKey) {

  /** One column: JDBC type code, bare type name, size/digits, remarks. */
  public record CatalogColumn(String name, int jdbcType, String typeName, Integer size, Integer digits,
      boolean nullable, String remarks) {
  }
}
