package io.crmkpi.store;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where crmkpi keeps what it can rebuild (generated demos, compiled statements): the connection
 * property {@code cache=<folder>}, {@code cache=off} for none, else {@code $XDG_CACHE_HOME/crmkpi}
 * or {@code ~/.cache/crmkpi}.
 */
public final class CacheFolder {

  private CacheFolder() {
  }

  /** The folder for this {@code cache} setting, or empty when caching is off. */
  public static Optional<Path> of(Optional<String> setting) {
    String s = setting.map(String::trim).orElse("");
    if (s.equalsIgnoreCase("off") || s.equalsIgnoreCase("false")) {
      return Optional.empty();
    }
    if (!s.isEmpty()) {
      return Optional.of(Path.of(s));
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return Optional.of(base.resolve("crmkpi"));
  }
}
