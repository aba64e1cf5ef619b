package io.crmkpi.http;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.Random;

/**
 * HTTP for CRM APIs on {@link java.net.http.HttpClient}: every call waits for the account's
 * {@link RateLimiter}, transient failures (429, 5xx, resets, timeouts) are retried with exponential
 * back-off plus jitter and at least the server's Retry-After, and a final failure becomes an
 * {@link ApiException} that names the request and never contains a secret.
 */
public final class ApiClient {

  /** Tunables; {@link #defaults()} suits production. */
  public record Settings(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration connectTimeout,
      Duration requestTimeout, long jitterSeed) {

    public static Settings defaults() {
      return new Settings(7, Duration.ofMillis(500), Duration.ofSeconds(60), Duration.ofSeconds(15),
          Duration.ofSeconds(90), System.nanoTime());
    }

    public Settings withMaxAttempts(int n) {
      return new Settings(n, baseDelay, maxDelay, connectTimeout, requestTimeout, jitterSeed);
    }

    public Settings withRequestTimeout(Duration d) {
      return new Settings(maxAttempts, baseDelay, maxDelay, connectTimeout, d, jitterSeed);
    }
  }

  private final HttpClient http;
  private final RateLimiter limiter;
  private final RetryRule rule;
  private final Secrets secrets;
  private final HttpClock clock;
  private final Settings settings;
  private final Random jitter;
  private long requests;
  private long retries;

  public ApiClient(RateLimiter limiter, RetryRule rule, Secrets secrets, HttpClock clock, Settings settings) {
    this.http = HttpClient.newBuilder().connectTimeout(settings.connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER).build();
    this.limiter = limiter;
    this.rule = rule;
    this.secrets = secrets;
    this.clock = clock;
    this.settings = settings;
    this.jitter = new Random(settings.jitterSeed());
  }

  public Secrets secrets() {
    return secrets;
  }

  /** Sends with retries. Returns the final response (2xx or a permanent error status). */
  public ApiResponse send(ApiRequest request) throws ApiException {
    String lastProblem = "";
    int lastStatus = 0;
    for (int attempt = 1; ; attempt++) {
      Duration wait;
      try {
        limiter.acquire();
        ApiResponse r;
        try {
          r = once(request);
        } finally {
          limiter.completed();
        }
        synchronized (this) {
          requests++;
        }
        Duration retryDelay = r.ok() ? null : rule.retryDelay(r);
        if (retryDelay == null) {
          return r;
        }
        if (r.status() == 429) {
          limiter.drain();
        }
        if (retryDelay.compareTo(settings.maxDelay()) > 0) {
          throw new ApiException(secrets.mask(request.label() + ": HTTP " + r.status() + ", the CRM asks to wait "
              + retryDelay.toSeconds() + " s (" + r.snippet() + "); run the sync again after that"), r.status(), null);
        }
        lastStatus = r.status();
        lastProblem = "HTTP " + r.status() + (r.snippet().isEmpty() ? "" : " " + r.snippet());
        wait = max(backoff(attempt), retryDelay);
      } catch (IOException e) {
        lastStatus = 0;
        lastProblem = describe(e);
        wait = backoff(attempt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ApiException(request.label() + ": interrupted", 0, null);
      }
      if (attempt >= settings.maxAttempts()) {
        String advice = lastStatus == 0
            ? "check the address (base URL / portal), the network and any proxy, then run the sync again"
            : lastStatus == 429 ? "the CRM keeps rejecting us for rate; lower the request rate or wait, then sync again"
            : "the CRM API is failing or overloaded; try again later";
        throw new ApiException(secrets.mask(request.label() + ": failed after " + attempt + " attempts (last: "
            + lastProblem + "); " + advice), lastStatus, null);
      }
      synchronized (this) {
        retries++;
      }
      try {
        clock.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ApiException(request.label() + ": interrupted", 0, null);
      }
    }
  }

  /** Requests answered so far (each retry counts) and retries made. */
  public synchronized long[] counters() {
    return new long[] {requests, retries};
  }

  private ApiResponse once(ApiRequest request) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(request.uri()).timeout(settings.requestTimeout())
        .header("Accept", "application/json")
        .method(request.method(), request.body() == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(request.body(), StandardCharsets.UTF_8));
    request.headers().forEach(b::header);
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    return new ApiResponse(r.statusCode(), r.body(), r.headers().firstValue("Retry-After").flatMap(ApiClient::retryAfter));
  }

  static Optional<Duration> retryAfter(String v) {
    String s = v.trim();
    try {
      return Optional.of(Duration.ofMillis((long) (Double.parseDouble(s) * 1000)));
    } catch (NumberFormatException e) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
        return Optional.of(d.isNegative() ? Duration.ZERO : d);
      } catch (RuntimeException e2) {
        return Optional.empty();
      }
    }
  }

  /** base * 2^(attempt-1), capped, with "equal jitter": half fixed, half random. */
  private Duration backoff(int attempt) {
    long base = settings.baseDelay().toMillis();
    long exp = Math.min(settings.maxDelay().toMillis(), base << Math.min(attempt - 1, 20));
    long half = exp / 2;
    long j;
    synchronized (jitter) {
      j = half == 0 ? 0 : (long) (jitter.nextDouble() * half);
    }
    return Duration.ofMillis(half + j);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  /** A connection problem in words, without the exception's own text (which may quote the URL). */
  private static String describe(IOException e) {
    if (e instanceof HttpTimeoutException) {
      return "timed out";
    }
    if (e instanceof ConnectException) {
      return "connection refused or host unreachable";
    }
    return "connection dropped (" + e.getClass().getSimpleName() + ")";
  }
}
