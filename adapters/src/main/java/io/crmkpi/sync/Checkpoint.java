package io.crmkpi.sync;

/**
 * Where an entity's sync stands: {@code highWaterMark} (e.g. max updated_at seen, source-native),
 * the resume {@code cursor} of a run that did not finish (null when the last run finished), and the
 * last status.
 */
public record Checkpoint(String highWaterMark, String cursor, String status) {

  public static final Checkpoint NONE = new Checkpoint(null, null, null);
}
