package io.crmkpi.http;

import java.time.Duration;

/**
 * Monotonic time and sleeping for rate limits and back-off. Tests inject a scaled clock so that
 * "7 requests per second" and "retry after 2 s" run many times faster without changing the logic.
 */
public interface HttpClock {

  /** Monotonic nanoseconds (like {@link System#nanoTime()}). */
  long nanoTime();

  /** Sleeps for {@code d} of this clock's time. */
  void sleep(Duration d) throws InterruptedException;

  /** Real time. */
  HttpClock SYSTEM = new HttpClock() {
    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public void sleep(Duration d) throws InterruptedException {
      if (!d.isNegative() && !d.isZero()) {
        Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
      }
    }
  };
}
