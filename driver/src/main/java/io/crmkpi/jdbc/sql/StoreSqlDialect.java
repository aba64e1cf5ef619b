package io.crmkpi.jdbc.sql;

import org.apache.calcite.sql.SqlCall;
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
    super.unparseCall(writer, call, leftPrec, rightPrec);
  }
}
