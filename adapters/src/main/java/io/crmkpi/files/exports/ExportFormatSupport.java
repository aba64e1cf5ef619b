package io.crmkpi.files.exports;

import io.crmkpi.files.FileFormat;
import io.crmkpi.files.FileSample;
import io.crmkpi.source.SourceContext;
import io.crmkpi.source.SourceException;
import io.crmkpi.store.LoadSession;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/**
 * Base of the CRM export formats: a profile to load with, and a detection score of 10 per
 * distinctive header (at least two needed) plus what the subclass adds for the file's shape.
 */
public abstract class ExportFormatSupport implements FileFormat {

  /** The profile to load with (built per load, so properties can refine it). */
  protected abstract ExportProfile profile(SourceContext context);

  /** Header names only this CRM's exports have. */
  protected abstract List<String> signature();

  /** Extra points for the physical shape or file name (0 by default). */
  protected int shapeBonus(FileSample sample, ExportTable sniffed, Set<String> headers) {
    return 0;
  }

  @Override
  public int detect(FileSample sample) {
    ExportTable t = ExportDetection.sniff(sample);
    if (ExportDetection.notAnExport(sample, t)) {
      return 0;
    }
    Set<String> h = ExportDetection.headers(t);
    int hits = ExportDetection.count(h, signature());
    if (hits < 2) {
      return 0;
    }
    return 10 * hits + shapeBonus(sample, t, h);
  }

  @Override
  public void load(Path file, LoadSession session, SourceContext context) throws SourceException, SQLException {
    new ExportLoader(profile(context)).load(file, session, context);
  }
}
