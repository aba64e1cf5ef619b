package io.crmkpi.dialect;

import java.time.ZoneId;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeSystem;
import org.apache.calcite.sql.SqlAbstractDateTimeLiteral;
import org.apache.calcite.sql.SqlAlienSystemTypeNameSpec;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlIntervalLiteral;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlTimestampLiteral;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.dialect.SparkSqlDialect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Apache Spark SQL (3.4+, 4.x; Databricks): Calcite's Spark dialect, and timestamps without a time
 * zone ({@code TIMESTAMP_NTZ}, the store's wall-clock timestamps), strings as {@code STRING},
 * "today" in the views' time zone, and the compiler's own functions in Spark's words.
 */
public final class SparkEngineDialect extends SparkSqlDialect {

  private final ZoneId zone;

  SparkEngineDialect(ZoneId zone) {
    super(SparkSqlDialect.DEFAULT_CONTEXT);
    this.zone = zone;
  }

  @Override
  public @Nullable SqlNode getCastSpec(RelDataType type) {
    String name = switch (type.getSqlTypeName()) {
      case CHAR, VARCHAR -> "STRING";
      // Spark's TIMESTAMP is an instant shown in the session's zone; the store's are wall clock
      case TIMESTAMP -> "TIMESTAMP_NTZ";
      case INTEGER -> "INT";
      default -> null;
    };
    if (name != null) {
      return new SqlDataTypeSpec(new SqlAlienSystemTypeNameSpec(name, type.getSqlTypeName(), SqlParserPos.ZERO),
          SqlParserPos.ZERO);
    }
    return super.getCastSpec(type);
  }

  @Override
  public void quoteStringLiteral(StringBuilder buf, @Nullable String charsetName, String val) {
    // Spark reads backslash escapes in '…' ('\n' is a new line): a literal backslash is doubled
    EngineUnparse.quote(buf, val.replace("\\", "\\\\"));
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

  /**
   * {@code TIMESTAMP_NTZ '…'}: Spark reads {@code TIMESTAMP '…'} as an instant in the session's zone,
   * which shifts the wall clock when the session's zone differs from the JVM's or a reader's.
   */
  @Override
  public void unparseDateTimeLiteral(SqlWriter writer, SqlAbstractDateTimeLiteral literal, int leftPrec,
                                     int rightPrec) {
    if (literal instanceof SqlTimestampLiteral) {
      writer.literal("TIMESTAMP_NTZ '" + literal.toFormattedString() + "'");
      return;
    }
    super.unparseDateTimeLiteral(writer, literal, leftPrec, rightPrec);
  }

  @Override
  public void unparseCall(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
    if (call.getOperator() == SqlStdOperatorTable.CURRENT_DATE) {
      writer.print("to_date(" + wallClock() + ")");
      return;
    }
    if (call.getOperator() == SqlStdOperatorTable.CURRENT_TIMESTAMP
        || call.getOperator() == SqlStdOperatorTable.LOCALTIMESTAMP) {
      writer.print("CAST(" + wallClock() + " AS TIMESTAMP_NTZ)");
      return;
    }
    if (EngineUnparse.isDateFloor(call)) {
      // date_trunc knows every unit (Calcite's Spark dialect refuses some); Spark answers a TIMESTAMP
      writer.print("date_trunc('" + EngineUnparse.timeUnit(call.operand(1)).name() + "', ");
      call.operand(0).unparse(writer, 0, 0);
      writer.print(")");
      return;
    }
    if (EngineUnparse.isDayOfWeek(call)) {
      // Spark's dayofweek counts Sunday 1 .. Saturday 7; the compiler expects PostgreSQL's 0 .. 6
      writer.print("(dayofweek(");
      call.operand(1).unparse(writer, 0, 0);
      writer.print(") - 1)");
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
      case DATESUB -> {
        // whole units elapsed, as DuckDB's datesub
        writer.print("timestampdiff(" + EngineUnparse.unitOf(call) + ", ");
        call.operand(1).unparse(writer, 0, 0);
        writer.print(", ");
        call.operand(2).unparse(writer, 0, 0);
        writer.print(")");
      }
      case DATE_DIFF -> {
        // unit boundaries crossed: whole units between the truncated ends
        String unit = EngineUnparse.unitOf(call);
        writer.print("timestampdiff(" + unit + ", date_trunc('" + unit + "', ");
        call.operand(1).unparse(writer, 0, 0);
        writer.print("), date_trunc('" + unit + "', ");
        call.operand(2).unparse(writer, 0, 0);
        writer.print("))");
      }
      case INTEGER_DIVIDE -> {
        writer.print("(");
        call.operand(0).unparse(writer, 0, 0);
        writer.print(" DIV ");
        call.operand(1).unparse(writer, 0, 0);
        writer.print(")");
      }
      case ERROR -> {
        StringBuilder b = new StringBuilder("raise_error(");
        quoteStringLiteral(b, null, EngineUnparse.messageOf(call));
        writer.print(b.append(")").toString());
      }
      case EPOCH_MS -> {
        writer.print("timestampdiff(MILLISECOND, TIMESTAMP_NTZ '1970-01-01 00:00:00', ");
        call.operand(0).unparse(writer, 0, 0);
        writer.print(")");
      }
    }
  }

  /**
   * Now as a Spark TIMESTAMP whose wall clock in the session's zone is the wall clock in the views'
   * zone, whatever the session's zone is.
   */
  private String wallClock() {
    return "from_utc_timestamp(to_utc_timestamp(current_timestamp(), current_timezone()), '" + zone.getId()
        .replace("'", "") + "')";
  }
}
