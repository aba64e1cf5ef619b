package io.crmkpi.settings;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces secrets in text that may reach a user, a log or a BI tool by {@code ***}, leaving the
 * words around them: the secret values of a connection as written, URL-encoded (a query string) and
 * JSON-escaped (a request body echoed in an error), and the credentials of any URL
 * ({@code http://user:password@host/}).
 */
public final class SecretMask {

  /** Shorter values would mask ordinary words; no real credential is that short. */
  static final int MIN_LENGTH = 4;
  private static final Pattern URL_CREDENTIALS =
      Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/?#@\\s\"';]+@");

  /** Masks only the credentials inside URLs (for text with no known secret values). */
  public static final SecretMask URL_CREDENTIALS_ONLY = new SecretMask(List.of());

  private final List<String> forms;

  private SecretMask(List<String> forms) {
    this.forms = forms;
  }

  /** A mask for these secret values (blank and very short ones are ignored). */
  public static SecretMask of(Collection<String> secrets) {
    Set<String> forms = new LinkedHashSet<>();
    for (String s : secrets) {
      if (s == null || s.strip().length() < MIN_LENGTH) {
        continue;
      }
      String v = s.strip();
      forms.add(v);
      forms.add(URLEncoder.encode(v, StandardCharsets.UTF_8));
      forms.add(URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20"));
      forms.add(json(v));
      forms.add(json(v).replace("/", "\\/"));
    }
    // longest first: a secret containing another is masked whole
    return new SecretMask(forms.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList());
  }

  /** The text with every secret form and URL credential replaced by {@code ***}; null stays null. */
  public String apply(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String f : forms) {
      out = out.replace(f, "***");
    }
    return URL_CREDENTIALS.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "***@"));
  }

  /** A value as it appears inside a JSON string. */
  static String json(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }
}
