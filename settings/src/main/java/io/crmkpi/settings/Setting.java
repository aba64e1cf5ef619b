package io.crmkpi.settings;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One connection setting, declared once by the code that owns it: key, type, default, description
 * and role. Reading it from the connection properties parses it with its type; a bad value is
 * refused naming the key and what is allowed (a secret's value is never repeated).
 *
 * @param <T> the parsed value
 */
public final class Setting<T> {

  private final String key;
  private final SettingType<T> type;
  private final Role role;
  private final T defaultValue;
  private final String defaultText;
  private final String description;

  private Setting(String key, SettingType<T> type, Role role, T defaultValue, String defaultText,
      String description) {
    if (!key.matches("[a-z][a-z0-9_]*")) {
      throw new IllegalArgumentException("setting keys are lower_snake_case: " + key);
    }
    this.key = key;
    this.type = Objects.requireNonNull(type);
    this.role = Objects.requireNonNull(role);
    this.defaultValue = defaultValue;
    this.defaultText = defaultText;
    this.description = Objects.requireNonNull(description);
  }

  /** A setting whose default is {@code defaultValue} (null: unset). */
  public static <T> Setting<T> of(String key, SettingType<T> type, Role role, T defaultValue, String description) {
    return new Setting<>(key, type, role, defaultValue, defaultValue == null ? "unset" : type.format(defaultValue),
        description);
  }

  /** The same setting with a default that depends on the situation, described in words for docs. */
  public Setting<T> defaultDescribedAs(String text) {
    return new Setting<>(key, type, role, defaultValue, text, description);
  }

  public String key() {
    return key;
  }

  public SettingType<T> type() {
    return type;
  }

  public Role role() {
    return role;
  }

  public boolean isSecret() {
    return role == Role.SECRET;
  }

  /** The fixed default, or null when unset or decided elsewhere (see {@link #defaultText()}). */
  public T defaultValue() {
    return defaultValue;
  }

  /** The default as docs show it ("15m", "unset", "the CRM account's zone, else UTC"). */
  public String defaultText() {
    return defaultText;
  }

  public String description() {
    return description;
  }

  /** Parses one value of this setting; blank is not a value. */
  public T parse(String raw) {
    String text = raw == null ? "" : raw.strip();
    try {
      if (!text.isEmpty()) {
        return type.parse(text);
      }
    } catch (RuntimeException e) {
      // refused below with the one message of this type
    }
    throw new SettingException(key, key + ": expected " + type.expected()
        + (isSecret() ? "" : ", got '" + SecretMask.URL_CREDENTIALS_ONLY.apply(raw) + "'"));
  }

  /** The value set in {@code properties} (keys lower-case; blank counts as unset), parsed. */
  public Optional<T> find(Map<String, String> properties) {
    String raw = properties.get(key);
    return raw == null || raw.isBlank() ? Optional.empty() : Optional.of(parse(raw));
  }

  /** The value set in {@code properties}, else the default (may be null). */
  public T get(Map<String, String> properties) {
    return find(properties).orElse(defaultValue);
  }

  @Override
  public String toString() {
    return key;
  }
}
