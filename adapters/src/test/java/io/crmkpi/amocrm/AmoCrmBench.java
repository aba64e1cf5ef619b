package io.crmkpi.amocrm;

import io.crmkpi.http.ApiClient;
import io.crmkpi.http.HttpClock;
import io.crmkpi.http.SyncRun;
import io.crmkpi.source.SourceContext;
import io.crmkpi.store.Store;
import java.util.Map;

/** Full amoCRM sync against the fake account with amoCRM's real limit (7 req/s), real time. */
public final class AmoCrmBench {

  private AmoCrmBench() {
  }

  public static SyncRun fullSync(int leads) throws Exception {
    try (FakeAmoCrmServer server = new FakeAmoCrmServer(HttpClock.SYSTEM, 1, leads); Store store = Store.inMemory()) {
      server.longLivedToken = "bench-token-123456";
      SourceContext ctx = SourceContext.of(Map.of("token", server.longLivedToken, "timezone", "UTC"));
      AmoCrmSync src = new AmoCrmSync(server.base(), ctx, HttpClock.SYSTEM, ApiClient.Settings.defaults());
      long t0 = System.nanoTime();
      src.load(store, ctx);
      double s = (System.nanoTime() - t0) / 1e9;
      long requests = server.log().size();
      // the same account again, nothing changed: what a reconnect or refresh costs
      server.clearLog();
      long t1 = System.nanoTime();
      src.load(store, ctx);
      double s2 = (System.nanoTime() - t1) / 1e9;
      long requests2 = server.log().size();
      // the events asked for (status changes, deletions, restores), not every event the account has
      long events = server.events.stream().filter(e -> AmoCrmSync.EVENT_TYPES.contains(e.get("type").asText())).count();
      long min = 2 + SyncRun.pages(server.users.size(), 250) + SyncRun.pages(server.companies.size(), 250)
          + SyncRun.pages(server.contacts.size(), 250) + SyncRun.pages(server.leads.size(), 250)
          + SyncRun.pages(server.tasks.size(), 250) + SyncRun.pages(events, 100);
      return new SyncRun("amoCRM (7 req/s)", server.leads.size() + server.contacts.size() + server.companies.size()
          + server.tasks.size() + events, requests, min, s, requests / 7.0, "leads " + server.leads.size()
          + ", contacts " + server.contacts.size() + ", companies " + server.companies.size() + ", tasks "
          + server.tasks.size() + " /250; events " + events + " /100; + account, pipelines; 429s "
          + server.rateRejections.get(), requests2, s2);
    }
  }
}
