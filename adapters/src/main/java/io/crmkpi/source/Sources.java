package io.crmkpi.source;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Finds the {@link SourceFactory} for a URL kind. */
public final class Sources {

  private Sources() {
  }

  public static Map<String, SourceFactory> factories() {
    Map<String, SourceFactory> all = new TreeMap<>();
    for (SourceFactory f : ServiceLoader.load(SourceFactory.class, Sources.class.getClassLoader())) {
      all.put(f.kind(), f);
    }
    return all;
  }

  public static Source create(String kind, String target, SourceContext context) throws SourceException {
    Map<String, SourceFactory> all = factories();
    SourceFactory f = all.get(kind);
    if (f == null) {
      throw new SourceException("unknown source '" + kind + "'; known sources: " + String.join(", ", all.keySet())
          + " (URL form: jdbc:crmkpi:<source>[:<target>][;key=value]...)");
    }
    return f.create(target, context);
  }
}
