package io.crmkpi.source;

/**
 * Creates a {@link Source} for one URL kind ({@code jdbc:crmkpi:<kind>[:<target>]}). Registered
 * through {@code META-INF/services/io.crmkpi.source.SourceFactory}.
 */
public interface SourceFactory {

  /** The URL kind, e.g. {@code demo}, {@code files}, {@code amocrm}. */
  String kind();

  /** Builds the source; {@code target} is the part after {@code <kind>:} (may be empty). */
  Source create(String target, SourceContext context) throws SourceException;
}
