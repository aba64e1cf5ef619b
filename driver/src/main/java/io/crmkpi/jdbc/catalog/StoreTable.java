package io.crmkpi.jdbc.catalog;

import io.crmkpi.model.Column;
import io.crmkpi.model.Table;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * A store table as the compiler sees it: the row type Calcite's JDBC adapter reads from the
 * store's metadata (StoreCatalogTest checks they are equal), known from the model without asking
 * the store, so the catalog compiles before the store is even open. Statements are never run
 * through Calcite, so the table has nothing to scan.
 */
final class StoreTable extends AbstractTable {

  /** One column: DuckDB reports VARCHAR without length (Calcite reads VARCHAR(0)), TIMESTAMP(0). */
  private record Col(String name, SqlTypeName type, int precision, int scale) {
  }

  private final List<Col> columns;

  private StoreTable(List<Col> columns) {
    this.columns = List.copyOf(columns);
  }

  static StoreTable of(Table t) {
    List<Col> cols = new ArrayList<>();
    for (Column c : t.columns()) {
      cols.add(switch (c.type()) {
        case VARCHAR, CURRENCY -> new Col(c.name(), SqlTypeName.VARCHAR, 0, -1);
        case INTEGER -> new Col(c.name(), SqlTypeName.INTEGER, -1, -1);
        case BIGINT -> new Col(c.name(), SqlTypeName.BIGINT, -1, -1);
        case DOUBLE -> new Col(c.name(), SqlTypeName.DOUBLE, -1, -1);
        case BOOLEAN -> new Col(c.name(), SqlTypeName.BOOLEAN, -1, -1);
        case DATE -> new Col(c.name(), SqlTypeName.DATE, -1, -1);
        case TIMESTAMP -> new Col(c.name(), SqlTypeName.TIMESTAMP, 0, -1);
        case MONEY -> new Col(c.name(), SqlTypeName.DECIMAL, 18, 2);
        case QUANTITY -> new Col(c.name(), SqlTypeName.DECIMAL, 18, 3);
        case RATE -> new Col(c.name(), SqlTypeName.DECIMAL, 18, 8);
      });
    }
    return new StoreTable(cols);
  }

  /** {@code util.calendar}, created by the store's schema (io.crmkpi.store.StoreSchema). */
  static StoreTable calendar() {
    return new StoreTable(List.of(new Col("calendar_day", SqlTypeName.DATE, -1, -1),
        new Col("grain", SqlTypeName.VARCHAR, 0, -1), new Col("variant_id", SqlTypeName.INTEGER, -1, -1),
        new Col("period_start", SqlTypeName.DATE, -1, -1), new Col("period_end", SqlTypeName.DATE, -1, -1)));
  }

  @Override
  public RelDataType getRowType(RelDataTypeFactory typeFactory) {
    RelDataTypeFactory.Builder b = typeFactory.builder();
    for (Col c : columns) {
      RelDataType t = c.scale() >= 0 ? typeFactory.createSqlType(c.type(), c.precision(), c.scale())
          : c.precision() >= 0 ? typeFactory.createSqlType(c.type(), c.precision())
          : typeFactory.createSqlType(c.type());
      b.add(c.name(), typeFactory.createTypeWithNullability(t, true)); // no NOT NULL in the store's DDL
    }
    return b.build();
  }
}
