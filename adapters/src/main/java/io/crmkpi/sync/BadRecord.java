package io.crmkpi.sync;

/** A source record that cannot be mapped; it goes to {@code crm.load_rejects} with this reason. */
public final class BadRecord extends Exception {

  public BadRecord(String reason) {
    super(reason);
  }
}
