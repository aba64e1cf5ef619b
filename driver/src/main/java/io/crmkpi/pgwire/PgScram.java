package io.crmkpi.pgwire;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * SCRAM-SHA-256 (RFC 5802/7677) as PostgreSQL runs it: the server holds a verifier
 * {@code SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>} (PostgreSQL's own
 * {@code pg_authid.rolpassword} format), never the password. One instance per authentication exchange.
 */
final class PgScram {

  static final String MECHANISM = "SCRAM-SHA-256";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int ITERATIONS = 4096;

  /** A parsed verifier. */
  record Verifier(int iterations, byte[] salt, byte[] storedKey, byte[] serverKey) {
    static Verifier parse(String text) {
      String[] parts = text.strip().split("[$:]");
      if (parts.length != 5 || !parts[0].equals(MECHANISM)) {
        throw new IllegalArgumentException("not a SCRAM-SHA-256 verifier (expected "
            + "SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>)");
      }
      Base64.Decoder d = Base64.getDecoder();
      return new Verifier(Integer.parseInt(parts[1]), d.decode(parts[2]), d.decode(parts[3]), d.decode(parts[4]));
    }
  }

  private final Verifier verifier;
  private String clientFirstBare;
  private String serverFirst;
  private String nonce;

  PgScram(Verifier verifier) {
    // an unknown user runs the same exchange against a random verifier, and fails at the proof
    this.verifier = verifier != null ? verifier : Verifier.parse(make(randomText(), ITERATIONS));
  }

  /** A verifier for a password (what {@code crmkpi serve --add-user} stores). */
  static String make(String password, int iterations) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    try {
      byte[] salted = pbkdf2(password, salt, iterations);
      byte[] clientKey = hmac(salted, "Client Key");
      byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
      byte[] serverKey = hmac(salted, "Server Key");
      Base64.Encoder e = Base64.getEncoder();
      return MECHANISM + "$" + iterations + ":" + e.encodeToString(salt) + "$" + e.encodeToString(storedKey) + ":"
          + e.encodeToString(serverKey);
    } catch (GeneralSecurityException ex) {
      throw new IllegalStateException(ex);
    }
  }

  static String make(String password) {
    return make(password, ITERATIONS);
  }

  /** The server-first message for a client-first message ({@code n,,n=,r=<nonce>}). */
  String serverFirst(String clientFirst) {
    if (!(clientFirst.startsWith("n,") || clientFirst.startsWith("y,"))) {
      throw new IllegalArgumentException("channel binding is not offered");
    }
    int bare = clientFirst.indexOf(',', clientFirst.indexOf(',') + 1) + 1;
    clientFirstBare = clientFirst.substring(bare);
    String clientNonce = attributes(clientFirstBare).get("r");
    if (clientNonce == null || clientNonce.isEmpty()) {
      throw new IllegalArgumentException("client nonce missing");
    }
    nonce = clientNonce + randomText();
    serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(verifier.salt()) + ",i="
        + verifier.iterations();
    return serverFirst;
  }

  /** Checks the client-final message; returns the server-final message, or null when the proof is wrong. */
  String serverFinal(String clientFinal) {
    int p = clientFinal.lastIndexOf(",p=");
    if (p < 0) {
      return null;
    }
    String withoutProof = clientFinal.substring(0, p);
    Map<String, String> a = attributes(clientFinal);
    if (!nonce.equals(a.get("r"))) {
      return null;
    }
    try {
      String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
      byte[] proof = Base64.getDecoder().decode(a.get("p"));
      byte[] signature = hmac(verifier.storedKey(), authMessage);
      if (proof.length != signature.length) {
        return null;
      }
      byte[] clientKey = new byte[proof.length];
      for (int i = 0; i < proof.length; i++) {
        clientKey[i] = (byte) (proof[i] ^ signature[i]);
      }
      byte[] stored = MessageDigest.getInstance("SHA-256").digest(clientKey);
      if (!MessageDigest.isEqual(stored, verifier.storedKey())) {
        return null;
      }
      return "v=" + Base64.getEncoder().encodeToString(hmac(verifier.serverKey(), authMessage));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return null;
    }
  }

  private static Map<String, String> attributes(String msg) {
    Map<String, String> m = new HashMap<>();
    for (String part : msg.split(",")) {
      if (part.length() >= 2 && part.charAt(1) == '=') {
        m.put(part.substring(0, 1), part.substring(2));
      }
    }
    return m;
  }

  private static String randomText() {
    byte[] b = new byte[18];
    RANDOM.nextBytes(b);
    return Base64.getEncoder().encodeToString(b);
  }

  private static byte[] pbkdf2(String password, byte[] salt, int iterations) throws GeneralSecurityException {
    PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
    return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
  }

  private static byte[] hmac(byte[] key, String data) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
  }
}
