package io.crmkpi.jdbc;

import io.crmkpi.settings.SecretMask;
import io.crmkpi.settings.SettingsRegistry;
import java.util.Collection;
import java.util.Locale;

/** Removes secrets from text that may reach a user, a log or a BI tool. */
final class Secrets {

  private Secrets() {
  }

  /**
   * A URL (or one {@code key=value} of one) that could not be parsed into a connection: the value of
   * every option that is not a declared non-secret setting is replaced, and any URL credentials.
   */
  static String maskUrl(String url) {
    if (url == null) {
      return null;
    }
    SettingsRegistry all = DriverSettings.all();
    String[] parts = url.split(";", -1);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      int eq = part.indexOf('=');
      if (eq > 0) {
        String key = part.substring(0, eq).trim().toLowerCase(Locale.ROOT);
        boolean shown = all.get(key).map(s -> !s.isSecret()).orElse(false);
        part = part.substring(0, eq + 1) + (shown ? part.substring(eq + 1) : "***");
      }
      b.append(i == 0 ? "" : ";").append(part);
    }
    return SecretMask.URL_CREDENTIALS_ONLY.apply(b.toString());
  }

  /** Replaces each secret value that occurs in {@code text} (as written, URL-encoded or JSON-escaped). */
  static String mask(String text, Collection<String> secretValues) {
    return SecretMask.of(secretValues).apply(text);
  }
}
