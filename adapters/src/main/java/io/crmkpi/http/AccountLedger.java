package io.crmkpi.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The rate state of one CRM account shared by every process on this machine: a small file, read
 * and rewritten under an exclusive file lock, so that two syncs of one account (a BI tool and a CLI
 * run) together stay under the CRM's limit instead of each using all of it. Times are wall-clock
 * milliseconds, the one clock processes share. Either a sliding window (one line per held slot:
 * {@code <id> <sentMs> <answeredMs>}, 0 while in flight) or a token bucket ({@code bucket <level>
 * <atMs>}, the leaky-bucket level the CRM keeps). A slot of a process that died in flight is freed
 * after {@link #STALE_MS}. If the file cannot be used, {@link RateLimiter} goes on alone.
 */
final class AccountLedger {

  /** A request still "in flight" after this long belonged to a process that died. */
  static final long STALE_MS = 180_000;

  /** Milliseconds a slot is held beyond its window: wall-clock milliseconds are truncated. */
  static final long MARGIN_MS = 2;

  /** Java file locks are per process: threads of this one take turns on a monitor per file first. */
  private static final Map<Path, Object> MONITORS = new ConcurrentHashMap<>();

  private final Path file;

  AccountLedger(Path file) {
    this.file = file;
  }

  /** The ledger of account {@code key} in {@code folder} (file name: a hash of the key, never the key). */
  static Optional<AccountLedger> in(Path folder, String key) {
    try {
      Files.createDirectories(folder);
      byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return Optional.of(new AccountLedger(folder.resolve(HexFormat.of().formatHex(h, 0, 12) + ".rate")));
    } catch (IOException | NoSuchAlgorithmException | RuntimeException e) {
      return Optional.empty();
    }
  }

  Path file() {
    return file;
  }

  /**
   * Sliding window: takes a slot if fewer than {@code max} are held (in flight, or answered less
   * than {@code windowMs} ago). Returns the slot's id (&gt; 0), or minus the milliseconds to wait.
   */
  long tryAcquire(int max, long windowMs) throws IOException {
    return update(lines -> {
      long now = System.currentTimeMillis();
      lines.removeIf(l -> expired(l, now, windowMs));
      if (lines.size() < max) {
        long id = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        lines.add(id + " " + now + " 0");
        return id;
      }
      long wait = Long.MAX_VALUE;
      for (String l : lines) {
        long answered = Long.parseLong(l.split(" ")[2]);
        if (answered > 0) {
          wait = Math.min(wait, answered + windowMs + MARGIN_MS - now + 1);
        }
      }
      return -Math.max(1, wait == Long.MAX_VALUE ? 5 : wait);
    });
  }

  /** The request of slot {@code id} was answered now: its slot frees {@code windowMs} later. */
  void completed(long id) throws IOException {
    update(lines -> {
      long now = System.currentTimeMillis();
      for (int i = 0; i < lines.size(); i++) {
        String[] f = lines.get(i).split(" ");
        if (f[0].equals(Long.toString(id))) {
          lines.set(i, f[0] + " " + f[1] + " " + now);
        }
      }
      return 0L;
    });
  }

  /** The CRM rejected a request anyway: every free slot is held for a whole window from now. */
  void fill(int max) throws IOException {
    update(lines -> {
      long now = System.currentTimeMillis();
      while (lines.size() < max) {
        lines.add(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE) + " " + now + " " + now);
      }
      return 0L;
    });
  }

  /**
   * Token bucket as the CRM's leaky bucket: the level drains {@code perSecond}; a request may go
   * while level + 1 &lt;= {@code burst}. Returns 0 when it may (the level counts it), else minus
   * the milliseconds to wait.
   */
  long tryTake(double perSecond, double burst) throws IOException {
    return update(lines -> {
      long now = System.currentTimeMillis();
      double level = 0;
      if (!lines.isEmpty() && lines.get(0).startsWith("bucket ")) {
        String[] f = lines.get(0).split(" ");
        level = Math.max(0, Double.parseDouble(f[1]) - (now - Long.parseLong(f[2])) * perSecond / 1000);
      }
      lines.clear();
      if (level + 1 <= burst) {
        lines.add("bucket " + (level + 1) + " " + now);
        return 0L;
      }
      lines.add("bucket " + level + " " + now);
      return -Math.max(1, (long) Math.ceil((level + 1 - burst) / perSecond * 1000));
    });
  }

  /** The CRM said the bucket is full: it is, from now. */
  void fillBucket(double burst) throws IOException {
    update(lines -> {
      lines.clear();
      lines.add("bucket " + burst + " " + System.currentTimeMillis());
      return 0L;
    });
  }

  private static boolean expired(String line, long now, long windowMs) {
    String[] f = line.split(" ");
    if (f.length != 3) {
      return true;
    }
    long sent = Long.parseLong(f[1]);
    long answered = Long.parseLong(f[2]);
    return answered > 0 ? answered + windowMs + MARGIN_MS <= now : sent <= now - STALE_MS;
  }

  private interface Change {
    long apply(List<String> lines);
  }

  private long update(Change change) throws IOException {
    synchronized (MONITORS.computeIfAbsent(file, f -> new Object())) {
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE); FileLock lock = ch.lock()) {
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(ch.size(), 1 << 20));
        while (buf.hasRemaining() && ch.read(buf) > 0) {
          // read it all
        }
        List<String> lines = new ArrayList<>();
        for (String l : new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).split("\n")) {
          if (!l.isBlank()) {
            lines.add(l.trim());
          }
        }
        long result;
        try {
          result = change.apply(lines);
        } catch (RuntimeException e) { // a damaged file: start afresh
          lines.clear();
          result = change.apply(lines);
        }
        byte[] out = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        ch.truncate(0);
        ch.write(ByteBuffer.wrap(out), 0);
        return result;
      }
    }
  }
}
