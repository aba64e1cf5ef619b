package io.crmkpi.hubspot;

import io.crmkpi.http.ApiClient;
import io.crmkpi.http.HttpClock;
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

  static final String DEFAULT_BASE = "https://api.hubapi.com";

  @Override
  public String kind() {
    return "hubspot";
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
