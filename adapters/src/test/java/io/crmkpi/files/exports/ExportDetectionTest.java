package io.crmkpi.files.exports;

import static io.crmkpi.files.exports.ExportFixtures.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmkpi.files.FileFormat;
import io.crmkpi.files.FileSample;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportDetectionTest {

  /** The export formats registered in META-INF/services (other registered formats are ignored). */
  private static List<FileFormat> formats() {
    List<FileFormat> l = new ArrayList<>();
    for (FileFormat f : ServiceLoader.load(FileFormat.class)) {
      if (List.of("amocrm", "bitrix24", "hubspot", "pipedrive", "salesforce", "mapping").contains(f.name())) {
        l.add(f);
      }
    }
    assertEquals(6, l.size(), "all six export formats are registered");
    return l;
  }

  private static Map<String, Integer> scores(Path file) throws Exception {
    Map<String, Integer> s = new TreeMap<>();
    FileSample sample = FileSample.of(file);
    for (FileFormat f : formats()) {
      s.put(f.name(), f.detect(sample));
    }
    return s;
  }

  @Test
  void everyFixtureIsClaimedByExactlyItsOwnFormat() throws Exception {
    Map<String, String> expected = Map.of(
        "amocrm/amocrm_export_leads_2024-05-20.csv", "amocrm",
        "bitrix24/deals_utf8.csv", "bitrix24",
        "bitrix24/deals_cp1251.csv", "bitrix24",
        "bitrix24/deals_excel.xls", "bitrix24",
        "hubspot/hubspot-crm-exports-all-deals-2023-04-03.csv", "hubspot",
        "hubspot/hubspot-crm-exports-q2-deals-2023-05-16.csv", "hubspot",
        "pipedrive/deals-export.csv", "pipedrive",
        "salesforce/report1716200000000.csv", "salesforce",
        "mapping/sales.csv", "mapping");
    for (Map.Entry<String, String> e : expected.entrySet()) {
      Map<String, Integer> s = scores(fixture(e.getKey()));
      int own = s.get(e.getValue());
      assertTrue(own > 0, e.getKey() + " not claimed by " + e.getValue() + ": " + s);
      for (Map.Entry<String, Integer> other : s.entrySet()) {
        if (!other.getKey().equals(e.getValue()) && !other.getKey().equals("mapping")) {
          // another CRM may see a shared header or two, but never reaches the owner's score
          assertTrue(other.getValue() < own, e.getKey() + ": " + s);
        }
      }
      if (!e.getValue().equals("mapping")) {
        assertEquals(0, s.get("mapping"), e.getKey());
      }
    }
  }

  @Test
  void exportsOfOtherCrmsScoreZero() throws Exception {
    // each CRM's fixture is not even a candidate for the unrelated formats
    assertEquals(0, scores(fixture("hubspot/hubspot-crm-exports-all-deals-2023-04-03.csv")).get("amocrm"));
    assertEquals(0, scores(fixture("amocrm/amocrm_export_leads_2024-05-20.csv")).get("bitrix24"));
    assertEquals(0, scores(fixture("bitrix24/deals_utf8.csv")).get("amocrm"));
    assertEquals(0, scores(fixture("pipedrive/deals-export.csv")).get("hubspot"));
    assertEquals(0, scores(fixture("salesforce/report1716200000000.csv")).get("hubspot"));
  }

  @Test
  void canonicalCsvsAndOtherFilesAreNotClaimed(@TempDir Path dir) throws Exception {
    Path deals = Files.writeString(dir.resolve("deals.csv"),
        "deal_id,title,pipeline_id,stage_id,status,amount,currency,created_at\n1,A,p,s,won,10,USD,2024-01-01\n");
    Path users = Files.writeString(dir.resolve("managers.csv"), "user_id,name,email\nu1,Ann,a@x\n");
    Path notes = Files.writeString(dir.resolve("notes.txt"), "just some text\nwith lines\n");
    Path yaml = Files.writeString(dir.resolve("x.mapping.yaml"), "columns:\n  title: A\n", StandardCharsets.UTF_8);
    for (Path p : List.of(deals, users, notes, yaml)) {
      assertTrue(scores(p).values().stream().allMatch(v -> v == 0), p + ": " + scores(p));
    }
  }
}
