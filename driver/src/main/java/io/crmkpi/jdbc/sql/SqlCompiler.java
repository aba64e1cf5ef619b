package io.crmkpi.jdbc.sql;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Properties;
import java.util.Set;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlExplain;
import org.apache.calcite.sql.SqlNodeList;
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
import org.apache.calcite.sql.parser.babel.SqlBabelParserImpl;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.tools.FrameworkConfig;
import org.apache.calcite.tools.Frameworks;

/**
 * Calcite compiles, the store executes: parses a statement (lex MYSQL_ANSI, Babel grammar, LENIENT
 * conformance, after {@link SqlTextFixes}),
 * rewrites BI dialect functions, validates it against the catalog, expands {@code kpi} views,
 * and unparses the whole logical plan into ONE statement of the store's dialect (no optimiser: see
 * {@link CompileSession}).
 * Results are cached by SQL text (BI tools resend identical SQL on every refresh).
 */
public final class SqlCompiler {

  private static final int CACHE_LIMIT = 2000;
  /**
   * Deepest parse tree accepted. Beyond it Calcite's recursive parser and converter, and DuckDB's
   * native one (which runs on the caller's stack and dies with a segmentation fault), run out of
   * stack; deep trees are machine-made, never a person's query or a KPI view.
   */
  static final int MAX_DEPTH = 200;
  /** First words of statements that change data or the session's store: refused before parsing. */
  private static final Set<String> WRITES = Set.of("INSERT", "UPDATE", "DELETE", "MERGE", "UPSERT", "REPLACE",
      "CREATE", "DROP", "ALTER", "TRUNCATE", "RENAME", "GRANT", "REVOKE", "COPY", "ATTACH", "DETACH", "INSTALL",
      "LOAD", "IMPORT", "EXPORT", "PRAGMA", "VACUUM", "CHECKPOINT", "CALL", "COMMENT", "SET", "RESET", "USE",
      "BEGIN", "COMMIT", "ROLLBACK", "START", "ABORT");
  private static final SqlOperatorTable OPERATORS = SqlOperatorTables.chain(
      SqlLibraryOperatorTableFactory.INSTANCE.getOperatorTable(SqlLibrary.STANDARD, SqlLibrary.POSTGRESQL),
      SqlOperatorTables.of(StoreFunctions.ALL));

  private final FrameworkConfig config;
  private final int weekStart;
  /** The store's SQL dialect: statements are unparsed for it (DuckDB, or PostgreSQL for a remote store). */
  private final org.apache.calcite.sql.SqlDialect dialect;
  private final Map<String, CompiledQuery> cache = new ConcurrentHashMap<>();
  private volatile CompiledQueryStore disk;

  public SqlCompiler(SchemaPlus rootSchema) {
    this(rootSchema, 1);
  }

  /**
   * @param weekStart the first day of a week for {@code DATE_TRUNC('week', …)}: 1 = Monday .. 7 = Sunday
   *                  (the {@code week_start} setting)
   */
  public SqlCompiler(SchemaPlus rootSchema, int weekStart) {
    this(rootSchema, weekStart, StoreSqlDialect.INSTANCE);
  }

  /** As {@link #SqlCompiler(SchemaPlus, int)}, unparsing for {@code dialect} (the store's). */
  public SqlCompiler(SchemaPlus rootSchema, int weekStart, org.apache.calcite.sql.SqlDialect dialect) {
    this.dialect = dialect;
    if (weekStart < 1 || weekStart > 7) {
      throw new IllegalArgumentException("week_start must be 1 (Monday) .. 7 (Sunday), got " + weekStart);
    }
    this.weekStart = weekStart;
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

  /** The parser settings for view SQL (Calcite's own grammar; the views are written in it). */
  public static SqlParser.Config parserConfig() {
    return SqlParser.config().withLex(Lex.MYSQL_ANSI).withConformance(SqlConformanceEnum.LENIENT);
  }

  /**
   * The parser settings for user SQL: the same, read by Calcite's Babel grammar, which also takes
   * the PostgreSQL idioms analysts type ({@code ::}, {@code month}/{@code year}/{@code value} as
   * column names). It costs ≈ 1.5 ms more per statement parsed (measured: 2.0 vs 0.55 ms warm), so
   * views, parsed again for every statement that reads them, keep the plain grammar; compiled
   * statements are cached, so a repeated statement pays neither.
   */
  public static SqlParser.Config userParserConfig() {
    return parserConfig().withParserFactory(SqlBabelParserImpl.FACTORY);
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
      SqlNode parsed = session.parseStatement(sql, config.getParserConfig()).accept(new BiSqlRewriter(weekStart));
      SqlValidator validator = session.validator(session.catalogReader());
      return validator.getValidatedNodeType(validator.validate(parsed));
    } catch (SqlParseException e) {
      throw new SQLException(parseMessage(e), "42000", e);
    } catch (StackOverflowError e) {
      throw tooDeep();
    } catch (Exception e) {
      throw new SQLException(message(e), "42000", e);
    }
  }

  private CompiledQuery compileUncached(String sql) throws SQLException {
    return compileUncached(sql, config);
  }

  private CompiledQuery compileUncached(String sql, FrameworkConfig config) throws SQLException {
    try {
      return compileStatement(sql, config);
    } catch (StackOverflowError e) {
      throw tooDeep();
    }
  }

  private CompiledQuery compileStatement(String sql, FrameworkConfig config) throws SQLException {
    SqlTextFixes text = SqlTextFixes.of(sql);
    String word = text.firstWord();
    if (WRITES.contains(word)) {
      throw new SQLException("crmkpi is read-only: " + word + " is not supported (only SELECT, WITH, VALUES "
          + "and EXPLAIN); data comes from the connection's source (see docs/sources/)", "25006");
    }
    if (text.hasInnerSemicolon()) {
      throw new SQLException("SQL syntax error: one statement at a time (a ';' separates two statements)",
          "42000");
    }
    CompileSession session = new CompileSession(config);
    String fixed = text.fixed();
    try {
      SqlNode parsed = session.parseStatement(fixed, userParserConfig());
      if (parsed instanceof SqlExplain explain) {
        return explain(session, explain);
      }
      if (!parsed.isA(SqlKind.QUERY) && parsed.getKind() != SqlKind.ORDER_BY) {
        throw new SQLException("crmkpi is read-only: " + parsed.getKind() + " is not supported (only SELECT, "
            + "WITH, VALUES and EXPLAIN); data comes from the connection's source (see docs/sources/)", "25006");
      }
      return compileQuery(session, parsed).query();
    } catch (SQLException e) {
      throw e;
    } catch (StoreRexFixes.DivisionByZero e) {
      throw new SQLException("division by zero", "22012");
    } catch (SqlParseException e) {
      if (causedByStackOverflow(e)) {
        throw tooDeep();
      }
      throw new SQLException(userPosition(parseMessage(e), e, text, fixed), "42000", e);
    } catch (Exception | AssertionError e) {
      throw new SQLException(message(e), "42000", e);
    }
  }

  /** A compiled query with the logical plan it was unparsed from (EXPLAIN shows both). */
  private record Compiled(CompiledQuery query, RelNode plan) {
  }

  /**
   * Compiles a query into another engine's SQL ({@code crmkpi sql-export}): the same parse,
   * validation, view expansion and plan fixes as a statement for the store, unparsed by
   * {@code dialect}. Returns the statement's tree, which the caller may rename before it unparses it
   * with the same dialect. Not cached.
   */
  public SqlNode compileForEngine(String sql, org.apache.calcite.sql.SqlDialect dialect) throws SQLException {
    CompileSession session = new CompileSession(config);
    try {
      SqlNode parsed = session.parseStatement(sql, config.getParserConfig());
      SqlValidator validator = session.validator(session.catalogReader());
      SqlNode validated = validator.validate(parsed.accept(new BiSqlRewriter(weekStart)));
      RelRoot root = session.rel(validator, validated);
      RelNode rel = root.project().accept(new StoreRexFixes(root.rel.getCluster().getRexBuilder()));
      return new RelToSqlConverter(dialect).visitRoot(rel).asStatement();
    } catch (SqlParseException e) {
      throw new SQLException(parseMessage(e), "42000", e);
    } catch (StackOverflowError e) {
      throw tooDeep();
    } catch (Exception | AssertionError e) {
      throw new SQLException(message(e), "42000", e);
    }
  }

  private Compiled compileQuery(CompileSession session, SqlNode parsed) throws SQLException {
    int depth = depth(parsed);
    if (depth > MAX_DEPTH) {
      throw tooDeep();
    }
    SqlValidator validator = session.validator(session.catalogReader());
    SqlNode validated = validator.validate(parsed.accept(new BiSqlRewriter(weekStart)));
    RelRoot root = session.rel(validator, validated);
    RelNode rel = root.project().accept(new StoreRexFixes(root.rel.getCluster().getRexBuilder()));
    SqlNode storeNode = (dialect == StoreSqlDialect.INSTANCE ? new RelToSqlConverter(dialect)
        : new TypedNullsRelToSql(dialect)).visitRoot(rel).asStatement();
    SqlString storeSql = storeNode.toSqlString(c -> c.withDialect(dialect)
        .withAlwaysUseParentheses(false).withQuoteAllIdentifiers(true));
    List<Integer> order = storeSql.getDynamicParameters() == null ? List.of()
        : List.copyOf(storeSql.getDynamicParameters());
    return new Compiled(new CompiledQuery(storeSql.getSql(), order,
        CompiledQuery.columns(root.validatedRowType, validator.getFieldOrigins(validated)),
        CompiledQuery.columns(validator.getParameterRowType(validated), null)), rel);
  }

  /**
   * EXPLAIN [PLAN FOR] q: one row per line, crmkpi's logical plan and then the statement the store
   * runs (answered by a VALUES statement, so it travels the same path as any query).
   */
  private CompiledQuery explain(CompileSession session, SqlExplain explain) throws SQLException {
    Compiled c = compileQuery(session, explain.getExplicandum());
    List<String> lines = new ArrayList<>();
    lines.add("crmkpi plan (Calcite, logical):");
    RelOptUtil.toString(c.plan()).lines().forEach(l -> lines.add("  " + l));
    lines.add("store statement (" + (dialect == StoreSqlDialect.INSTANCE ? "DuckDB" : "PostgreSQL") + "):");
    c.query().storeSql().lines().forEach(l -> lines.add("  " + l));
    StringBuilder values = new StringBuilder("SELECT * FROM (VALUES ");
    for (int i = 0; i < lines.size(); i++) {
      values.append(i == 0 ? "" : ", ").append('(');
      dialect.quoteStringLiteral(values, null, lines.get(i));
      values.append(')');
    }
    values.append(") AS \"t\"(\"PLAN\")");
    return new CompiledQuery(values.toString(), List.of(),
        List.of(new CompiledQuery.Column("PLAN", "VARCHAR", java.sql.Types.VARCHAR, -1, -1, false, "", "", "")),
        List.of());
  }

  /** The depth of a parse tree (a call is one level deeper than its deepest operand). */
  static int depth(SqlNode node) {
    if (node instanceof SqlNodeList list) {
      int d = 0;
      for (SqlNode n : list) {
        d = Math.max(d, n == null ? 0 : depth(n));
      }
      return d;
    }
    if (node instanceof SqlCall call) {
      int d = 0;
      for (SqlNode n : call.getOperandList()) {
        d = Math.max(d, n == null ? 0 : depth(n));
      }
      return d + 1;
    }
    return 1;
  }

  private static boolean causedByStackOverflow(Throwable e) {
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof StackOverflowError) {
        return true;
      }
    }
    return false;
  }

  private static SQLException tooDeep() {
    return new SQLException("the statement is nested too deeply (more than " + MAX_DEPTH + " levels of "
        + "parentheses, operators or sub-queries): write it flatter, e.g. IN (...) instead of a chain of OR",
        "54001");
  }

  /** A syntax error's column in the user's text (text fixes may have shifted it). */
  private static String userPosition(String message, SqlParseException e, SqlTextFixes text, String fixed) {
    if (e.getPos() == null || e.getPos().getLineNum() <= 0) {
      return message;
    }
    int line = e.getPos().getLineNum();
    int column = e.getPos().getColumnNum();
    int user = text.originalColumn(fixed, line, column);
    return user == column ? message : message.replace("at line " + line + ", column " + column + ".",
        "at line " + line + ", column " + user + ".");
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
