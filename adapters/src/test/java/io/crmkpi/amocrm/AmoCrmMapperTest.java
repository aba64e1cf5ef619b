package io.crmkpi.amocrm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmkpi.sync.BadRecord;
import io.crmkpi.sync.Batch;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** amoCRM records as the API v4 docs show them, mapped without a server or a store. */
class AmoCrmMapperTest {

  private final AmoCrmMapper m = new AmoCrmMapper(ZoneId.of("Europe/Moscow"), "RUB");

  private static JsonNode json(String s) throws Exception {
    return AmoCrmClient.JSON.readTree(s);
  }

  /** The docs' lead 19619 (won, status 142 in pipeline 1300), with a main contact, a company, UTM and a city. */
  @Test
  void aWonLeadIsADealAndItsOwnLead() throws Exception {
    JsonNode lead = json("""
        {"id": 19619, "name": "Сделка для примера", "price": 46333, "responsible_user_id": 123321,
         "group_id": 625, "status_id": 142, "pipeline_id": 1300, "loss_reason_id": null,
         "created_by": 321123, "updated_by": 321123, "created_at": 1453279607, "updated_at": 1502193501,
         "closed_at": 1483005931, "is_deleted": false, "account_id": 5135160,
         "custom_fields_values": [
           {"field_id": 501, "field_name": "utm_source", "field_code": "UTM_SOURCE", "field_type": "tracking_data",
            "values": [{"value": " Google "}]},
           {"field_id": 777, "field_name": "Город", "field_code": null, "field_type": "text",
            "values": [{"value": "Казань"}, {"value": "Самара"}]}],
         "_embedded": {"tags": [], "contacts": [{"id": 11, "is_main": false}, {"id": 12, "is_main": true}],
                       "companies": [{"id": 7}]}}
        """);
    Batch b = new Batch().next();
    m.lead(lead, b);
    Map<String, Object> deal = b.inserted("crm.deals").get(0);
    assertEquals("19619", deal.get("deal_id"));
    assertEquals("1300:142", deal.get("stage_id"));
    assertEquals("won", deal.get("status"));
    assertEquals(new BigDecimal("46333"), deal.get("amount"));
    assertEquals("RUB", deal.get("currency"));
    // unix seconds in the account's zone (Moscow, +03:00)
    assertEquals(LocalDateTime.of(2016, 1, 20, 11, 46, 47), deal.get("created_at"));
    assertEquals(LocalDateTime.of(2016, 12, 29, 13, 5, 31), deal.get("closed_at"));
    assertEquals("12", deal.get("contact_id"), "the main contact");
    assertEquals("7", deal.get("company_id"));
    assertEquals("google", deal.get("channel"));
    assertEquals(" Google ", deal.get("utm_source"));
    Map<String, Object> asLead = b.inserted("crm.leads").get(0);
    assertEquals(List.of("19619", "converted", "19619"),
        List.of(asLead.get("lead_id"), asLead.get("status"), asLead.get("converted_deal_id")));
    assertEquals(List.of(Map.of("entity", "deal", "entity_id", "19619", "field_id", "777", "field_name", "Город",
        "value", "Казань; Самара")), b.inserted("crm.custom_fields"), "UTM fields are columns, not custom fields");
  }

  @Test
  void anOpenLeadHasNoCloseAndAnUnknownChannel() throws Exception {
    Batch b = new Batch().next();
    m.lead(json("""
        {"id": 5, "name": "x", "price": null, "status_id": 11, "pipeline_id": 1001, "created_at": 1589808427,
         "updated_at": 1589808427, "closed_at": 1589808427, "custom_fields_values": null}
        """), b);
    Map<String, Object> deal = b.inserted("crm.deals").get(0);
    assertEquals("open", deal.get("status"));
    assertEquals(null, deal.get("closed_at"));
    assertEquals(null, deal.get("amount"));
    assertEquals(null, deal.get("currency"), "no amount, no currency");
    assertEquals("unknown", deal.get("channel"));
    assertThrows(BadRecord.class, () -> m.lead(json("{\"id\": 6, \"name\": \"no stage\"}"), new Batch().next()));
  }

  /** A lead_status_changed event as the docs show it: one history row, stage ids keyed by pipeline. */
  @Test
  void aStatusChangeIsAHistoryRow() throws Exception {
    Batch b = new Batch().next();
    m.event(json("""
        {"id": "01pz58t6p04ymgsgfbmfyfy1mf", "type": "lead_status_changed", "entity_id": 19619,
         "entity_type": "lead", "created_by": 321123, "created_at": 1589808427, "account_id": 5135160,
         "value_after": [{"lead_status": {"id": 142, "pipeline_id": 437642}}],
         "value_before": [{"lead_status": {"id": 5233224, "pipeline_id": 437642}}]}
        """), b);
    Map<String, Object> h = b.inserted("crm.deal_stage_history").get(0);
    assertEquals("19619", h.get("deal_id"));
    assertEquals("437642:5233224", h.get("from_stage_id"));
    assertEquals("437642:142", h.get("to_stage_id"));
    assertEquals(LocalDateTime.of(2020, 5, 18, 16, 27, 7), h.get("changed_at"));
    assertEquals("321123", h.get("user_id"));
    assertEquals(1, b.inserted("amocrm.events").size());
    // other event types are kept raw only
    Batch d = new Batch().next();
    m.event(json("{\"id\": \"x1\", \"type\": \"lead_deleted\", \"entity_id\": 5, \"created_at\": 1589808427,"
        + " \"value_after\": [], \"value_before\": []}"), d);
    assertTrue(d.inserted("crm.deal_stage_history").isEmpty());
    assertEquals("lead_deleted", d.inserted("amocrm.events").get(0).get("type"));
  }
}
