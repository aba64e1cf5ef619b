package io.crmkpi.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Where each data record of an RFC 4180 CSV file starts: byte offset and physical line, and how
 * many values it has. Built by one pass over the bytes, only when a bulk load needs file:line for
 * rejected rows (DuckDB's reader numbers rows, not lines). Blank lines are not records (as in
 * DuckDB's reader and the row-by-row reader); a quoted line break stays inside its record; CRLF, LF
 * and a lone CR each end one physical line.
 *
 * <p>Rows are the records with as many values as the header, numbered from 0 as DuckDB's reader
 * numbers the rows it keeps; the others are {@link #malformed()} (DuckDB's reader sets them aside).
 */
public final class CsvRecordIndex implements AutoCloseable {

  private final CSVFormat csv;
  private final Path file;
  private final long[] offsets;
  private final long[] lines;
  private final int count;
  private final long end;
  /** Row number -> record number; null when every record has the header's width. */
  private final int[] rows;
  private final int[] malformed;
  /** Open while records are read again (rejected rows are read in file order, one after the other). */
  private FileChannel channel;

  private CsvRecordIndex(Path file, CSVFormat csv, long[] offsets, long[] lines, int[] widths, int count, long end,
      int width) {
    this.csv = csv;
    this.file = file;
    this.offsets = offsets;
    this.lines = lines;
    this.count = count;
    this.end = end;
    int bad = 0;
    for (int i = 0; i < count; i++) {
      if (widths[i] != width) {
        bad++;
      }
    }
    this.malformed = new int[bad];
    if (bad == 0) {
      this.rows = null;
    } else {
      this.rows = new int[count - bad];
      for (int i = 0, r = 0, m = 0; i < count; i++) {
        if (widths[i] == width) {
          rows[r++] = i;
        } else {
          malformed[m++] = i;
        }
      }
    }
  }

  /** Scans {@code file} (UTF-8, an optional BOM) whose header has {@code width} values; the header is no record. */
  static CsvRecordIndex of(Path file, int width) throws IOException {
    return of(file, width, CSVFormat.RFC4180.builder().setIgnoreEmptyLines(false).get());
  }

  /**
   * As {@link #of(Path, int)} for records in {@code format} (its one-character delimiter separates
   * values; {@link #values} reads records again with it), {@code width} values counted by delimiters.
   */
  public static CsvRecordIndex of(Path file, int width, CSVFormat format) throws IOException {
    char delimiter = format.getDelimiterString().charAt(0);
    long[] offsets = new long[1024];
    long[] lines = new long[1024];
    int[] widths = new int[1024];
    int fields = 1;
    int n = -1; // the header is record -1
    long line = 1;
    long pos = 0;
    boolean inQuotes = false;
    boolean fieldStart = true;
    boolean recordEmpty = true;
    long recordStart = 0;
    long recordLine = 1;
    boolean pendingCr = false; // the last byte was a CR: an LF right after belongs to it
    boolean quoteJustClosed = false; // a quote right after a closing one is a doubled quote
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      int read;
      boolean first = true;
      while ((read = in.read(buf)) > 0) {
        int i = 0;
        if (first) {
          first = false;
          if (read >= 3 && (buf[0] & 0xFF) == 0xEF && (buf[1] & 0xFF) == 0xBB && (buf[2] & 0xFF) == 0xBF) {
            i = 3;
            pos = 3;
            recordStart = 3;
          }
        }
        for (; i < read; i++, pos++) {
          byte b = buf[i];
          if (pendingCr) {
            pendingCr = false;
            if (b == '\n') {
              if (!inQuotes) {
                recordStart = pos + 1;
              }
              continue; // the LF of a CRLF: the line was counted at the CR
            }
          }
          if (inQuotes) {
            if (b == '"') {
              inQuotes = false; // a doubled quote reopens at once: see the unquoted branch
              fieldStart = false;
              quoteJustClosed = true;
              continue;
            }
            if (b == '\n') {
              line++;
            } else if (b == '\r') {
              line++;
              pendingCr = true;
            }
            continue;
          }
          if (b == '"' && (fieldStart || quoteJustClosed)) {
            // an opening quote, or the second quote of a doubled one inside a quoted value
            inQuotes = true;
            quoteJustClosed = false;
            recordEmpty = false;
            fieldStart = false;
            continue;
          }
          quoteJustClosed = false;
          if (b == '\n' || b == '\r') {
            if (!recordEmpty) {
              if (n >= 0) {
                if (n == offsets.length) {
                  offsets = Arrays.copyOf(offsets, n * 2);
                  lines = Arrays.copyOf(lines, n * 2);
                  widths = Arrays.copyOf(widths, n * 2);
                }
                offsets[n] = recordStart;
                lines[n] = recordLine;
                widths[n] = fields;
              }
              n++;
            }
            fields = 1;
            line++;
            pendingCr = b == '\r';
            recordStart = pos + 1;
            recordLine = line;
            recordEmpty = true;
            fieldStart = true;
            continue;
          }
          recordEmpty = false;
          fieldStart = b == delimiter;
          if (fieldStart) {
            fields++;
          }
        }
      }
    }
    if (!recordEmpty) { // a last record without a final line break
      if (n >= 0) {
        if (n == offsets.length) {
          offsets = Arrays.copyOf(offsets, n + 1);
          lines = Arrays.copyOf(lines, n + 1);
          widths = Arrays.copyOf(widths, n + 1);
        }
        offsets[n] = recordStart;
        lines[n] = recordLine;
        widths[n] = fields;
      }
      n++;
    }
    return new CsvRecordIndex(file, format, offsets, lines, widths, Math.max(n, 0), pos, width);
  }

  /**
   * Of the rows DuckDB's reader set aside ({@code store_rejects} into {@code rejectsTable}), how many
   * lines had another number of values than the header; -1 when it set a row aside for anything
   * else (an unclosed quote, not UTF-8...), which the row-by-row reader words better.
   */
  public static long widthRejects(Statement s, String rejectsTable) throws SQLException {
    try (ResultSet rs = s.executeQuery("SELECT count(DISTINCT line) FILTER (WHERE error_type IN ('MISSING COLUMNS', "
        + "'TOO MANY COLUMNS')), count(*) FILTER (WHERE error_type NOT IN ('MISSING COLUMNS', 'TOO MANY COLUMNS')) "
        + "FROM " + rejectsTable)) {
      rs.next();
      return rs.getLong(2) > 0 ? -1 : rs.getLong(1);
    }
  }

  @Override
  public void close() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // read-only: nothing was lost
      }
      channel = null;
    }
  }

  /** Rows: data records with the header's number of values. */
  public int count() {
    return rows == null ? count : rows.length;
  }

  /** Record numbers of the data records with another number of values than the header, in file order. */
  public int[] malformed() {
    return malformed.clone();
  }

  /** Physical line (1-based) where row {@code row} starts. */
  public long line(int row) {
    return recordLine(record(row));
  }

  /** The values of row {@code row}, read again from the file (RFC 4180, as the row-by-row reader). */
  public List<String> values(int row) throws IOException {
    return recordValues(record(row));
  }

  private int record(int row) {
    return rows == null ? row : rows[row];
  }

  /** Physical line (1-based) where data record {@code record} starts. */
  public long recordLine(int record) {
    return lines[record];
  }

  /** The values of data record {@code record}, read again from the file. */
  public List<String> recordValues(int record) throws IOException {
    long from = offsets[record];
    long to = record + 1 < count ? offsets[record + 1] : end;
    ByteBuffer bytes = ByteBuffer.allocate((int) (to - from));
    if (channel == null) {
      channel = FileChannel.open(file, StandardOpenOption.READ);
    }
    while (bytes.hasRemaining() && channel.read(bytes, from + bytes.position()) > 0) {
      // reads the whole range
    }
    bytes.flip();
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
    } catch (CharacterCodingException e) {
      throw new IOException("not UTF-8 text", e);
    }
    try (CSVParser p = csv.parse(new java.io.StringReader(text))) {
      for (CSVRecord r : p) {
        return r.toList();
      }
    }
    return List.of();
  }
}
