package io.crmkpi.jdbc;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A host application for {@link CrmKpiJarIT}: lists the registered JDBC drivers, then queries crmkpi. */
public final class HostProbe {

  private HostProbe() {
  }

  public static void main(String[] args) throws Exception {
    List<String> drivers = new ArrayList<>();
    for (Driver d : Collections.list(DriverManager.getDrivers())) {
      drivers.add(d.getClass().getName());
    }
    System.out.println("drivers: " + String.join(", ", drivers));
    try (Connection c = DriverManager.getConnection(args[0]); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM crm.deals")) {
      rs.next();
      System.out.println("deals: " + rs.getLong(1));
    }
  }
}
