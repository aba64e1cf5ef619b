package io.crmkpi.jdbc;

import io.crmkpi.jdbc.sql.CompiledQuery;
import java.sql.ParameterMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

/** The parameters of a prepared query, typed as Calcite inferred them from where each {@code ?} stands. */
final class CrmKpiParameterMetaData implements ParameterMetaData {

  private final List<CompiledQuery.Column> parameters;

  CrmKpiParameterMetaData(List<CompiledQuery.Column> parameters) {
    this.parameters = parameters;
  }

  private CompiledQuery.Column parameter(int i) throws SQLException {
    if (i < 1 || i > parameters.size()) {
      throw new SQLException("parameter index " + i + " is out of range 1.." + parameters.size(), "07009");
    }
    return parameters.get(i - 1);
  }

  @Override
  public int getParameterCount() {
    return parameters.size();
  }

  /** Any parameter may be set to NULL. */
  @Override
  public int isNullable(int i) throws SQLException {
    parameter(i);
    return parameterNullable;
  }

  @Override
  public boolean isSigned(int i) throws SQLException {
    return switch (parameter(i).jdbcType()) {
      case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.REAL, Types.FLOAT, Types.DOUBLE,
          Types.DECIMAL, Types.NUMERIC -> true;
      default -> false;
    };
  }

  @Override
  public int getPrecision(int i) throws SQLException {
    return CrmKpiResultSetMetaData.precision(parameter(i));
  }

  @Override
  public int getScale(int i) throws SQLException {
    return Math.max(parameter(i).scale(), 0);
  }

  @Override
  public int getParameterType(int i) throws SQLException {
    return parameter(i).jdbcType();
  }

  @Override
  public String getParameterTypeName(int i) throws SQLException {
    return parameter(i).typeName();
  }

  @Override
  public String getParameterClassName(int i) throws SQLException {
    return CrmKpiResultSetMetaData.javaClass(parameter(i).jdbcType()).getName();
  }

  /** Queries take input parameters only. */
  @Override
  public int getParameterMode(int i) throws SQLException {
    parameter(i);
    return parameterModeIn;
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface != null && iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException("crmkpi parameter metadata wraps no " + (iface == null ? "null" : iface.getName()),
        "HY000");
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface != null && iface.isInstance(this);
  }
}
