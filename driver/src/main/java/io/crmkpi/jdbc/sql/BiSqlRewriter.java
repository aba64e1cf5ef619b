package io.crmkpi.jdbc.sql;

import java.util.Locale;
import org.apache.calcite.avatica.util.TimeUnit;
import org.apache.calcite.avatica.util.TimeUnitRange;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlShuttle;

/**
 * Rewrites SQL that BI tools and analysts send but Calcite cannot validate or unparse, before
 * validation:
 * <ul>
 *   <li>{@code NOW()} → {@code CURRENT_TIMESTAMP};</li>
 *   <li>PostgreSQL {@code DATE_TRUNC('unit', x)} → {@code FLOOR(x TO unit)} for every unit from
 *       microsecond to millennium; {@code 'week'} starts on the catalog's {@code week_start} day,
 *       {@code 'isoweek'} on Monday;</li>
 *   <li>{@code TIMESTAMPDIFF(unit, a, b)} → {@code DATESUB('unit', a, b)} (whole units elapsed, as
 *       JDBC defines it; Calcite cannot unparse its own expansion);</li>
 *   <li>{@code DATEDIFF}/{@code DATE_DIFF(unit, a, b)} → the store's {@code DATE_DIFF} (unit
 *       boundaries crossed); MySQL's {@code DATEDIFF(a, b)} is days from b to a;</li>
 *   <li>{@code MEDIAN(x)} → {@code PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY x)};</li>
 *   <li>a bare {@code ?} in a select list is text ({@code SELECT ? AS x}), as in PostgreSQL.</li>
 * </ul>
 */
final class BiSqlRewriter extends SqlShuttle {

  private final int weekStart;

  /** @param weekStart first day of a week for {@code DATE_TRUNC('week', …)}: 1 = Monday .. 7 = Sunday */
  BiSqlRewriter(int weekStart) {
    this.weekStart = weekStart;
  }

  @Override
  public SqlNode visit(SqlCall call) {
    if (call instanceof SqlSelect select && select.getSelectList() != null) {
      textParameters(select.getSelectList());
    }
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
      return dateTrunc(unit.getValueAs(String.class), call.operand(1).accept(this), pos);
    }
    if (name.equals("TIMESTAMPDIFF") && call.operandCount() == 3 && timeUnit(call.operand(0)) != null) {
      String unit = timeUnit(call.operand(0)).name().toLowerCase(Locale.ROOT);
      return StoreFunctions.DATESUB.createCall(pos, SqlLiteral.createCharString(unit, pos),
          call.operand(1).accept(this), call.operand(2).accept(this));
    }
    boolean dateDiff = name.equals("DATEDIFF") || name.equals("DATE_DIFF") || name.equals(SqlTextFixes.DATEDIFF);
    if (dateDiff && call.operandCount() == 3) {
      String unit = diffUnit(call.operand(0), pos);
      return StoreFunctions.DATE_DIFF.createCall(pos, SqlLiteral.createCharString(unit, pos),
          operand(call.operand(1)).accept(this), operand(call.operand(2)).accept(this));
    }
    if (dateDiff && call.operandCount() == 2) {
      return StoreFunctions.DATE_DIFF.createCall(pos, SqlLiteral.createCharString("day", pos),
          call.operand(1).accept(this), call.operand(0).accept(this));
    }
    if (name.equals("MEDIAN") && call.operandCount() == 1 && call.getFunctionQuantifier() == null) {
      SqlNode within = SqlStdOperatorTable.PERCENTILE_CONT.createCall(pos,
          SqlLiteral.createExactNumeric("0.5", pos));
      return SqlStdOperatorTable.WITHIN_GROUP.createCall(pos, within,
          SqlNodeList.of(call.operand(0).accept(this)));
    }
    return super.visit(call);
  }

  /** {@code SELECT ?}: a parameter whose type nothing else decides is VARCHAR (PostgreSQL: text). */
  private static void textParameters(SqlNodeList items) {
    for (int i = 0; i < items.size(); i++) {
      SqlNode item = items.get(i);
      if (item instanceof SqlDynamicParam p) {
        items.set(i, textCast(p));
      } else if (item instanceof SqlCall as && as.getKind() == SqlKind.AS
          && as.operand(0) instanceof SqlDynamicParam p) {
        as.setOperand(0, textCast(p));
      }
    }
  }

  private static SqlNode textCast(SqlDynamicParam p) {
    return SqlStdOperatorTable.CAST.createCall(p.getParserPosition(), p,
        new SqlDataTypeSpec(new SqlBasicTypeNameSpec(SqlTypeName.VARCHAR, p.getParserPosition()),
            p.getParserPosition()));
  }

  /**
   * A DATEDIFF operand that the Babel parser read as a time frame (its grammar has BigQuery's
   * {@code DATE_DIFF(a, b, unit)}): the column name it really is.
   */
  private static SqlNode operand(SqlNode n) {
    if (n instanceof SqlIntervalQualifier q && q.timeFrameName != null) {
      return new SqlIdentifier(q.timeFrameName, q.getParserPosition());
    }
    return n;
  }

  private static String diffUnit(SqlNode n, SqlParserPos pos) {
    String text;
    if (n instanceof SqlCharStringLiteral l) {
      text = l.getValueAs(String.class);
    } else if (n instanceof SqlIdentifier id && id.isSimple()) {
      text = id.getSimple();
    } else if (timeUnit(n) != null) {
      text = timeUnit(n).name();
    } else {
      throw new IllegalArgumentException("DATEDIFF at " + pos + ": the first argument must be a unit such as 'day'");
    }
    if (text.toUpperCase(Locale.ROOT).startsWith("SQL_TSI_")) {
      text = text.substring(8);
    }
    TimeUnit u = unit(text, pos, "DATEDIFF");
    return u == null ? "week" : u.name().toLowerCase(Locale.ROOT);
  }

  private SqlNode dateTrunc(String text, SqlNode x, SqlParserPos pos) {
    TimeUnit u = unit(text, pos, "DATE_TRUNC");
    if (u == null) {
      return floor(x, TimeUnit.WEEK, pos); // isoweek: the store's weeks start on Monday
    }
    if (u != TimeUnit.WEEK || weekStart == 1) {
      return floor(x, u, pos);
    }
    // weeks that start on another day: shift to Monday, truncate, shift back
    SqlNode shift = SqlLiteral.createInterval(1, Integer.toString(weekStart - 1),
        new SqlIntervalQualifier(TimeUnit.DAY, null, pos), pos);
    return SqlStdOperatorTable.PLUS.createCall(pos,
        floor(SqlStdOperatorTable.MINUS.createCall(pos, x, shift), TimeUnit.WEEK, pos), shift);
  }

  private static SqlNode floor(SqlNode x, TimeUnit u, SqlParserPos pos) {
    return SqlStdOperatorTable.FLOOR.createCall(pos, x, new SqlIntervalQualifier(u, null, pos));
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

  /** A unit name as PostgreSQL and DuckDB spell it (plurals too); null for ISO weeks. */
  private static TimeUnit unit(String text, SqlParserPos pos, String function) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "microsecond", "microseconds", "us" -> TimeUnit.MICROSECOND;
      case "millisecond", "milliseconds", "ms" -> TimeUnit.MILLISECOND;
      case "second", "seconds" -> TimeUnit.SECOND;
      case "minute", "minutes" -> TimeUnit.MINUTE;
      case "hour", "hours" -> TimeUnit.HOUR;
      case "day", "days" -> TimeUnit.DAY;
      case "week", "weeks" -> TimeUnit.WEEK;
      case "isoweek" -> null;
      case "month", "months" -> TimeUnit.MONTH;
      case "quarter", "quarters" -> TimeUnit.QUARTER;
      case "year", "years" -> TimeUnit.YEAR;
      case "decade", "decades" -> TimeUnit.DECADE;
      case "century", "centuries" -> TimeUnit.CENTURY;
      case "millennium", "millennia", "millenniums" -> TimeUnit.MILLENNIUM;
      default -> throw new IllegalArgumentException(function + " unit '" + text + "' at " + pos
          + " is not supported; use microsecond, millisecond, second, minute, hour, day, week, isoweek, month, "
          + "quarter, year, decade, century or millennium");
    };
  }
}
