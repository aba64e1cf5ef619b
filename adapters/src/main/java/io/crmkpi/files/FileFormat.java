package io.crmkpi.files;

import io.crmkpi.source.SourceContext;
import io.crmkpi.source.SourceException;
import io.crmkpi.store.LoadSession;
import java.nio.file.Path;
import java.sql.SQLException;

/**
 * One kind of input file in a {@code jdbc:crmkpi:files:<dir>} folder (canonical CSV, an amoCRM
 * export, a Bitrix24 export...). Registered through
 * {@code META-INF/services/io.crmkpi.files.FileFormat}; the folder source asks every format to
 * {@link #detect} each file and lets the best one load it.
 */
public interface FileFormat {

  /** Name used in messages and by {@code profile=<name>} to force this format. */
  String name();

  /** How sure this format is that it reads the file: 0 = not its file; higher wins. */
  int detect(FileSample sample);

  /**
   * Reads the file into canonical tables through {@code session}; rows that cannot load go to
   * {@link LoadSession#reject} (or fail the load when {@code context.strict()}), and the file's
   * counts go to {@code session.report()}.
   */
  void load(Path file, LoadSession session, SourceContext context) throws SourceException, SQLException;
}
