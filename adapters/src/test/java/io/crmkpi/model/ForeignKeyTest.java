package io.crmkpi.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The model's relationships: each names a real column and the referenced table's whole key. */
class ForeignKeyTest {

  @Test
  void dealsReferenceTheirPipelineStageOwnerPartiesAndLead() {
    assertEquals(List.of("deals_pipeline_id_fkey pipelines.pipeline_id", "deals_stage_id_fkey stages.stage_id",
            "deals_owner_user_id_fkey users.user_id", "deals_contact_id_fkey contacts.contact_id",
            "deals_company_id_fkey companies.company_id", "deals_lead_id_fkey leads.lead_id"),
        CanonicalModel.foreignKeys("deals").stream()
            .map(k -> k.name() + " " + k.refTable() + "." + k.refColumn()).toList());
  }

  @Test
  void everyKeyPointsAtAPrimaryKeyAndNamesAreUnique() {
    Set<String> names = new HashSet<>();
    for (ForeignKey k : CanonicalModel.foreignKeys()) {
      assertTrue(CanonicalModel.require(k.table()).column(k.column()).isPresent(), k.name());
      assertEquals(List.of(k.refColumn()), CanonicalModel.require(k.refTable()).primaryKey(), k.name());
      assertTrue(names.add(k.name()), "duplicate " + k.name());
    }
    // 1 stages + 1 companies + 2 contacts + 4 leads + 6 deals + 5 history + 3 orders + 1 items
    // + 5 activities + 3 tickets + 2 surveys + 2 snapshots + 2 targets
    assertEquals(37, names.size());
  }

  @Test
  void theDataModelDocListsEachTablesReferences() {
    String doc = ModelDocs.render();
    int deals = doc.indexOf("\n## crm.deals\n");
    int next = doc.indexOf("\n## ", deals + 1);
    String section = doc.substring(deals, next);
    assertTrue(section.contains("References (reported to BI tools as foreign keys, not enforced): "
        + "pipeline_id → [`crm.pipelines`](#crmpipelines), stage_id → [`crm.stages`](#crmstages), "
        + "owner_user_id → [`crm.users`](#crmusers), contact_id → [`crm.contacts`](#crmcontacts), "
        + "company_id → [`crm.companies`](#crmcompanies), lead_id → [`crm.leads`](#crmleads)."), section);
  }
}
