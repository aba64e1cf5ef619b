package io.crmkpi.metabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clojure.lang.IPersistentMap;
import clojure.lang.IPersistentVector;
import clojure.lang.ISeq;
import clojure.lang.Keyword;
import clojure.lang.LineNumberingPushbackReader;
import clojure.lang.LispReader;
import clojure.lang.RT;
import clojure.lang.Seqable;
import clojure.lang.Symbol;
import clojure.lang.Var;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reads metabase/driver/crmkpi.clj with Clojure's own reader (a syntax error fails here, not in a user's Metabase
 * log) and checks every Metabase var it names against the API list extracted from Metabase's source
 * (src/test/resources/metabase-api/metabase-driver-api.edn): the var exists, each defmethod has the multimethod's
 * arity and dispatch shape, each call has an arity the function has, each feature is one Metabase knows.
 */
class CrmKpiNamespaceTest {

  private static List<Object> forms;
  private static Map<String, String> aliases;
  private static IPersistentMap api;

  @BeforeAll
  static void read() throws IOException {
    RT.init();
    forms = readAll("/metabase/driver/crmkpi.clj");
    api = (IPersistentMap) readAll("/metabase-api/metabase-driver-api.edn").get(0);
    aliases = new HashMap<>();
    ISeq ns = seq(forms.get(0));
    assertEquals(Symbol.intern("ns"), ns.first());
    assertEquals(Symbol.intern("metabase.driver.crmkpi"), ns.next().first());
    for (Object clause : iterate(ns)) {
      if (clause instanceof ISeq s && Keyword.intern("require").equals(s.first())) {
        for (Object spec : iterate(s.next())) {
          IPersistentVector v = (IPersistentVector) spec;
          aliases.put(v.nth(2).toString(), v.nth(0).toString());
        }
      }
    }
  }

  @Test
  void namespaceFileMatchesManifestAndRequiresOnlyMetabaseAndClojure() {
    assertEquals("clojure.string", aliases.get("str"));
    for (String ns : aliases.values()) {
      assertTrue(ns.startsWith("metabase.") || ns.startsWith("clojure."), ns);
    }
    assertTrue(forms.size() > 20, forms.size() + " top-level forms");
  }

  @Test
  void everyMetabaseVarExistsWithMatchingArityAndDispatch() {
    Set<String> used = new TreeSet<>();
    List<String> problems = new ArrayList<>();
    for (Object form : forms.subList(1, forms.size())) {
      walk(form, used, problems);
    }
    assertEquals(List.of(), problems);
    // what the namespace must implement for a :sql-jdbc child, and what it calls
    assertEquals(new TreeSet<>(List.of(
        "metabase.driver/database-supports?", "metabase.driver/db-start-of-week", "metabase.driver/register!",
        "metabase.driver.sql-jdbc.connection/connection-details->spec",
        "metabase.driver.sql-jdbc.sync/database-type->base-type", "metabase.driver.sql-jdbc.sync/excluded-schemas",
        "metabase.driver.sql.query-processor/add-interval-honeysql-form",
        "metabase.driver.sql.query-processor/adjust-day-of-week",
        "metabase.driver.sql.query-processor/adjust-start-of-week",
        "metabase.driver.sql.query-processor/current-datetime-honeysql-form",
        "metabase.driver.sql.query-processor/date", "metabase.driver.sql.query-processor/unix-timestamp->honeysql",
        "metabase.util.honey-sql-2/extract", "metabase.util.honey-sql-2/literal")), used);
  }

  @Test
  void everyDateUnitMetabaseBucketsByIsImplemented() {
    Set<String> units = new TreeSet<>();
    for (Object form : forms) {
      ISeq s = seq(form);
      if (s != null && Symbol.intern("defmethod").equals(s.first())
          && "metabase.driver.sql.query-processor/date".equals(resolve(s.next().first()))) {
        units.add(((IPersistentVector) s.next().next().first()).nth(1).toString());
      }
    }
    assertEquals(new TreeSet<>(List.of(":minute", ":hour", ":day", ":week", ":month", ":quarter", ":year",
        ":minute-of-hour", ":hour-of-day", ":day-of-week", ":day-of-month", ":day-of-year", ":month-of-year",
        ":quarter-of-year", ":year-of-era")), units);
  }

  @Test
  void featuresAreMetabaseFeatures() {
    Set<Object> known = new LinkedHashSet<>();
    for (Object k : iterate(seq(api.valAt(Keyword.intern("features"))))) {
      known.add(k);
    }
    int checked = 0;
    for (Object form : forms) {
      ISeq s = seq(form);
      if (s != null && Symbol.intern("doseq").equals(s.first())) {
        IPersistentMap features = (IPersistentMap) ((IPersistentVector) s.next().first()).nth(1);
        for (Object e : iterate(seq(features))) {
          Object k = ((Map.Entry<?, ?>) e).getKey();
          assertTrue(known.contains(k), k + " is no feature of metabase.driver/driver-features");
          checked++;
        }
      }
    }
    assertEquals(8, checked);
  }

  // ------------------------------------------------------------------------------------------------------------

  private static void walk(Object form, Set<String> used, List<String> problems) {
    ISeq s = form instanceof ISeq list ? list : null;
    if (s == null) {
      if (form instanceof Seqable sq && !(form instanceof String)) {
        for (Object x : iterate(sq.seq())) {
          walk(x, used, problems);
        }
      }
      return;
    }
    Object head = s.first();
    if (Symbol.intern("defmethod").equals(head)) {
      String name = resolve(s.next().first());
      IPersistentMap entry = entry(name, problems);
      if (entry != null) {
        used.add(name);
        if (!Keyword.intern("defmulti").equals(entry.valAt(Keyword.intern("kind")))) {
          problems.add(name + " is no multimethod");
        }
        Object dispatchValue = s.next().next().first();
        Object dispatch = entry.valAt(Keyword.intern("dispatch"));
        boolean vectorDispatch = dispatch instanceof IPersistentVector;
        boolean dispatchIsVector = dispatchValue instanceof IPersistentVector
            || (dispatchValue instanceof ISeq ds && Symbol.intern("quote").equals(ds.first()));
        if (vectorDispatch != dispatchIsVector && !(dispatchValue instanceof Symbol)) {
          problems.add(name + " dispatch " + dispatchValue + " does not have the shape " + dispatch);
        }
        if (dispatchValue instanceof IPersistentVector dv && entry.valAt(Keyword.intern("values")) != null
            && !RT.booleanCast(RT.contains(entry.valAt(Keyword.intern("values")), dv.nth(1)))) {
          problems.add(name + " has no dispatch value " + dv.nth(1));
        }
        IPersistentVector params = (IPersistentVector) s.next().next().next().first();
        if (!arityMatches(entry, params.count(), false)) {
          problems.add(name + " implemented with " + params.count() + " arguments, Metabase calls it with "
              + entry.valAt(Keyword.intern("arglists")));
        }
      }
      for (Object x : iterate(s.next().next().next().next())) {
        walk(x, used, problems);
      }
      return;
    }
    if (head instanceof Symbol sym && sym.getNamespace() != null && aliases.containsKey(sym.getNamespace())
        && aliases.get(sym.getNamespace()).startsWith("metabase.")) {
      String name = resolve(sym);
      IPersistentMap entry = entry(name, problems);
      if (entry != null) {
        used.add(name);
        int args = RT.count(s) - 1;
        if (!arityMatches(entry, args, true)) {
          problems.add(name + " called with " + args + " arguments; arglists " + entry.valAt(Keyword.intern("arglists")));
        }
      }
    }
    if (head instanceof Symbol sym && Symbol.intern("partial").equals(sym)) {
      // (partial f a) -- f is called later with more arguments; only its existence is checked here
      Object f = s.next().first();
      if (f instanceof Symbol fs && fs.getNamespace() != null && aliases.containsKey(fs.getNamespace())) {
        entry(resolve(fs), problems);
      }
    }
    for (Object x : iterate(s)) {
      if (x != head) {
        walk(x, used, problems);
      }
    }
  }

  private static boolean arityMatches(IPersistentMap entry, int n, boolean call) {
    for (Object arglist : iterate(RT.seq(entry.valAt(Keyword.intern("arglists"))))) {
      IPersistentVector v = (IPersistentVector) arglist;
      int amp = -1;
      for (int i = 0; i < v.count(); i++) {
        if (Symbol.intern("&").equals(v.nth(i))) {
          amp = i;
        }
      }
      if (amp < 0 ? v.count() == n : (call ? n >= amp : n == v.count() || n >= amp)) {
        return true;
      }
    }
    return false;
  }

  private static IPersistentMap entry(String name, List<String> problems) {
    IPersistentMap e = (IPersistentMap) ((IPersistentMap) api.valAt(Keyword.intern("vars"))).valAt(Symbol.intern(name));
    if (e == null) {
      problems.add(name + " is not in the targeted Metabase API list");
    }
    return e;
  }

  private static String resolve(Object o) {
    Symbol sym = (Symbol) o;
    String ns = aliases.getOrDefault(sym.getNamespace(), sym.getNamespace());
    return ns + "/" + sym.getName();
  }

  private static ISeq seq(Object o) {
    if (o instanceof ISeq s) {
      return s;
    }
    if (o instanceof IPersistentMap || o instanceof clojure.lang.IPersistentSet) {
      return RT.seq(o);
    }
    return null;
  }

  private static Iterable<Object> iterate(ISeq s) {
    List<Object> out = new ArrayList<>();
    for (ISeq x = s; x != null; x = x.next()) {
      out.add(x.first());
    }
    return out;
  }

  private static List<Object> readAll(String resource) throws IOException {
    List<Object> out = new ArrayList<>();
    try (InputStream in = CrmKpiNamespaceTest.class.getResourceAsStream(resource)) {
      LineNumberingPushbackReader r = new LineNumberingPushbackReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      Object eof = new Object();
      Var.pushThreadBindings(RT.map(RT.READEVAL, false));
      try {
        for (Object f = LispReader.read(r, false, eof, false); f != eof; f = LispReader.read(r, false, eof, false)) {
          out.add(f);
        }
      } finally {
        Var.popThreadBindings();
      }
    }
    return out;
  }
}
