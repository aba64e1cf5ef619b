package io.crmkpi.http;

import java.time.Duration;
import java.util.Optional;

/**
 * An HTTP response: status, body text, and the {@code Retry-After} the server asked for (seconds or
 * an HTTP date, already turned into a duration).
 */
public record ApiResponse(int status, String body, Optional<Duration> retryAfter) {

  public boolean ok() {
    return status >= 200 && status < 300;
  }

  /** First characters of the body, for error messages (callers mask secrets). */
  public String snippet() {
    String b = body == null ? "" : body.strip().replaceAll("\\s+", " ");
    return b.length() > 300 ? b.substring(0, 300) + "…" : b;
  }
}
