package io.crmkpi.bitrix24;

import io.crmkpi.http.ApiClient;
import io.crmkpi.http.HttpClock;
import io.crmkpi.source.Source;
import io.crmkpi.source.SourceContext;
import io.crmkpi.source.SourceException;
import io.crmkpi.source.SourceFactory;
import java.net.URI;

/**
 * {@code jdbc:crmkpi:bitrix24:<portal>;webhook=https://<portal>/rest/<user>/<code>/}. The webhook
 * is the full inbound-webhook URL (any scheme, host and port); the target is informative only.
 */
public final class Bitrix24SourceFactory implements SourceFactory {

  @Override
  public String kind() {
    return "bitrix24";
  }

  @Override
  public Source create(String target, SourceContext context) throws SourceException {
    return new Bitrix24Sync(webhook(context), context, HttpClock.SYSTEM, ApiClient.Settings.defaults());
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
