package io.crmkpi.demo;

import io.crmkpi.source.Source;
import io.crmkpi.source.SourceContext;
import io.crmkpi.source.SourceException;
import io.crmkpi.store.LoadReport;
import io.crmkpi.store.LoadSession;
import io.crmkpi.store.Store;
import io.crmkpi.store.StoreDerivations;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Optional;

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
    String currency = context.currency().orElse(DEMO_BASE);
    Optional<DemoCache> cache = DemoCache.from(context.property("cache"));
    Path cached = cache.map(c -> c.file(generator, context.currency().orElse("default"))).orElse(null);
    Optional<LoadReport> restored = cache.flatMap(c -> c.restore(store, cached, name()));
    if (restored.isPresent()) {
      context.progress("demo: " + restored.get().totalLoaded() + " rows from the cache " + cached);
      return restored.get();
    }
    LoadReport report;
    try {
      try (LoadSession session = store.load(name())) {
        generator.generate(session, currency, context::progress);
        report = session.report();
      }
      StoreDerivations.apply(store, context.currency());
      reconcileOrderLines(store);
    } catch (SQLException e) {
      throw new SourceException("demo: could not write the generated CRM (deals=" + generator.deals() + ", seed="
          + generator.seed() + ", today=" + generator.today() + ") into the store " + store.description() + ": "
          + e.getMessage(), e);
    }
    context.progress("demo: " + report.totalLoaded() + " rows generated");
    cache.ifPresent(c -> c.save(store, cached, report));
    return report;
  }

  /**
   * The generator splits each order into lines in the base currency; the order's own amount_base is
   * rounded by StoreDerivations. Any cent of difference goes to the order's last line, so lines
   * always add up to the order whatever rounding the derivations use.
   */
  private static void reconcileOrderLines(Store store) throws SQLException {
    store.execute("UPDATE crm.order_items SET amount_base = order_items.amount_base + d.diff FROM ("
        + "SELECT o.order_id, max(i.line_no) AS last_line, o.amount_base - sum(i.amount_base) AS diff "
        + "FROM crm.orders o JOIN crm.order_items i USING (order_id) GROUP BY o.order_id, o.amount_base "
        + "HAVING o.amount_base <> sum(i.amount_base)) d "
        + "WHERE order_items.order_id = d.order_id AND order_items.line_no = d.last_line");
  }
}
