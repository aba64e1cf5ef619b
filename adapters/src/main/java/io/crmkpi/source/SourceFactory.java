package io.crmkpi.source;

import io.crmkpi.settings.Setting;
import java.util.List;

/**
 * Creates a {@link Source} for one URL kind ({@code jdbc:crmkpi:<kind>[:<target>]}). Registered
 * through {@code META-INF/services/io.crmkpi.source.SourceFactory}.
 */
public interface SourceFactory {

  /** The URL kind, e.g. {@code demo}, {@code files}, {@code amocrm}. */
  String kind();

  /** Builds the source; {@code target} is the part after {@code <kind>:} (may be empty). */
  Source create(String target, SourceContext context) throws SourceException;

  /**
   * The settings this kind of source reads, declared once: the driver refuses any other key (with
   * the nearest known one), parses values with their types, masks the secret ones and documents
   * them all. The driver's, the KPI views' and {@link SourceContext}'s settings are not repeated here.
   */
  default List<Setting<?>> settings() {
    return List.of();
  }
}
