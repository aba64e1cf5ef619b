package io.crmkpi.jdbc.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every expression means what its validated type says: a matrix of expressions (arithmetic, casts,
 * string and date functions, NULL handling, CASE, comparisons across types) is evaluated by
 * Calcite's own engine (a plain {@code jdbc:calcite:} connection, no tables) and by crmkpi (compiled
 * to the store's SQL and run there); values and type families must agree.
 */
class ExpressionDifferentialTest {

  static final List<String> MATRIX = List.of(
      // arithmetic: integers divide as integers, in both signs. (Not here: DECIMAL / DECIMAL, which the
      // store computes as a DOUBLE where Calcite types a DECIMAL: the values agree, the type does not.)
      "7 / 2", "-7 / 2", "7 % 3", "MOD(-7, 3)", "2 + 3 * 4", "CAST(7 AS BIGINT) / 2", "10 - 3.5", "2 * 3.5",
      "ABS(-3)", "SIGN(-3)", "FLOOR(2.7)", "CEIL(2.1)", "ROUND(2.5)", "ROUND(1.234, 2)", "POWER(2, 10)",
      "SQRT(16.0)",
      // casts
      "CAST('42' AS INTEGER)", "CAST(42 AS VARCHAR)", "CAST('2024-02-29' AS DATE)", "CAST('10:11:12' AS TIME)",
      "CAST('2024-01-01 10:00:00.123' AS TIMESTAMP(3))", "CAST(1.239 AS DECIMAL(5, 2))", "CAST(7 AS DOUBLE) / 2",
      // strings (Unicode included)
      "UPPER('abc')", "LOWER('ÄÖÜ')", "CHAR_LENGTH('Grüße')", "SUBSTRING('abcdef' FROM 2 FOR 3)",
      "TRIM('  x  ')", "POSITION('c' IN 'abcd')", "'a' || 'b'", "REPLACE('abcabc', 'b', 'x')",
      "'abc' LIKE 'a%'",  "'Grüße' LIKE 'Grü%'", "'a_c' LIKE 'a\\_c'",
      // dates and times
      "EXTRACT(YEAR FROM DATE '2024-02-29')", "EXTRACT(MONTH FROM DATE '2024-02-29')",
      "EXTRACT(DAY FROM DATE '2024-02-29')", "EXTRACT(QUARTER FROM DATE '2024-05-01')",
      "EXTRACT(DOY FROM DATE '2024-02-01')", "EXTRACT(HOUR FROM TIMESTAMP '2024-01-07 10:11:12')",
      "EXTRACT(DOW FROM DATE '2024-01-07')", "EXTRACT(DOW FROM DATE '2024-01-13')", "EXTRACT(ISODOW FROM DATE '2024-01-07')",
      "EXTRACT(WEEK FROM DATE '2024-01-07')", "EXTRACT(WEEK FROM DATE '2021-01-03')", "EXTRACT(ISOYEAR FROM DATE '2021-01-03')",
      "EXTRACT(EPOCH FROM TIMESTAMP '1970-01-02 00:00:01')", "EXTRACT(MILLISECOND FROM TIMESTAMP '2024-01-07 10:11:12.345')",
      "EXTRACT(MICROSECOND FROM TIMESTAMP '2024-01-07 10:11:12.345')", "EXTRACT(DECADE FROM DATE '2024-01-07')",
      "EXTRACT(CENTURY FROM DATE '2024-01-07')", "EXTRACT(MILLENNIUM FROM DATE '2024-01-07')",
      "EXTRACT(EPOCH FROM TIMESTAMP '1969-12-31 23:59:59')", "EXTRACT(EPOCH FROM DATE '1970-01-03')",
      "EXTRACT(MINUTE FROM TIMESTAMP '2024-01-07 10:11:12')", "EXTRACT(SECOND FROM TIMESTAMP '2024-01-07 10:11:12')",
      "DATE '2024-01-31' + INTERVAL '1' MONTH", "TIMESTAMPADD(DAY, 3, DATE '2024-02-27')",
      "TIMESTAMPADD(HOUR, 30, TIMESTAMP '2024-02-28 10:00:00')",
      // week, quarter and sub-second steps: Calcite writes their interval text in days, months, seconds
      "TIMESTAMPADD(WEEK, -1, TIMESTAMP '2026-12-07 00:00:00')", "TIMESTAMPADD(QUARTER, 1, TIMESTAMP '2026-12-07 00:00:00')",
      "TIMESTAMPADD(MILLISECOND, 1500, TIMESTAMP '1970-01-01 00:00:00')", "TIMESTAMPADD(WEEK, 2, DATE '2024-02-27')",
      "TIMESTAMP '2024-01-01 00:00:00' + INTERVAL '2' WEEK", "DATE '2024-01-31' + INTERVAL '1' QUARTER",
      "TIMESTAMPDIFF(MONTH, DATE '2024-01-31', DATE '2024-03-01')",
      "TIMESTAMPDIFF(DAY, TIMESTAMP '2024-01-01 10:00:00', TIMESTAMP '2024-01-03 09:00:00')",
      "FLOOR(TIMESTAMP '2024-05-15 10:11:12' TO QUARTER)", "FLOOR(TIMESTAMP '2024-05-15 10:11:12' TO HOUR)",
      "FLOOR(DATE '2024-05-15' TO YEAR)", "FLOOR(DATE '2024-05-15' TO DECADE)",
      "FLOOR(DATE '2024-05-15' TO CENTURY)", "FLOOR(TIMESTAMP '2000-05-15 10:00:00' TO MILLENNIUM)", "FLOOR(DATE '2024-05-15' TO MONTH)",
      // NULL handling
      "COALESCE(NULL, 2)", "NULLIF(3, 3)", "10 / NULLIF(0, 0)", "10 / NULLIF(4, 0)", "NULLIF(3, 4)", "CAST(NULL AS INTEGER) + 1",
      "CAST(NULL AS INTEGER) IS NULL", "1 = CAST(NULL AS INTEGER)",
      // CASE
      "CASE WHEN 1 > 2 THEN 'a' ELSE 'bb' END", "CASE 2 WHEN 1 THEN 'x' WHEN 2 THEN 'y' END",
      "CASE WHEN 1 < 2 THEN 1 ELSE 2.5 END",
      // comparisons across types
      "1 = 1.0", "2 > 1.5", "DATE '2024-01-01' < TIMESTAMP '2024-01-01 00:00:01'", "'10' < '9'",
      "1 BETWEEN 0 AND 2", "3 IN (1, 2, 3)", "'b' NOT IN ('a', 'c')");

  static Connection calcite;
  static Connection crmkpi;

  @BeforeAll
  static void connect() throws SQLException {
    calcite = DriverManager.getConnection("jdbc:calcite:conformance=LENIENT");
    crmkpi = DriverManager.getConnection("jdbc:crmkpi:demo");
  }

  @AfterAll
  static void close() throws SQLException {
    calcite.close();
    crmkpi.close();
  }

  @Test
  void crmkpiAgreesWithCalcitesEngine() throws SQLException {
    List<String> differences = new ArrayList<>();
    for (String e : MATRIX) {
      String sql = "SELECT " + e + " FROM (VALUES (0)) AS t(z)";
      Cell expected = evalOrError(calcite, sql);
      Cell got = evalOrError(crmkpi, sql);
      if (!expected.value.equals(got.value) || !expected.family.equals(got.family)) {
        differences.add(e + ": Calcite " + expected + ", crmkpi " + got);
      }
    }
    assertEquals(List.of(), differences);
  }

  @Test
  void theMatrixReallyDiscriminates() throws SQLException {
    // the comparison itself must see a wrong answer: DuckDB's own 7 / 2 is 3.5
    assertEquals(new Cell("3.5", "approximate"), eval(crmkpi, "SELECT CAST(7 AS DOUBLE) / 2"));
    assertEquals(new Cell("3", "integer"), eval(crmkpi, "SELECT 7 / 2"));
  }

  @Test
  void divisionByZeroIsAnErrorAsTheStandardSays() throws SQLException {
    // a constant zero: SQLSTATE 22012 at compile time
    SQLException constant = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class,
        () -> eval(crmkpi, "SELECT 1 / 0"));
    assertEquals("22012", constant.getSQLState());
    assertEquals("division by zero", constant.getMessage());
    // a zero in the data fails when it is met, and only then: 10 // 5 = 2 when no row is zero
    assertEquals(new Cell("2", "integer"), eval(crmkpi, "SELECT 10 / x FROM (VALUES (5)) t(x)"));
    for (String e : List.of("1 / x FROM (VALUES (5), (0)) t(x)", "1.5 / x FROM (VALUES (0)) t(x)",
        "MOD(7, x) FROM (VALUES (0)) t(x)", "CAST(1 AS DOUBLE) / x FROM (VALUES (0)) t(x)", "1 / 0", "7 % 0")) {
      SQLException x = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class,
          () -> eval(crmkpi, "SELECT " + e), e);
      assertTrue(x.getMessage().contains("division by zero"), e + ": " + x.getMessage());
      assertTrue(x.getMessage().lines().count() == 1, x.getMessage());
    }
  }

  record Cell(String value, String family) {
  }

  static Cell evalOrError(Connection c, String sql) {
    try {
      return eval(c, sql);
    } catch (SQLException e) {
      return new Cell("error: " + e.getMessage().lines().findFirst().orElse(""), "error");
    }
  }

  static Cell eval(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next(), sql);
      int type = rs.getMetaData().getColumnType(1);
      Object o = rs.getObject(1);
      return new Cell(normalize(o), family(type));
    }
  }

  static String normalize(Object o) {
    if (o == null) {
      return "null";
    }
    if (o instanceof Double || o instanceof Float) {
      double d = ((Number) o).doubleValue();
      return new BigDecimal(d).setScale(9, java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }
    if (o instanceof Number n) {
      return new BigDecimal(n.toString()).stripTrailingZeros().toPlainString();
    }
    if (o instanceof java.sql.Timestamp t) {
      return t.toLocalDateTime().toString();
    }
    if (o instanceof java.sql.Date d) {
      return d.toLocalDate().toString();
    }
    if (o instanceof java.sql.Time t) {
      return t.toLocalTime().toString();
    }
    if (o instanceof java.time.LocalDateTime || o instanceof java.time.LocalDate || o instanceof java.time.LocalTime) {
      return o.toString();
    }
    return o.toString();
  }

  static String family(int type) {
    return switch (type) {
      case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> "integer";
      case Types.DECIMAL, Types.NUMERIC -> "decimal";
      case Types.REAL, Types.FLOAT, Types.DOUBLE -> "approximate";
      case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR -> "text";
      case Types.BOOLEAN, Types.BIT -> "boolean";
      case Types.DATE -> "date";
      case Types.TIME, Types.TIME_WITH_TIMEZONE -> "time";
      case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> "timestamp";
      default -> "type " + type;
    };
  }
}
