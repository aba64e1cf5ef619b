package io.crmkpi.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLTimeoutException;
import java.sql.Statement;

/** A batch job for {@link CrmKpiStatementTest}: one query with a timeout, then main returns (no System.exit). */
public final class QueryTimeoutJob {

  private QueryTimeoutJob() {
  }

  public static void main(String[] args) throws Exception {
    Connection c = DriverManager.getConnection(args[0]);
    Statement s = c.createStatement();
    s.setQueryTimeout(1);
    try {
      s.executeQuery(args[1]);
      System.out.println("no timeout");
    } catch (SQLTimeoutException e) {
      System.out.println("timed out: " + e.getSQLState());
    }
    // the connection is left open, as a careless job would: the JVM must still end
  }
}
