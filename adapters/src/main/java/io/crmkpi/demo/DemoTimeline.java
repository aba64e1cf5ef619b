package io.crmkpi.demo;

import io.crmkpi.demo.DemoCatalog.Pipeline;
import io.crmkpi.store.LoadSession;
import io.crmkpi.store.TableWriter;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.SplittableRandom;

/**
 * One deal's life beyond its stages, as the manager keeps it in the CRM: the expected close date
 * (set at creation from a typical cycle for the deal's size, pushed when it passes with the deal still
 * open or the deal moves back, sometimes pulled in when it moves faster), the deal's own probability
 * (set by the manager on a share of deals only, 100 or 0 once closed) and a first amount (a guess, or
 * none yet) revised to the real one when the proposal goes out. Writes {@code crm.deal_snapshots}: one interval
 * per change of stage, status, amount_base, probability or expected close date, the last one open.
 *
 * <p>Draws only from its own random stream, so the rest of the demo (stages, amounts, orders) is the
 * same as without it.
 */
final class DemoTimeline {

  private static final long DAY = DemoCalendar.DAY;
  private static final long HOUR = DemoCalendar.HOUR;
  /** Changes of one deal (stage events, pushes); far more than any deal has. */
  private static final int MAX = 256;
  /** An amount not entered yet. */
  private static final long UNKNOWN = -1;
  /** A manager's first expected cycle against the typical one. */
  private static final double OPTIMISM = 0.6;

  private final SplittableRandom rng;
  private final DemoFx fx;
  private final long cutoff;
  private final TableWriter snapshots;

  // the changes of the current deal: when, stage index, expected close (epoch day), probability (-1 = none), amount
  private final long[] at = new long[MAX];
  private final int[] stage = new int[MAX];
  private final long[] expected = new long[MAX];
  private final int[] prob = new int[MAX];
  private final long[] amount = new long[MAX];
  private int n;
  /** Pushes of the current deal so far: each makes the next less likely. */
  private int pushes;

  DemoTimeline(LoadSession session, SplittableRandom rng, DemoFx fx, long cutoff) throws SQLException {
    this.rng = rng;
    this.fx = fx;
    this.cutoff = cutoff;
    this.snapshots = session.table("deal_snapshots");
  }

  /**
   * Plays the deal's changes. {@code stages}/{@code times} hold its whole stage path (also what comes
   * after the snapshot moment: the manager's estimates may anticipate it), {@code all} how many events
   * the path has, {@code cut} how many of them happened before it. {@code slow}: the deal started before
   * the CRM (stages took longer).
   */
  void play(Pipeline pl, int[] stages, long[] times, int all, int cut, long amountCents, String currency,
            boolean slow) {
    int m = pl.open();
    n = 0;
    pushes = 0;
    long created = times[0];
    long createdDay = Math.floorDiv(created, DAY);
    // the first estimate: a typical cycle for the pipeline and the deal's size, give or take, and hopeful
    // (managers expect six tenths of the time deals take: most slippage comes from there)
    double rub = amountCents / 100.0 * (currency.equals("USD") ? DemoCatalog.USD_PRICE_LIST_RATE : 1);
    double size = rub < 15_000 ? 0.8 : rub < 60_000 ? 1.0 : 1.4;
    long e = workday(createdDay + Math.max(2, Math.round(OPTIMISM * remaining(pl, 0, slow) * size
        * Math.exp(0.25 * rng.nextGaussian()))));
    // a first amount estimate that the proposal corrects, on deals that get that far
    boolean reaches = false;
    for (int i = 1; i < cut; i++) {
      reaches |= revises(pl, stages[i]);
    }
    long amt = amountCents;
    if (reaches && rng.nextDouble() < 0.45) {
      long unit = currency.equals("USD") ? 1_000 : 100_000; // round to 10 USD or 1 000 RUB, as a manager guesses
      amt = rng.nextDouble() < 0.3 ? UNKNOWN
          : Math.max(unit, Math.round(amountCents * Math.exp(0.25 * rng.nextGaussian()) / (double) unit) * unit);
    }
    boolean bullish = stages[all - 1] == m;
    int p = rng.nextDouble() < 0.06 ? override(pl, 0, bullish) : -1;
    add(created, stages[0], e, p, amt);
    boolean ignored = false;
    for (int i = 1; i <= cut; i++) {
      long next = i < cut ? times[i] : cutoff;
      // the expected date passes with the deal still open: the manager pushes it, or lets it lie
      while (!ignored && stage[n - 1] < m) {
        long check = DemoCalendar.nextOpening((expected[n - 1] + 1) * DAY + rng.nextInt(4) * DAY)
            + rng.nextInt((int) (8 * HOUR));
        check = Math.max(check, at[n - 1] + HOUR);
        if (check >= next) {
          break;
        }
        if (rng.nextDouble() < 0.85 * Math.pow(0.75, pushes)) {
          long day = Math.floorDiv(check, DAY);
          long pushed = workday(day + 3
              + Math.round(remaining(pl, stage[n - 1], slow) * Math.exp(0.3 * rng.nextGaussian())));
          pushes++;
          add(check, stage[n - 1], pushed, prob[n - 1], amount[n - 1]);
        } else {
          ignored = true;
        }
      }
      if (i == cut) {
        break;
      }
      int from = stage[n - 1];
      int to = stages[i];
      long t = times[i];
      long day = Math.floorDiv(t, DAY);
      e = expected[n - 1];
      p = prob[n - 1];
      if (to < m) {
        long projected = workday(day + Math.round(remaining(pl, to, slow)));
        if (from >= m || to < from) {
          // reopened or moved back: a new, later date
          if (projected > e || rng.nextDouble() < 0.6) {
            e = Math.max(e, projected);
          }
        } else if (e < day) {
          if (rng.nextDouble() < 0.7) {
            e = projected; // overdue when the deal moves on: a fresh date
          }
        } else if (to == pl.reviseAt() && rng.nextDouble() < 0.2) {
          e = Math.max(e, workday(day + 14 + rng.nextInt(22))); // the proposal is out, the client asks for time
        } else if (projected < e - 7 && rng.nextDouble() < 0.15) {
          e = projected; // moving faster than expected: pulled in
        }
        ignored = e < day;
        double r = rng.nextDouble();
        if (p >= 0 ? r < 0.5 : r < 0.1) {
          p = override(pl, to, bullish);
        } else if (p >= 0 && from >= m) {
          p = (int) pl.probability()[to]; // reopened: from 100 or 0 back to the stage's
        }
      } else if (p >= 0) {
        p = to == m ? 100 : 0; // the CRM sets a closed deal's own probability
      }
      if (e > expected[n - 1]) {
        pushes++;
      }
      add(t, to, e, p, revises(pl, to) ? amountCents : amount[n - 1]);
    }
  }

  /** Writes the played deal's intervals, amounts in the base currency as a load at that moment derives them. */
  void write(String dealId, Pipeline pl, String currency) throws SQLException {
    int m = pl.open();
    long closedAt = -1;
    for (int i = 0; i < n; i++) {
      closedAt = stage[i] < m ? -1 : closedAt < 0 || stage[i - 1] < m ? at[i] : closedAt;
      String status = stage[i] < m ? "open" : stage[i] == m ? "won" : "lost";
      snapshots.add(dealId, ts(at[i]), i + 1 < n ? ts(at[i + 1]) : null, pl.stageId(stage[i]), status,
          amount[i] == UNKNOWN ? null : money(baseCents(amount[i], currency, closedAt < 0 ? at[0] : closedAt)),
          prob[i] < 0 ? null : (double) prob[i], LocalDate.ofEpochDay(expected[i]));
    }
  }

  /** The deal's current expected close date (of its last change). */
  LocalDate expectedClose() {
    return LocalDate.ofEpochDay(expected[n - 1]);
  }

  /** The deal's own current probability, or null when the stage's applies. */
  Double probability() {
    return prob[n - 1] < 0 ? null : (double) prob[n - 1];
  }

  /** Time of the deal's last change (stage, date, probability or amount). */
  long lastChange() {
    return at[n - 1];
  }

  /**
   * An amount in the base currency, converted with the rate of the day of {@code at} as
   * StoreDerivations converts a deal (created_at while open, closed_at once closed).
   */
  long baseCents(long cents, String currency, long at) {
    return fx.baseCents(cents, currency, at);
  }

  private void add(long t, int st, long e, int p, long amt) {
    if (n > 0 && at[n - 1] == t) {
      n--;
    }
    if (n > 0 && stage[n - 1] == st && expected[n - 1] == e && prob[n - 1] == p && amount[n - 1] == amt) {
      return;
    }
    if (n == MAX) {
      return;
    }
    at[n] = t;
    stage[n] = st;
    expected[n] = e;
    prob[n] = p;
    amount[n] = amt;
    n++;
  }

  /** Whether reaching stage {@code st} (an open stage from the proposal on, or won) fixes the real amount. */
  private static boolean revises(Pipeline pl, int st) {
    return st >= pl.reviseAt() && st <= pl.open();
  }

  /** A manager's own probability: the stage's, give or take, hopeful on deals that will be won; 5-95 in steps of 5. */
  private int override(Pipeline pl, int st, boolean bullish) {
    double v = pl.probability()[st] + (bullish ? 5 : -5) + 12 * rng.nextGaussian();
    return (int) Math.max(5, Math.min(95, Math.round(v / 5) * 5));
  }

  /** Days a deal in {@code st} typically still needs to close: the mean days of the stages left, plus closing. */
  private static double remaining(Pipeline pl, int st, boolean slow) {
    double d = 2;
    for (int i = Math.max(0, st); i < pl.open(); i++) {
      d += pl.meanStageDays()[i] * (slow ? 1.25 : 1.0);
    }
    return d;
  }

  /** The day itself when it is a working day, else the next working day. */
  private static long workday(long day) {
    while (!DemoCalendar.workingDay(day)) {
      day++;
    }
    return day;
  }

  private static LocalDateTime ts(long seconds) {
    return LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
  }

  private static BigDecimal money(long cents) {
    return BigDecimal.valueOf(cents, 2);
  }
}
