package io.crmkpi.jdbc;

import io.crmkpi.jdbc.catalog.CatalogMetadata;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.DatabaseMetaData;

/**
 * Metadata of a crmkpi connection: the catalog's schemas, tables, views and columns (with
 * REMARKS from the model and the metric definitions, bare type names), primary keys of canonical
 * tables, a masked URL; capability questions go to the store's own metadata.
 */
final class CrmKpiDatabaseMetaData implements InvocationHandler {

  private final CrmKpiConnection connection;
  private final DatabaseMetaData store;

  private CrmKpiDatabaseMetaData(CrmKpiConnection connection, DatabaseMetaData store) {
    this.connection = connection;
    this.store = store;
  }

  static DatabaseMetaData create(CrmKpiConnection connection, DatabaseMetaData store) {
    return (DatabaseMetaData) Proxy.newProxyInstance(Driver.class.getClassLoader(),
        new Class<?>[] {DatabaseMetaData.class}, new CrmKpiDatabaseMetaData(connection, store));
  }

  /** The catalog's metadata rows, built on the first call that needs them (they derive every view). */
  private CatalogMetadata meta() throws java.sql.SQLException {
    return connection.catalog().metadata();
  }

  @Override
  public Object invoke(Object p, Method m, Object[] a) throws Throwable {
    Object out = answer(p, m, a);
    // metadata rows come from a private store: the caller gets crmkpi's result set, never the store's
    return out instanceof java.sql.ResultSet rs ? CrmKpiResultSet.metadata(rs, connection.handle().timezone()) : out;
  }

  private Object answer(Object p, Method m, Object[] a) throws Throwable {
    switch (m.getName()) {
      case "getConnection": return connection.proxy();
      case "getURL": return connection.config().maskedUrl();
      case "getUserName": return "";
      case "getDatabaseProductName": return "crmkpi";
      case "getDatabaseProductVersion": return Driver.VERSION + " (store: DuckDB " + store.getDatabaseProductVersion() + ")";
      case "getDatabaseMajorVersion": return Driver.MAJOR;
      case "getDatabaseMinorVersion": return Driver.MINOR;
      case "getDriverName": return "crmkpi JDBC driver";
      case "getDriverVersion": return Driver.VERSION;
      case "getDriverMajorVersion": return Driver.MAJOR;
      case "getDriverMinorVersion": return Driver.MINOR;
      case "getJDBCMajorVersion": return 4;
      case "getJDBCMinorVersion": return 2;
      case "getIdentifierQuoteString": return "\"";
      case "getSearchStringEscape": return "\\";
      case "getCatalogTerm": return "catalog";
      case "getSchemaTerm": return "schema";
      case "getCatalogSeparator": return ".";
      case "isCatalogAtStart": return true;
      case "isReadOnly": return true;
      case "storesMixedCaseIdentifiers": return true;
      case "storesLowerCaseIdentifiers":
      case "storesUpperCaseIdentifiers":
      case "supportsMixedCaseIdentifiers":
      case "supportsMixedCaseQuotedIdentifiers":
      case "storesUpperCaseQuotedIdentifiers":
      case "storesLowerCaseQuotedIdentifiers":
        return false;
      case "storesMixedCaseQuotedIdentifiers": return true;
      case "supportsTransactions": return false;
      case "supportsTransactionIsolationLevel": return false;
      case "supportsSchemasInDataManipulation":
      case "supportsSchemasInTableDefinitions":
      case "supportsSchemasInProcedureCalls":
      case "supportsSchemasInIndexDefinitions":
      case "supportsSchemasInPrivilegeDefinitions":
        return true;
      case "supportsCatalogsInDataManipulation":
      case "supportsCatalogsInTableDefinitions":
      case "supportsCatalogsInProcedureCalls":
      case "supportsCatalogsInIndexDefinitions":
      case "supportsCatalogsInPrivilegeDefinitions":
        return false;
      case "getCatalogs": return meta().catalogs();
      case "getSchemas": return meta().schemas(a == null || a.length < 2 ? null : (String) a[1]);
      case "getTableTypes": return meta().tableTypes();
      case "getTables": return meta().tables((String) a[1], (String) a[2], (String[]) a[3]);
      case "getColumns": return meta().columns((String) a[1], (String) a[2], (String) a[3]);
      case "getPrimaryKeys": return meta().primaryKeys((String) a[1], (String) a[2]);
      case "getImportedKeys":
      case "getExportedKeys":
      case "getCrossReference":
        return meta().noKeys();
      case "getIndexInfo":
        return meta().empty("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "NON_UNIQUE", "INDEX_QUALIFIER", "INDEX_NAME",
            "TYPE", "ORDINAL_POSITION", "COLUMN_NAME", "ASC_OR_DESC", "CARDINALITY", "PAGES", "FILTER_CONDITION");
      case "getProcedures":
      case "getFunctions":
        return meta().empty("PROCEDURE_CAT", "PROCEDURE_SCHEM", "PROCEDURE_NAME", "REMARKS", "PROCEDURE_TYPE",
            "SPECIFIC_NAME");
      case "getProcedureColumns":
      case "getFunctionColumns":
        return meta().empty("PROCEDURE_CAT", "PROCEDURE_SCHEM", "PROCEDURE_NAME", "COLUMN_NAME", "COLUMN_TYPE",
            "DATA_TYPE", "TYPE_NAME");
      case "getUDTs":
      case "getSuperTypes":
      case "getSuperTables":
      case "getAttributes":
      case "getTablePrivileges":
      case "getColumnPrivileges":
      case "getVersionColumns":
      case "getBestRowIdentifier":
      case "getPseudoColumns":
        return meta().empty("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "COLUMN_NAME");
      case "unwrap":
        return ((Class<?>) a[0]).isInstance(p) ? p : store.unwrap((Class<?>) a[0]);
      case "isWrapperFor":
        return ((Class<?>) a[0]).isInstance(p);
      case "hashCode": return System.identityHashCode(p);
      case "equals": return p == a[0];
      case "toString": return "CrmKpiDatabaseMetaData";
      default:
        return CrmKpiConnection.call(store, m, a); // capability questions: the store's answers
    }
  }
}
