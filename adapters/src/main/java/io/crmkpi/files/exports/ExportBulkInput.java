package io.crmkpi.files.exports;

import io.crmkpi.files.FileSample;
import io.crmkpi.files.LoadProgress;
import io.crmkpi.source.SourceContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.QuoteMode;

/**
 * The UTF-8 CSV file a bulk load reads for an export, and its header. A UTF-8 export is read as it
 * is; a windows-1251/1252 or UTF-16 one (Bitrix24 writes windows-1251) is first decoded exactly as
 * the row path decodes it ({@link ExportText}) and written to a temporary UTF-8 file, which keeps
 * its lines, so file:line and raw rows stay those of the original; a workbook's rows are written to
 * a temporary CSV whose records map back to the sheet's row numbers. Closing deletes the copy.
 */
final class ExportBulkInput implements AutoCloseable {

  private final Path path;
  private final ExportTable head;
  private final boolean temporary;
  /** For a workbook: the sheet row of each record of the copy; null when lines are the file's own. */
  private final int[] sheetRows;
  /** What joins a row's values in crm.load_rejects.raw, as the row path writes it. */
  private final char rawDelimiter;

  private ExportBulkInput(Path path, ExportTable head, boolean temporary, int[] sheetRows, char rawDelimiter) {
    this.path = path;
    this.head = head;
    this.temporary = temporary;
    this.sheetRows = sheetRows;
    this.rawDelimiter = rawDelimiter;
  }

  char rawDelimiter() {
    return rawDelimiter;
  }

  /**
   * Where the record that starts on physical line {@code line} of {@link #path} is in the export, as
   * the row path names it: the same line for a text file, the sheet row for a workbook.
   * {@code recordLine} gives the physical line of record k (increasing).
   */
  long shown(long line, java.util.function.IntToLongFunction recordLine) {
    if (sheetRows == null) {
      return line;
    }
    int lo = 0;
    int hi = sheetRows.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      long l = recordLine.applyAsLong(mid);
      if (l < line) {
        lo = mid + 1;
      } else if (l > line) {
        hi = mid - 1;
      } else {
        return sheetRows[mid];
      }
    }
    return line; // not a record start: cannot be asked
  }

  /** The file DuckDB reads. */
  Path path() {
    return path;
  }

  /** Header and physical shape (delimiter, trailing delimiter) of that file. */
  ExportTable head() {
    return head;
  }

  /**
   * The input for {@code file} when the bulk path may load it: a CSV, workbook or HTML table of two
   * columns or more, no report footer, date patterns (if any) that have an SQL form; else null (the
   * row path reads it).
   */
  static ExportBulkInput open(Path file, ExportProfile profile, SourceContext context) {
    if (profile.footer || !new ExportBulkSql(profile, false).patternsSupported()) {
      return null;
    }
    byte[] bytes;
    try {
      bytes = FileSample.of(file).head();
    } catch (IOException e) {
      return null; // the row path words the error
    }
    if (ExportFileReader.isZip(bytes) || ExportFileReader.isOle(bytes)) {
      return tabulated(file, context, (name, sink) -> ExportFileReader.readWorkbook(file, name, sink));
    }
    ExportTable t = ExportFileReader.sniff(file, bytes);
    if (t.shape().kind().equals("html")) {
      return tabulated(file, context,
          (name, sink) -> ExportFileReader.readHtml(decode(Files.readAllBytes(file), profile), sink));
    }
    boolean utf8 = t.shape().charset().equals(StandardCharsets.UTF_8.name())
        && (profile.encoding == null || profile.encoding.equals(StandardCharsets.UTF_8));
    if (!t.shape().kind().equals("csv")) {
      return null;
    }
    if (utf8) {
      return eligible(t, profile) ? new ExportBulkInput(file, t, false, null, t.shape().delimiter()) : null;
    }
    return transcoded(file, profile);
  }

  /** The whole file decoded as the row path decodes it, into a temporary UTF-8 file; null when not a CSV. */
  private static ExportBulkInput transcoded(Path file, ExportProfile profile) {
    Path temp = null;
    try {
      byte[] all = Files.readAllBytes(file);
      if (ExportFileReader.isZip(all) || ExportFileReader.isOle(all)) {
        return null;
      }
      ExportText.Decoded text = decode(all, profile);
      if (ExportFileReader.isHtml(text.text())) {
        return null;
      }
      temp = Files.createTempFile("crmkpi-export-", ".csv");
      Files.writeString(temp, text.text(), StandardCharsets.UTF_8);
      ExportTable t = ExportFileReader.sniff(temp, FileSample.of(temp).head());
      if (!t.shape().kind().equals("csv") || !eligible(t, profile)) {
        Files.deleteIfExists(temp);
        return null;
      }
      // the original's name, for messages
      return new ExportBulkInput(temp, new ExportTable(file.getFileName().toString(), t.headers(), t.rows(),
          t.shape()), true, null, t.shape().delimiter());
    } catch (IOException | RuntimeException e) {
      delete(temp);
      return null; // the row path reads the file and words any error
    }
  }

  /** The text of a file as the row path decodes it. */
  private static ExportText.Decoded decode(byte[] all, ExportProfile profile) {
    return profile.encoding == null ? ExportText.decode(all) : ExportText.decode(all, profile.encoding);
  }

  /** Streams a table's rows (header first) to a sink; the row path's own reader. */
  private interface Rows {
    void read(String name, ExportFileReader.RowSink sink) throws IOException;
  }

  /**
   * A workbook (XLSX/XLS) or HTML table read as the row path reads it (cells as text: dates
   * {@code yyyy-MM-dd HH:mm:ss}, numbers without {@code .0}), its rows written as they come to a
   * temporary UTF-8 CSV, every value quoted; locations stay the sheet's row numbers or the HTML's
   * lines, raw rows the cells joined by a tab.
   */
  private static ExportBulkInput tabulated(Path file, SourceContext context, Rows rows) {
    Path temp = null;
    try {
      temp = Files.createTempFile("crmkpi-export-", ".csv");
      int[][] sheetRows = {new int[1024]};
      int[] count = {0};
      int[] width = {0};
      LoadProgress progress = LoadProgress.of(file.getFileName().toString(), context); // a long sheet takes a while
      try (java.io.Writer w = Files.newBufferedWriter(temp, StandardCharsets.UTF_8);
           CSVPrinter out = CSVFormat.RFC4180.builder().setQuoteMode(QuoteMode.ALL).get().print(w)) {
        // rows go straight from the sheet's XML or the HTML to the copy: a long table is never held whole
        rows.read(file.getFileName().toString(), new ExportFileReader.RowSink() {
          @Override
          public void header(java.util.List<String> headers) throws IOException {
            width[0] = headers.size();
            out.printRecord(headers);
          }

          @Override
          public void row(ExportTable.Row r) throws IOException {
            if (count[0] == sheetRows[0].length) {
              sheetRows[0] = java.util.Arrays.copyOf(sheetRows[0], count[0] * 2);
            }
            sheetRows[0][count[0]++] = r.line();
            out.printRecord(r.values());
            progress.row();
          }
        });
      }
      if (width[0] < 2) {
        delete(temp);
        return null;
      }
      ExportTable h = ExportFileReader.sniff(temp, FileSample.of(temp).head());
      return new ExportBulkInput(temp, new ExportTable(file.getFileName().toString(), h.headers(), h.rows(),
          h.shape()), true, java.util.Arrays.copyOf(sheetRows[0], count[0]), '\t');
    } catch (IOException | RuntimeException e) {
      delete(temp);
      return null; // the row path reads the file and words any error
    }
  }

  private static void delete(Path temp) {
    if (temp != null) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // a temporary file left behind is the system's to clean
      }
    }
  }

  private static boolean eligible(ExportTable t, ExportProfile profile) {
    // a forced delimiter the header does not show: the row path's reader decides
    return t.headers().size() >= 2 && (profile.delimiter == null || profile.delimiter == t.shape().delimiter());
  }

  @Override
  public void close() {
    if (temporary) {
      delete(path);
    }
  }
}
