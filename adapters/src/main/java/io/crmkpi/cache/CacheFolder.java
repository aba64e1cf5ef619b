package io.crmkpi.cache;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where crmkpi keeps what it can rebuild (generated demos, compiled statements): the connection
 * property {@code cache=<folder>}, {@code cache=off} for none, else {@code $XDG_CACHE_HOME/crmkpi}
 * or {@code ~/.cache/crmkpi}; and the upkeep every cache in it shares (use marks, clean-up by age).
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

  /** Marks an entry as used now (the clean-up goes by its age). */
  public static void touch(Path entry) {
    try {
      Files.setLastModifiedTime(entry, FileTime.from(Instant.now()));
    } catch (IOException ignored) {
      // only the clean-up age depends on it
    }
  }

  /**
   * Removes the entries of {@code dir} (files, or folders with what they hold) not used for
   * {@code keep}. Best effort: another process may remove or hold them too.
   */
  public static void sweep(Path dir, Duration keep) {
    Instant cutoff = Instant.now().minus(keep);
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path e : entries.toList()) {
        if (Files.getLastModifiedTime(e).toInstant().isBefore(cutoff)) {
          delete(e);
        }
      }
    } catch (IOException | RuntimeException ignored) {
      // nothing there yet, or another process cleans up too
    }
  }

  /** Deletes a file, or a folder and everything in it; best effort. */
  public static void delete(Path entry) {
    try (Stream<Path> all = Files.walk(entry)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | RuntimeException ignored) {
      // it is only a cache
    }
  }
}
