package io.crmkpi.dialect;

import org.apache.calcite.avatica.util.TimeUnit;
import org.apache.calcite.avatica.util.TimeUnitRange;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlIntervalLiteral;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlWriter;

/**
 * Unparse fixes every engine needs (the same ones the embedded store's dialect makes): string
 * literals without a character set prefix, interval literals in the unit their text counts, and the
 * crmkpi compiler's own functions ({@code DATESUB}, {@code DATE_DIFF}, {@code //}, {@code ERROR},
 * {@code EPOCH_MS}), which each engine writes in its words.
 */
final class EngineUnparse {

  private EngineUnparse() {
  }

  /** The compiler functions an engine dialect must write itself (see jdbc.sql.StoreFunctions). */
  enum StoreFunction { DATESUB, DATE_DIFF, INTEGER_DIVIDE, ERROR, EPOCH_MS }

  /** Which compiler function a call is, or null. */
  static StoreFunction storeFunction(SqlCall call) {
    // the compiler's operators are plain SqlFunction/SqlBinaryOperator instances: known by name and kind
    SqlKind kind = call.getOperator().getKind();
    if (kind != SqlKind.OTHER_FUNCTION && kind != SqlKind.OTHER) {
      return null;
    }
    return switch (call.getOperator().getName()) {
      case "DATESUB" -> StoreFunction.DATESUB;
      case "DATE_DIFF" -> StoreFunction.DATE_DIFF;
      case "//" -> StoreFunction.INTEGER_DIVIDE;
      case "ERROR" -> StoreFunction.ERROR;
      case "EPOCH_MS" -> StoreFunction.EPOCH_MS;
      default -> null;
    };
  }

  /** {@code 'text'} as plain UTF-8 text, quotes doubled (Calcite would prefix {@code _UTF-8} or use u&amp;). */
  static void quote(StringBuilder buf, String val) {
    buf.append('\'').append(val.replace("'", "''")).append('\'');
  }

  /** The unit a DATESUB / DATE_DIFF call names in its first operand, upper case ({@code DAY}). */
  static String unitOf(SqlCall call) {
    SqlNode u = call.operand(0);
    if (u instanceof SqlCharStringLiteral s) {
      return s.getValueAs(String.class).toUpperCase(java.util.Locale.ROOT);
    }
    throw new IllegalArgumentException("a constant unit was expected: " + u);
  }

  /** The message of an ERROR call. */
  static String messageOf(SqlCall call) {
    return call.operand(0) instanceof SqlCharStringLiteral s ? s.getValueAs(String.class) : "error";
  }

  /**
   * An interval literal of a week, quarter or sub-second unit written in the unit its text counts:
   * Calcite keeps such text in the base unit ({@code TIMESTAMPADD(WEEK, 1, t)} becomes
   * {@code INTERVAL '7' WEEK}), which engines read in the named unit (7 weeks).
   */
  static SqlIntervalLiteral inBaseUnit(SqlIntervalLiteral literal) {
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

  /** {@code DAY} rather than {@code DAY(3)}: engines read no leading precision. */
  static boolean unparsePlainQualifier(SqlWriter writer, SqlIntervalQualifier qualifier) {
    if (qualifier.timeFrameName == null && qualifier.timeUnitRange.endUnit == null) {
      writer.keyword(qualifier.timeUnitRange.startUnit.name());
      return true;
    }
    return false;
  }

  /** The time unit of a FLOOR/CEIL/EXTRACT operand, or null. */
  static TimeUnit timeUnit(SqlNode n) {
    if (n instanceof SqlIntervalQualifier q && q.timeFrameName == null) {
      return q.timeUnitRange.startUnit;
    }
    if (n instanceof SqlLiteral l && l.getValue() instanceof TimeUnitRange r) {
      return r.startUnit;
    }
    return null;
  }

  /** Whether a call is FLOOR(x TO unit) of a date or timestamp. */
  static boolean isDateFloor(SqlCall call) {
    return call.getKind() == SqlKind.FLOOR && call.operandCount() == 2 && timeUnit(call.operand(1)) != null;
  }

  /** Whether a call is EXTRACT(DOW FROM x). */
  static boolean isDayOfWeek(SqlCall call) {
    return call.getKind() == SqlKind.EXTRACT && timeUnit(call.operand(0)) == TimeUnit.DOW;
  }
}
