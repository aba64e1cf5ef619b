package io.crmkpi.files.exports;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Won/lost semantics of stage names as exports print them: the system stages of every supported
 * CRM in its UI languages, plus the user's own ({@code stage_kinds=Name:won,Other:lost} or a
 * mapping file) for custom stages.
 */
public final class StageKinds {

  private static final Map<String, String> SYSTEM = new HashMap<>();

  static {
    for (String won : new String[] {"успешно реализовано", "closed - won", "closed won", "closed: won", "won",
        "сделка успешна", "успешная сделка", "deal successful", "deal won", "выиграна", "выигрыш",
        "качественный лид", "good lead", "converted", "сконвертирован", "successfully realized",
        "successfully completed", "успешно завершена"}) {
      SYSTEM.put(won, "won");
    }
    for (String lost : new String[] {"закрыто и не реализовано", "closed - lost", "closed lost", "closed: lost",
        "lost", "сделка провалена", "анализ причины провала", "deal failed", "failure reason analysis",
        "deal lost", "проиграна", "проигрыш", "некачественный лид", "junk lead", "bad lead", "junk",
        "closed and not realized", "closed - not realized", "отказ"}) {
      SYSTEM.put(lost, "lost");
    }
  }

  private StageKinds() {
  }

  /** The kind of a system stage name, if it is one. */
  public static Optional<String> system(String stageName) {
    return Optional.ofNullable(SYSTEM.get(StableIds.normalize(stageName)));
  }

  /**
   * Parses {@code Name:won,Other Name:lost,...} (the last {@code :} separates the kind) into
   * normalised name to kind.
   */
  public static Map<String, String> parse(String property) {
    Map<String, String> m = new HashMap<>();
    if (property == null || property.isBlank()) {
      return m;
    }
    for (String part : property.split(",")) {
      int colon = part.lastIndexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("stage_kinds entry '" + part.strip()
            + "' must look like 'Stage name:won' (kinds: open, won, lost)");
      }
      m.put(StableIds.normalize(part.substring(0, colon)), kind(part.substring(colon + 1)));
    }
    return m;
  }

  /** Validates a kind word ({@code open}, {@code won}, {@code lost}). */
  public static String kind(String word) {
    String k = word.strip().toLowerCase(Locale.ROOT);
    if (!k.equals("open") && !k.equals("won") && !k.equals("lost")) {
      throw new IllegalArgumentException("stage kind '" + word.strip() + "' must be open, won or lost");
    }
    return k;
  }
}
