/**
 * The lake export ({@code crmkpi export}): every canonical table and {@code util.calendar} as Parquet
 * files written by DuckDB, fact tables in Hive month partitions, a manifest, and re-exports that
 * rewrite only the partitions whose content changed. docs/scale-out.md describes the layout.
 */
package io.crmkpi.lake;
