package io.crmkpi.bitrix24;

import io.crmkpi.http.ApiClient;
import io.crmkpi.http.HttpClock;
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

  @Override
  public String kind() {
    return "bitrix24";
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
