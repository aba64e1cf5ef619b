package io.crmkpi.cache;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Identifies the code that decides a cached result: a hash of every class file of some packages
 * (from their jar or build folder) and of some other class-path resources. A cache keyed by it never
 * serves what another build made.
 */
public final class CodeFingerprint {

  private CodeFingerprint() {
  }

  /**
   * The SHA-256 (hex) of the class files of each anchor's package (not its sub-packages) and of the
   * {@code resources}; null when any of them cannot be read (then nothing should be cached).
   */
  public static String of(List<Class<?>> packageAnchors, List<String> resources) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (Class<?> anchor : packageAnchors) {
        hashPackage(md, anchor);
      }
      for (String r : resources) {
        try (InputStream in = CodeFingerprint.class.getClassLoader().getResourceAsStream(r)) {
          if (in == null) {
            return null;
          }
          md.update(in.readAllBytes());
        }
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException | NoSuchAlgorithmException | URISyntaxException | RuntimeException e) {
      return null;
    }
  }

  private static void hashPackage(MessageDigest md, Class<?> anchor) throws IOException, URISyntaxException {
    String prefix = anchor.getPackageName().replace('.', '/') + "/";
    Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    if (Files.isDirectory(location)) {
      try (Stream<Path> files = Files.list(location.resolve(prefix))) {
        for (Path f : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
          md.update(f.getFileName().toString().getBytes(StandardCharsets.UTF_8));
          md.update(Files.readAllBytes(f));
        }
      }
      return;
    }
    try (JarFile jar = new JarFile(location.toFile())) {
      List<JarEntry> entries = jar.stream()
          .filter(e -> e.getName().startsWith(prefix) && e.getName().endsWith(".class")
              && e.getName().indexOf('/', prefix.length()) < 0)
          .sorted(Comparator.comparing(JarEntry::getName))
          .toList();
      for (JarEntry e : entries) {
        md.update(e.getName().substring(prefix.length()).getBytes(StandardCharsets.UTF_8));
        try (InputStream in = jar.getInputStream(e)) {
          md.update(in.readAllBytes());
        }
      }
    }
  }
}
