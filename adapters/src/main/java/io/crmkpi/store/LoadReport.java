package io.crmkpi.store;

import java.util.ArrayList;
import java.util.List;

/**
 * What one load did, per input (file or API request family): rows read, loaded and rejected.
 * Every line satisfies read = loaded + rejected.
 */
public final class LoadReport {

  /** One input's counts. */
  public record Line(String input, String entity, long read, long loaded, long rejected) {
    public Line {
      if (read != loaded + rejected) {
        throw new IllegalStateException(input + ": read " + read + " != loaded " + loaded + " + rejected " + rejected);
      }
    }
  }

  private final String source;
  private final List<Line> lines = new ArrayList<>();

  public LoadReport(String source) {
    this.source = source;
  }

  public synchronized void add(String input, String entity, long loaded, long rejected) {
    lines.add(new Line(input, entity, loaded + rejected, loaded, rejected));
  }

  public synchronized List<Line> lines() {
    return List.copyOf(lines);
  }

  public String source() {
    return source;
  }

  public synchronized long totalRead() {
    return lines.stream().mapToLong(Line::read).sum();
  }

  public synchronized long totalLoaded() {
    return lines.stream().mapToLong(Line::loaded).sum();
  }

  public synchronized long totalRejected() {
    return lines.stream().mapToLong(Line::rejected).sum();
  }

  /** One line per input plus a total, e.g. for the CLI and the log. */
  @Override
  public synchronized String toString() {
    StringBuilder b = new StringBuilder();
    for (Line l : lines) {
      b.append(String.format("%s: %s read %d = loaded %d + rejected %d%n", l.input(), l.entity(), l.read(),
          l.loaded(), l.rejected()));
    }
    b.append(String.format("%s total: read %d = loaded %d + rejected %d", source, totalRead(), totalLoaded(),
        totalRejected()));
    return b.toString();
  }
}
