package io.crmkpi.files.exports;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import java.util.Optional;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.ss.usermodel.WorkbookFactory;
import org.jsoup.nodes.Element;
import org.jsoup.parser.Parser;
import org.jsoup.parser.StreamParser;

/**
 * Reads any tabular export into an {@link ExportTable}: CSV (encoding and delimiter sniffed,
 * Bitrix24's trailing {@code ;} dropped), XLSX/XLS through POI, and HTML tables saved as
 * {@code .xls} (Bitrix24 "Excel" export) through jsoup.
 */
public final class ExportFileReader {

  /** Cell dates from spreadsheets are handed on as text in this form; {@link ExportValues} reads it. */
  static final DateTimeFormatter CELL_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private ExportFileReader() {
  }

  /** Reads the whole file; {@code charset} forces the encoding of text files (null = sniff). */
  public static ExportTable read(Path file, Charset charset, Character delimiter) throws IOException {
    Collected all = new Collected();
    ExportTable.Shape shape = stream(file, charset, delimiter, all);
    return new ExportTable(file.getFileName().toString(), all.headers, all.rows, shape);
  }

  /**
   * Hands the file's header, then its rows one by one, to {@code sink} (a long file's rows are never
   * all in memory); returns its physical shape. {@code charset} forces the encoding of text files.
   */
  static ExportTable.Shape stream(Path file, Charset charset, Character delimiter, RowSink sink) throws IOException {
    String name = file.getFileName().toString();
    byte[] magic;
    try (var in = Files.newInputStream(file)) {
      magic = in.readNBytes(4);
    }
    if (isZip(magic) || isOle(magic)) {
      return new ExportTable.Shape(readWorkbook(file, name, sink), "", false, '\t', false, false, false);
    }
    ExportText.Decoded text = decode(Files.readAllBytes(file), charset); // the bytes go once decoded
    if (isHtml(text.text())) {
      readHtml(text, sink);
      return htmlShape(text);
    }
    return readCsv(text, name, delimiter, sink);
  }

  /** The header of a file from its first bytes only (for detection); empty when unreadable. */
  public static ExportTable sniff(Path file, byte[] head) {
    try {
      String name = file.getFileName().toString();
      if (isZip(head)) {
        Optional<ExportTable> streamed = xlsxHeader(file, name);
        if (streamed.isPresent()) {
          return streamed.get();
        }
      }
      if (isZip(head) || isOle(head)) {
        return headerOnly(readWorkbook(file, name));
      }
      ExportText.Decoded text = ExportText.decode(head, head.length >= io.crmkpi.files.FileSample.SIZE);
      if (isHtml(text.text())) {
        return headerOnly(readHtml(text, name));
      }
      String t = text.text();
      int nl = firstLineEnd(t);
      // the header plus one line is enough to see the physical shape
      int second = nl < 0 ? -1 : firstLineEnd(t.substring(nl + 1));
      String part = nl < 0 ? t : t.substring(0, second < 0 ? t.length() : nl + 1 + second + 1);
      return headerOnly(readCsv(new ExportText.Decoded(part, text.charset(), text.bom()), name, null));
    } catch (IOException | RuntimeException e) {
      return new ExportTable(file.getFileName().toString(), List.of(), List.of(),
          new ExportTable.Shape("unknown", "", false, ',', false, false, false));
    }
  }

  /** Stops a streamed sheet at its first non-empty row. */
  private static final class HeaderRead extends RuntimeException {
    HeaderRead() {
      super(null, null, false, false);
    }
  }

  /**
   * The first non-empty row of an XLSX's first sheet, streamed (detection need not read a whole
   * 200,000-row sheet); empty when the stream cannot tell (the whole read decides).
   */
  static Optional<ExportTable> xlsxHeader(Path file, String name) {
    List<String> headers = new ArrayList<>();
    try {
      readWorkbook(file, name, new RowSink() {
        @Override
        public void header(List<String> h) {
          headers.addAll(h);
          throw new HeaderRead();
        }

        @Override
        public void row(ExportTable.Row row) {
        }
      });
    } catch (HeaderRead done) {
      // the header row is in
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    if (headers.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ExportTable(name, headers, List.of(), new ExportTable.Shape("xlsx", "", false, '\t',
        false, false, false)));
  }

  private static ExportTable headerOnly(ExportTable t) {
    return new ExportTable(t.fileName(), t.headers(), List.of(), t.shape());
  }

  static boolean isZip(byte[] b) {
    return b.length >= 4 && b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4;
  }

  static boolean isOle(byte[] b) {
    return b.length >= 4 && (b[0] & 0xFF) == 0xD0 && (b[1] & 0xFF) == 0xCF && (b[2] & 0xFF) == 0x11
        && (b[3] & 0xFF) == 0xE0;
  }

  static boolean isHtml(String text) {
    String head = text.substring(0, Math.min(text.length(), 4096)).stripLeading().toLowerCase(Locale.ROOT);
    return head.startsWith("<") && (head.contains("<table") || head.contains("<html") || head.contains("<meta"));
  }

  private static int firstLineEnd(String t) {
    boolean quoted = false;
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == '\n' && !quoted) {
        return i;
      }
    }
    return -1;
  }

  /** The delimiter of a CSV: the most frequent of {@code ; , TAB |} outside quotes on the header line. */
  static char sniffDelimiter(String headerLine) {
    char[] candidates = {';', ',', '\t', '|'};
    int[] counts = new int[candidates.length];
    boolean quoted = false;
    for (int i = 0; i < headerLine.length(); i++) {
      char c = headerLine.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (!quoted) {
        for (int k = 0; k < candidates.length; k++) {
          if (c == candidates[k]) {
            counts[k]++;
          }
        }
      }
    }
    int best = 1; // ',' when nothing is found (one-column file)
    for (int k = 0; k < candidates.length; k++) {
      if (counts[k] > counts[best]) {
        best = k;
      }
    }
    return candidates[best];
  }

  private static ExportTable readCsv(ExportText.Decoded decoded, String name, Character forced) throws IOException {
    Collected all = new Collected();
    ExportTable.Shape shape = readCsv(decoded, name, forced, all);
    return new ExportTable(name, all.headers, all.rows, shape);
  }

  private static ExportTable.Shape readCsv(ExportText.Decoded decoded, String name, Character forced, RowSink sink)
      throws IOException {
    String text = decoded.text();
    int nl = firstLineEnd(text);
    String headerLine = (nl < 0 ? text : text.substring(0, nl)).replace("\r", "");
    char delimiter = forced != null ? forced : sniffDelimiter(headerLine);
    boolean trailing = headerLine.length() > 1 && headerLine.charAt(headerLine.length() - 1) == delimiter;
    boolean crlf = nl > 0 && text.charAt(nl - 1) == '\r';
    CSVFormat format = CSVFormat.RFC4180.builder().setDelimiter(delimiter).setIgnoreEmptyLines(false)
        .setTrailingDelimiter(trailing).setIgnoreSurroundingSpaces(false).get();
    boolean allQuoted = true;
    try (CSVParser parser = CSVParser.parse(new StringReader(text), format)) {
      long before = 0;
      boolean first = true;
      for (CSVRecord r : parser) {
        int line = (int) before + 1;
        before = parser.getCurrentLineNumber();
        List<String> values = r.toList();
        if (values.size() == 1 && values.get(0).isEmpty()) {
          continue; // blank line
        }
        if (first) {
          first = false;
          allQuoted = rawLineAllQuoted(headerLine, delimiter);
          sink.header(values);
          continue;
        }
        sink.row(new ExportTable.Row(line, values, String.join(String.valueOf(delimiter), values)));
      }
    } catch (java.io.UncheckedIOException e) {
      throw new IOException(name + ": not a readable CSV file: " + e.getCause().getMessage(), e);
    }
    return new ExportTable.Shape("csv", decoded.charset().name(), decoded.bom(), delimiter, allQuoted, trailing, crlf);
  }

  private static boolean rawLineAllQuoted(String line, char delimiter) {
    String l = line.strip();
    if (l.isEmpty() || l.charAt(0) != '"') {
      return false;
    }
    String sep = "\"" + delimiter + "\"";
    if (l.endsWith(String.valueOf(delimiter))) {
      l = l.substring(0, l.length() - 1);
    }
    // every field is "..."; a crude check that is enough for detection
    return l.endsWith("\"") && l.split(java.util.regex.Pattern.quote(String.valueOf(delimiter)), -1).length
        == l.split(java.util.regex.Pattern.quote(sep), -1).length;
  }

  private static ExportTable readHtml(ExportText.Decoded decoded, String name) throws IOException {
    Collected all = new Collected();
    readHtml(decoded, all);
    return new ExportTable(name, all.headers, all.rows, htmlShape(decoded));
  }

  private static ExportTable.Shape htmlShape(ExportText.Decoded decoded) {
    return new ExportTable.Shape("html", decoded.charset().name(), decoded.bom(), '\t', false, false, false);
  }

  private static ExportText.Decoded decode(byte[] bytes, Charset charset) {
    return charset == null ? ExportText.decode(bytes) : ExportText.decode(bytes, charset);
  }

  /**
   * Streams the rows of the document's first table to {@code sink}: cells as their text (no-break
   * spaces as spaces, stripped), each row with the line its {@code <tr>} starts on, raw = cells
   * joined by a tab. Each row is dropped from the tree once read, so a 200,000-row Bitrix24 "Excel"
   * export never becomes a whole DOM (gigabytes).
   */
  static void readHtml(ExportText.Decoded decoded, RowSink sink) throws IOException {
    try (StreamParser stream = new StreamParser(Parser.htmlParser().setTrackPosition(true))) {
      stream.parse(new StringReader(decoded.text()), "");
      Element table = null;
      boolean first = true;
      int seen = 0;
      for (Element tr = stream.selectNext("tr"); tr != null; tr = stream.selectNext("tr")) {
        seen++;
        if (table == null) {
          for (Element p : tr.parents()) {
            if (p.nameIs("table")) {
              table = p; // the outermost: rows of tables nested in its cells are its rows too
            }
          }
        } else if (!tr.parents().contains(table)) {
          tr.remove();
          continue; // a later table
        }
        List<String> values = new ArrayList<>();
        for (Element cell : tr.children()) {
          if (cell.nameIs("td") || cell.nameIs("th")) {
            values.add(cell.wholeText().replace('\u00A0', ' ').strip());
          }
        }
        int line = tr.sourceRange().isTracked() ? tr.sourceRange().start().lineNumber() : seen;
        tr.remove();
        if (values.isEmpty()) {
          continue;
        }
        if (first) {
          first = false;
          sink.header(values);
        } else {
          sink.row(new ExportTable.Row(line, values, String.join("\t", values)));
        }
      }
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Receives a workbook's rows in sheet order: the header (first non-empty row), then each data row. */
  interface RowSink {
    void header(List<String> headers) throws IOException;

    void row(ExportTable.Row row) throws IOException;
  }

  private static ExportTable readWorkbook(Path file, String name) throws IOException {
    Collected all = new Collected();
    String kind = readWorkbook(file, name, all);
    return new ExportTable(name, all.headers, all.rows, new ExportTable.Shape(kind, "", false, '\t', false, false,
        false));
  }

  /** A sink that keeps every row (the row path reads a table whole). */
  private static final class Collected implements RowSink {
    final List<String> headers = new ArrayList<>();
    final List<ExportTable.Row> rows = new ArrayList<>();

    @Override
    public void header(List<String> h) {
      headers.addAll(h);
    }

    @Override
    public void row(ExportTable.Row row) {
      rows.add(row);
    }
  }

  /**
   * Streams the first sheet of a workbook to {@code sink}, cells as {@link #cellText}; returns
   * {@code xlsx} or {@code xls}. An XLSX is read row by row from its XML ({@link XlsxSheetReader}:
   * memory stays flat however long the sheet); an XLS, at most 65,536 rows, through POI's
   * whole-workbook model.
   */
  static String readWorkbook(Path file, String name, RowSink sink) throws IOException {
    SheetRows shaped = new SheetRows(sink);
    if (isZipFile(file)) {
      XlsxSheetReader.read(file, name, shaped::row);
      return "xlsx";
    }
    try (Workbook wb = WorkbookFactory.create(file.toFile(), null, true)) {
      if (wb.getNumberOfSheets() > 0) {
        for (org.apache.poi.ss.usermodel.Row r : wb.getSheetAt(0)) {
          List<String> cells = new ArrayList<>();
          for (int c = 0; c < r.getLastCellNum(); c++) {
            cells.add(cellText(r.getCell(c)));
          }
          shaped.row(r.getRowNum() + 1, cells);
        }
      }
      return "xls";
    } catch (org.apache.poi.EncryptedDocumentException | org.apache.poi.UnsupportedFileFormatException e) {
      throw new IOException(name + ": not a readable Excel workbook: " + e.getMessage(), e);
    }
  }

  /**
   * Sheet rows as table rows: the first non-empty one is the header; a data row is padded to the
   * header's width, empty cells beyond it dropped; empty rows skipped.
   */
  private static final class SheetRows {
    private final RowSink sink;
    private int width = -1; // the header's, once seen

    SheetRows(RowSink sink) {
      this.sink = sink;
    }

    void row(int number, List<String> cells) throws IOException {
      List<String> values = new ArrayList<>(cells);
      while (values.size() < width) {
        values.add("");
      }
      while (!values.isEmpty() && values.get(values.size() - 1).isEmpty() && values.size() > Math.max(width, 0)) {
        values.remove(values.size() - 1);
      }
      if (values.stream().allMatch(String::isEmpty)) {
        return;
      }
      if (width < 0) {
        width = values.size();
        sink.header(values);
      } else {
        sink.row(new ExportTable.Row(number, values, String.join("\t", values)));
      }
    }
  }

  private static boolean isZipFile(Path file) throws IOException {
    try (var in = Files.newInputStream(file)) {
      return isZip(in.readNBytes(4));
    }
  }

  /** A cell as text: dates as {@code yyyy-MM-dd HH:mm:ss}, numbers without a trailing {@code .0}. */
  static String cellText(Cell cell) {
    if (cell == null) {
      return "";
    }
    CellType type = cell.getCellType() == CellType.FORMULA ? cell.getCachedFormulaResultType() : cell.getCellType();
    switch (type) {
      case NUMERIC:
        if (DateUtil.isCellDateFormatted(cell)) {
          LocalDateTime t = cell.getLocalDateTimeCellValue();
          return t == null ? "" : CELL_DATE.format(t);
        }
        return BigDecimal.valueOf(cell.getNumericCellValue()).stripTrailingZeros().toPlainString();
      case STRING:
        return cell.getStringCellValue();
      case BOOLEAN:
        return String.valueOf(cell.getBooleanCellValue());
      default:
        return "";
    }
  }
}
