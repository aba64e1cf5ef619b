package io.crmkpi.dialect;

import io.crmkpi.jdbc.sql.UnparseFixes;
import org.apache.calcite.avatica.util.TimeUnit;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlWriter;

/**
 * What every engine dialect recognizes beyond the fixes it shares with the embedded store's dialect
 * ({@link UnparseFixes}: plain string literals, interval literals in the unit their text counts): the
 * crmkpi compiler's own functions ({@code DATESUB}, {@code DATE_DIFF}, {@code //}, {@code ERROR},
 * {@code EPOCH_MS}), which each engine writes in its words.
 */
final class EngineUnparse {

  private EngineUnparse() {
  }

  /** The compiler functions an engine dialect must write itself (see jdbc.sql.StoreFunctions). */
  enum StoreFunction { DATESUB, DATE_DIFF, INTEGER_DIVIDE, ERROR, EPOCH_MS }

  /**
   * {@code a // b} as {@code (a <op> b)}; an operand that is a call goes in parentheses, since unparsed at
   * precedence 0 {@code (a - b) // c} would come out as {@code a - b / c}.
   */
  static void integerDivide(SqlWriter writer, SqlCall call, String op) {
    writer.print("(");
    operand(writer, call.operand(0));
    writer.print(op);
    operand(writer, call.operand(1));
    writer.print(")");
  }

  private static void operand(SqlWriter writer, SqlNode node) {
    if (node instanceof SqlCall) {
      writer.print("(");
      node.unparse(writer, 0, 0);
      writer.print(")");
    } else {
      node.unparse(writer, 0, 0);
    }
  }

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

  /** The unit a DATESUB / DATE_DIFF call names in its first operand, upper case ({@code DAY}). */
  static String unitOf(SqlCall call) {
    SqlNode u = call.operand(0);
    if (u instanceof SqlCharStringLiteral s) {
      return s.getValueAs(String.class).toUpperCase(java.util.Locale.ROOT);
    }
    throw new IllegalArgumentException("a constant unit was expected: " + u);
  }

  /**
   * {@code DATESUB(unit, a, b)} as {@code fn(a, b)} (whole units elapsed) and {@code DATE_DIFF(unit, a, b)}
   * (unit boundaries crossed) as whole units elapsed between the truncated ends,
   * {@code fn(date_trunc('unit', a), date_trunc('unit', b))}; {@code function} is the engine's difference
   * call up to its first argument ({@code date_diff('day'}), {@code unit} as date_trunc takes it.
   */
  static void unparseDifference(SqlWriter writer, SqlCall call, String function, String unit) {
    if (storeFunction(call) == StoreFunction.DATE_DIFF) {
      String trunc = "date_trunc('" + unit + "', ";
      UnparseFixes.print(writer, function + ", " + trunc, call.operand(1), "), " + trunc, call.operand(2), "))");
    } else {
      UnparseFixes.print(writer, function + ", ", call.operand(1), ", ", call.operand(2), ")");
    }
  }

  /** The message of an ERROR call. */
  static String messageOf(SqlCall call) {
    return call.operand(0) instanceof SqlCharStringLiteral s ? s.getValueAs(String.class) : "error";
  }

  /** Whether a call is EXTRACT(DOW FROM x). */
  static boolean isDayOfWeek(SqlCall call) {
    return call.getKind() == SqlKind.EXTRACT && UnparseFixes.timeUnit(call.operand(0)) == TimeUnit.DOW;
  }
}
