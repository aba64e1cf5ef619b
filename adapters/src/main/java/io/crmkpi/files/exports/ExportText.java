package io.crmkpi.files.exports;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decodes export bytes whose encoding nobody declares: a BOM wins (UTF-8, UTF-16 LE/BE), then an
 * HTML {@code <meta charset>}, then strict UTF-8, then windows-1251 (old Russian-locale CSVs).
 */
public final class ExportText {

  /** Windows-1251, the legacy Russian encoding of amoCRM/Bitrix24 CSVs. */
  public static final Charset CP1251 = Charset.forName("windows-1251");

  /** Windows-1252 (a superset of ISO-8859-1), the Western legacy encoding (Salesforce "ISO-8859-1" exports). */
  public static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

  private static final Pattern META_CHARSET =
      Pattern.compile("<meta[^>]*charset\\s*=\\s*[\"']?([A-Za-z0-9_\\-]+)", Pattern.CASE_INSENSITIVE);

  /** Decoded text and the charset it was read with. */
  public record Decoded(String text, Charset charset, boolean bom) {
  }

  private ExportText() {
  }

  /** Decodes a whole file. */
  public static Decoded decode(byte[] bytes) {
    return decode(bytes, false);
  }

  /**
   * Decodes {@code bytes}; {@code truncated} says the bytes are only the head of a file, so a
   * multi-byte character cut at the end must not count against UTF-8.
   */
  public static Decoded decode(byte[] bytes, boolean truncated) {
    if (startsWith(bytes, 0xEF, 0xBB, 0xBF)) {
      return new Decoded(new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8), StandardCharsets.UTF_8, true);
    }
    if (startsWith(bytes, 0xFF, 0xFE)) {
      return new Decoded(new String(bytes, 2, even(bytes.length - 2), StandardCharsets.UTF_16LE),
          StandardCharsets.UTF_16LE, true);
    }
    if (startsWith(bytes, 0xFE, 0xFF)) {
      return new Decoded(new String(bytes, 2, even(bytes.length - 2), StandardCharsets.UTF_16BE),
          StandardCharsets.UTF_16BE, true);
    }
    Optional<Charset> declared = htmlCharset(bytes);
    if (declared.isPresent()) {
      return new Decoded(new String(bytes, declared.get()), declared.get(), false);
    }
    if (looksUtf16Le(bytes)) {
      return new Decoded(new String(bytes, 0, even(bytes.length), StandardCharsets.UTF_16LE),
          StandardCharsets.UTF_16LE, false);
    }
    Optional<String> utf8 = strictUtf8(bytes, truncated);
    if (utf8.isPresent()) {
      return new Decoded(utf8.get(), StandardCharsets.UTF_8, false);
    }
    Charset legacy = westernSingleByte(bytes) ? WINDOWS_1252 : CP1251;
    return new Decoded(new String(bytes, legacy), legacy, false);
  }

  /** Decodes with a charset the user named (mapping file {@code encoding:}), dropping a BOM. */
  public static Decoded decode(byte[] bytes, Charset charset) {
    String s = new String(bytes, charset);
    boolean bom = !s.isEmpty() && s.charAt(0) == '\uFEFF';
    return new Decoded(bom ? s.substring(1) : s, charset, bom);
  }

  private static Optional<String> strictUtf8(byte[] bytes, boolean truncated) {
    int len = bytes.length;
    if (truncated) {
      // drop an incomplete trailing sequence (at most 3 bytes)
      int i = len - 1;
      int back = 0;
      while (i >= 0 && back < 3 && (bytes[i] & 0xC0) == 0x80) {
        i--;
        back++;
      }
      if (i >= 0 && (bytes[i] & 0xC0) == 0xC0) {
        len = i;
      }
    }
    CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      return Optional.of(d.decode(ByteBuffer.wrap(bytes, 0, len)).toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  private static Optional<Charset> htmlCharset(byte[] bytes) {
    String head = new String(bytes, 0, Math.min(bytes.length, 4096), StandardCharsets.ISO_8859_1);
    if (!head.stripLeading().startsWith("<")) {
      return Optional.empty();
    }
    Matcher m = META_CHARSET.matcher(head);
    if (m.find()) {
      try {
        return Optional.of(Charset.forName(m.group(1).toLowerCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** UTF-16 LE without a BOM: ASCII text with every second byte zero. */
  private static boolean looksUtf16Le(byte[] b) {
    int n = Math.min(b.length, 200) & ~1;
    if (n < 4) {
      return false;
    }
    int zeros = 0;
    for (int i = 1; i < n; i += 2) {
      if (b[i] == 0) {
        zeros++;
      }
    }
    return zeros * 10 >= (n / 2) * 9;
  }

  /**
   * Tells Western single-byte text from windows-1251: Russian words are runs of high bytes, while
   * accented Latin letters stand alone between ASCII letters ("Soci\u00e9t\u00e9").
   */
  static boolean westernSingleByte(byte[] b) {
    int isolated = 0;
    int inRuns = 0;
    for (int i = 0; i < b.length; i++) {
      if ((b[i] & 0x80) == 0) {
        continue;
      }
      boolean prevHigh = i > 0 && (b[i - 1] & 0x80) != 0;
      boolean nextHigh = i + 1 < b.length && (b[i + 1] & 0x80) != 0;
      if (prevHigh || nextHigh) {
        inRuns++;
      } else {
        isolated++;
      }
    }
    return isolated > inRuns;
  }

  private static int even(int n) {
    return n & ~1;
  }

  private static boolean startsWith(byte[] b, int... prefix) {
    if (b.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if ((b[i] & 0xFF) != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
