package io.crmkpi.dialect;

import java.time.ZoneId;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeSystem;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlIntervalLiteral;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.dialect.PostgresqlSqlDialect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * PostgreSQL: Calcite's PostgreSQL dialect, and unbounded {@code VARCHAR}, "today" in the views'
 * time zone, and the compiler's own functions in PostgreSQL's words.
 */
public final class PostgresqlEngineDialect extends PostgresqlSqlDialect {

  /**
   * What compiled views call for {@code ERROR('…')} (a zero divisor met in the data): PostgreSQL has no
   * such function. The PostgreSQL store creates it with each copy; sql-export's script creates it too.
   */
  public static final String ERROR_FUNCTION = "CREATE OR REPLACE FUNCTION util.crmkpi_error(message text) "
      + "RETURNS integer LANGUAGE plpgsql VOLATILE AS $$ BEGIN IF message = 'division by zero' THEN "
      + "RAISE EXCEPTION USING ERRCODE = '22012', MESSAGE = message; END IF; RAISE EXCEPTION '%', message; END $$";

  private final ZoneId zone;

  PostgresqlEngineDialect(ZoneId zone) {
    super(PostgresqlSqlDialect.DEFAULT_CONTEXT);
    this.zone = zone;
  }

  /** A canonical column type in PostgreSQL's words ({@code DOUBLE} is {@code DOUBLE PRECISION} there). */
  public static String columnType(io.crmkpi.model.ColumnType type) {
    return type == io.crmkpi.model.ColumnType.DOUBLE ? "DOUBLE PRECISION" : type.ddl();
  }

  @Override
  public @Nullable SqlNode getCastSpec(RelDataType type) {
    if (type.getSqlTypeName() == SqlTypeName.CHAR || type.getSqlTypeName() == SqlTypeName.VARCHAR) {
      return new SqlDataTypeSpec(new SqlBasicTypeNameSpec(SqlTypeName.VARCHAR, SqlParserPos.ZERO),
          SqlParserPos.ZERO);
    }
    if (type.getSqlTypeName() == SqlTypeName.TIMESTAMP || type.getSqlTypeName() == SqlTypeName.TIME) {
      // no precision: TIMESTAMP(0) rounds '10:00:00.5' to 10:00:01
      return new SqlDataTypeSpec(new SqlBasicTypeNameSpec(type.getSqlTypeName(), SqlParserPos.ZERO),
          SqlParserPos.ZERO);
    }
    return super.getCastSpec(type);
  }

  @Override
  public void quoteStringLiteral(StringBuilder buf, @Nullable String charsetName, String val) {
    EngineUnparse.quote(buf, val);
  }

  @Override
  public void unparseSqlIntervalQualifier(SqlWriter writer, SqlIntervalQualifier qualifier,
                                          RelDataTypeSystem typeSystem) {
    if (!EngineUnparse.unparsePlainQualifier(writer, qualifier)) {
      super.unparseSqlIntervalQualifier(writer, qualifier, typeSystem);
    }
  }

  @Override
  public void unparseSqlIntervalLiteral(SqlWriter writer, SqlIntervalLiteral literal, int leftPrec, int rightPrec) {
    super.unparseSqlIntervalLiteral(writer, EngineUnparse.inBaseUnit(literal), leftPrec, rightPrec);
  }

  @Override
  public void unparseCall(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
    if (call.getOperator() == SqlStdOperatorTable.CURRENT_DATE) {
      writer.print("CAST(" + wallClock() + " AS DATE)");
      return;
    }
    if (call.getOperator() == SqlStdOperatorTable.CURRENT_TIMESTAMP
        || call.getOperator() == SqlStdOperatorTable.LOCALTIMESTAMP) {
      writer.print(wallClock());
      return;
    }
    if (EngineUnparse.isDateFloor(call)) {
      writer.print("date_trunc('" + EngineUnparse.timeUnit(call.operand(1)).name().toLowerCase() + "', ");
      call.operand(0).unparse(writer, 0, 0);
      writer.print(")");
      return;
    }
    EngineUnparse.StoreFunction f = EngineUnparse.storeFunction(call);
    if (f != null) {
      unparseStoreFunction(writer, call, f);
      return;
    }
    super.unparseCall(writer, call, leftPrec, rightPrec);
  }

  private void unparseStoreFunction(SqlWriter writer, SqlCall call, EngineUnparse.StoreFunction f) {
    switch (f) {
      case DATESUB, DATE_DIFF -> unparseDateDifference(writer, call, f == EngineUnparse.StoreFunction.DATESUB);
      case INTEGER_DIVIDE -> {
        writer.print("(");
        call.operand(0).unparse(writer, 0, 0);
        writer.print(" / ");
        call.operand(1).unparse(writer, 0, 0);
        writer.print(")");
      }
      // PostgreSQL has no error function, and a constant (1 / 0) would fail every statement: PostgreSQL
      // folds constants while planning, in CASE branches never taken too. crmkpi's store creates this one
      // (PostgresReplication); sql-export's header says to create it.
      case ERROR -> {
        writer.print("util.crmkpi_error(");
        call.operand(0).unparse(writer, 0, 0);
        writer.print(")");
      }
      case EPOCH_MS -> {
        // floor: whole milliseconds as DuckDB's epoch_ms (a cast to BIGINT would round)
        writer.print("CAST(floor(extract(epoch FROM ");
        call.operand(0).unparse(writer, 0, 0);
        writer.print(") * 1000) AS BIGINT)");
      }
    }
  }

  /**
   * {@code DATESUB(unit, a, b)} (whole units elapsed, DuckDB's datesub) and {@code DATE_DIFF(unit, a, b)}
   * (unit boundaries crossed) in PostgreSQL terms, as a BIGINT.
   */
  private void unparseDateDifference(SqlWriter writer, SqlCall call, boolean elapsed) {
    String unit = EngineUnparse.unitOf(call).toLowerCase(java.util.Locale.ROOT);
    String a = call.operand(1).toSqlString(this).getSql();
    String b = call.operand(2).toSqlString(this).getSql();
    String ta = "CAST(" + a + " AS TIMESTAMP)";
    String tb = "CAST(" + b + " AS TIMESTAMP)";
    String seconds = "EXTRACT(EPOCH FROM " + tb + " - " + ta + ")";
    String months = "(EXTRACT(YEAR FROM age(" + tb + ", " + ta + ")) * 12 + EXTRACT(MONTH FROM age(" + tb + ", "
        + ta + ")))";
    String expr;
    if (elapsed) {
      expr = switch (unit) {
        case "microsecond" -> "trunc(" + seconds + " * 1000000)";
        case "millisecond" -> "trunc(" + seconds + " * 1000)";
        case "second" -> "trunc(" + seconds + ")";
        case "minute" -> "trunc(" + seconds + " / 60)";
        case "hour" -> "trunc(" + seconds + " / 3600)";
        case "day" -> "trunc(" + seconds + " / 86400)";
        case "week" -> "trunc(" + seconds + " / 604800)";
        case "month" -> months;
        case "quarter" -> "trunc(" + months + " / 3)";
        case "year" -> "trunc(" + months + " / 12)";
        case "decade" -> "trunc(" + months + " / 120)";
        case "century" -> "trunc(" + months + " / 1200)";
        default -> "trunc(" + months + " / 12000)";
      };
    } else {
      String ya = "EXTRACT(YEAR FROM " + ta + ")";
      String yb = "EXTRACT(YEAR FROM " + tb + ")";
      String ma = "(" + ya + " * 12 + EXTRACT(MONTH FROM " + ta + "))";
      String mb = "(" + yb + " * 12 + EXTRACT(MONTH FROM " + tb + "))";
      expr = switch (unit) {
        case "microsecond", "millisecond", "second", "minute", "hour", "day" -> {
          String u = unit;
          int factor = switch (unit) {
            case "microsecond" -> -1000000;
            case "millisecond" -> -1000;
            default -> 1;
          };
          String span = "EXTRACT(EPOCH FROM date_trunc('" + (factor < 0 ? "second" : u) + "', " + tb
              + ") - date_trunc('" + (factor < 0 ? "second" : u) + "', " + ta + "))";
          yield switch (unit) {
            case "microsecond" -> "trunc(" + seconds + " * 1000000)";
            case "millisecond" -> "trunc(EXTRACT(EPOCH FROM date_trunc('milliseconds', " + tb
                + ") - date_trunc('milliseconds', " + ta + ")) * 1000)";
            case "second" -> span;
            case "minute" -> span + " / 60";
            case "hour" -> span + " / 3600";
            default -> span + " / 86400";
          };
        }
        // DuckDB's week difference: day boundaries crossed, in whole weeks (toward zero)
        case "week" -> "((CAST(" + tb + " AS DATE) - CAST(" + ta + " AS DATE)) / 7)";
        case "month" -> "(" + mb + " - " + ma + ")";
        case "quarter" -> "(floor((" + mb + " - 1) / 3) - floor((" + ma + " - 1) / 3))";
        case "year" -> "(" + yb + " - " + ya + ")";
        case "decade" -> "(floor(" + yb + " / 10) - floor(" + ya + " / 10))";
        case "century" -> "(EXTRACT(CENTURY FROM " + tb + ") - EXTRACT(CENTURY FROM " + ta + "))";
        default -> "(EXTRACT(MILLENNIUM FROM " + tb + ") - EXTRACT(MILLENNIUM FROM " + ta + "))";
      };
    }
    writer.print("CAST(" + expr + " AS BIGINT)");
  }

  /** Now, as the wall clock of the views' zone (a timestamp without zone). */
  private String wallClock() {
    return "(now() AT TIME ZONE '" + zone.getId().replace("'", "") + "')";
  }
}
