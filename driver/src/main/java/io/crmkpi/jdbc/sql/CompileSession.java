package io.crmkpi.jdbc.sql;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.calcite.config.CalciteConnectionConfig;
import org.apache.calcite.config.CalciteConnectionConfigImpl;
import org.apache.calcite.config.CalciteConnectionProperty;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.plan.ConventionTraitDef;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelTraitDef;
import org.apache.calcite.plan.volcano.VolcanoPlanner;
import org.apache.calcite.config.CalciteSystemProperty;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.prepare.CalciteSqlValidator;
import org.apache.calcite.rel.RelCollationTraitDef;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.metadata.DefaultRelMetadataProvider;
import org.apache.calcite.rel.metadata.MetadataHandlerProvider;
import org.apache.calcite.rel.metadata.ProxyingMetadataHandlerProvider;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql2rel.RelDecorrelator;
import org.apache.calcite.sql2rel.SqlToRelConverter;
import org.apache.calcite.sql2rel.TopDownGeneralDecorrelator;
import org.apache.calcite.tools.FrameworkConfig;
import org.apache.calcite.tools.RelBuilder;

/**
 * The Calcite objects of one compilation: what {@code Frameworks.getPlanner(config)} sets up for
 * parse, validate and SQL-to-rel (Calcite's {@code PlannerImpl}, same steps, same configuration),
 * minus what only cost-based optimisation needs. We never optimise (the store plans), so:
 * <ul>
 *   <li>no planner rules: {@code PlannerImpl} registers ~100 default rules into a new
 *       VolcanoPlanner for every statement and every view it expands;</li>
 *   <li>metadata (SqlToRelConverter asks for collations and uniqueness) through reflective
 *       handlers instead of classes Janino generates and compiles: seconds in a cold JVM.</li>
 * </ul>
 * It is also the view expander: a view reference is parsed, validated and converted in place.
 * (Sharing expanded plans between statements was tried: a plan's nodes keep their cluster's
 * metadata query, which is not thread-safe, so a second thread got CyclicMetadataException.)
 */
final class CompileSession implements RelOptTable.ViewExpander {

  /** Calcite's default metadata handlers, dispatched reflectively (nothing to compile). */
  private static final MetadataHandlerProvider METADATA =
      new ProxyingMetadataHandlerProvider(DefaultRelMetadataProvider.INSTANCE);

  private final FrameworkConfig config;
  private final CalciteConnectionConfig connectionConfig;
  private final JavaTypeFactoryImpl typeFactory;
  private final RelOptPlanner planner;

  CompileSession(FrameworkConfig config) {
    this.config = config;
    this.connectionConfig = connectionConfig(config);
    this.typeFactory = new JavaTypeFactoryImpl(config.getTypeSystem()) {
      /** Text in any language: Calcite's default is ISO-8859-1, the store's strings are UTF-8. */
      @Override
      public Charset getDefaultCharset() {
        return StandardCharsets.UTF_8;
      }
    };
    VolcanoPlanner p = new VolcanoPlanner(config.getCostFactory(), config.getContext());
    p.setExecutor(config.getExecutor());
    if (config.getTraitDefs() == null) {
      p.addRelTraitDef(ConventionTraitDef.INSTANCE);
      if (CalciteSystemProperty.ENABLE_COLLATION_TRAIT.value()) {
        p.addRelTraitDef(RelCollationTraitDef.INSTANCE);
      }
    } else {
      for (RelTraitDef<?> def : config.getTraitDefs()) {
        p.addRelTraitDef(def);
      }
    }
    this.planner = p;
  }

  /**
   * The connection settings PlannerImpl derives from the context: unset case sensitivity and
   * conformance come from the parser config.
   */
  static CalciteConnectionConfig connectionConfig(FrameworkConfig config) {
    CalciteConnectionConfigImpl c = config.getContext().maybeUnwrap(CalciteConnectionConfigImpl.class)
        .orElse((CalciteConnectionConfigImpl) CalciteConnectionConfig.DEFAULT);
    if (!c.isSet(CalciteConnectionProperty.CASE_SENSITIVE)) {
      c = c.set(CalciteConnectionProperty.CASE_SENSITIVE, String.valueOf(config.getParserConfig().caseSensitive()));
    }
    if (!c.isSet(CalciteConnectionProperty.CONFORMANCE)) {
      c = c.set(CalciteConnectionProperty.CONFORMANCE, String.valueOf(config.getParserConfig().conformance()));
    }
    return c;
  }

  SqlNode parseStatement(String sql, SqlParser.Config parserConfig) throws SqlParseException {
    return SqlParser.create(sql, parserConfig).parseStmt();
  }

  CalciteCatalogReader catalogReader() {
    SchemaPlus defaultSchema = config.getDefaultSchema();
    SchemaPlus root = defaultSchema;
    while (root.getParentSchema() != null) {
      root = root.getParentSchema();
    }
    return new CalciteCatalogReader(CalciteSchema.from(root), CalciteSchema.from(defaultSchema).path(null),
        typeFactory, connectionConfig);
  }

  SqlValidator validator(CalciteCatalogReader catalogReader) {
    return new CalciteSqlValidator(SqlOperatorTables.chain(config.getOperatorTable(), catalogReader),
        catalogReader, typeFactory, config.getSqlValidatorConfig()
            .withDefaultNullCollation(connectionConfig.defaultNullCollation())
            .withLenientOperatorLookup(connectionConfig.lenientOperatorLookup())
            .withConformance(BiConformance.INSTANCE) // not the context's: connectionConfig() rebuilt it as LENIENT
            .withIdentifierExpansion(true));
  }

  /** The logical plan of a validated query (as PlannerImpl.rel). */
  RelRoot rel(SqlValidator validator, SqlNode validated) {
    return convert(validator, catalogReader(), validated, false, true);
  }

  @Override
  public RelRoot expandView(RelDataType rowType, String queryString, List<String> schemaPath,
                            List<String> viewPath) {
    SqlNode node;
    try {
      node = SqlParser.create(queryString, config.getParserConfig()).parseQuery();
    } catch (SqlParseException e) {
      throw new RuntimeException("parse failed", e);
    }
    CalciteCatalogReader reader = catalogReader().withSchemaPath(schemaPath);
    return convert(validator(reader), reader, node, true, false);
  }

  private RelRoot convert(SqlValidator validator, CalciteCatalogReader reader, SqlNode node, boolean needsValidation,
                          boolean top) {
    RelOptCluster cluster = RelOptCluster.create(planner, new RexBuilder(typeFactory));
    cluster.setMetadataQuerySupplier(() -> new RelMetadataQuery(METADATA));
    // IN (<literals>) of any length stays one IN: past the default threshold (20) Calcite joins a
    // VALUES table, unparsed as a UNION ALL chain whose depth overflows DuckDB's native stack
    SqlToRelConverter.Config c = config.getSqlToRelConverterConfig().withTrimUnusedFields(false)
        .withInSubQueryThreshold(Integer.MAX_VALUE)
        .withTopDownGeneralDecorrelationEnabled(connectionConfig.topDownGeneralDecorrelationEnabled());
    SqlToRelConverter converter = new SqlToRelConverter(this, validator, reader, cluster,
        config.getConvertletTable(), c);
    RelRoot root = converter.convertQuery(node, needsValidation, top);
    root = root.withRel(converter.flattenTypes(root.rel, true));
    RelBuilder relBuilder = c.getRelBuilderFactory().create(cluster, null);
    return root.withRel(c.isTopDownGeneralDecorrelationEnabled()
        ? TopDownGeneralDecorrelator.decorrelateQuery(root.rel, relBuilder)
        : RelDecorrelator.decorrelateQuery(root.rel, relBuilder));
  }
}
