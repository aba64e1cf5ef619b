package io.crmkpi.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ApiClientTest {

  /** Time that only moves when someone sleeps: waits become exact numbers. */
  static final class ManualClock implements HttpClock {
    long now;
    final List<Duration> sleeps = new ArrayList<>();

    @Override
    public long nanoTime() {
      return now;
    }

    @Override
    public void sleep(Duration d) {
      sleeps.add(d);
      now += d.toNanos();
    }
  }

  @Test
  void tokenBucketNeverLetsMoreThanBurstPlusRateThroughInAnySecond() throws Exception {
    ManualClock clock = new ManualClock();
    RateLimiter limiter = new RateLimiter(6, 1, clock);
    List<Long> at = new ArrayList<>();
    for (int i = 0; i < 43; i++) {
      limiter.acquire();
      at.add(clock.now);
    }
    for (long t : at) {
      long inWindow = at.stream().filter(x -> x > t - 1_000_000_000L && x <= t).count();
      assertTrue(inWindow <= 7, "requests in the second ending at " + t + ": " + inWindow);
    }
    // the first goes at once, the other 42 one sixth of a second apart: 7 s
    assertEquals(7_000, at.get(42) / 1_000_000, 1);
  }

  @Test
  void retriesHonourRetryAfterThenSucceedAndPermanentErrorsAreNotRetried() throws Exception {
    ManualClock clock = new ManualClock();
    AtomicInteger calls = new AtomicInteger();
    try (FakeApiServer server = new FakeApiServer(clock) {
      @Override
      protected Reply rateLimit() {
        return null;
      }

      @Override
      protected Reply serve(Call c) {
        if (c.path().equals("/bad")) {
          return Reply.json(400, "{\"error\":\"bad\"}");
        }
        return calls.incrementAndGet() <= 2 ? new Reply(429, "{}", Map.of("Retry-After", "3")) : Reply.json(200, "{\"ok\":1}");
      }
    }) {
      ApiClient.Settings s = new ApiClient.Settings(5, Duration.ofMillis(100), Duration.ofSeconds(30),
          Duration.ofSeconds(5), Duration.ofSeconds(5), 1);
      ApiClient client = new ApiClient(new RateLimiter(100, 10, clock), RetryRule.DEFAULT, new Secrets(), clock, s);
      ApiResponse r = client.send(ApiRequest.get(server.base().resolve("/x"), "GET /x"));
      assertEquals(200, r.status());
      assertEquals(3, calls.get());
      long retryWaits = clock.sleeps.stream().filter(d -> d.toMillis() >= 3000).count();
      assertEquals(2, retryWaits, "each 429 waited at least Retry-After: " + clock.sleeps);
      clock.sleeps.clear();
      ApiResponse bad = client.send(ApiRequest.get(server.base().resolve("/bad"), "GET /bad"));
      assertEquals(400, bad.status());
      assertTrue(clock.sleeps.stream().allMatch(d -> d.toMillis() < 100), "no back-off for a permanent error");
    }
  }

  @Test
  void exhaustedRetriesNameTheRequestAndMaskSecrets() throws Exception {
    ManualClock clock = new ManualClock();
    String secret = "whk-SECRET-code-99";
    try (FakeApiServer server = new FakeApiServer(clock) {
      @Override
      protected Reply rateLimit() {
        return null;
      }

      @Override
      protected Reply serve(Call c) {
        return Reply.json(503, "{\"error\":\"down\",\"echo\":\"" + c.path() + "\"}");
      }
    }) {
      ApiClient.Settings s = new ApiClient.Settings(4, Duration.ofMillis(100), Duration.ofSeconds(30),
          Duration.ofSeconds(5), Duration.ofSeconds(5), 1);
      ApiClient client = new ApiClient(new RateLimiter(100, 10, clock), RetryRule.DEFAULT, new Secrets(secret), clock, s);
      ApiException e = assertThrows(ApiException.class,
          () -> client.send(ApiRequest.get(server.base().resolve("/rest/1/" + secret + "/crm.deal.list"), "POST crm.deal.list")));
      assertTrue(e.getMessage().startsWith("POST crm.deal.list: failed after 4 attempts (last: HTTP 503"), e.getMessage());
      assertFalse(e.getMessage().contains(secret), e.getMessage());
      assertEquals(503, e.status());
      // back-off doubles: 100, 200, 400 ms bases with jitter in [base/2, base)
      assertEquals(3, clock.sleeps.size());
      for (int i = 0; i < 3; i++) {
        long base = 100L << i;
        long ms = clock.sleeps.get(i).toMillis();
        assertTrue(ms >= base / 2 && ms <= base, "sleep " + i + " = " + ms);
      }
    }
  }
}
