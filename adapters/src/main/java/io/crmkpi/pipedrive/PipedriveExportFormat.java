package io.crmkpi.pipedrive;

import io.crmkpi.files.FileSample;
import io.crmkpi.files.exports.ExportDetection;
import io.crmkpi.files.exports.ExportFormatSupport;
import io.crmkpi.files.exports.ExportProfile;
import io.crmkpi.files.exports.ExportProfile.Field;
import io.crmkpi.files.exports.ExportTable;
import io.crmkpi.source.SourceContext;
import java.util.List;
import java.util.Locale;

/**
 * Pipedrive deal export ({@code "Deal - Title"} style headers). In Pipedrive a won or lost deal
 * stays in its last stage, so the deal status comes from "Deal - Status" and stages are open.
 */
public final class PipedriveExportFormat extends ExportFormatSupport {

  @Override
  public String name() {
    return "pipedrive";
  }

  @Override
  protected List<String> signature() {
    return List.of("Deal - Title", "Deal - Value", "Deal - Status", "Deal - Stage", "Deal - Owner", "Deal - Pipeline");
  }

  @Override
  public int detect(FileSample sample) {
    ExportTable t = ExportDetection.sniff(sample);
    if (ExportDetection.notAnExport(sample, t)) {
      return 0;
    }
    long prefixed = t.headers().stream().map(h -> h.strip().toLowerCase(Locale.ROOT))
        .filter(h -> h.startsWith("deal - ")).count();
    return prefixed >= 2 ? (int) Math.min(90, 10 * prefixed) : 0;
  }

  @Override
  protected ExportProfile profile(SourceContext context) {
    return new ExportProfile(name())
        .statusPerDeal(true)
        .decimalSeparator('.')
        .column(Field.ID, "Deal - ID")
        .column(Field.TITLE, "Deal - Title")
        .column(Field.AMOUNT, "Deal - Value")
        .column(Field.CURRENCY, "Deal - Currency", "Deal - Currency of value")
        .column(Field.OWNER, "Deal - Owner")
        .column(Field.PIPELINE, "Deal - Pipeline")
        .column(Field.STAGE, "Deal - Stage")
        .column(Field.STATUS, "Deal - Status")
        .column(Field.PROBABILITY, "Deal - Probability")
        .column(Field.EXPECTED_CLOSE, "Deal - Expected close date")
        .column(Field.CREATED_AT, "Deal - Deal created", "Deal - Add time", "Deal - Created")
        .column(Field.UPDATED_AT, "Deal - Update time", "Deal - Last updated")
        .column(Field.CLOSED_AT, "Deal - Deal closed on", "Deal - Won time", "Deal - Lost time", "Deal - Close time")
        .column(Field.CONTACT, "Deal - Contact person", "Person - Name")
        .column(Field.COMPANY, "Deal - Organization", "Organization - Name")
        .column(Field.SOURCE, "Deal - Source", "Deal - Source channel", "Deal - Source origin")
        .column(Field.LOSS_REASON, "Deal - Lost reason")
        .defaultPipeline("Pipeline");
  }
}
