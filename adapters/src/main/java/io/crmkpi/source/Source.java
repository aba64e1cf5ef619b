package io.crmkpi.source;

import io.crmkpi.store.LoadReport;
import io.crmkpi.store.Store;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Something that fills the canonical tables of a store: the demo generator, export files, a CRM API. */
public interface Source {

  /** Short name, used in {@code crm.load_rejects.source} and {@code crm.sync_state.source}. */
  String name();

  /**
   * Loads this source's data into the store. Rows that cannot load go to {@code crm.load_rejects};
   * a problem with the source as a whole throws {@link SourceException} naming the place.
   */
  LoadReport load(Store store, SourceContext context) throws SourceException;

  /**
   * True for sources fetched over the network (CRM APIs): their store defaults to a file under the
   * user's data folder and they sync incrementally; false (files, demo) means an in-memory store
   * that is loaded whole on connect.
   */
  default boolean isRemote() {
    return false;
  }

  /**
   * Folders this source's loads read through the store's own SQL (DuckDB's {@code read_csv}): they stay
   * readable when the driver shuts the store off from the machine after its first load, so that a
   * later reload works. Empty (the default) for sources that read in Java (CRM APIs, the demo).
   */
  default List<Path> readPaths() {
    return List.of();
  }

  /**
   * For a store that already holds a load of this source: true when the input has not changed since
   * (a connect then loads nothing), false when it has; empty when the source cannot tell, and the
   * driver's {@code refresh} policy decides.
   */
  default Optional<Boolean> isCurrent(Store store, SourceContext context) throws SourceException {
    return Optional.empty();
  }
}
