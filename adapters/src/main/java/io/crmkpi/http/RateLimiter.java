package io.crmkpi.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Token bucket: {@code burst} tokens, refilled at {@code perSecond}. In any window of T seconds at
 * most {@code burst + perSecond * T} requests pass, so picking both below the CRM's published limit
 * means the CRM never has to reject us. One limiter per CRM account (see {@link #shared}), because
 * the CRM counts per account, not per connection.
 */
public final class RateLimiter {

  private static final Map<String, RateLimiter> SHARED = new ConcurrentHashMap<>();

  private final double perNano;
  private final double burst;
  private final HttpClock clock;
  private double tokens;
  private long last;

  public RateLimiter(double perSecond, int burst, HttpClock clock) {
    if (perSecond <= 0 || burst < 1) {
      throw new IllegalArgumentException("rate must be > 0 and burst >= 1");
    }
    this.perNano = perSecond / 1e9;
    this.burst = burst;
    this.clock = clock;
    this.tokens = burst;
    this.last = clock.nanoTime();
  }

  /** The limiter registered under {@code key} (e.g. {@code amocrm:host}), created on first use. */
  public static RateLimiter shared(String key, Supplier<RateLimiter> factory) {
    return SHARED.computeIfAbsent(key, k -> factory.get());
  }

  /** Blocks until a request may go. */
  public synchronized void acquire() throws InterruptedException {
    while (true) {
      refill();
      if (tokens >= 1) {
        tokens -= 1;
        return;
      }
      long waitNanos = (long) Math.ceil((1 - tokens) / perNano);
      clock.sleep(Duration.ofNanos(Math.max(waitNanos, 1000)));
    }
  }

  /** The CRM said "too many requests" anyway (another client on the account): start from empty. */
  public synchronized void drain() {
    refill();
    tokens = Math.min(tokens, 0);
  }

  private void refill() {
    long now = clock.nanoTime();
    tokens = Math.min(burst, tokens + (now - last) * perNano);
    last = now;
  }
}
