package io.crmkpi.jdbc.sql;

import java.util.Set;
import org.apache.calcite.avatica.util.TimeUnit;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeSystem;
import org.apache.calcite.sql.SqlIntervalLiteral;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.validate.SqlConformance;
import org.apache.calcite.sql.validate.SqlDelegatingConformance;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.dialect.DuckDBSqlDialect;

/**
 * Calcite's DuckDB dialect, with the few unparse fixes the store needs (measured in tests):
 * the current date and time are the session time zone's wall clock (DuckDB's are TIMESTAMP WITH
 * TIME ZONE, and {@code CURRENT_DATE AS "current_date"} confuses its binder); the current user is
 * crmkpi's (DuckDB has none); FLOOR to any time unit is {@code date_trunc}.
 */
public final class StoreSqlDialect extends DuckDBSqlDialect {

  public static final StoreSqlDialect INSTANCE = new StoreSqlDialect();

  private StoreSqlDialect() {
    super(DuckDBSqlDialect.DEFAULT_CONTEXT);
  }

  /**
   * Character casts become plain {@code VARCHAR}: Calcite would write {@code CHAR(n)} or
   * {@code VARCHAR(n) CHARACTER SET "ISO-8859-1"}, which DuckDB rejects or pads; DuckDB strings have
   * no length or character set.
   */
  @Override
  public @Nullable SqlNode getCastSpec(RelDataType type) {
    // timestamps without precision too: TIMESTAMP(0) is DuckDB's TIMESTAMP_S, which would drop
    // '10:00:00.123' to 10:00:00
    SqlDataTypeSpec plain = UnparseFixes.plainCast(type);
    return plain != null ? plain : super.getCastSpec(type);
  }

  /**
   * No ORDER BY ordinals: Calcite would also write them inside {@code WITHIN GROUP (ORDER BY 2)},
   * where DuckDB reads a constant, silently computing the percentile of the number 2.
   */
  @Override
  public SqlConformance getConformance() {
    return NO_SORT_ORDINALS;
  }

  /** What CURRENT_USER and its kin answer: the store has no users, crmkpi has one. */
  static final String USER = "crmkpi";
  private static final Set<SqlOperator> USERS = Set.of(SqlStdOperatorTable.USER, SqlStdOperatorTable.CURRENT_USER,
      SqlStdOperatorTable.SESSION_USER, SqlStdOperatorTable.SYSTEM_USER, SqlStdOperatorTable.CURRENT_ROLE);

  private static final SqlConformance NO_SORT_ORDINALS = new SqlDelegatingConformance(
      DuckDBSqlDialect.DEFAULT.getConformance()) {
    @Override
    public boolean isSortByOrdinal() {
      return false;
    }
  };

  /**
   * DuckDB allows no window function inside GROUP BY or an aggregate ("cannot contain window
   * functions"): an aggregate over a windowed projection must stay in its own sub-query instead of
   * being merged into one SELECT (views needed a one-row CROSS JOIN as a barrier before).
   */
  @Override
  public boolean supportsNestedAggregations() {
    return false;
  }

  /**
   * String literals as plain UTF-8 text, whatever their character set: Calcite would prefix a
   * charset ({@code _UTF-8'…'}) or write {@code u&'\0423…'}, neither of which DuckDB reads.
   */
  @Override
  public void quoteStringLiteral(StringBuilder buf, @Nullable String charsetName, String val) {
    UnparseFixes.quote(buf, val);
  }

  /**
   * VALUES stay VALUES ({@code (VALUES (1), (2)) AS t (x)}, which DuckDB reads): Calcite would
   * otherwise write one SELECT per row joined by UNION ALL, a chain that overflows DuckDB's native
   * stack (a segmentation fault) at a few hundred rows.
   */
  @Override
  public boolean supportsAliasedValues() {
    return true;
  }

  /** {@code INTERVAL '365' DAY}: DuckDB reads no leading precision ({@code DAY(3)}). */
  @Override
  public void unparseSqlIntervalQualifier(SqlWriter writer, SqlIntervalQualifier qualifier,
                                          RelDataTypeSystem typeSystem) {
    if (!UnparseFixes.unparsePlainQualifier(writer, qualifier)) {
      super.unparseSqlIntervalQualifier(writer, qualifier, typeSystem);
    }
  }

  /**
   * Interval literals of a week, quarter or sub-second unit: Calcite keeps their text in the unit's
   * base (days, months, seconds — {@code TIMESTAMPADD(WEEK, 1, t)} becomes {@code INTERVAL '7' WEEK}),
   * which DuckDB reads in the named unit (7 weeks). Written with the base unit, the text means what
   * Calcite meant.
   */
  @Override
  public void unparseSqlIntervalLiteral(SqlWriter writer, SqlIntervalLiteral literal, int leftPrec,
                                        int rightPrec) {
    super.unparseSqlIntervalLiteral(writer, UnparseFixes.inBaseUnit(literal), leftPrec, rightPrec);
  }

  @Override
  public void unparseCall(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
    if (call.getOperator() == SqlStdOperatorTable.CURRENT_DATE) {
      writer.print("CAST(now() AS DATE)");
      return;
    }
    if (UnparseFixes.isNow(call)) {
      writer.print("CAST(now() AS TIMESTAMP)");
      return;
    }
    if (USERS.contains(call.getOperator())) {
      writer.literal("'" + USER + "'");
      return;
    }
    if (UnparseFixes.isDateFloor(call)) {
      TimeUnit unit = UnparseFixes.timeUnit(call.operand(1));
      if (unit == TimeUnit.CENTURY || unit == TimeUnit.MILLENNIUM) {
        // centuries and millennia start in year 1 (2001-01-01), as in Calcite and PostgreSQL; DuckDB says 2000
        int years = unit == TimeUnit.CENTURY ? 100 : 1000;
        UnparseFixes.print(writer, "make_date(((year(", call.operand(0), ") - 1) // " + years + ") * " + years
            + " + 1, 1, 1)");
        return;
      }
      // DuckDB's dialect refuses QUARTER, DECADE, ...; date_trunc knows them all
      UnparseFixes.unparseDateTrunc(writer, call);
      return;
    }
    if (call.getKind() == SqlKind.LIKE && call.operandCount() == 2) {
      // LIKE without ESCAPE has no escape character (SQL standard). Said explicitly, it also keeps
      // DuckDB 1.4 off its prefix-range rewrite, which fails on non-ASCII prefixes ('Усп%':
      // "Invalid unicode (byte sequence mismatch)").
      call = call.getOperator().createCall(call.getParserPosition(), call.operand(0), call.operand(1),
          SqlLiteral.createCharString("", SqlParserPos.ZERO));
    }
    super.unparseCall(writer, call, leftPrec, rightPrec);
  }
}
