package io.crmkpi.jdbc.clients;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The JDBC calls DBeaver's Generic driver makes (JDBCDataSourceInfo, JDBCSQLDialect,
 * GenericDataSource.initialize, its table/column/key/index/procedure caches, the data editor), in
 * DBeaver's order, over a URL: {@code DbeaverSession <url>}. It prints a transcript of what DBeaver
 * would show and stops with an AssertionError on what DBeaver could not use (a column type missing
 * from getTypeInfo, a key naming a table not in the navigator, an empty label).
 */
public final class DbeaverSession {

  private DbeaverSession() {
  }

  public static void main(String[] args) throws Exception {
    Properties props = new Properties(); // "No authentication": DBeaver sends no user or password
    try (Connection c = DriverManager.getConnection(args[0], props)) {
      // JDBCExecutionContext on connect: client info, auto-commit, isolation
      c.setClientInfo("ApplicationName", "DBeaver 25.2.0 - Main <crmkpi>");
      say("application name", c.getClientInfo("ApplicationName"));
      c.setAutoCommit(true);
      say("auto-commit", c.getAutoCommit());
      say("isolation", c.getTransactionIsolation());
      DatabaseMetaData md = c.getMetaData();
      // JDBCDataSourceInfo
      say("product", md.getDatabaseProductName() + " " + md.getDatabaseProductVersion());
      say("driver", md.getDriverName() + " " + md.getDriverVersion());
      say("version", md.getDatabaseMajorVersion() + "." + md.getDatabaseMinorVersion());
      say("terms", md.getSchemaTerm() + "/" + md.getProcedureTerm() + "/" + md.getCatalogTerm());
      say("batch", md.supportsBatchUpdates());
      say("transactions", md.supportsTransactions());
      // JDBCSQLDialect.initDriverSettings
      say("quote", md.getIdentifierQuoteString());
      say("escape", md.getSearchStringEscape());
      say("catalog separator", "[" + md.getCatalogSeparator() + "] at start " + md.isCatalogAtStart());
      say("identifier case", "lower " + md.storesLowerCaseIdentifiers() + " upper " + md.storesUpperCaseIdentifiers()
          + " mixed " + md.storesMixedCaseIdentifiers() + " quoted mixed " + md.supportsMixedCaseQuotedIdentifiers());
      say("keywords", md.getSQLKeywords().split(",").length);
      say("functions", md.getNumericFunctions().split(",").length + md.getStringFunctions().split(",").length
          + md.getTimeDateFunctions().split(",").length + md.getSystemFunctions().split(",").length);
      say("sqlstate", md.getSQLStateType());
      say("schemas in DML", md.supportsSchemasInDataManipulation() + " catalogs in DML "
          + md.supportsCatalogsInDataManipulation());
      // GenericDataTypeCache: getTypeInfo
      Set<String> types = new HashSet<>();
      try (ResultSet rs = md.getTypeInfo()) {
        while (rs.next()) {
          String name = require(rs.getString("TYPE_NAME"), "TYPE_NAME");
          rs.getInt("DATA_TYPE");
          rs.getInt("PRECISION");
          rs.getString("LITERAL_PREFIX");
          rs.getString("CREATE_PARAMS");
          rs.getInt("NULLABLE");
          rs.getBoolean("CASE_SENSITIVE");
          rs.getInt("SEARCHABLE");
          rs.getBoolean("UNSIGNED_ATTRIBUTE");
          rs.getBoolean("FIXED_PREC_SCALE");
          rs.getBoolean("AUTO_INCREMENT");
          rs.getString("LOCAL_TYPE_NAME");
          rs.getInt("MINIMUM_SCALE");
          rs.getInt("MAXIMUM_SCALE");
          rs.getInt("NUM_PREC_RADIX");
          types.add(name);
        }
      }
      say("types", String.join(",", new java.util.TreeSet<>(types)));
      // TableTypeCache
      List<String> tableTypes = new ArrayList<>();
      try (ResultSet rs = md.getTableTypes()) {
        while (rs.next()) {
          tableTypes.add(rs.getString("TABLE_TYPE"));
        }
      }
      say("table types", String.join(",", tableTypes));
      // GenericDataSource.initialize: catalogs (none, skipped), then root schemas
      try (ResultSet rs = md.getCatalogs()) {
        int n = 0;
        while (rs.next()) {
          n++;
        }
        say("catalogs", n);
      }
      c.getSchema(); // determineSelectedEntity
      List<String> schemas = new ArrayList<>();
      try (ResultSet rs = md.getSchemas()) {
        while (rs.next()) {
          schemas.add(require(rs.getString("TABLE_SCHEM"), "TABLE_SCHEM"));
          rs.getString("TABLE_CATALOG");
        }
      }
      say("schemas", String.join(",", schemas));
      // TableCache per schema: getTables(catalog, escaped schema, "%", null)
      Map<String, String> tables = new LinkedHashMap<>(); // schema.table -> TABLE or VIEW
      for (String schema : schemas) {
        int t = 0;
        int v = 0;
        try (ResultSet rs = md.getTables(null, escape(md, schema), "%", null)) {
          while (rs.next()) {
            String name = require(rs.getString("TABLE_NAME"), "TABLE_NAME");
            String type = require(rs.getString("TABLE_TYPE"), "TABLE_TYPE");
            require(rs.getString("REMARKS"), "REMARKS of " + schema + "." + name);
            tables.put(schema + "." + name, type);
            if (type.contains("VIEW")) {
              v++;
            } else {
              t++;
            }
          }
        }
        say("schema " + schema, t + " tables, " + v + " views");
      }
      // per table: columns, primary key, foreign keys, indexes (the navigator and the ER diagram)
      int columns = 0;
      int keys = 0;
      for (Map.Entry<String, String> e : tables.entrySet()) {
        String schema = e.getKey().substring(0, e.getKey().indexOf('.'));
        String table = e.getKey().substring(schema.length() + 1);
        try (ResultSet rs = md.getColumns(null, escape(md, schema), escape(md, table), "%")) {
          while (rs.next()) {
            columns++;
            String col = require(rs.getString("COLUMN_NAME"), "COLUMN_NAME");
            String type = require(rs.getString("TYPE_NAME"), "TYPE_NAME of " + col);
            if (!types.contains(type)) {
              throw new AssertionError(e.getKey() + "." + col + ": type " + type + " is not in getTypeInfo");
            }
            rs.getInt("DATA_TYPE");
            rs.getInt("COLUMN_SIZE");
            rs.getInt("DECIMAL_DIGITS");
            rs.getInt("NUM_PREC_RADIX");
            rs.getInt("NULLABLE");
            require(rs.getString("REMARKS"), "REMARKS of " + e.getKey() + "." + col);
            rs.getString("COLUMN_DEF");
            rs.getInt("ORDINAL_POSITION");
            rs.getString("IS_AUTOINCREMENT");
            rs.getString("IS_GENERATEDCOLUMN");
            rs.getInt("CHAR_OCTET_LENGTH");
            rs.getInt("SOURCE_DATA_TYPE");
          }
        }
        if (e.getValue().contains("VIEW")) {
          continue; // DBeaver reads no keys of views
        }
        try (ResultSet rs = md.getPrimaryKeys(null, schema, table)) {
          List<String> pk = new ArrayList<>();
          String name = null;
          while (rs.next()) {
            pk.add(rs.getString("COLUMN_NAME"));
            rs.getInt("KEY_SEQ");
            name = rs.getString("PK_NAME");
          }
          if (!pk.isEmpty()) {
            say("pk " + e.getKey(), name + " " + pk);
          }
        }
        try (ResultSet rs = md.getImportedKeys(null, schema, table)) {
          while (rs.next()) {
            String ref = rs.getString("PKTABLE_SCHEM") + "." + rs.getString("PKTABLE_NAME");
            if (!tables.containsKey(ref)) {
              throw new AssertionError(e.getKey() + " references " + ref + ", which the navigator does not show");
            }
            keys++;
            say("fk " + rs.getString("FK_NAME"), e.getKey() + "." + rs.getString("FKCOLUMN_NAME") + " -> " + ref + "."
                + rs.getString("PKCOLUMN_NAME") + " seq " + rs.getInt("KEY_SEQ") + " update " + rs.getInt("UPDATE_RULE")
                + " delete " + rs.getInt("DELETE_RULE") + " pk " + rs.getString("PK_NAME") + " deferrability "
                + rs.getInt("DEFERRABILITY"));
          }
        }
        try (ResultSet rs = md.getIndexInfo(null, schema, table, false, true)) {
          while (rs.next()) {
            throw new AssertionError("an index DBeaver would show: " + rs.getString("INDEX_NAME"));
          }
        }
      }
      say("columns", columns);
      say("foreign keys", keys);
      // the references tab of a referenced table
      try (ResultSet rs = md.getExportedKeys(null, "crm", "deals")) {
        List<String> refs = new ArrayList<>();
        while (rs.next()) {
          refs.add(rs.getString("FKTABLE_NAME") + "." + rs.getString("FKCOLUMN_NAME"));
        }
        say("referenced by crm.deals", String.join(",", refs));
      }
      // procedures and functions per schema (GenericMetaModel.loadProcedures), then all
      for (String schema : schemas) {
        try (ResultSet p = md.getProcedures(null, escape(md, schema), "%");
             ResultSet f = md.getFunctions(null, escape(md, schema), "%")) {
          say("routines in " + schema, (p.next() ? "procedures " : "") + (f.next() ? "functions" : "none"));
        }
      }
      try (ResultSet f = md.getFunctions(null, null, "%")) {
        int n = 0;
        while (f.next()) {
          require(f.getString("FUNCTION_NAME"), "FUNCTION_NAME");
          f.getString("REMARKS");
          f.getInt("FUNCTION_TYPE");
          f.getString("SPECIFIC_NAME");
          n++;
        }
        say("global functions", n);
      }
      try (ResultSet rs = md.getClientInfoProperties()) {
        int n = 0;
        while (rs.next()) {
          n++;
        }
        say("client info properties", n);
      }
      // the data editor: the view's rows with DBeaver's fetch settings, then its row count
      try (Statement s = c.createStatement()) {
        s.setMaxRows(200);
        s.setFetchSize(200);
        try (ResultSet rs = s.executeQuery("SELECT * FROM \"kpi\".\"sales_period\"")) {
          int n = 0;
          while (rs.next() && n < 200) {
            n++;
          }
          say("data editor kpi.sales_period columns", rs.getMetaData().getColumnCount());
        }
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM \"kpi\".\"sales_period\"")) {
          rs.next();
          say("row count", rs.getLong(1) > 0);
        }
      }
    }
  }

  private static String escape(DatabaseMetaData md, String name) throws SQLException {
    String e = md.getSearchStringEscape();
    return name.replace(e, e + e).replace("_", e + "_").replace("%", e + "%");
  }

  private static String require(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new AssertionError("empty " + what);
    }
    return value;
  }

  private static void say(String what, Object value) {
    System.out.println("dbeaver| " + what + ": " + value);
  }
}
