package io.crmkpi.amocrm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmkpi.http.ApiClient;
import io.crmkpi.http.ApiException;
import io.crmkpi.http.ApiRequest;
import io.crmkpi.http.ApiResponse;
import io.crmkpi.http.TokenFile;
import io.crmkpi.source.SourceException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;

/**
 * amoCRM authorisation: a long-lived token, or OAuth 2.0 with refresh. amoCRM rotates the refresh
 * token on every refresh and invalidates the old one, so the new pair is written to the token store
 * (temp file + atomic move) BEFORE it is used: if we crashed after the refresh without saving, the
 * integration would be locked out until someone re-authorises it.
 */
abstract class AmoCrmAuth {

  /** The Authorization header value. */
  abstract String header() throws SourceException;

  /** The server said 401 to {@code label}: refresh if possible, else throw the advice. */
  abstract void unauthorized(String label, ApiResponse r) throws SourceException;

  static final class LongLived extends AmoCrmAuth {
    private final String token;

    LongLived(String token) {
      this.token = token;
    }

    @Override
    String header() {
      return "Bearer " + token;
    }

    @Override
    void unauthorized(String label, ApiResponse r) throws ApiException {
      throw new ApiException("amoCRM " + label + ": HTTP 401, token expired or revoked; create a new long-lived "
          + "token (Settings > Integrations > your integration > Keys) and set token=", 401, null);
    }
  }

  static final class OAuth extends AmoCrmAuth {
    private final URI base;
    private final ApiClient http;
    private final String clientId;
    private final String clientSecret;
    private final String redirectUri;
    private final Path store;
    private String access;
    private String refresh;
    private long expiresAtEpochS;

    OAuth(URI base, ApiClient http, String clientId, String clientSecret, String redirectUri, String refreshToken,
        Path store) throws SourceException {
      this.base = base;
      this.http = http;
      this.clientId = clientId;
      this.clientSecret = clientSecret;
      this.redirectUri = redirectUri;
      this.store = store;
      this.refresh = refreshToken;
      try {
        // the store is newer than the property: the property's refresh token was used up long ago
        TokenFile.read(store).ifPresent(saved -> {
          refresh = saved.refresh() != null ? saved.refresh() : refresh;
          access = saved.access();
          expiresAtEpochS = saved.expiresAtEpochS();
        });
      } catch (IOException e) {
        throw new SourceException("amoCRM token store " + store + " is unreadable (" + e.getClass().getSimpleName()
            + "); delete it and set a fresh refresh_token");
      }
      http.secrets().add(refresh);
      http.secrets().add(access);
      http.secrets().add(clientSecret);
    }

    @Override
    synchronized String header() throws SourceException {
      if (access == null || System.currentTimeMillis() / 1000 >= expiresAtEpochS - 60) {
        refresh();
      }
      return "Bearer " + access;
    }

    @Override
    synchronized void unauthorized(String label, ApiResponse r) throws SourceException {
      refresh();
    }

    private void refresh() throws SourceException {
      if (refresh == null) {
        throw new ApiException("amoCRM: no refresh_token; authorise the integration and set refresh_token= "
            + "(or use a long-lived token=)", 0, null);
      }
      ObjectNode body = AmoCrmClient.JSON.createObjectNode();
      body.put("client_id", clientId);
      body.put("client_secret", clientSecret);
      body.put("grant_type", "refresh_token");
      body.put("refresh_token", refresh);
      body.put("redirect_uri", redirectUri);
      String label = "POST /oauth2/access_token";
      ApiResponse r = http.send(ApiRequest.postJson(base.resolve("/oauth2/access_token"), label, body.toString()));
      if (!r.ok()) {
        throw new ApiException(http.secrets().mask("amoCRM " + label + ": token expired or revoked; refresh failed: HTTP "
            + r.status() + " " + r.snippet() + "; re-authorise the integration in amoCRM and set a new refresh_token"),
            r.status(), null);
      }
      JsonNode t;
      try {
        t = AmoCrmClient.JSON.readTree(r.body());
      } catch (IOException e) {
        throw new ApiException("amoCRM " + label + ": the answer is not JSON; check base_url", r.status(), null);
      }
      String newAccess = t.path("access_token").asText(null);
      String newRefresh = t.path("refresh_token").asText(null);
      if (newAccess == null || newRefresh == null) {
        throw new ApiException("amoCRM " + label + ": the answer has no access_token/refresh_token; check base_url",
            r.status(), null);
      }
      http.secrets().add(newAccess);
      http.secrets().add(newRefresh);
      long expiresAt = System.currentTimeMillis() / 1000 + t.path("expires_in").asLong(86400);
      persist(newAccess, newRefresh, expiresAt);
      access = newAccess;
      refresh = newRefresh;
      expiresAtEpochS = expiresAt;
    }

    private void persist(String newAccess, String newRefresh, long expiresAt) throws SourceException {
      if (store == null) {
        return;
      }
      try {
        TokenFile.write(store, new TokenFile.Tokens(newAccess, newRefresh, expiresAt));
      } catch (IOException e) {
        throw new SourceException("amoCRM: cannot save the refreshed tokens to " + store + " ("
            + e.getClass().getSimpleName() + "); the old refresh token is already invalid, so fix the folder's "
            + "permissions and authorise the integration again");
      }
    }
  }
}
