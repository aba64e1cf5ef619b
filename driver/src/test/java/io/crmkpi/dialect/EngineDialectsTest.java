package io.crmkpi.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmkpi.jdbc.catalog.StoreCatalog;
import io.crmkpi.metrics.MetricLibrary;
import io.crmkpi.metrics.MetricSettings;
import java.time.ZoneId;
import java.util.Map;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.dialect.DuckDBSqlDialect;
import org.apache.calcite.sql.dialect.PostgresqlSqlDialect;
import org.apache.calcite.sql.dialect.SparkSqlDialect;
import org.apache.calcite.sql.dialect.TrinoSqlDialect;
import org.junit.jupiter.api.Test;

/**
 * Each engine dialect's unparse fixes, on statements compiled the way sql-export compiles views
 * (parse, validate, plan fixes, unparse). The Spark ones also run on a real Spark in the engines
 * module (SparkExpressionIT compares their values with the store's); these pin the text.
 */
class EngineDialectsTest {

  private static final StoreCatalog CATALOG = new StoreCatalog(MetricLibrary.builtIn(),
      MetricSettings.from(Map.of()));

  private static String sql(String engine, String query) throws Exception {
    SqlDialect d = EngineDialects.forName(engine, ZoneId.of("Asia/Tokyo"));
    return CATALOG.compiler().compileForEngine(query, d).toSqlString(c -> c.withDialect(d)
        .withAlwaysUseParentheses(false).withQuoteAllIdentifiers(true)).getSql()
        // layout only: the writer spaces printed text its own way
        .replace('\n', ' ').replaceAll(" +", " ").replace(" )", ")").replace(" ,", ",");
  }

  private static void assertContains(String expected, String actual) {
    assertTrue(actual.contains(expected), "expected «" + expected + "» in: " + actual);
  }

  @Test
  void eachNameIsItsEnginesCalciteDialect() {
    assertInstanceOf(SparkSqlDialect.class, EngineDialects.forName("Spark"));
    assertInstanceOf(TrinoSqlDialect.class, EngineDialects.forName("trino"));
    assertInstanceOf(PostgresqlSqlDialect.class, EngineDialects.forName("postgresql"));
    assertInstanceOf(DuckDBSqlDialect.class, EngineDialects.forName("duckdb"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EngineDialects.forName("oracle"));
    assertEquals("unknown dialect 'oracle': use one of spark, trino, postgresql, duckdb", e.getMessage());
  }

  @Test
  void sparkQuotesWithBackticksAndCastsToItsTypes() throws Exception {
    String s = sql("spark", "SELECT CAST(deal_id AS VARCHAR(10)) AS a, CAST(expected_close_date AS TIMESTAMP) AS b, "
        + "CAST(probability AS INTEGER) AS c FROM crm.deals");
    assertContains("CAST(`deal_id` AS STRING) `a`", s);
    assertContains("CAST(`expected_close_date` AS TIMESTAMP_NTZ) `b`", s);
    assertContains("CAST(`probability` AS INT) `c`", s);
    assertContains("FROM `crm`.`deals`", s);
  }

  @Test
  void integerDivisionDividesAsIntegers() throws Exception {
    assertContains("(7 DIV 2)", sql("spark", "SELECT 7 / 2 AS q"));
    assertContains("(7 / 2)", sql("trino", "SELECT 7 / 2 AS q"));
    assertContains("(7 / 2)", sql("postgresql", "SELECT 7 / 2 AS q"));
  }

  @Test
  void aDivisorThatMayBeZeroFailsInTheEnginesWords() throws Exception {
    String q = "SELECT probability / (probability - 50) AS r FROM crm.deals";
    assertContains("raise_error('division by zero')", sql("spark", q));
    assertContains("fail('division by zero')", sql("trino", q));
  }

  @Test
  void todayIsTheViewsZoneWallClock() throws Exception {
    assertContains("to_date(from_utc_timestamp(to_utc_timestamp(current_timestamp(), current_timezone()), "
        + "'Asia/Tokyo'))", sql("spark", "SELECT CURRENT_DATE AS d"));
    assertContains("CAST((current_timestamp AT TIME ZONE 'Asia/Tokyo') AS DATE)", sql("trino", "SELECT CURRENT_DATE AS d"));
    assertContains("CAST((now() AT TIME ZONE 'Asia/Tokyo') AS DATE)", sql("postgresql", "SELECT CURRENT_DATE AS d"));
    assertContains("CAST(timezone('Asia/Tokyo', now()) AS DATE)", sql("duckdb", "SELECT CURRENT_DATE AS d"));
  }

  @Test
  void weekIntervalsAreWrittenInDays() throws Exception {
    // Calcite keeps a week's text in days ('7'); written with WEEK, an engine would add 7 weeks
    String q = "SELECT TIMESTAMPADD(WEEK, 1, created_at) AS t FROM crm.deals";
    assertContains("INTERVAL '7' DAY", sql("spark", q));
    assertContains("INTERVAL '7' DAY", sql("trino", q));
    assertContains("INTERVAL '7' DAY", sql("postgresql", q));
  }

  @Test
  void floorToAUnitIsDateTrunc() throws Exception {
    String q = "SELECT FLOOR(created_at TO QUARTER) AS q FROM crm.deals";
    assertContains("date_trunc('QUARTER', `created_at`)", sql("spark", q));
    assertContains("date_trunc('quarter', \"created_at\")", sql("trino", q));
  }

  @Test
  void dayOfWeekCountsFromSundayZeroBeforeTheCompilersPlusOne() throws Exception {
    String q = "SELECT EXTRACT(DOW FROM created_at) AS d FROM crm.deals";
    assertContains("(dayofweek(`created_at`) - 1) + 1", sql("spark", q));
    assertContains("(day_of_week(\"created_at\") % 7) + 1", sql("trino", q));
  }

  @Test
  void wholeUnitsElapsedAndBoundariesCrossed() throws Exception {
    assertContains("timestampdiff(DAY, `created_at`, `closed_at`)",
        sql("spark", "SELECT DATESUB('day', created_at, closed_at) AS d FROM crm.deals"));
    assertContains("timestampdiff(MONTH, date_trunc('MONTH', `created_at`), date_trunc('MONTH', `closed_at`))",
        sql("spark", "SELECT DATE_DIFF('month', created_at, closed_at) AS d FROM crm.deals"));
    assertContains("date_diff('day', \"created_at\", \"closed_at\")",
        sql("trino", "SELECT DATESUB('day', created_at, closed_at) AS d FROM crm.deals"));
  }

  @Test
  void stringLiteralsArePlainText() throws Exception {
    String q = "SELECT 'Успех' AS a, 'a\\b' AS b";
    String spark = sql("spark", q);
    assertContains("'Успех'", spark);
    assertContains("'a\\\\b'", spark); // Spark reads a backslash as an escape
    String trino = sql("trino", q);
    assertContains("'Успех'", trino);
    assertContains("'a\\b'", trino);
  }

  @Test
  void epochSecondsAreMillisecondsSince1970DividedAsIntegers() throws Exception {
    String q = "SELECT EXTRACT(EPOCH FROM created_at) AS e FROM crm.deals";
    assertContains("timestampdiff(MILLISECOND, TIMESTAMP_NTZ '1970-01-01 00:00:00', ", sql("spark", q));
    assertContains("date_diff('millisecond', TIMESTAMP '1970-01-01 00:00:00', ", sql("trino", q));
  }

  @Test
  void trinoMedianIsTheExactInterpolatedPercentileOverTheSortedValues() throws Exception {
    String s = sql("trino", "SELECT PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY probability) AS m FROM crm.deals");
    // 1 + p (n - 1) = 2.5 for n = 4: the 2nd value plus half the way to the 3rd, as the standard says
    String values = "array_sort(filter(array_agg(\"probability\"), v -> v IS NOT NULL))";
    assertContains("(CASE WHEN cardinality(" + values + ") = 0 THEN NULL ELSE element_at(" + values
        + ", CAST(floor((1 + 0.5 * (cardinality(" + values + ") - 1))) AS BIGINT))", s);
    assertTrue(!s.contains("PERCENTILE_CONT") && !s.contains("approx_percentile"), s);
  }

  @Test
  void sparkTimestampLiteralsAreWallClock() throws Exception {
    // TIMESTAMP '…' would be an instant in Spark's session zone
    assertContains("TIMESTAMP_NTZ '2024-02-29 10:00:00", sql("spark", "SELECT CAST('2024-02-29 10:00:00' AS TIMESTAMP) AS t"));
  }
}
