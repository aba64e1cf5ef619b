package io.crmkpi.bitrix24;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmkpi.http.ApiException;
import io.crmkpi.source.SourceException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads several Bitrix24 lists at once through {@code batch} calls of up to 50 commands.
 *
 * <p>Each list is a {@link Chain}: the documented fast scan ({@code order[ID]=ASC},
 * {@code filter[>ID]}, {@code start=-1}). The first call carries the one-shot commands (funnels,
 * stages, users) and one probe per chain with {@code start=0}, whose {@code total} says how many
 * pages the chain still has. Later calls give each chain exactly that many commands, the first with
 * the known last ID, each next one chained to the previous command's 50th row through the batch
 * substitution {@code filter[>ID]=$result[prev][49][ID]}: 50 pages of 50 in one request.
 *
 * <p>End of data: when the referenced page is short, Bitrix24 (rest module, CRestUtil
 * processBatchElement) stops at the deepest existing node and passes the whole array as the filter
 * value; the list then answers something unrelated. So a chain's results are read in order and
 * everything after its first short page (or its first failed command) is discarded: the next call
 * resumes from the last ID actually read. Nothing depends on what the portal does with a broken
 * substitution.
 */
final class Bitrix24Scan {

  static final int PAGE = 50;
  static final int MAX_COMMANDS = 50;
  /** A chain whose commands keep failing (not an access error) gives up after this many calls. */
  static final int MAX_COMMAND_ERRORS = 3;

  /**
   * Receives a chain's rows of one call (pages in order), {@code lastId} the last ID among them (or
   * before them) and {@code done}: the chain has no more rows. Runs on the store thread.
   */
  interface Sink {
    void rows(Chain chain, List<JsonNode> rows, long lastId, boolean done) throws SourceException, SQLException;
  }

  /** Looks at a chain's probe (its total known) on the scanning thread; false stops the chain. */
  interface Probe {
    boolean goOn(Chain chain) throws SQLException;
  }

  /** One list scanned by ID. */
  static final class Chain {
    final String name;
    final String method;
    /** Fixed query, already encoded ({@code filter[>=DATE_MODIFY]=...&select[0]=...}). */
    final String query;
    /** Rows under {@code result.items} (crm.stagehistory.list) instead of {@code result}. */
    final boolean items;
    final Sink sink;
    Probe probe = c -> true;
    long lastId;
    long total = -1;
    long read;
    boolean done;
    int errors;

    Chain(String name, String method, Map<String, ?> params, boolean items, long lastId, Sink sink) {
      this.name = name;
      this.method = method;
      this.query = encode(params);
      this.items = items;
      this.lastId = lastId;
      this.sink = sink;
    }

    /** Pages still to read, from the probe's total (at least 1 until the chain is done). */
    long pagesLeft() {
      return total < 0 ? 1 : Math.max(1, (total - read + PAGE - 1) / PAGE);
    }

    String command(String idFilter, boolean probe) {
      return method + "?" + query + (query.isEmpty() ? "" : "&") + enc("order[ID]") + "=ASC&" + enc("filter[>ID]") + "="
          + enc(idFilter) + "&start=" + (probe ? "0" : "-1");
    }

    String lastIdRef(String key) {
      return "$result[" + key + "]" + (items ? "[items]" : "") + "[" + (PAGE - 1) + "][ID]";
    }
  }

  /** A command sent once (reference lists, further user pages). */
  interface OneShot {
    void result(JsonNode result, JsonNode total) throws SourceException, SQLException;
  }

  private record Pending(String key, String command, OneShot handler, int failures) {
  }

  private final Bitrix24Client client;
  private final List<Chain> chains = new ArrayList<>();
  private final List<Pending> oneShots = new ArrayList<>();
  private int calls;
  private int keySeq;

  Bitrix24Scan(Bitrix24Client client) {
    this.client = client;
  }

  void add(Chain c) {
    chains.add(c);
  }

  /** Queues a command for the next call (it may queue more from its handler). */
  void once(String command, OneShot handler) {
    oneShots.add(new Pending("q" + (keySeq++), command, handler, 0));
  }

  int calls() {
    return calls;
  }

  interface AnswerListener {
    void answer(JsonNode answer) throws SourceException, SQLException;
  }

  private interface Write {
    void run() throws SourceException, SQLException;
  }

  /**
   * Runs calls until every chain is done and no one-shot is pending. The rows of a call are written
   * on a store thread while the next call is on the wire (planning needs only the IDs read); writes
   * stay in call order, and a failing run waits for the writes of the calls it already read.
   */
  void run(AnswerListener onAnswer) throws SourceException, SQLException {
    ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "bitrix24-store");
      t.setDaemon(true);
      return t;
    });
    try {
      while (!oneShots.isEmpty() || chains.stream().anyMatch(c -> !c.done)) {
        try {
          step(onAnswer, writer);
        } catch (SourceException | SQLException | RuntimeException e) {
          try {
            await();
          } catch (SourceException | SQLException | RuntimeException second) {
            e.addSuppressed(second);
          }
          throw e;
        }
      }
      await();
    } finally {
      writer.shutdown();
    }
  }

  private void step(AnswerListener onAnswer, ExecutorService writer) throws SourceException, SQLException {
    ObjectNode cmd = Bitrix24Client.JSON.createObjectNode();
    List<Pending> shots = new ArrayList<>();
    while (!oneShots.isEmpty() && cmd.size() < MAX_COMMANDS) {
      Pending p = oneShots.remove(0);
      shots.add(p);
      cmd.put(p.key(), p.command());
    }
    Map<Chain, List<String>> planned = new LinkedHashMap<>();
    for (Chain c : chains) {
      if (c.done || cmd.size() >= MAX_COMMANDS) {
        continue;
      }
      List<String> keys = new ArrayList<>();
      boolean probe = c.total < 0;
      long n = probe ? 1 : Math.min(c.pagesLeft(), MAX_COMMANDS - cmd.size());
      String prev = null;
      for (int i = 0; i < n; i++) {
        String key = c.name.replaceAll("[^a-z]", "") + (keySeq++);
        cmd.put(key, c.command(prev == null ? Long.toString(c.lastId) : c.lastIdRef(prev), probe));
        keys.add(key);
        prev = key;
      }
      planned.put(c, keys);
    }
    JsonNode answer = client.call("batch", Bitrix24Client.params(Map.of("halt", 0, "cmd", cmd)));
    calls++;
    if (calls == 1 || !shots.isEmpty()) {
      await(); // the first answer opens the store; one-shots write on this thread
    }
    onAnswer.answer(answer);
    JsonNode res = answer.path("result");
    for (Pending p : shots) {
      if (failOnError(res, p.key(), p.command().split("\\?")[0], p.failures() + 1 >= MAX_COMMAND_ERRORS)) {
        oneShots.add(new Pending("q" + (keySeq++), p.command(), p.handler(), p.failures() + 1)); // again next call
        continue;
      }
      p.handler().result(res.path("result").path(p.key()), res.path("result_total").path(p.key()));
    }
    List<Write> writes = new ArrayList<>();
    try {
      for (Map.Entry<Chain, List<String>> e : planned.entrySet()) {
        consume(e.getKey(), e.getValue(), res, writes);
      }
    } catch (SourceException | SQLException | RuntimeException e) {
      await();
      for (Write w : writes) {
        w.run(); // what was read before the failure stays read
      }
      throw e;
    }
    await();
    pending = writer.submit(() -> {
      for (Write w : writes) {
        w.run();
      }
      return null;
    });
  }

  private Future<?> pending;

  private void await() throws SourceException, SQLException {
    if (pending == null) {
      return;
    }
    Future<?> f = pending;
    pending = null;
    try {
      f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SourceException("Bitrix24: interrupted while writing the store");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof SourceException se) {
        throw se;
      }
      if (cause instanceof SQLException qe) {
        throw qe;
      }
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new SourceException("Bitrix24: writing the store failed: " + cause);
    }
  }

  private void consume(Chain c, List<String> keys, JsonNode res, List<Write> writes)
      throws SourceException, SQLException {
    List<JsonNode> rows = new ArrayList<>();
    for (String key : keys) {
      boolean first = key.equals(keys.get(0));
      if (failOnError(res, key, c.method, first && c.errors + 1 >= MAX_COMMAND_ERRORS)) {
        // count only failures without progress; later commands were chained to a missing result: discard them
        c.errors = first ? c.errors + 1 : 0;
        break;
      }
      c.errors = 0;
      JsonNode r = res.path("result").path(key);
      JsonNode page = c.items ? r.path("items") : r;
      if (c.total < 0) {
        // no total (should not happen with start=0): unknown, so fill the free slots until a short page
        JsonNode t = res.path("result_total").path(key);
        c.total = t.isMissingNode() || t.isNull() ? Long.MAX_VALUE / 2 : t.asLong(0);
        if (!c.probe.goOn(c)) {
          c.done = true;
          return;
        }
      }
      long firstId = page.size() > 0 ? page.get(0).path("ID").asLong() : Long.MAX_VALUE;
      if (firstId <= c.lastId) {
        throw new ApiException("Bitrix24 POST batch (" + c.method + "): a page starts at ID " + firstId
            + ", not after " + c.lastId + " (batch result substitution not applied?); try again later", 200, null);
      }
      for (JsonNode row : page) {
        rows.add(row);
        c.lastId = Math.max(c.lastId, row.path("ID").asLong());
      }
      c.read += page.size();
      if (page.size() < PAGE || (c.total >= 0 && c.read >= c.total)) {
        c.done = true;
        break;
      }
    }
    long lastId = c.lastId;
    boolean done = c.done;
    writes.add(() -> c.sink.rows(c, rows, lastId, done));
  }

  /**
   * True when the command failed; throws when the error is not worth retrying (access, scope) or
   * {@code fatal}. Per-command errors come back with HTTP 200 inside {@code result_error}.
   */
  private static boolean failOnError(JsonNode res, String key, String what, boolean fatal) throws ApiException {
    JsonNode err = res.path("result_error").path(key);
    if (err.isMissingNode() && res.path("result").has(key)) {
      return false;
    }
    String code = err.path("error").asText("");
    if (err.isMissingNode()) {
      code = "NOT_EXECUTED";
    }
    boolean access = switch (code) {
      case "insufficient_scope", "NO_AUTH_FOUND", "INVALID_CREDENTIALS", "ACCESS_DENIED", "expired_token",
          "invalid_token", "ERROR_METHOD_NOT_FOUND" -> true;
      default -> false;
    };
    if (fatal || access) {
      String text = err.path("error_description").asText("");
      throw new ApiException("Bitrix24 POST batch (" + what + "): " + code + (text.isEmpty() ? "" : " (" + text + ")")
          + "; " + Bitrix24Client.advice(access ? 403 : 500, code), 200, code);
    }
    return true;
  }

  /** PHP-style query ({@code a[b]=v}, lists as {@code a[0]=x}), URL-encoded, for a batch command. */
  static String encode(Map<String, ?> params) {
    List<String> parts = new ArrayList<>();
    params.forEach((k, v) -> flatten(k, v, parts));
    return String.join("&", parts);
  }

  private static void flatten(String key, Object v, List<String> out) {
    if (v instanceof Map<?, ?> m) {
      m.forEach((k, x) -> flatten(key + "[" + k + "]", x, out));
    } else if (v instanceof List<?> l) {
      for (int i = 0; i < l.size(); i++) {
        flatten(key + "[" + i + "]", l.get(i), out);
      }
    } else {
      out.add(enc(key) + "=" + enc(String.valueOf(v)));
    }
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
