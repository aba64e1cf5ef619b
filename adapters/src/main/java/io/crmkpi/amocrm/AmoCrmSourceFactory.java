package io.crmkpi.amocrm;

import io.crmkpi.http.ApiClient;
import io.crmkpi.http.HttpClock;
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

  @Override
  public String kind() {
    return "amocrm";
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
