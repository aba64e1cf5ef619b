package io.crmkpi.amocrm;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.crmkpi.http.QueryString;
import io.crmkpi.http.ApiClient;
import io.crmkpi.http.ApiException;
import io.crmkpi.http.ApiRequest;
import io.crmkpi.http.ApiResponse;
import io.crmkpi.source.SourceException;
import io.crmkpi.sync.KeysetScan;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * amoCRM / Kommo API v4 over {@link ApiClient}: Bearer auth (refreshing once on 401), HAL pages
 * ({@code _embedded.<key>}, {@code _links.next}), HTTP 204 = nothing found, and errors that name the
 * request and say what to do.
 */
public final class AmoCrmClient {

  /** Lenient: the vendor's own examples carry trailing commas. */
  static final JsonMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_TRAILING_COMMA).build();

  private final URI base;
  private final AmoCrmAuth auth;
  private final ApiClient http;

  AmoCrmClient(URI base, AmoCrmAuth auth, ApiClient http) {
    this.base = base;
    this.auth = auth;
    this.http = http;
  }

  /** GET {@code path} with query parameters (repeat a key by giving a List); null on 204. */
  public JsonNode get(String path, Map<String, ?> query) throws SourceException {
    String label = "GET " + path;
    URI uri = base.resolve(path + QueryString.encode(query));
    for (int attempt = 1; ; attempt++) {
      ApiResponse r = http.send(ApiRequest.get(uri, label).withHeader("Authorization", auth.header()));
      if (r.status() == 204) {
        return null;
      }
      if (r.ok()) {
        try {
          return JSON.readTree(r.body());
        } catch (IOException e) {
          throw new ApiException(http.secrets().mask("amoCRM " + label + ": the answer is not JSON (" + r.snippet()
              + "); check that base_url/subdomain points at the amoCRM account"), r.status(), null);
        }
      }
      if (r.status() == 401 && attempt == 1) {
        auth.unauthorized(label, r);
        continue;
      }
      throw error(label, r);
    }
  }

  /**
   * One page of a list: {@code _embedded.<key>}, and more to come when {@code _links.next} exists
   * and the page is full. Lists amoCRM does not count (leads, contacts, companies, tasks, events)
   * link a next page from every page, the last too (that one answers 204), so a page shorter than
   * the {@code limit} asked is the end: a request saved per list.
   */
  public KeysetScan.Page page(String path, String key, Map<String, ?> query) throws SourceException {
    JsonNode n = get(path, query);
    if (n == null) {
      return new KeysetScan.Page(List.of(), false, "GET " + path);
    }
    List<JsonNode> items = new ArrayList<>();
    n.path("_embedded").path(key).forEach(items::add);
    Object limit = query.get("limit");
    boolean full = limit == null || items.size() >= Integer.parseInt(limit.toString());
    return new KeysetScan.Page(items, full && n.path("_links").has("next"), "GET " + path);
  }

  /** {@code validation-errors} of a 400 as " (limit: The value must be ...)", at most three. */
  static String validationErrors(ApiResponse r) {
    List<String> out = new ArrayList<>();
    try {
      JsonNode n = r.body() == null ? null : JSON.readTree(r.body());
      if (n != null) {
        for (JsonNode v : n.path("validation-errors")) {
          for (JsonNode e : v.path("errors")) {
            if (out.size() < 3) {
              out.add(e.path("path").asText("?") + ": " + e.path("detail").asText(e.path("code").asText("")));
            }
          }
        }
      }
    } catch (IOException e) {
      // not JSON: the snippet says what there is
    }
    return out.isEmpty() ? "" : " (" + String.join("; ", out) + ")";
  }

  private ApiException error(String label, ApiResponse r) {
    String what = switch (r.status()) {
      case 401 -> "token expired or revoked; refresh failed or not possible; authorise the integration again";
      case 402 -> "the amoCRM subscription has expired; renew it";
      case 403 -> "access denied: the account is blocked (too many requests) or this IP is not allowed; check the "
          + "integration's rights and wait before retrying";
      case 404 -> "not found; check the subdomain / base_url";
      case 400 -> "the request was refused" + validationErrors(r) + "; this crmkpi version may not match the API";
      default -> "unexpected answer";
    };
    return new ApiException(http.secrets().mask("amoCRM " + label + ": HTTP " + r.status() + " " + r.snippet() + "; "
        + what), r.status(), null);
  }
}
