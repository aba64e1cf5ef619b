package io.crmkpi.model;

/** One column of a canonical table. */
public record Column(String name, ColumnType type, String description) {
}
