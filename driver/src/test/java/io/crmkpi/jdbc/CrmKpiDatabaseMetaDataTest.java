package io.crmkpi.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmkpi.jdbc.catalog.CatalogFunctions;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DatabaseMetaData tells the truth about crmkpi: every method is crmkpi's own, types, keywords and
 * functions are those its compiler accepts (each one is run), keys follow the canonical model.
 */
class CrmKpiDatabaseMetaDataTest {

  static Connection c;
  static DatabaseMetaData md;

  @BeforeAll
  static void connect() throws SQLException {
    c = DriverManager.getConnection("jdbc:crmkpi:script:jdbc/small.sql");
    md = c.getMetaData();
  }

  @AfterAll
  static void close() throws SQLException {
    c.close();
  }

  @Test
  void everyMethodIsDeclaredByTheClassNothingIsForwarded() throws Exception {
    assertEquals(CrmKpiDatabaseMetaData.class, md.getClass());
    List<String> missing = new ArrayList<>();
    List<Method> methods = new ArrayList<>(List.of(DatabaseMetaData.class.getMethods()));
    for (Method m : methods) {
      if (Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      try {
        Method own = CrmKpiDatabaseMetaData.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
        assertFalse(own.isBridge() || own.isDefault(), m.toString());
      } catch (NoSuchMethodException e) {
        missing.add(m.getName());
      }
    }
    assertEquals(List.of(), missing, "DatabaseMetaData methods left to a default");
    assertTrue(methods.size() >= 179, "JDBC 4.2 has 177 metadata methods + 2 of Wrapper: " + methods.size());
    assertThrows(SQLException.class, () -> md.unwrap(Class.forName("org.duckdb.DuckDBDatabaseMetaData")));
    assertFalse(md.isWrapperFor(Class.forName("org.duckdb.DuckDBDatabaseMetaData")));
    assertEquals(md, md.unwrap(DatabaseMetaData.class));
  }

  @Test
  void productDriverAndConnection() throws SQLException {
    assertEquals("crmkpi", md.getDatabaseProductName());
    assertTrue(md.getDatabaseProductVersion().startsWith(Driver.VERSION + " (store: DuckDB v1."),
        md.getDatabaseProductVersion());
    assertEquals("jdbc:crmkpi:script:jdbc/small.sql", md.getURL());
    assertTrue(md.getConnection() == c, "getConnection() is the crmkpi connection");
    assertEquals(4, md.getJDBCMajorVersion());
    assertEquals(2, md.getJDBCMinorVersion());
  }

  @Test
  void capabilitiesAreOnlyWhatWorks() throws SQLException {
    assertTrue(md.isReadOnly());
    assertFalse(md.supportsBatchUpdates());
    assertFalse(md.supportsAlterTableWithAddColumn());
    assertFalse(md.supportsAlterTableWithDropColumn());
    assertFalse(md.supportsTransactions());
    assertFalse(md.supportsStoredProcedures());
    assertFalse(md.supportsGetGeneratedKeys());
    assertFalse(md.supportsSelectForUpdate());
    // and indeed: a schema change is refused
    try (Statement s = c.createStatement()) {
      assertThrows(SQLException.class, () -> s.execute("ALTER TABLE crm.deals ADD COLUMN x INTEGER"));
    }
    assertTrue(md.supportsResultSetType(ResultSet.TYPE_FORWARD_ONLY));
    assertFalse(md.supportsResultSetType(ResultSet.TYPE_SCROLL_INSENSITIVE));
    assertFalse(md.supportsResultSetType(ResultSet.TYPE_SCROLL_SENSITIVE));
    assertTrue(md.supportsResultSetConcurrency(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY));
    assertFalse(md.supportsResultSetConcurrency(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_UPDATABLE));
    assertEquals(ResultSet.CLOSE_CURSORS_AT_COMMIT, md.getResultSetHoldability());
    assertTrue(md.supportsResultSetHoldability(ResultSet.CLOSE_CURSORS_AT_COMMIT));
    assertFalse(md.supportsResultSetHoldability(ResultSet.HOLD_CURSORS_OVER_COMMIT));
    assertEquals(java.sql.RowIdLifetime.ROWID_UNSUPPORTED, md.getRowIdLifetime());
    assertEquals("\"", md.getIdentifierQuoteString());
    assertEquals("\\", md.getSearchStringEscape());
    assertEquals(128, md.getMaxColumnNameLength());
    assertEquals(0, md.getMaxRowSize());
    assertTrue(md.storesMixedCaseIdentifiers());
    assertFalse(md.supportsMixedCaseIdentifiers());
  }

  /** Each SQL capability reported true, exercised on small.sql's four deals (amounts 1000, 500, 10, 20). */
  @Test
  void everySqlCapabilityReportedTrueWorks() throws SQLException {
    assertTrue(md.supportsColumnAliasing() && md.supportsTableCorrelationNames());
    assertEquals(List.of("d1"), strings("SELECT x.deal_id AS id FROM crm.deals x WHERE x.amount = 1000"));
    assertTrue(md.nullPlusNonNullIsNull());
    assertEquals(java.util.Arrays.asList(null, null), row("SELECT CAST(NULL AS INTEGER) + 1, 'a' || CAST(NULL AS VARCHAR)"));
    assertTrue(md.supportsExpressionsInOrderBy() && md.supportsOrderByUnrelated());
    assertEquals(List.of("d3", "d4", "d2", "d1"), strings("SELECT deal_id FROM crm.deals ORDER BY amount * -1 DESC"));
    assertTrue(md.supportsGroupBy() && md.supportsGroupByUnrelated() && md.supportsGroupByBeyondSelect());
    assertEquals(List.of("4"), strings("SELECT COUNT(*) FROM crm.deals GROUP BY pipeline_id"));
    assertTrue(md.supportsLikeEscapeClause());
    assertEquals(List.of("true"), strings("SELECT 'a_b' LIKE 'a!_b' ESCAPE '!'"));
    assertTrue(md.supportsOuterJoins() && md.supportsFullOuterJoins() && md.supportsLimitedOuterJoins());
    // stages s1, s2, w, l; deals sit in w (2), l (1), s2 (1): s1 has no deal
    assertEquals(List.of("s1"), strings("SELECT s.stage_id FROM crm.deals d FULL OUTER JOIN crm.stages s "
        + "ON d.stage_id = s.stage_id WHERE d.deal_id IS NULL"));
    assertTrue(md.supportsSubqueriesInComparisons() && md.supportsSubqueriesInExists() && md.supportsSubqueriesInIns()
        && md.supportsSubqueriesInQuantifieds() && md.supportsCorrelatedSubqueries());
    assertEquals(List.of("d1"), strings("SELECT deal_id FROM crm.deals WHERE amount = (SELECT MAX(amount) FROM crm.deals)"));
    assertEquals(List.of("d1"), strings("SELECT deal_id FROM crm.deals WHERE amount >= ALL (SELECT amount FROM crm.deals)"));
    assertEquals(List.of("d2", "d3"), strings("SELECT deal_id FROM crm.deals d WHERE amount < "
        + "(SELECT AVG(amount) * 2 FROM crm.deals e WHERE e.currency = d.currency) AND EXISTS "
        + "(SELECT 1 FROM crm.stages s WHERE s.stage_id = d.stage_id AND s.kind <> 'won') ORDER BY deal_id"));
    assertEquals(List.of("d1", "d4"), strings("SELECT deal_id FROM crm.deals WHERE stage_id IN "
        + "(SELECT stage_id FROM crm.stages WHERE kind = 'won') ORDER BY deal_id"));
    assertTrue(md.supportsUnion() && md.supportsUnionAll());
    assertEquals(List.of("a", "a"), strings("SELECT 'a' UNION ALL SELECT 'a'"));
    assertEquals(List.of("a"), strings("SELECT 'a' UNION SELECT 'a'"));
    assertTrue(md.supportsSchemasInDataManipulation());
    assertFalse(md.supportsConvert());
  }

  @Test
  void isolationAnswersAgreeWithTheConnection() throws SQLException {
    try (Connection fresh = DriverManager.getConnection("jdbc:crmkpi:script:jdbc/small.sql")) {
      int level = fresh.getTransactionIsolation();
      assertEquals(Connection.TRANSACTION_READ_COMMITTED, level);
      assertEquals(level, fresh.getMetaData().getDefaultTransactionIsolation());
      assertTrue(fresh.getMetaData().supportsTransactionIsolationLevel(level));
      assertFalse(fresh.getMetaData().supportsTransactionIsolationLevel(Connection.TRANSACTION_SERIALIZABLE));
      assertFalse(fresh.getMetaData().supportsTransactionIsolationLevel(Connection.TRANSACTION_REPEATABLE_READ));
    }
  }

  @Test
  void nullsSortHighAsReported() throws SQLException {
    assertTrue(md.nullsAreSortedHigh());
    assertFalse(md.nullsAreSortedAtEnd());
    // d3 is the only open deal (closed_at NULL): last ascending, first descending
    assertEquals(List.of("d3", "d2", "d4", "d1"),
        strings("SELECT deal_id FROM crm.deals ORDER BY closed_at DESC"));
    assertEquals(List.of("d1", "d4", "d2", "d3"), strings("SELECT deal_id FROM crm.deals ORDER BY closed_at"));
  }

  @Test
  void typeInfoHasTheEighteenColumnsAndEveryTypeCasts() throws SQLException {
    List<String> labels = List.of("TYPE_NAME", "DATA_TYPE", "PRECISION", "LITERAL_PREFIX", "LITERAL_SUFFIX",
        "CREATE_PARAMS", "NULLABLE", "CASE_SENSITIVE", "SEARCHABLE", "UNSIGNED_ATTRIBUTE", "FIXED_PREC_SCALE",
        "AUTO_INCREMENT", "LOCAL_TYPE_NAME", "MINIMUM_SCALE", "MAXIMUM_SCALE", "SQL_DATA_TYPE", "SQL_DATETIME_SUB",
        "NUM_PREC_RADIX");
    // a literal of each type, and how the value reads back
    Map<String, String[]> samples = new LinkedHashMap<>();
    samples.put("TINYINT", new String[] {"-7", "-7"});
    samples.put("BIGINT", new String[] {"9007199254740993", "9007199254740993"});
    samples.put("CHAR", new String[] {"ab", "ab"});
    samples.put("DECIMAL", new String[] {"12.345", "12"});
    samples.put("INTEGER", new String[] {"2147483647", "2147483647"});
    samples.put("SMALLINT", new String[] {"-32768", "-32768"});
    samples.put("REAL", new String[] {"1.5", "1.5"});
    samples.put("DOUBLE", new String[] {"0.125", "0.125"});
    samples.put("VARCHAR", new String[] {"Won deals", "Won deals"});
    samples.put("BOOLEAN", new String[] {"true", "true"});
    samples.put("DATE", new String[] {"2024-02-29", "2024-02-29"});
    samples.put("TIME", new String[] {"13:45:30", "13:45:30"});
    samples.put("TIMESTAMP", new String[] {"2024-02-29 13:45:30", "2024-02-29 13:45:30"});
    List<String> names = new ArrayList<>();
    List<Integer> dataTypes = new ArrayList<>();
    try (ResultSet rs = md.getTypeInfo()) {
      ResultSetMetaData rm = rs.getMetaData();
      List<String> actual = new ArrayList<>();
      for (int i = 1; i <= rm.getColumnCount(); i++) {
        actual.add(rm.getColumnLabel(i));
      }
      assertEquals(labels, actual);
      while (rs.next()) {
        String name = rs.getString("TYPE_NAME");
        names.add(name);
        dataTypes.add(rs.getInt("DATA_TYPE"));
        assertEquals(DatabaseMetaData.typeNullable, rs.getShort("NULLABLE"), name);
        assertTrue(rs.getInt("PRECISION") > 0, name);
        String[] sample = samples.get(name);
        assertNotNull(sample, "no sample for " + name);
        String prefix = rs.getString("LITERAL_PREFIX");
        String suffix = rs.getString("LITERAL_SUFFIX");
        String literal = prefix == null ? sample[0] : prefix + sample[0] + suffix;
        String target = name.equals("DECIMAL") ? "DECIMAL(5, 0)" : name.equals("CHAR") ? "CHAR(2)" : name;
        try (Statement s = c.createStatement();
             ResultSet v = s.executeQuery("SELECT CAST(" + literal + " AS " + target + ") AS v")) {
          assertTrue(v.next());
          // java.sql.Timestamp's text form adds ".0"; the value is what counts
          assertEquals(sample[1], v.getString(1).replaceFirst("\\.0$", ""), name);
        }
        if (name.equals("DECIMAL")) {
          assertEquals("precision,scale", rs.getString("CREATE_PARAMS"));
          assertEquals(38, rs.getInt("MAXIMUM_SCALE"));
          assertEquals(10, rs.getInt("NUM_PREC_RADIX"));
        }
        if (name.equals("TIMESTAMP")) {
          assertEquals("TIMESTAMP '", prefix);
          assertEquals(6, rs.getInt("MAXIMUM_SCALE"));
        }
      }
    }
    assertEquals(List.copyOf(samples.keySet()), names);
    List<Integer> sorted = new ArrayList<>(dataTypes);
    sorted.sort(null);
    assertEquals(sorted, dataTypes, "ordered by DATA_TYPE");
    assertEquals(Types.BOOLEAN, dataTypes.get(names.indexOf("BOOLEAN")));
  }

  @Test
  void keywordsAreTheWordsCrmkpiReserves() throws SQLException {
    String keywords = md.getSQLKeywords();
    assertFalse(keywords.isBlank());
    assertFalse(keywords.toUpperCase(Locale.ROOT).contains("PRAGMA"), "a DuckDB word: " + keywords);
    for (String k : keywords.split(",")) {
      try (Statement s = c.createStatement()) {
        // quoted, every keyword is a name; that is what an editor needs to know
        try (ResultSet rs = s.executeQuery("SELECT 1 AS \"" + k + "\"")) {
          assertTrue(rs.next());
          assertEquals(k, rs.getMetaData().getColumnLabel(1));
        }
        assertThrows(SQLException.class, () -> s.executeQuery("SELECT 1 AS " + k).close(), k + " unquoted");
      }
    }
  }

  /** Each JDBC escape function listed, called as {fn NAME(...)}, with its hand-worked answer. */
  @Test
  void everyListedFunctionRunsWithTheRightAnswer() throws SQLException {
    Map<String, Object> cases = new LinkedHashMap<>();
    cases.put("ABS(-2)", 2.0);
    cases.put("ACOS(1)", 0.0);
    cases.put("ASIN(0)", 0.0);
    cases.put("ATAN(0)", 0.0);
    cases.put("ATAN2(0, 1)", 0.0);
    cases.put("CBRT(27)", 3.0);
    cases.put("CEILING(1.2)", 2.0);
    cases.put("COS(0)", 1.0);
    cases.put("COT(1)", 0.6420926159343306);
    cases.put("DEGREES(1)", 57.29577951308232);
    cases.put("EXP(0)", 1.0);
    cases.put("FLOOR(1.7)", 1.0);
    cases.put("LOG(100)", 4.605170185988092);
    cases.put("LOG10(1000)", 3.0);
    cases.put("MOD(7, 3)", 1.0);
    cases.put("PI()", Math.PI);
    cases.put("POWER(2, 10)", 1024.0);
    cases.put("RAND()", "~0\\.\\d+(E-\\d+)?|0");
    cases.put("RADIANS(180)", Math.PI);
    cases.put("ROUND(2.567, 2)", 2.57);
    cases.put("SIGN(-5)", -1.0);
    cases.put("SIN(0)", 0.0);
    cases.put("SQRT(16)", 4.0);
    cases.put("TAN(0)", 0.0);
    cases.put("TRUNCATE(2.567, 1)", 2.5);
    cases.put("ASCII('A')", 65.0);
    cases.put("CHAR(65)", "A");
    cases.put("CONCAT('ab', 'cd')", "abcd");
    cases.put("DIFFERENCE('Robert', 'Rupert')", 4.0);
    cases.put("INSERT('abcdef', 2, 3, 'XY')", "aXYef");
    cases.put("LCASE('AbC')", "abc");
    cases.put("LEFT('abcdef', 2)", "ab");
    cases.put("LENGTH('abcd')", 4.0);
    cases.put("LOCATE('c', 'abcabc')", 3.0);
    cases.put("LTRIM('  x')", "x");
    cases.put("REPEAT('ab', 3)", "ababab");
    cases.put("REPLACE('abcabc', 'b', 'X')", "aXcaXc");
    cases.put("RIGHT('abcdef', 2)", "ef");
    cases.put("RTRIM('x  ')", "x");
    cases.put("SOUNDEX('Robert')", "R163");
    cases.put("SPACE(3)", "   ");
    cases.put("SUBSTRING('abcdef', 2, 3)", "bcd");
    cases.put("UCASE('abc')", "ABC");
    cases.put("CURDATE()", "~20\\d\\d-\\d\\d-\\d\\d");
    cases.put("CURTIME()", "~\\d\\d:\\d\\d:\\d\\d.*");
    cases.put("DAYNAME(DATE '2024-03-01')", "Friday");
    cases.put("DAYOFMONTH(DATE '2024-03-01')", 1.0);
    cases.put("DAYOFYEAR(DATE '2024-03-01')", 61.0);
    cases.put("HOUR(TIMESTAMP '2024-03-01 13:45:30')", 13.0);
    cases.put("MINUTE(TIMESTAMP '2024-03-01 13:45:30')", 45.0);
    cases.put("MONTH(DATE '2024-03-01')", 3.0);
    cases.put("MONTHNAME(DATE '2024-03-01')", "March");
    cases.put("NOW()", "~20\\d\\d-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d.*");
    cases.put("QUARTER(DATE '2024-08-01')", 3.0);
    cases.put("SECOND(TIMESTAMP '2024-03-01 13:45:30')", 30.0);
    cases.put("TIMESTAMPADD(SQL_TSI_DAY, 3, TIMESTAMP '2024-03-01 00:00:00')", "~2024-03-04 00:00:00(\\.0+)?");
    cases.put("TIMESTAMPDIFF(SQL_TSI_DAY, TIMESTAMP '2024-03-01 00:00:00', TIMESTAMP '2024-03-04 12:00:00')", 3.0);
    cases.put("WEEK(DATE '2024-03-01')", 9.0); // ISO week
    cases.put("YEAR(DATE '2024-03-01')", 2024.0);
    cases.put("DATABASE()", "~.*");
    cases.put("IFNULL(NULL, 5)", 5.0);
    cases.put("USER()", "~.*");
    List<String> listed = new ArrayList<>();
    for (String list : List.of(md.getNumericFunctions(), md.getStringFunctions(), md.getTimeDateFunctions(),
        md.getSystemFunctions())) {
      listed.addAll(List.of(list.split(",")));
    }
    List<String> failures = new ArrayList<>();
    for (String name : listed) {
      String call = cases.keySet().stream().filter(k -> k.startsWith(name + "(")).findFirst()
          .orElseThrow(() -> new AssertionError("no case for listed function " + name));
      Object expected = cases.get(call);
      String sql = "SELECT {fn " + call + "}";
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
        assertTrue(rs.next());
        if (expected instanceof Double d) {
          double v = rs.getDouble(1);
          if (Math.abs(v - d) > 1e-9) {
            failures.add(call + " = " + v + ", expected " + d);
          }
        } else if (((String) expected).startsWith("~")) {
          String v = rs.getString(1);
          if (v == null || !v.matches(((String) expected).substring(1))) {
            failures.add(call + " = " + v);
          }
        } else if (!expected.equals(rs.getString(1))) {
          failures.add(call + " = '" + rs.getString(1) + "', expected '" + expected + "'");
        }
      } catch (SQLException e) {
        failures.add(call + ": " + e.getMessage().lines().findFirst().orElse(""));
      }
    }
    assertEquals(List.of(), failures);
  }

  @Test
  void aggregatesListedByGetFunctionsRun() throws SQLException {
    // deals of small.sql: amounts 1000, 500, 10, 20 (in their currencies)
    Map<String, Double> expected = Map.of("AVG", 382.5, "COUNT", 4.0, "MAX", 1000.0, "MIN", 10.0, "SUM", 1530.0,
        "STDDEV_POP", 407.82195870256913, "STDDEV_SAMP", 470.9122352767375, "VAR_POP", 166318.75,
        "VAR_SAMP", 221758.33333333334);
    assertEquals(expected.keySet(), new java.util.HashSet<>(CatalogFunctions.AGGREGATE));
    for (String f : CatalogFunctions.AGGREGATE) {
      try (Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT " + f + "(amount) FROM crm.deals")) {
        assertTrue(rs.next());
        assertEquals(expected.get(f), rs.getDouble(1), 1e-6, f);
      }
    }
  }

  @Test
  void functionsAndProceduresUseTheirOwnColumnLabels() throws SQLException {
    try (ResultSet rs = md.getFunctions(null, null, "DAY%")) {
      assertEquals(List.of("FUNCTION_CAT", "FUNCTION_SCHEM", "FUNCTION_NAME", "REMARKS", "FUNCTION_TYPE",
          "SPECIFIC_NAME"), labels(rs));
      List<String> names = new ArrayList<>();
      while (rs.next()) {
        names.add(rs.getString("FUNCTION_NAME"));
        assertEquals(DatabaseMetaData.functionNoTable, rs.getShort("FUNCTION_TYPE"));
        assertNull(rs.getString("FUNCTION_SCHEM"));
      }
      assertEquals(List.of("DAYNAME", "DAYOFMONTH", "DAYOFYEAR"), names);
    }
    try (ResultSet rs = md.getFunctions(null, "crm", "%")) {
      assertFalse(rs.next(), "built-in functions live in no schema");
    }
    try (ResultSet rs = md.getFunctions(null, null, "%")) {
      int n = 0;
      while (rs.next()) {
        n++;
      }
      assertEquals(CatalogFunctions.NUMERIC.size() + CatalogFunctions.STRING.size()
          + CatalogFunctions.TIME_DATE.size() + CatalogFunctions.SYSTEM.size() + CatalogFunctions.AGGREGATE.size(), n);
    }
    try (ResultSet rs = md.getFunctionColumns(null, null, "%", "%")) {
      List<String> l = labels(rs);
      assertEquals(17, l.size());
      assertEquals("FUNCTION_NAME", l.get(2));
      assertEquals("SPECIFIC_NAME", l.get(16));
      assertFalse(rs.next());
    }
    try (ResultSet rs = md.getProcedures(null, null, "%")) {
      assertEquals(List.of("PROCEDURE_CAT", "PROCEDURE_SCHEM", "PROCEDURE_NAME", "RESERVED1", "RESERVED2",
          "RESERVED3", "REMARKS", "PROCEDURE_TYPE", "SPECIFIC_NAME"), labels(rs));
      assertFalse(rs.next());
    }
    try (ResultSet rs = md.getClientInfoProperties()) {
      assertEquals(List.of("NAME", "MAX_LEN", "DEFAULT_VALUE", "DESCRIPTION"), labels(rs));
      List<String> names = new ArrayList<>();
      while (rs.next()) {
        names.add(rs.getString("NAME"));
      }
      assertEquals(List.of("ApplicationName", "ClientHostname", "ClientUser"), names);
    }
  }

  @Test
  void foreignKeysFollowTheModel() throws SQLException {
    List<String> fkLabels = List.of("PKTABLE_CAT", "PKTABLE_SCHEM", "PKTABLE_NAME", "PKCOLUMN_NAME", "FKTABLE_CAT",
        "FKTABLE_SCHEM", "FKTABLE_NAME", "FKCOLUMN_NAME", "KEY_SEQ", "UPDATE_RULE", "DELETE_RULE", "FK_NAME",
        "PK_NAME", "DEFERRABILITY");
    try (ResultSet rs = md.getImportedKeys(null, "crm", "deals")) {
      assertEquals(fkLabels, labels(rs));
      List<String> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(rs.getString("FKCOLUMN_NAME") + "->" + rs.getString("PKTABLE_SCHEM") + "."
            + rs.getString("PKTABLE_NAME") + "." + rs.getString("PKCOLUMN_NAME") + " " + rs.getString("FK_NAME")
            + " " + rs.getString("PK_NAME"));
        assertEquals(1, rs.getShort("KEY_SEQ"));
        assertEquals(DatabaseMetaData.importedKeyNoAction, rs.getShort("UPDATE_RULE"));
        assertEquals(DatabaseMetaData.importedKeyNoAction, rs.getShort("DELETE_RULE"));
        assertEquals(DatabaseMetaData.importedKeyNotDeferrable, rs.getShort("DEFERRABILITY"));
      }
      // ordered by the referenced table
      assertEquals(List.of(
          "company_id->crm.companies.company_id deals_company_id_fkey companies_pkey",
          "contact_id->crm.contacts.contact_id deals_contact_id_fkey contacts_pkey",
          "lead_id->crm.leads.lead_id deals_lead_id_fkey leads_pkey",
          "pipeline_id->crm.pipelines.pipeline_id deals_pipeline_id_fkey pipelines_pkey",
          "stage_id->crm.stages.stage_id deals_stage_id_fkey stages_pkey",
          "owner_user_id->crm.users.user_id deals_owner_user_id_fkey users_pkey"), rows);
    }
    // PK_NAME is the name getPrimaryKeys gives
    try (ResultSet rs = md.getPrimaryKeys(null, "crm", "pipelines")) {
      assertTrue(rs.next());
      assertEquals("pipelines_pkey", rs.getString("PK_NAME"));
    }
    try (ResultSet rs = md.getExportedKeys(null, "crm", "pipelines")) {
      assertEquals(fkLabels, labels(rs));
      List<String> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(rs.getString("FKTABLE_NAME") + "." + rs.getString("FKCOLUMN_NAME"));
      }
      assertEquals(List.of("deal_stage_history.pipeline_id", "deals.pipeline_id", "stages.pipeline_id",
          "targets.pipeline_id"), rows);
    }
    try (ResultSet rs = md.getCrossReference(null, "crm", "stages", null, "crm", "deal_stage_history")) {
      List<String> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(rs.getString("FK_NAME"));
      }
      assertEquals(List.of("deal_stage_history_from_stage_id_fkey", "deal_stage_history_to_stage_id_fkey"), rows);
    }
    try (ResultSet rs = md.getImportedKeys(null, "kpi", "sales_period")) {
      assertFalse(rs.next(), "views have no keys");
    }
  }

  @Test
  void keyColumnsAreNotNullAndEveryColumnHasASize() throws SQLException {
    try (ResultSet rs = md.getColumns(null, "crm", "fx_rates", "%")) {
      List<String> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(rs.getString("COLUMN_NAME") + " " + rs.getInt("NULLABLE") + " " + rs.getString("IS_NULLABLE"));
      }
      assertEquals(List.of("currency 0 NO", "rate_date 0 NO", "rate_to_base 1 YES"), rows);
    }
    Map<String, String> deals = new LinkedHashMap<>();
    try (ResultSet rs = md.getColumns(null, "crm", "deals", "%")) {
      while (rs.next()) {
        deals.put(rs.getString("COLUMN_NAME"), rs.getString("COLUMN_SIZE") + "/" + rs.getString("DECIMAL_DIGITS")
            + "/" + rs.getString("NUM_PREC_RADIX") + "/" + rs.getString("CHAR_OCTET_LENGTH") + "/"
            + rs.getString("IS_NULLABLE"));
      }
    }
    assertEquals("2147483647/null/null/2147483647/NO", deals.get("deal_id"));
    assertEquals("2147483647/null/null/2147483647/YES", deals.get("title"));
    assertEquals("3/null/null/12/YES", deals.get("currency"));
    assertEquals("18/2/10/null/YES", deals.get("amount"));
    assertEquals("26/6/null/null/YES", deals.get("created_at"));
    assertEquals("1/null/null/null/YES", deals.get("is_deleted"));
    // every column of every table and view: a size, and digits/radix for every number
    int columns = 0;
    try (ResultSet rs = md.getColumns(null, null, "%", "%")) {
      while (rs.next()) {
        columns++;
        String where = rs.getString("TABLE_SCHEM") + "." + rs.getString("TABLE_NAME") + "."
            + rs.getString("COLUMN_NAME") + " " + rs.getString("TYPE_NAME");
        assertTrue(rs.getInt("COLUMN_SIZE") > 0, where);
        switch (rs.getInt("DATA_TYPE")) {
          case Types.INTEGER, Types.BIGINT, Types.DECIMAL, Types.DOUBLE, Types.SMALLINT, Types.TINYINT -> {
            assertEquals(10, rs.getInt("NUM_PREC_RADIX"), where);
            if (rs.getInt("DATA_TYPE") != Types.DOUBLE) {
              rs.getInt("DECIMAL_DIGITS");
              assertFalse(rs.wasNull(), where);
            }
          }
          case Types.VARCHAR, Types.CHAR -> assertTrue(rs.getInt("CHAR_OCTET_LENGTH") > 0, where);
          case Types.DATE, Types.TIMESTAMP, Types.BOOLEAN -> { }
          default -> throw new AssertionError("a type getTypeInfo does not list: " + where);
        }
      }
    }
    assertTrue(columns > 300, "columns: " + columns);
  }

  @Test
  void objectsHaveNoCatalog() throws SQLException {
    try (ResultSet rs = md.getCatalogs()) {
      assertFalse(rs.next());
    }
    try (ResultSet rs = md.getTables("", "crm", "deals", null)) {
      assertTrue(rs.next(), "\"\" is JDBC's 'without a catalog'");
      assertNull(rs.getString("TABLE_CAT"));
    }
    try (ResultSet rs = md.getTables("crm", null, "deals", null)) {
      assertFalse(rs.next(), "no catalog is named crm");
    }
    try (ResultSet rs = md.getColumns("somewhere", "crm", "deals", "%")) {
      assertFalse(rs.next());
    }
    try (ResultSet rs = md.getImportedKeys("somewhere", "crm", "deals")) {
      assertFalse(rs.next());
    }
  }

  @Test
  void bestRowIdentifierIsThePrimaryKey() throws SQLException {
    try (ResultSet rs = md.getBestRowIdentifier(null, "crm", "fx_rates", DatabaseMetaData.bestRowSession, true)) {
      List<String> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(rs.getString("COLUMN_NAME") + ":" + rs.getString("TYPE_NAME") + ":" + rs.getInt("DATA_TYPE"));
      }
      assertEquals(List.of("currency:VARCHAR:" + Types.VARCHAR, "rate_date:DATE:" + Types.DATE), rows);
    }
  }

  static List<String> labels(ResultSet rs) throws SQLException {
    List<String> out = new ArrayList<>();
    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
      out.add(rs.getMetaData().getColumnLabel(i));
    }
    return out;
  }

  static List<Object> row(String sql) throws SQLException {
    List<Object> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next());
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        out.add(rs.getObject(i));
      }
    }
    return out;
  }

  static List<String> strings(String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
