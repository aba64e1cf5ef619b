package io.crmkpi.jdbc.sql;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlConformance;
import org.apache.calcite.sql.validate.SqlDelegatingConformance;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.dialect.DuckDBSqlDialect;

/**
 * Calcite's DuckDB dialect, with the few unparse fixes the store needs (measured in tests):
 * the current date and time are the session time zone's wall clock (DuckDB's are TIMESTAMP WITH
 * TIME ZONE, and {@code CURRENT_DATE AS "current_date"} confuses its binder).
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
    if (type.getSqlTypeName() == SqlTypeName.CHAR || type.getSqlTypeName() == SqlTypeName.VARCHAR) {
      return new SqlDataTypeSpec(new SqlBasicTypeNameSpec(SqlTypeName.VARCHAR, SqlParserPos.ZERO),
          SqlParserPos.ZERO);
    }
    return super.getCastSpec(type);
  }

  /**
   * No ORDER BY ordinals: Calcite would also write them inside {@code WITHIN GROUP (ORDER BY 2)},
   * where DuckDB reads a constant, silently computing the percentile of the number 2.
   */
  @Override
  public SqlConformance getConformance() {
    return NO_SORT_ORDINALS;
  }

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
    buf.append('\'').append(val.replace("'", "''")).append('\'');
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

  @Override
  public void unparseCall(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
    if (call.getOperator() == SqlStdOperatorTable.CURRENT_DATE) {
      writer.print("CAST(now() AS DATE)");
      return;
    }
    if (call.getOperator() == SqlStdOperatorTable.CURRENT_TIMESTAMP
        || call.getOperator() == SqlStdOperatorTable.LOCALTIMESTAMP) {
      writer.print("CAST(now() AS TIMESTAMP)");
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
