package io.crmkpi.files.exports;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Ids for things an export names but does not number (users, pipelines, stages, companies,
 * contacts): a prefix plus a hash of the normalised name, so the same name gets the same id in
 * every load and every file ({@code user-1f3a...}), whatever its case or spacing.
 */
public final class StableIds {

  private static final Pattern DASHES = Pattern.compile("[\u2010-\u2015\u2212]");
  private static final Pattern BLANKS = Pattern.compile("\\s+");
  /** Ids of names seen lately: an export repeats the same owners, stages and companies on every row. */
  private static final Map<String, String> IDS = new ConcurrentHashMap<>();
  private static final int MAX_IDS = 100_000;

  private StableIds() {
  }

  /** {@code <kind>-<12 hex>} for a name; null for an empty name. */
  public static String of(String kind, String name) {
    return cached(kind + "-", name);
  }

  /** A stage id, unique across pipelines: {@code <pipeline id>:<12 hex of the stage name>}. */
  public static String stage(String pipelineId, String stageName) {
    return cached(pipelineId + ":", stageName);
  }

  /** {@code prefix} + the hash of the normalised name, or null for an empty name; memoised. */
  private static String cached(String prefix, String name) {
    if (name == null) {
      return null;
    }
    String key = prefix + '\u0000' + name;
    String id = IDS.get(key);
    if (id == null) {
      String n = normalize(name);
      id = n.isEmpty() ? "" : prefix + hash(n);
      if (IDS.size() >= MAX_IDS) {
        IDS.clear(); // a file of mostly unique names: keep memory bounded
      }
      IDS.put(key, id);
    }
    return id.isEmpty() ? null : id;
  }

  /** Trimmed, NFC, lower-case, single spaces, ё as е, every dash as {@code -}. */
  public static String normalize(String s) {
    if (s == null) {
      return "";
    }
    if (plain(s)) {
      // the common case (ASCII or Cyrillic words, single inner spaces): same result as below
      return s.toLowerCase(Locale.ROOT).replace('ё', 'е');
    }
    return normalizeFully(s);
  }

  /** {@link #normalize} step by step, for any text. */
  static String normalizeFully(String s) {
    String n = Normalizer.normalize(s, Normalizer.Form.NFC).replace("\uFEFF", "").replace('\u00A0', ' ')
        .replace('\u202F', ' ');
    n = BLANKS.matcher(DASHES.matcher(n).replaceAll("-").strip()).replaceAll(" ").toLowerCase(Locale.ROOT);
    return n.replace('ё', 'е');
  }

  /**
   * Printable ASCII and Cyrillic letters (no combining marks: already NFC) with single inner spaces
   * and none at the ends: nothing to normalise but the case and ё.
   */
  static boolean plain(String s) {
    int n = s.length();
    if (n == 0 || s.charAt(0) == ' ' || s.charAt(n - 1) == ' ') {
      return false;
    }
    char prev = 'x';
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      boolean ascii = c >= ' ' && c <= '~';
      boolean cyrillic = (c >= '\u0400' && c <= '\u0482') || (c >= '\u048A' && c <= '\u04FF');
      if (!(ascii || cyrillic) || (c == ' ' && prev == ' ')) {
        return false;
      }
      prev = c;
    }
    return true;
  }

  static String hash(String normalized) {
    byte[] d = SHA256.get().digest(normalized.getBytes(StandardCharsets.UTF_8));
    return HEX.formatHex(d, 0, 6);
  }

  private static final HexFormat HEX = HexFormat.of();
  /** One digest per thread: looking the algorithm up costs more than hashing a name. */
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  });
}
