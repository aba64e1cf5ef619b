package io.crmkpi.jdbc.sql;

import java.util.ArrayList;
import org.apache.calcite.avatica.util.TimeUnitRange;
import java.util.List;
import java.util.Set;
import org.apache.calcite.rel.core.Values;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.RelFactories;
import org.apache.calcite.rex.RexOver;
import org.apache.calcite.tools.RelBuilder;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;

/**
 * Adjusts the logical plan where the store computes a different type or value than Calcite
 * assumes, before it is unparsed: {@code DATE + INTERVAL} (e.g. from {@code TIMESTAMPADD(MONTH, n,
 * d)}) is a DATE in Calcite but a TIMESTAMP in DuckDB, so it is computed as a timestamp and cast
 * back to DATE; a date bucket keeps its operand's type; integer division and division by zero (see
 * {@link #division}); IN lists (see {@link #asIn}).
 */
final class StoreRexFixes extends RelHomogeneousShuttle {

  private final RexShuttle rex;

  StoreRexFixes(RexBuilder builder) {
    this.rex = new RexShuttle() {
      @Override
      public RexNode visitCall(RexCall call) {
        if (call.getKind() == SqlKind.OR) {
          RexNode in = asIn(builder, call); // before its halves become SEARCHes of their own
          if (in != null) {
            return in;
          }
        }
        RexNode visited = super.visitCall(call);
        if (!(visited instanceof RexCall c)) {
          return visited;
        }
        if ((c.getKind() == SqlKind.FLOOR || c.getKind() == SqlKind.CEIL) && c.getOperands().size() == 2
            && SqlTypeUtil.isDatetime(c.getType())) {
          // date_trunc answers a DATE for day and coarser units, even of a TIMESTAMP: keep Calcite's type
          return builder.makeAbstractCast(c.getType(), c, false);
        }
        if (c.getKind() == SqlKind.EXTRACT && c.getOperands().get(0) instanceof RexLiteral unit) {
          TimeUnitRange u = unit.getValueAs(TimeUnitRange.class);
          if (u == TimeUnitRange.DOW) {
            // Calcite counts Sunday as 1 .. Saturday 7; DuckDB (as PostgreSQL) 0 .. 6
            return builder.makeCall(c.getType(), SqlStdOperatorTable.PLUS,
                List.of(c, builder.makeExactLiteral(java.math.BigDecimal.ONE, c.getType())));
          }
          if (u == TimeUnitRange.EPOCH) {
            // whole seconds (a BIGINT, as Calcite types it); DuckDB's epoch is a DOUBLE with fractions
            RexNode ts = builder.makeCast(builder.getTypeFactory().createTypeWithNullability(
                builder.getTypeFactory().createSqlType(SqlTypeName.TIMESTAMP), c.getType().isNullable()),
                c.getOperands().get(1));
            RexNode ms = builder.makeCall(c.getType(), StoreFunctions.EPOCH_MS, List.of(ts));
            return builder.makeCall(c.getType(), StoreFunctions.INTEGER_DIVIDE,
                List.of(ms, builder.makeExactLiteral(java.math.BigDecimal.valueOf(1000), c.getType())));
          }
        }
        if (c.getKind() == SqlKind.DIVIDE || c.getKind() == SqlKind.MOD) {
          return division(builder, c);
        }
        if ((c.getKind() == SqlKind.PLUS || c.getKind() == SqlKind.MINUS)
            && c.getType().getSqlTypeName() == SqlTypeName.DATE
            && c.getOperands().stream().anyMatch(o -> SqlTypeName.INTERVAL_TYPES.contains(o.getType().getSqlTypeName()))) {
          RelDataType ts = builder.getTypeFactory().createTypeWithNullability(
              builder.getTypeFactory().createSqlType(SqlTypeName.TIMESTAMP), c.getType().isNullable());
          return builder.makeCast(c.getType(), builder.makeCall(ts, c.getOperator(), c.getOperands()));
        }
        return c;
      }
    };
  }

  /**
   * Division as the validated type says: integers divide as integers ({@code 7 / 2 = 3}; DuckDB's
   * {@code /} would give 3.5), and a zero divisor is an error (SQLSTATE 22012, the SQL standard's
   * "division by zero") rather than DuckDB's NULL or Infinity.
   */
  /** A division by a constant zero (SQLSTATE 22012). */
  static final class DivisionByZero extends RuntimeException {
    DivisionByZero() {
      super("division by zero", null, false, false);
    }
  }

  /**
   * A divisor that is never zero needs no guard: a non-zero literal, or {@code NULLIF(x, 0)} (which
   * Calcite writes {@code CASE WHEN x = 0 THEN NULL ELSE x END}; the KPI views divide by it), or a cast
   * of one.
   */
  private static boolean cannotBeZero(RexNode d) {
    if (d instanceof RexLiteral lit) {
      java.math.BigDecimal v = lit.isNull() ? null : lit.getValueAs(java.math.BigDecimal.class);
      return v != null && v.signum() != 0;
    }
    if (d.getKind() == SqlKind.CAST) {
      return cannotBeZero(((RexCall) d).getOperands().get(0));
    }
    if (d.getKind() == SqlKind.CASE && ((RexCall) d).getOperands().size() == 3) {
      List<RexNode> o = ((RexCall) d).getOperands();
      return o.get(0).getKind() == SqlKind.EQUALS && o.get(1) instanceof RexLiteral n && n.isNull()
          && ((RexCall) o.get(0)).getOperands().get(0).equals(o.get(2))
          && ((RexCall) o.get(0)).getOperands().get(1) instanceof RexLiteral zero && !zero.isNull()
          && zero.getValueAs(java.math.BigDecimal.class) != null
          && zero.getValueAs(java.math.BigDecimal.class).signum() == 0;
    }
    return false;
  }

  private static RexNode division(RexBuilder builder, RexCall c) {
    RexNode divisor = c.getOperands().get(1);
    if (divisor instanceof RexLiteral lit && !lit.isNull() && lit.getValueAs(java.math.BigDecimal.class) != null
        && lit.getValueAs(java.math.BigDecimal.class).signum() == 0) {
      throw new DivisionByZero(); // a constant 0 fails at compile time, as PostgreSQL's constant folding does
    }
    if (!cannotBeZero(divisor)) {
      RexNode zero = builder.makeZeroLiteral(divisor.getType());
      RexNode fail = builder.makeCall(divisor.getType(), StoreFunctions.ERROR,
          List.of(builder.makeLiteral("division by zero")));
      divisor = builder.makeCall(SqlStdOperatorTable.CASE,
          builder.makeCall(SqlStdOperatorTable.EQUALS, divisor, zero), fail, divisor);
    }
    boolean integers = c.getKind() == SqlKind.DIVIDE && SqlTypeUtil.isIntType(c.getType())
        && SqlTypeUtil.isIntType(c.getOperands().get(0).getType()) && SqlTypeUtil.isIntType(c.getOperands().get(1).getType());
    return builder.makeCall(c.getType(), integers ? StoreFunctions.INTEGER_DIVIDE : c.getOperator(),
        List.of(c.getOperands().get(0), divisor));
  }

  /**
   * {@code x = 'a' OR x = 'b' OR …} (what Calcite makes of {@code x IN ('a', 'b', …)}) as one
   * SEARCH, which is unparsed as {@code x IN (…)}: the OR tree would reach the store as thousands of
   * nested parentheses. Null if the disjunction is not of that shape.
   */
  private static RexNode asIn(RexBuilder builder, RexCall or) {
    List<RexNode> terms = RelOptUtil.disjunctions(or);
    if (terms.size() < 2) {
      return null;
    }
    RexNode ref = null;
    List<RexNode> values = new ArrayList<>(terms.size());
    for (RexNode t : terms) {
      if (!(t instanceof RexCall eq) || eq.getKind() != SqlKind.EQUALS) {
        return null;
      }
      RexNode a = eq.getOperands().get(0);
      RexNode b = eq.getOperands().get(1);
      if (a instanceof RexLiteral && !(b instanceof RexLiteral)) {
        RexNode swap = a;
        a = b;
        b = swap;
      }
      if (a.getKind() == SqlKind.CAST && SqlTypeUtil.inCharFamily(a.getType())
          && SqlTypeUtil.inCharFamily(((RexCall) a).getOperands().get(0).getType())) {
        a = ((RexCall) a).getOperands().get(0); // IN's common type: a cast the store never sees
      }
      if (!(b instanceof RexLiteral lit) || lit.isNull() || !(a instanceof RexInputRef)
          || (ref != null && !ref.equals(a))
          || a.getType().getSqlTypeName().getFamily() != b.getType().getSqlTypeName().getFamily()) {
        return null;
      }
      ref = a;
      values.add(b);
    }
    return builder.makeIn(ref, values);
  }

  /**
   * A VALUES column that holds only NULLs gets its type back through a cast: unparsed as
   * {@code VALUES (NULL)}, the store would type it INTEGER whatever Calcite says (a BOOLEAN
   * {@code 1 = NULL}, a text {@code CAST(NULL AS VARCHAR)}).
   */
  private static RelNode typedNulls(Values values) {
    List<RelDataTypeField> fields = values.getRowType().getFieldList();
    RexBuilder b = values.getCluster().getRexBuilder();
    List<RexNode> projects = new ArrayList<>();
    boolean any = false;
    for (int i = 0; i < fields.size(); i++) {
      int col = i;
      RexNode ref = b.makeInputRef(values, i);
      if (!values.getTuples().isEmpty() && values.getTuples().stream().allMatch(t -> t.get(col).isNull())
          && fields.get(i).getType().getSqlTypeName() != SqlTypeName.NULL) {
        ref = b.makeAbstractCast(fields.get(i).getType(), ref, false);
        any = true;
      }
      projects.add(ref);
    }
    return any ? LogicalProject.create(values, List.of(), projects, values.getRowType().getFieldNames(), Set.of())
        : values;
  }

  @Override
  public RelNode visit(RelNode other) {
    RelNode visited = super.visit(other).accept(rex);
    if (visited instanceof Values values) {
      return typedNulls(values);
    }
    if (visited instanceof Aggregate agg && agg.getInput() instanceof Project p
        && RexOver.containsOver(p.getProjects(), null)) {
      RelBuilder b = RelFactories.LOGICAL_BUILDER.create(agg.getCluster(), null);
      int n = p.getRowType().getFieldCount();
      b.push(p).values(new String[] {"barrier"}, 1).join(JoinRelType.INNER);
      b.project(b.fields().subList(0, n), p.getRowType().getFieldNames(), true);
      return agg.copy(agg.getTraitSet(), List.of(b.build()));
    }
    return visited;
  }
}
