package io.crmkpi.http;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One HTTP call. {@code label} names it in messages ({@code GET /api/v4/leads}, {@code POST
 * crm.deal.list}) and must hold no secret and no query string; the URI (which may hold secrets, e.g.
 * a Bitrix24 webhook code) never appears in a message.
 */
public record ApiRequest(String method, URI uri, String label, Map<String, String> headers, String body) {

  public ApiRequest {
    headers = Map.copyOf(headers);
  }

  public static ApiRequest get(URI uri, String label) {
    return new ApiRequest("GET", uri, label, Map.of(), null);
  }

  public static ApiRequest postJson(URI uri, String label, String json) {
    return new ApiRequest("POST", uri, label, Map.of("Content-Type", "application/json"), json);
  }

  /** This request with one more header (e.g. the current Authorization). */
  public ApiRequest withHeader(String name, String value) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(name, value);
    return new ApiRequest(method, uri, label, h, body);
  }

  /** No URI, no headers, no body: those may carry secrets. */
  @Override
  public String toString() {
    return label;
  }
}
