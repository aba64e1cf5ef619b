package io.crmkpi.pgwire;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The users file of {@code crmkpi serve}: one {@code name:verifier} a line ({@code #} comments), the
 * verifier being PostgreSQL's SCRAM-SHA-256 format, so no password is ever stored.
 */
final class PgUsers {

  private final Map<String, PgScram.Verifier> users;

  private PgUsers(Map<String, PgScram.Verifier> users) {
    this.users = users;
  }

  static PgUsers load(Path file) throws IOException {
    Map<String, PgScram.Verifier> m = new HashMap<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      try {
        if (colon <= 0) {
          throw new IllegalArgumentException("expected <user>:<SCRAM-SHA-256 verifier>");
        }
        m.put(line.substring(0, colon).strip(), PgScram.Verifier.parse(line.substring(colon + 1)));
      } catch (IllegalArgumentException e) {
        // the line is not echoed: it may hold a secret pasted by mistake
        throw new IllegalArgumentException(file + ":" + (i + 1) + ": " + e.getMessage());
      }
    }
    return new PgUsers(m);
  }

  /** Adds or replaces a user's verifier in the file (created with owner-only permissions where possible). */
  static void add(Path file, String user, String password) throws IOException {
    if (user.isBlank() || user.contains(":") || user.contains("\n")) {
      throw new IllegalArgumentException("user name must be non-empty without ':' or newlines: " + user);
    }
    List<String> kept = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    StringBuilder b = new StringBuilder();
    for (String l : kept) {
      if (!l.strip().startsWith(user + ":")) {
        b.append(l).append('\n');
      }
    }
    b.append(user).append(':').append(PgScram.make(password)).append('\n');
    if (!Files.exists(file)) {
      Files.createFile(file);
      try {
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system
      }
    }
    Files.writeString(file, b, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
  }

  PgScram.Verifier verifier(String user) {
    return users.get(user);
  }

  boolean isEmpty() {
    return users.isEmpty();
  }
}
