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
      return new HubSpotMapper(ZoneId.of("Europe/Berlin"), ZoneId.of("Europe/Berlin"), companyCurrency,
          ChannelMapper.load(store, Map.of()));
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

  /**
   * Reporting in UTC for a portal in Tokyo (+09:00): the close date is the day HubSpot shows in Tokyo
   * (15:00Z on 31 March is 1 April there), while times are in UTC. Probabilities 0-1 become 0-100
   * exactly (0.7 x 100 in doubles would be 70.00000000000001); stages carry their metadata's.
   */
  @Test
  void closeDateIsTheAccountsDayAndProbabilitiesArePercentages() throws Exception {
    HubSpotMapper m;
    try (Store store = Store.inMemory()) {
      m = new HubSpotMapper(ZoneId.of("UTC"), ZoneId.of("Asia/Tokyo"), "JPY", ChannelMapper.load(store, Map.of()));
    }
    Batch p = new Batch().next();
    m.pipeline(json(PIPELINE), p);
    assertEquals(List.of(20.0, 100.0, 0.0), p.inserted("crm.stages").stream().map(s -> s.get("probability")).toList());
    Batch b = new Batch().next();
    m.deal(json("""
        {"id": "8", "properties": {"dealname": "x", "amount": "100", "dealstage": "appointmentscheduled",
          "pipeline": "default", "createdate": "2024-03-01T09:00:00Z", "closedate": "2024-03-31T15:00:00Z",
          "hs_deal_stage_probability": "0.7", "hs_lastmodifieddate": "2024-03-01T09:00:00Z"}}
        """), b);
    Map<String, Object> d = b.inserted("crm.deals").get(0);
    assertEquals(java.time.LocalDate.of(2024, 4, 1), d.get("expected_close_date"));
    assertEquals(70.0, d.get("probability"));
    assertEquals(LocalDateTime.of(2024, 3, 1, 9, 0), d.get("created_at"), "times in the reporting zone (UTC)");
    assertEquals(List.of(), b.inserted("util.deal_snapshot_seed"), "no seed unless the full read asks for one");
  }

  /**
   * The seed from propertiesWithHistory (newest first): stage, amount and close date change at three
   * moments, two of them the same (amount and stage at 10:00Z), the close date set once; an integration
   * rewriting 1000 as 1000.00 is no change; the last interval is open and is the deal as it is. Berlin
   * winter, +01:00.
   */
  @Test
  void propertyHistorySeedsPastIntervals() throws Exception {
    HubSpotMapper m = mapper("EUR");
    Batch p = new Batch().next();
    m.pipeline(json(PIPELINE), p);
    m.seedHistory(true);
    Batch b = new Batch().next();
    m.deal(json("""
        {"id": "9", "properties": {"dealname": "x", "amount": "1500", "dealstage": "closedwon", "pipeline": "default",
          "createdate": "2024-02-01T10:00:00Z", "closedate": "2024-02-20T11:00:00Z", "hs_deal_stage_probability": "1.0",
          "hs_lastmodifieddate": "2024-02-20T11:00:00Z"},
         "propertiesWithHistory": {
           "dealstage": [{"value": "closedwon", "timestamp": "2024-02-20T11:00:00.000Z", "sourceType": "CRM_UI"},
                         {"value": "appointmentscheduled", "timestamp": "2024-02-01T10:00:00.000Z", "sourceType": "CRM_UI"}],
           "amount": [{"value": "1500", "timestamp": "2024-02-10T08:30:00.000Z", "sourceType": "CRM_UI"},
                      {"value": "1000.00", "timestamp": "2024-02-05T07:00:00.000Z", "sourceType": "INTEGRATION"},
                      {"value": "1000", "timestamp": "2024-02-01T10:00:00.000Z", "sourceType": "CRM_UI"}],
           "closedate": [{"value": "2024-02-20T11:00:00.000Z", "timestamp": "2024-02-20T11:00:00.000Z",
                          "sourceType": "CALCULATED"}]}}
        """), b);
    assertEquals(List.of(
        "2024-02-01T11:00>2024-02-10T09:30 appointmentscheduled open 1000 20.0 null",
        "2024-02-10T09:30>2024-02-20T12:00 appointmentscheduled open 1500 20.0 null",
        "2024-02-20T12:00>null closedwon won 1500 100.0 2024-02-20"),
        b.inserted("util.deal_snapshot_seed").stream().map(r -> r.get("valid_from") + ">" + r.get("valid_to") + " "
            + r.get("stage_id") + " " + r.get("status") + " " + r.get("amount") + " " + r.get("probability") + " "
            + r.get("expected_close_date")).toList());
  }
}
