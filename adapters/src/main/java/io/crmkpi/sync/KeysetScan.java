package io.crmkpi.sync;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmkpi.source.SourceException;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Incremental scan of a mutable entity by its modification time ("position": unix seconds, epoch
 * ms...), ordered ascending. Every page is asked for with {@code position >= w} where {@code w} is
 * the largest position committed so far, instead of page numbers: a record modified during the scan
 * jumps to the end of the order, and with page numbers that shifts the rest by one and silently
 * skips a record; with the keyset nothing is skipped. Records at exactly {@code w} come again and
 * are upserted again (harmless). When a whole page shares one position (bulk edits), the scan pages
 * through that single position with page numbers, then continues after it.
 *
 * <p>Each page is committed with its checkpoint, so a crash resumes from the last page.
 */
public final class KeysetScan {

  /** One page as the API returned it; {@code label} names the request for rejects. */
  public record Page(List<JsonNode> items, boolean more, String label) {
  }

  /** Fetches records with from <= position (<= to when given), 1-based page, ascending. */
  @FunctionalInterface
  public interface Fetcher {
    Page fetch(Long from, Long to, int page) throws SourceException;
  }

  /** Maps one record into rows of the batch (after {@link Batch#next()}). */
  @FunctionalInterface
  public interface Mapper {
    void map(JsonNode item, Batch batch) throws BadRecord;
  }

  /** Counts of one run; read = loaded + rejected. */
  public record Result(long read, long loaded, long rejected, Long highWaterMark, int pages) {
  }

  private final SyncStore store;
  private final String entity;
  private final Function<JsonNode, OptionalLong> position;
  private final Mapper mapper;
  private final Consumer<String> progress;

  public KeysetScan(SyncStore store, String entity, Function<JsonNode, OptionalLong> position, Mapper mapper,
      Consumer<String> progress) {
    this.store = store;
    this.entity = entity;
    this.position = position;
    this.mapper = mapper;
    this.progress = progress;
  }

  /**
   * Runs from {@code from} (null: everything). {@code previous} is the stored high-water mark, which
   * never moves backwards.
   */
  public Result run(Long from, Long previous, Fetcher fetcher) throws SourceException, SQLException {
    Long hwm = previous;
    long read = 0;
    long rejected = 0;
    int pages = 0;
    Long w = from;
    while (true) {
      Page p = fetcher.fetch(w, null, 1);
      if (p.items().isEmpty()) {
        break;
      }
      long[] counts = commit(p, hwm);
      read += p.items().size();
      rejected += counts[1];
      hwm = counts[2] == Long.MIN_VALUE ? hwm : (Long) Math.max(counts[2], hwm == null ? Long.MIN_VALUE : hwm);
      pages++;
      progress.accept(store.source() + " " + entity + ": " + read + " read");
      if (!p.more()) {
        break;
      }
      long m = counts[2];
      if (m == Long.MIN_VALUE) {
        break; // a page of unusable records only: no position to continue from
      }
      if (w != null && m <= w) {
        // the whole page sits at position w: walk that position by page numbers, then step past it
        for (int n = 2; ; n++) {
          Page q = fetcher.fetch(w, w, n);
          if (q.items().isEmpty()) {
            break;
          }
          long[] qc = commit(q, hwm);
          read += q.items().size();
          rejected += qc[1];
          pages++;
          progress.accept(store.source() + " " + entity + ": " + read + " read");
          if (!q.more()) {
            break;
          }
        }
        w = w + 1;
      } else {
        w = m;
      }
    }
    return new Result(read, read - rejected, rejected, hwm, pages);
  }

  /** Returns {loaded, rejected, max position}. */
  private long[] commit(Page p, Long hwmBefore) throws SQLException {
    Batch b = new Batch();
    long max = Long.MIN_VALUE;
    long rejected = 0;
    TableSpec rejects = TableSpec.canonical("load_rejects");
    for (JsonNode item : p.items()) {
      b.next();
      try {
        OptionalLong pos = position.apply(item);
        if (pos.isEmpty()) {
          throw new BadRecord("no modification time");
        }
        mapper.map(item, b);
        max = Math.max(max, pos.getAsLong());
      } catch (BadRecord e) {
        b.dropCurrent();
        b.next();
        b.add(rejects, store.source(), p.label(), entity, e.getMessage(), item.toString(), LocalDateTime.now());
        rejected++;
      } catch (RuntimeException e) {
        b.dropCurrent();
        b.next();
        b.add(rejects, store.source(), p.label(), entity, "cannot map: " + e, item.toString(), LocalDateTime.now());
        rejected++;
      }
    }
    long newHwm = max == Long.MIN_VALUE ? (hwmBefore == null ? Long.MIN_VALUE : hwmBefore)
        : Math.max(max, hwmBefore == null ? Long.MIN_VALUE : hwmBefore);
    store.commit(entity, b, newHwm == Long.MIN_VALUE ? null : Long.toString(newHwm), null);
    return new long[] {p.items().size() - rejected, rejected, max};
  }
}
