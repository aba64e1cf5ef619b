package io.crmkpi.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * An OAuth token pair saved between runs ({@code {"access_token", "refresh_token", "expires_at"}}).
 * CRMs that rotate the refresh token on every refresh invalidate the old one, so callers write the
 * new pair here BEFORE using it, and the write is a temp file + atomic move: a crash leaves either
 * the old file or the new one, never a torn one.
 */
public final class TokenFile {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A saved pair; {@code access} or {@code refresh} may be null, {@code expiresAtEpochS} 0 when unknown. */
  public record Tokens(String access, String refresh, long expiresAtEpochS) {
    @Override
    public String toString() {
      return "Tokens[expires_at=" + expiresAtEpochS + "]"; // never the tokens themselves
    }
  }

  private TokenFile() {
  }

  /** The saved pair, or empty if {@code file} does not exist. */
  public static Optional<Tokens> read(Path file) throws IOException {
    if (file == null || !Files.exists(file)) {
      return Optional.empty();
    }
    JsonNode saved = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
    if (saved == null || !saved.isObject()) {
      throw new IOException("not a JSON object");
    }
    return Optional.of(new Tokens(saved.path("access_token").asText(null), saved.path("refresh_token").asText(null),
        saved.path("expires_at").asLong(0)));
  }

  /** Replaces {@code file} atomically with {@code tokens} (creating its folder). */
  public static void write(Path file, Tokens tokens) throws IOException {
    ObjectNode o = JSON.createObjectNode();
    o.put("access_token", tokens.access());
    o.put("refresh_token", tokens.refresh());
    o.put("expires_at", tokens.expiresAtEpochS());
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
    try {
      Files.writeString(tmp, o.toString(), StandardCharsets.UTF_8);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
