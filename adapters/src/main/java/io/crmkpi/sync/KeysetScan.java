package io.crmkpi.sync;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmkpi.source.SourceException;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Future;
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
 * <p>Each page is committed with its checkpoint, so a crash resumes from the last page. The next
 * page is fetched while the current one is committed ({@link Prefetch}).
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
    try (Prefetch prefetch = new Prefetch()) {
      Future<Page> next = prefetch.start(() -> fetcher.fetch(from, null, 1));
      while (true) {
        Page p = Prefetch.join(next);
        next = null;
        if (p.items().isEmpty()) {
          break;
        }
        Mapped mp = map(p);
        long m = mp.max();
        // where the scan goes next is known from the mapped page: fetch it while this one is committed
        boolean tie = w != null && m != Long.MIN_VALUE && m <= w;
        if (p.more() && m != Long.MIN_VALUE) {
          Long fw = w;
          next = prefetch.start(tie ? () -> fetcher.fetch(fw, fw, 2) : () -> fetcher.fetch(m, null, 1));
        }
        hwm = commit(mp, hwm);
        read += p.items().size();
        rejected += mp.rejected();
        pages++;
        progress.accept(store.source() + " " + entity + ": " + read + " read");
        if (next == null) {
          break; // the last page, or a page of unusable records only: no position to continue from
        }
        if (tie) {
          // the whole page sits at position w: walk that position by page numbers, then step past it
          for (int n = 2; ; n++) {
            Page q = Prefetch.join(next);
            next = null;
            if (q.items().isEmpty()) {
              break;
            }
            Mapped mq = map(q);
            if (q.more()) {
              int nn = n + 1;
              Long fw = w;
              next = prefetch.start(() -> fetcher.fetch(fw, fw, nn));
            }
            hwm = commit(mq, hwm);
            read += q.items().size();
            rejected += mq.rejected();
            pages++;
            progress.accept(store.source() + " " + entity + ": " + read + " read");
            if (next == null) {
              break;
            }
          }
          w = w + 1;
          Long fw = w;
          next = prefetch.start(() -> fetcher.fetch(fw, null, 1));
        } else {
          w = m;
        }
      }
    }
    return new Result(read, read - rejected, rejected, hwm, pages);
  }

  /** A page mapped into a batch: rejected records and the largest position of the mapped ones. */
  private record Mapped(Batch batch, long rejected, long max) {
  }

  /** Commits the mapped page with the high-water mark it reaches; returns that mark. */
  private Long commit(Mapped mp, Long hwmBefore) throws SQLException {
    long newHwm = mp.max() == Long.MIN_VALUE ? (hwmBefore == null ? Long.MIN_VALUE : hwmBefore)
        : Math.max(mp.max(), hwmBefore == null ? Long.MIN_VALUE : hwmBefore);
    Long hwm = newHwm == Long.MIN_VALUE ? null : newHwm;
    store.commit(entity, mp.batch(), hwm == null ? null : Long.toString(hwm), null);
    return hwm;
  }

  private Mapped map(Page p) {
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
    return new Mapped(b, rejected, max);
  }
}
