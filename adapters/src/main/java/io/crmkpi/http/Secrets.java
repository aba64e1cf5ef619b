package io.crmkpi.http;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * The secrets of one source (tokens, refresh tokens, client secrets, webhook codes). Every message
 * that leaves the HTTP layer goes through {@link #mask}, so a secret cannot reach an exception, a
 * log line or {@code crm.sync_state.error}, even when a server echoes it back.
 */
public final class Secrets {

  private final Set<String> values = new CopyOnWriteArraySet<>();

  public Secrets(String... initial) {
    add(List.of(initial));
  }

  /** Registers more secrets (e.g. a freshly refreshed token); blanks and very short strings are ignored. */
  public void add(String secret) {
    if (secret != null && secret.length() >= 4) {
      values.add(secret);
    }
  }

  public void add(Collection<String> secrets) {
    secrets.forEach(this::add);
  }

  /** {@code text} with every known secret replaced by {@code ***}. */
  public String mask(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    // longest first, so a secret that contains another is masked whole
    for (String s : values.stream().sorted((a, b) -> b.length() - a.length()).toList()) {
      out = out.replace(s, "***");
    }
    return out;
  }

  @Override
  public String toString() {
    return "Secrets[" + values.size() + " masked]";
  }
}
