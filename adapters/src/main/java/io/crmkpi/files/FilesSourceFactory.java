package io.crmkpi.files;

import io.crmkpi.source.Source;
import io.crmkpi.source.SourceContext;
import io.crmkpi.source.SourceException;
import io.crmkpi.source.SourceFactory;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** {@code jdbc:crmkpi:files:<folder>}. */
public final class FilesSourceFactory implements SourceFactory {

  @Override
  public String kind() {
    return FilesSource.NAME;
  }

  @Override
  public Source create(String target, SourceContext context) throws SourceException {
    String t = target == null ? "" : target.strip();
    if (t.isEmpty()) {
      throw new SourceException("jdbc:crmkpi:files:<folder> needs a folder of CSV or export files, "
          + "e.g. jdbc:crmkpi:files:/data/crm-exports");
    }
    if (t.equals("~") || t.startsWith("~/")) {
      t = System.getProperty("user.home") + t.substring(1);
    }
    try {
      Path folder = Path.of(t);
      FilesSource.list(folder); // fail at connect, not at the first query
      return new FilesSource(folder);
    } catch (InvalidPathException e) {
      throw new SourceException("'" + target + "' is not a valid folder path; jdbc:crmkpi:files:<folder> needs a "
          + "folder of CSV or export files");
    }
  }
}
