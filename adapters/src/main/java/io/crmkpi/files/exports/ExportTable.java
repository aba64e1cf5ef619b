package io.crmkpi.files.exports;

import java.util.List;

/**
 * A tabular export file read whole: its header (raw names, as in the file) and data rows, each
 * with the line (CSV/HTML) or row number (XLSX) it started on.
 */
public record ExportTable(String fileName, List<String> headers, List<Row> rows, Shape shape) {

  /** One data row: values in header order (a malformed row may have more or fewer). */
  public record Row(int line, List<String> values, String raw) {
  }

  /** How the file was physically written; detection uses it. */
  public record Shape(String kind, String charset, boolean bom, char delimiter, boolean allQuoted,
      boolean trailingDelimiter, boolean crlf) {
  }

  /** {@code file.csv:<line>} for messages and {@code crm.load_rejects.location}. */
  public String location(Row row) {
    return fileName + ":" + row.line();
  }
}
