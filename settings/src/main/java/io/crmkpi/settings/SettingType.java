package io.crmkpi.settings;

import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * A kind of setting value and its one parser: every time zone, duration, currency... of every
 * setting is read here, so each kind has one syntax and one error message.
 *
 * @param <T> the parsed value
 */
public final class SettingType<T> {

  private final String expected;
  private final List<String> choices;
  private final Function<String, T> parser;
  private final Function<T, String> format;

  private SettingType(String expected, List<String> choices, Function<String, T> parser, Function<T, String> format) {
    this.expected = expected;
    this.choices = choices;
    this.parser = parser;
    this.format = format;
  }

  /** What a value must look like, for errors and docs ("a whole number from 1 to 12"). */
  public String expected() {
    return expected;
  }

  /** The allowed values when they are a closed list (enums, booleans); empty otherwise. */
  public List<String> choices() {
    return choices;
  }

  /** Parses a trimmed, non-blank value; throws IllegalArgumentException (no message needed) when it is not one. */
  T parse(String text) {
    T v = parser.apply(text);
    if (v == null) {
      throw new IllegalArgumentException();
    }
    return v;
  }

  /** The text form of a value, as a user would write it. */
  String format(T value) {
    return value == null ? "" : format.apply(value);
  }

  private static <T> SettingType<T> of(String expected, Function<String, T> parser) {
    return new SettingType<>(expected, List.of(), parser, Objects::toString);
  }

  /** Free text (a name, an id). */
  public static SettingType<String> text(String expected) {
    return of(expected, s -> s);
  }

  /** A credential: any text; its value is never echoed. */
  public static SettingType<String> secret(String expected) {
    return of(expected, s -> s);
  }

  /** {@code true} or {@code false} (any case); nothing else, so that {@code strict=maybe} is refused. */
  public static SettingType<Boolean> bool() {
    return new SettingType<>("true or false", List.of("true", "false"), s -> switch (s.toLowerCase(Locale.ROOT)) {
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      default -> null;
    }, Object::toString);
  }

  /** A whole number in {@code [min, max]}; {@code _} may group digits (10_000). */
  public static SettingType<Integer> integer(int min, int max) {
    return of("a whole number from " + min + " to " + max, s -> {
      long n = Long.parseLong(s.replace("_", ""));
      return n >= min && n <= max ? (int) n : null;
    });
  }

  /** Any whole number (a random seed). */
  public static SettingType<Long> longInteger() {
    return of("a whole number", s -> Long.parseLong(s.replace("_", "")));
  }

  /** A decimal number in {@code [min, max]}. */
  public static SettingType<Double> decimal(double min, double max) {
    return of("a number from " + plain(min) + " to " + plain(max), s -> {
      double d = Double.parseDouble(s);
      return d >= min && d <= max ? d : null;
    });
  }

  /** One of a closed list of words (any case); parsed to the lower-case word. */
  public static SettingType<String> choice(String... words) {
    List<String> all = List.of(words);
    return new SettingType<>("one of " + String.join(", ", all), all, s -> {
      String w = s.toLowerCase(Locale.ROOT);
      return all.contains(w) ? w : null;
    }, s -> s);
  }

  /** A duration as a number and a unit: 30s, 15m, 2h, 1d. */
  public static SettingType<Duration> duration() {
    return new SettingType<>("a duration like 30s, 15m, 2h, 1d", List.of(), SettingType::parseDuration,
        SettingType::formatDuration);
  }

  /**
   * One of a few words or a duration (e.g. {@code refresh=never|always|15m}); parsed to the lower-case
   * word or the duration's canonical text.
   */
  public static SettingType<String> wordsOrDuration(String... words) {
    List<String> all = List.of(words);
    return of(String.join(", ", all) + " or a duration like 30s, 15m, 2h, 1d", s -> {
      String w = s.toLowerCase(Locale.ROOT);
      return all.contains(w) ? w : formatDuration(parseDuration(w));
    });
  }

  /** An IANA time zone id (Europe/Moscow, UTC) or a fixed offset (+03:00). */
  public static SettingType<ZoneId> timeZone() {
    return new SettingType<>("an IANA time zone such as Europe/Moscow or UTC", List.of(), s -> {
      try {
        return ZoneId.of(s);
      } catch (DateTimeException e) {
        return null;
      }
    }, ZoneId::getId);
  }

  /** An ISO 4217 currency code (EUR, RUB, USD); parsed upper-case. */
  public static SettingType<String> currency() {
    return of("an ISO 4217 currency code such as EUR, RUB or USD", s -> {
      String c = s.toUpperCase(Locale.ROOT);
      return c.matches("[A-Z]{3}") ? Currency.getInstance(c).getCurrencyCode() : null;
    });
  }

  /** A calendar date YYYY-MM-DD. */
  public static SettingType<LocalDate> date() {
    return of("a date YYYY-MM-DD", LocalDate::parse);
  }

  /** A first day of the week: 1 (Monday) .. 7 (Sunday) or a day name (sunday, sun). */
  public static SettingType<Integer> dayOfWeek() {
    return of("1 (Monday) .. 7 (Sunday) or a day name", s -> {
      if (s.matches("\\d+")) {
        int n = Integer.parseInt(s);
        return n >= 1 && n <= 7 ? n : null;
      }
      String w = s.toLowerCase(Locale.ROOT);
      for (DayOfWeek d : DayOfWeek.values()) {
        String name = d.name().toLowerCase(Locale.ROOT);
        if (name.equals(w) || name.substring(0, 3).equals(w)) {
          return d.getValue();
        }
      }
      return null;
    });
  }

  /** A file or folder path; {@code ~/} is the user's home. */
  public static SettingType<Path> path(String expected) {
    return of(expected, s -> {
      try {
        return Path.of(s.equals("~") || s.startsWith("~/") ? System.getProperty("user.home") + s.substring(1) : s);
      } catch (InvalidPathException e) {
        return null;
      }
    });
  }

  /** An absolute http(s) URL with a host. */
  public static SettingType<URI> httpUrl() {
    return of("an http(s) URL such as https://host/", s -> {
      URI u = URI.create(s);
      boolean web = "https".equalsIgnoreCase(u.getScheme()) || "http".equalsIgnoreCase(u.getScheme());
      return web && u.getHost() != null ? u : null;
    });
  }

  private static Duration parseDuration(String text) {
    if (!text.matches("\\d{1,9}[smhd]")) {
      return null;
    }
    long n = Long.parseLong(text.substring(0, text.length() - 1));
    return switch (text.charAt(text.length() - 1)) {
      case 's' -> Duration.ofSeconds(n);
      case 'm' -> Duration.ofMinutes(n);
      case 'h' -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  private static String formatDuration(Duration d) {
    long s = d.getSeconds();
    if (s != 0 && s % 86_400 == 0) {
      return s / 86_400 + "d";
    }
    if (s != 0 && s % 3600 == 0) {
      return s / 3600 + "h";
    }
    return s != 0 && s % 60 == 0 ? s / 60 + "m" : s + "s";
  }

  private static String plain(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
