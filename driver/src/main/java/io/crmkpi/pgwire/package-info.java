/**
 * {@code crmkpi serve}: the PostgreSQL v3 wire protocol in front of the crmkpi JDBC driver, so that psql,
 * psycopg2/SQLAlchemy (Superset), pgjdbc (Metabase's and DBeaver's PostgreSQL drivers) query the same
 * catalog. One {@code jdbc:crmkpi:} connection per client session answers user SQL; an in-memory DuckDB
 * "shadow" shaped like that catalog answers the {@code pg_catalog}/{@code information_schema}
 * introspection clients send. {@link io.crmkpi.pgwire.PgServer} is the only public entry point.
 */
package io.crmkpi.pgwire;
