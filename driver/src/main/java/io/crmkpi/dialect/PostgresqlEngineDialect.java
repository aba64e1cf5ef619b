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

  private final ZoneId zone;

  PostgresqlEngineDialect(ZoneId zone) {
    super(PostgresqlSqlDialect.DEFAULT_CONTEXT);
    this.zone = zone;
  }

  @Override
  public @Nullable SqlNode getCastSpec(RelDataType type) {
    if (type.getSqlTypeName() == SqlTypeName.CHAR || type.getSqlTypeName() == SqlTypeName.VARCHAR) {
      return new SqlDataTypeSpec(new SqlBasicTypeNameSpec(SqlTypeName.VARCHAR, SqlParserPos.ZERO),
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
      case DATESUB, DATE_DIFF -> {
        // days only so far: whole days between the dates (both functions agree on days of DATEs)
        writer.print("(CAST(");
        call.operand(2).unparse(writer, 0, 0);
        writer.print(" AS DATE) - CAST(");
        call.operand(1).unparse(writer, 0, 0);
        writer.print(" AS DATE))");
      }
      case INTEGER_DIVIDE -> {
        writer.print("(");
        call.operand(0).unparse(writer, 0, 0);
        writer.print(" / ");
        call.operand(1).unparse(writer, 0, 0);
        writer.print(")");
      }
      // PostgreSQL has no error function; 1/0 fails with its own "division by zero"
      case ERROR -> writer.print("(1 / 0)");
      case EPOCH_MS -> {
        writer.print("CAST(extract(epoch FROM ");
        call.operand(0).unparse(writer, 0, 0);
        writer.print(") * 1000 AS BIGINT)");
      }
    }
  }

  /** Now, as the wall clock of the views' zone (a timestamp without zone). */
  private String wallClock() {
    return "(now() AT TIME ZONE '" + zone.getId().replace("'", "") + "')";
  }
}
