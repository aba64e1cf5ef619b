package io.crmkpi.hubspot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmkpi.files.exports.ChannelMapper;
import io.crmkpi.store.Store;
import io.crmkpi.sync.Batch;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** HubSpot records as the CRM v3 docs show them, mapped without a portal (the channel map from a fresh store). */
class HubSpotMapperTest {

  static final ObjectMapper M = new ObjectMapper();

  private static HubSpotMapper mapper(String companyCurrency) throws Exception {
    try (Store store = Store.inMemory()) {
      return new HubSpotMapper(ZoneId.of("Europe/Berlin"), companyCurrency, ChannelMapper.load(store, Map.of()));
    }
  }

  private static JsonNode json(String s) throws Exception {
    return M.readTree(s);
  }

  /** The docs' default pipeline: stage kinds from the string metadata. */
  static final String PIPELINE = """
      {"id": "default", "label": "Sales Pipeline", "displayOrder": 0, "archived": false,
       "stages": [
         {"id": "appointmentscheduled", "label": "Appointment Scheduled", "displayOrder": 0,
          "metadata": {"isClosed": "false", "probability": "0.2"}},
         {"id": "closedwon", "label": "Closed Won", "displayOrder": 5, "metadata": {"isClosed": "true", "probability": "1.0"}},
         {"id": "closedlost", "label": "Closed Lost", "displayOrder": 6, "metadata": {"isClosed": "true", "probability": "0.0"}}]}
      """;

  @Test
  void aWonDealWithoutCurrencyIsInTheCompanyCurrencyAndInTheDeclaredZone() throws Exception {
    HubSpotMapper m = mapper("EUR");
    Batch p = new Batch().next();
    m.pipeline(json(PIPELINE), p);
    assertEquals(List.of("open", "won", "lost"), p.inserted("crm.stages").stream().map(s -> s.get("kind")).toList());
    // a single-currency portal: no deal_currency_code at all; amount a string; times ISO Z
    Batch b = new Batch().next();
    m.deal(json("""
        {"id": "312929580", "properties": {"dealname": "Big deal", "amount": "60000", "dealstage": "closedwon",
          "pipeline": "default", "createdate": "2024-06-30T22:00:00.000Z", "closedate": "2024-07-31T22:30:00.000Z",
          "hs_lastmodifieddate": "2024-08-01T08:00:00.000Z", "hubspot_owner_id": "52550153",
          "hs_analytics_source": "PAID_SEARCH", "hs_object_id": "312929580"},
         "createdAt": "2024-06-30T22:00:00.000Z", "updatedAt": "2024-08-01T08:00:00.000Z", "archived": false,
         "associations": {"contacts": {"results": [{"id": "901", "type": "deal_to_contact"},
                                                   {"id": "77", "type": "deal_to_contact"}]}},
         "propertiesWithHistory": {"dealstage": [
           {"value": "closedwon", "timestamp": "2024-07-31T22:30:00.000Z", "sourceType": "CRM_UI"},
           {"value": "appointmentscheduled", "timestamp": "2024-06-30T22:00:00.000Z", "sourceType": "CRM_UI"}]}}
        """), b);
    Map<String, Object> d = b.inserted("crm.deals").get(0);
    assertEquals(List.of("312929580", "won", "EUR", "paid_search", "77"), List.of(d.get("deal_id"), d.get("status"),
        d.get("currency"), d.get("channel"), d.get("contact_id")));
    assertEquals(new BigDecimal("60000"), d.get("amount"));
    // Berlin summer (+02:00): 22:00Z is local midnight of the next day
    assertEquals(LocalDateTime.of(2024, 7, 1, 0, 0), d.get("created_at"));
    assertEquals(LocalDateTime.of(2024, 8, 1, 0, 30), d.get("closed_at"));
    assertEquals(List.of("null>appointmentscheduled@2024-07-01T00:00", "appointmentscheduled>closedwon@2024-08-01T00:30"),
        b.inserted("crm.deal_stage_history").stream()
            .map(h -> h.get("from_stage_id") + ">" + h.get("to_stage_id") + "@" + h.get("changed_at")).toList(),
        "oldest first, from = the previous value");
    Map<String, Object> lead = b.inserted("crm.leads").get(0);
    assertEquals(List.of("312929580", "converted", "312929580"), List.of(lead.get("lead_id"), lead.get("status"),
        lead.get("converted_deal_id")));
  }

  @Test
  void aMissingAmountHasNoCurrencyAndAnAbsentPropertyIsNull() throws Exception {
    HubSpotMapper m = mapper("USD");
    Batch p = new Batch().next();
    m.pipeline(json(PIPELINE), p);
    Batch b = new Batch().next();
    // amount emptied (null), hs_analytics_source never set (absent), deal_currency_code given
    m.deal(json("""
        {"id": "5", "properties": {"dealname": "x", "amount": null, "deal_currency_code": "GBP",
          "dealstage": "appointmentscheduled", "pipeline": "default", "createdate": "2024-01-15T09:00:00Z",
          "hs_lastmodifieddate": "2024-01-15T09:00:00Z"}}
        """), b);
    Map<String, Object> d = b.inserted("crm.deals").get(0);
    assertEquals(null, d.get("amount"));
    assertEquals("GBP", d.get("currency"), "the deal's own code wins");
    assertEquals("unknown", d.get("channel"));
    assertEquals("open", d.get("status"));
    assertEquals(null, d.get("closed_at"));
    assertEquals(LocalDateTime.of(2024, 1, 15, 10, 0), d.get("created_at"), "Berlin winter: +01:00");
  }
}
