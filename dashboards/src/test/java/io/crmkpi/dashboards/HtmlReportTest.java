package io.crmkpi.dashboards;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The page's data block carries each card's own message for an empty result. */
class HtmlReportTest {

  @Test
  void anEmptyCardSaysWhatItNeeds() throws Exception {
    Dashboard d = DashboardCatalog.bundled("pipeline");
    Map<String, CardResult> results = new LinkedHashMap<>();
    for (Card card : d.cards()) {
      results.put(card.id(), new CardResult(card.columns(), List.of()));
    }
    String html = HtmlReport.render(List.of(new HtmlReport.Page(d, FilterValues.defaults(d, LocalDate.of(2026, 12, 7)),
        results)), "jdbc:crmkpi:files:/x", "2026-12-07 00:00:00", "RUB");
    Matcher m = Pattern.compile("<script type=\"application/json\" id=\"report-data\">(.*?)</script>", Pattern.DOTALL)
        .matcher(html);
    m.find();
    Map<String, String> empty = new LinkedHashMap<>();
    for (JsonNode c : new ObjectMapper().readTree(m.group(1).replace("<\\/", "</")).get("dashboards").get(0).get("cards")) {
      empty.put(c.get("dom").asText(), c.get("empty").asText());
    }
    assertEquals("No revenue plan per pipeline for this quarter: load the plans into crm.targets (targets.csv) to compare.",
        empty.get("card-pipeline-plan_quarter"));
    assertEquals("No rows: close-date slippage needs deal snapshots (crm.deal_snapshots), which loads and syncs record "
        + "over time.", empty.get("card-pipeline-push_rate"));
    assertEquals("No rows for these filters.", empty.get("card-pipeline-forecast"));
  }
}
