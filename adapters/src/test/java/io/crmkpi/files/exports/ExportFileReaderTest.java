package io.crmkpi.files.exports;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.crmkpi.files.FileSample;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
}
