package io.crmkpi.files.exports;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Locale-tolerant parsing of export cells: numbers ({@code 1 000,50}, {@code $1,500.00},
 * {@code 11015.0}), money with a currency sign, dates and times in the formats CRMs export, and
 * Excel serial dates. Times without an offset are wall-clock in {@code fileZone} and are shifted
 * into the reporting zone; times with an offset are converted from it.
 */
public final class ExportValues {

  /** A parsed amount and the currency its text named, if any. */
  public record Money(BigDecimal amount, String currency) {
  }

  private static final Pattern SPACES_AND_APOSTROPHES = Pattern.compile("[\\s\u00A0\u202F\u2009']");
  private static final Pattern DIGITS_AND_SEPARATORS = Pattern.compile("[0-9.,]*[0-9][0-9.,]*");
  private static final Pattern CODE = Pattern.compile("[A-Za-z]{3}");
  private static final Pattern CODE_IN_PARENTHESES = Pattern.compile("\\(([A-Za-z]{3})\\)");
  private static final Pattern ZERO_FRACTION = Pattern.compile("\\.0+$");

  private static final Map<String, String> CURRENCY_SIGNS = Map.ofEntries(
      Map.entry("$", "USD"), Map.entry("us$", "USD"), Map.entry("€", "EUR"), Map.entry("£", "GBP"),
      Map.entry("₽", "RUB"), Map.entry("руб", "RUB"), Map.entry("руб.", "RUB"), Map.entry("р.", "RUB"),
      Map.entry("р", "RUB"), Map.entry("₸", "KZT"), Map.entry("₴", "UAH"), Map.entry("¥", "JPY"),
      Map.entry("₹", "INR"), Map.entry("r$", "BRL"), Map.entry("zł", "PLN"), Map.entry("br", "BYN"));

  /** Currency names as Bitrix24 and others print them instead of the code. */
  private static final Map<String, String> CURRENCY_NAMES = Map.ofEntries(
      Map.entry("российский рубль", "RUB"), Map.entry("рубль", "RUB"), Map.entry("рубли", "RUB"),
      Map.entry("russian ruble", "RUB"), Map.entry("russian rouble", "RUB"), Map.entry("доллар сша", "USD"),
      Map.entry("доллар", "USD"), Map.entry("us dollar", "USD"), Map.entry("u.s. dollar", "USD"),
      Map.entry("евро", "EUR"), Map.entry("euro", "EUR"), Map.entry("гривна", "UAH"), Map.entry("hryvnia", "UAH"),
      Map.entry("белорусский рубль", "BYN"), Map.entry("belarusian ruble", "BYN"), Map.entry("тенге", "KZT"),
      Map.entry("tenge", "KZT"), Map.entry("kazakhstani tenge", "KZT"), Map.entry("фунт стерлингов", "GBP"),
      Map.entry("british pound", "GBP"), Map.entry("pound sterling", "GBP"));

  private final char decimalSeparator;
  private final Character thousandsSeparator;
  private final List<DateTimeFormatter> patterns;
  private final ZoneId fileZone;
  private final ZoneId reportZone;
  private final boolean dayFirstSlashes;

  /**
   * @param decimalSeparator the separator to assume when a lone {@code ,} or {@code .} is
   *     followed by exactly three digits ({@code 1,500} is 1500 in a US file, 1.5 in a Russian one)
   * @param thousandsSeparator a separator the user declared (mapping file), or null
   * @param patterns explicit date patterns (mapping file), tried before the built-in ones
   */
  public ExportValues(char decimalSeparator, Character thousandsSeparator, List<String> patterns, ZoneId fileZone,
      ZoneId reportZone, boolean dayFirstSlashes) {
    this.decimalSeparator = decimalSeparator;
    this.thousandsSeparator = thousandsSeparator;
    this.patterns = new ArrayList<>();
    for (String p : patterns) {
      this.patterns.add(DateTimeFormatter.ofPattern(p.replace("yyyy", "uuuu"), Locale.ROOT)
          .withResolverStyle(ResolverStyle.STRICT));
    }
    this.fileZone = fileZone;
    this.reportZone = reportZone;
    this.dayFirstSlashes = dayFirstSlashes;
  }

  /** The zone the file's wall-clock times are in. */
  ZoneId fileZone() {
    return fileZone;
  }

  /** The reporting zone times are turned into. */
  ZoneId reportZone() {
    return reportZone;
  }

  /** Whether {@code 01/02/2024} is tried as 1 February first (else as January 2). */
  boolean dayFirstSlashes() {
    return dayFirstSlashes;
  }

  /** A decimal number; empty text is empty; anything else unreadable throws. */
  public Optional<BigDecimal> decimal(String text) {
    String s = clean(text);
    if (s.isEmpty()) {
      return Optional.empty();
    }
    boolean negative = false;
    if (s.startsWith("(") && s.endsWith(")")) {
      negative = true;
      s = s.substring(1, s.length() - 1).strip();
    }
    if (s.startsWith("-") || s.startsWith("\u2212")) {
      negative = !negative;
      s = s.substring(1).strip();
    }
    if (thousandsSeparator != null) {
      s = s.replace(String.valueOf(thousandsSeparator), "");
    }
    s = SPACES_AND_APOSTROPHES.matcher(s).replaceAll("");
    if (!DIGITS_AND_SEPARATORS.matcher(s).matches()) {
      throw new IllegalArgumentException("is not a number");
    }
    int dots = count(s, '.');
    int commas = count(s, ',');
    String normal;
    if (dots > 0 && commas > 0) {
      char dec = s.lastIndexOf('.') > s.lastIndexOf(',') ? '.' : ',';
      char thou = dec == '.' ? ',' : '.';
      if (count(s, dec) > 1) {
        throw new IllegalArgumentException("is not a number");
      }
      normal = s.replace(String.valueOf(thou), "").replace(dec, '.');
    } else if (dots + commas == 0) {
      normal = s;
    } else {
      char sep = dots > 0 ? '.' : ',';
      int n = dots + commas;
      int after = s.length() - s.lastIndexOf(sep) - 1;
      boolean grouping = n > 1 || (after == 3 && sep != decimalSeparator && s.indexOf(sep) > 0);
      if (grouping) {
        if (!s.matches("\\d{1,3}(\\" + sep + "\\d{3})+")) {
          throw new IllegalArgumentException("is not a number");
        }
        normal = s.replace(String.valueOf(sep), "");
      } else {
        normal = s.replace(sep, '.');
      }
    }
    try {
      BigDecimal d = new BigDecimal(normal);
      return Optional.of(negative ? d.negate() : d);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("is not a number");
    }
  }

  /** An amount that may carry a currency sign or code ({@code $1,500.00}, {@code 1 000 руб.}, {@code USD 10}). */
  public Optional<Money> money(String text) {
    String s = clean(text);
    if (s.isEmpty()) {
      return Optional.empty();
    }
    int i = 0;
    while (i < s.length() && !Character.isDigit(s.charAt(i)) && "-(\u2212".indexOf(s.charAt(i)) < 0) {
      i++;
    }
    int j = s.length();
    while (j > i && !Character.isDigit(s.charAt(j - 1)) && s.charAt(j - 1) != ')') {
      j--;
    }
    String c = affixCurrency((s.substring(0, i) + " " + s.substring(j)).strip());
    return decimal(s.substring(i, j)).map(d -> new Money(d, c));
  }

  /**
   * The currency of what surrounds an amount's number ({@code $}, {@code USD}, {@code руб.}); null
   * when nothing does; throws "is not a number" for text that is no currency.
   */
  static String affixCurrency(String affix) {
    if (affix.isEmpty()) {
      return null;
    }
    if (affix.matches("[A-Za-z]{3}") && !affix.matches("[A-Z]{3}")) {
      throw new IllegalArgumentException("is not a number"); // "12abc" is not 12 ABC
    }
    try {
      return currency(affix).orElse(null);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("is not a number");
    }
  }

  /** A currency column: an ISO code, a sign or a currency name; unknown text throws. */
  public static Optional<String> currency(String text) {
    String s = clean(text);
    if (s.isEmpty()) {
      return Optional.empty();
    }
    if (CODE.matcher(s).matches()) {
      return Optional.of(s.toUpperCase(Locale.ROOT));
    }
    String lower = s.toLowerCase(Locale.ROOT).replace('ё', 'е');
    String code = CURRENCY_NAMES.getOrDefault(lower, CURRENCY_SIGNS.get(lower));
    if (code == null) {
      Matcher m = CODE_IN_PARENTHESES.matcher(s);
      if (m.find()) {
        return Optional.of(m.group(1).toUpperCase(Locale.ROOT));
      }
      throw new IllegalArgumentException("is not a known currency (use the ISO code, e.g. RUB, USD)");
    }
    return Optional.of(code);
  }

  /** An id as text without the {@code .0} a spreadsheet adds to numbers ({@code 12.0} -> {@code 12}). */
  static String withoutZeroFraction(String id) {
    return id.indexOf('.') < 0 ? id : ZERO_FRACTION.matcher(id).replaceAll("");
  }

  /** A date-time in the reporting zone; a date alone is midnight. */
  public Optional<LocalDateTime> dateTime(String text) {
    return parsed(text).map(this::toReport);
  }

  /**
   * The calendar date a cell names, as written: a time of day and an offset are dropped, never
   * used to move the date to another zone (an expected close date is a day, not an instant;
   * Bitrix24 writes {@code 2024-08-30T00:00:00+03:00} for August 30).
   */
  public Optional<LocalDate> date(String text) {
    return parsed(text).map(t -> t instanceof LocalDate d ? d : LocalDate.from(t));
  }

  /** What a date or time cell reads as (a LocalDate, LocalDateTime, OffsetDateTime or ZonedDateTime). */
  private Optional<TemporalAccessor> parsed(String text) {
    String s = clean(text);
    if (s.isEmpty()) {
      return Optional.empty();
    }
    for (DateTimeFormatter f : patterns) {
      try {
        return Optional.of(best(f, s));
      } catch (DateTimeParseException e) {
        // try the next pattern
      }
    }
    for (DateTimeFormatter f : builtIn()) {
      try {
        return Optional.of(f.parseBest(s, OffsetDateTime::from, LocalDateTime::from, LocalDate::from));
      } catch (DateTimeParseException e) {
        // try the next pattern
      }
    }
    if (s.matches("\\d{1,6}(\\.\\d+)?")) {
      // an Excel serial date (days since 1899-12-30), e.g. a CSV re-saved from Excel: a wall-clock time of the file
      double serial = Double.parseDouble(s);
      if (serial >= 1 && serial < 2958466) {
        long seconds = Math.round(serial * 86400);
        return Optional.of(LocalDateTime.of(1899, 12, 30, 0, 0).plusSeconds(seconds).atZone(fileZone));
      }
    }
    throw new IllegalArgumentException("is not a date");
  }

  /**
   * What {@code f.parseBest(s, ZonedDateTime, OffsetDateTime, LocalDateTime, LocalDate)} gives, without
   * its exceptions for the kinds the text has no fields for (a cost on every cell of a big export).
   */
  private static TemporalAccessor best(DateTimeFormatter f, String s) {
    TemporalAccessor parsed = f.parse(s);
    try {
      if (parsed.query(TemporalQueries.zone()) != null) {
        return ZonedDateTime.from(parsed);
      }
      if (parsed.query(TemporalQueries.localTime()) != null) {
        return LocalDateTime.from(parsed);
      }
      return LocalDate.from(parsed);
    } catch (DateTimeException e) {
      return f.parseBest(s, ZonedDateTime::from, OffsetDateTime::from, LocalDateTime::from, LocalDate::from);
    }
  }

  /** Yes/no cells: true/false, yes/no, да/нет, Y/N, 1/0. */
  public static Optional<Boolean> bool(String text) {
    String s = clean(text).toLowerCase(Locale.ROOT);
    if (s.isEmpty()) {
      return Optional.empty();
    }
    return switch (s) {
      case "true", "yes", "y", "1", "да", "д", "истина", "checked" -> Optional.of(true);
      case "false", "no", "n", "0", "нет", "н", "ложь", "unchecked" -> Optional.of(false);
      default -> throw new IllegalArgumentException("is not yes/no");
    };
  }

  private LocalDateTime toReport(TemporalAccessor t) {
    if (t instanceof ZonedDateTime z) {
      return z.withZoneSameInstant(reportZone).toLocalDateTime();
    }
    if (t instanceof OffsetDateTime o) {
      return o.atZoneSameInstant(reportZone).toLocalDateTime();
    }
    LocalDateTime local = t instanceof LocalDate d ? d.atStartOfDay() : (LocalDateTime) t;
    if (t instanceof LocalDate) {
      return local; // a date typed by a person is never shifted
    }
    return local.atZone(fileZone).withZoneSameInstant(reportZone).toLocalDateTime();
  }

  private List<DateTimeFormatter> builtIn() {
    List<DateTimeFormatter> l = new ArrayList<>(BUILT_IN);
    l.add(dayFirstSlashes ? SLASH_DMY : SLASH_MDY);
    l.add(dayFirstSlashes ? SLASH_MDY : SLASH_DMY);
    return l;
  }

  private static final List<DateTimeFormatter> BUILT_IN = List.of(
      DateTimeFormatter.ISO_OFFSET_DATE_TIME,
      new DateTimeFormatterBuilder().appendPattern("uuuu-MM-dd")
          .optionalStart().appendLiteral('T').optionalEnd()
          .optionalStart().appendLiteral(' ').optionalEnd()
          .optionalStart().appendPattern("HH:mm").optionalStart().appendPattern(":ss").optionalEnd()
          .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
          .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
          .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
          .optionalEnd().toFormatter(Locale.ROOT).withResolverStyle(ResolverStyle.STRICT),
      // slashes are not here: their order (M/d or d/M) is the file's, SLASH_MDY/SLASH_DMY below
      dotted('.'), dotted('-'));

  private static final DateTimeFormatter SLASH_MDY = slashed("M/d/yyyy");
  private static final DateTimeFormatter SLASH_DMY = slashed("d/M/yyyy");

  private static DateTimeFormatter dotted(char sep) {
    return new DateTimeFormatterBuilder().appendPattern("dd" + sep + "MM" + sep + "uuuu")
        .optionalStart().appendLiteral(' ').appendPattern("H:mm").optionalStart().appendPattern(":ss").optionalEnd()
        .optionalEnd().toFormatter(Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);
  }

  private static DateTimeFormatter slashed(String date) {
    return new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern(date.replace("yyyy", "uuuu"))
        .optionalStart().appendLiteral(' ').appendPattern("h:mm").optionalStart().appendPattern(":ss").optionalEnd()
        .appendLiteral(' ').appendPattern("a").optionalEnd()
        .optionalStart().appendLiteral(' ').appendPattern("H:mm").optionalStart().appendPattern(":ss").optionalEnd()
        .optionalEnd()
        .toFormatter(Locale.US).withResolverStyle(ResolverStyle.STRICT);
  }

  private static String clean(String text) {
    return text == null ? "" : text.replace('\u00A0', ' ').replace('\u202F', ' ').strip();
  }

  private static int count(String s, char c) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == c) {
        n++;
      }
    }
    return n;
  }
}
