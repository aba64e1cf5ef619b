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
 * Bitrix24 REST through an inbound webhook {@code <scheme>://<portal>/rest/<user>/<code>/}: every
 * method is a POST with a JSON body. The webhook code is the password, so requests are labelled by
 * method only ({@code POST crm.deal.list}) and the URL is registered as a secret.
 */
public final class Bitrix24Client {

  static final JsonMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_TRAILING_COMMA).build();

  private final URI webhook;
  private final ApiClient http;

  Bitrix24Client(URI webhook, ApiClient http) {
    this.webhook = webhook;
    this.http = http;
  }

  /** Calls {@code method} with {@code params}; returns the whole answer ({@code result}, {@code time}...). */
  public JsonNode call(String method, ObjectNode params) throws SourceException {
    String label = "POST " + method;
    ApiResponse r = http.send(ApiRequest.postJson(webhook.resolve(method), label, params.toString()));
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
        + (text.isEmpty() ? "" : " (" + text + ")") + "; " + advice(r.status(), code)), r.status(), code);
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

  /** Builds a params object from pairs. */
  static ObjectNode params(Map<String, ?> values) {
    ObjectNode o = JSON.createObjectNode();
    values.forEach((k, v) -> o.set(k, JSON.valueToTree(v)));
    return o;
  }
}
