package io.crmkpi.jdbc.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PostgreSQL idioms analysts type that Calcite's (Babel) parser does not read, fixed in the text
 * before parsing, token by token (strings, quoted names and comments are never touched):
 * <ul>
 *   <li>a trailing {@code ;} is dropped;</li>
 *   <li>{@code N'…'} becomes {@code '…'}: Calcite gives national strings ISO-8859-1, which cannot
 *       hold Cyrillic; every string is UTF-8 here anyway;</li>
 *   <li>{@code INTERVAL '30 days'} becomes {@code INTERVAL '30' DAY(2)};</li>
 *   <li>{@code DATEDIFF(…)}/{@code DATE_DIFF(…)} become an ordinary call (see {@link BiSqlRewriter});</li>
 *   <li>PostgreSQL's {@code EXPLAIN q} becomes {@code EXPLAIN PLAN FOR q};</li>
 *   <li>{@code date}, {@code time}, {@code timestamp} and {@code interval} used as column names or
 *       aliases (PostgreSQL allows them) are quoted; as type names or literals they stay.</li>
 * </ul>
 * It also names the statement's first word, so that writes are refused before the parser tries.
 */
final class SqlTextFixes {

  /** Words that are types or literal prefixes in Calcite but may be column names in PostgreSQL. */
  private static final Set<String> TYPE_WORDS = Set.of("DATE", "TIME", "TIMESTAMP", "INTERVAL");
  /** Words after which {@code TIME}/{@code TIMESTAMP} is a keyword ({@code AT TIME ZONE}, ...). */
  private static final Set<String> KEYWORD_BEFORE = Set.of("AT", "WITH", "WITHOUT", "LOCAL", "::");
  /** Casts whose {@code AS} is followed by a type. */
  private static final Set<String> CASTS = Set.of("CAST", "TRY_CAST", "SAFE_CAST");
  private static final Pattern PG_INTERVAL = Pattern.compile(
      "\\s*([+-]?\\d{1,9})\\s*(years?|mons?|months?|weeks?|days?|hours?|mins?|minutes?|secs?|seconds?)\\s*",
      Pattern.CASE_INSENSITIVE);

  /** What DATEDIFF and DATE_DIFF calls are renamed to before parsing (see {@link BiSqlRewriter}). */
  static final String DATEDIFF = "CRMKPI_DATEDIFF";

  enum Kind { WORD, STRING, QUOTED, NUMBER, SYMBOL }

  record Token(Kind kind, int start, int end, String text) {
    String upper() {
      return text.toUpperCase(Locale.ROOT);
    }
  }

  private final String sql;
  private final List<Token> tokens;
  /** After each edit of {@link #fixed()}: {offset in the fixed text, offset in the original}. */
  private final List<int[]> edits = new ArrayList<>();

  private SqlTextFixes(String sql) {
    this.sql = sql;
    this.tokens = tokenize(sql);
  }

  static SqlTextFixes of(String sql) {
    return new SqlTextFixes(sql);
  }

  /** The first word of the statement, upper case ("" if it starts otherwise). */
  String firstWord() {
    for (Token t : tokens) {
      if (t.kind == Kind.SYMBOL && t.text.equals("(")) {
        continue; // (SELECT ...) UNION ...
      }
      return t.kind == Kind.WORD ? t.upper() : "";
    }
    return "";
  }

  /** Whether a {@code ;} separates statements (one left after trailing ones are dropped). */
  boolean hasInnerSemicolon() {
    int last = tokens.size() - 1;
    while (last >= 0 && tokens.get(last).text.equals(";")) {
      last--;
    }
    for (int i = 0; i <= last; i++) {
      if (tokens.get(i).text.equals(";")) {
        return true;
      }
    }
    return false;
  }

  /**
   * A parser position in the fixed text (1-based line and column) as the column in the user's
   * text: edits never add or remove a line, only shift columns after them.
   */
  int originalColumn(String fixed, int line, int column) {
    int offset = 0;
    for (int l = 1; l < line && offset >= 0; l++) {
      offset = fixed.indexOf('\n', offset) + 1;
    }
    if (offset < 0) {
      return column;
    }
    int f = offset + column - 1;
    int fixedBase = 0;
    int origBase = 0;
    for (int[] e : edits) {
      if (e[0] <= f) {
        fixedBase = e[0];
        origBase = e[1];
      }
    }
    int orig = origBase + (f - fixedBase);
    int origLineStart = sql.lastIndexOf('\n', Math.max(0, Math.min(orig, sql.length()) - 1)) + 1;
    return orig - origLineStart + 1;
  }

  /** The statement with the fixes applied (the same string when none applies). */
  String fixed() {
    edits.clear();
    StringBuilder out = new StringBuilder(sql.length() + 16);
    int copied = 0;
    int end = tokens.size();
    while (end > 0 && tokens.get(end - 1).text.equals(";")) {
      end--;
    }
    // which parenthesis levels are casts: CAST( x AS <type> )
    List<Boolean> parens = new ArrayList<>();
    for (int i = 0; i < end; i++) {
      Token t = tokens.get(i);
      Token prev = i > 0 ? tokens.get(i - 1) : null;
      Token next = i + 1 < end ? tokens.get(i + 1) : null;
      String replacement = null;
      if (t.kind == Kind.SYMBOL && t.text.equals("(")) {
        parens.add(prev != null && prev.kind == Kind.WORD && CASTS.contains(prev.upper()));
      } else if (t.kind == Kind.SYMBOL && t.text.equals(")") && !parens.isEmpty()) {
        parens.remove(parens.size() - 1);
      } else if (t.kind == Kind.STRING && (t.text.charAt(0) == 'N' || t.text.charAt(0) == 'n')) {
        replacement = t.text.substring(1);
      } else if (t.kind == Kind.WORD && t.upper().equals("INTERVAL") && next != null && next.kind == Kind.STRING
          && next.text.charAt(0) == '\'' && !followedByUnit(i + 2, end)) {
        String pg = pgInterval(next.text);
        if (pg != null) {
          out.append(sql, copied, t.start).append("INTERVAL ").append(pg);
          copied = next.end;
          edits.add(new int[] {out.length(), copied});
          i++;
          continue;
        }
      } else if (t.kind == Kind.WORD && (t.upper().equals("DATEDIFF") || t.upper().equals("DATE_DIFF"))
          && next != null && next.text.equals("(")) {
        replacement = DATEDIFF; // an ordinary call: Babel's own grammar takes only BigQuery's argument order
      } else if (i == 0 && t.kind == Kind.WORD && t.upper().equals("EXPLAIN") && next != null
          && !next.upper().equals("PLAN")) {
        replacement = "EXPLAIN PLAN FOR"; // PostgreSQL's EXPLAIN q is Calcite's EXPLAIN PLAN FOR q
      } else if (t.kind == Kind.WORD && TYPE_WORDS.contains(t.upper())
          && isName(t, prev, next, !parens.isEmpty() && parens.get(parens.size() - 1))) {
        replacement = "\"" + t.text + "\"";
      }
      if (replacement != null) {
        out.append(sql, copied, t.start).append(replacement);
        copied = t.end;
        edits.add(new int[] {out.length(), copied});
      }
    }
    int stop = end < tokens.size() ? tokens.get(end).start : sql.length();
    out.append(sql, copied, stop);
    return out.toString();
  }

  private boolean followedByUnit(int i, int end) {
    return i < end && tokens.get(i).kind == Kind.WORD
        && tokens.get(i).upper().matches("YEAR|QUARTER|MONTH|WEEK|DAY|HOUR|MINUTE|SECOND|MILLISECOND|MICROSECOND");
  }

  /** A type word is a name unless a literal, a type or a keyword phrase needs it. */
  private static boolean isName(Token t, Token prev, Token next, boolean inCast) {
    if (next != null && (next.kind == Kind.STRING || next.text.equals("("))) {
      return false; // DATE '2024-01-01', DATE(x), TIMESTAMP(3)
    }
    if (t.upper().equals("INTERVAL") && next != null && (next.kind == Kind.NUMBER || next.text.equals("?")
        || next.text.equals("-") || next.text.equals("+"))) {
      return false; // INTERVAL ? DAY, INTERVAL -'1' DAY
    }
    if (next != null && next.kind == Kind.WORD && next.upper().matches("WITH|WITHOUT|ZONE|ARRAY|MULTISET")) {
      return false; // TIMESTAMP WITH TIME ZONE, AT TIME ZONE
    }
    if (prev != null && (KEYWORD_BEFORE.contains(prev.upper()) || prev.text.equals("::"))) {
      return false;
    }
    return !(inCast && prev != null && prev.upper().equals("AS"));
  }

  /** {@code '30 days'} → {@code '30' DAY(2)}, or null when the text is not one PostgreSQL unit. */
  private static String pgInterval(String literal) {
    String body = literal.substring(1, literal.length() - 1);
    Matcher m = PG_INTERVAL.matcher(body);
    if (!m.matches()) {
      return null;
    }
    long n = Long.parseLong(m.group(1).replace("+", ""));
    String unit = m.group(2).toLowerCase(Locale.ROOT);
    String u;
    if (unit.startsWith("y")) {
      u = "YEAR";
    } else if (unit.startsWith("mon")) {
      u = "MONTH";
    } else if (unit.startsWith("w")) {
      u = "DAY";
      n *= 7;
    } else if (unit.startsWith("d")) {
      u = "DAY";
    } else if (unit.startsWith("h")) {
      u = "HOUR";
    } else if (unit.startsWith("mi")) {
      u = "MINUTE";
    } else {
      u = "SECOND";
    }
    String digits = Long.toString(Math.abs(n));
    return "'" + n + "' " + u + "(" + Math.max(2, digits.length()) + ")";
  }

  private static List<Token> tokenize(String s) {
    List<Token> out = new ArrayList<>();
    int i = 0;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '-' && i + 1 < n && s.charAt(i + 1) == '-') {
        while (i < n && s.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
        int close = s.indexOf("*/", i + 2);
        i = close < 0 ? n : close + 2;
      } else if (c == '\'') {
        int e = endOfString(s, i, false);
        out.add(new Token(Kind.STRING, i, e, s.substring(i, e)));
        i = e;
      } else if (c == '"' || c == '`') {
        int e = i + 1;
        while (e < n) {
          if (s.charAt(e) == c) {
            if (e + 1 < n && s.charAt(e + 1) == c) {
              e += 2;
              continue;
            }
            e++;
            break;
          }
          e++;
        }
        out.add(new Token(Kind.QUOTED, i, Math.min(e, n), s.substring(i, Math.min(e, n))));
        i = Math.min(e, n);
      } else if (Character.isLetter(c) || c == '_') {
        // string prefixes: N'..', E'..', X'..', U&'..'
        if ((c == 'N' || c == 'n' || c == 'E' || c == 'e' || c == 'X' || c == 'x') && i + 1 < n
            && s.charAt(i + 1) == '\'') {
          int e = endOfString(s, i + 1, c == 'E' || c == 'e');
          out.add(new Token(Kind.STRING, i, e, s.substring(i, e)));
          i = e;
          continue;
        }
        if ((c == 'U' || c == 'u') && i + 2 < n && s.charAt(i + 1) == '&' && s.charAt(i + 2) == '\'') {
          int e = endOfString(s, i + 2, false);
          out.add(new Token(Kind.STRING, i, e, s.substring(i, e)));
          i = e;
          continue;
        }
        int e = i + 1;
        while (e < n && (Character.isLetterOrDigit(s.charAt(e)) || s.charAt(e) == '_' || s.charAt(e) == '$')) {
          e++;
        }
        out.add(new Token(Kind.WORD, i, e, s.substring(i, e)));
        i = e;
      } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(s.charAt(i + 1)))) {
        int e = i + 1;
        while (e < n && (Character.isLetterOrDigit(s.charAt(e)) || s.charAt(e) == '.')) {
          e++;
        }
        out.add(new Token(Kind.NUMBER, i, e, s.substring(i, e)));
        i = e;
      } else if (c == ':' && i + 1 < n && s.charAt(i + 1) == ':') {
        out.add(new Token(Kind.SYMBOL, i, i + 2, "::"));
        i += 2;
      } else {
        out.add(new Token(Kind.SYMBOL, i, i + 1, String.valueOf(c)));
        i++;
      }
    }
    return out;
  }

  /** The end (exclusive) of the string literal whose opening quote is at {@code q}. */
  private static int endOfString(String s, int q, boolean backslashEscapes) {
    int e = q + 1;
    int n = s.length();
    while (e < n) {
      char ch = s.charAt(e);
      if (backslashEscapes && ch == '\\') {
        e += 2;
        continue;
      }
      if (ch == '\'') {
        if (e + 1 < n && s.charAt(e + 1) == '\'') {
          e += 2;
          continue;
        }
        return e + 1;
      }
      e++;
    }
    return n;
  }
}
