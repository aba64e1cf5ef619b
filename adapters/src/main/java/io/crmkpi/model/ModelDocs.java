package io.crmkpi.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes {@code docs/data-model.md} from {@link CanonicalModel}, so the doc never drifts from the code. */
public final class ModelDocs {

  private ModelDocs() {
  }

  public static String render() {
    StringBuilder b = new StringBuilder();
    b.append("# The data model (schema `crm`)\n\n")
        .append("<!-- generated from adapters/src/main/java/io/crmkpi/model/CanonicalModel.java; "
            + "do not edit: run `mvn -pl adapters test -Dcrmkpi.docs.write=true` -->\n\n")
        .append("Every source (demo, export files, CRM APIs) is mapped into these tables; a column a source ")
        .append("cannot fill is NULL. `*_id` columns hold the source's id as text. Every TIMESTAMP is wall-clock ")
        .append("time in the connection's reporting time zone (`timezone`); DATE columns are never shifted. ")
        .append("Money keeps its currency; `amount_base` is in the base currency (`currency`). ")
        .append("Schema version: ").append(CanonicalModel.VERSION).append(".\n\n");
    b.append("| table | what it holds |\n|---|---|\n");
    for (Table t : CanonicalModel.tables()) {
      b.append("| [`crm.").append(t.name()).append("`](#crm").append(t.name())
          .append(") | ").append(t.description()).append(" |\n");
    }
    for (Table t : CanonicalModel.tables()) {
      b.append("\n## crm.").append(t.name()).append("\n\n").append(t.description()).append('\n');
      if (!t.primaryKey().isEmpty()) {
        b.append("\nKey: ").append(String.join(", ", t.primaryKey())).append(".\n");
      }
      List<ForeignKey> refs = CanonicalModel.foreignKeys(t.name());
      if (!refs.isEmpty()) {
        b.append("\nReferences (reported to BI tools as foreign keys, not enforced): ");
        for (int i = 0; i < refs.size(); i++) {
          ForeignKey k = refs.get(i);
          b.append(i == 0 ? "" : ", ").append(k.column()).append(" → [`crm.").append(k.refTable()).append("`](#crm")
              .append(k.refTable()).append(')');
        }
        b.append(".\n");
      }
      b.append("\n| column | type | description |\n|---|---|---|\n");
      for (Column c : t.columns()) {
        b.append("| ").append(c.name()).append(" | ").append(c.type().ddl()).append(" | ").append(c.description())
            .append(" |\n");
      }
    }
    return b.toString();
  }

  public static void write(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, render());
  }
}
