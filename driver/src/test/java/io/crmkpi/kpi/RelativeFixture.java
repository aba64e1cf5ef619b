package io.crmkpi.kpi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Fixture folders whose dates are relative to today (UTC, the files source's default reporting zone), for
 * views that look at the open pipeline now: {@code {D-n}} / {@code {D+n}} is today minus / plus n days,
 * {@code {M-n}} / {@code {M+n}} the first day of the month n months before / after the current one, and
 * {@code {M+n+d}} that day plus d days.
 */
final class RelativeFixture {

  private static final Pattern TOKEN = Pattern.compile("\\{([DM])([+-]\\d+)(?:\\+(\\d+))?}");

  private RelativeFixture() {
  }

  static LocalDate today() {
    return LocalDate.now(ZoneOffset.UTC);
  }

  static LocalDate month(int offset) {
    return today().withDayOfMonth(1).plusMonths(offset);
  }

  /** Copies fixture {@code kpi/<fixture>} to {@code dir} with every date token replaced. */
  static Path materialize(String fixture, Path dir) throws IOException {
    try (Stream<Path> files = Files.list(KpiTestRows.fixtureFolder(fixture))) {
      for (Path f : files.toList()) {
        Matcher m = TOKEN.matcher(Files.readString(f));
        StringBuilder out = new StringBuilder();
        while (m.find()) {
          int n = Integer.parseInt(m.group(2));
          LocalDate d = m.group(1).equals("D") ? today().plusDays(n) : month(n);
          if (m.group(3) != null) {
            d = d.plusDays(Long.parseLong(m.group(3)));
          }
          m.appendReplacement(out, d.toString());
        }
        m.appendTail(out);
        Files.writeString(dir.resolve(f.getFileName()), out);
      }
    }
    return dir;
  }
}
