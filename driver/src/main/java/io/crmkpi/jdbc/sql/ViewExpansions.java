package io.crmkpi.jdbc.sql;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelRoot;

/**
 * Logical plans of expanded views, shared by the statements of one catalog. Expanding a view means
 * parsing, validating and converting its SQL again for every statement that reads it (a KPI view
 * and the util views under it: most of a statement's compile time, and seconds in a cold JVM).
 * Plans are immutable and a view's plan depends only on its SQL and the catalog, so one expansion
 * serves all later statements; the background warm-up thus prepares users' first statements.
 * A thread that needs a view another thread is expanding waits for it instead of doing it twice.
 * Plans with correlation variables are not shared (their ids are per statement).
 */
final class ViewExpansions {

  private final Map<List<Object>, CompletableFuture<RelRoot>> plans = new ConcurrentHashMap<>();

  RelRoot get(String sql, List<String> schemaPath, Supplier<RelRoot> expand) {
    List<Object> key = List.of(sql, List.copyOf(schemaPath));
    CompletableFuture<RelRoot> mine = new CompletableFuture<>();
    CompletableFuture<RelRoot> earlier = plans.putIfAbsent(key, mine);
    if (earlier != null) {
      try {
        RelRoot shared = earlier.join();
        if (shared != null) {
          return shared;
        }
      } catch (CompletionException e) {
        // it failed for the other statement: expand here, which fails the same way with its own error
      }
      return expand.get();
    }
    try {
      RelRoot root = expand.get();
      if (RelOptUtil.getVariablesUsed(root.rel).isEmpty()) {
        mine.complete(root);
      } else {
        plans.remove(key, mine);
        mine.complete(null); // waiting threads expand for themselves
      }
      return root;
    } catch (RuntimeException | Error e) {
      plans.remove(key, mine);
      mine.completeExceptionally(e);
      throw e;
    }
  }
}
