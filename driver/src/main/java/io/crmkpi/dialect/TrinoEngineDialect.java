package io.crmkpi.dialect;

import java.time.ZoneId;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeSystem;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlIntervalLiteral;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.dialect.TrinoSqlDialect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Trino (and Starburst, Athena v3): Calcite's Trino dialect, and unbounded {@code VARCHAR},
 * timestamps in microseconds ({@code TIMESTAMP(6)}, as the Parquet files hold them), "today" in the
 * views' time zone, and the compiler's own functions in Trino's words.
 */
public final class TrinoEngineDialect extends TrinoSqlDialect {

  private final ZoneId zone;

  TrinoEngineDialect(ZoneId zone) {
    super(TrinoSqlDialect.DEFAULT_CONTEXT);
    this.zone = zone;
  }

  @Override
  public @Nullable SqlNode getCastSpec(RelDataType type) {
    if (type.getSqlTypeName() == SqlTypeName.CHAR || type.getSqlTypeName() == SqlTypeName.VARCHAR) {
      // CHAR(n) pads and compares padded in Trino; the store's strings have no length
      return new SqlDataTypeSpec(new SqlBasicTypeNameSpec(SqlTypeName.VARCHAR, SqlParserPos.ZERO),
          SqlParserPos.ZERO);
    }
    if (type.getSqlTypeName() == SqlTypeName.TIMESTAMP) {
      return new SqlDataTypeSpec(new SqlBasicTypeNameSpec(SqlTypeName.TIMESTAMP, 6, SqlParserPos.ZERO),
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
      writer.print("CAST(" + wallClock() + " AS TIMESTAMP(6))");
      return;
    }
    if (EngineUnparse.isDateFloor(call)) {
      writer.print("date_trunc('" + EngineUnparse.timeUnit(call.operand(1)).name().toLowerCase() + "', ");
      call.operand(0).unparse(writer, 0, 0);
      writer.print(")");
      return;
    }
    if (EngineUnparse.isDayOfWeek(call)) {
      // Trino's day_of_week is ISO (Monday 1 .. Sunday 7); the compiler expects PostgreSQL's Sunday 0 .. 6
      writer.print("(day_of_week(");
      call.operand(1).unparse(writer, 0, 0);
      writer.print(") % 7)");
      return;
    }
    EngineUnparse.StoreFunction f = EngineUnparse.storeFunction(call);
    if (f != null) {
      unparseStoreFunction(writer, call, f);
      return;
    }
    if (call.getKind() == SqlKind.WITHIN_GROUP && call.operand(0) instanceof SqlCall agg
        && agg.getKind() == SqlKind.PERCENTILE_CONT && call.operand(1) instanceof SqlNodeList order
        && order.size() == 1 && !(order.get(0) instanceof SqlCall desc && desc.getKind() == SqlKind.DESCENDING)) {
      unparsePercentileCont(writer, agg.operand(0), order.get(0));
      return;
    }
    super.unparseCall(writer, call, leftPrec, rightPrec);
  }

  /**
   * PERCENTILE_CONT(p) WITHIN GROUP (ORDER BY x), which Trino lacks (its approx_percentile is an
   * estimate): the linear interpolation the SQL standard defines, between the sorted non-null values
   * at 1-based positions floor(1 + p (n - 1)) and the next.
   */
  private void unparsePercentileCont(SqlWriter writer, SqlNode p, SqlNode x) {
    String values = "array_sort(filter(array_agg(" + text(x) + "), v -> v IS NOT NULL))";
    String pos = "(1 + " + text(p) + " * (cardinality(" + values + ") - 1))";
    String lo = "CAST(floor(" + pos + ") AS BIGINT)";
    String hi = "least(" + lo + " + 1, cardinality(" + values + "))";
    writer.print("(CASE WHEN cardinality(" + values + ") = 0 THEN NULL ELSE element_at(" + values + ", " + lo
        + ") + (" + pos + " - " + lo + ") * (element_at(" + values + ", " + hi + ") - element_at(" + values + ", "
        + lo + ")) END)");
  }

  private String text(SqlNode n) {
    return n.toSqlString(c -> c.withDialect(this).withAlwaysUseParentheses(true).withQuoteAllIdentifiers(true))
        .getSql().replace('\n', ' ');
  }

  private void unparseStoreFunction(SqlWriter writer, SqlCall call, EngineUnparse.StoreFunction f) {
    switch (f) {
      case DATESUB -> {
        // Trino's date_diff counts whole units elapsed, as DuckDB's datesub
        writer.print("date_diff('" + EngineUnparse.unitOf(call).toLowerCase() + "', ");
        call.operand(1).unparse(writer, 0, 0);
        writer.print(", ");
        call.operand(2).unparse(writer, 0, 0);
        writer.print(")");
      }
      case DATE_DIFF -> {
        String unit = EngineUnparse.unitOf(call).toLowerCase();
        writer.print("date_diff('" + unit + "', date_trunc('" + unit + "', ");
        call.operand(1).unparse(writer, 0, 0);
        writer.print("), date_trunc('" + unit + "', ");
        call.operand(2).unparse(writer, 0, 0);
        writer.print("))");
      }
      case INTEGER_DIVIDE -> {
        // integers divide as integers in Trino
        writer.print("(");
        call.operand(0).unparse(writer, 0, 0);
        writer.print(" / ");
        call.operand(1).unparse(writer, 0, 0);
        writer.print(")");
      }
      case ERROR -> {
        StringBuilder b = new StringBuilder("fail(");
        quoteStringLiteral(b, null, EngineUnparse.messageOf(call));
        writer.print(b.append(")").toString());
      }
      case EPOCH_MS -> {
        writer.print("date_diff('millisecond', TIMESTAMP '1970-01-01 00:00:00', ");
        call.operand(0).unparse(writer, 0, 0);
        writer.print(")");
      }
    }
  }

  /** Now, as the wall clock of the views' zone (a timestamp with that zone). */
  private String wallClock() {
    return "(current_timestamp AT TIME ZONE '" + zone.getId().replace("'", "") + "')";
  }
}
