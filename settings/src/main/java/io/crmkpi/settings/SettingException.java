package io.crmkpi.settings;

/** A setting was refused: an unknown key or a value that does not parse. The message names the key. */
public final class SettingException extends IllegalArgumentException {

  private final String key;

  public SettingException(String key, String message) {
    super(message);
    this.key = key;
  }

  /** The key as the user wrote it (lower-case). */
  public String key() {
    return key;
  }
}
