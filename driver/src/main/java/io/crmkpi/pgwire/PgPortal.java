package io.crmkpi.pgwire;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * A prepared statement (Parse) and a portal (Bind): the statement's SQL, kind and JDBC statement; the
 * portal's parameters, result formats and, once executed, the open result it is read from (row limits
 * suspend it, the next Execute continues).
 */
final class PgPortal {

  /** A parsed statement. */
  static final class Prepared {
    final String sql;
    final PgSql.Kind kind;
    final int[] paramOids;
    final List<Integer> order;
    PreparedStatement jdbc;
    List<PgColumn> columns;

    Prepared(String sql, PgSql.Kind kind, int[] paramOids, List<Integer> order) {
      this.sql = sql;
      this.kind = kind;
      this.paramOids = paramOids;
      this.order = order;
    }

    void close() {
      if (jdbc != null) {
        try {
          jdbc.close();
        } catch (SQLException e) {
          // already closed with its connection
        }
      }
    }
  }

  final Prepared statement;
  final Object[] params;
  final short[] formats;
  ResultSet rows;
  java.sql.Statement owned; // a plain statement run for this result (simple query, cursor): closed with it
  List<PgColumn> columns;
  long sent;
  boolean done;

  PgPortal(Prepared statement, Object[] params, short[] formats) {
    this.statement = statement;
    this.params = params;
    this.formats = formats;
  }

  void close() {
    if (rows != null) {
      try {
        rows.close();
      } catch (SQLException e) {
        // the statement may already be closed
      }
      rows = null;
    }
    if (owned != null) {
      try {
        owned.close();
      } catch (SQLException e) {
        // closed with its connection
      }
      owned = null;
    }
  }

  /** The format code of result column i: none given = text, one = all, else per column. */
  static short format(short[] formats, int i) {
    if (formats == null || formats.length == 0) {
      return 0;
    }
    return formats.length == 1 ? formats[0] : i < formats.length ? formats[i] : 0;
  }
}
