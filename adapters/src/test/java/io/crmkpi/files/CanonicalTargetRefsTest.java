package io.crmkpi.files;

import static io.crmkpi.files.StoreRows.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.crmkpi.source.SourceContext;
import io.crmkpi.store.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Owners and pipelines of targets.csv given by id or by name; a name two users share stays as written. */
class CanonicalTargetRefsTest {

  @Test
  void idsStayNamesOfExactlyOneBecomeTheirIds(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("users.csv"), "user_id,name\nu1,Alice Smith\nu2,Bob Brown\nu3,Bob  BROWN\n"
        + "u4,Yo Ёлкина\n", StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("pipelines.csv"), "pipeline_id,name\np1,Sales\np2,Renewals\n", StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("targets.csv"), "target_id,owner_user_id,pipeline_id,grain,period_start,metric,target\n"
        + "t1,u1,p2,month,2024-01-01,revenue,1\n" // ids: kept
        + "t2,alice smith,RENEWALS,month,2024-01-01,revenue,2\n" // names, any case: their ids
        + "t3,Bob Brown,,month,2024-01-01,revenue,3\n" // two users are "bob brown": kept as written
        + "t4,yo ёлкина,Sales ,month,2024-01-01,revenue,4\n" // ё/е and blanks as the exports' ids ignore them
        + "t5,u9,p9,month,2024-01-01,revenue,5\n", StandardCharsets.UTF_8); // neither: kept
    try (Store store = Store.inMemory()) {
      new FilesSource(dir).load(store, SourceContext.of(Map.of()));
      assertEquals(List.of("t1|u1|p2", "t2|u1|p2", "t3|Bob Brown|NULL", "t4|u4|p1", "t5|u9|p9"),
          rows(store, "SELECT target_id, owner_user_id, pipeline_id FROM crm.targets ORDER BY 1"));
    }
  }
}
