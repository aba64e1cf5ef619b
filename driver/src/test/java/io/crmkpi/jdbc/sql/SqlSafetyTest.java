package io.crmkpi.jdbc.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No SQL text can crash or hang the process. Before the fix, 450+ IN items or VALUES rows became a
 * UNION ALL chain that killed the JVM (DuckDB's native stack), and deep nesting threw a raw
 * StackOverflowError; these run only after the fix, in this JVM.
 */
class SqlSafetyTest {

  static Connection c;
  static List<String> dealIds;
  static long deals;

  @BeforeAll
  static void connect() throws SQLException {
    c = DriverManager.getConnection("jdbc:crmkpi:demo");
    dealIds = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT deal_id FROM crm.deals ORDER BY deal_id")) {
      while (rs.next()) {
        dealIds.add(rs.getString(1));
      }
    }
    deals = dealIds.size();
    assertTrue(deals >= 5000, "the demo has " + deals + " deals");
  }

  @AfterAll
  static void close() throws SQLException {
    c.close();
  }

  @Test
  void inListsOfTenThousandLiteralsRunAsOneIn() throws SQLException {
    // 5,000 real deal ids and 5,000 that match nothing
    List<String> items = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      items.add("'" + dealIds.get(i) + "'");
      items.add("'no-such-deal-" + i + "'");
    }
    String in = "(" + String.join(", ", items) + ")";
    assertEquals(5000L, count("SELECT COUNT(*) FROM crm.deals WHERE deal_id IN " + in));
    assertEquals(deals - 5000, count("SELECT COUNT(*) FROM crm.deals WHERE deal_id NOT IN " + in));
    List<String> plan = rows("EXPLAIN SELECT COUNT(*) FROM crm.deals WHERE deal_id IN " + in);
    String store = String.join("\n", plan.subList(plan.indexOf("store statement (DuckDB):"), plan.size()));
    assertTrue(store.contains("\"deal_id\" IN ('"), store.substring(0, Math.min(300, store.length())));
    assertFalse(store.contains("UNION") || store.contains(" OR "), "no join or OR chain");
    // numbers: 0..9999, of which the amounts that are whole numbers in range match
    String nums = IntStream.range(0, 10_000).mapToObj(Integer::toString).collect(Collectors.joining(","));
    assertEquals(count("SELECT COUNT(*) FROM crm.deals WHERE amount >= 0 AND amount < 10000 AND amount = FLOOR(amount)"),
        count("SELECT COUNT(*) FROM crm.deals WHERE amount IN (" + nums + ")"));
  }

  @Test
  void valuesWithThousandsOfRowsStayValues() throws SQLException {
    String one = IntStream.range(0, 2000).mapToObj(i -> "(" + i + ")").collect(Collectors.joining(", "));
    // 0 + 1 + ... + 1999 = 1999 * 2000 / 2
    assertEquals(List.of("2000|1999000"), rows("SELECT COUNT(*), SUM(x) FROM (VALUES " + one + ") t(x)"));
    String two = IntStream.range(0, 1000).mapToObj(i -> "(" + i + ", 'ы" + i + "')").collect(Collectors.joining(", "));
    assertEquals(List.of("1000|ы999"), rows("SELECT COUNT(*), MAX(y) FROM (VALUES " + two + ") t(x, y) WHERE y LIKE 'ы9__'"
        + " OR x < 1000"));
    assertEquals(List.of("1"), rows("SELECT COUNT(*) FROM crm.deals WHERE deal_id IN (SELECT x FROM (VALUES "
        + IntStream.range(0, 600).mapToObj(i -> "('" + (i == 0 ? dealIds.get(0) : "none" + i) + "')")
            .collect(Collectors.joining(", ")) + ") t(x))"));
  }

  @Test
  void absurdNestingIsACleanError() throws SQLException {
    for (String sql : List.of(
        "SELECT " + "(".repeat(3000) + "1" + ")".repeat(3000),
        "SELECT " + String.join("+", java.util.Collections.nCopies(1000, "1")),
        "SELECT COUNT(*) FROM crm.deals WHERE " + IntStream.range(0, 1000).mapToObj(i -> "amount = " + i)
            .collect(Collectors.joining(" OR ")).replace("amount = 999", "(".repeat(500) + "amount = 999" + ")".repeat(500)),
        nestedSelects(150))) {
      SQLException e = assertThrows(SQLException.class, () -> rows(sql));
      assertEquals("54001", e.getSQLState(), e.getMessage());
      assertTrue(e.getMessage().startsWith("the statement is nested too deeply"), e.getMessage());
    }
    // what people write still runs: 150 terms, 100 parentheses, 20 nested sub-queries
    assertEquals(List.of("150"), rows("SELECT " + String.join("+", java.util.Collections.nCopies(150, "1"))));
    assertEquals(List.of("1"), rows("SELECT " + "(".repeat(100) + "1" + ")".repeat(100)));
    assertEquals(List.of("1"), rows(nestedSelects(20)));
  }

  @Test
  void fuzzedSqlGivesOnlySqlExceptions() throws SQLException {
    Random r = new Random(12);
    int errors = 0;
    int ran = 0;
    for (int i = 0; i < 150; i++) {
      String sql = fuzz(r);
      try {
        rows(sql);
        ran++;
      } catch (SQLException e) {
        errors++;
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), sql);
      } catch (Throwable t) {
        throw new AssertionError("not an SQLException for: " + abbreviate(sql), t);
      }
    }
    assertTrue(ran > 10 && errors > 10, "ran " + ran + ", errors " + errors); // the generator covers both
    assertEquals(List.of(Long.toString(deals)), rows("SELECT COUNT(*) FROM crm.deals")); // still alive
  }

  private static final String[] ODD = {"'", "\"", ";", "--", "/*", "*/", "::", "?", "N'ы'", "U&'\\0041'", "E'\\n'",
      "\u0000", "😀", "Привет", ")))", "(((", "CASE", "WHEN", "NULL", "SELECT", "FROM", ",", "IN ()", "VALUES",
      "INTERVAL", "'30 days'", "date", "month", "1e309", "99999999999999999999999", "-", "/", "0", "OVER ()",
      "ORDER BY 1", "LIMIT -1", "x'zz'", "DATE 'nope'", "[", "]", "{fn NOW()}", "%", "||", "ESCAPE"};

  private static String fuzz(Random r) {
    int shape = r.nextInt(6);
    return switch (shape) {
      case 0 -> { // random nesting
        int n = r.nextInt(r.nextBoolean() ? 50 : 3000);
        yield "SELECT " + "(".repeat(n) + r.nextInt(9) + ")".repeat(r.nextInt(4) == 0 ? n + 1 : n);
      }
      case 1 -> { // long lists
        int n = r.nextInt(1000);
        String items = IntStream.range(0, n).mapToObj(i -> r.nextBoolean() ? Integer.toString(i) : "'" + i + "'")
            .collect(Collectors.joining(","));
        yield "SELECT COUNT(*) FROM crm.deals WHERE " + (r.nextBoolean() ? "deal_id" : "amount")
            + (r.nextBoolean() ? " NOT" : "") + " IN (" + items + ")";
      }
      case 2 -> { // VALUES
        int n = 1 + r.nextInt(800);
        yield "SELECT COUNT(*) FROM (VALUES " + IntStream.range(0, n).mapToObj(i -> "(" + i + ")")
            .collect(Collectors.joining(",")) + ") t(x)";
      }
      case 3 -> { // odd tokens inserted into a valid query
        StringBuilder b = new StringBuilder("SELECT status, COUNT(*) FROM crm.deals WHERE amount > 10 GROUP BY status");
        for (int k = 1 + r.nextInt(3); k > 0; k--) {
          b.insert(r.nextInt(b.length() + 1), " " + ODD[r.nextInt(ODD.length)] + " ");
        }
        yield b.toString();
      }
      case 4 -> { // token soup
        StringBuilder b = new StringBuilder();
        for (int k = r.nextInt(30); k >= 0; k--) {
          b.append(ODD[r.nextInt(ODD.length)]).append(' ');
        }
        yield b.toString();
      }
      default -> { // long expression chains
        int n = 1 + r.nextInt(400);
        String op = new String[] {"+", "*", " AND ", " OR ", "||"}[r.nextInt(5)];
        yield "SELECT " + String.join(op, java.util.Collections.nCopies(n, op.equals(" AND ") || op.equals(" OR ")
            ? "amount > 1" : "1")) + " FROM crm.deals LIMIT 1";
      }
    };
  }

  private static String nestedSelects(int depth) {
    String q = "SELECT 1 AS x";
    for (int i = 0; i < depth; i++) {
      q = "SELECT x FROM (" + q + ") t" + i;
    }
    return q;
  }

  private static String abbreviate(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "…" : s;
  }

  static long count(String sql) throws SQLException {
    return Long.parseLong(rows(sql).get(0));
  }

  static List<String> rows(String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      return AnalystSqlTest.read(s.executeQuery(sql));
    }
  }
}
