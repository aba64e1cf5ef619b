package io.crmkpi.dialect;

import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import org.apache.calcite.sql.SqlDialect;

/** The engine dialects by name: {@code spark}, {@code trino}, {@code postgresql}, {@code duckdb}. */
public final class EngineDialects {

  /** The engine names, in the order docs and errors list them. */
  public static final List<String> NAMES = List.of("spark", "trino", "postgresql", "duckdb");

  private EngineDialects() {
  }

  /** The dialect of an engine (any case), with the current date and time of UTC. */
  public static SqlDialect forName(String engine) {
    return forName(engine, ZoneId.of("UTC"));
  }

  /**
   * The dialect of an engine (any case) whose {@code CURRENT_DATE} and {@code CURRENT_TIMESTAMP} are
   * the wall clock of {@code zone}, whatever the engine session's time zone (the KPI views' "today").
   *
   * @throws IllegalArgumentException naming the engines there are, for an unknown name
   */
  public static SqlDialect forName(String engine, ZoneId zone) {
    String name = engine == null ? "" : engine.toLowerCase(Locale.ROOT).trim();
    return switch (name) {
      case "spark" -> new SparkEngineDialect(zone);
      case "trino" -> new TrinoEngineDialect(zone);
      case "postgresql", "postgres" -> new PostgresqlEngineDialect(zone);
      case "duckdb" -> new DuckDbEngineDialect(zone);
      default -> throw new IllegalArgumentException("unknown dialect '" + engine + "': use one of "
          + String.join(", ", NAMES));
    };
  }
}
