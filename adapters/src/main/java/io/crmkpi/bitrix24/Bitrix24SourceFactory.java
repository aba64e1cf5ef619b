package io.crmkpi.bitrix24;

import io.crmkpi.http.ApiClient;
import io.crmkpi.http.HttpClock;
import io.crmkpi.settings.Role;
import io.crmkpi.settings.Setting;
import io.crmkpi.settings.SettingType;
import io.crmkpi.source.Source;
import io.crmkpi.source.SourceContext;
import io.crmkpi.source.SourceException;
import io.crmkpi.source.SourceFactory;
import java.net.URI;
import java.nio.file.Path;

/**
 * {@code jdbc:crmkpi:bitrix24:<portal>;webhook=https://<portal>/rest/<user>/<code>/}: the webhook is
 * the full inbound-webhook URL (any scheme, host and port); the target is informative only. Or
 * OAuth of a local app: {@code client_id}, {@code client_secret}, {@code refresh_token} and/or
 * {@code access_token}, {@code token_file} (where the rotated pair is kept between runs),
 * {@code oauth_url} (default {@code https://oauth.bitrix.info/oauth/token/}) and {@code rest_url}
 * (default {@code https://<portal>/rest/}).
 */
public final class Bitrix24SourceFactory implements SourceFactory {

  static final Setting<String> WEBHOOK = Setting.of("webhook", SettingType.secret("an inbound webhook URL"),
      Role.SECRET, null, "inbound webhook URL `https://<portal>/rest/<user id>/<code>/` (its code is a password)");
  static final Setting<String> CLIENT_ID = Setting.of("client_id", SettingType.text("the Application ID"), Role.DATA,
      null, "OAuth of a local app: its Application ID (instead of `webhook`)");
  static final Setting<String> CLIENT_SECRET = Setting.of("client_secret", SettingType.secret("the Application key"),
      Role.SECRET, null, "OAuth: the local app's Application key");
  static final Setting<String> REFRESH_TOKEN = Setting.of("refresh_token", SettingType.secret("a refresh token"),
      Role.SECRET, null, "OAuth: a refresh token (rotated ones are kept in `token_file`)");
  static final Setting<String> ACCESS_TOKEN = Setting.of("access_token", SettingType.secret("an access token"),
      Role.SECRET, null, "OAuth: an access token (valid one hour; without refreshing)");
  static final Setting<Path> TOKEN_FILE = Setting.of("token_file", SettingType.path("a file path"), Role.PLACEMENT,
      null, "OAuth: file where the rotated token pair is kept between runs (0600)");
  static final Setting<URI> OAUTH_URL = Setting.of("oauth_url", SettingType.httpUrl(), Role.PLACEMENT,
      Bitrix24Auth.DEFAULT_OAUTH, "OAuth: the token endpoint");
  static final Setting<URI> REST_URL = Setting.of("rest_url", SettingType.httpUrl(), Role.DATA, null,
      "OAuth: the portal's REST address").defaultDescribedAs("`https://<portal>/rest/`");
  static final Setting<Integer> SYNC_OVERLAP = Setting.of("sync_overlap", SettingType.integer(0, 86_400),
      Role.PLACEMENT, 300, "seconds an incremental sync re-reads before the last one (clock skew, late writes)");
  static final Setting<String> DELETIONS = Setting.of("deletions", SettingType.choice("auto", "scan", "off"),
      Role.DATA, "auto", "how deleted records are found: the event log when the portal has one (`auto`), a full id "
          + "scan (`scan`), or not at all (`off`)");

  @Override
  public String kind() {
    return "bitrix24";
  }

  @Override
  public java.util.List<Setting<?>> settings() {
    return java.util.List.of(WEBHOOK, CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, ACCESS_TOKEN, TOKEN_FILE, OAUTH_URL, REST_URL,
        SYNC_OVERLAP, DELETIONS);
  }

  @Override
  public Source create(String target, SourceContext context) throws SourceException {
    return create(target, context, HttpClock.SYSTEM, ApiClient.Settings.defaults());
  }

  static Bitrix24Sync create(String target, SourceContext context, HttpClock clock, ApiClient.Settings settings)
      throws SourceException {
    if (context.property("webhook").isPresent()) {
      return new Bitrix24Sync(webhook(context), context, clock, settings);
    }
    if (OAUTH.stream().noneMatch(k -> context.property(k).isPresent())) {
      throw new SourceException("Bitrix24: set webhook=<inbound webhook URL>, e.g. https://portal.bitrix24.ru/rest/1/<code>/, "
          + "or OAuth properties client_id, client_secret, refresh_token, token_file (see docs/sources/bitrix24-api.md)");
    }
    String clientId = blankToNull(context.property("client_id").orElse(null));
    String secret = blankToNull(context.property("client_secret").orElse(null));
    String access = blankToNull(context.property("access_token").orElse(null));
    String refresh = blankToNull(context.property("refresh_token").orElse(null));
    Path file = context.property("token_file").map(String::trim).filter(v -> !v.isEmpty()).map(Path::of).orElse(null);
    boolean saved = file != null && java.nio.file.Files.exists(file);
    if (access == null && refresh == null && !saved) {
      throw new SourceException("Bitrix24 OAuth: set refresh_token= (with client_id and client_secret) or access_token=; "
          + "see docs/sources/bitrix24-api.md for authorising a local app");
    }
    if ((refresh != null || saved) && (clientId == null || secret == null)) {
      throw new SourceException("Bitrix24 OAuth: refreshing needs client_id= and client_secret= (the local app's "
          + "Application ID and Application key)");
    }
    URI oauthUrl = url(context, "oauth_url", Bitrix24Auth.DEFAULT_OAUTH.toString());
    String portal = target == null ? "" : target.trim().replaceAll("^https?://", "").replaceAll("/.*$", "");
    if (portal.isEmpty() && context.property("rest_url").isEmpty()) {
      throw new SourceException("Bitrix24 OAuth: name the portal, jdbc:crmkpi:bitrix24:<portal>.bitrix24.ru, or set rest_url=");
    }
    URI rest = url(context, "rest_url", "https://" + portal + "/rest/");
    return new Bitrix24Sync(rest, new Bitrix24Auth.Settings(clientId, secret, access, refresh, file, oauthUrl), context,
        clock, settings);
  }

  private static final java.util.List<String> OAUTH =
      java.util.List.of("client_id", "client_secret", "refresh_token", "access_token", "token_file");

  private static String blankToNull(String v) {
    return v == null || v.isBlank() ? null : v.trim();
  }

  private static URI url(SourceContext context, String key, String fallback) throws SourceException {
    String v = context.property(key).map(String::trim).orElse(fallback);
    if (key.equals("rest_url") && !v.endsWith("/")) {
      v = v + "/";
    }
    try {
      URI u = URI.create(v);
      if (u.getHost() == null || u.getScheme() == null) {
        throw new IllegalArgumentException();
      }
      return u;
    } catch (IllegalArgumentException e) {
      throw new SourceException("Bitrix24 OAuth: " + key + "=" + v + " is not an http(s) URL");
    }
  }

  static URI webhook(SourceContext context) throws SourceException {
    String w = context.property("webhook").orElseThrow(() -> new SourceException(
        "Bitrix24: set webhook=<inbound webhook URL>, e.g. https://portal.bitrix24.ru/rest/1/<code>/ "
            + "(see docs/sources/bitrix24-api.md)"));
    String s = w.trim();
    s = s.replaceAll("/(profile|[a-z]+\\.[a-z.]+)(\\.json)?/?$", "/"); // a pasted example method URL
    if (!s.endsWith("/")) {
      s = s + "/";
    }
    try {
      URI u = URI.create(s);
      String[] parts = u.getPath().split("/");
      if (u.getHost() == null || parts.length < 4 || !"rest".equals(parts[parts.length - 3])) {
        throw new IllegalArgumentException();
      }
      return u;
    } catch (IllegalArgumentException e) {
      // never echo the value: it is the password
      throw new SourceException("Bitrix24: webhook= is not an inbound webhook URL of the form "
          + "https://<portal>/rest/<user id>/<code>/");
    }
  }
}
