package io.crmkpi.jdbc.catalog;

import io.crmkpi.jdbc.sql.SqlCompiler;
import io.crmkpi.metrics.MetricDefinition;
import io.crmkpi.metrics.MetricDefinitionException;
import io.crmkpi.metrics.MetricLibrary;
import io.crmkpi.metrics.MetricSettings;
import io.crmkpi.model.CanonicalModel;
import io.crmkpi.model.Column;
import io.crmkpi.model.ColumnType;
import io.crmkpi.model.Table;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.impl.ViewTable;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * The catalog one connection sees: Calcite root schema with {@code crm} (the store's tables),
 * {@code util} (calendar helpers) and {@code kpi}
 * (views compiled from the metric library with this connection's settings), the compiler over it,
 * and what JDBC metadata reports. Definitions that fail are kept as problems; the rest work.
 */
public final class StoreCatalog {

  private final SqlCompiler compiler;
  private final List<CatalogTable> canonicalTables = new ArrayList<>();
  private final List<View> views = new ArrayList<>();
  private final List<String> problems = new CopyOnWriteArrayList<>();
  /** One view row type is derived at a time (views read each other; one lock cannot deadlock). */
  private final ReentrantLock resolving = new ReentrantLock();
  private final List<String> warmUpOrder;
  private boolean warmUpStarted;

  /**
   * Built-in views are registered with a row type derived on first use (a query, JDBC metadata, or
   * the background warm-up): validating all 27 definitions up front cost seconds of a cold JVM's
   * connect. A metrics folder of user definitions is validated up front, in library order, so that
   * its problems are connection warnings at once.
   */
  public StoreCatalog(MetricLibrary library, MetricSettings settings) {
    this(library, settings, Optional.empty());
  }

  /**
   * With {@code cacheFolder}, compilations are also kept on disk for a later JVM with the same
   * catalog (every view's rendered SQL, hence the settings, identifies it).
   */
  public StoreCatalog(MetricLibrary library, MetricSettings settings, Optional<Path> cacheFolder) {
    this(library, settings, cacheFolder, io.crmkpi.jdbc.sql.StoreSqlDialect.INSTANCE);
  }

  /** As above, with statements compiled for the store's {@code dialect} (DuckDB's, or PostgreSQL's). */
  public StoreCatalog(MetricLibrary library, MetricSettings settings, Optional<Path> cacheFolder,
                      org.apache.calcite.sql.SqlDialect dialect) {
    SchemaPlus root = CalciteSchema.createRootSchema(false, false).plus();
    this.compiler = new SqlCompiler(root, settings.weekStart(), dialect);
    CachedSchema crm = new CachedSchema();
    for (Table t : CanonicalModel.tables()) {
      crm.add(t.name(), StoreTable.of(t));
      canonicalTables.add(canonical(t));
    }
    root.add(CanonicalModel.SCHEMA, crm);
    CachedSchema util = new CachedSchema();
    util.add("calendar", StoreTable.calendar());
    root.add("util", util);
    problems.addAll(library.problems());
    boolean eager = library.definitions().stream().anyMatch(d -> !d.origin().startsWith("built-in "));
    List<String> names = new ArrayList<>();
    for (MetricDefinition d : library.definitions()) {
      View v;
      try {
        v = new View(d, MetricLibrary.render(d, settings));
      } catch (MetricDefinitionException e) {
        problems.add(problem(d, e.getMessage()));
        continue;
      }
      if (eager) {
        try {
          v.rowType();
        } catch (SQLException e) {
          continue; // a problem now; later views that read it fail with "not found", as they should
        }
      }
      SchemaPlus schema = root.getSubSchema(d.schema());
      if (schema == null) {
        schema = root.add(d.schema(), new CachedSchema());
      }
      schema.add(d.name(), new ViewTable(Object[].class, v::protoRowType, v.sql, List.of(),
          List.of(d.schema(), d.name())));
      views.add(v);
      names.add(d.qualifiedName());
    }
    // kpi views first: they are what users query (util views are derived on the way)
    List<String> order = new ArrayList<>(names.stream().filter(n -> n.startsWith("kpi.")).toList());
    names.stream().filter(n -> !n.startsWith("kpi.")).forEach(order::add);
    this.warmUpOrder = List.copyOf(order);
    cacheFolder.ifPresent(folder -> {
      // compilations for one dialect are not another's (nor one zone's "today" another's: the dialect writes it)
      StringBuilder identity = new StringBuilder(dialect == io.crmkpi.jdbc.sql.StoreSqlDialect.INSTANCE ? ""
          : dialect.getClass().getName() + " " + org.apache.calcite.sql.fun.SqlStdOperatorTable.CURRENT_DATE
              .createCall(org.apache.calcite.sql.parser.SqlParserPos.ZERO).toSqlString(dialect).getSql() + "\n");
      for (View v : views) {
        identity.append(v.definition.qualifiedName()).append('\n').append(v.sql).append('\n');
      }
      compiler.keepOnDisk(folder, identity.toString());
    });
  }

  private static String problem(MetricDefinition d, String message) {
    return d.origin() + ": " + d.qualifiedName() + " is not available: " + message;
  }

  /** A registered view: its SQL, and its row type once derived (or why it cannot be). */
  private final class View {
    final MetricDefinition definition;
    final String sql;
    private volatile RelDataType rowType;
    private volatile String failure;
    private boolean deriving;

    View(MetricDefinition definition, String sql) {
      this.definition = definition;
      this.sql = sql;
    }

    /** Validates the view's SQL once; the outcome is kept (a failure becomes a problem). */
    RelDataType rowType() throws SQLException {
      RelDataType t = rowType;
      if (t != null) {
        return t;
      }
      resolving.lock();
      try {
        if (rowType != null) {
          return rowType;
        }
        if (failure == null) {
          if (deriving) {
            throw new SQLException(definition.qualifiedName() + " refers to itself");
          }
          deriving = true;
          try {
            rowType = checked(compiler.validateView(sql));
            return rowType;
          } catch (SQLException e) {
            failure = e.getMessage();
            problems.add(problem(definition, failure));
          } finally {
            deriving = false;
          }
        }
        throw new SQLException(definition.qualifiedName() + " is not available: " + failure, "42000");
      } finally {
        resolving.unlock();
      }
    }

    private RelDataType checked(RelDataType t) throws SQLException {
      List<String> actual = t.getFieldNames();
      List<String> declared = definition.columns().stream().map(MetricDefinition.MetricColumn::name).toList();
      if (!actual.equals(declared)) {
        throw new SQLException("the SQL returns columns " + actual + " but the definition declares " + declared);
      }
      return t;
    }

    /** Calcite asks for the row type while it validates a query that reads the view. */
    RelDataType protoRowType(RelDataTypeFactory typeFactory) {
      try {
        return typeFactory.copyType(rowType());
      } catch (SQLException e) {
        throw new ViewUnavailableException(e.getMessage());
      }
    }

    CatalogTable table() throws SQLException {
      RelDataType t = rowType();
      List<CatalogTable.CatalogColumn> cols = new ArrayList<>();
      for (RelDataTypeField f : t.getFieldList()) {
        cols.add(column(f.getName(), f.getType(), definition.columns().get(f.getIndex()).description()));
      }
      return new CatalogTable(definition.schema(), definition.name(), "VIEW", definition.description(),
          List.copyOf(cols), List.of());
    }
  }

  /** A view whose definition does not compile, met while compiling a statement that reads it. */
  static final class ViewUnavailableException extends RuntimeException {
    ViewUnavailableException(String message) {
      super(message, null, false, false);
    }
  }

  /** Quiet time after the last statement before the warm-up goes on (statements come in bursts). */
  private static final long QUIET_NANOS = 300_000_000L;
  private final Object activity = new Object();
  private int active;
  private long lastActive;

  /**
   * Marks a user statement being compiled or run until the result is closed: the background
   * warm-up waits meanwhile (on 2 cores it would take half the CPU from the statement).
   */
  public Activity foreground() {
    synchronized (activity) {
      active++;
    }
    return () -> {
      synchronized (activity) {
        active--;
        lastActive = System.nanoTime();
        activity.notifyAll();
      }
    };
  }

  /** The end of a {@link #foreground()} statement. */
  public interface Activity extends AutoCloseable {
    @Override
    void close();
  }

  private void awaitQuiet() throws InterruptedException {
    synchronized (activity) {
      while (true) {
        long quietFor = System.nanoTime() - lastActive;
        if (active == 0 && (lastActive == 0 || quietFor >= QUIET_NANOS)) {
          return;
        }
        activity.wait(active > 0 ? 0 : Math.max(1, (QUIET_NANOS - quietFor) / 1_000_000));
      }
    }
  }

  /**
   * Compiles {@code SELECT * FROM <view>} for every view in the background, in library order, so
   * that view row types are known and the compiler is warm before dashboards ask. Called once the
   * data is loaded, not while it loads: on 2 cores, compiling views during the demo load made
   * connect → first result 1.3 s slower (it took the CPU the load and the first statement needed).
   * It starts after a quiet time and pauses while user statements run.
   */
  public void startWarmUp() {
    synchronized (activity) {
      if (warmUpStarted || Boolean.getBoolean("crmkpi.nowarmup")) {
        return;
      }
      warmUpStarted = true;
      lastActive = System.nanoTime(); // the connect that just finished counts as activity
    }
    List<String> views = warmUpOrder;
    Thread t = new Thread(() -> {
      for (String v : views) {
        try {
          awaitQuiet();
          compiler.compileWithCalcite("SELECT * FROM " + v);
        } catch (InterruptedException e) {
          return;
        } catch (SQLException | RuntimeException ignored) {
          // a query that fails here fails the same way, with its message, when a user runs it
        }
      }
    }, "crmkpi-warm-up");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
  }

  private static CatalogTable canonical(Table t) {
    List<CatalogTable.CatalogColumn> cols = new ArrayList<>();
    for (Column c : t.columns()) {
      // key columns are never NULL (every loader sets them), so metadata says NOT NULL for them
      cols.add(new CatalogTable.CatalogColumn(c.name(), jdbcType(c.type()), c.type().bareName(), size(c.type()),
          digits(c.type()), !t.primaryKey().contains(c.name()), c.description()));
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

  /** JDBC metadata rows for this catalog (built on first use; derives every view's row type). */
  public synchronized CatalogMetadata metadata() throws SQLException {
    if (metadata == null) {
      metadata = new CatalogMetadata(tables());
    }
    return metadata;
  }

  public SqlCompiler compiler() {
    return compiler;
  }

  /**
   * Tables and views for JDBC metadata, canonical tables first. Derives the row type of every view
   * not derived yet; a view that does not compile is left out and becomes a problem.
   */
  public List<CatalogTable> tables() {
    List<CatalogTable> out = new ArrayList<>(canonicalTables);
    for (View v : views) {
      try {
        out.add(v.table());
      } catch (SQLException e) {
        // recorded in problems()
      }
    }
    return List.copyOf(out);
  }

  /**
   * Definitions that could not be compiled, each naming its file and the SQL problem. Views derived
   * lazily add theirs when first used.
   */
  public List<String> problems() {
    return List.copyOf(problems);
  }
}
