package io.crmkpi.hubspot;

import io.crmkpi.files.FileSample;
import io.crmkpi.files.exports.ExportDetection;
import io.crmkpi.files.exports.ExportFormatSupport;
import io.crmkpi.files.exports.ExportProfile;
import io.crmkpi.files.exports.ExportProfile.Field;
import io.crmkpi.files.exports.ExportTable;
import io.crmkpi.source.SourceContext;
import java.util.List;
import java.util.Set;

/**
 * HubSpot deal export (CSV in either physical layout, or XLSX): property labels as headers, labels
 * as values. Won/lost from "Is Deal Closed?" and the probability when exported, else from the
 * stage label. HubSpot deals are also leads.
 */
public final class HubSpotExportFormat extends ExportFormatSupport {

  @Override
  public String name() {
    return "hubspot";
  }

  @Override
  protected List<String> signature() {
    return List.of("Record ID", "Deal Name", "Deal Stage", "Deal owner", "Is Deal Closed?", "Deal probability",
        "Create Date", "Associated Company", "Associated Company IDs", "Number of Associated Contacts",
        "Original Source Type", "Forecast category", "Closed Lost Reason", "Deal Type", "Is Closed Won");
  }

  @Override
  public int detect(FileSample sample) {
    ExportTable t = ExportDetection.sniff(sample);
    // contact and company exports share Record ID, Create Date, Associated Company: not deals
    return HubSpotContactExportFormat.isDealExport(ExportDetection.headers(t)) ? super.detect(sample) : 0;
  }

  @Override
  protected int shapeBonus(FileSample sample, ExportTable sniffed, Set<String> headers) {
    return sample.fileName().startsWith("hubspot-crm-exports") ? 20 : 0;
  }

  @Override
  protected ExportProfile profile(SourceContext context) {
    return new ExportProfile(name())
        .alsoLead(true)
        .multiValues(';')
        .decimalSeparator('.')
        .column(Field.ID, "Record ID", "Deal ID")
        .column(Field.TITLE, "Deal Name")
        .column(Field.STAGE, "Deal Stage")
        .column(Field.PIPELINE, "Pipeline")
        .column(Field.AMOUNT, "Amount")
        .column(Field.CURRENCY, "Currency", "Deal currency code")
        .column(Field.OWNER, "Deal owner", "Owner")
        .column(Field.CREATED_AT, "Create Date")
        .column(Field.UPDATED_AT, "Last Modified Date")
        .column(Field.CLOSED_AT, "Close Date")
        .column(Field.IS_CLOSED, "Is Deal Closed?", "Is closed")
        .column(Field.IS_WON, "Is Closed Won")
        // "Deal probability" is hs_deal_stage_probability: the stage's, written 0-1 (0.07)
        .column(Field.PROBABILITY, "Deal probability")
        .probabilityAsFraction()
        .stageProbabilityFromDeals()
        // one "Close Date": expected while the deal is open, the close date once closed
        .column(Field.EXPECTED_CLOSE, "Close Date")
        .column(Field.COMPANY, "Associated Company", "Associated Company (Primary)")
        .column(Field.COMPANY_ID, "Associated Company IDs", "Associated Company IDs (Primary)")
        .column(Field.CONTACT, "Associated Contact", "Associated Contact (Primary)")
        .column(Field.CONTACT_ID, "Associated Contact IDs", "Associated Contact IDs (Primary)")
        .column(Field.SOURCE, "Original Source Type", "Original Source", "Latest Source")
        .column(Field.LOSS_REASON, "Closed Lost Reason")
        .defaultPipeline("Sales Pipeline")
        .stageOrder("Appointment scheduled", "Qualified to buy", "Presentation scheduled", "Decision maker bought-in",
            "Contract sent");
  }
}
