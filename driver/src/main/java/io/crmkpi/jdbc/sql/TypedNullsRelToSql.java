package io.crmkpi.jdbc.sql;

import java.util.List;
import org.apache.calcite.rel.core.Values;
import org.apache.calcite.rel.rel2sql.RelToSqlConverter;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Calcite's RelToSqlConverter for stores other than DuckDB: a NULL in a VALUES row whose column has a
 * type is written {@code CAST(NULL AS type)}. PostgreSQL types a bare NULL of VALUES as text, and a
 * UNION of it with a DATE then fails ("UNION types date and text cannot be matched"); Calcite folds
 * constant projections into VALUES, so a cast in the plan does not survive (DuckDB coerces by
 * itself, so its store keeps Calcite's converter). Public: Calcite dispatches visit methods reflectively.
 */
public final class TypedNullsRelToSql extends RelToSqlConverter {

  private final SqlDialect dialect;

  TypedNullsRelToSql(SqlDialect dialect) {
    super(dialect);
    this.dialect = dialect;
  }

  @Override
  public Result visit(Values e) {
    Result r = super.visit(e);
    List<RelDataTypeField> fields = e.getRowType().getFieldList();
    boolean any = e.getTuples().stream().anyMatch(t -> t.stream().anyMatch(RexLiteral::isNull));
    if (any) {
      typeNulls(r.asStatement(), fields); // the same ROW calls as r holds: cast in place
    }
    return r;
  }

  /** Casts NULL literals of the ROW calls under {@code node} to their column's type. */
  private void typeNulls(SqlNode node, List<RelDataTypeField> fields) {
    if (!(node instanceof SqlCall call)) {
      return;
    }
    if (call.getKind() == SqlKind.ROW && call.operandCount() == fields.size() && call instanceof SqlBasicCall row) {
      for (int i = 0; i < fields.size(); i++) {
        RelDataType type = fields.get(i).getType();
        if (row.operand(i) instanceof SqlLiteral l && l.getTypeName() == SqlTypeName.NULL
            && type.getSqlTypeName() != SqlTypeName.NULL) {
          SqlNode spec = dialect.getCastSpec(type);
          if (spec != null) {
            row.setOperand(i, SqlStdOperatorTable.CAST.createCall(SqlParserPos.ZERO, l, spec));
          }
        }
      }
      return;
    }
    for (SqlNode operand : call.getOperandList()) {
      typeNulls(operand, fields);
    }
  }
}
