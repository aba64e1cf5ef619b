package io.crmkpi.amocrm;

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
 * {@code jdbc:crmkpi:amocrm:<subdomain>}: {@code mycompany} means {@code https://mycompany.amocrm.ru};
 * a target with a dot is a full host ({@code mycompany.kommo.com}); {@code base_url} overrides both.
 */
public final class AmoCrmSourceFactory implements SourceFactory {

  static final Setting<String> TOKEN = Setting.of("token", SettingType.secret("a long-lived access token"), Role.SECRET,
      null, "amoCRM long-lived access token (amoCRM > Settings > Integrations > your private integration > Keys)");
  static final Setting<String> CLIENT_ID = Setting.of("client_id", SettingType.text("the integration ID"), Role.DATA,
      null, "OAuth: the integration ID (instead of `token`)");
  static final Setting<String> CLIENT_SECRET = Setting.of("client_secret", SettingType.secret("the secret key"),
      Role.SECRET, null, "OAuth: the integration's secret key");
  static final Setting<String> REFRESH_TOKEN = Setting.of("refresh_token", SettingType.secret("a refresh token"),
      Role.SECRET, null, "OAuth: the first refresh token (later ones are kept in `token_store`)");
  static final Setting<String> REDIRECT_URI = Setting.of("redirect_uri", SettingType.text("the integration's redirect URI"),
      Role.PLACEMENT, null, "OAuth: the redirect URI registered with the integration");
  static final Setting<java.nio.file.Path> TOKEN_STORE = Setting.of("token_store", SettingType.path("a file path"),
      Role.PLACEMENT, null, "OAuth: file where the rotated token pair is kept between runs (0600)")
      .defaultDescribedAs("`~/.crmkpi/tokens/amocrm-<host>.json`");
  static final Setting<URI> BASE_URL = Setting.of("base_url", SettingType.httpUrl(), Role.DATA, null,
      "the account's address, instead of the URL target (proxies, tests)").defaultDescribedAs("`https://<target>.amocrm.ru`");
  static final Setting<Integer> PAGE_LIMIT = Setting.of("page_limit", SettingType.integer(1, 250), Role.PLACEMENT, 250,
      "rows per API page");
  static final Setting<Integer> SYNC_OVERLAP = Setting.of("sync_overlap", SettingType.integer(0, 86_400),
      Role.PLACEMENT, 300, "seconds an incremental sync re-reads before the last one (clock skew, late writes)");

  @Override
  public String kind() {
    return "amocrm";
  }

  @Override
  public java.util.List<Setting<?>> settings() {
    return java.util.List.of(TOKEN, CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, REDIRECT_URI, TOKEN_STORE, BASE_URL, PAGE_LIMIT,
        SYNC_OVERLAP);
  }

  @Override
  public Source create(String target, SourceContext context) throws SourceException {
    return new AmoCrmSync(baseUri(target, context), context, HttpClock.SYSTEM, ApiClient.Settings.defaults());
  }

  static URI baseUri(String target, SourceContext context) throws SourceException {
    String base = context.property("base_url").orElse(null);
    if (base == null) {
      if (target == null || target.isBlank()) {
        throw new SourceException("amoCRM: give the account, e.g. jdbc:crmkpi:amocrm:mycompany (the subdomain of "
            + "mycompany.amocrm.ru) or mycompany.kommo.com");
      }
      String t = target.trim();
      base = "https://" + (t.contains(".") ? t : t + ".amocrm.ru");
    }
    try {
      URI u = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
      if (u.getHost() == null || !("https".equals(u.getScheme()) || "http".equals(u.getScheme()))) {
        throw new IllegalArgumentException();
      }
      return u;
    } catch (IllegalArgumentException e) {
      throw new SourceException("amoCRM: '" + base + "' is not a valid address; use the account subdomain or "
          + "base_url=https://<subdomain>.amocrm.ru");
    }
  }
}
