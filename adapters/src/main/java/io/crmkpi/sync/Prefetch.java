package io.crmkpi.sync;

import io.crmkpi.source.SourceException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Fetches the next page on a background thread while the caller commits the current one, so that
 * the API's answer time (and its rate-limit wait) overlaps the store's write instead of adding to
 * it. One request at a time: the caller joins a fetch before it submits the next.
 */
public final class Prefetch implements AutoCloseable {

  /** A page fetch. */
  @FunctionalInterface
  public interface Fetch<T> {
    T get() throws SourceException;
  }

  private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "crmkpi-prefetch");
    t.setDaemon(true);
    return t;
  });

  /** Starts {@code fetch}; {@link #join} gives its page or its exception. */
  public <T> Future<T> start(Fetch<T> fetch) {
    return executor.submit(fetch::get);
  }

  /** The fetched page; the fetch's own SourceException or RuntimeException is rethrown as is. */
  public static <T> T join(Future<T> f) throws SourceException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SourceException("interrupted while waiting for the API");
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof SourceException s) {
        throw s;
      }
      if (c instanceof RuntimeException r) {
        throw r;
      }
      if (c instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(c);
    }
  }

  /** Abandons a fetch still running (the run failed or ended early). */
  @Override
  public void close() {
    executor.shutdownNow();
  }
}
