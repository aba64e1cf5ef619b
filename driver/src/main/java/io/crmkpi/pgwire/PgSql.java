package io.crmkpi.pgwire;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a client's SQL text is (session command, write, catalog introspection or a crmkpi query), split
 * into statements, with {@code $n} placeholders turned into JDBC's {@code ?}. A small lexer skips string
 * literals, quoted identifiers and comments so that semicolons and dollars inside them are left alone.
 */
final class PgSql {

  enum Kind { EMPTY, SESSION, WRITE, CURSOR, COPY, CATALOG, QUERY }

  private static final Pattern CATALOG_WORDS = Pattern.compile(
      "(?is).*\\b(pg_\\w+|information_schema|version\\s*\\(|current_schema|current_database|current_catalog|current_user|"
      + "session_user|current_setting|set_config|has_\\w+_privilege|format_type|obj_description|col_description|"
      + "to_regclass|to_regtype|current_role|inet_server_\\w+|txid_current)\\b.*|(?is).*::\\s*reg\\w+.*");

  private static final Pattern DATA = Pattern.compile("(?is).*\\b(crm|kpi|util)\\s*\\.\\s*\"?\\w.*");
  private static final Pattern CATALOG_RELATIONS = Pattern.compile(
      "(?is).*\\b(pg_catalog|information_schema|pg_class|pg_namespace|pg_attribute|pg_type|pg_index|pg_constraint|"
      + "pg_description|pg_proc|pg_database|pg_settings|pg_roles|pg_am)\\b.*");

  private static final Pattern SESSIONS = Pattern.compile(
      "(?is).*(\\butil\\s*\\.\\s*\"?sessions\\b|\\bpg_stat_activity\\b).*");

  private PgSql() {
  }

  /** Reads the live session list ({@code util.sessions}, {@code pg_stat_activity}), kept by the server. */
  static boolean readsSessions(String sql) {
    return sql != null && SESSIONS.matcher(withoutLiterals(sql)).matches();
  }

  /**
   * Catalog SQL goes to the shadow, whose crm/kpi/util tables are empty: a statement reading those tables
   * (and no catalog relation) is user SQL even when it calls a catalog function (current_user, version()…).
   */
  private static boolean isCatalog(String masked) {
    if (!CATALOG_WORDS.matcher(masked).matches()) {
      return false;
    }
    return !DATA.matcher(masked).matches() || CATALOG_RELATIONS.matcher(masked).matches();
  }

  static Kind kind(String sql) {
    String w = firstWord(sql);
    return switch (w) {
      case "" -> Kind.EMPTY;
      case "SET", "RESET", "SHOW", "BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT", "DISCARD", "DEALLOCATE",
          "LISTEN", "UNLISTEN", "SAVEPOINT", "RELEASE", "PREPARE" -> Kind.SESSION;
      case "DECLARE", "FETCH", "MOVE", "CLOSE" -> Kind.CURSOR;
      case "COPY" -> Kind.COPY;
      case "SELECT", "WITH", "VALUES", "TABLE", "EXPLAIN", "(" -> isCatalog(withoutLiterals(sql)) || readsSessions(sql) ? Kind.CATALOG
          : Kind.QUERY;
      default -> Kind.WRITE;
    };
  }

  static String firstWord(String sql) {
    String s = stripLeadingComments(sql);
    if (s.startsWith("(")) {
      return "(";
    }
    Matcher m = Pattern.compile("^([A-Za-z_]+)").matcher(s);
    return m.find() ? m.group(1).toUpperCase(Locale.ROOT) : s.isEmpty() ? "" : s.substring(0, 1);
  }

  static String stripLeadingComments(String sql) {
    String s = sql.strip();
    while (true) {
      if (s.startsWith("--")) {
        int nl = s.indexOf('\n');
        s = nl < 0 ? "" : s.substring(nl + 1).strip();
      } else if (s.startsWith("/*")) {
        int end = s.indexOf("*/");
        s = end < 0 ? "" : s.substring(end + 2).strip();
      } else {
        return s;
      }
    }
  }

  /** The text with string literals blanked (so words inside them do not route a statement). */
  static String withoutLiterals(String sql) {
    StringBuilder b = new StringBuilder(sql.length());
    scan(sql, (c, inLiteral) -> b.append(inLiteral ? ' ' : c));
    return b.toString();
  }

  /** Splits a simple-query string into statements at top-level semicolons. */
  static List<String> split(String sql) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    scan(sql, (c, inLiteral) -> {
      if (c == ';' && !inLiteral) {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    });
    out.add(cur.toString());
    out.removeIf(s -> stripLeadingComments(s).isEmpty());
    return out;
  }

  /** {@code $n} → {@code ?}; returns the JDBC text and, per {@code ?}, the 0-based client parameter index. */
  static String placeholders(String sql, List<Integer> order) {
    StringBuilder b = new StringBuilder(sql.length());
    int[] i = {0};
    char[] cs = sql.toCharArray();
    boolean[] lit = new boolean[cs.length];
    int[] k = {0};
    scan(sql, (c, inLiteral) -> lit[k[0]++] = inLiteral);
    while (i[0] < cs.length) {
      char c = cs[i[0]];
      if (c == '$' && !lit[i[0]] && i[0] + 1 < cs.length && Character.isDigit(cs[i[0] + 1])) {
        int j = i[0] + 1;
        while (j < cs.length && Character.isDigit(cs[j])) {
          j++;
        }
        order.add(Integer.parseInt(sql.substring(i[0] + 1, j)) - 1);
        b.append('?');
        i[0] = j;
      } else {
        b.append(c);
        i[0]++;
      }
    }
    return b.toString();
  }

  private static final Pattern CAST_TYPE = Pattern.compile(
      "(?i)^\\s*(double\\s+precision|character\\s+varying|timestamp\\s+with(?:out)?\\s+time\\s+zone|"
      + "time\\s+with(?:out)?\\s+time\\s+zone|[a-z_][a-z0-9_]*)(\\s*\\(\\s*\\d+\\s*(?:,\\s*\\d+\\s*)?\\))?");

  /**
   * PostgreSQL's {@code expr::type} as {@code CAST(expr AS type)} for crmkpi's SQL parser, with PostgreSQL type
   * names mapped (int8 → BIGINT, float8 → DOUBLE, text → VARCHAR, timestamptz → TIMESTAMP…). The operand is a
   * literal, a (qualified) name, or a parenthesised expression or function call.
   */
  static String casts(String sql) {
    String s = sql;
    for (int guard = 0; guard < 200; guard++) {
      String masked = withoutLiterals(s);
      int at = masked.indexOf("::");
      if (at < 0) {
        return s;
      }
      int start = operandStart(s, masked, at);
      Matcher m = CAST_TYPE.matcher(s.substring(at + 2));
      if (start < 0 || !m.find()) {
        return s; // leave it to the parser's own error
      }
      String type = pgTypeName(m.group(1).replaceAll("\\s+", " ").toLowerCase(Locale.ROOT));
      String args = m.group(2) == null ? "" : m.group(2).strip();
      s = s.substring(0, start) + "CAST(" + s.substring(start, at).strip() + " AS " + type + args + ")"
          + s.substring(at + 2 + m.end());
    }
    return s;
  }

  private static int operandStart(String s, String masked, int at) {
    int i = at - 1;
    while (i >= 0 && Character.isWhitespace(s.charAt(i))) {
      i--;
    }
    if (i < 0) {
      return -1;
    }
    char c = s.charAt(i);
    if (c == '\'') {
      int j = i - 1;
      while (j >= 0 && !(s.charAt(j) == '\'' && masked.charAt(j) == '\'')) {
        j--;
      }
      return j < 0 ? -1 : (j > 0 && "EeNn".indexOf(s.charAt(j - 1)) >= 0 ? j - 1 : j);
    }
    if (c == ')') {
      int depth = 0;
      int j = i;
      for (; j >= 0; j--) {
        char d = masked.charAt(j);
        if (d == ')') {
          depth++;
        } else if (d == '(') {
          depth--;
          if (depth == 0) {
            break;
          }
        }
      }
      if (j < 0) {
        return -1;
      }
      int k = j - 1;
      while (k >= 0 && (Character.isLetterOrDigit(s.charAt(k)) || s.charAt(k) == '_' || s.charAt(k) == '.')) {
        k--;
      }
      return k + 1;
    }
    int k = i;
    while (k >= 0 && (Character.isLetterOrDigit(s.charAt(k)) || "_.\"".indexOf(s.charAt(k)) >= 0)) {
      k--;
    }
    return k == i ? -1 : k + 1;
  }

  private static String pgTypeName(String t) {
    return switch (t) {
      case "int8", "bigint" -> "BIGINT";
      case "int", "int4", "integer" -> "INTEGER";
      case "int2", "smallint" -> "SMALLINT";
      case "float8", "double precision", "float" -> "DOUBLE";
      case "float4", "real" -> "REAL";
      case "text", "varchar", "character varying", "name", "bpchar", "char" -> "VARCHAR";
      case "numeric", "decimal" -> "DECIMAL";
      case "bool", "boolean" -> "BOOLEAN";
      case "timestamptz", "timestamp with time zone", "timestamp without time zone", "timestamp" -> "TIMESTAMP";
      case "time without time zone", "time with time zone", "timetz" -> "TIME";
      default -> t.toUpperCase(Locale.ROOT);
    };
  }

  private interface CharSink {
    void accept(char c, boolean inLiteral);
  }

  /** Walks the text, telling for each character whether it is inside a literal, identifier or comment. */
  private static void scan(String s, CharSink sink) {
    int n = s.length();
    int i = 0;
    while (i < n) {
      char c = s.charAt(i);
      if (c == '\'' || c == '"') {
        int j = i + 1;
        while (j < n) {
          if (s.charAt(j) == c) {
            if (j + 1 < n && s.charAt(j + 1) == c) {
              j += 2;
              continue;
            }
            break;
          }
          if (c == '\'' && s.charAt(j) == '\\' && i > 0 && (s.charAt(i - 1) == 'E' || s.charAt(i - 1) == 'e')) {
            j++;
          }
          j++;
        }
        int end = Math.min(j, n - 1);
        sink.accept(c, false);
        for (int k = i + 1; k < end; k++) {
          sink.accept(s.charAt(k), true);
        }
        if (end > i) {
          sink.accept(s.charAt(end), false);
        }
        i = end + 1;
      } else if (c == '-' && i + 1 < n && s.charAt(i + 1) == '-') {
        int j = s.indexOf('\n', i);
        j = j < 0 ? n : j;
        for (int k = i; k < j; k++) {
          sink.accept(s.charAt(k), true);
        }
        i = j;
      } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
        int j = s.indexOf("*/", i + 2);
        j = j < 0 ? n : j + 2;
        for (int k = i; k < j; k++) {
          sink.accept(s.charAt(k), true);
        }
        i = j;
      } else {
        sink.accept(c, false);
        i++;
      }
    }
  }
}
