package io.crmkpi.cache;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Authenticates what crmkpi reads back from a cache folder: a per-user secret ({@code mac.key},
 * 32 random bytes, mode 0600, in the cache folder) keys an HMAC-SHA256 over each file. Another user
 * who can write into a shared {@code cache=} folder cannot forge a file this user accepts; files and
 * folders not owned by this user, or writable by group or others, are not trusted at all. Every
 * refusal is logged as a warning, once per path, and means only that the entry is made again.
 */
public final class CacheKey {

  /** Length of the MAC that {@link #seal} puts before the payload. */
  public static final int MAC_LENGTH = 32;
  static final String FILE = "mac.key";
  private static final System.Logger LOG = System.getLogger("io.crmkpi.cache");
  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();
  private static final Set<PosixFilePermission> LOOSE = EnumSet.of(PosixFilePermission.GROUP_WRITE,
      PosixFilePermission.OTHERS_WRITE);

  private final SecretKeySpec key;

  private CacheKey(byte[] key) {
    this.key = new SecretKeySpec(key, "HmacSHA256");
  }

  /**
   * This user's key for the cache folder {@code base} (created with the folder when missing); empty,
   * with a warning, when the folder or the key file cannot be trusted or read.
   */
  public static Optional<CacheKey> of(Path base) {
    try {
      createPrivateDirectories(base);
      if (!trusted(base)) {
        return Optional.empty();
      }
      Path file = base.resolve(FILE);
      if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        create(file);
      }
      if (!trusted(file) || !privateFile(file)) {
        return Optional.empty();
      }
      byte[] k = Files.readAllBytes(file);
      if (k.length != 32) {
        warn(file, "is not a crmkpi cache key (" + k.length + " bytes); remove it to get a new one");
        return Optional.empty();
      }
      return Optional.of(new CacheKey(k));
    } catch (IOException | RuntimeException e) {
      warn(base, "cannot hold a cache key (" + e.getMessage() + "); nothing is cached there");
      return Optional.empty();
    }
  }

  private static void create(Path file) throws IOException {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    Path tmp = file.resolveSibling(FILE + "." + ProcessHandle.current().pid() + ".tmp");
    try {
      if (isPosix(file.getParent())) {
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } else {
        Files.createFile(tmp);
      }
      Files.write(tmp, k);
      // a link, not a move: a key another process created meanwhile wins and is used by both
      Files.createLink(file, tmp);
    } catch (FileAlreadyExistsException | UnsupportedOperationException e) {
      if (!Files.exists(file)) {
        Files.move(tmp, file);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The MAC of {@code payload} followed by the payload: what a cache file holds. */
  public byte[] seal(byte[] payload) {
    byte[] mac = mac(payload);
    byte[] out = Arrays.copyOf(mac, MAC_LENGTH + payload.length);
    System.arraycopy(payload, 0, out, MAC_LENGTH, payload.length);
    return out;
  }

  /** The payload of a sealed file, when its MAC is this key's; empty (with a warning naming {@code where}) otherwise. */
  public Optional<byte[]> open(byte[] sealed, Path where) {
    if (sealed.length >= MAC_LENGTH) {
      byte[] payload = Arrays.copyOfRange(sealed, MAC_LENGTH, sealed.length);
      if (MessageDigest.isEqual(mac(payload), Arrays.copyOf(sealed, MAC_LENGTH))) {
        return Optional.of(payload);
      }
    }
    warn(where, "was not written by this user's crmkpi (bad MAC); ignored and made again");
    return Optional.empty();
  }

  /**
   * Seals a whole file (e.g. a DuckDB database) by a MAC beside it, {@code <file>.mac}, written
   * under a temporary name and moved into place (mode 0600 where modes exist).
   */
  public void sealFile(Path file) throws IOException {
    Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".mac.tmp");
    try {
      Files.write(tmp, macOf(file));
      Files.move(tmp, macFile(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * True when {@code file} and its {@code .mac} are trusted (see {@link #trusted}) and the MAC is this
   * key's for the file's bytes; false, with a warning when something is wrong, otherwise.
   */
  public boolean verifyFile(Path file) {
    Path mac = macFile(file);
    if (!Files.exists(mac, LinkOption.NOFOLLOW_LINKS)) {
      warn(file, "has no MAC (" + mac.getFileName() + "); ignored and made again");
      return false;
    }
    try {
      if (trusted(file) && trusted(mac) && MessageDigest.isEqual(macOf(file), Files.readAllBytes(mac))) {
        return true;
      }
    } catch (IOException | RuntimeException e) {
      return false;
    }
    if (trusted(file) && trusted(mac)) {
      warn(file, "was not written by this user's crmkpi (bad MAC); ignored and made again");
    }
    return false;
  }

  private static Path macFile(Path file) {
    return file.resolveSibling(file.getFileName() + ".mac");
  }

  private byte[] macOf(Path file) throws IOException {
    try (java.io.InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(key);
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        m.update(buf, 0, n);
      }
      return m.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private byte[] mac(byte[] payload) {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(key);
      return m.doFinal(payload);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * True when {@code path} (a file or folder, not followed if a link) is owned by this user and
   * neither group- nor other-writable; false with a warning otherwise. File systems without POSIX
   * attributes only get the owner check.
   */
  public static boolean trusted(Path path) {
    try {
      if (Files.isSymbolicLink(path)) {
        warn(path, "is a symbolic link; not trusted as a cache entry");
        return false;
      }
      UserPrincipal owner = Files.getOwner(path, LinkOption.NOFOLLOW_LINKS);
      UserPrincipal me = path.getFileSystem().getUserPrincipalLookupService()
          .lookupPrincipalByName(System.getProperty("user.name"));
      if (!owner.equals(me)) {
        warn(path, "belongs to " + owner.getName() + ", not to " + me.getName() + "; ignored");
        return false;
      }
      if (isPosix(path)) {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
        if (perms.stream().anyMatch(LOOSE::contains)) {
          warn(path, "is writable by other users (" + PosixFilePermissions.toString(perms) + "); ignored");
          return false;
        }
      }
      return true;
    } catch (IOException | UnsupportedOperationException e) {
      warn(path, "cannot be checked (" + e.getMessage() + "); ignored");
      return false;
    }
  }

  /** The key must be readable by this user alone: a key others can read lets them forge entries. */
  private static boolean privateFile(Path file) throws IOException {
    if (isPosix(file)) {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
      if (!PosixFilePermissions.fromString("rw-------").containsAll(perms)) {
        warn(file, "is readable by other users (" + PosixFilePermissions.toString(perms) + "); remove it to get a "
            + "new key; nothing is cached meanwhile");
        return false;
      }
    }
    return true;
  }

  /** Creates a folder (and missing parents) with mode 0700 where the file system has POSIX modes. */
  public static void createPrivateDirectories(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    Path parent = dir.toAbsolutePath().getParent();
    if (parent != null && isPosix(parent.getRoot())) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } else {
      Files.createDirectories(dir);
    }
  }

  private static boolean isPosix(Path p) {
    return p != null && p.getFileSystem().supportedFileAttributeViews().contains("posix")
        && Files.getFileAttributeView(p, PosixFileAttributeView.class) != null;
  }

  static void warn(Path path, String what) {
    if (WARNED.add(path + what)) {
      LOG.log(Level.WARNING, "crmkpi cache: " + path + " " + what);
    }
  }
}
