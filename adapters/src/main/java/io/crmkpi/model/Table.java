package io.crmkpi.model;

import java.util.List;
import java.util.Optional;

/** One table of the canonical model ({@code crm.<name>}). */
public record Table(String name, String description, List<String> primaryKey, List<Column> columns) {

  public Optional<Column> column(String columnName) {
    return columns.stream().filter(c -> c.name().equalsIgnoreCase(columnName)).findFirst();
  }

  public int indexOf(String columnName) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equalsIgnoreCase(columnName)) {
        return i;
      }
    }
    return -1;
  }

  public List<String> columnNames() {
    return columns.stream().map(Column::name).toList();
  }
}
