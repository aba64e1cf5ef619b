package io.crmkpi.files.exports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmkpi.files.FileSample;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.ss.usermodel.WorkbookFactory;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportFileReaderTest {

  @Test
  void anXlsxHeaderIsStreamedAsTheWholeReadSeesIt(@TempDir Path dir) throws Exception {
    // a blank first row, a gap in the header, trailing empty cells, 5,000 data rows
    Path file = dir.resolve("hubspot-crm-exports-deals.xlsx");
    try (XSSFWorkbook wb = new XSSFWorkbook(); OutputStream out = Files.newOutputStream(file)) {
      var sheet = wb.createSheet("Deals");
      sheet.createRow(0).createCell(3).setCellValue("");
      var h = sheet.createRow(1);
      h.createCell(0).setCellValue("Record ID");
      h.createCell(1).setCellValue("Deal Name");
      h.createCell(3).setCellValue("Deal Stage");
      h.createCell(4).setCellValue("");
      h.createCell(5).setCellValue("");
      for (int i = 0; i < 5_000; i++) {
        var r = sheet.createRow(i + 2);
        r.createCell(0).setCellValue(i);
        r.createCell(1).setCellValue("Deal " + i);
        r.createCell(3).setCellValue("Closed won");
      }
      wb.write(out);
    }
    ExportTable sniffed = ExportFileReader.sniff(file, FileSample.of(file).head());
    ExportTable whole = ExportFileReader.read(file, null, null);
    assertEquals(List.of("Record ID", "Deal Name", "", "Deal Stage"), sniffed.headers());
    // the streamed read gave it (not the whole read as a fallback)
    assertEquals(sniffed.headers(), ExportFileReader.xlsxHeader(file, "x.xlsx").orElseThrow().headers());
    assertEquals(whole.headers(), sniffed.headers());
    assertEquals("xlsx", sniffed.shape().kind());
    assertEquals(5_000, whole.rows().size());
  }

  @Test
  void xlsxRowsAreStreamedAsPoisWholeWorkbookReadsThem(@TempDir Path dir) throws Exception {
    Path shared = dir.resolve("shared.xlsx"); // strings in the shared table (as Excel writes them)
    Path inline = dir.resolve("inline.xlsx"); // inline strings (as streaming writers write them)
    Path epoch1904 = dir.resolve("mac.xlsx"); // the 1904 date system of old Mac workbooks
    try (XSSFWorkbook wb = new XSSFWorkbook(); OutputStream out = Files.newOutputStream(shared)) {
      fill(wb);
      wb.write(out);
    }
    try (SXSSFWorkbook wb = new SXSSFWorkbook(100); OutputStream out = Files.newOutputStream(inline)) {
      fill(wb);
      wb.write(out);
    }
    try (XSSFWorkbook wb = new XSSFWorkbook(); OutputStream out = Files.newOutputStream(epoch1904)) {
      var ct = wb.getCTWorkbook();
      (ct.isSetWorkbookPr() ? ct.getWorkbookPr() : ct.addNewWorkbookPr()).setDate1904(true);
      assertTrue(wb.isDate1904());
      fill(wb);
      wb.write(out);
    }
    for (Path file : List.of(shared, inline, epoch1904)) {
      ExportTable streamed = ExportFileReader.read(file, null, null);
      assertEquals(List.of("ID", "Created", "Budget", "Closed", "Total", "Label", "", "Note", "Err", "Code"),
          streamed.headers(),
          file.toString());
      // worked out by hand from what fill() wrote: sheet rows 3 and 5 (row 4 is blank), padded to the header
      // an error cell (#N/A) has no value; a formula's text result stays text ("1.50", not 1.5)
      assertEquals(List.of(new ExportTable.Row(3, List.of("101", "2024-01-31 10:15:00", "11015", "true",
              "11016.5", "101-won", "", "x", "", "1.50"),
              "101\t2024-01-31 10:15:00\t11015\ttrue\t11016.5\t101-won\t\tx\t\t1.50"),
          new ExportTable.Row(5, List.of("102", "", "1500.25", "false", "1501.75", "102-won", "", "", "", ""),
              "102\t\t1500.25\tfalse\t1501.75\t102-won\t\t\t\t")), streamed.rows(), file.toString());
    }
    // and a second computation: POI's whole-workbook model, cell by cell
    try (Workbook wb = WorkbookFactory.create(shared.toFile(), null, true)) {
      var r = wb.getSheetAt(0).getRow(2);
      assertEquals("2024-01-31 10:15:00", ExportFileReader.cellText(r.getCell(1)));
      assertEquals("11016.5", ExportFileReader.cellText(r.getCell(4)));
    }
  }

  /** Row 1 blank, header on row 2, data on rows 3 and 5: a date, a whole double, booleans, formulas. */
  private static void fill(Workbook wb) {
    var sheet = wb.createSheet("Deals");
    sheet.createRow(0);
    var h = sheet.createRow(1);
    String[] names = {"ID", "Created", "Budget", "Closed", "Total", "Label", "", "Note", "Err", "Code"};
    for (int c = 0; c < names.length; c++) {
      h.createCell(c).setCellValue(names[c]);
    }
    var dateStyle = wb.createCellStyle();
    dateStyle.setDataFormat(wb.getCreationHelper().createDataFormat().getFormat("dd.mm.yyyy hh:mm"));
    var a = sheet.createRow(2);
    a.createCell(0).setCellValue(101);
    var created = a.createCell(1);
    created.setCellValue(java.time.LocalDateTime.of(2024, 1, 31, 10, 15));
    created.setCellStyle(dateStyle);
    a.createCell(2).setCellValue(11015.0);
    a.createCell(3).setCellValue(true);
    a.createCell(4).setCellFormula("C3+1.5");
    a.createCell(5).setCellFormula("A3&\"-won\"");
    a.createCell(7).setCellValue("x");
    a.createCell(8).setCellErrorValue(org.apache.poi.ss.usermodel.FormulaError.NA.getCode());
    a.createCell(9).setCellFormula("\"1.50\"");
    var b = sheet.createRow(4);
    b.createCell(0).setCellValue(102);
    b.createCell(1).setCellStyle(dateStyle); // styled but blank
    b.createCell(2).setCellValue(1500.25);
    b.createCell(3).setCellValue(false);
    b.createCell(4).setCellFormula("C5+1.5");
    b.createCell(5).setCellFormula("A5&\"-won\"");
    b.createCell(7).setCellValue("");
    wb.getCreationHelper().createFormulaEvaluator().evaluateAll();
  }
}
