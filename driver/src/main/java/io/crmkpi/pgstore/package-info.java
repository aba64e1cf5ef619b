/**
 * The remote store on PostgreSQL ({@code store=jdbc:postgresql://host:port/db}): the canonical tables
 * are loaded into a local DuckDB staging store as always, then copied into PostgreSQL (COPY, one
 * transaction per load); statements compile to PostgreSQL's dialect and run there on a pooled pgjdbc
 * connection.
 */
package io.crmkpi.pgstore;
