package io.crmkpi.bitrix24;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmkpi.http.ApiClient;
import io.crmkpi.http.ApiException;
import io.crmkpi.http.ApiRequest;
import io.crmkpi.http.ApiResponse;
import io.crmkpi.source.SourceException;
import java.io.IOException;
import java.net.URI;
import java.util.Map;

/**
 * Bitrix24 REST through an inbound webhook {@code <scheme>://<portal>/rest/<user>/<code>/}, or
 * through OAuth ({@code <scheme>://<portal>/rest/} with the access token as {@code auth} in the body,
 * refreshed once on 401 expired_token): every method is a POST with a JSON body. The webhook code
 * and the tokens are passwords, so requests are labelled by method only ({@code POST crm.deal.list})
 * and they are registered as secrets.
 */
public final class Bitrix24Client {

  static final JsonMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_TRAILING_COMMA).build();

  private final URI webhook;
  private final ApiClient http;
  /** Null for a webhook. */
  private final Bitrix24Auth auth;

  Bitrix24Client(URI webhook, ApiClient http) {
    this(webhook, http, null);
  }

  Bitrix24Client(URI base, ApiClient http, Bitrix24Auth auth) {
    this.webhook = base;
    this.http = http;
    this.auth = auth;
  }

  /** Calls {@code method} with {@code params}; returns the whole answer ({@code result}, {@code time}...). */
  public JsonNode call(String method, ObjectNode params) throws SourceException {
    String label = "POST " + method;
    if (auth == null) {
      return answer(label, http.send(ApiRequest.postJson(webhook.resolve(method), label, params.toString())));
    }
    for (int attempt = 1; ; attempt++) {
      String token = auth.token();
      ObjectNode withAuth = params.deepCopy();
      withAuth.put("auth", token);
      ApiResponse r = http.send(ApiRequest.postJson(webhook.resolve(method), label, withAuth.toString()));
      if (r.status() == 401 && attempt == 1 && tokenRejected(r)) {
        auth.rejected(token); // ran out early (clock skew) or was revoked: refresh once, then retry
        continue;
      }
      return answer(label, r);
    }
  }

  private static boolean tokenRejected(ApiResponse r) {
    return r.body() != null && (r.body().contains("expired_token") || r.body().contains("invalid_token"));
  }

  private JsonNode answer(String label, ApiResponse r) throws SourceException {
    JsonNode body = null;
    try {
      body = r.body() == null || r.body().isBlank() ? null : JSON.readTree(r.body());
    } catch (IOException e) {
      if (r.ok()) {
        throw new ApiException(http.secrets().mask("Bitrix24 " + label + ": the answer is not JSON (" + r.snippet()
            + "); check the webhook URL"), r.status(), null);
      }
    }
    if (r.ok() && body != null && !body.has("error")) {
      return body;
    }
    String code = body == null ? "" : body.path("error").asText("");
    String text = body == null ? r.snippet() : body.path("error_description").asText("");
    throw new ApiException(http.secrets().mask("Bitrix24 " + label + ": HTTP " + r.status() + " " + code
        + (text.isEmpty() ? "" : " (" + text + ")") + "; " + (auth == null ? advice(r.status(), code)
        : oauthAdvice(r.status(), code))), r.status(), code);
  }

  static String advice(int status, String code) {
    return switch (code) {
      case "insufficient_scope" -> "the webhook lacks scope crm (and user for users): edit the inbound webhook in "
          + "Bitrix24 (Developer resources > Other > Inbound webhook) and tick CRM and Users";
      case "NO_AUTH_FOUND", "INVALID_CREDENTIALS", "expired_token", "invalid_token" ->
          "the webhook code was rejected (deleted or regenerated?); create an inbound webhook and set webhook= to its URL";
      case "ACCESS_DENIED" -> "REST API is only available on commercial Bitrix24 plans, or the webhook's user lacks rights";
      case "QUERY_LIMIT_EXCEEDED", "OPERATION_TIME_LIMIT" -> "the portal's request limit; sync later or less often";
      case "PORTAL_DELETED" -> "the portal no longer exists; check the webhook URL";
      default -> status == 404 ? "no such portal or method; check the webhook URL"
          : status >= 500 ? "Bitrix24 is failing; try again later" : "the request was refused";
    };
  }

  static String oauthAdvice(int status, String code) {
    return switch (code) {
      case "insufficient_scope" -> "the app lacks scope crm (and user for users): add them to the local app "
          + "(Developer resources > Other > Local application), re-authorise it and set refresh_token=";
      case "NO_AUTH_FOUND", "INVALID_CREDENTIALS", "expired_token", "invalid_token" ->
          "the access token was rejected even after a refresh; re-authorise the app and set refresh_token=";
      default -> advice(status, code);
    };
  }

  /** Builds a params object from pairs. */
  static ObjectNode params(Map<String, ?> values) {
    ObjectNode o = JSON.createObjectNode();
    values.forEach((k, v) -> o.set(k, JSON.valueToTree(v)));
    return o;
  }
}
