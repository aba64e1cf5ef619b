package io.crmkpi.files.exports;

import io.crmkpi.files.FileSample;
import io.crmkpi.model.CanonicalModel;
import io.crmkpi.model.Column;
import io.crmkpi.model.Table;
import java.nio.file.Files;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Helpers for {@code detect}: the sniffed header and physical shape of a sample (cached, since
 * every format asks), header signature matching, and the rule that canonical CSVs belong to the
 * canonical format.
 */
public final class ExportDetection {

  private static final int CACHE = 32;
  private static final Map<String, ExportTable> SNIFFED = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, ExportTable> eldest) {
      return size() > CACHE;
    }
  };

  private ExportDetection() {
  }

  /** File extensions an export may have. */
  public static final Set<String> EXTENSIONS = Set.of("csv", "txt", "tsv", "xlsx", "xls", "html", "htm");

  /** The header and shape of a sample (header row only). */
  public static ExportTable sniff(FileSample sample) {
    String key;
    try {
      key = sample.path().toAbsolutePath() + "|" + Files.size(sample.path()) + "|"
          + Files.getLastModifiedTime(sample.path()).toMillis();
    } catch (java.io.IOException e) {
      key = sample.path().toAbsolutePath() + "|" + java.util.Arrays.hashCode(sample.head());
    }
    synchronized (SNIFFED) {
      ExportTable t = SNIFFED.get(key);
      if (t == null) {
        t = ExportFileReader.sniff(sample.path(), sample.head());
        SNIFFED.put(key, t);
      }
      return t;
    }
  }

  /** The normalised header names. */
  public static Set<String> headers(ExportTable t) {
    return t.headers().stream().map(StableIds::normalize).collect(Collectors.toSet());
  }

  /** How many of {@code names} (normalised) occur among the headers. */
  public static int count(Set<String> headers, Collection<String> names) {
    int n = 0;
    for (String name : names) {
      if (headers.contains(StableIds.normalize(name))) {
        n++;
      }
    }
    return n;
  }

  /** True when the file is not an export at all: wrong extension, or a canonical table CSV. */
  public static boolean notAnExport(FileSample sample, ExportTable t) {
    if (!EXTENSIONS.contains(sample.extension()) || t.headers().isEmpty()) {
      return true;
    }
    return canonical(sample, t);
  }

  /**
   * A canonical CSV: named like a canonical table with one of its columns in the header, or a
   * header that is mostly canonical column names of some table.
   */
  static boolean canonical(FileSample sample, ExportTable t) {
    Set<String> h = headers(t);
    var named = CanonicalModel.table(sample.baseName());
    if (named.isPresent() && named.get().columns().stream().anyMatch(c -> h.contains(c.name()))) {
      return true;
    }
    for (Table table : CanonicalModel.tables()) {
      List<String> cols = table.columns().stream().map(Column::name).toList();
      long hit = h.stream().filter(cols::contains).count();
      if (hit >= 2 && hit * 2 >= h.size()) {
        return true;
      }
    }
    return false;
  }
}
