package io.crmkpi.store;

/** Waiting for the helper threads of a load (readers, progress reporters, derivations on the side). */
public final class Threads {

  private Threads() {
  }

  /**
   * Waits for {@code t} to end even when interrupted: it reads or writes the store, so the caller may
   * not go on before it ends. The interrupt is kept for the caller.
   */
  public static void joinUninterruptibly(Thread t) {
    boolean interrupted = false;
    while (true) {
      try {
        t.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
