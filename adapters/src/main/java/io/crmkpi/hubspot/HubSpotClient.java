package io.crmkpi.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.crmkpi.http.QueryString;
import io.crmkpi.http.ApiClient;
import io.crmkpi.http.ApiException;
import io.crmkpi.http.ApiRequest;
import io.crmkpi.http.ApiResponse;
import io.crmkpi.http.RetryRule;
import io.crmkpi.source.SourceException;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * HubSpot CRM v3 over {@link ApiClient}: Bearer private-app token, JSON in and out, and two rate
 * budgets — the general per-10-seconds limit and the separate, lower one of the search endpoints —
 * each with its own {@link ApiClient} and limiter. Errors name the request ({@code POST
 * /crm/v3/objects/deals/search}) and HubSpot's {@code category}, never the token.
 */
public final class HubSpotClient {

  static final JsonMapper JSON = new JsonMapper();

  /**
   * 429 {@code policyName DAILY}: the portal's daily budget is gone, waiting minutes will not help,
   * so the delay is a day (ApiClient then fails at once with "run the sync again after that").
   * Other 429s (TEN_SECONDLY_ROLLING, SECONDLY) and 5xx are transient.
   */
  static final RetryRule RULE = r -> {
    if (r.status() == 429 && r.body() != null) {
      if (r.body().contains("\"DAILY\"")) {
        return Duration.ofHours(24);
      }
      // the rolling windows free a slot within a second (search) or a tenth of the 10-s window
      Duration least = r.body().contains("\"SECONDLY\"") ? Duration.ofMillis(250) : Duration.ofSeconds(1);
      return r.retryAfter().filter(d -> d.compareTo(least) > 0).orElse(least);
    }
    return RetryRule.DEFAULT.retryDelay(r);
  };

  private final URI base;
  private final String auth;
  private final ApiClient http;
  private final ApiClient search;

  HubSpotClient(URI base, String token, ApiClient http, ApiClient search) {
    this.base = base;
    this.auth = "Bearer " + token;
    this.http = http;
    this.search = search;
  }

  /** GET {@code path} with query parameters (a List value repeats the key). */
  JsonNode get(String path, Map<String, ?> query) throws SourceException {
    String label = "GET " + path;
    return answer(label, http, ApiRequest.get(base.resolve(path + QueryString.encode(query)), label));
  }

  /** POST a JSON body; search paths go through the search budget. */
  JsonNode post(String path, JsonNode body) throws SourceException {
    String label = "POST " + path;
    ApiClient c = path.endsWith("/search") ? search : http;
    return answer(label, c, ApiRequest.postJson(base.resolve(path), label, body.toString()));
  }

  /** Requests answered so far by both budgets (retries included). */
  long requests() {
    return http.counters()[0] + search.counters()[0];
  }

  private JsonNode answer(String label, ApiClient c, ApiRequest request) throws SourceException {
    ApiResponse r = c.send(request.withHeader("Authorization", auth));
    JsonNode body = null;
    try {
      body = r.body() == null || r.body().isBlank() ? null : JSON.readTree(r.body());
    } catch (IOException e) {
      if (r.ok()) {
        throw new ApiException(c.secrets().mask("HubSpot " + label + ": the answer is not JSON (" + r.snippet()
            + "); check base_url"), r.status(), null);
      }
    }
    if (r.ok() && body != null) {
      return body;
    }
    String category = body == null ? null : body.path("category").asText(body.path("errorType").asText(null));
    String message = body == null ? r.snippet() : body.path("message").asText(r.snippet());
    throw new ApiException(c.secrets().mask("HubSpot " + label + ": HTTP " + r.status()
        + (category == null ? "" : " " + category) + " (" + message + "); " + advice(r.status(), category)),
        r.status(), category);
  }

  static String advice(int status, String category) {
    if (status == 401) {
      return "the token was rejected: copy the access token of the private app again (Settings > Integrations > "
          + "Private apps) and set token=";
    }
    if (status == 403 || "MISSING_SCOPES".equals(category)) {
      return "the private app lacks a scope: give it crm.objects.deals.read, crm.objects.contacts.read, "
          + "crm.objects.companies.read, crm.objects.owners.read and crm.schemas.deals.read (see docs/sources/hubspot-api.md)";
    }
    if (status == 429) {
      return "HubSpot's rate limit; sync later or lower rate_limit=";
    }
    if (status == 404) {
      return "not found; check base_url";
    }
    return status >= 500 ? "HubSpot is failing; try again later" : "the request was refused; this crmkpi version may not "
        + "match the API";
  }
}
