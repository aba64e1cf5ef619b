package io.crmkpi.jdbc;

import io.crmkpi.jdbc.catalog.CatalogFunctions;
import io.crmkpi.jdbc.catalog.CatalogMetadata;
import io.crmkpi.jdbc.sql.SqlCompiler;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.RowIdLifetime;
import java.sql.SQLException;
import org.apache.calcite.sql.parser.SqlParser;

/**
 * Metadata of a crmkpi connection. Every answer describes crmkpi: the catalog's schemas, tables,
 * views, columns (with remarks), keys and relationships; the SQL crmkpi's compiler accepts (Calcite's
 * grammar, keywords, functions and types, MYSQL_ANSI lexing: double-quoted identifiers, names
 * matched case-insensitively and kept as written); a read-only, auto-commit, forward-only
 * connection. Nothing is forwarded to the store: only its version string is quoted.
 */
final class CrmKpiDatabaseMetaData implements DatabaseMetaData {

  /** Calcite's parser rejects longer identifiers (SqlParser.Config#identifierMaxLength). */
  private static final int MAX_IDENTIFIER = SqlCompiler.parserConfig().identifierMaxLength();

  private final CrmKpiConnection connection;
  private final String storeVersion;

  private CrmKpiDatabaseMetaData(CrmKpiConnection connection, String storeVersion) {
    this.connection = connection;
    this.storeVersion = storeVersion;
  }

  static DatabaseMetaData create(CrmKpiConnection connection, DatabaseMetaData store) throws SQLException {
    return new CrmKpiDatabaseMetaData(connection, store.getDatabaseProductVersion());
  }

  /** The catalog's metadata rows, built on the first call that needs them (they derive every view). */
  private CatalogMetadata meta() throws SQLException {
    return connection.catalog().metadata();
  }

  // ---- the product, the driver, the connection

  @Override
  public String getURL() {
    return connection.config().maskedUrl();
  }

  @Override
  public String getUserName() {
    return ""; // no accounts: the source's credentials are not a database user
  }

  @Override
  public Connection getConnection() {
    return connection.proxy();
  }

  @Override
  public String getDatabaseProductName() {
    return "crmkpi";
  }

  @Override
  public String getDatabaseProductVersion() {
    return Driver.VERSION + " (store: DuckDB " + storeVersion + ")";
  }

  @Override
  public int getDatabaseMajorVersion() {
    return Driver.MAJOR;
  }

  @Override
  public int getDatabaseMinorVersion() {
    return Driver.MINOR;
  }

  @Override
  public String getDriverName() {
    return "crmkpi JDBC driver";
  }

  @Override
  public String getDriverVersion() {
    return Driver.VERSION;
  }

  @Override
  public int getDriverMajorVersion() {
    return Driver.MAJOR;
  }

  @Override
  public int getDriverMinorVersion() {
    return Driver.MINOR;
  }

  @Override
  public int getJDBCMajorVersion() {
    return 4;
  }

  @Override
  public int getJDBCMinorVersion() {
    return 2;
  }

  @Override
  public boolean isReadOnly() {
    return true;
  }

  @Override
  public boolean usesLocalFiles() {
    return false; // the store file is the driver's cache, not tables a user manages
  }

  @Override
  public boolean usesLocalFilePerTable() {
    return false;
  }

  @Override
  public boolean allProceduresAreCallable() {
    return false; // there are no procedures
  }

  @Override
  public boolean allTablesAreSelectable() {
    return true;
  }

  @Override
  public int getSQLStateType() {
    return sqlStateSQL;
  }

  @Override
  public boolean locatorsUpdateCopy() {
    return false;
  }

  @Override
  public RowIdLifetime getRowIdLifetime() {
    return RowIdLifetime.ROWID_UNSUPPORTED;
  }

  @Override
  public boolean generatedKeyAlwaysReturned() {
    return false;
  }

  @Override
  public long getMaxLogicalLobSize() {
    return 0; // no LOB types
  }

  // ---- names, quoting, case (lex MYSQL_ANSI: "quoted", case-insensitive, stored as written)

  @Override
  public String getIdentifierQuoteString() {
    return "\"";
  }

  @Override
  public String getSearchStringEscape() {
    return "\\";
  }

  @Override
  public String getExtraNameCharacters() {
    return "";
  }

  @Override
  public boolean supportsMixedCaseIdentifiers() {
    return false; // Deals and deals are the same name
  }

  @Override
  public boolean storesUpperCaseIdentifiers() {
    return false;
  }

  @Override
  public boolean storesLowerCaseIdentifiers() {
    return false;
  }

  @Override
  public boolean storesMixedCaseIdentifiers() {
    return true;
  }

  @Override
  public boolean supportsMixedCaseQuotedIdentifiers() {
    return false; // "Deals" finds deals too
  }

  @Override
  public boolean storesUpperCaseQuotedIdentifiers() {
    return false;
  }

  @Override
  public boolean storesLowerCaseQuotedIdentifiers() {
    return false;
  }

  @Override
  public boolean storesMixedCaseQuotedIdentifiers() {
    return true;
  }

  @Override
  public String getSchemaTerm() {
    return "schema";
  }

  @Override
  public String getProcedureTerm() {
    return "procedure";
  }

  @Override
  public String getCatalogTerm() {
    return "catalog";
  }

  @Override
  public boolean isCatalogAtStart() {
    return false;
  }

  @Override
  public String getCatalogSeparator() {
    return ""; // no catalogs: names are schema.table
  }

  @Override
  public boolean supportsSchemasInDataManipulation() {
    return true;
  }

  @Override
  public boolean supportsSchemasInProcedureCalls() {
    return false;
  }

  /**
   * No DDL exists, but SchemaCrawler and DBeaver read this flag as "the database has schemas", and
   * every name is schema-qualified (crm.deals, kpi.sales_period).
   */
  @Override
  public boolean supportsSchemasInTableDefinitions() {
    return true;
  }

  @Override
  public boolean supportsSchemasInIndexDefinitions() {
    return false;
  }

  @Override
  public boolean supportsSchemasInPrivilegeDefinitions() {
    return false;
  }

  @Override
  public boolean supportsCatalogsInDataManipulation() {
    return false;
  }

  @Override
  public boolean supportsCatalogsInProcedureCalls() {
    return false;
  }

  @Override
  public boolean supportsCatalogsInTableDefinitions() {
    return false;
  }

  @Override
  public boolean supportsCatalogsInIndexDefinitions() {
    return false;
  }

  @Override
  public boolean supportsCatalogsInPrivilegeDefinitions() {
    return false;
  }

  // ---- the SQL language crmkpi's compiler accepts

  /** Calcite's reserved words beyond SQL:2003 (what editors must quote or highlight). */
  @Override
  public String getSQLKeywords() {
    return SqlParser.create("", SqlCompiler.userParserConfig()).getMetadata().getJdbcKeywords();
  }

  @Override
  public String getNumericFunctions() {
    return String.join(",", CatalogFunctions.NUMERIC);
  }

  @Override
  public String getStringFunctions() {
    return String.join(",", CatalogFunctions.STRING);
  }

  @Override
  public String getSystemFunctions() {
    return String.join(",", CatalogFunctions.SYSTEM);
  }

  @Override
  public String getTimeDateFunctions() {
    return String.join(",", CatalogFunctions.TIME_DATE);
  }

  @Override
  public boolean nullsAreSortedHigh() {
    return true; // Calcite's collation: NULL after every value ascending, before every value descending
  }

  @Override
  public boolean nullsAreSortedLow() {
    return false;
  }

  @Override
  public boolean nullsAreSortedAtStart() {
    return false;
  }

  @Override
  public boolean nullsAreSortedAtEnd() {
    return false;
  }

  @Override
  public boolean nullPlusNonNullIsNull() {
    return true;
  }

  @Override
  public boolean supportsAlterTableWithAddColumn() {
    return false;
  }

  @Override
  public boolean supportsAlterTableWithDropColumn() {
    return false;
  }

  @Override
  public boolean supportsColumnAliasing() {
    return true;
  }

  @Override
  public boolean supportsConvert() {
    return false;
  }

  @Override
  public boolean supportsConvert(int fromType, int toType) {
    return false;
  }

  @Override
  public boolean supportsTableCorrelationNames() {
    return true;
  }

  @Override
  public boolean supportsDifferentTableCorrelationNames() {
    return false; // a correlation name may equal the table's name
  }

  @Override
  public boolean supportsExpressionsInOrderBy() {
    return true;
  }

  @Override
  public boolean supportsOrderByUnrelated() {
    return true;
  }

  @Override
  public boolean supportsGroupBy() {
    return true;
  }

  @Override
  public boolean supportsGroupByUnrelated() {
    return true;
  }

  @Override
  public boolean supportsGroupByBeyondSelect() {
    return true;
  }

  @Override
  public boolean supportsLikeEscapeClause() {
    return true;
  }

  @Override
  public boolean supportsMultipleResultSets() {
    return false;
  }

  @Override
  public boolean supportsNonNullableColumns() {
    return false; // no column definitions (no DDL)
  }

  @Override
  public boolean supportsMinimumSQLGrammar() {
    return true;
  }

  @Override
  public boolean supportsCoreSQLGrammar() {
    return false; // read-only: no INSERT, UPDATE, DELETE, CREATE
  }

  @Override
  public boolean supportsExtendedSQLGrammar() {
    return false;
  }

  @Override
  public boolean supportsANSI92EntryLevelSQL() {
    return false; // entry level includes data changes and DDL
  }

  @Override
  public boolean supportsANSI92IntermediateSQL() {
    return false;
  }

  @Override
  public boolean supportsANSI92FullSQL() {
    return false;
  }

  @Override
  public boolean supportsIntegrityEnhancementFacility() {
    return false;
  }

  @Override
  public boolean supportsOuterJoins() {
    return true;
  }

  @Override
  public boolean supportsFullOuterJoins() {
    return true;
  }

  @Override
  public boolean supportsLimitedOuterJoins() {
    return true;
  }

  @Override
  public boolean supportsPositionedDelete() {
    return false;
  }

  @Override
  public boolean supportsPositionedUpdate() {
    return false;
  }

  @Override
  public boolean supportsSelectForUpdate() {
    return false;
  }

  @Override
  public boolean supportsStoredProcedures() {
    return false;
  }

  @Override
  public boolean supportsStoredFunctionsUsingCallSyntax() {
    return false;
  }

  @Override
  public boolean supportsSubqueriesInComparisons() {
    return true;
  }

  @Override
  public boolean supportsSubqueriesInExists() {
    return true;
  }

  @Override
  public boolean supportsSubqueriesInIns() {
    return true;
  }

  @Override
  public boolean supportsSubqueriesInQuantifieds() {
    return true;
  }

  @Override
  public boolean supportsCorrelatedSubqueries() {
    return true;
  }

  @Override
  public boolean supportsUnion() {
    return true;
  }

  @Override
  public boolean supportsUnionAll() {
    return true;
  }

  @Override
  public boolean supportsBatchUpdates() {
    return false;
  }

  @Override
  public boolean supportsSavepoints() {
    return false;
  }

  @Override
  public boolean supportsNamedParameters() {
    return false;
  }

  @Override
  public boolean supportsMultipleOpenResults() {
    return false;
  }

  @Override
  public boolean supportsGetGeneratedKeys() {
    return false;
  }

  @Override
  public boolean supportsStatementPooling() {
    return false;
  }

  @Override
  public boolean supportsRefCursors() {
    return false;
  }

  @Override
  public boolean supportsSharding() {
    return false;
  }

  // ---- transactions: none; every statement reads committed data, which is what the connection reports

  @Override
  public boolean supportsTransactions() {
    return false;
  }

  @Override
  public int getDefaultTransactionIsolation() {
    return Connection.TRANSACTION_READ_COMMITTED;
  }

  @Override
  public boolean supportsTransactionIsolationLevel(int level) {
    return level == Connection.TRANSACTION_READ_COMMITTED;
  }

  @Override
  public boolean supportsMultipleTransactions() {
    return false;
  }

  @Override
  public boolean supportsDataDefinitionAndDataManipulationTransactions() {
    return false;
  }

  @Override
  public boolean supportsDataManipulationTransactionsOnly() {
    return false;
  }

  @Override
  public boolean dataDefinitionCausesTransactionCommit() {
    return false;
  }

  @Override
  public boolean dataDefinitionIgnoredInTransactions() {
    return false;
  }

  @Override
  public boolean supportsOpenCursorsAcrossCommit() {
    return false;
  }

  @Override
  public boolean supportsOpenCursorsAcrossRollback() {
    return false;
  }

  @Override
  public boolean supportsOpenStatementsAcrossCommit() {
    return true; // commit does nothing
  }

  @Override
  public boolean supportsOpenStatementsAcrossRollback() {
    return true;
  }

  @Override
  public boolean autoCommitFailureClosesAllResultSets() {
    return false;
  }

  // ---- result sets: forward-only, read-only, closed at commit

  @Override
  public boolean supportsResultSetType(int type) {
    return type == ResultSet.TYPE_FORWARD_ONLY;
  }

  @Override
  public boolean supportsResultSetConcurrency(int type, int concurrency) {
    return type == ResultSet.TYPE_FORWARD_ONLY && concurrency == ResultSet.CONCUR_READ_ONLY;
  }

  @Override
  public boolean supportsResultSetHoldability(int holdability) {
    return holdability == ResultSet.CLOSE_CURSORS_AT_COMMIT;
  }

  @Override
  public int getResultSetHoldability() {
    return ResultSet.CLOSE_CURSORS_AT_COMMIT;
  }

  @Override
  public boolean ownUpdatesAreVisible(int type) {
    return false;
  }

  @Override
  public boolean ownDeletesAreVisible(int type) {
    return false;
  }

  @Override
  public boolean ownInsertsAreVisible(int type) {
    return false;
  }

  @Override
  public boolean othersUpdatesAreVisible(int type) {
    return false;
  }

  @Override
  public boolean othersDeletesAreVisible(int type) {
    return false;
  }

  @Override
  public boolean othersInsertsAreVisible(int type) {
    return false;
  }

  @Override
  public boolean updatesAreDetected(int type) {
    return false;
  }

  @Override
  public boolean deletesAreDetected(int type) {
    return false;
  }

  @Override
  public boolean insertsAreDetected(int type) {
    return false;
  }

  // ---- limits: 0 is JDBC's "no limit or not known"

  @Override
  public int getMaxBinaryLiteralLength() {
    return 0;
  }

  @Override
  public int getMaxCharLiteralLength() {
    return 0;
  }

  @Override
  public int getMaxColumnNameLength() {
    return MAX_IDENTIFIER;
  }

  @Override
  public int getMaxColumnsInGroupBy() {
    return 0;
  }

  @Override
  public int getMaxColumnsInIndex() {
    return 0;
  }

  @Override
  public int getMaxColumnsInOrderBy() {
    return 0;
  }

  @Override
  public int getMaxColumnsInSelect() {
    return 0;
  }

  @Override
  public int getMaxColumnsInTable() {
    return 0;
  }

  @Override
  public int getMaxConnections() {
    return 0;
  }

  @Override
  public int getMaxCursorNameLength() {
    return 0;
  }

  @Override
  public int getMaxIndexLength() {
    return 0;
  }

  @Override
  public int getMaxSchemaNameLength() {
    return MAX_IDENTIFIER;
  }

  @Override
  public int getMaxProcedureNameLength() {
    return 0;
  }

  @Override
  public int getMaxCatalogNameLength() {
    return 0;
  }

  @Override
  public int getMaxRowSize() {
    return 0;
  }

  @Override
  public boolean doesMaxRowSizeIncludeBlobs() {
    return false;
  }

  @Override
  public int getMaxStatementLength() {
    return 0;
  }

  @Override
  public int getMaxStatements() {
    return 0;
  }

  @Override
  public int getMaxTableNameLength() {
    return MAX_IDENTIFIER;
  }

  @Override
  public int getMaxTablesInSelect() {
    return 0;
  }

  @Override
  public int getMaxUserNameLength() {
    return 0;
  }

  // ---- the catalog (result sets with JDBC's columns and order)

  /**
   * The schema argument as seen through a catalog argument: objects have no catalog, so null and
   * "" (JDBC: "without a catalog") find them, and any catalog name finds nothing ("" as schema
   * matches no schema).
   */
  private static String within(String catalog, String schema) {
    return catalog == null || catalog.isEmpty() ? schema : "";
  }

  @Override
  public ResultSet getCatalogs() throws SQLException {
    return meta().catalogs();
  }

  @Override
  public ResultSet getSchemas() throws SQLException {
    return meta().schemas(null);
  }

  @Override
  public ResultSet getSchemas(String catalog, String schemaPattern) throws SQLException {
    return meta().schemas(within(catalog, schemaPattern));
  }

  @Override
  public ResultSet getTableTypes() throws SQLException {
    return meta().tableTypes();
  }

  @Override
  public ResultSet getTables(String catalog, String schemaPattern, String tableNamePattern, String[] types)
      throws SQLException {
    return meta().tables(within(catalog, schemaPattern), tableNamePattern, types);
  }

  @Override
  public ResultSet getColumns(String catalog, String schemaPattern, String tableNamePattern,
      String columnNamePattern) throws SQLException {
    return meta().columns(within(catalog, schemaPattern), tableNamePattern, columnNamePattern);
  }

  @Override
  public ResultSet getPrimaryKeys(String catalog, String schema, String table) throws SQLException {
    return meta().primaryKeys(within(catalog, schema), table);
  }

  @Override
  public ResultSet getImportedKeys(String catalog, String schema, String table) throws SQLException {
    return meta().importedKeys(within(catalog, schema), table);
  }

  @Override
  public ResultSet getExportedKeys(String catalog, String schema, String table) throws SQLException {
    return meta().exportedKeys(within(catalog, schema), table);
  }

  @Override
  public ResultSet getCrossReference(String parentCatalog, String parentSchema, String parentTable,
      String foreignCatalog, String foreignSchema, String foreignTable) throws SQLException {
    return meta().crossReference(within(parentCatalog, parentSchema), parentTable, within(foreignCatalog, foreignSchema),
        foreignTable);
  }

  @Override
  public ResultSet getBestRowIdentifier(String catalog, String schema, String table, int scope, boolean nullable)
      throws SQLException {
    return meta().bestRowIdentifier(within(catalog, schema), table);
  }

  @Override
  public ResultSet getVersionColumns(String catalog, String schema, String table) throws SQLException {
    return meta().versionColumns();
  }

  @Override
  public ResultSet getIndexInfo(String catalog, String schema, String table, boolean unique, boolean approximate)
      throws SQLException {
    return meta().indexInfo();
  }

  @Override
  public ResultSet getTypeInfo() throws SQLException {
    return meta().typeInfo();
  }

  @Override
  public ResultSet getFunctions(String catalog, String schemaPattern, String functionNamePattern)
      throws SQLException {
    return meta().functions(within(catalog, schemaPattern), functionNamePattern);
  }

  @Override
  public ResultSet getFunctionColumns(String catalog, String schemaPattern, String functionNamePattern,
      String columnNamePattern) throws SQLException {
    return meta().functionColumns();
  }

  @Override
  public ResultSet getProcedures(String catalog, String schemaPattern, String procedureNamePattern)
      throws SQLException {
    return meta().procedures();
  }

  @Override
  public ResultSet getProcedureColumns(String catalog, String schemaPattern, String procedureNamePattern,
      String columnNamePattern) throws SQLException {
    return meta().procedureColumns();
  }

  @Override
  public ResultSet getTablePrivileges(String catalog, String schemaPattern, String tableNamePattern)
      throws SQLException {
    return meta().tablePrivileges();
  }

  @Override
  public ResultSet getColumnPrivileges(String catalog, String schema, String table, String columnNamePattern)
      throws SQLException {
    return meta().columnPrivileges();
  }

  @Override
  public ResultSet getUDTs(String catalog, String schemaPattern, String typeNamePattern, int[] types)
      throws SQLException {
    return meta().udts();
  }

  @Override
  public ResultSet getSuperTypes(String catalog, String schemaPattern, String typeNamePattern) throws SQLException {
    return meta().superTypes();
  }

  @Override
  public ResultSet getSuperTables(String catalog, String schemaPattern, String tableNamePattern)
      throws SQLException {
    return meta().superTables();
  }

  @Override
  public ResultSet getAttributes(String catalog, String schemaPattern, String typeNamePattern,
      String attributeNamePattern) throws SQLException {
    return meta().attributes();
  }

  @Override
  public ResultSet getPseudoColumns(String catalog, String schemaPattern, String tableNamePattern,
      String columnNamePattern) throws SQLException {
    return meta().pseudoColumns();
  }

  @Override
  public ResultSet getClientInfoProperties() throws SQLException {
    return meta().clientInfoProperties();
  }

  // ---- Wrapper: this object only; the store's metadata is never handed out

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException("crmkpi metadata is not a wrapper for " + iface.getName(), "HY000");
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }

  @Override
  public String toString() {
    return "CrmKpiDatabaseMetaData[" + getURL() + "]";
  }
}
