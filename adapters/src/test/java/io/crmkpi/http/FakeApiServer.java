package io.crmkpi.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local CRM API on 127.0.0.1 (port 0) for tests: logs every request, enforces the CRM's rate limit
 * the way the CRM does (subclasses decide), and injects transient faults at seeded random points:
 * HTTP 500/502/503 and connections dropped without an answer.
 */
public abstract class FakeApiServer implements AutoCloseable {

  /** One answer. */
  public record Reply(int status, String body, Map<String, String> headers) {
    public static Reply json(int status, String body) {
      return new Reply(status, body, Map.of("Content-Type", "application/json"));
    }
  }

  /** A request as the handler sees it: method, path, decoded query (repeatable keys), body. */
  public record Call(String method, String path, Map<String, List<String>> query, String body) {
    public String q(String key) {
      List<String> v = query.get(key);
      return v == null || v.isEmpty() ? null : v.get(0);
    }
  }

  protected final HttpClock clock;
  private final HttpServer server;
  private final List<Call> log = Collections.synchronizedList(new ArrayList<>());
  private Random faults = new Random(1);
  private double faultRate;
  public final AtomicInteger rateRejections = new AtomicInteger();
  public final AtomicInteger faultsInjected = new AtomicInteger();

  protected FakeApiServer(HttpClock clock) throws IOException {
    this.clock = clock;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  public URI base() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** From now on, each request fails with probability {@code rate} (seeded, so runs repeat). */
  public void faults(double rate, long seed) {
    this.faultRate = rate;
    this.faults = new Random(seed);
  }

  public List<Call> log() {
    synchronized (log) {
      return List.copyOf(log);
    }
  }

  public void clearLog() {
    log.clear();
  }

  /** Over the CRM's rate limit? Then the reply the CRM gives; else null. Called for every request. */
  protected abstract Reply rateLimit();

  /** Like {@link #rateLimit()}, for CRMs whose limits depend on the endpoint (HubSpot search). */
  protected Reply rateLimit(Call call) {
    return rateLimit();
  }

  protected abstract Reply serve(Call call) throws Exception;

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      Map<String, List<String>> q = new LinkedHashMap<>();
      String raw = ex.getRequestURI().getRawQuery();
      if (raw != null) {
        for (String kv : raw.split("&")) {
          int i = kv.indexOf('=');
          String k = URLDecoder.decode(i < 0 ? kv : kv.substring(0, i), StandardCharsets.UTF_8);
          String v = i < 0 ? "" : URLDecoder.decode(kv.substring(i + 1), StandardCharsets.UTF_8);
          q.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
      }
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Call call = new Call(ex.getRequestMethod(), ex.getRequestURI().getPath(), q, body);
      call = withAuth(call, ex.getRequestHeaders().getFirst("Authorization"));
      log.add(call);
      Reply r = rateLimit(call);
      if (r != null) {
        rateRejections.incrementAndGet();
      } else {
        double roll;
        int kind;
        synchronized (this) {
          roll = faults.nextDouble();
          kind = faults.nextInt(4);
        }
        if (roll < faultRate) {
          faultsInjected.incrementAndGet();
          switch (kind) {
            case 0 -> r = Reply.json(500, "{\"error\":\"internal\"}");
            case 1 -> r = Reply.json(502, "<html>bad gateway</html>");
            case 2 -> r = new Reply(503, "{\"error\":\"unavailable\"}", Map.of("Retry-After", "1"));
            default -> {
              return; // drop the connection: no status line at all
            }
          }
        } else {
          try {
            r = serve(call);
          } catch (Exception e) {
            r = Reply.json(500, "{\"error\":\"" + e.getClass().getSimpleName() + "\"}");
          }
        }
      }
      r.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
      byte[] b = r.body() == null ? new byte[0] : r.body().getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(r.status(), r.status() == 204 || b.length == 0 ? -1 : b.length);
      if (b.length > 0 && r.status() != 204) {
        try (OutputStream o = ex.getResponseBody()) {
          o.write(b);
        }
      }
    }
  }

  /** Lets subclasses see the Authorization header: stored in the query map under "#auth". */
  private static Call withAuth(Call c, String auth) {
    if (auth == null) {
      return c;
    }
    Map<String, List<String>> q = new LinkedHashMap<>(c.query());
    q.put("#auth", List.of(auth));
    return new Call(c.method(), c.path(), q, c.body());
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
