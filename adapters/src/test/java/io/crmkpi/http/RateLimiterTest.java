package io.crmkpi.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

  static final long MS = 1_000_000L;

  /** One request as the limiter's user saw it: sent at, answered at (the CRM counted it in between). */
  record Span(long sent, long answered) {
  }

  /**
   * The most requests a CRM counting arrivals in a rolling window could have seen, whatever the
   * latency: a request may have arrived at any moment between its send and its answer, so the worst
   * window (T - window, T] holds every request sent by T and answered after T - window; the worst T
   * is a send time.
   */
  static int worstWindow(List<Span> spans, long window) {
    int worst = 0;
    for (Span j : spans) {
      int n = 0;
      for (Span i : spans) {
        if (i.sent() <= j.sent() && i.answered() > j.sent() - window) {
          n++;
        }
      }
      worst = Math.max(worst, n);
    }
    return worst;
  }

  @Test
  void slidingWindowRunsSevenPerWindowPlusOneAnswerTimeAndNeverMore() throws Exception {
    ApiClientTest.ManualClock clock = new ApiClientTest.ManualClock();
    RateLimiter limiter = RateLimiter.window(7, Duration.ofMillis(1000), clock);
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < 70; i++) {
      limiter.acquire();
      long sent = clock.now;
      clock.now += 30 * MS; // every answer takes 30 ms
      spans.add(new Span(sent, clock.now));
      limiter.completed();
    }
    assertEquals(7, worstWindow(spans, 1000 * MS), "never 8 in any second, wherever the CRM saw them");
    // by hand: requests 0-6 go at 0, 30, ..., 180 ms; request 7 waits for the first slot to expire,
    // 1,000 ms after the first answer (30 ms): 1,030 ms; each group of 7 starts 1,030 ms after the previous
    assertEquals(180, spans.get(6).sent() / MS);
    assertEquals(1030, spans.get(7).sent() / MS);
    assertEquals(9 * 1030, spans.get(63).sent() / MS);
    assertEquals(9 * 1030 + 6 * 30, spans.get(69).sent() / MS);
    // 70 requests at 7/s need 10 windows; the limiter takes 9.27 s + the last 7 answers: no slower than
    // one answer time per window
    assertTrue(spans.get(69).answered() <= 10 * 1030 * MS, "total " + spans.get(69).answered() / MS + " ms");
  }

  @Test
  void slidingWindowHoldsForConcurrentCallersWithRandomLatency() throws Exception {
    ScaledClock clock = new ScaledClock(1);
    long window = 100 * MS;
    RateLimiter limiter = RateLimiter.window(5, Duration.ofNanos(window), clock);
    List<Span> spans = Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Random rnd = new Random(t);
      threads.add(new Thread(() -> {
        try {
          for (int i = 0; i < 25; i++) {
            limiter.acquire();
            long sent = clock.nanoTime();
            Thread.sleep(rnd.nextInt(15));
            long answered = clock.nanoTime();
            limiter.completed();
            spans.add(new Span(sent, answered));
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(100, spans.size());
    int worst = worstWindow(spans, window);
    assertTrue(worst <= 5, "worst window: " + worst);
    assertEquals(5, worst, "four callers keep all five slots busy at some point");
  }

  @Test
  void aRejectionEmptiesTheWindow() throws Exception {
    ApiClientTest.ManualClock clock = new ApiClientTest.ManualClock();
    RateLimiter limiter = RateLimiter.window(7, Duration.ofMillis(1000), clock);
    limiter.acquire();
    clock.now += 10 * MS;
    limiter.completed();
    limiter.drain(); // another client used the account: wait a whole window from now
    limiter.acquire();
    assertEquals(1010, clock.now / MS);
  }
}
