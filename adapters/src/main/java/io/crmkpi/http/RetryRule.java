package io.crmkpi.http;

import java.time.Duration;

/** Which responses are worth another attempt, and how long the server asked us to wait. */
@FunctionalInterface
public interface RetryRule {

  /**
   * Null: the response is final (success or a permanent error). Otherwise the least time to wait
   * before the next attempt ({@link Duration#ZERO}: just the exponential back-off).
   */
  Duration retryDelay(ApiResponse response);

  /** 429 and 5xx (except 501) are transient; Retry-After is honoured. */
  RetryRule DEFAULT = r -> {
    int s = r.status();
    if (s == 429 || s == 500 || s == 502 || s == 503 || s == 504) {
      return r.retryAfter().orElse(Duration.ZERO);
    }
    return null;
  };
}
