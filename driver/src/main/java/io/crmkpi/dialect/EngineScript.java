package io.crmkpi.dialect;

import io.crmkpi.jdbc.catalog.StoreCatalog;
import io.crmkpi.metrics.MetricDefinition;
import io.crmkpi.metrics.MetricLibrary;
import io.crmkpi.metrics.MetricSettings;
import io.crmkpi.model.CanonicalModel;
import io.crmkpi.model.Column;
import io.crmkpi.model.ColumnType;
import io.crmkpi.model.Table;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.util.SqlShuttle;

/**
 * The SQL script {@code crmkpi sql-export} writes for one engine: a header stating the settings
 * baked into the views, DDL for the canonical tables (and {@code util.calendar}) over the lake
 * layout, and a {@code CREATE VIEW} for every {@code util.*} and {@code kpi.*} view, each compiled by
 * Calcite from the metric library into the engine's dialect. Each view is self-contained (the views
 * it reads are expanded into it), so views can be created, replaced or dropped in any order.
 */
public final class EngineScript {

  /**
   * Fact tables, partitioned by month in the lake ({@code <root>/<table>/part_month=YYYY-MM/}), with
   * the column the month comes from; the other tables are one folder of files.
   */
  public static final Map<String, String> PARTITIONED = partitioned();

  private static Map<String, String> partitioned() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("leads", "created_at");
    m.put("deals", "created_at");
    m.put("deal_snapshots", "valid_from");
    m.put("deal_stage_history", "changed_at");
    m.put("orders", "ordered_at");
    m.put("activities", "created_at");
    m.put("tickets", "created_at");
    m.put("survey_responses", "responded_at");
    m.put("marketing_spend", "spend_date");
    return java.util.Collections.unmodifiableMap(m);
  }

  /** {@code util.calendar}'s columns (the store creates it; the lake holds it as a table). */
  private static final List<Column> CALENDAR = List.of(
      new Column("calendar_day", ColumnType.DATE, ""), new Column("grain", ColumnType.VARCHAR, ""),
      new Column("variant_id", ColumnType.INTEGER, ""), new Column("period_start", ColumnType.DATE, ""),
      new Column("period_end", ColumnType.DATE, ""));

  private static final Set<String> SCHEMAS = Set.of(CanonicalModel.SCHEMA, "util", "kpi");

  private final String engine;
  private final Map<String, String> properties;
  private final String schemaPrefix;
  private final String location;

  /**
   * @param engine       spark, trino, postgresql or duckdb
   * @param properties   connection settings (time zone, week start, fiscal year, metrics folder…)
   * @param schemaPrefix put before each schema name: {@code hive.} names a catalog ({@code hive.crm}),
   *                     {@code acme_} makes {@code acme_crm}; empty for none
   * @param location     the lake root the tables read ({@code s3://bucket/crmkpi}, a folder)
   */
  public EngineScript(String engine, Map<String, String> properties, String schemaPrefix, String location) {
    EngineDialects.forName(engine); // fails early, naming the engines there are
    this.engine = engine.toLowerCase(Locale.ROOT);
    this.properties = Map.copyOf(properties);
    this.schemaPrefix = schemaPrefix == null ? "" : schemaPrefix;
    this.location = location == null || location.isBlank() ? "/data/crmkpi-lake"
        : location.replaceAll("/+$", "");
  }

  /** The whole script: header, tables, then every view. A view that does not compile is a SQLException naming it. */
  public String write() throws SQLException {
    MetricSettings settings = MetricSettings.from(properties);
    StringBuilder out = new StringBuilder();
    header(out, settings);
    out.append(tables());
    for (String view : views().values()) {
      out.append('\n').append(view);
    }
    return out.toString();
  }

  /**
   * The {@code CREATE VIEW} statement of every util.* then kpi.* view (library order), each with a
   * comment line, by qualified view name.
   */
  public Map<String, String> views() throws SQLException {
    MetricSettings settings = MetricSettings.from(properties);
    String metrics = properties.get("metrics");
    MetricLibrary library = MetricLibrary.load(metrics == null || metrics.isBlank() ? null
        : java.nio.file.Path.of(metrics));
    SqlDialect dialect = EngineDialects.forName(engine, settings.timezone());
    StoreCatalog catalog = new StoreCatalog(library, settings);
    Map<String, String> out = new LinkedHashMap<>();
    for (String schema : List.of("util", "kpi")) {
      for (MetricDefinition d : library.definitions()) {
        if (!d.schema().equals(schema)) {
          continue;
        }
        SqlNode node;
        try {
          node = catalog.compiler().compileForEngine("SELECT * FROM " + d.qualifiedName(), dialect);
        } catch (SQLException e) {
          throw new SQLException(d.origin() + ": " + d.qualifiedName() + " does not compile for " + engine + ": "
              + e.getMessage(), e.getSQLState(), e);
        }
        String sql = node.accept(renamer()).toSqlString(c -> c.withDialect(dialect)
            .withAlwaysUseParentheses(false).withQuoteAllIdentifiers(true)).getSql();
        out.put(d.qualifiedName(), "-- " + d.qualifiedName() + ": " + firstLine(d.description()) + "\n"
            + createView() + " " + name(dialect, d.schema(), d.name()) + " AS\n" + sql + ";\n");
      }
    }
    return out;
  }

  private static String firstLine(String s) {
    String t = s == null ? "" : s.strip();
    int nl = t.indexOf('\n');
    return nl < 0 ? t : t.substring(0, nl);
  }

  private String createView() {
    return "CREATE OR REPLACE VIEW";
  }

  private void header(StringBuilder out, MetricSettings settings) {
    out.append("-- crmkpi sql-export for ").append(engine).append(": the canonical tables over the lake at ")
        .append(location).append(",\n-- then every util.* and kpi.* view, compiled by Calcite into ").append(engine)
        .append("'s SQL.\n-- Settings baked into the views (re-export to change them):\n");
    for (io.crmkpi.settings.Setting<?> s : MetricSettings.SETTINGS) {
      settings.literal(s.key()).ifPresent(v -> out.append("--   ").append(s.key()).append(" = ").append(v)
          .append('\n'));
    }
    out.append("-- \"Today\" in the views is the current date in ").append(settings.timezone().getId())
        .append(", whatever the session's time zone.\n");
  }

  private String schema(String s) {
    return schemaPrefix.endsWith(".") ? s : schemaPrefix + s;
  }

  private List<String> names(String schema, String table) {
    List<String> n = new ArrayList<>();
    if (schemaPrefix.endsWith(".")) {
      n.addAll(List.of(schemaPrefix.substring(0, schemaPrefix.length() - 1).split("\\.")));
    }
    n.add(schema(schema));
    if (table != null) {
      n.add(table);
    }
    return n;
  }

  private String name(SqlDialect dialect, String schema, String table) {
    StringBuilder b = new StringBuilder();
    for (String n : names(schema, table)) {
      if (b.length() > 0) {
        b.append('.');
      }
      dialect.quoteIdentifier(b, n);
    }
    return b.toString();
  }

  /** Table references {@code crm.x}, {@code util.x}, {@code kpi.x} with the schema prefix. */
  private SqlShuttle renamer() {
    return new SqlShuttle() {
      @Override
      public SqlNode visit(SqlIdentifier id) {
        if (id.names.size() == 2 && SCHEMAS.contains(id.names.get(0)) && !schemaPrefix.isEmpty()) {
          return new SqlIdentifier(names(id.names.get(0), id.names.get(1)), id.getParserPosition());
        }
        return id;
      }
    };
  }

  /** The schemas and the canonical tables' DDL (and util.calendar's) over the lake. */
  public String tables() {
    StringBuilder out = new StringBuilder();
    SqlDialect d = EngineDialects.forName(engine);
    out.append('\n');
    for (String s : List.of(CanonicalModel.SCHEMA, "util", "kpi")) {
      out.append(switch (engine) {
        // no schema location: the tables are external, each with its own, and the views have none
        case "trino" -> "CREATE SCHEMA IF NOT EXISTS " + name(d, s, null);
        case "spark" -> "CREATE DATABASE IF NOT EXISTS " + name(d, s, null);
        default -> "CREATE SCHEMA IF NOT EXISTS " + name(d, s, null);
      }).append(";\n");
    }
    if (engine.equals("postgresql")) {
      out.append("CREATE SCHEMA IF NOT EXISTS util;\n").append(PostgresqlEngineDialect.ERROR_FUNCTION).append(";\n");
    }
    List<Table> tables = new ArrayList<>(CanonicalModel.tables());
    tables.add(new Table("calendar", "", List.of(), CALENDAR));
    for (Table t : tables) {
      String schema = t.name().equals("calendar") && t.columns() == CALENDAR ? "util" : CanonicalModel.SCHEMA;
      out.append('\n').append(table(d, schema, t));
    }
    return out.toString();
  }

  private String table(SqlDialect d, String schema, Table t) {
    String name = name(d, schema, t.name());
    // the lake's folder: the table's name, util.calendar's is util_calendar
    String folder = location + "/" + (schema.equals("util") ? "util_" : "") + t.name();
    boolean partitioned = PARTITIONED.containsKey(t.name());
    StringBuilder b = new StringBuilder();
    switch (engine) {
      case "spark" -> {
        // the columns as the files hold them
        b.append("DROP TABLE IF EXISTS ").append(name).append(";\n");
        b.append("CREATE TABLE ").append(name).append(" (\n");
        columns(b, d, t.columns(), this::sparkType);
        if (partitioned) {
          b.append(",\n  ");
          d.quoteIdentifier(b, "part_month");
          b.append(" STRING");
        }
        b.append("\n) USING parquet");
        if (partitioned) {
          b.append(" PARTITIONED BY (");
          d.quoteIdentifier(b, "part_month");
          b.append(")");
        }
        b.append(" LOCATION '").append(folder).append("';\n");
        if (partitioned) {
          // registers the month folders in the catalog (again after each export that adds a month)
          b.append("MSCK REPAIR TABLE ").append(name).append(";\n");
        }
      }
      case "trino" -> {
        b.append("CREATE TABLE IF NOT EXISTS ").append(name).append(" (\n");
        columns(b, d, t.columns(), this::trinoType);
        if (partitioned) {
          b.append(",\n  ");
          d.quoteIdentifier(b, "part_month");
          b.append(" VARCHAR");
        }
        b.append("\n) WITH (format = 'PARQUET', external_location = '").append(folder).append('\'');
        if (partitioned) {
          b.append(", partitioned_by = ARRAY['part_month']");
        }
        b.append(");\n");
        if (partitioned) {
          b.append("CALL system.sync_partition_metadata('").append(schema(schema)).append("', '").append(t.name())
              .append("', 'FULL');\n");
        }
      }
      case "postgresql" -> {
        b.append("CREATE TABLE IF NOT EXISTS ").append(name).append(" (\n");
        columns(b, d, t.columns(), PostgresqlEngineDialect::columnType);
        b.append("\n);\n-- load: psql -c \"\\copy ").append(name.replace("\"", "\\\"")).append(" FROM '")
            .append(t.name()).append(".csv' WITH (FORMAT csv, HEADER true)\"   (CSV from the Parquet in ")
            .append(folder).append(")\n");
      }
      default -> {
        b.append("CREATE OR REPLACE VIEW ").append(name).append(" AS SELECT ");
        for (int i = 0; i < t.columns().size(); i++) {
          b.append(i == 0 ? "" : ", ");
          d.quoteIdentifier(b, t.columns().get(i).name());
        }
        b.append(" FROM read_parquet('").append(folder).append("/**/*.parquet', hive_partitioning = true);\n");
      }
    }
    return b.toString();
  }

  private interface TypeName {
    String of(ColumnType t);
  }

  private static void columns(StringBuilder b, SqlDialect d, List<Column> cols, TypeName type) {
    for (int i = 0; i < cols.size(); i++) {
      b.append(i == 0 ? "  " : ",\n  ");
      d.quoteIdentifier(b, cols.get(i).name());
      b.append(' ').append(type.of(cols.get(i).type()));
    }
  }

  private String sparkType(ColumnType t) {
    return switch (t) {
      case VARCHAR, CURRENCY -> "STRING";
      case INTEGER -> "INT";
      case TIMESTAMP -> "TIMESTAMP_NTZ";
      default -> t.ddl();
    };
  }

  private String trinoType(ColumnType t) {
    return switch (t) {
      case CURRENCY -> "VARCHAR";
      case TIMESTAMP -> "TIMESTAMP(6)";
      default -> t.ddl();
    };
  }
}
