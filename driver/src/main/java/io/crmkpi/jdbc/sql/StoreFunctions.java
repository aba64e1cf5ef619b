package io.crmkpi.jdbc.sql;

import java.util.List;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
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

  static final List<SqlOperator> ALL = List.of(DATESUB);

  private StoreFunctions() {
  }
}
