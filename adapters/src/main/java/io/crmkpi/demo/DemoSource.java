package io.crmkpi.demo;

import io.crmkpi.source.Source;
import io.crmkpi.source.SourceContext;
import io.crmkpi.source.SourceException;
import io.crmkpi.store.LoadReport;
import io.crmkpi.store.LoadSession;
import io.crmkpi.store.Store;
import io.crmkpi.store.StoreDerivations;
import java.sql.SQLException;

/** {@code jdbc:crmkpi:demo}: fills the store with a generated CRM, then runs the standard derivations. */
public final class DemoSource implements Source {

  /** Base currency of the demo data (its fx_rates have RUB = 1). */
  static final String DEMO_BASE = "RUB";

  private final DemoGenerator generator;

  public DemoSource(DemoGenerator generator) {
    this.generator = generator;
  }

  public DemoGenerator generator() {
    return generator;
  }

  @Override
  public String name() {
    return "demo";
  }

  @Override
  public LoadReport load(Store store, SourceContext context) throws SourceException {
    LoadReport report;
    try {
      try (LoadSession session = store.load(name())) {
        generator.generate(session, context.currency().orElse(DEMO_BASE), context::progress);
        report = session.report();
      }
      StoreDerivations.apply(store, context.currency());
    } catch (SQLException e) {
      throw new SourceException("demo: could not write the generated CRM (deals=" + generator.deals() + ", seed="
          + generator.seed() + ", today=" + generator.today() + ") into the store " + store.description() + ": "
          + e.getMessage(), e);
    }
    context.progress("demo: " + report.totalLoaded() + " rows generated");
    return report;
  }
}
