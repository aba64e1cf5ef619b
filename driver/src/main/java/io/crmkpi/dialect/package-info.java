/**
 * The SQL dialects of the engines the KPI library is exported to ({@code crmkpi sql-export}): one
 * Calcite {@link org.apache.calcite.sql.SqlDialect} subclass per engine, each extending Calcite's own
 * dialect for it and fixing its unparse where the engine reads the text differently (each fix has a
 * test). {@link io.crmkpi.dialect.EngineDialects} finds one by engine name.
 */
package io.crmkpi.dialect;
