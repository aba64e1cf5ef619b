package io.crmkpi.jdbc;

import java.util.function.Consumer;

/** Where the driver reports long work (source loads): the log by default, the CLI's stderr when it asks. */
public final class Progress {

  private Progress() {
  }

  /** Sends load progress messages to {@code listener} from now on. */
  public static void listen(Consumer<String> listener) {
    StoreRegistry.progress = listener;
  }
}
