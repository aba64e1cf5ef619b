package io.crmkpi.hubspot;

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

/**
 * {@code jdbc:crmkpi:hubspot;token=pat-...}: a private-app access token; no target (the token
 * names the portal). {@code base_url} overrides {@code https://api.hubapi.com} (tests, proxies).
 */
public final class HubSpotSourceFactory implements SourceFactory {

  static final Setting<String> TOKEN = Setting.of("token", SettingType.secret("a private app access token"),
      Role.SECRET, null, "private app access token (HubSpot > Settings > Integrations > Private apps)");
  static final Setting<URI> BASE_URL = Setting.of("base_url", SettingType.httpUrl(), Role.DATA,
      URI.create("https://api.hubapi.com"), "the API's address (proxies, tests)");
  static final Setting<Integer> RATE_LIMIT = Setting.of("rate_limit", SettingType.integer(1, 1000), Role.PLACEMENT, 100,
      "requests per 10 seconds (the private app's limit)");
  static final Setting<Integer> SEARCH_RATE = Setting.of("search_rate", SettingType.integer(1, 100), Role.PLACEMENT, 5,
      "search requests per second");
  static final Setting<Integer> SYNC_OVERLAP = Setting.of("sync_overlap", SettingType.integer(0, 86_400),
      Role.PLACEMENT, 300, "seconds an incremental sync re-reads before the last one (clock skew, late writes)");

  static final String DEFAULT_BASE = "https://api.hubapi.com";

  @Override
  public String kind() {
    return "hubspot";
  }

  @Override
  public java.util.List<Setting<?>> settings() {
    return java.util.List.of(TOKEN, BASE_URL, RATE_LIMIT, SEARCH_RATE, SYNC_OVERLAP);
  }

  @Override
  public Source create(String target, SourceContext context) throws SourceException {
    String token = context.property("token").orElseThrow(() -> new SourceException(
        "HubSpot: set token=<private app access token> (HubSpot > Settings > Integrations > Private apps; "
            + "see docs/sources/hubspot-api.md)"));
    return new HubSpotSync(baseUri(context), token.trim(), context, HttpClock.SYSTEM, ApiClient.Settings.defaults());
  }

  static URI baseUri(SourceContext context) throws SourceException {
    String base = context.property("base_url").orElse(DEFAULT_BASE).trim();
    try {
      URI u = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
      if (u.getHost() == null || !("https".equals(u.getScheme()) || "http".equals(u.getScheme()))) {
        throw new IllegalArgumentException();
      }
      return u;
    } catch (IllegalArgumentException e) {
      throw new SourceException("HubSpot: base_url '" + base + "' is not a valid http(s) address; leave it unset for "
          + DEFAULT_BASE);
    }
  }
}
