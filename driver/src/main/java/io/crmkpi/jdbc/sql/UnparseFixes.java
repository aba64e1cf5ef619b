package io.crmkpi.jdbc.sql;

import java.util.Locale;
import org.apache.calcite.avatica.util.TimeUnit;
import org.apache.calcite.avatica.util.TimeUnitRange;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlIntervalLiteral;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * The unparse fixes the store's dialect ({@link StoreSqlDialect}) and the engine dialects of
 * {@code crmkpi sql-export} (io.crmkpi.dialect) share: each dialect extends a different Calcite
 * dialect, so the shared logic lives here and each override calls it.
 */
public final class UnparseFixes {

  private UnparseFixes() {
  }

  /**
   * {@code 'text'} as plain UTF-8 text, quotes doubled: Calcite would prefix a charset
   * ({@code _UTF-8'…'}) or write {@code u&'\0423…'}, which DuckDB and the other engines do not read.
   */
  public static void quote(StringBuilder buf, String val) {
    buf.append('\'').append(val.replace("'", "''")).append('\'');
  }

  /**
   * The cast type of a string, timestamp or time without length or precision, else null: Calcite
   * would write {@code CHAR(n)} (padded) or {@code VARCHAR(n) CHARACTER SET "ISO-8859-1"}, and
   * {@code TIMESTAMP(0)}, which drops or rounds the fraction of a second.
   */
  public static SqlDataTypeSpec plainCast(RelDataType type) {
    SqlTypeName name = type.getSqlTypeName();
    return switch (name) {
      case CHAR, VARCHAR -> plainType(SqlTypeName.VARCHAR);
      case TIMESTAMP, TIME -> plainType(name);
      default -> null;
    };
  }

  /** A cast type without length or precision ({@code VARCHAR}, {@code TIMESTAMP}). */
  public static SqlDataTypeSpec plainType(SqlTypeName name) {
    return new SqlDataTypeSpec(new SqlBasicTypeNameSpec(name, SqlParserPos.ZERO), SqlParserPos.ZERO);
  }

  /**
   * Writes {@code DAY} rather than {@code DAY(3)} for a single-unit qualifier (no engine reads a
   * leading precision); false, writing nothing, for any other qualifier.
   */
  public static boolean unparsePlainQualifier(SqlWriter writer, SqlIntervalQualifier qualifier) {
    if (qualifier.timeFrameName == null && qualifier.timeUnitRange.endUnit == null) {
      writer.keyword(qualifier.timeUnitRange.startUnit.name());
      return true;
    }
    return false;
  }

  /**
   * An interval literal of a week, quarter or sub-second unit written in its base unit: Calcite
   * keeps such text in the base unit ({@code TIMESTAMPADD(WEEK, 1, t)} becomes
   * {@code INTERVAL '7' WEEK}), which DuckDB and the engines read in the named unit (7 weeks).
   */
  public static SqlIntervalLiteral inBaseUnit(SqlIntervalLiteral literal) {
    SqlIntervalLiteral.IntervalValue v = literal.getValueAs(SqlIntervalLiteral.IntervalValue.class);
    SqlIntervalQualifier q = v.getIntervalQualifier();
    TimeUnit base = q.timeUnitRange.endUnit != null ? null : switch (q.timeUnitRange.startUnit) {
      case WEEK -> TimeUnit.DAY;
      case QUARTER -> TimeUnit.MONTH;
      case MILLISECOND, MICROSECOND, NANOSECOND -> TimeUnit.SECOND;
      default -> null;
    };
    if (base == null) {
      return literal;
    }
    return (SqlIntervalLiteral) SqlLiteral.createInterval(v.getSign(), v.getIntervalLiteral(),
        new SqlIntervalQualifier(base, null, q.getParserPosition()), literal.getParserPosition());
  }

  /** The time unit of a FLOOR/CEIL/EXTRACT operand, or null. */
  public static TimeUnit timeUnit(SqlNode n) {
    if (n instanceof SqlIntervalQualifier q && q.timeFrameName == null) {
      return q.timeUnitRange.startUnit;
    }
    if (n instanceof SqlLiteral l && l.getValue() instanceof TimeUnitRange r) {
      return r.startUnit;
    }
    return null;
  }

  /** Whether a call is FLOOR(x TO unit) of a date or timestamp. */
  public static boolean isDateFloor(SqlCall call) {
    return call.getKind() == SqlKind.FLOOR && call.operandCount() == 2 && timeUnit(call.operand(1)) != null;
  }

  /** Whether a call asks for the current timestamp (CURRENT_TIMESTAMP or LOCALTIMESTAMP). */
  public static boolean isNow(SqlCall call) {
    return call.getOperator() == SqlStdOperatorTable.CURRENT_TIMESTAMP
        || call.getOperator() == SqlStdOperatorTable.LOCALTIMESTAMP;
  }

  /** {@code date_trunc('unit', x)} of a FLOOR(x TO unit) call, the unit in lower case. */
  public static void unparseDateTrunc(SqlWriter writer, SqlCall floor) {
    unparseDateTrunc(writer, timeUnit(floor.operand(1)).name().toLowerCase(Locale.ROOT), floor.operand(0));
  }

  /** {@code date_trunc('unit', x)}, the unit as given. */
  public static void unparseDateTrunc(SqlWriter writer, String unit, SqlNode x) {
    print(writer, "date_trunc('" + unit + "', ", x, ")");
  }

  /**
   * Writes text and operands in turn: a String is printed as it is, a SqlNode unparsed on its own
   * (precedence 0), as a function call's arguments are.
   */
  public static void print(SqlWriter writer, Object... parts) {
    for (Object p : parts) {
      if (p instanceof SqlNode n) {
        n.unparse(writer, 0, 0);
      } else {
        writer.print((String) p);
      }
    }
  }
}
