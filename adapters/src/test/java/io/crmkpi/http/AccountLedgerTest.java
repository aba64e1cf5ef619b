package io.crmkpi.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two syncs of one account, as two processes would run them (two limiters that share nothing but
 * the account's ledger file), together stay under the account's limit.
 */
class AccountLedgerTest {

  @TempDir
  Path tmp;

  /** Each of two limiters sends 12 requests (answers take 5 ms) as fast as it may; the wall-clock spans. */
  private List<RateLimiterTest.Span> twoProcesses(boolean shareLedger) throws Exception {
    List<RateLimiterTest.Span> spans = Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < 2; p++) {
      RateLimiter limiter = RateLimiter.window(4, Duration.ofMillis(300), HttpClock.SYSTEM);
      if (shareLedger) {
        limiter.share(AccountLedger.in(tmp.resolve("ratelimit"), "hubspot:api.hubapi.com:1234").orElseThrow());
      }
      threads.add(new Thread(() -> {
        try {
          for (int i = 0; i < 12; i++) {
            limiter.acquire();
            long sent = System.nanoTime();
            Thread.sleep(5);
            long answered = System.nanoTime();
            limiter.completed();
            spans.add(new RateLimiterTest.Span(sent, answered));
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
    assertEquals(24, spans.size());
    return spans;
  }

  @Test
  void twoProcessesSharingTheLedgerNeverExceedTheAccountsWindow() throws Exception {
    long window = 300 * RateLimiterTest.MS;
    // the ledger's slot ends when completed() stamps it, after the span's answer: no window of the
    // account sees more than 4
    int shared = RateLimiterTest.worstWindow(twoProcesses(true), window);
    assertTrue(shared <= 4, "worst window with the ledger: " + shared);
    // alone, each keeps its own 4 and the account sees up to 8
    int alone = RateLimiterTest.worstWindow(twoProcesses(false), window);
    assertTrue(alone > 4, "worst window without it: " + alone);
  }

  @Test
  void theBucketIsSharedAndItsFileNamesNoSecret() throws Exception {
    String key = "bitrix24:portal.example:SECRET-webhook-code";
    AccountLedger a = AccountLedger.in(tmp, key).orElseThrow();
    AccountLedger b = AccountLedger.in(tmp, key).orElseThrow();
    assertEquals(a.file(), b.file());
    assertFalse(a.file().getFileName().toString().contains("SECRET"));
    // burst 3 at 20/s: three takes pass (two by "another process"), the fourth waits ~50 ms for one to drain
    assertEquals(0, a.tryTake(20, 3));
    assertEquals(0, b.tryTake(20, 3));
    assertEquals(0, b.tryTake(20, 3));
    long wait = -a.tryTake(20, 3);
    assertTrue(wait > 0 && wait <= 50, "wait " + wait + " ms");
    assertFalse(Files.readString(a.file()).contains("SECRET"));
  }

  @Test
  void aSlotOfAProcessThatDiedInFlightIsFreedAfterTheStaleTime() throws Exception {
    AccountLedger l = AccountLedger.in(tmp, "amocrm:test.amocrm.ru").orElseThrow();
    long dead = System.currentTimeMillis() - AccountLedger.STALE_MS - 1;
    Files.writeString(l.file(), "1 " + dead + " 0\n2 " + dead + " 0\n");
    // both slots were taken in flight long ago by a process that never answered: free again
    assertTrue(l.tryAcquire(2, 1000) > 0);
    assertTrue(l.tryAcquire(2, 1000) > 0);
    long wait = l.tryAcquire(2, 1000);
    assertTrue(wait < 0, "both slots held now: " + wait);
  }
}
