package io.crmkpi.jdbc.sql;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Properties;
import org.apache.calcite.config.CalciteConnectionConfig;
import org.apache.calcite.config.CalciteConnectionConfigImpl;
import org.apache.calcite.config.CalciteConnectionProperty;
import org.apache.calcite.config.Lex;
import org.apache.calcite.plan.Contexts;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.rel2sql.RelToSqlConverter;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.util.SqlString;
import org.apache.calcite.sql.fun.SqlLibrary;
import org.apache.calcite.sql.fun.SqlLibraryOperatorTableFactory;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.tools.FrameworkConfig;
import org.apache.calcite.tools.Frameworks;

/**
 * Calcite compiles, the store executes: parses a statement (lex MYSQL_ANSI, BABEL conformance),
 * rewrites BI dialect functions, validates it against the catalog, expands {@code kpi} views,
 * and unparses the whole logical plan into ONE statement of the store's dialect (no optimiser: see
 * {@link CompileSession}).
 * Results are cached by SQL text (BI tools resend identical SQL on every refresh).
 */
public final class SqlCompiler {

  private static final int CACHE_LIMIT = 2000;
  private static final SqlOperatorTable OPERATORS = SqlOperatorTables.chain(
      SqlLibraryOperatorTableFactory.INSTANCE.getOperatorTable(SqlLibrary.STANDARD, SqlLibrary.POSTGRESQL),
      SqlOperatorTables.of(StoreFunctions.ALL));

  private final FrameworkConfig config;
  private final Map<String, CompiledQuery> cache = new ConcurrentHashMap<>();
  private volatile CompiledQueryStore disk;

  public SqlCompiler(SchemaPlus rootSchema) {
    this.config = Frameworks.newConfigBuilder()
        .parserConfig(parserConfig())
        .sqlValidatorConfig(SqlValidator.Config.DEFAULT
            .withConformance(BiConformance.INSTANCE)
            .withIdentifierExpansion(true))
        .operatorTable(OPERATORS)
        .defaultSchema(rootSchema)
        .typeSystem(StoreTypeSystem.INSTANCE)
        .context(Contexts.of(validatorSettings()))
        .build();
  }

  /**
   * The planner takes the validator's conformance and name matching from a connection config:
   * case-insensitive names (lex MYSQL_ANSI).
   */
  private static CalciteConnectionConfig validatorSettings() {
    Properties p = new Properties();
    p.setProperty(CalciteConnectionProperty.CASE_SENSITIVE.camelName(), "false");
    p.setProperty(CalciteConnectionProperty.QUOTED_CASING.camelName(), "UNCHANGED");
    p.setProperty(CalciteConnectionProperty.UNQUOTED_CASING.camelName(), "UNCHANGED");
    return new CalciteConnectionConfigImpl(p); // conformance: CompileSession's validator uses BiConformance
  }

  /** The parser settings for user SQL and view SQL alike. */
  public static SqlParser.Config parserConfig() {
    return SqlParser.config().withLex(Lex.MYSQL_ANSI).withConformance(SqlConformanceEnum.LENIENT);
  }

  /**
   * Also keeps compilations on disk under {@code cacheFolder}, for this catalog identity (the
   * rendered SQL of every view and the settings in it): see {@link CompiledQueryStore}.
   */
  public void keepOnDisk(Path cacheFolder, String catalogIdentity) {
    disk = CompiledQueryStore.open(cacheFolder, catalogIdentity).orElse(null);
  }

  /** The on-disk compilations in use, or null (tests). */
  CompiledQueryStore disk() {
    return disk;
  }

  /** Compiles (or returns the cached compilation of) a query. */
  public CompiledQuery compile(String sql) throws SQLException {
    return compile(sql, true);
  }

  /**
   * Compiles a query in which unqualified names resolve in {@code defaultSchema} first (a session's
   * {@code Connection.setSchema}), then from the root; null is {@link #compile(String)}.
   */
  public CompiledQuery compile(String sql, String defaultSchema) throws SQLException {
    if (defaultSchema == null) {
      return compile(sql, true);
    }
    String schema = schemaName(defaultSchema)
        .orElseThrow(() -> new SQLException("unknown schema '" + defaultSchema + "'", "3F000"));
    String key = "-- schema " + schema + "\n" + sql; // another cache entry (memory and disk) per schema
    CompiledQuery q = cache.get(key);
    if (q == null) {
      CompiledQueryStore d = disk;
      q = d != null ? d.get(key).orElse(null) : null;
      if (q == null) {
        q = compileUncached(sql, Frameworks.newConfigBuilder(config)
            .defaultSchema(config.getDefaultSchema().getSubSchema(schema)).build());
        if (d != null) {
          d.put(key, q);
        }
      }
      if (cache.size() >= CACHE_LIMIT) {
        cache.clear();
      }
      cache.put(key, q);
    }
    return q;
  }

  /** The catalog's spelling of a schema name given in any case, if there is such a schema. */
  public java.util.Optional<String> schemaName(String name) {
    if (name == null) {
      return java.util.Optional.empty();
    }
    return config.getDefaultSchema().getSubSchemaNames().stream().filter(n -> n.equalsIgnoreCase(name))
        .findFirst();
  }

  /**
   * Compiles with Calcite even when a compilation is on disk (the catalog's warm-up: it is there to
   * derive view row types and warm the compiler), and keeps the result like {@link #compile}.
   */
  public CompiledQuery compileWithCalcite(String sql) throws SQLException {
    return compile(sql, false);
  }

  private CompiledQuery compile(String sql, boolean fromDisk) throws SQLException {
    CompiledQuery q = cache.get(sql);
    if (q == null) {
      CompiledQueryStore d = disk;
      q = d != null && fromDisk ? d.get(sql).orElse(null) : null;
      if (q == null) {
        q = compileUncached(sql);
        if (d != null) {
          d.put(sql, q);
        }
      }
      if (cache.size() >= CACHE_LIMIT) {
        cache.clear();
      }
      cache.put(sql, q);
    }
    return q;
  }

  /** Validates a view body and returns its row type (used to register views). */
  public RelDataType validateView(String sql) throws SQLException {
    CompileSession session = new CompileSession(config);
    try {
      SqlNode parsed = session.parseStatement(sql).accept(new BiSqlRewriter());
      SqlValidator validator = session.validator(session.catalogReader());
      return validator.getValidatedNodeType(validator.validate(parsed));
    } catch (SqlParseException e) {
      throw new SQLException(parseMessage(e), "42000", e);
    } catch (Exception e) {
      throw new SQLException(message(e), "42000", e);
    }
  }

  private CompiledQuery compileUncached(String sql) throws SQLException {
    return compileUncached(sql, config);
  }

  private CompiledQuery compileUncached(String sql, FrameworkConfig config) throws SQLException {
    CompileSession session = new CompileSession(config);
    try {
      SqlNode parsed = session.parseStatement(sql);
      if (!parsed.isA(SqlKind.QUERY) && parsed.getKind() != SqlKind.ORDER_BY) {
        throw new SQLException("only queries are supported (SELECT, WITH, VALUES): crmkpi connections are "
            + "read-only; load data through a source (see docs/sources/)", "25006");
      }
      SqlValidator validator = session.validator(session.catalogReader());
      SqlNode validated = validator.validate(parsed.accept(new BiSqlRewriter()));
      RelRoot root = session.rel(validator, validated);
      RelNode rel = root.project().accept(new StoreRexFixes(root.rel.getCluster().getRexBuilder()));
      SqlNode storeNode = new RelToSqlConverter(StoreSqlDialect.INSTANCE).visitRoot(rel).asStatement();
      SqlString storeSql = storeNode.toSqlString(c -> c.withDialect(StoreSqlDialect.INSTANCE)
          .withAlwaysUseParentheses(false).withQuoteAllIdentifiers(true));
      List<Integer> order = storeSql.getDynamicParameters() == null ? List.of()
          : List.copyOf(storeSql.getDynamicParameters());
      return new CompiledQuery(storeSql.getSql(), order,
          CompiledQuery.columns(root.validatedRowType, validator.getFieldOrigins(validated)),
          CompiledQuery.columns(validator.getParameterRowType(validated), null));
    } catch (SQLException e) {
      throw e;
    } catch (SqlParseException e) {
      throw new SQLException(parseMessage(e), "42000", e);
    } catch (Exception | AssertionError e) {
      throw new SQLException(message(e), "42000", e);
    }
  }

  private static String parseMessage(SqlParseException e) {
    String m = e.getMessage();
    int nl = m == null ? -1 : m.indexOf("\nWas expecting");
    return "SQL syntax error: " + (nl > 0 ? m.substring(0, nl) : m);
  }

  /** The innermost useful message (Calcite wraps validation errors several levels deep). */
  static String message(Throwable e) {
    Throwable t = e;
    String best = e.getMessage();
    while (t != null) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        best = t.getMessage();
      }
      t = t.getCause() == t ? null : t.getCause();
    }
    return best == null ? e.toString() : best;
  }
}
