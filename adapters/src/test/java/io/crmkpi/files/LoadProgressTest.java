package io.crmkpi.files;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.crmkpi.source.SourceContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadProgressTest {

  @Test
  void aMessageEveryStepOfRowsWithThousandsSeparators() {
    List<String> seen = new ArrayList<>();
    SourceContext context = new SourceContext(Map.of(), seen::add);
    LoadProgress p = new LoadProgress("deals.csv", context, 3);
    for (int i = 0; i < 7; i++) {
      p.row();
    }
    assertEquals(List.of("deals.csv: 3 rows…", "deals.csv: 6 rows…"), seen);
    assertEquals(7, p.rows());

    seen.clear();
    LoadProgress big = LoadProgress.of("export.csv", context);
    for (int i = 0; i < 500_001; i++) {
      big.row();
    }
    // the clock may add messages at multiples of 10,000 when rows come slowly; the step messages are always there
    assertEquals(true, seen.contains("export.csv: 250,000 rows…"), seen.toString());
    assertEquals(true, seen.contains("export.csv: 500,000 rows…"), seen.toString());
    assertEquals(List.of(), seen.stream().filter(m -> !m.matches("export\\.csv: \\d{1,2}0,000 rows…")).toList());
  }
}
