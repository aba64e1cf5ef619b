package io.crmkpi.files;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvRecordIndexTest {

  @Test
  void linesAndValuesOfEveryRecordByHand(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("deals.csv");
    // line 1 header (BOM); 2 a; 3-4 b (quoted LF); 5 blank; 6 c (doubled quotes, a quoted comma);
    // 7-9 d (two quoted CRLFs); 10 e: a quote inside an unquoted value, no final line break
    Files.write(f, ("\uFEFFid,title\r\n"
        + "a,x\r\n"
        + "b,\"one\ntwo\"\r\n"
        + "\r\n"
        + "c,\"say \"\"hi\"\", \"\"bye\"\"\"\r\n"
        + "d,\"p\r\nq\r\nr\"\n"
        + "e,5'5\"").getBytes(StandardCharsets.UTF_8));
    CsvRecordIndex index = CsvRecordIndex.of(f, 2);
    assertEquals(5, index.count());
    assertEquals(0, index.malformed().length);
    assertEquals(List.of(2L, 3L, 6L, 7L, 10L), List.of(index.line(0), index.line(1), index.line(2), index.line(3),
        index.line(4)));
    assertEquals(List.of("a", "x"), index.values(0));
    assertEquals(List.of("b", "one\ntwo"), index.values(1));
    assertEquals(List.of("c", "say \"hi\", \"bye\""), index.values(2));
    assertEquals(List.of("d", "p\r\nq\r\nr"), index.values(3));
    assertEquals(List.of("e", "5'5\""), index.values(4));
  }

  /** Records with another number of values than the header are set aside; rows are numbered without them. */
  @Test
  void recordsOfAnotherWidthAreMalformedAndRowsSkipThem(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("deals.csv");
    // line 2 ok; 3 one value short; 4-5 ok with a quoted comma and line break; 6 one too many; 7 ok
    Files.writeString(f, "id,title,amount\n1,a,10\n2,b\n3,\"c,\nd\",30\n4,e,40,x\n5,f,50\n",
        StandardCharsets.UTF_8);
    CsvRecordIndex index = CsvRecordIndex.of(f, 3);
    assertEquals(3, index.count());
    assertEquals(List.of(2L, 4L, 7L), List.of(index.line(0), index.line(1), index.line(2)));
    assertEquals(List.of("3", "c,\nd", "30"), index.values(1));
    int[] bad = index.malformed();
    assertEquals(2, bad.length);
    assertEquals(List.of(3L, 6L), List.of(index.recordLine(bad[0]), index.recordLine(bad[1])));
    assertEquals(List.of("2", "b"), index.recordValues(bad[0]));
    assertEquals(List.of("4", "e", "40", "x"), index.recordValues(bad[1]));
    index.close();
  }

  /** The same lines as commons-csv's own line count, on a file mixing every shape, 2,000 records. */
  @Test
  void agreesWithCommonsCsvLineNumbers(@TempDir Path dir) throws Exception {
    StringBuilder b = new StringBuilder("k,v,w\n");
    for (int i = 0; i < 2_000; i++) {
      switch (i % 7) {
        case 0 -> b.append(i).append(",plain,x\n");
        case 1 -> b.append(i).append(",\"multi\nline\n\",\"\"\r\n");
        case 2 -> b.append("\n\n").append(i).append(",after blanks,\"a,b\"\n");
        case 3 -> b.append(i).append(",\"\"\"quoted\"\"\",in\"side\r\n");
        case 4 -> b.append(i).append(",,\n");
        case 5 -> b.append(i).append(",\"cr\rinside\",z\n");
        default -> b.append(i).append(",\"x\"\"\ny\",\"\"\"\"\n");
      }
    }
    Path f = dir.resolve("big.csv");
    Files.writeString(f, b.toString(), StandardCharsets.UTF_8);
    List<Long> lines = new ArrayList<>();
    List<List<String>> values = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(f);
         CSVParser p = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(false).get().parse(r)) {
      Iterator<CSVRecord> it = p.iterator();
      it.next();
      while (true) {
        long line = p.getCurrentLineNumber() + 1;
        if (!it.hasNext()) {
          break;
        }
        CSVRecord rec = it.next();
        if (rec.size() == 1 && rec.get(0).isEmpty()) {
          continue;
        }
        lines.add(line);
        values.add(rec.toList());
      }
    }
    CsvRecordIndex index = CsvRecordIndex.of(f, 3);
    assertEquals(2_000, values.size());
    assertEquals(values.size(), index.count());
    for (int i = 0; i < index.count(); i++) {
      assertEquals(lines.get(i), index.line(i), "record " + i);
      assertEquals(values.get(i), index.values(i), "record " + i);
    }
  }
}
