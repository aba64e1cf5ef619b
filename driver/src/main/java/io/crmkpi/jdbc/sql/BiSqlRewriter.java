package io.crmkpi.jdbc.sql;

import java.util.Locale;
import org.apache.calcite.avatica.util.TimeUnit;
import org.apache.calcite.avatica.util.TimeUnitRange;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlShuttle;

/**
 * Rewrites SQL that BI tools send but Calcite cannot validate or unparse, before validation:
 * {@code NOW()} → {@code CURRENT_TIMESTAMP}; PostgreSQL {@code DATE_TRUNC('month', x)} →
 * {@code FLOOR(x TO MONTH)}; {@code TIMESTAMPDIFF(unit, a, b)} → {@code DATESUB('unit', a, b)}
 * (whole units elapsed, as JDBC defines it; Calcite cannot unparse its own expansion).
 */
final class BiSqlRewriter extends SqlShuttle {

  @Override
  public SqlNode visit(SqlCall call) {
    String name = call.getOperator().getName().toUpperCase(Locale.ROOT);
    if (name.startsWith("{FN ") && name.endsWith("}")) {
      name = name.substring(4, name.length() - 1).trim(); // JDBC escape {fn F(...)}
    }
    SqlParserPos pos = call.getParserPosition();
    if (name.equals("NOW") && call.operandCount() == 0) {
      return SqlStdOperatorTable.CURRENT_TIMESTAMP.createCall(pos);
    }
    if (name.equals("DATE_TRUNC") && call.operandCount() == 2
        && call.operand(0) instanceof SqlCharStringLiteral unit) {
      TimeUnit u = unit(unit.getValueAs(String.class), pos);
      return SqlStdOperatorTable.FLOOR.createCall(pos, call.operand(1).accept(this),
          new SqlIntervalQualifier(u, null, pos));
    }
    if (name.equals("TIMESTAMPDIFF") && call.operandCount() == 3 && timeUnit(call.operand(0)) != null) {
      String unit = timeUnit(call.operand(0)).name().toLowerCase(Locale.ROOT);
      return StoreFunctions.DATESUB.createCall(pos, SqlLiteral.createCharString(unit, pos),
          call.operand(1).accept(this), call.operand(2).accept(this));
    }
    return super.visit(call);
  }

  private static TimeUnit timeUnit(SqlNode n) {
    if (n instanceof SqlIntervalQualifier q) {
      if (q.timeFrameName != null) {
        // JDBC escape units: SQL_TSI_DAY, SQL_TSI_HOUR, ...
        String f = q.timeFrameName.toUpperCase(Locale.ROOT);
        try {
          return TimeUnit.valueOf(f.startsWith("SQL_TSI_") ? f.substring(8) : f);
        } catch (IllegalArgumentException e) {
          return null;
        }
      }
      return q.timeUnitRange.startUnit;
    }
    if (n instanceof SqlLiteral l && l.getValue() instanceof TimeUnitRange r) {
      return r.startUnit;
    }
    if (n instanceof SqlLiteral l && l.getValue() instanceof TimeUnit u) {
      return u;
    }
    return null;
  }

  private static TimeUnit unit(String text, SqlParserPos pos) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "year" -> TimeUnit.YEAR;
      case "quarter" -> TimeUnit.QUARTER;
      case "month" -> TimeUnit.MONTH;
      case "week" -> TimeUnit.WEEK;
      case "day" -> TimeUnit.DAY;
      case "hour" -> TimeUnit.HOUR;
      case "minute" -> TimeUnit.MINUTE;
      case "second" -> TimeUnit.SECOND;
      default -> throw new IllegalArgumentException("DATE_TRUNC unit '" + text + "' at " + pos
          + " is not supported; use year, quarter, month, week, day, hour, minute or second");
    };
  }
}
