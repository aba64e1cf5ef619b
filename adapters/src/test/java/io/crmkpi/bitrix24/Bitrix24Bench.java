package io.crmkpi.bitrix24;

import io.crmkpi.http.ApiClient;
import io.crmkpi.http.HttpClock;
import io.crmkpi.http.SyncRun;
import io.crmkpi.source.SourceContext;
import io.crmkpi.store.Store;
import java.util.Map;

/**
 * Full Bitrix24 sync against the fake portal with the real leaky bucket (2 req/s, burst 50), real
 * time. The minimum uses {@code batch}: 50 list commands of 50 records = 2,500 records a call.
 */
public final class Bitrix24Bench {

  private Bitrix24Bench() {
  }

  public static SyncRun fullSync(int deals) throws Exception {
    try (FakeBitrix24Server server = new FakeBitrix24Server(HttpClock.SYSTEM, 1, deals); Store store = Store.inMemory()) {
      SourceContext ctx = SourceContext.of(Map.of("timezone", "UTC"));
      Bitrix24Sync src = new Bitrix24Sync(server.base().resolve("/rest/1/" + FakeBitrix24Server.CODE + "/"), ctx,
          HttpClock.SYSTEM, ApiClient.Settings.defaults());
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
      // the published minimum (docs/benchmarks.md): reference batch + per list entity 2,500 records a
      // call (deals, contacts, history; leads/companies/activities empty: 1 each)
      long min = 1 + SyncRun.pages(server.deals.size(), 2500) + SyncRun.pages(server.contacts.size(), 2500)
          + SyncRun.pages(server.history.size(), 2500) + 3;
      // tighter: every page of every list (an empty list still needs its one page) plus the 3 reference
      // commands, packed 50 commands a call across lists as if all counts were known in advance
      long pages = 3 + 3 + SyncRun.pages(server.deals.size(), 50) + SyncRun.pages(server.contacts.size(), 50)
          + SyncRun.pages(server.history.size(), 50);
      long packed = (pages + 49) / 50;
      return new SyncRun("Bitrix24 (2 req/s, burst 50)", server.deals.size() + server.contacts.size()
          + server.history.size(), requests, min, s, Math.max(0, requests - 50) / 2.0, "deals " + server.deals.size()
          + ", contacts " + server.contacts.size() + ", stage history " + server.history.size()
          + "; minimum /2,500 per list (batch of 50 x 50); packed lower bound " + packed + " (x"
          + String.format(java.util.Locale.ROOT, "%.3f", (double) requests / packed) + "); batch commands "
          + server.commands.size() + "; 503s " + server.rateRejections.get(), requests2, s2);
    }
  }
}
