package io.crmkpi.files.exports;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Ids for things an export names but does not number (users, pipelines, stages, companies,
 * contacts): a prefix plus a hash of the normalised name, so the same name gets the same id in
 * every load and every file ({@code user-1f3a...}), whatever its case or spacing.
 */
public final class StableIds {

  private StableIds() {
  }

  /** {@code <kind>-<12 hex>} for a name; null for an empty name. */
  public static String of(String kind, String name) {
    String n = normalize(name);
    return n.isEmpty() ? null : kind + "-" + hash(n);
  }

  /** A stage id, unique across pipelines: {@code <pipeline id>:<12 hex of the stage name>}. */
  public static String stage(String pipelineId, String stageName) {
    String n = normalize(stageName);
    return n.isEmpty() ? null : pipelineId + ":" + hash(n);
  }

  /** Trimmed, NFC, lower-case, single spaces, ё as е, every dash as {@code -}. */
  public static String normalize(String s) {
    if (s == null) {
      return "";
    }
    String n = Normalizer.normalize(s, Normalizer.Form.NFC).replace("\uFEFF", "").replace('\u00A0', ' ')
        .replace('\u202F', ' ').replaceAll("[\u2010-\u2015\u2212]", "-").strip().replaceAll("\\s+", " ")
        .toLowerCase(Locale.ROOT);
    return n.replace('ё', 'е');
  }

  static String hash(String normalized) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(normalized.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
