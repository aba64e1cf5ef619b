package io.crmkpi.metabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import clojure.java.api.Clojure;
import clojure.lang.IFn;
import clojure.lang.IPersistentMap;
import clojure.lang.Keyword;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Loads metabase/driver/crmkpi.clj (against stand-ins for Metabase's namespaces) and calls what it defines: the
 * connection form's details become a URL and properties the driver accepts, every type name the driver reports
 * has a Metabase base type, and the interval forms avoid the units the driver miscounts.
 */
class CrmKpiNamespaceEvalTest {

  private static IFn eval;

  @BeforeAll
  static void load() {
    eval = Clojure.var("clojure.core", "eval");
    IFn loadResource = Clojure.var("clojure.core", "load");
    loadResource.invoke("/stubs/metabase_stubs");
    Clojure.var("clojure.core", "require").invoke(Clojure.read("metabase.driver.crmkpi"));
  }

  private static Object clj(String code) {
    return eval.invoke(Clojure.read(code));
  }

  @Test
  void apiDetailsBecomeUrlOptionsAndSecretProperties() {
    Object spec = clj("(metabase.driver.sql-jdbc.connection/connection-details->spec :crmkpi"
        + " {:source \"amocrm\" :target \" acme \" :token \"tok-123\" :timezone \"Europe/Moscow\" :currency \"\""
        + "  :week_start \"7\" :refresh \"1h\" :additional-options \"page_limit=100; sync_overlap=60;\""
        + "  :advanced-options true :engine :crmkpi :let-user-control-scheduling false})");
    assertEquals(clj("{:classname \"io.crmkpi.jdbc.Driver\" :subprotocol \"crmkpi\""
        + " :subname \"amocrm:acme;timezone=Europe/Moscow;week_start=7;refresh=1h;page_limit=100;sync_overlap=60\""
        + " :token \"tok-123\"}"), spec);
  }

  @Test
  void specIgnoresKeysMetabaseAdds() {
    // Metabase hashes the spec to decide whether to rebuild its pool: keys it adds itself must not change it
    assertEquals(
        clj("(metabase.driver.sql-jdbc.connection/connection-details->spec :crmkpi {:source \"demo\"})"),
        clj("(metabase.driver.sql-jdbc.connection/connection-details->spec :crmkpi {:source \"demo\" :target \"\""
            + " :advanced-options false :connection-pool-type :default :schema-filters-type \"all\"})"));
  }

  @Test
  void demoFormConnectsThroughTheDriverWithItsSettings() throws SQLException {
    IPersistentMap spec = (IPersistentMap) clj("(metabase.driver.sql-jdbc.connection/connection-details->spec"
        + " :crmkpi {:source \"demo\" :timezone \"UTC\" :additional-options \"deals=300\"})");
    String url = "jdbc:" + spec.valAt(Keyword.intern("subprotocol")) + ":" + spec.valAt(Keyword.intern("subname"));
    assertEquals("jdbc:crmkpi:demo;timezone=UTC;deals=300", url);
    try (Connection c = DriverManager.getConnection(url, new Properties());
         ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM crm.deals")) {
      rs.next();
      assertEquals(300, rs.getInt(1));
    }
  }

  @Test
  void everyTypeTheDriverReportsHasABaseType() throws SQLException {
    Map<String, Object> mapped = new TreeMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:crmkpi:demo;deals=300")) {
      DatabaseMetaData md = c.getMetaData();
      try (ResultSet rs = md.getTypeInfo()) {
        while (rs.next()) {
          mapped.put(rs.getString("TYPE_NAME"), baseType(rs.getString("TYPE_NAME")));
        }
      }
      try (ResultSet rs = md.getColumns(null, null, "%", "%")) {
        while (rs.next()) {
          String t = rs.getString("TYPE_NAME");
          assertNotNull(baseType(t), t + " of " + rs.getString("TABLE_SCHEM") + "." + rs.getString("TABLE_NAME")
              + "." + rs.getString("COLUMN_NAME") + " has no Metabase base type");
        }
      }
    }
    assertEquals(13, mapped.size(), mapped.toString());
    assertEquals(Keyword.intern("type", "DateTime"), mapped.get("TIMESTAMP"));
    assertEquals(Keyword.intern("type", "Decimal"), baseType("DECIMAL(18, 2)"));
    assertEquals(Keyword.intern("type", "BigInteger"), mapped.get("BIGINT"));
    assertEquals(Keyword.intern("type", "Boolean"), mapped.get("BOOLEAN"));
    assertEquals(Keyword.intern("type", "Date"), mapped.get("DATE"));
    assertEquals(Keyword.intern("type", "Text"), mapped.get("VARCHAR"));
  }

  @Test
  void intervalsAvoidTheUnitsTheDriverMiscounts() {
    assertEquals(clj("[:timestampadd [:raw \"DAY\"] [:inline -14] :x]"),
        clj("(metabase.driver.sql.query-processor/add-interval-honeysql-form :crmkpi :x -2 :week)"));
    assertEquals(clj("[:timestampadd [:raw \"MONTH\"] [:inline 3] :x]"),
        clj("(metabase.driver.sql.query-processor/add-interval-honeysql-form :crmkpi :x 1 :quarter)"));
    assertEquals(clj("[:timestampadd [:raw \"SECOND\"] [:inline 2] :x]"),
        clj("(metabase.driver.sql.query-processor/add-interval-honeysql-form :crmkpi :x 1500 :millisecond)"));
    assertEquals(clj("[:timestampadd [:raw \"DAY\"] [:inline -30] :x]"),
        clj("(metabase.driver.sql.query-processor/add-interval-honeysql-form :crmkpi :x -30 :day)"));
  }

  @Test
  void schemasAndWeekStart() {
    assertEquals(clj("#{\"metadata\" \"information_schema\" \"pg_catalog\"}"),
        clj("(metabase.driver.sql-jdbc.sync/excluded-schemas :crmkpi)"));
    assertEquals(Keyword.intern("monday"), clj("(metabase.driver/db-start-of-week :crmkpi)"));
    assertEquals(Boolean.TRUE, clj("(metabase.driver/database-supports? :crmkpi :percentile-aggregations nil)"));
    assertEquals(Boolean.FALSE, clj("(metabase.driver/database-supports? :crmkpi :regex nil)"));
  }

  private static Object baseType(String typeName) {
    return clj("(metabase.driver.sql-jdbc.sync/database-type->base-type :crmkpi (keyword \"" + typeName + "\"))");
  }
}
