package io.crmkpi.bitrix24;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmkpi.sync.BadRecord;
import io.crmkpi.sync.Batch;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bitrix24 records as the REST docs show them, mapped without a portal or a store. */
class Bitrix24MapperTest {

  static final ObjectMapper M = new ObjectMapper();

  /** The docs' deal 410 (crm.deal.get), won in a Berlin summer: every date at +02:00. */
  static final String DEAL = """
      {"ID": "410", "TITLE": "New Deal #1", "TYPE_ID": "COMPLEX", "STAGE_ID": "C5:WON", "PROBABILITY": "99",
       "CURRENCY_ID": "EUR", "OPPORTUNITY": "1000000.00", "LEAD_ID": null, "COMPANY_ID": "9", "CONTACT_ID": "84",
       "BEGINDATE": "2024-08-30T02:00:00+02:00", "CLOSEDATE": "2024-09-09T02:00:00+02:00", "ASSIGNED_BY_ID": "1",
       "DATE_CREATE": "2024-08-30T00:00:00+02:00", "DATE_MODIFY": "2024-08-30T14:29:00+02:00", "CLOSED": "Y",
       "CATEGORY_ID": "5", "STAGE_SEMANTIC_ID": "S", "SOURCE_ID": "CALLBACK", "MOVED_TIME": "2024-09-01T00:30:00+02:00",
       "UTM_SOURCE": "google", "UTM_MEDIUM": "CPC", "UTM_CAMPAIGN": null, "UF_CRM_1721244482250": "Hello world!"}
      """;

  @Test
  void aDealKeepsThePortalsLocalTimesOrMovesToTheReportingZone() throws Exception {
    JsonNode deal = M.readTree(DEAL);
    Batch local = new Batch().next();
    new Bitrix24Mapper(null).deal(deal, local);
    Map<String, Object> d = local.inserted("crm.deals").get(0);
    assertEquals(List.of("410", "5", "C5:WON", "won"), List.of(d.get("deal_id"), d.get("pipeline_id"), d.get("stage_id"),
        d.get("status")));
    assertEquals(new BigDecimal("1000000.00"), d.get("amount"));
    assertEquals("EUR", d.get("currency"));
    assertEquals(LocalDateTime.of(2024, 8, 30, 0, 0), d.get("created_at"), "local midnight stays on its day");
    assertEquals(LocalDateTime.of(2024, 9, 1, 0, 30), d.get("closed_at"), "closed = MOVED_TIME of a closed deal");
    assertEquals("google", d.get("channel"));
    assertEquals("84", d.get("contact_id"));
    assertEquals(null, d.get("lead_id"));
    assertEquals(List.of(Map.of("entity", "deal", "entity_id", "410", "field_id", "UF_CRM_1721244482250",
        "field_name", "UF_CRM_1721244482250", "value", "Hello world!")), local.inserted("crm.custom_fields"));

    Batch utc = new Batch().next();
    new Bitrix24Mapper(ZoneId.of("UTC")).deal(deal, utc);
    Map<String, Object> u = utc.inserted("crm.deals").get(0);
    assertEquals(LocalDateTime.of(2024, 8, 29, 22, 0), u.get("created_at"));
    assertEquals(LocalDateTime.of(2024, 8, 31, 22, 30), u.get("closed_at"));
    assertEquals(java.time.LocalDate.of(2024, 9, 9), d.get("expected_close_date"));
    assertEquals(99.0, d.get("probability"));
    assertEquals(java.time.LocalDate.of(2024, 9, 9), u.get("expected_close_date"), "a date never moves with the zone");
  }

  /**
   * CLOSEDATE at a Moscow portal's local midnight (+03:00) is 21:00 UTC the day before: reported in UTC
   * the close date is still the portal's day. An empty PROBABILITY is unknown; a CLOSEDATE that is no
   * date rejects the deal naming the field.
   */
  @Test
  void theCloseDateIsThePortalsDayWhateverTheReportingZone() throws Exception {
    String deal = DEAL.replace("\"CLOSEDATE\": \"2024-09-09T02:00:00+02:00\"", "\"CLOSEDATE\": \"2024-10-01T00:00:00+03:00\"")
        .replace("\"PROBABILITY\": \"99\"", "\"PROBABILITY\": \"\"");
    Batch utc = new Batch().next();
    new Bitrix24Mapper(ZoneId.of("UTC")).deal(M.readTree(deal), utc);
    Map<String, Object> u = utc.inserted("crm.deals").get(0);
    assertEquals(java.time.LocalDate.of(2024, 10, 1), u.get("expected_close_date"));
    assertEquals(null, u.get("probability"));
    BadRecord bad = assertThrows(BadRecord.class, () -> new Bitrix24Mapper(null).deal(M.readTree(
        deal.replace("2024-10-01T00:00:00+03:00", "soon")), new Batch().next()));
    assertEquals("deal 410: CLOSEDATE 'soon' is not a date", bad.getMessage());
  }

  @Test
  void leadsActivitiesAndBadRecords() throws Exception {
    Batch b = new Batch().next();
    Bitrix24Mapper m = new Bitrix24Mapper(null);
    m.lead(M.readTree("""
        {"ID": "7", "TITLE": "Site form", "STATUS_ID": "JUNK", "STATUS_SEMANTIC_ID": "F", "SOURCE_ID": "WEB",
         "UTM_SOURCE": null, "ASSIGNED_BY_ID": "3", "DATE_CREATE": "2024-03-31T01:30:00+01:00",
         "DATE_MODIFY": "2024-03-31T03:30:00+02:00"}
        """), b);
    Map<String, Object> l = b.inserted("crm.leads").get(0);
    assertEquals(List.of("7", "junk", "web", "3"), List.of(l.get("lead_id"), l.get("status"), l.get("channel"),
        l.get("owner_user_id")));
    // either side of Berlin's spring clock change, each value keeps its own local time
    assertEquals(LocalDateTime.of(2024, 3, 31, 1, 30), l.get("created_at"));
    assertEquals(LocalDateTime.of(2024, 3, 31, 3, 30), l.get("updated_at"));

    // a call across that clock change: 01:50 +01:00 to 03:10 +02:00 is 20 minutes, not 80
    Batch a = new Batch().next();
    m.activity(M.readTree("""
        {"ID": "55", "OWNER_ID": "410", "OWNER_TYPE_ID": "2", "TYPE_ID": "2", "DIRECTION": "1", "COMPLETED": "Y",
         "RESPONSIBLE_ID": "1", "AUTHOR_ID": "1", "CREATED": "2024-03-31T01:50:00+01:00",
         "START_TIME": "2024-03-31T01:50:00+01:00", "END_TIME": "2024-03-31T03:10:00+02:00",
         "LAST_UPDATED": "2024-03-31T03:10:00+02:00"}
        """), a);
    Map<String, Object> call = a.inserted("crm.activities").get(0);
    assertEquals(List.of("call", "in", "410", 1200), List.of(call.get("kind"), call.get("direction"), call.get("deal_id"),
        call.get("duration_s")));
    assertThrows(BadRecord.class, () -> m.deal(M.readTree("{\"ID\": \"9\", \"TITLE\": \"no stage\"}"), new Batch().next()));
  }
}
