package io.crmkpi.files;

import io.crmkpi.model.Column;
import io.crmkpi.model.ColumnType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the text of one canonical value into the Java value the store takes, for canonical CSV and
 * for export readers that already hold canonical text. Formats: timestamps {@code YYYY-MM-DD HH:MM:SS}
 * or {@code YYYY-MM-DD} as wall-clock time, or ISO-8601 with an offset/Z converted to the reporting
 * zone; dates {@code YYYY-MM-DD}; booleans true/false, 1/0, yes/no; numbers with a '.' point. An
 * empty (or, for typed columns, blank) text is NULL.
 */
public final class CanonicalValueParser {

  /** A value that does not fit its column; the message is {@code <column>: cannot parse '<x>' as ...}. */
  public static final class BadValueException extends Exception {
    public BadValueException(String message) {
      super(message);
    }
  }

  // date, optional time (T or space, minutes required, seconds and fraction optional), optional offset
  private static final Pattern TIMESTAMP = Pattern.compile(
      "(\\d{4}-\\d{2}-\\d{2})(?:[T ](\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,9})?)?)\\s*(Z|z|[+-]\\d{2}(?::?\\d{2})?)?)?");
  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
  private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
  private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)");
  private static final Pattern CURRENCY = Pattern.compile("[A-Za-z]{3}");

  private final ZoneId zone;

  /** {@code zone}: the reporting time zone instants with an offset are converted into. */
  public CanonicalValueParser(ZoneId zone) {
    this.zone = Objects.requireNonNull(zone);
  }

  public ZoneId zone() {
    return zone;
  }

  /** The value of {@code text} for {@code column}, or null for an empty text. */
  public Object parse(Column column, String text) throws BadValueException {
    if (text == null || text.isEmpty()) {
      return null;
    }
    ColumnType type = column.type();
    if (type == ColumnType.VARCHAR) {
      return text;
    }
    String t = text.strip();
    if (t.isEmpty()) {
      return null;
    }
    return switch (type) {
      case CURRENCY -> currency(column.name(), t);
      case INTEGER -> integer(column, t, Integer.MIN_VALUE, Integer.MAX_VALUE).intValue();
      case BIGINT -> integer(column, t, Long.MIN_VALUE, Long.MAX_VALUE).longValue();
      case DOUBLE -> decimal(column, t, -1).doubleValue();
      case BOOLEAN -> bool(column.name(), t);
      case DATE -> date(column.name(), t);
      case TIMESTAMP -> timestamp(column.name(), t);
      case MONEY -> decimal(column, t, 2);
      case QUANTITY -> decimal(column, t, 3);
      case RATE -> decimal(column, t, 8);
      default -> throw new IllegalStateException("unhandled type " + type);
    };
  }

  /** A wall-clock timestamp in the reporting zone. */
  public LocalDateTime timestamp(String column, String text) throws BadValueException {
    LocalDateTime fast = plainTimestamp(text);
    if (fast != null) {
      return fast;
    }
    Matcher m = TIMESTAMP.matcher(text.strip());
    if (m.matches()) {
      try {
        LocalDate d = LocalDate.parse(m.group(1));
        LocalTime t = m.group(2) == null ? LocalTime.MIDNIGHT : LocalTime.parse(m.group(2));
        if (m.group(3) == null) {
          return LocalDateTime.of(d, t);
        }
        ZoneOffset offset = ZoneOffset.of(m.group(3).toUpperCase(Locale.ROOT));
        return OffsetDateTime.of(d, t, offset).atZoneSameInstant(zone).toLocalDateTime();
      } catch (DateTimeException e) {
        // falls through to the message below (2024-02-30, 25:00, +19:00 ...)
      }
    }
    throw bad(column, text, "TIMESTAMP", "YYYY-MM-DD HH:MM:SS");
  }

  /**
   * The common shapes {@code YYYY-MM-DD HH:MM:SS} and {@code YYYY-MM-DD} read by position (the
   * regex and java.time parsers dominate a big load otherwise); null for anything else, which the
   * general path then reads or rejects.
   */
  static LocalDateTime plainTimestamp(String t) {
    int n = t.length();
    if (n != 19 && n != 10) {
      return null;
    }
    int y = digits(t, 0, 4);
    int mo = digits(t, 5, 2);
    int d = digits(t, 8, 2);
    if (y < 0 || mo < 0 || d < 0 || t.charAt(4) != '-' || t.charAt(7) != '-') {
      return null;
    }
    int h = 0;
    int mi = 0;
    int sec = 0;
    if (n == 19) {
      h = digits(t, 11, 2);
      mi = digits(t, 14, 2);
      sec = digits(t, 17, 2);
      char sep = t.charAt(10);
      if (h < 0 || mi < 0 || sec < 0 || (sep != ' ' && sep != 'T') || t.charAt(13) != ':' || t.charAt(16) != ':') {
        return null;
      }
    }
    try {
      return LocalDateTime.of(y, mo, d, h, mi, sec);
    } catch (DateTimeException e) {
      return null; // 2024-02-30: the general path words the message
    }
  }

  /** The number written by {@code len} ASCII digits at {@code from}, or -1. */
  private static int digits(String t, int from, int len) {
    int v = 0;
    for (int i = from; i < from + len; i++) {
      char c = t.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /** A calendar date; never shifted between zones. */
  public static LocalDate date(String column, String text) throws BadValueException {
    if (text.length() == 10) {
      LocalDateTime fast = plainTimestamp(text);
      if (fast != null) {
        return fast.toLocalDate();
      }
    }
    String t = text.strip();
    if (DATE.matcher(t).matches()) {
      try {
        return LocalDate.parse(t);
      } catch (DateTimeException e) {
        // falls through
      }
    }
    throw bad(column, text, "DATE", "YYYY-MM-DD");
  }

  public static Boolean bool(String column, String text) throws BadValueException {
    switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes":
        return Boolean.TRUE;
      case "false", "0", "no":
        return Boolean.FALSE;
      default:
        throw bad(column, text, "BOOLEAN", "true/false, 1/0 or yes/no");
    }
  }

  private static String currency(String column, String text) throws BadValueException {
    if (text.length() == 3 && isUpperAscii(text)) {
      return text;
    }
    if (!CURRENCY.matcher(text).matches()) {
      throw bad(column, text, "VARCHAR(3)", "a 3-letter currency code such as USD");
    }
    return text.toUpperCase(Locale.ROOT);
  }

  private static boolean isUpperAscii(String t) {
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c < 'A' || c > 'Z') {
        return false;
      }
    }
    return true;
  }

  /** Plain {@code [-]digits[.digits]}, checked without a regex (the hot path of money columns). */
  private static boolean plainDecimal(String t) {
    int n = t.length();
    int i = t.charAt(0) == '-' || t.charAt(0) == '+' ? 1 : 0;
    int digits = 0;
    boolean point = false;
    for (; i < n; i++) {
      char c = t.charAt(i);
      if (c >= '0' && c <= '9') {
        digits++;
      } else if (c == '.' && !point) {
        point = true;
      } else {
        return false;
      }
    }
    return digits > 0;
  }

  private static BigDecimal integer(Column column, String text, long min, long max) throws BadValueException {
    if (INTEGER.matcher(text).matches()) {
      BigDecimal v = new BigDecimal(text);
      if (v.compareTo(BigDecimal.valueOf(min)) >= 0 && v.compareTo(BigDecimal.valueOf(max)) <= 0) {
        return v;
      }
      throw bad(column.name(), text, column.type().ddl(), "a whole number between " + min + " and " + max);
    }
    throw bad(column.name(), text, column.type().ddl(), "a whole number");
  }

  /** A decimal rounded half-up to {@code scale} (negative: as written), within DECIMAL(18, scale). */
  private static BigDecimal decimal(Column column, String text, int scale) throws BadValueException {
    String type = column.type().ddl();
    if (!plainDecimal(text) && !DECIMAL.matcher(text).matches()) {
      throw bad(column.name(), text, type, "a number with '.' as the decimal point, e.g. 1234.50");
    }
    BigDecimal v = new BigDecimal(text);
    if (scale < 0) {
      return v;
    }
    v = v.setScale(scale, RoundingMode.HALF_UP);
    if (v.precision() - v.scale() > 18 - scale) {
      throw bad(column.name(), text, type, "at most " + (18 - scale) + " digits before the decimal point");
    }
    return v;
  }

  private static BadValueException bad(String column, String text, String type, String expected) {
    return new BadValueException(column + ": cannot parse '" + text + "' as " + type + " (expected " + expected + ")");
  }
}
