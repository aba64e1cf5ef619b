package io.crmkpi.files.exports;

import java.util.List;
import java.util.StringJoiner;

/**
 * The SQL {@link ExportBulkLoad} converts export cells with: for each kind of value, a test that
 * trimmed text has a "plain shape" and the conversion that is right for such text (what
 * {@link ExportValues} and the row path's text rules give). Text that is not plain is left to the
 * row path. Expressions take the SQL of a trimmed cell (never empty: NULL when blank).
 */
final class ExportBulkSql {

  /** What {@link String#strip()} removes: Java whitespace (no-break spaces are not). */
  static final String WHITESPACE = "\t\n\u000B\f\r\u001C\u001D\u001E\u001F \u1680\u2000\u2001\u2002\u2003\u2004"
      + "\u2005\u2006\u2008\u2009\u200A\u2028\u2029\u205F\u3000";
  private static final String ISO_DATE = "[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}";
  private static final String ISO_TIME = ISO_DATE + "[ T]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?";
  private static final String DOT_DATE = "[0-9]{2}\\.[0-9]{2}\\.[1-9][0-9]{3}";
  private static final String DOT_TIME = DOT_DATE + " ([01]?[0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?";
  /** {@code 1/31/2024}, {@code 01/31/2024 4:05 PM}, {@code 31/01/2024 16:05:09}: English Bitrix24, Salesforce. */
  private static final String SLASH_DATE = "[0-9]{1,2}/[0-9]{1,2}/[1-9][0-9]{3}";
  private static final String SLASH_TIME = SLASH_DATE + " [0-9]{1,2}:[0-5][0-9](:[0-5][0-9])?( [AaPp][Mm])?";

  private final ExportProfile profile;
  /** The order slashed dates are tried in first (the row path tries the other one next). */
  private final boolean dayFirstSlashes;
  /** The profile's own date patterns (a mapping file's), tried first; null when one has no SQL form. */
  private final List<Pattern> patterns;

  ExportBulkSql(ExportProfile profile, boolean dayFirstSlashes) {
    this.profile = profile;
    this.dayFirstSlashes = dayFirstSlashes;
    List<Pattern> ps = new java.util.ArrayList<>();
    for (String p : profile.datePatterns) {
      Pattern sqlForm = Pattern.of(p);
      if (sqlForm == null) {
        ps = null;
        break;
      }
      ps.add(sqlForm);
    }
    this.patterns = ps;
  }

  /** Whether every date pattern of the profile has an SQL form (else the row path reads the file). */
  boolean patternsSupported() {
    return patterns != null;
  }

  /**
   * A {@code java.time} pattern of a mapping file as a regular expression of exactly the text it
   * reads (fixed widths where java.time has them: {@code dd} two digits, {@code d} one or two) and
   * the {@code strptime} format that reads such text alike (both strict: month 1-12, day in month,
   * hour 0-23 or 1-12). Only numeric fields, AM/PM and literals; anything else has no SQL form.
   */
  record Pattern(String regex, String format, boolean hasTime) {

    static Pattern of(String javaPattern) {
      StringBuilder regex = new StringBuilder();
      StringBuilder format = new StringBuilder();
      boolean time = false;
      boolean twelve = false;
      boolean ampm = false;
      int i = 0;
      String p = javaPattern;
      while (i < p.length()) {
        char c = p.charAt(i);
        if (Character.isLetter(c)) {
          int j = i;
          while (j < p.length() && p.charAt(j) == c) {
            j++;
          }
          int n = j - i;
          String field = switch (c + ":" + n) {
            case "y:4", "u:4" -> "[0-9]{4} %Y";
            case "M:2" -> "[0-9]{2} %m";
            case "M:1" -> "[0-9]{1,2} %m";
            case "d:2" -> "[0-9]{2} %d";
            case "d:1" -> "[0-9]{1,2} %d";
            case "H:2" -> "[0-9]{2} %H";
            case "H:1" -> "[0-9]{1,2} %H";
            case "h:2" -> "[0-9]{2} %I";
            case "h:1" -> "[0-9]{1,2} %I";
            case "m:2" -> "[0-9]{2} %M";
            case "m:1" -> "[0-9]{1,2} %M";
            case "s:2" -> "[0-9]{2} %S";
            case "s:1" -> "[0-9]{1,2} %S";
            case "a:1" -> "(AM|PM) %p"; // java.time with Locale.ROOT: upper case only
            default -> null;
          };
          if (field == null || n == 1 && c != 'a' && j < p.length() && Character.isLetter(p.charAt(j))) {
            return null; // a field of one or two digits right before another: java.time splits them otherwise
          }
          time |= "Hhmsa".indexOf(c) >= 0;
          twelve |= c == 'h';
          ampm |= c == 'a';
          int cut = field.indexOf(' '); // "regex format"
          regex.append(field, 0, cut);
          format.append(field.substring(cut + 1));
          i = j;
        } else if (c == '\'') {
          int end = p.indexOf('\'', i + 1);
          if (end < 0) {
            return null;
          }
          if (end + 1 < p.length() && p.charAt(end + 1) == '\'' && end > i + 1) {
            return null; // a quote inside quoted text ('o''clock')
          }
          String text = end == i + 1 ? "'" : p.substring(i + 1, end); // '' is a quote
          regex.append(quote(text));
          format.append(text.replace("%", "%%"));
          i = end + 1;
        } else if ("[]{}#".indexOf(c) >= 0) {
          return null; // optional sections and reserved characters
        } else {
          regex.append(quote(String.valueOf(c)));
          format.append(c == '%' ? "%%" : String.valueOf(c));
          i++;
        }
      }
      if (twelve != ampm) {
        return null; // a 12-hour clock without AM/PM (or the other way) does not resolve strictly
      }
      return new Pattern(regex.toString(), format.toString(), time);
    }

    private static String quote(String text) {
      StringBuilder b = new StringBuilder();
      for (char ch : text.toCharArray()) {
        b.append(Character.isLetterOrDigit(ch) || ch == ' ' ? String.valueOf(ch) : "\\" + ch);
      }
      return b.toString();
    }
  }

  /** SQL text literal. */
  static String literal(String v) {
    return v == null ? "NULL" : "'" + v.replace("'", "''") + "'";
  }

  /** SQL: raw cell {@code raw} stripped as {@link String#strip()} does, NULL when blank. */
  static String trimmed(String raw) {
    // most cells start and end with a character below U+1680 and above space: nothing to strip
    // (a cheap test; the trim with its character list costs ~10x as much)
    return "CASE WHEN ord(" + raw + ") BETWEEN 33 AND 5759 AND ord(" + raw + "[-1]) BETWEEN 33 AND 5759 THEN " + raw
        + " ELSE nullif(trim(" + raw + ", " + literal(WHITESPACE) + "), '') END";
  }

  static String match(String expr, String regex) {
    return "regexp_full_match(" + expr + ", " + literal(regex) + ")";
  }

  /** The decimal separators a plain number may have: a declared thousands separator is not one. */
  private String decimalSeparators() {
    Character t = profile.thousandsSeparator;
    return t != null && t == '.' ? "," : t != null && t == ',' ? "." : ".,";
  }

  /**
   * SQL true when trimmed text {@code t} is a plain amount: {@code 1500}, {@code -12.5}, {@code 1 000,50},
   * or grouped by one separator with decimals after the other ({@code 1,500.00} as Pipedrive writes
   * it, {@code 1.500,00}), which reads the same whatever the file's decimal separator.
   */
  String plainAmount(String t) {
    String sep = "([" + decimalSeparators().replace(".", "\\.") + "][0-9]{1,2})?";
    String shapes = "-?[0-9]{1,16}" + sep + "|-?[0-9]{1,3}([ \\x{A0}\\x{202F}][0-9]{3}){1,4}" + sep;
    Character thousands = profile.thousandsSeparator;
    if (thousands == null || thousands != '.') {
      shapes += "|-?[0-9]{1,3}(,[0-9]{3}){1,4}\\.[0-9]{1,2}";
    }
    if (thousands == null || thousands != ',') {
      shapes += "|-?[0-9]{1,3}(\\.[0-9]{3}){1,4},[0-9]{1,2}";
    }
    return match(t, shapes);
  }

  /**
   * SQL for what precedes the number of trimmed amount text {@code t} ({@code $}, {@code USD }), as
   * {@link ExportValues#money} cuts it: up to the first digit, minus sign or parenthesis.
   */
  static String moneyPrefix(String t) {
    return "CASE WHEN ord(" + t + ") BETWEEN 48 AND 57 THEN '' ELSE regexp_extract(" + t
        + ", '^[^\\p{Nd}(\\x{2212}-]*') END";
  }

  /** SQL for what follows the number ({@code  руб.}): after its last digit or parenthesis; {@code p} = the prefix. */
  static String moneySuffix(String t, String p) {
    return "CASE WHEN ord(" + t + "[-1]) BETWEEN 48 AND 57 THEN '' ELSE regexp_extract(substr(" + t + ", length(" + p
        + ") + 1), '[^\\p{Nd})]*$') END";
  }

  /** SQL for the number between prefix {@code p} and suffix {@code q} of {@code t}. */
  static String moneyCore(String t, String p, String q) {
    return "CASE WHEN " + p + " = '' AND " + q + " = '' THEN " + t + " ELSE substr(" + t + ", length(" + p
        + ") + 1, length(" + t + ") - length(" + p + ") - length(" + q + ")) END";
  }

  /** SQL for the currency text around the number, as {@link ExportValues#money} joins and strips it. */
  static String moneyAffix(String p, String q) {
    return "trim(replace(replace(" + p + " || ' ' || " + q + ", chr(160), ' '), chr(8239), ' '), "
        + literal(WHITESPACE) + ")";
  }

  /** SQL for the amount of trimmed text {@code t}, right whenever {@link #plainAmount} holds. */
  static String amount(String t) {
    // both separators: the first one groups, the last one is the decimal point
    return "CASE WHEN contains(" + t + ", ',') AND contains(" + t + ", '.') THEN TRY_CAST(CASE WHEN strpos(" + t
        + ", ',') < strpos(" + t + ", '.') THEN replace(" + t + ", ',', '') ELSE replace(replace(" + t
        + ", '.', ''), ',', '.') END AS DECIMAL(18,2)) "
        + "ELSE TRY_CAST(replace(replace(replace(replace(" + t + ", ' ', ''), chr(160), ''), chr(8239), ''), ',', '.') "
        + "AS DECIMAL(18,2)) END";
  }

  /** SQL true when trimmed text {@code t} is a plain probability: {@code 0.4}, {@code 40}, {@code 40%}. */
  String plainProbability(String t) {
    return match(t, "[0-9]{1,3}([" + decimalSeparators().replace(".", "\\.") + "][0-9]{1,2})?%?");
  }

  /**
   * SQL for the probability (0-100) of trimmed text {@code t}, right whenever {@link #plainProbability}
   * holds: a percent, or a fraction of 1 where the profile writes them so (a {@code %} sign still
   * means percent); exact decimals, as the row path's BigDecimal.
   */
  String probability(String t) {
    String v = "TRY_CAST(replace(replace(" + t + ", '%', ''), ',', '.') AS DECIMAL(18,2))";
    String scaled = profile.probabilityScale == 1 ? "CASE WHEN suffix(" + t + ", '%') THEN " + v + " ELSE " + v
        + " * 100 END" : v;
    return "CAST(" + scaled + " AS DOUBLE)";
  }

  /**
   * SQL true when trimmed text {@code t} is a plain date or time: ISO, amoCRM/Bitrix24's dotted one,
   * or a slashed one (month or day first, 12- or 24-hour clock).
   */
  String plainTime(String t) {
    StringBuilder shapes = new StringBuilder();
    for (Pattern p : patterns) {
      shapes.append("(").append(p.regex()).append(")|");
    }
    return match(t, shapes + ISO_TIME + "|" + ISO_DATE + "|" + DOT_TIME + "|" + DOT_DATE + "|" + SLASH_TIME + "|"
        + SLASH_DATE);
  }

  /**
   * SQL true when the time {@link #time} reads from trimmed text {@code t} has a time of day (the
   * row path shifts those between zones; a date alone it never shifts).
   */
  String hasTimeOfDay(String t) {
    String builtIn = "contains(" + t + ", ':')"; // every built-in shape with a time has a colon
    if (patterns.isEmpty()) {
      return builtIn;
    }
    StringBuilder b = new StringBuilder("CASE");
    for (Pattern p : patterns) {
      b.append(" WHEN ").append(match(t, p.regex())).append(" THEN ").append(p.hasTime());
    }
    return b.append(" ELSE ").append(builtIn).append(" END").toString();
  }

  /** SQL for the time of trimmed text {@code t} (wall clock), right whenever {@link #plainTime} holds. */
  String time(String t) {
    // the profile's own patterns first, as the row path tries them; a text of a pattern's shape that
    // is no date under it gives NULL (its row goes to the row path, which tries the others)
    StringBuilder own = new StringBuilder();
    for (Pattern p : patterns) {
      own.append("WHEN ").append(match(t, p.regex())).append(" THEN try_strptime(").append(t).append(", ")
          .append(literal(p.format())).append(") ");
    }
    // one format per plain length: try_strptime with a list tries each, and a failed try is dear
    // (~1 µs a cell); 10 = date, 15/16 = H:MM or HH:MM, else with seconds
    return "CASE " + own + "WHEN contains(" + t + ", '/') THEN " + slashed(t) + " "
        + "WHEN NOT contains(" + t + ", '.') THEN TRY_CAST(" + t + " AS TIMESTAMP) "
        + "WHEN length(" + t + ") = 10 THEN try_strptime(" + t + ", '%d.%m.%Y') "
        + "WHEN length(" + t + ") IN (15, 16) THEN try_strptime(" + t + ", '%d.%m.%Y %H:%M') "
        + "ELSE try_strptime(" + t + ", '%d.%m.%Y %H:%M:%S') END";
  }

  /**
   * A slashed date or time as the row path reads it: in the file's order (month first unless the
   * file is Russian or says otherwise), else in the other one (31/01/2024 in a US file); strict
   * (month 1-12, 12-hour clock 1-12, 24-hour 0-23), so text neither order reads gives NULL.
   */
  private String slashed(String t) {
    String first = dayFirstSlashes ? "%d/%m/%Y" : "%m/%d/%Y";
    String second = dayFirstSlashes ? "%m/%d/%Y" : "%d/%m/%Y";
    String colons = "(length(" + t + ") - length(replace(" + t + ", ':', '')))";
    String clock = "CASE WHEN NOT contains(" + t + ", ' ') THEN '' "
        + "WHEN lower(" + t + "[-1]) = 'm' THEN CASE WHEN " + colons + " = 2 THEN ' %I:%M:%S %p' ELSE ' %I:%M %p' END "
        + "WHEN " + colons + " = 2 THEN ' %H:%M:%S' ELSE ' %H:%M' END";
    StringBuilder b = new StringBuilder("CASE " + clock);
    for (String suffix : List.of("", " %I:%M:%S %p", " %I:%M %p", " %H:%M:%S", " %H:%M")) {
      b.append(" WHEN ").append(literal(suffix)).append(" THEN coalesce(try_strptime(").append(t).append(", ")
          .append(literal(first + suffix)).append("), try_strptime(").append(t).append(", ")
          .append(literal(second + suffix)).append("))");
    }
    return b.append(" END").toString();
  }

  String nullDate(String t) {
    StringJoiner in = new StringJoiner(", ");
    profile.nullDates.forEach(d -> in.add(literal(d)));
    return "lower(" + t + ") IN (" + in + ")";
  }

  /** Of a cell listing several companies/contacts, the first (the deal's); NULL when it is empty. */
  String multi(String t) {
    if (profile.multiValueSeparator == null) {
      return t;
    }
    String sep = literal(String.valueOf(profile.multiValueSeparator));
    return "CASE WHEN contains(" + t + ", " + sep + ") THEN " + trimmed("split_part(" + t + ", " + sep + ", 1)")
        + " ELSE " + t + " END";
  }

  /** Of an id cell listing several ({@code 12;13}, {@code 12,13}), the first, as {@link ExportLoader#firstListed}. */
  static String firstListed(String t) {
    return "CASE WHEN contains(" + t + ", ';') OR contains(" + t + ", ',') THEN trim(regexp_extract(" + t
        + ", '^[^;,]*'), " + literal(WHITESPACE) + ") ELSE " + t + " END";
  }

}
