package io.crmkpi.http;

import java.time.Duration;

/** Test time that runs {@code scale} times faster than real time, shared by a client and its fake server. */
public final class ScaledClock implements HttpClock {

  private final long start = System.nanoTime();
  private final double scale;

  public ScaledClock(double scale) {
    this.scale = scale;
  }

  @Override
  public long nanoTime() {
    return (long) ((System.nanoTime() - start) * scale);
  }

  @Override
  public void sleep(Duration d) throws InterruptedException {
    long real = (long) (d.toNanos() / scale);
    if (real > 0) {
      Thread.sleep(real / 1_000_000, (int) (real % 1_000_000));
    }
  }
}
