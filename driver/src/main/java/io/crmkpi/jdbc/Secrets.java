package io.crmkpi.jdbc;

import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Removes secrets from text that may reach a user, a log or a BI tool. */
final class Secrets {

  private static final Pattern OPTION = Pattern.compile("(?i)(" + String.join("|", ConnectionConfig.SECRET_KEYS)
      + ")=([^;]*)");

  private Secrets() {
  }

  static String maskUrl(String url) {
    return url == null ? null : OPTION.matcher(url).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "=***"));
  }

  static String maskOption(String option) {
    return maskUrl(option);
  }

  /** Replaces each secret value that occurs in {@code text}. */
  static String mask(String text, Collection<String> secretValues) {
    if (text == null) {
      return null;
    }
    String out = maskUrl(text);
    for (String s : secretValues) {
      if (s != null && s.length() >= 4) {
        out = out.replace(s, "***");
      }
    }
    return out;
  }
}
