package io.crmkpi.mapping;

import io.crmkpi.files.FileFormat;
import io.crmkpi.files.FileSample;
import io.crmkpi.files.exports.ExportDetection;
import io.crmkpi.files.exports.ExportLoader;
import io.crmkpi.source.SourceContext;
import io.crmkpi.source.SourceException;
import io.crmkpi.store.LoadSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Any CSV/XLSX/HTML deal or lead table described by a YAML mapping file: {@code <name>.mapping.yaml}
 * beside {@code <name>.csv}, or the file named by property {@code mapping=}. A file with a mapping
 * beside it is the user's explicit choice, so it outranks every auto-detected format.
 */
public final class MappingFileFormat implements FileFormat {

  /** Score of a file with a mapping file beside it. */
  static final int SCORE = 200;

  @Override
  public String name() {
    return "mapping";
  }

  @Override
  public int detect(FileSample sample) {
    if (!ExportDetection.EXTENSIONS.contains(sample.extension())) {
      return 0;
    }
    return beside(sample.path()).isPresent() ? SCORE : 0;
  }

  /** {@code <base>.mapping.yaml} (or {@code .yml}) in the data file's folder. */
  static Optional<Path> beside(Path data) {
    String name = data.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String base = dot < 0 ? name : name.substring(0, dot);
    for (String ext : new String[] {".mapping.yaml", ".mapping.yml"}) {
      Path p = data.resolveSibling(base + ext);
      if (Files.isRegularFile(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  @Override
  public void load(Path file, LoadSession session, SourceContext context) throws SourceException, SQLException {
    Optional<Path> mapping = beside(file);
    if (mapping.isEmpty()) {
      mapping = context.property("mapping").map(Path::of);
    }
    if (mapping.isEmpty()) {
      throw new SourceException(file.getFileName() + ": no mapping file; put "
          + file.getFileName().toString().replaceFirst("\\.[^.]*$", "") + ".mapping.yaml beside it or set mapping=<path>");
    }
    new ExportLoader(MappingFileReader.read(mapping.get())).load(file, session, context);
  }
}
