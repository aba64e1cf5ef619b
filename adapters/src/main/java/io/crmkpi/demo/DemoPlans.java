package io.crmkpi.demo;

import io.crmkpi.demo.DemoCatalog.Pipeline;
import io.crmkpi.demo.DemoCatalog.User;
import io.crmkpi.store.LoadSession;
import io.crmkpi.store.TableWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.SplittableRandom;

/**
 * The sales plans ({@code crm.targets}) the demo's sales head keeps in the CRM since it went live,
 * set as a sales head sets them: from the actuals of the three complete months before the plan is made
 * (the month before the period is still running), grown {@value #GROWTH_PERCENT} % a month and
 * adjusted for the season. Monthly revenue, deals won and activities per manager (one plan per
 * manager of a team, whatever the manager's strength, so strong managers beat it and weak ones miss
 * it; a new manager's first months ramp up), a quarterly revenue plan per pipeline, a yearly company
 * revenue plan and a monthly company orders plan, up to next month (a period without any deal yet).
 * Collects the actuals while the generator writes them.
 */
final class DemoPlans {

  static final double GROWTH_PERCENT = 3.5;
  private static final double GROWTH = 1 + GROWTH_PERCENT / 100;
  private static final long DAY = DemoCalendar.DAY;

  private final LocalDate first;
  private final int months;
  /** Won revenue (base cents) and won deals per manager and month of closing; live (not deleted) deals only. */
  private final long[][] revenue;
  private final int[][] won;
  /** Won revenue per pipeline and month. */
  private final long[][] pipelineRevenue;
  /** Completed human activities per manager and month of completion. */
  private final int[][] activities;
  /** Orders (from deals and reorders) per month. */
  private final int[] orders;

  DemoPlans(LocalDate firstDay, LocalDate today) {
    this.first = firstDay.withDayOfMonth(1);
    this.months = index(today) + 2;
    int users = DemoCatalog.USERS.size();
    revenue = new long[users][months];
    won = new int[users][months];
    pipelineRevenue = new long[DemoCatalog.PIPELINES.size()][months];
    activities = new int[users][months];
    orders = new int[months];
  }

  void won(String owner, Pipeline pl, long closedAt, long baseCents) {
    int u = Integer.parseInt(owner) - 1;
    int k = index(closedAt);
    revenue[u][k] += baseCents;
    won[u][k]++;
    pipelineRevenue[DemoCatalog.PIPELINES.indexOf(pl)][k] += baseCents;
  }

  void activity(String owner, long completedAt) {
    if (owner != null) {
      activities[Integer.parseInt(owner) - 1][index(completedAt)]++;
    }
  }

  void order(long at) {
    orders[index(at)]++;
  }

  /**
   * Writes the plans from the go-live month to the month after {@code today}'s. {@code userFrom} /
   * {@code userTo}: each manager's first and after-last second (Long.MAX_VALUE while active).
   */
  void write(LoadSession session, LocalDate today, LocalDate golive, long[] userFrom, long[] userTo,
             SplittableRandom rng) throws SQLException {
    TableWriter w = session.table("targets");
    int g = index(golive);
    int next = index(today) + 1;
    int id = 0;
    for (int k = g; k <= next; k++) {
      LocalDate start = month(k);
      for (Pipeline pl : DemoCatalog.PIPELINES) {
        int users = DemoCatalog.USERS.size();
        double rev = 0;
        double cnt = 0;
        double act = 0;
        double heads = 0;
        for (int j = k - 4; j <= k - 2; j++) {
          for (int u = 0; u < users; u++) {
            if (DemoCatalog.USERS.get(u).team().equals(pl.team())) {
              heads += activeShare(j, userFrom[u], userTo[u]);
              rev += revenue[u][j];
              cnt += won[u][j];
              act += activities[u][j];
            }
          }
        }
        double ahead = Math.pow(GROWTH, 3) * season(k) / (season(k - 4) + season(k - 3) + season(k - 2)) * 3;
        for (int u = 0; u < users; u++) {
          User user = DemoCatalog.USERS.get(u);
          long monthStart = start.toEpochDay() * DAY;
          // a plan for every manager of the team in post when the month starts, or joining during it
          if (!user.team().equals(pl.team()) || userTo[u] <= monthStart || heads == 0
              || userFrom[u] >= start.plusMonths(1).toEpochDay() * DAY) {
            continue;
          }
          double f = ahead * ramp(u, k, userFrom) * Math.exp(0.07 * rng.nextGaussian()) / heads;
          String owner = user.id();
          w.add(Integer.toString(++id), owner, null, "month", start, "revenue", round(rev / 100 * f));
          w.add(Integer.toString(++id), owner, null, "month", start, "deals_won",
              BigDecimal.valueOf(Math.max(1, Math.round(cnt * f))));
          w.add(Integer.toString(++id), owner, null, "month", start, "activities",
              BigDecimal.valueOf(Math.max(10, Math.round(act * f / 10) * 10)));
        }
      }
      // the company's orders, reorders included
      double base = (orders[k - 4] + orders[k - 3] + orders[k - 2]) / 3.0;
      double n = base * Math.pow(GROWTH, 3) * season(k) * 3 / (season(k - 4) + season(k - 3) + season(k - 2));
      w.add(Integer.toString(++id), null, null, "month", start, "orders",
          BigDecimal.valueOf(Math.round(n * Math.exp(0.05 * rng.nextGaussian()) / 10) * 10));
      // a quarter's plan per pipeline, set before the quarter from the three complete months before it
      if ((start.getMonthValue() - 1) % 3 == 0) {
        for (int p = 0; p < DemoCatalog.PIPELINES.size(); p++) {
          w.add(Integer.toString(++id), null, DemoCatalog.PIPELINES.get(p).id(), "quarter", start, "revenue",
              round(ahead(pipelineRevenue[p], k, 3) / 100 * Math.exp(0.05 * rng.nextGaussian())));
        }
      }
      // the company's year plan, set in the autumn before
      if (start.getMonthValue() == 1) {
        long[] all = new long[months];
        for (long[] p : pipelineRevenue) {
          for (int j = 0; j < months; j++) {
            all[j] += p[j];
          }
        }
        w.add(Integer.toString(++id), null, null, "year", start, "revenue", round(ahead(all, k, 12) / 100));
      }
    }
  }

  /** Planned total of {@code span} months from month {@code k}: the mean of months k-4..k-2, grown and seasoned. */
  private double ahead(long[] actual, int k, int span) {
    double base = (actual[k - 4] + actual[k - 3] + actual[k - 2]) / 3.0;
    double baseSeason = (season(k - 4) + season(k - 3) + season(k - 2)) / 3;
    double sum = 0;
    for (int i = 0; i < span; i++) {
      sum += base * Math.pow(GROWTH, 3 + i) * season(k + i) / baseSeason;
    }
    return sum;
  }

  /** A new manager's plan: half, prorated, in the month of joining, then 70 % and 85 % while learning. */
  private double ramp(int u, int k, long[] userFrom) {
    int joined = index(userFrom[u]);
    if (DemoCatalog.USERS.get(u).fromDaysAgo() > DemoGenerator.HISTORY_MONTHS * 31) {
      return 1; // in post before the history starts
    }
    if (k == joined) {
      return 0.5 * activeShare(k, userFrom[u], Long.MAX_VALUE);
    }
    return k == joined + 1 ? 0.7 : k == joined + 2 ? 0.85 : 1;
  }

  /** Share of month {@code k} that a manager in post from {@code in} to {@code out} (seconds) was in post. */
  private double activeShare(int k, long in, long out) {
    long from = month(k).toEpochDay() * DAY;
    long to = month(k + 1).toEpochDay() * DAY;
    long overlap = Math.min(to, out) - Math.max(from, in);
    return Math.max(0, overlap) / (double) (to - from);
  }

  /** Mean demand of the days of month {@code k} (DemoCalendar's day weights). */
  private double season(int k) {
    LocalDate s = month(k);
    LocalDate e = month(k + 1);
    double w = 0;
    for (long d = s.toEpochDay(); d < e.toEpochDay(); d++) {
      w += DemoCalendar.dayWeight(d);
    }
    return w / (e.toEpochDay() - s.toEpochDay());
  }

  private LocalDate month(int k) {
    return first.plusMonths(k);
  }

  private int index(LocalDate d) {
    return (d.getYear() - first.getYear()) * 12 + d.getMonthValue() - first.getMonthValue();
  }

  private int index(long epochSecond) {
    return index(LocalDate.ofEpochDay(Math.floorDiv(epochSecond, DAY)));
  }

  /** A revenue plan as a sales head writes it: three significant digits. */
  private static BigDecimal round(double v) {
    return new BigDecimal(v).round(new MathContext(3, RoundingMode.HALF_UP)).setScale(2, RoundingMode.HALF_UP);
  }
}
