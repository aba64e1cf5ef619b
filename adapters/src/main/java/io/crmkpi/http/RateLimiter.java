package io.crmkpi.http;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Keeps a client under a CRM's rate limit, so that the CRM never has to reject it. Two policies:
 *
 * <ul>
 *   <li>{@link #RateLimiter(double, int, HttpClock) token bucket}: {@code burst} tokens refilled at
 *       {@code perSecond}; in any T seconds at most {@code burst + perSecond * T} requests start. Right
 *       for leaky-bucket limits (Bitrix24: 2/s after a burst of 50).</li>
 *   <li>{@link #window sliding window}: at most {@code max} requests in any {@code window}, counted the
 *       way a CRM with a rolling window counts (amoCRM 7 per second, HubSpot 100 per 10 s), but
 *       pessimistically: a slot is held from the moment a request is sent until {@code window} after its
 *       answer came back ({@link #completed()}). The CRM sees each request at some moment between our
 *       send and our receipt of the answer, so if it saw {@code max + 1} within one window, the last one
 *       sent would have found {@code max} slots held and waited: the CRM's window can never overflow,
 *       whatever the network latency, and the client still runs at the full published rate.</li>
 * </ul>
 *
 * One limiter per CRM account (see {@link #shared}), because the CRM counts per account, not per
 * connection; and across processes, an {@link AccountLedger} file per account in the cache folder
 * ({@code ratelimit/}) that every limiter of that account on the machine also takes its slot from.
 */
public final class RateLimiter {

  private static final Map<String, RateLimiter> SHARED = new ConcurrentHashMap<>();

  private final HttpClock clock;
  // token bucket
  private final double perNano;
  private final double burst;
  private double tokens;
  private long last;
  // sliding window (max > 0)
  private final int max;
  private final long windowNanos;
  /** Answer times of finished requests still inside the window, oldest first. */
  private final Deque<Long> answered = new ArrayDeque<>();
  private int inFlight;
  /** The account's state shared with other processes; null: this process only. */
  private volatile AccountLedger ledger;
  /** Ledger slots taken by this limiter and not yet answered, oldest first. */
  private final Deque<Long> ledgerSlots = new ArrayDeque<>();

  /** A token bucket of {@code burst} refilled at {@code perSecond}. */
  public RateLimiter(double perSecond, int burst, HttpClock clock) {
    if (perSecond <= 0 || burst < 1) {
      throw new IllegalArgumentException("rate must be > 0 and burst >= 1");
    }
    this.perNano = perSecond / 1e9;
    this.burst = burst;
    this.clock = clock;
    this.tokens = burst;
    this.last = clock.nanoTime();
    this.max = 0;
    this.windowNanos = 0;
  }

  private RateLimiter(int max, Duration window, HttpClock clock) {
    if (max < 1 || window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("max must be >= 1 and the window > 0");
    }
    this.clock = clock;
    this.max = max;
    this.windowNanos = window.toNanos();
    this.perNano = 0;
    this.burst = 0;
  }

  /**
   * At most {@code max} requests in any {@code window}; each slot is freed {@code window} after the
   * request's answer. Give the CRM's own window plus a few milliseconds for the CRM's clock.
   */
  public static RateLimiter window(int max, Duration window, HttpClock clock) {
    return new RateLimiter(max, window, clock);
  }

  /**
   * The limiter registered under {@code key} (e.g. {@code amocrm:host}), created on first use; on the
   * real clock it also holds to the account's ledger shared with other processes.
   */
  public static RateLimiter shared(String key, Supplier<RateLimiter> factory) {
    return SHARED.computeIfAbsent(key, k -> {
      RateLimiter r = factory.get();
      if (r.clock == HttpClock.SYSTEM) {
        java.util.Optional<java.nio.file.Path> folder = io.crmkpi.cache.CacheFolder.of(java.util.Optional.empty());
        folder.flatMap(f -> AccountLedger.in(f.resolve("ratelimit"), k)).ifPresent(l -> r.share(l));
      }
      return r;
    });
  }

  /** From now on, also takes every slot from {@code ledger} (shared with other processes). */
  RateLimiter share(AccountLedger ledger) {
    this.ledger = ledger;
    return this;
  }

  /** Blocks until a request may go. Every acquire must be followed by one {@link #completed()}. */
  public void acquire() throws InterruptedException {
    if (max == 0) {
      acquireToken();
      acquireShared();
      return;
    }
    while (true) {
      long wait;
      synchronized (this) {
        long now = clock.nanoTime();
        expire(now);
        if (answered.size() + inFlight < max) {
          inFlight++;
          break;
        }
        // all slots in flight: poll; else the oldest answer leaves the window at a known time
        wait = answered.isEmpty() ? 1_000_000 : answered.peekFirst() + windowNanos - now + 1;
      }
      clock.sleep(Duration.ofNanos(Math.max(wait, 1000)));
    }
    acquireShared();
  }

  /** Waits for the other processes' share of the account (a local slot is already held). */
  private void acquireShared() throws InterruptedException {
    AccountLedger l = ledger;
    while (l != null) {
      long r;
      try {
        r = max == 0 ? l.tryTake(perNano * 1e9, burst) : l.tryAcquire(max, windowNanos / 1_000_000);
      } catch (IOException | RuntimeException e) {
        ledger = null; // the file cannot be used: this process keeps to the limit alone
        return;
      }
      if (r >= 0) {
        if (r > 0) {
          synchronized (ledgerSlots) {
            ledgerSlots.addLast(r);
          }
        }
        return;
      }
      Thread.sleep(-r);
    }
  }

  /** The request acquired last by this caller got its answer (or failed): its slot starts expiring. */
  public void completed() {
    synchronized (this) {
      if (max == 0 || inFlight == 0) {
        return;
      }
      inFlight--;
      answered.addLast(clock.nanoTime());
    }
    Long slot;
    synchronized (ledgerSlots) {
      slot = ledgerSlots.pollFirst();
    }
    AccountLedger l = ledger;
    if (slot != null && l != null) {
      try {
        l.completed(slot);
      } catch (IOException | RuntimeException e) {
        ledger = null;
      }
    }
  }

  /** The CRM said "too many requests" anyway (another client on the account): start from empty. */
  public void drain() {
    synchronized (this) {
      if (max == 0) {
        refill();
        tokens = Math.min(tokens, 0);
      } else {
        long now = clock.nanoTime();
        while (answered.size() + inFlight < max) {
          answered.addLast(now);
        }
      }
    }
    AccountLedger l = ledger;
    if (l != null) {
      try {
        if (max == 0) {
          l.fillBucket(burst);
        } else {
          l.fill(max);
        }
      } catch (IOException | RuntimeException e) {
        ledger = null;
      }
    }
  }

  private void expire(long now) {
    while (!answered.isEmpty() && answered.peekFirst() <= now - windowNanos) {
      answered.pollFirst();
    }
  }

  private synchronized void acquireToken() throws InterruptedException {
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

  private void refill() {
    long now = clock.nanoTime();
    tokens = Math.min(burst, tokens + (now - last) * perNano);
    last = now;
  }
}
