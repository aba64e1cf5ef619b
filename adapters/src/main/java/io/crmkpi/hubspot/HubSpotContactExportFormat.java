package io.crmkpi.hubspot;

import io.crmkpi.files.FileFormat;
import io.crmkpi.files.FileSample;
import io.crmkpi.files.exports.ExportDetection;
import io.crmkpi.files.exports.ExportTable;
import io.crmkpi.files.exports.PartyExportLoader;
import io.crmkpi.files.exports.PartyExportProfile;
import io.crmkpi.files.exports.PartyExportProfile.Field;
import io.crmkpi.source.SourceContext;
import io.crmkpi.source.SourceException;
import io.crmkpi.store.LoadSession;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/**
 * HubSpot contact or company export (CSV in either physical layout, or XLSX): property labels as
 * headers, labels as values. Rows are keyed by {@code Record ID}, the id deal exports write in
 * "Associated Company IDs" / "Associated Contact IDs"; a deal export that only names them is
 * re-pointed to the record id when its company or contact loads.
 */
public final class HubSpotContactExportFormat implements FileFormat {

  /** Columns only a contact export has (the company export repeats some contact-side ones). */
  private static final List<String> PERSON_HEADERS = List.of("First Name", "Last Name", "Email", "Contact owner");
  private static final List<String> CONTACT_HEADERS = List.of("First Name", "Last Name", "Email", "Contact owner",
      "Job Title", "Lead Status", "Mobile Phone Number", "Marketing contact status", "Primary Associated Company ID");

  private static final List<String> COMPANY_HEADERS = List.of("Company name", "Company owner", "Company Domain Name",
      "Industry", "Number of Employees", "Annual Revenue");

  private static final List<String> SHARED_HEADERS = List.of("Record ID", "Create Date", "Last Activity Date",
      "Lifecycle Stage", "Original Source", "Original Source Type", "Phone Number", "Associated Company",
      "Associated Company IDs", "Associated Deal", "Associated Deal IDs", "Last Modified Date", "City",
      "Country/Region", "State/Region", "Website URL");

  /** Columns only HubSpot writes: without one (or the export file name) the file is another CRM's. */
  private static final List<String> HUBSPOT_HEADERS = List.of("Record ID", "Contact owner", "Company owner",
      "Lifecycle Stage", "Create Date");

  /** Headers of a deal export: such a file belongs to {@link HubSpotExportFormat}. */
  private static final List<String> DEAL_HEADERS = List.of("Deal Name", "Deal Stage", "Deal owner", "Pipeline",
      "Amount", "Close Date", "Is Deal Closed?", "Deal probability");

  @Override
  public String name() {
    return "hubspot-contacts";
  }

  /** True for a deal export (which also has Record ID, Create Date, Associated Company). */
  static boolean isDealExport(Set<String> normalizedHeaders) {
    return ExportDetection.count(normalizedHeaders, DEAL_HEADERS) > 0;
  }

  @Override
  public int detect(FileSample sample) {
    ExportTable t = ExportDetection.sniff(sample);
    if (ExportDetection.notAnExport(sample, t) || t.shape().kind().equals("html")) {
      return 0;
    }
    Set<String> h = ExportDetection.headers(t);
    boolean named = sample.fileName().startsWith("hubspot-crm-exports");
    int own = ExportDetection.count(h, CONTACT_HEADERS) + ExportDetection.count(h, COMPANY_HEADERS);
    if (isDealExport(h) || own == 0 || !named && ExportDetection.count(h, HUBSPOT_HEADERS) == 0) {
      return 0;
    }
    int hits = own + ExportDetection.count(h, SHARED_HEADERS);
    return hits < 2 ? 0 : 10 * hits + (named ? 20 : 0);
  }

  @Override
  public void load(Path file, LoadSession session, SourceContext context) throws SourceException, SQLException {
    PartyExportLoader.loadFile(profile(), PERSON_HEADERS, COMPANY_HEADERS, file, session, context);
  }

  static PartyExportProfile profile() {
    PartyExportProfile p = new PartyExportProfile("hubspot-contacts").crmIds().multiValues(';');
    for (String e : List.of("contact", "company")) {
      p.column(e, Field.ID, "Record ID", e.equals("contact") ? "Contact ID" : "Company ID")
          .column(e, Field.CREATED_AT, "Create Date");
    }
    // crm.companies has no updated_at: a company's Last Modified Date stays a custom field
    return p
        .column("contact", Field.UPDATED_AT, "Last Modified Date")
        .column("contact", Field.FIRST_NAME, "First Name")
        .column("contact", Field.LAST_NAME, "Last Name")
        .column("contact", Field.EMAIL, "Email")
        .column("contact", Field.PHONE, "Phone Number", "Mobile Phone Number")
        .column("contact", Field.COMPANY, "Associated Company", "Associated Company (Primary)", "Company Name")
        .column("contact", Field.COMPANY_ID, "Associated Company IDs", "Associated Company IDs (Primary)",
            "Primary Associated Company ID", "Associated Company ID")
        .column("contact", Field.OWNER, "Contact owner")
        .column("contact", Field.SOURCE, "Original Source", "Original Source Type", "Latest Source")
        .column("company", Field.NAME, "Company name", "Name")
        .column("company", Field.INDUSTRY, "Industry")
        .column("company", Field.OWNER, "Company owner");
  }
}
