package io.crmkpi.pgwire;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** One result column as RowDescription announces it: name, type, typmod (precision of numerics/varchars). */
record PgColumn(String name, PgType type, int typmod) {

  static PgColumn of(String name, int jdbcType, String typeName, int precision, int scale) {
    PgType t = PgType.ofJdbc(jdbcType, typeName);
    int typmod = -1;
    if (t == PgType.NUMERIC && precision > 0 && precision <= 1000) {
      typmod = ((precision << 16) | Math.max(0, scale)) + 4;
    } else if (t == PgType.VARCHAR) {
      if (precision > 0 && precision < 10_485_760) {
        typmod = precision + 4;
      } else {
        t = PgType.TEXT; // unbounded strings are PostgreSQL's text
      }
    }
    return new PgColumn(name, t, typmod);
  }

  static List<PgColumn> of(ResultSetMetaData md) throws SQLException {
    List<PgColumn> cols = new ArrayList<>();
    for (int i = 1; i <= md.getColumnCount(); i++) {
      cols.add(of(md.getColumnLabel(i), md.getColumnType(i), md.getColumnTypeName(i), md.getPrecision(i), md.getScale(i)));
    }
    return cols;
  }
}
