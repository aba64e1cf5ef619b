package io.crmkpi.engines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trino.sql.parser.ParsingException;
import io.trino.sql.parser.SqlParser;
import io.trino.sql.tree.CreateView;
import io.trino.sql.tree.Statement;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every golden Trino file (the driver's TrinoGoldenTest keeps them equal to what sql-export writes)
 * is read by Trino's own SQL parser: each view is one CREATE VIEW Trino accepts, each table statement
 * parses.
 */
class TrinoGoldenParseIT {

  static final Path GOLDEN = Path.of("../driver/src/test/resources/io/crmkpi/dialect/golden/trino");

  @Test
  void trinosParserReadsEveryGoldenStatement() throws Exception {
    SqlParser parser = new SqlParser();
    List<String> failures = new ArrayList<>();
    int views = 0;
    int statements = 0;
    try (Stream<Path> files = Files.list(GOLDEN)) {
      for (Path f : files.sorted().toList()) {
        for (String sql : LakeFixture.statements(Files.readString(f, StandardCharsets.UTF_8))) {
          try {
            Statement st = parser.createStatement(sql);
            statements++;
            if (st instanceof CreateView) {
              views++;
            }
          } catch (ParsingException e) {
            failures.add(f.getFileName() + ": " + e.getMessage());
          }
        }
      }
    }
    assertEquals(List.of(), failures);
    assertTrue(views >= 21 + 5, views + " views");
    assertTrue(statements > views + 20, statements + " statements");
  }
}
