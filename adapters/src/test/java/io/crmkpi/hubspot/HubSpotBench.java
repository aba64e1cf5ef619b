package io.crmkpi.hubspot;

import io.crmkpi.http.ApiClient;
import io.crmkpi.http.HttpClock;
import io.crmkpi.http.SyncRun;
import io.crmkpi.source.SourceContext;
import io.crmkpi.store.Store;
import java.util.Map;

/** Full HubSpot sync against the fake portal with HubSpot's real limits (100 / 10 s), real time. */
public final class HubSpotBench {

  private HubSpotBench() {
  }

  public static SyncRun fullSync(int deals) throws Exception {
    try (FakeHubSpotServer server = new FakeHubSpotServer(HttpClock.SYSTEM, 1, deals); Store store = Store.inMemory()) {
      SourceContext ctx = SourceContext.of(Map.of("timezone", "UTC"));
      HubSpotSync src = new HubSpotSync(server.base(), FakeHubSpotServer.TOKEN, ctx, HttpClock.SYSTEM,
          ApiClient.Settings.defaults());
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
      long min = 1 + 1 + 2 + SyncRun.pages(server.deals.size(), 50) + SyncRun.pages(server.contacts.size(), 100)
          + SyncRun.pages(server.companies.size(), 100);
      return new SyncRun("HubSpot (100 req / 10 s)", server.deals.size() + server.contacts.size() + server.companies.size(),
          requests, min, s, requests / 10.0, "deals " + server.deals.size() + " /50 with history, contacts "
          + server.contacts.size() + " /100, companies " + server.companies.size() + " /100, + account details, pipelines, owners x2; 429s "
          + server.rateRejections.get(), requests2, s2);
    }
  }
}
