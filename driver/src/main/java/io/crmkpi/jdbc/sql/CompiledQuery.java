package io.crmkpi.jdbc.sql;

import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * A user statement compiled to one statement of the store's dialect.
 *
 * @param storeSql    what the store executes
 * @param paramOrder  for each {@code ?} of storeSql, in order, the index (0-based) of the user's parameter
 * @param columns     the result columns as Calcite validated them (the user's aliases, types, origins)
 * @param parameters  the user's parameters, in order, with the types Calcite inferred
 */
public record CompiledQuery(String storeSql, List<Integer> paramOrder, List<Column> columns,
    List<Column> parameters) {

  /** Number of {@code ?} in the user's statement. */
  public int parameterCount() {
    return parameters.size();
  }

  /** The column labels Calcite validated (the user's aliases, {@code EXPR$0}…). */
  public List<String> columnNames() {
    return columns.stream().map(Column::label).toList();
  }

  /**
   * One result column (or parameter) as the validator typed it. {@code typeName} is the bare SQL
   * name ({@code VARCHAR}, {@code DECIMAL}, {@code TIMESTAMP}…); precision and scale are -1 when the
   * type has none; schema, table and column name where the value is a column of a table or view
   * (else empty strings, as JDBC asks).
   */
  public record Column(String label, String typeName, int jdbcType, int precision, int scale, boolean nullable,
      String schema, String table, String column) {
  }

  /** The columns of a validated row type; {@code origins} as {@code SqlValidator.getFieldOrigins} gives them. */
  static List<Column> columns(RelDataType rowType, List<List<String>> origins) {
    List<Column> out = new ArrayList<>();
    for (RelDataTypeField f : rowType.getFieldList()) {
      List<String> origin = origins == null || f.getIndex() >= origins.size() ? null : origins.get(f.getIndex());
      String schema = "";
      String table = "";
      String column = "";
      if (origin != null && origin.size() >= 3) {
        // [schema, table, column] from the root schema; a catalog name would come first
        int n = origin.size();
        schema = origin.get(n - 3);
        table = origin.get(n - 2);
        column = origin.get(n - 1);
      }
      Column c = column(f.getName(), f.getType(), schema, table, column);
      if (c.nullable() && isCanonicalKey(schema, table, column)) {
        // a canonical key is never NULL in the store (getColumns says NOT NULL); the row type keeps
        // it nullable so Calcite never folds a test on it (an outer join can still make it NULL)
        c = new Column(c.label(), c.typeName(), c.jdbcType(), c.precision(), c.scale(), false, schema, table, column);
      }
      out.add(c);
    }
    return List.copyOf(out);
  }

  private static boolean isCanonicalKey(String schema, String table, String column) {
    return schema.equalsIgnoreCase(io.crmkpi.model.CanonicalModel.SCHEMA)
        && io.crmkpi.model.CanonicalModel.table(table).map(t -> t.primaryKey().contains(column)).orElse(false);
  }

  static Column column(String label, RelDataType type, String schema, String table, String column) {
    SqlTypeName tn = type.getSqlTypeName();
    String name = switch (tn) {
      case CHAR, VARCHAR -> "VARCHAR";
      case TIMESTAMP, TIMESTAMP_WITH_LOCAL_TIME_ZONE -> "TIMESTAMP";
      case BINARY, VARBINARY -> "VARBINARY";
      case NULL -> "VARCHAR"; // an untyped NULL or ? reads as text
      default -> tn.getName();
    };
    int jdbc = switch (tn) {
      case CHAR, VARCHAR, NULL -> Types.VARCHAR;
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE -> Types.TIMESTAMP;
      case BINARY, VARBINARY -> Types.VARBINARY;
      default -> tn.getJdbcOrdinal();
    };
    if (jdbc == Types.OTHER || SqlTypeName.INTERVAL_TYPES.contains(tn)) {
      name = tn.getName();
      jdbc = Types.OTHER;
    }
    // the catalog's unbounded VARCHAR comes as precision 0: -1 (none) as for any type without one
    int precision = tn.allowsPrec() && type.getPrecision() > 0 ? type.getPrecision() : -1;
    int scale = tn.allowsScale() ? Math.max(type.getScale(), 0) : -1;
    return new Column(label, name, jdbc, precision, scale, type.isNullable(), schema, table, column);
  }
}
