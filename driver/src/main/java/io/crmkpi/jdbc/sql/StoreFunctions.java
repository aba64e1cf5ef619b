package io.crmkpi.jdbc.sql;

import java.util.List;
import org.apache.calcite.sql.SqlBinaryOperator;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.type.InferTypes;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeFamily;

/** Store functions Calcite lacks, validated by Calcite and unparsed verbatim for the store. */
final class StoreFunctions {

  /** {@code DATESUB('day', a, b)}: whole units elapsed from a to b (DuckDB datesub). */
  static final SqlFunction DATESUB = new SqlFunction("DATESUB", SqlKind.OTHER_FUNCTION,
      ReturnTypes.BIGINT_NULLABLE, null,
      OperandTypes.family(SqlTypeFamily.CHARACTER, SqlTypeFamily.DATETIME, SqlTypeFamily.DATETIME),
      SqlFunctionCategory.TIMEDATE);

  /**
   * {@code DATE_DIFF('day', a, b)}: unit boundaries crossed from a to b (DuckDB date_diff, as
   * DATEDIFF in SQL Server, Snowflake and Redshift).
   */
  static final SqlFunction DATE_DIFF = new SqlFunction("DATE_DIFF", SqlKind.OTHER_FUNCTION,
      ReturnTypes.BIGINT_NULLABLE, null,
      OperandTypes.family(SqlTypeFamily.CHARACTER, SqlTypeFamily.DATETIME, SqlTypeFamily.DATETIME),
      SqlFunctionCategory.TIMEDATE);

  /** {@code a // b}: DuckDB's integer division (its {@code /} always divides as DOUBLE). */
  static final SqlBinaryOperator INTEGER_DIVIDE = new SqlBinaryOperator("//", SqlKind.OTHER, 60, true,
      ReturnTypes.QUOTIENT_NULLABLE, InferTypes.FIRST_KNOWN, OperandTypes.EXACT_NUMERIC_EXACT_NUMERIC);

  /** {@code ERROR('message')}: fails the statement when evaluated (DuckDB error()). */
  static final SqlFunction ERROR = new SqlFunction("ERROR", SqlKind.OTHER_FUNCTION,
      ReturnTypes.explicit(org.apache.calcite.sql.type.SqlTypeName.NULL), null, OperandTypes.STRING,
      SqlFunctionCategory.SYSTEM);

  /** {@code EPOCH_MS(ts)}: milliseconds since 1970-01-01 00:00 (DuckDB epoch_ms, a BIGINT). */
  static final SqlFunction EPOCH_MS = new SqlFunction("EPOCH_MS", SqlKind.OTHER_FUNCTION,
      ReturnTypes.BIGINT_NULLABLE, null, OperandTypes.TIMESTAMP, SqlFunctionCategory.TIMEDATE);

  /** The ones user SQL may name (the others are only made by the compiler). */
  static final List<SqlOperator> ALL = List.of(DATESUB, DATE_DIFF);

  private StoreFunctions() {
  }
}
