package io.crmkpi.files.exports;

import io.crmkpi.files.FileSample;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;

/**
 * The UTF-8 CSV file a bulk load reads for an export, and its header. A UTF-8 export is read as it
 * is; a windows-1251/1252 or UTF-16 one (Bitrix24 writes windows-1251) is first decoded exactly as
 * the row path decodes it ({@link ExportText}) and written to a temporary UTF-8 file, which keeps
 * its lines, so file:line and raw rows stay those of the original. Closing deletes that file.
 */
final class ExportBulkInput implements AutoCloseable {

  private final Path path;
  private final ExportTable head;
  private final boolean temporary;

  private ExportBulkInput(Path path, ExportTable head, boolean temporary) {
    this.path = path;
    this.head = head;
    this.temporary = temporary;
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
   * The input for {@code file} when the bulk path may load it: a CSV (not a workbook or HTML) of two
   * columns or more, times in the reporting zone, no date patterns or report footer of the profile's
   * own; else null (the row path reads it).
   */
  static ExportBulkInput open(Path file, ExportProfile profile, ZoneId fileZone, ZoneId report) {
    if (profile.footer || !profile.datePatterns.isEmpty() || !fileZone.getRules().equals(report.getRules())) {
      return null;
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(FileSample.SIZE);
    } catch (IOException e) {
      return null; // the row path words the error
    }
    ExportTable t = ExportFileReader.sniff(file, bytes);
    boolean utf8 = t.shape().charset().equals(StandardCharsets.UTF_8.name())
        && (profile.encoding == null || profile.encoding.equals(StandardCharsets.UTF_8));
    if (!t.shape().kind().equals("csv")) {
      return null;
    }
    if (utf8) {
      return eligible(t, profile) ? new ExportBulkInput(file, t, false) : null;
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
      ExportText.Decoded text = profile.encoding == null ? ExportText.decode(all) : ExportText.decode(all,
          profile.encoding);
      if (ExportFileReader.isHtml(text.text())) {
        return null;
      }
      temp = Files.createTempFile("crmkpi-export-", ".csv");
      Files.writeString(temp, text.text(), StandardCharsets.UTF_8);
      byte[] head;
      try (InputStream in = Files.newInputStream(temp)) {
        head = in.readNBytes(FileSample.SIZE);
      }
      ExportTable t = ExportFileReader.sniff(temp, head);
      if (!t.shape().kind().equals("csv") || !eligible(t, profile)) {
        Files.deleteIfExists(temp);
        return null;
      }
      // the original's name, for messages
      return new ExportBulkInput(temp, new ExportTable(file.getFileName().toString(), t.headers(), t.rows(),
          t.shape()), true);
    } catch (IOException | RuntimeException e) {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // a temporary file left behind is the system's to clean
        }
      }
      return null; // the row path reads the file and words any error
    }
  }

  private static boolean eligible(ExportTable t, ExportProfile profile) {
    // a forced delimiter the header does not show: the row path's reader decides
    return t.headers().size() >= 2 && (profile.delimiter == null || profile.delimiter == t.shape().delimiter());
  }

  @Override
  public void close() {
    if (temporary) {
      try {
        Files.deleteIfExists(path);
      } catch (IOException e) {
        // a temporary file left behind is the system's to clean
      }
    }
  }
}
