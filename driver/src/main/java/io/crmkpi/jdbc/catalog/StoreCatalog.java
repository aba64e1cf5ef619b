package io.crmkpi.jdbc.catalog;

import io.crmkpi.jdbc.sql.SqlCompiler;
import io.crmkpi.jdbc.sql.StoreSqlDialect;
import io.crmkpi.metrics.MetricDefinition;
import io.crmkpi.metrics.MetricDefinitionException;
import io.crmkpi.metrics.MetricLibrary;
import io.crmkpi.metrics.MetricSettings;
import io.crmkpi.model.CanonicalModel;
import io.crmkpi.model.Column;
import io.crmkpi.model.ColumnType;
import io.crmkpi.model.Table;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.apache.calcite.adapter.jdbc.JdbcConvention;
import org.apache.calcite.adapter.jdbc.JdbcSchema;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rel.type.RelDataTypeImpl;
import org.apache.calcite.schema.Schemas;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.impl.ViewTable;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * The catalog one connection sees: Calcite root schema with {@code crm} (the store's tables,
 * pushed down through Calcite's JDBC adapter), {@code util} (calendar helpers) and {@code kpi}
 * (views compiled from the metric library with this connection's settings), the compiler over it,
 * and what JDBC metadata reports. Definitions that fail are kept as problems; the rest work.
 */
public final class StoreCatalog {

  private final SqlCompiler compiler;
  private final List<CatalogTable> tables = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();

  public StoreCatalog(DataSource store, MetricLibrary library, MetricSettings settings) {
    SchemaPlus root = CalciteSchema.createRootSchema(false, false).plus();
    this.compiler = new SqlCompiler(root);
    addStoreSchema(root, store, CanonicalModel.SCHEMA, CanonicalModel.tables().stream().map(Table::name).toList());
    addStoreSchema(root, store, "util", List.of("calendar"));
    for (Table t : CanonicalModel.tables()) {
      tables.add(canonical(t));
    }
    problems.addAll(library.problems());
    List<String> views = new ArrayList<>();
    for (MetricDefinition d : library.definitions()) {
      try {
        addView(root, d, settings);
        views.add(d.qualifiedName());
      } catch (SQLException | MetricDefinitionException e) {
        problems.add(d.origin() + ": " + d.qualifiedName() + " is not available: " + e.getMessage());
      }
    }
    warmUp(views);
  }

  /**
   * Compiles {@code SELECT * FROM <view>} for every view in the background, so that the first
   * dashboard query finds the planner warm and the plan cached.
   */
  private void warmUp(List<String> views) {
    Thread t = new Thread(() -> {
      for (String v : views) {
        try {
          compiler.compile("SELECT * FROM " + v);
        } catch (SQLException | RuntimeException ignored) {
          // a query that fails here fails the same way, with its message, when a user runs it
        }
      }
    }, "crmkpi-warm-up");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
  }

  private static void addStoreSchema(SchemaPlus root, DataSource store, String name, List<String> tableNames) {
    Expression expr = Schemas.subSchemaExpression(root, name, JdbcSchema.class);
    JdbcConvention convention = JdbcConvention.of(StoreSqlDialect.INSTANCE, expr, name);
    JdbcSchema jdbc = new JdbcSchema(store, StoreSqlDialect.INSTANCE, convention, null, name);
    CachedSchema cached = new CachedSchema();
    for (String t : tableNames) {
      @SuppressWarnings("deprecation")
      org.apache.calcite.schema.Table table = jdbc.getTable(t);
      if (table == null) {
        throw new IllegalStateException("store has no table " + name + "." + t);
      }
      cached.add(t, table);
    }
    root.add(name, cached);
  }

  private void addView(SchemaPlus root, MetricDefinition d, MetricSettings settings) throws SQLException {
    String sql = MetricLibrary.render(d, settings);
    RelDataType rowType = compiler.validateView(sql);
    List<String> actual = rowType.getFieldNames();
    List<String> declared = d.columns().stream().map(MetricDefinition.MetricColumn::name).toList();
    if (!actual.equals(declared)) {
      throw new SQLException("the SQL returns columns " + actual + " but the definition declares " + declared);
    }
    SchemaPlus schema = root.getSubSchema(d.schema());
    if (schema == null) {
      schema = root.add(d.schema(), new CachedSchema());
    }
    schema.add(d.name(), new ViewTable(Object[].class, RelDataTypeImpl.proto(rowType), sql, List.of(),
        List.of(d.schema(), d.name())));
    List<CatalogTable.CatalogColumn> cols = new ArrayList<>();
    for (RelDataTypeField f : rowType.getFieldList()) {
      cols.add(column(f.getName(), f.getType(), d.columns().get(f.getIndex()).description()));
    }
    tables.removeIf(t -> t.schema().equals(d.schema()) && t.name().equals(d.name()));
    tables.add(new CatalogTable(d.schema(), d.name(), "VIEW", d.description(), List.copyOf(cols), List.of()));
  }

  private static CatalogTable canonical(Table t) {
    List<CatalogTable.CatalogColumn> cols = new ArrayList<>();
    for (Column c : t.columns()) {
      cols.add(new CatalogTable.CatalogColumn(c.name(), jdbcType(c.type()), c.type().bareName(), size(c.type()),
          digits(c.type()), true, c.description()));
    }
    return new CatalogTable(CanonicalModel.SCHEMA, t.name(), "TABLE", t.description(), List.copyOf(cols),
        t.primaryKey());
  }

  private static CatalogTable.CatalogColumn column(String name, RelDataType type, String remarks) {
    SqlTypeName tn = type.getSqlTypeName();
    String bare = switch (tn) {
      case CHAR, VARCHAR -> "VARCHAR";
      case TIMESTAMP, TIMESTAMP_WITH_LOCAL_TIME_ZONE -> "TIMESTAMP";
      default -> tn.getName();
    };
    int jdbc = switch (tn) {
      case CHAR, VARCHAR -> Types.VARCHAR;
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE -> Types.TIMESTAMP;
      default -> tn.getJdbcOrdinal();
    };
    Integer size = tn.allowsPrec() && type.getPrecision() >= 0 ? type.getPrecision() : null;
    Integer digits = tn.allowsScale() ? type.getScale() : null;
    if (tn == SqlTypeName.CHAR || tn == SqlTypeName.VARCHAR) {
      size = null;
    }
    return new CatalogTable.CatalogColumn(name, jdbc, bare, size, digits, type.isNullable(), remarks);
  }

  private static int jdbcType(ColumnType t) {
    return switch (t) {
      case VARCHAR, CURRENCY -> Types.VARCHAR;
      case INTEGER -> Types.INTEGER;
      case BIGINT -> Types.BIGINT;
      case DOUBLE -> Types.DOUBLE;
      case BOOLEAN -> Types.BOOLEAN;
      case DATE -> Types.DATE;
      case TIMESTAMP -> Types.TIMESTAMP;
      case MONEY, QUANTITY, RATE -> Types.DECIMAL;
    };
  }

  private static Integer size(ColumnType t) {
    return switch (t) {
      case CURRENCY -> 3;
      case MONEY, QUANTITY, RATE -> 18;
      default -> null;
    };
  }

  private static Integer digits(ColumnType t) {
    return switch (t) {
      case MONEY -> 2;
      case QUANTITY -> 3;
      case RATE -> 8;
      default -> null;
    };
  }

  private CatalogMetadata metadata;

  /** JDBC metadata rows for this catalog (built on first use). */
  public synchronized CatalogMetadata metadata() throws SQLException {
    if (metadata == null) {
      metadata = new CatalogMetadata(tables);
    }
    return metadata;
  }

  public SqlCompiler compiler() {
    return compiler;
  }

  /** Tables and views for JDBC metadata, canonical tables first. */
  public List<CatalogTable> tables() {
    return List.copyOf(tables);
  }

  /** Definitions that could not be compiled, each naming its file and the SQL problem. */
  public List<String> problems() {
    return List.copyOf(problems);
  }
}
