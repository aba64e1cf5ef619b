package io.crmkpi.settings;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The settings one connection may use (the driver's, the metrics', its source's), by key. Checks a
 * whole property map: an unknown key is refused with the nearest known key, a bad value with the
 * key and what is allowed. Unknown keys' values are never repeated: a mistyped {@code tokn=} is a secret too.
 */
public final class SettingsRegistry {

  private final Map<String, Setting<?>> byKey;

  private SettingsRegistry(Map<String, Setting<?>> byKey) {
    this.byKey = Collections.unmodifiableMap(byKey);
  }

  /**
   * A registry of these groups of declarations. A key declared twice must mean the same kind of
   * thing (two sources may both declare {@code client_id}); the first declaration is kept.
   */
  @SafeVarargs
  public static SettingsRegistry of(Collection<? extends Setting<?>>... groups) {
    Map<String, Setting<?>> all = new LinkedHashMap<>();
    for (Collection<? extends Setting<?>> g : groups) {
      for (Setting<?> s : g) {
        Setting<?> before = all.putIfAbsent(s.key(), s);
        if (before != null && before.role() != s.role()) {
          throw new IllegalStateException("setting " + s.key() + " is declared as " + before.role() + " and as "
              + s.role());
        }
      }
    }
    return new SettingsRegistry(all);
  }

  public Optional<Setting<?>> get(String key) {
    return Optional.ofNullable(byKey.get(key));
  }

  /** Every setting, in declaration order. */
  public Collection<Setting<?>> all() {
    return byKey.values();
  }

  /** The keys of the settings with this role. */
  public Set<String> keys(Role role) {
    Set<String> out = new TreeSet<>();
    byKey.values().stream().filter(s -> s.role() == role).forEach(s -> out.add(s.key()));
    return out;
  }

  /**
   * Refuses the first unknown key or bad value of {@code properties} (keys lower-case), naming the key.
   * {@code where} says what the settings are for ("jdbc:crmkpi:demo").
   */
  public void check(Map<String, String> properties, String where) {
    for (String key : new TreeSet<>(properties.keySet())) {
      Setting<?> s = byKey.get(key);
      if (s == null) {
        throw new SettingException(key, unknown(key, where));
      }
      s.find(properties);
    }
  }

  /** The message for an unknown key: the nearest known key, else the list of known keys. */
  public String unknown(String key, String where) {
    return "unknown setting '" + key + "' for " + where + nearest(key).map(k -> "; did you mean " + k + "?")
        .orElse("; known settings: " + String.join(", ", new TreeSet<>(byKey.keySet())));
  }

  /** The known key closest to a mistyped one, when one is close enough to be what was meant. */
  public Optional<String> nearest(String key) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : byKey.keySet()) {
      int d = distance(key, k);
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    int allowed = Math.max(1, Math.min(3, key.length() / 3));
    return bestDistance <= allowed ? Optional.of(best) : Optional.empty();
  }

  /**
   * Optimal string alignment distance (Levenshtein with adjacent transpositions): one edit per typo,
   * so {@code timezon}, {@code tiemzone} and {@code time_zone} are all one step from {@code timezone}.
   */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  /** The values of the secret settings set in {@code properties}, for a {@link SecretMask}. */
  public List<String> secretValues(Map<String, String> properties) {
    List<String> out = new ArrayList<>();
    properties.forEach((k, v) -> {
      Setting<?> s = byKey.get(k);
      if ((s == null || s.isSecret()) && v != null && !v.isBlank()) {
        out.add(v.strip());
      }
    });
    return out;
  }
}
