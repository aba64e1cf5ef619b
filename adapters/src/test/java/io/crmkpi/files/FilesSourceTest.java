package io.crmkpi.files;

import static io.crmkpi.files.StoreRows.fixture;
import static io.crmkpi.files.StoreRows.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmkpi.source.Source;
import io.crmkpi.source.SourceContext;
import io.crmkpi.source.SourceException;
import io.crmkpi.source.Sources;
import io.crmkpi.store.LoadReport;
import io.crmkpi.store.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The hand-made folder files/canonical/basic loaded end to end; every expected value computed by hand. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FilesSourceTest {

  private Store store;
  private LoadReport report;
  private final List<String> progress = new ArrayList<>();

  @BeforeAll
  void load() throws Exception {
    store = Store.inMemory();
    // through the ServiceLoader registration, as the driver does it
    Source source = Sources.create("files", fixture("basic").toString(), SourceContext.of(Map.of()));
    assertInstanceOf(FilesSource.class, source);
    report = source.load(store, new SourceContext(Map.of(), progress::add));
  }

  @Test
  void reportHasOneLinePerFileWithExactCounts() {
    List<String> lines = report.lines().stream()
        .map(l -> l.input() + " " + l.entity() + " " + l.read() + "=" + l.loaded() + "+" + l.rejected()).toList();
    assertEquals(List.of(
        "pipelines.csv pipelines 2=2+0",
        "stages.csv stages 6=6+0",
        "users.csv users 2=2+0",
        "fx_rates.csv fx_rates 4=4+0",
        "companies.csv companies 2=2+0",
        "contacts.csv contacts 2=2+0",
        "deals.csv deals 7=7+0",
        "leads.csv leads 2=2+0",
        "marketing_spend.csv marketing_spend 3=3+0",
        "survey_responses.csv survey_responses 3=3+0"), lines);
    assertEquals(33, report.totalRead());
    assertEquals("files", report.source());
  }

  @Test
  void progressNamesEveryFileInLoadOrderWithRows() {
    // reference tables first (pipelines, stages, users, fx_rates, companies, contacts), then facts by name
    List<String> perFile = progress.stream().filter(p -> p.contains("[canonical-csv]")).toList();
    assertEquals(10, perFile.size(), progress.toString());
    assertEquals("pipelines.csv: 2 rows (2 loaded, 0 rejected) [canonical-csv]", perFile.get(0));
    assertEquals("contacts.csv: 2 rows (2 loaded, 0 rejected) [canonical-csv]", perFile.get(5));
    assertEquals("deals.csv: 7 rows (7 loaded, 0 rejected) [canonical-csv]", perFile.get(6));
    assertEquals("survey_responses.csv: 3 rows (3 loaded, 0 rejected) [canonical-csv]", perFile.get(9));
  }

  @Test
  void referenceTablesKeepTheirValues() throws Exception {
    assertEquals(List.of("p1|Sales|true|1", "p2|Partners|false|2"),
        rows(store, "SELECT * FROM crm.pipelines ORDER BY pipeline_id"));
    // 'WON' is normalised to the model's lower-case kind
    assertEquals(List.of("lost|p1|Lost|11|lost", "q1|p2|Intro|1|open", "q2|p2|Signed|5|won", "s1|p1|New|1|open",
        "s2|p1|Proposal|2|open", "won|p1|Won|10|won"), rows(store, "SELECT stage_id, pipeline_id, name, sort_order, kind FROM crm.stages ORDER BY stage_id"));
    // yes / 0 booleans
    assertEquals(List.of("u1|true", "u2|false"), rows(store, "SELECT user_id, is_active FROM crm.users ORDER BY 1"));
    assertEquals(List.of("EUR|2024-02-01|98.25000000", "RUB|2024-01-01|1.00000000", "USD|2024-01-01|89.50000000",
        "USD|2024-03-01|90.50000000"), rows(store, "SELECT * FROM crm.fx_rates ORDER BY 1, 2"));
    // a DATE-only created_at is midnight; an empty updated_at is NULL
    assertEquals(List.of("c2|2024-02-01 00:00:00", "k1|NULL"),
        rows(store, "SELECT company_id, strftime(created_at, '%Y-%m-%d %H:%M:%S') FROM crm.companies WHERE company_id = 'c2' "
            + "UNION ALL SELECT contact_id, CAST(updated_at AS VARCHAR) FROM crm.contacts WHERE contact_id = 'k1'"));
  }

  @Test
  void dealsGetStatusPipelineCurrencyAndAmountBase() throws Exception {
    assertEquals(List.of(
        // 100.00 USD closed 2024-03-05: latest earlier USD rate is 2024-03-01's 90.5 -> 9050.00
        "d1|p1|won|100.00|USD|9050.00",
        // open, dated 2023-12-20, before the first USD rate (2024-01-01, 89.5): the earliest rate -> 4475.00
        "d2|p1|open|50.00|USD|4475.00",
        // 10.02 EUR closed 2024-03-01 at 98.25 = 984.465 -> 984.47 (half-up, exact decimal)
        "d3|p1|lost|10.02|EUR|984.47",
        // base currency RUB (rate 1 in fx_rates): unchanged
        "d4|p1|won|2000.00|RUB|2000.00",
        // 30 USD closed 2024-04-02 -> 30 x 90.5 = 2715.00
        "d5|p2|won|30.00|USD|2715.00",
        // no amount: no currency, no amount_base
        "d6|p1|open|NULL|NULL|NULL",
        // pipeline from the stage s2, 'Open' normalised, 'usd' upper-cased, 5.5 x 90.5 = 497.75
        "d7|p1|open|5.50|USD|497.75"),
        rows(store, "SELECT deal_id, pipeline_id, status, amount, currency, amount_base FROM crm.deals ORDER BY 1"));
    assertEquals(List.of("d3|too expensive|false"),
        rows(store, "SELECT deal_id, loss_reason, is_deleted FROM crm.deals WHERE loss_reason IS NOT NULL"));
  }

  @Test
  void historyIsInferredFromDealDates() throws Exception {
    assertEquals(List.of(
        "d1|p1|NULL|s1|2024-02-10 10:00:00|u1|true",
        "d1|p1|s1|won|2024-03-05 12:00:00|u1|true",
        "d2|p1|NULL|s1|2023-12-20 09:00:00|u2|true",
        "d2|p1|s1|s2|2024-01-15 08:00:00|u2|true",
        "d3|p1|NULL|s1|2024-02-20 00:00:00|u1|true",
        "d3|p1|s1|lost|2024-03-01 09:15:00|u1|true",
        "d4|p1|NULL|s1|2024-03-10 11:00:00|u2|true",
        "d4|p1|s1|won|2024-03-20 16:45:00|u2|true",
        "d5|p2|NULL|q1|2024-04-01 09:00:00|u1|true",
        "d5|p2|q1|q2|2024-04-02 14:30:00|u1|true",
        // already in the first stage: only the creation
        "d6|p1|NULL|s1|2024-03-03 10:00:00|u2|true",
        // no updated_at: the move into the current stage is dated at creation
        "d7|p1|NULL|s1|2024-03-15 10:00:00|u1|true",
        "d7|p1|s1|s2|2024-03-15 10:00:00|u1|true"),
        rows(store, "SELECT deal_id, pipeline_id, from_stage_id, to_stage_id, "
            + "strftime(changed_at, '%Y-%m-%d %H:%M:%S'), user_id, is_inferred FROM crm.deal_stage_history "
            + "ORDER BY deal_id, changed_at, from_stage_id NULLS FIRST"));
  }

  @Test
  void wonDealsBecomeOrdersAndCustomers() throws Exception {
    assertEquals(List.of(
        "d1|company:c1|d1|2024-03-05 12:00:00|100.00|USD|9050.00|u1|google_ads",
        "d4|contact:k1|d4|2024-03-20 16:45:00|2000.00|RUB|2000.00|u2|NULL",
        "d5|company:c1|d5|2024-04-02 14:30:00|30.00|USD|2715.00|u1|email"),
        rows(store, "SELECT order_id, customer_id, deal_id, strftime(ordered_at, '%Y-%m-%d %H:%M:%S'), amount, "
            + "currency, amount_base, owner_user_id, channel FROM crm.orders ORDER BY 1"));
    assertEquals(List.of(
        // channel of the first order's deal (d1); 9050.00 + 2715.00
        "company:c1|company|Acme|google_ads|2024-03-05 12:00:00|2024-04-02 14:30:00|2|11765.00|NULL",
        // d4 has no channel: the contact's own channel
        "contact:k1|contact|Ivan Sidorov|social|2024-03-20 16:45:00|2024-03-20 16:45:00|1|2000.00|NULL"),
        rows(store, "SELECT customer_id, kind, name, channel, strftime(first_order_at, '%Y-%m-%d %H:%M:%S'), "
            + "strftime(last_order_at, '%Y-%m-%d %H:%M:%S'), orders, revenue_base, churned_at "
            + "FROM crm.customers ORDER BY 1"));
  }

  @Test
  void leadsSpendAndSurveys() throws Exception {
    assertEquals(List.of("l1|converted|google_ads|d1|2024-02-09 08:20:00", "l2|junk|direct|NULL|NULL"),
        rows(store, "SELECT lead_id, status, channel, converted_deal_id, "
            + "strftime(first_response_at, '%Y-%m-%d %H:%M:%S') FROM crm.leads ORDER BY 1"));
    assertEquals(List.of(
        "google_ads|spring|2024-02-29|1000.00|USD|89500.00",
        "google_ads|spring|2024-03-01|1000.00|USD|90500.00",
        // no currency: the base currency
        "yandex_direct|brand|2024-03-01|15000.00|RUB|15000.00"),
        rows(store, "SELECT * FROM crm.marketing_spend ORDER BY 1, 3"));
    assertEquals(List.of(
        "r1|nps|10|company:c1|k2|2024-04-10 12:00:00|email|Great, thanks",
        "r2|csat|1|contact:k1|k1|2024-04-11 00:00:00|phone|NULL",
        "r3|nps|0|NULL|NULL|2024-04-12 08:00:00|NULL|NULL"),
        rows(store, "SELECT response_id, survey, score, customer_id, contact_id, "
            + "strftime(responded_at, '%Y-%m-%d %H:%M:%S'), channel, comment FROM crm.survey_responses ORDER BY 1"));
    assertEquals(List.of("0"), rows(store, "SELECT count(*) FROM crm.load_rejects"));
  }

  @Test
  void missingFolderIsRefusedWithUsage(@TempDir Path dir) {
    Path missing = dir.resolve("nope");
    SourceException e = assertThrows(SourceException.class,
        () -> Sources.create("files", missing.toString(), SourceContext.of(Map.of())));
    assertEquals("folder " + missing + " does not exist; jdbc:crmkpi:files:<folder> needs a folder of CSV or "
        + "export files", e.getMessage());
    SourceException onLoad = assertThrows(SourceException.class,
        () -> new FilesSource(missing).load(store, SourceContext.of(Map.of())));
    assertEquals(e.getMessage(), onLoad.getMessage());
    SourceException empty = assertThrows(SourceException.class,
        () -> Sources.create("files", "", SourceContext.of(Map.of())));
    assertTrue(empty.getMessage().startsWith("jdbc:crmkpi:files:<folder> needs a folder"), empty.getMessage());
  }

  @Test
  void unknownFileStopsTheLoadBeforeAnythingIsWritten(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("deals.csv"), "deal_id,title\nx1,X\n", StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("notes.txt"), "call Bob on Monday\n", StandardCharsets.UTF_8);
    Files.writeString(dir.resolve(".DS_Store"), "hidden files are skipped", StandardCharsets.UTF_8);
    try (Store fresh = Store.inMemory()) {
      SourceException e = assertThrows(SourceException.class,
          () -> new FilesSource(dir).load(fresh, SourceContext.of(Map.of())));
      assertTrue(e.getMessage().startsWith("notes.txt in " + dir + ": no file format recognises it (tried: "),
          e.getMessage());
      assertTrue(e.getMessage().contains("canonical-csv"), e.getMessage());
      assertTrue(e.getMessage().contains("docs/sources/"), e.getMessage());
      assertEquals(List.of("0"), rows(fresh, "SELECT count(*) FROM crm.deals"));
    }
  }

  @Test
  void profileForcesAFormatAndAnUnknownProfileListsTheFormats(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("deals.csv"), "deal_id,titel\nx1,X\n", StandardCharsets.UTF_8);
    try (Store fresh = Store.inMemory()) {
      SourceException unknown = assertThrows(SourceException.class,
          () -> new FilesSource(dir).load(fresh, SourceContext.of(Map.of("profile", "bitrix99"))));
      assertTrue(unknown.getMessage().startsWith("profile=bitrix99 is not a known file format; known formats: "),
          unknown.getMessage());
      assertTrue(unknown.getMessage().contains("canonical-csv"), unknown.getMessage());
      // forced: canonical CSV reads it and explains the header
      SourceException header = assertThrows(SourceException.class,
          () -> new FilesSource(dir).load(fresh, SourceContext.of(Map.of("profile", "canonical-csv"))));
      assertTrue(header.getMessage().startsWith("deals.csv:1: unknown column 'titel' for crm.deals; valid columns: "
          + "deal_id, title, pipeline_id"), header.getMessage());
    }
  }

  @Test
  void givenHistoryAndOrdersWinOverDerivedOnes(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("stages.csv"), "stage_id,pipeline_id,sort_order,kind\n"
        + "s1,p1,1,open\nwon,p1,10,won\n", StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("deals.csv"), "deal_id,stage_id,amount,currency,created_at,closed_at,company_id,"
        + "contact_id\n"
        + "d1,won,10,RUB,2024-01-01 10:00:00,2024-01-05 10:00:00,c1,\n"
        + "d2,won,20,RUB,2024-01-02 09:00:00,2024-01-03 09:00:00,,k9\n", StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("deal_stage_history.csv"), "deal_id,from_stage_id,to_stage_id,changed_at\n"
        + "d1,,s1,2024-01-01 10:00:00\nd1,s1,won,2024-01-04 18:00:00\n", StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("orders.csv"), "order_id,customer_id,deal_id,ordered_at,amount,currency\n"
        + "o1,company:c1,d1,2024-01-06 12:00:00,15,RUB\n", StandardCharsets.UTF_8);
    try (Store fresh = Store.inMemory()) {
      new FilesSource(dir).load(fresh, SourceContext.of(Map.of()));
      // d1 keeps its loaded history (not inferred); only d2, which has none, gets inferred rows
      assertEquals(List.of(
          "d1|NULL|s1|2024-01-01 10:00:00|false",
          "d1|s1|won|2024-01-04 18:00:00|false",
          "d2|NULL|s1|2024-01-02 09:00:00|true",
          "d2|s1|won|2024-01-03 09:00:00|true"),
          rows(fresh, "SELECT deal_id, from_stage_id, to_stage_id, strftime(changed_at, '%Y-%m-%d %H:%M:%S'), "
              + "is_inferred FROM crm.deal_stage_history ORDER BY deal_id, changed_at"));
      // orders.csv given: the won deal d2 does not become an order
      assertEquals(List.of("o1|company:c1|15.00|RUB|15.00"),
          rows(fresh, "SELECT order_id, customer_id, amount, currency, amount_base FROM crm.orders"));
      assertEquals(List.of("company:c1|2024-01-06 12:00:00|1|15.00"),
          rows(fresh, "SELECT customer_id, strftime(first_order_at, '%Y-%m-%d %H:%M:%S'), orders, revenue_base "
              + "FROM crm.customers"));
    }
  }

  @Test
  void rankPutsReferenceFilesFirst() {
    assertEquals(0, FilesSource.rank("pipelines"));
    assertEquals(3, FilesSource.rank("fx_rates"));
    assertEquals(5, FilesSource.rank("amocrm_contacts"));
    assertEquals(6, FilesSource.rank("deals"));
    assertEquals(6, FilesSource.rank("deal_stage_history"));
  }
}
