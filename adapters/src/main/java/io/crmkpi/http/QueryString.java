package io.crmkpi.http;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/** URL query strings: {@code ?k=v&k=v2}, a List value repeating its key, everything URL-encoded. */
public final class QueryString {

  private QueryString() {
  }

  /** The query string for {@code query}, or "" when it is empty. */
  public static String encode(Map<String, ?> query) {
    if (query == null || query.isEmpty()) {
      return "";
    }
    StringJoiner j = new StringJoiner("&", "?", "");
    for (var e : query.entrySet()) {
      List<?> values = e.getValue() instanceof List<?> l ? l : List.of(e.getValue());
      for (Object v : values) {
        j.add(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
            + URLEncoder.encode(String.valueOf(v), StandardCharsets.UTF_8));
      }
    }
    return j.toString();
  }
}
