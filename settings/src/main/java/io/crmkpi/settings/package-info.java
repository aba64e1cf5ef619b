/**
 * Connection settings declared once, next to the code that owns them: each {@link io.crmkpi.settings.Setting}
 * has a key, a {@link io.crmkpi.settings.SettingType} (the one parser for its kind of value), a default,
 * a description and a {@link io.crmkpi.settings.Role}. A {@link io.crmkpi.settings.SettingsRegistry}
 * gathers the settings a connection may use: it refuses unknown keys with the nearest known one, and
 * everything else (property info for BI tools, the store identity, secret masking by
 * {@link io.crmkpi.settings.SecretMask}, the generated docs) is derived from it.
 */
package io.crmkpi.settings;
