package io.crmkpi.lake;

/** An export that cannot go on, with a one-line message naming the place (path, table, partition). */
public final class LakeException extends Exception {

  public LakeException(String message) {
    super(message);
  }

  public LakeException(String message, Throwable cause) {
    super(message, cause);
  }
}
