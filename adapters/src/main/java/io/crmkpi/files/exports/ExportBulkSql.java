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

  ExportBulkSql(ExportProfile profile, boolean dayFirstSlashes) {
    this.profile = profile;
    this.dayFirstSlashes = dayFirstSlashes;
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

  /** SQL for the probability (0..1) of trimmed text {@code t}, right whenever {@link #plainProbability} holds. */
  static String probability(String t) {
    String v = "TRY_CAST(replace(replace(" + t + ", '%', ''), ',', '.') AS DOUBLE)";
    return "CASE WHEN " + v + " > 1 THEN " + v + " / 100 ELSE " + v + " END";
  }

  /**
   * SQL true when trimmed text {@code t} is a plain date or time: ISO, amoCRM/Bitrix24's dotted one,
   * or a slashed one (month or day first, 12- or 24-hour clock).
   */
  static String plainTime(String t) {
    return match(t, ISO_TIME + "|" + ISO_DATE + "|" + DOT_TIME + "|" + DOT_DATE + "|" + SLASH_TIME + "|" + SLASH_DATE);
  }

  /** SQL for the time of trimmed text {@code t} (wall clock), right whenever {@link #plainTime} holds. */
  String time(String t) {
    // one format per plain length: try_strptime with a list tries each, and a failed try is dear
    // (~1 µs a cell); 10 = date, 15/16 = H:MM or HH:MM, else with seconds
    return "CASE WHEN contains(" + t + ", '/') THEN " + slashed(t) + " "
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
