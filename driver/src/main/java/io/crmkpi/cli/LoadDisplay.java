package io.crmkpi.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the CLI shows a source load on stderr. On a terminal: one progress bar line, redrawn in place
 * while the driver works and replaced by one summary line at the end. Elsewhere (a pipe, a file, a
 * test): the driver's progress messages as plain lines, then the summary line. Quiet: nothing.
 * Verbose: every message, including the load report's per-table lines.
 *
 * <p>The driver reports through {@code io.crmkpi.jdbc.Progress} as text: a load report (several lines
 * ending with "{@code <source> total: read R = loaded L + rejected J}"), progress such as
 * "{@code demo: 200000 of 1000000 deals generated}" or "{@code deals.csv: 250,000 rows…}", and
 * one-line notes ("input unchanged since the last load", "demo: 12632 rows generated"). A note is held
 * back until the next message: a load report that follows it says the same in its summary, so only the
 * summary is printed; a note nothing follows (the input was unchanged) is printed when the connect ends.
 */
final class LoadDisplay implements Consumer<String> {

  enum Mode { QUIET, PLAIN, TERMINAL, VERBOSE }

  private static final Pattern TOTAL =
      Pattern.compile("(?m)^(.+) total: read (\\d+) = loaded (\\d+) \\+ rejected (\\d+)$");
  private static final Pattern FRACTION = Pattern.compile("([\\d,]+) of ([\\d,]+)");
  static final int BAR = 24;

  private final PrintStream err;
  private final Mode mode;
  /** Length of the bar line on screen (0 = none), so the next draw or the summary can blank it. */
  private int drawn;
  private int tick;
  private String last = "loading";
  /** A note not printed yet (see the class comment). */
  private String pending;
  /** The bar line on screen, not drawn again while nothing changes. */
  private String shown = "";
  /** The summary is out: nothing is drawn after it. */
  private boolean summarized;

  LoadDisplay(PrintStream err, Mode mode) {
    this.err = err;
    this.mode = mode;
  }

  /** The display for this run: quiet, verbose, or a bar when stderr is a terminal, plain lines otherwise. */
  static LoadDisplay of(boolean quiet, boolean verbose) {
    Mode mode = quiet ? Mode.QUIET : verbose ? Mode.VERBOSE : System.console() != null ? Mode.TERMINAL : Mode.PLAIN;
    return new LoadDisplay(System.err, mode);
  }

  @Override
  public synchronized void accept(String message) {
    switch (mode) {
      case QUIET -> { }
      case VERBOSE -> err.println(message);
      default -> {
        Matcher total = TOTAL.matcher(message);
        if (total.find()) {
          pending = null;
          clear();
          err.println(summary(total));
          summarized = true;
        } else if (isProgress(message)) {
          if (mode == Mode.TERMINAL) {
            last = message;
            draw();
          } else {
            err.println(message);
          }
        } else {
          flushNote();
          pending = message;
          last = message;
        }
      }
    }
  }

  /** Whether the bar should move on its own while the driver works (a terminal). */
  boolean animated() {
    return mode == Mode.TERMINAL;
  }

  /** Redraws the bar (the CLI calls this every quarter second while connecting, so it moves). */
  synchronized void draw() {
    if (mode != Mode.TERMINAL || summarized) {
      return;
    }
    String line = bar(last, tick++);
    if (line.equals(shown)) {
      return;
    }
    err.print("\r" + line + " ".repeat(Math.max(0, drawn - line.length())));
    err.flush();
    drawn = line.length();
    shown = line;
  }

  /** The connect is over: removes the bar and prints a note still held back. */
  synchronized void finish() {
    flushNote();
  }

  private void flushNote() {
    clear();
    if (pending != null) {
      err.println(pending);
      pending = null;
    }
  }

  /** Removes the bar from the screen, if one is shown. */
  synchronized void clear() {
    if (drawn > 0) {
      err.print("\r" + " ".repeat(drawn) + "\r");
      err.flush();
      drawn = 0;
      shown = "";
    }
  }

  /** "demo: 163,259 rows loaded" (", 12 rejected: SELECT * FROM crm.load_rejects" when some were). */
  static String summary(Matcher total) {
    long loaded = Long.parseLong(total.group(3));
    long rejected = Long.parseLong(total.group(4));
    return String.format(Locale.ROOT, "%s: %,d rows loaded", total.group(1), loaded)
        + (rejected == 0 ? "" : String.format(Locale.ROOT, ", %,d rejected: SELECT * FROM crm.load_rejects", rejected));
  }

  private static boolean isProgress(String message) {
    return FRACTION.matcher(message).find() || message.endsWith("rows…") || message.equals("loading");
  }

  /**
   * One bar line: filled to the fraction when the message carries "N of M", else a block sliding
   * with {@code tick} (the work has no known end).
   */
  static String bar(String message, int tick) {
    Matcher f = FRACTION.matcher(message);
    StringBuilder b = new StringBuilder("[");
    if (f.find()) {
      double done = Double.parseDouble(f.group(1).replace(",", ""));
      double all = Double.parseDouble(f.group(2).replace(",", ""));
      int filled = all <= 0 ? 0 : (int) Math.min(BAR, Math.round(BAR * done / all));
      b.append("#".repeat(filled)).append("-".repeat(BAR - filled)).append("] ");
      b.append(String.format(Locale.ROOT, "%3d%% ", all <= 0 ? 0 : Math.min(100, Math.round(100 * done / all))));
    } else {
      int at = tick % (2 * (BAR - 3));
      int pos = at < BAR - 3 ? at : 2 * (BAR - 3) - at;
      b.append("-".repeat(pos)).append("###").append("-".repeat(BAR - 3 - pos)).append("] ");
    }
    return b.append(message).toString();
  }
}
