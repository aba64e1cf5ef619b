package io.crmkpi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The terminal bar and the summary, on the exact messages the driver sends (a test is never a terminal). */
class LoadDisplayTest {

  private static final String REPORT = "demo generator (deals=1000000, seed=42, today=2025-06-15): deals read 1000000 "
      + "= loaded 1000000 + rejected 0\n"
      + "demo generator (deals=1000000, seed=42, today=2025-06-15): orders read 3600000 = loaded 3599990 + rejected 10\n"
      + "demo total: read 4600000 = loaded 4599990 + rejected 10";

  @Test
  void onATerminalTheBarIsRedrawnInPlaceThenReplacedByTheSummary() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    LoadDisplay d = new LoadDisplay(new PrintStream(bytes, true, StandardCharsets.UTF_8), LoadDisplay.Mode.TERMINAL);
    d.accept("demo: 250000 of 1000000 deals generated");
    String first = "[######------------------]  25% demo: 250000 of 1000000 deals generated";
    assertEquals("\r" + first, bytes.toString(StandardCharsets.UTF_8));
    bytes.reset();
    d.accept("demo: 500000 of 1000000 deals generated");
    assertEquals("\r[############------------]  50% demo: 500000 of 1000000 deals generated",
        bytes.toString(StandardCharsets.UTF_8));
    bytes.reset();
    d.draw(); // the animation's next frame: nothing changed, nothing drawn
    assertEquals("", bytes.toString(StandardCharsets.UTF_8));
    d.accept(REPORT);
    // the bar is blanked (as long as it was), then one line: loaded rows grouped, rejects with where to look
    assertEquals("\r" + " ".repeat(first.length()) + "\r"
        + "demo: 4,599,990 rows loaded, 10 rejected: SELECT * FROM crm.load_rejects" + System.lineSeparator(),
        bytes.toString(StandardCharsets.UTF_8));
    bytes.reset();
    // after the summary no frame is drawn, even if a note arrived in between
    d.accept("demo: 4599990 rows generated");
    d.draw();
    d.finish();
    assertEquals("demo: 4599990 rows generated" + System.lineSeparator(), bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void workWithoutAKnownEndSlidesABlock() {
    assertEquals("[###---------------------] deals.csv: 250,000 rows…", LoadDisplay.bar("deals.csv: 250,000 rows…", 0));
    assertEquals("[--###-------------------] deals.csv: 250,000 rows…", LoadDisplay.bar("deals.csv: 250,000 rows…", 2));
    // it bounces back from the right end: 21 steps out, then back
    assertEquals("[---------------------###] loading", LoadDisplay.bar("loading", 21));
    assertEquals("[-------------------###--] loading", LoadDisplay.bar("loading", 23));
  }

  @Test
  void offATerminalProgressIsPlainLinesAndQuietIsNothing() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    LoadDisplay plain = new LoadDisplay(new PrintStream(bytes, true, StandardCharsets.UTF_8), LoadDisplay.Mode.PLAIN);
    plain.accept("deals.csv: 250,000 rows…");
    plain.draw();
    plain.accept(REPORT);
    String nl = System.lineSeparator();
    assertEquals("deals.csv: 250,000 rows…" + nl + "demo: 4,599,990 rows loaded, 10 rejected: SELECT * FROM crm.load_rejects"
        + nl, bytes.toString(StandardCharsets.UTF_8));
    bytes.reset();
    LoadDisplay quiet = new LoadDisplay(new PrintStream(bytes, true, StandardCharsets.UTF_8), LoadDisplay.Mode.QUIET);
    quiet.accept("deals.csv: 250,000 rows…");
    quiet.accept(REPORT);
    assertEquals("", bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aNoteGivesWayToTheSummaryOrIsPrintedWhenNothingFollows() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    LoadDisplay d = new LoadDisplay(new PrintStream(bytes, true, StandardCharsets.UTF_8), LoadDisplay.Mode.PLAIN);
    d.accept("demo: 4599990 rows generated");
    d.accept(REPORT);
    d.finish();
    String nl = System.lineSeparator();
    assertEquals("demo: 4,599,990 rows loaded, 10 rejected: SELECT * FROM crm.load_rejects" + nl,
        bytes.toString(StandardCharsets.UTF_8));
    bytes.reset();
    LoadDisplay unchanged = new LoadDisplay(new PrintStream(bytes, true, StandardCharsets.UTF_8), LoadDisplay.Mode.PLAIN);
    unchanged.accept("files: input unchanged since the last load into /tmp/x.duckdb");
    assertEquals("", bytes.toString(StandardCharsets.UTF_8));
    unchanged.finish();
    assertEquals("files: input unchanged since the last load into /tmp/x.duckdb" + nl, bytes.toString(StandardCharsets.UTF_8));
  }
}
