package io.crmkpi.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmkpi.source.SourceContext;
import io.crmkpi.source.Sources;
import io.crmkpi.store.LoadReport;
import io.crmkpi.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo cache gives a later connect exactly the rows the generator would, and never worse. */
class DemoCacheTest {

  @TempDir
  Path dir;

  private final List<String> progress = new ArrayList<>();

  private Map<String, String> options(String seed) {
    Map<String, String> m = new HashMap<>(Map.of("deals", "400", "seed", seed, "today", "2025-03-31"));
    m.put("cache", dir.toString());
    return m;
  }

  /** Loads the demo into a new store; the table digests and the load report. */
  private Loaded load(Map<String, String> props) throws Exception {
    progress.clear();
    SourceContext ctx = new SourceContext(props, progress::add);
    try (Store s = Store.inMemory()) {
      LoadReport r = Sources.create("demo", "", ctx).load(s, ctx);
      return new Loaded(DemoSourceTest.digests(s), r.lines(), String.join("\n", progress));
    }
  }

  private record Loaded(Map<String, String> digests, List<LoadReport.Line> report, String progress) {
  }

  private List<Path> files() throws Exception {
    if (!Files.isDirectory(dir.resolve("demo"))) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir.resolve("demo"))) {
      return s.filter(p -> p.toString().endsWith(".duckdb")).sorted().toList(); // not the .mac beside each
    }
  }

  @Test
  void secondLoadComesFromTheCacheWithTheSameRowsAndReport() throws Exception {
    Map<String, String> uncachedProps = new HashMap<>(options("5"));
    uncachedProps.put("cache", "off");
    Loaded generated = load(uncachedProps);
    assertTrue(files().isEmpty(), "cache=off writes nothing");

    Loaded first = load(options("5"));
    assertTrue(first.progress().contains("rows generated"), first.progress());
    List<Path> written = files();
    assertEquals(1, written.size(), written.toString());
    String name = written.get(0).getFileName().toString();
    assertTrue(name.startsWith("demo-400-5-2025-03-31-default-v" + io.crmkpi.model.CanonicalModel.VERSION + "-") && name.endsWith(".duckdb"), name);

    Loaded second = load(options("5"));
    assertTrue(second.progress().contains("from the cache"), second.progress());
    // every canonical table, row for row, equals a generation without the cache
    assertEquals(generated.digests(), second.digests());
    assertEquals(generated.digests(), first.digests());
    assertEquals(generated.report(), second.report());
    assertTrue(second.digests().get("deals").startsWith("400:"), second.digests().get("deals"));
  }

  @Test
  void otherSeedIsAnotherFile() throws Exception {
    Loaded a = load(options("1"));
    Loaded b = load(options("2"));
    assertEquals(2, files().size());
    assertTrue(!a.digests().get("deals").equals(b.digests().get("deals")));
    assertTrue(load(options("2")).progress().contains("from the cache"));
  }

  @Test
  void damagedFileIsReplacedByAGeneration() throws Exception {
    Loaded good = load(options("9"));
    Path file = files().get(0);
    Files.writeString(file, "not a DuckDB database");
    Loaded again = load(options("9"));
    assertTrue(again.progress().contains("rows generated"), again.progress());
    assertEquals(good.digests(), again.digests());
    // the damaged file was replaced by a good one
    Loaded third = load(options("9"));
    assertTrue(third.progress().contains("from the cache"), third.progress());
    assertEquals(good.digests(), third.digests());
  }
}
