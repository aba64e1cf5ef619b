package io.crmkpi.bitrix24;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmkpi.http.ApiClient;
import io.crmkpi.http.ApiException;
import io.crmkpi.http.ApiRequest;
import io.crmkpi.http.ApiResponse;
import io.crmkpi.http.TokenFile;
import io.crmkpi.source.SourceException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * Bitrix24 OAuth of a local or market app: the access token (1 hour) goes as {@code auth} with every
 * REST call; it is refreshed at {@code oauth.bitrix.info} before it runs out and once on 401
 * {@code expired_token}. Every refresh returns a new refresh token (valid 180 days) and invalidates
 * the old one, so the new pair is written to the token file ({@link TokenFile}) BEFORE it is used.
 */
final class Bitrix24Auth {

  static final URI DEFAULT_OAUTH = URI.create("https://oauth.bitrix.info/oauth/token/");
  static final String REJECTED = "Bitrix24 OAuth: refresh token rejected (expired after 180 days or revoked); "
      + "re-authorise the app and set refresh_token=<the new refresh token> (and delete token_file if set)";

  /** What the connection properties say; the secrets are never printed ({@link #toString}). */
  record Settings(String clientId, String clientSecret, String accessToken, String refreshToken, Path tokenFile,
      URI oauthUrl) {
    @Override
    public String toString() {
      return "Bitrix24Auth.Settings[client_id=" + clientId + ", token_file=" + tokenFile + "]";
    }
  }

  private final Settings s;
  private final ApiClient http;
  private final LongSupplier nowEpochS;
  private String access;
  private String refresh;
  private long expiresAtEpochS;
  private int refreshes;

  Bitrix24Auth(Settings s, ApiClient http, LongSupplier nowEpochS) throws SourceException {
    this.s = s;
    this.http = http;
    this.nowEpochS = nowEpochS;
    this.access = s.accessToken();
    this.refresh = s.refreshToken();
    // an access token from the properties has no known expiry: use it until the portal says 401
    this.expiresAtEpochS = access == null ? 0 : Long.MAX_VALUE;
    try {
      // the file is newer than the properties: their refresh token was used up by an earlier run
      TokenFile.read(s.tokenFile()).ifPresent(saved -> {
        refresh = saved.refresh() != null ? saved.refresh() : refresh;
        access = saved.access();
        expiresAtEpochS = saved.expiresAtEpochS();
      });
    } catch (IOException e) {
      throw new SourceException("Bitrix24 OAuth: token_file " + s.tokenFile() + " is unreadable ("
          + e.getClass().getSimpleName() + "); delete it and set a fresh refresh_token");
    }
    http.secrets().add(s.clientSecret());
    http.secrets().add(s.accessToken());
    http.secrets().add(s.refreshToken());
    http.secrets().add(access);
    http.secrets().add(refresh);
  }

  /** The access token to send, refreshed first if it runs out within a minute. */
  synchronized String token() throws SourceException {
    if (access == null || nowEpochS.getAsLong() >= expiresAtEpochS - 60) {
      refresh();
    }
    return access;
  }

  /**
   * The portal rejected {@code used} (401 expired_token / invalid_token): refresh, unless another
   * call already replaced it.
   */
  synchronized void rejected(String used) throws SourceException {
    if (used.equals(access)) {
      refresh();
    }
  }

  /** Refreshes done by this connection. */
  synchronized int refreshes() {
    return refreshes;
  }

  private void refresh() throws SourceException {
    if (refresh == null || s.clientId() == null || s.clientSecret() == null) {
      throw new SourceException("Bitrix24 OAuth: the access token ran out and cannot be refreshed; set client_id, "
          + "client_secret and refresh_token (see docs/sources/bitrix24-api.md)");
    }
    // documented as a GET with the parameters in the query; the label hides them
    String q = "grant_type=refresh_token&client_id=" + enc(s.clientId()) + "&client_secret=" + enc(s.clientSecret())
        + "&refresh_token=" + enc(refresh);
    String label = "GET oauth/token (refresh)";
    ApiResponse r = http.send(ApiRequest.get(URI.create(s.oauthUrl().toString() + "?" + q), label));
    JsonNode t = null;
    try {
      t = r.body() == null || r.body().isBlank() ? null : Bitrix24Client.JSON.readTree(r.body());
    } catch (IOException e) {
      // handled below
    }
    String error = t == null ? "" : t.path("error").asText("");
    if (r.status() == 400 || r.status() == 401 || r.status() == 403
        || error.equals("invalid_grant") || error.equals("expired_token") || error.equals("invalid_token")) {
      throw new ApiException(http.secrets().mask(REJECTED + " [" + label + ": HTTP " + r.status()
          + (error.isEmpty() ? "" : " " + error) + "]"), r.status(), error);
    }
    String newAccess = t == null ? null : t.path("access_token").asText(null);
    String newRefresh = t == null ? null : t.path("refresh_token").asText(null);
    if (!r.ok() || newAccess == null || newRefresh == null) {
      throw new ApiException(http.secrets().mask("Bitrix24 " + label + ": HTTP " + r.status() + " without "
          + "access_token/refresh_token (" + r.snippet() + "); check oauth_url"), r.status(), error);
    }
    http.secrets().add(newAccess);
    http.secrets().add(newRefresh);
    long expiresAt = nowEpochS.getAsLong() + t.path("expires_in").asLong(3600);
    if (s.tokenFile() != null) {
      try {
        TokenFile.write(s.tokenFile(), new TokenFile.Tokens(newAccess, newRefresh, expiresAt));
      } catch (IOException e) {
        throw new SourceException("Bitrix24 OAuth: cannot save the refreshed tokens to " + s.tokenFile() + " ("
            + e.getClass().getSimpleName() + "); the old refresh token is already invalid, so fix the folder's "
            + "permissions, re-authorise the app and set refresh_token=");
      }
    }
    access = newAccess;
    refresh = newRefresh;
    expiresAtEpochS = expiresAt;
    refreshes++;
  }

  private static String enc(String v) {
    return URLEncoder.encode(v, StandardCharsets.UTF_8);
  }
}
