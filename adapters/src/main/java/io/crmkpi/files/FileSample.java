package io.crmkpi.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/** The first bytes of a file, for {@link FileFormat#detect}. */
public record FileSample(Path path, byte[] head) {

  /** How many bytes are sampled. */
  public static final int SIZE = 64 * 1024;

  public static FileSample of(Path path) throws IOException {
    try (InputStream in = Files.newInputStream(path)) {
      return new FileSample(path, in.readNBytes(SIZE));
    }
  }

  /** File name, lower-case. */
  public String fileName() {
    return path.getFileName().toString().toLowerCase(Locale.ROOT);
  }

  /** Name without its extension, lower-case ({@code deals} for {@code Deals.csv}). */
  public String baseName() {
    String n = fileName();
    int dot = n.lastIndexOf('.');
    return dot < 0 ? n : n.substring(0, dot);
  }

  public String extension() {
    String n = fileName();
    int dot = n.lastIndexOf('.');
    return dot < 0 ? "" : n.substring(dot + 1);
  }

  public byte[] head() {
    return Arrays.copyOf(head, head.length);
  }
}
