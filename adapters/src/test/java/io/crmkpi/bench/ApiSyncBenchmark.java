package io.crmkpi.bench;

import io.crmkpi.amocrm.AmoCrmBench;
import io.crmkpi.bitrix24.Bitrix24Bench;
import io.crmkpi.http.SyncRun;
import io.crmkpi.hubspot.HubSpotBench;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Full sync of each CRM API against its fake server (127.0.0.1) with the CRM's real rate limits and
 * real time: requests used vs the minimum the API allows, wall time vs the rate-limit bound.
 * Args: {@code [crm=N ...]} with crm in hubspot, amocrm, bitrix24 (default hubspot=20000
 * amocrm=20000 bitrix24=20000). Not a unit test (surefire excludes {@code **}{@code /bench/**}).
 */
public final class ApiSyncBenchmark {

  public static void main(String[] args) throws Exception {
    List<String> runs = args.length == 0 ? List.of("hubspot=20000", "amocrm=20000", "bitrix24=20000") : List.of(args);
    List<SyncRun> results = new ArrayList<>();
    for (String r : runs) {
      String[] kv = r.split("=");
      int n = Integer.parseInt(kv[1]);
      SyncRun run = switch (kv[0]) {
        case "hubspot" -> HubSpotBench.fullSync(n);
        case "amocrm" -> AmoCrmBench.fullSync(n);
        case "bitrix24" -> Bitrix24Bench.fullSync(n);
        default -> throw new IllegalArgumentException("unknown CRM " + kv[0]);
      };
      results.add(run);
      print(run);
    }
    System.out.println();
    System.out.println("| CRM | deals | records | requests | minimum | ratio | wall s | rate bound s | ratio |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    for (int i = 0; i < results.size(); i++) {
      SyncRun x = results.get(i);
      System.out.println(String.format(Locale.ROOT, "| %s | %s | %d | %d | %d | %.3f | %.1f | %.1f | %.3f |", x.crm(),
          runs.get(i).split("=")[1], x.records(), x.requests(), x.minimum(), x.requestRatio(), x.seconds(),
          x.boundSeconds(), x.timeRatio()));
    }
    System.out.println();
    System.out.println("| CRM | deals | second sync, unchanged: requests | wall s |");
    System.out.println("|---|---|---|---|");
    for (int i = 0; i < results.size(); i++) {
      SyncRun x = results.get(i);
      System.out.println(String.format(Locale.ROOT, "| %s | %s | %d | %.2f |", x.crm(), runs.get(i).split("=")[1],
          x.secondRequests(), x.secondSeconds()));
    }
  }

  private static void print(SyncRun x) {
    System.out.println(String.format(Locale.ROOT, "%s: %d records, %d requests (minimum %d, x%.3f), %.1f s (bound %.1f s, x%.3f); %s",
        x.crm(), x.records(), x.requests(), x.minimum(), x.requestRatio(), x.seconds(), x.boundSeconds(), x.timeRatio(),
        x.detail()) + String.format(Locale.ROOT, "; second sync, unchanged: %d requests, %.2f s", x.secondRequests(),
        x.secondSeconds()));
  }
}
