package io.crmkpi.engines;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.crmkpi.dialect.EngineDialects;
import io.crmkpi.jdbc.catalog.StoreCatalog;
import io.crmkpi.metrics.MetricLibrary;
import io.crmkpi.metrics.MetricSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.calcite.sql.SqlDialect;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The Spark dialect's fixes on a real Spark: each expression, compiled for Spark as sql-export
 * compiles views, gives on Spark the value it gives through the JDBC URL (values worked out by hand
 * in the comments). DATESUB and DATE_DIFF are user-SQL functions (Babel grammar) the view parser
 * does not read; the views' own uses run in SparkKpiIT.
 */
class SparkExpressionIT {

  private static final List<String> EXPRESSIONS = List.of(
      "EXTRACT(DOW FROM DATE '2024-01-07')",                         // a Sunday: 1 (Calcite counts Sunday 1)
      "7 / 2",                                                        // integers: 3
      "-7 / 2",                                                       // truncated toward zero: -3
      "TIMESTAMPADD(WEEK, 1, DATE '2024-01-01')",                    // 2024-01-08, not 7 weeks later
      "TIMESTAMPADD(QUARTER, 1, DATE '2024-01-31')",                 // 2024-04-30
      "FLOOR(DATE '2024-05-17' TO QUARTER)",                         // 2024-04-01
      "FLOOR(TIMESTAMP '2024-05-17 13:45:00' TO WEEK)",              // Monday 2024-05-13 00:00
      "EXTRACT(EPOCH FROM TIMESTAMP '2024-01-01 00:00:01')",         // 1704067201
      "'a\\b' || 'Успех'",                                           // the text as written
      "CAST('2024-02-29 10:00:00' AS TIMESTAMP)",                    // wall clock, whatever the zone
      "CAST(2.5 AS DECIMAL(18, 2)) * 3",                             // 7.50
      "CASE WHEN 1 = 1 THEN TRUE ELSE FALSE END");                   // true

  @Test
  void eachExpressionOnSparkEqualsTheStore() throws Exception {
    ZoneId zone = ZoneId.of(SparkKpiIT.ZONE);
    StoreCatalog catalog = new StoreCatalog(MetricLibrary.builtIn(), MetricSettings.from(Map.of("timezone", zone.getId())));
    SqlDialect spark = EngineDialects.forName("spark", zone);
    List<String> failures = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:crmkpi:demo;deals=100;timezone=" + zone.getId());
         SparkSession s = SparkKpiIT.session()) {
      for (String e : EXPRESSIONS) {
        String query = "SELECT " + e + " AS v";
        List<List<Object>> expected = LakeFixture.rows(c, query);
        String sql = catalog.compiler().compileForEngine(query, spark).toSqlString(x -> x.withDialect(spark)
            .withAlwaysUseParentheses(false).withQuoteAllIdentifiers(true)).getSql();
        List<List<Object>> got = SparkKpiIT.rows(s.sql(sql).collectAsList());
        String diff = LakeFixture.difference(expected, got, 0);
        if (diff != null) {
          failures.add(e + " -> " + sql.replace('\n', ' ') + ": " + diff);
        }
      }
    }
    assertEquals(List.of(), failures);
  }
}
