package io.crmkpi.demo;

import io.crmkpi.store.LoadSession;
import io.crmkpi.store.TableWriter;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.SplittableRandom;

/**
 * The demo's activities: the robot's auto-reply and the manager's first touch on a lead; calls (some
 * missed), e-mails, messages, meetings, tasks and notes during a deal. Nothing after the snapshot
 * moment is completed.
 */
final class DemoActivities {

  private static final long DAY = DemoCalendar.DAY;

  private final SplittableRandom rng;
  private final long cutoff;
  private final TableWriter activities;
  private final DemoPlans plans;
  private long nActivity;

  DemoActivities(LoadSession session, SplittableRandom rng, long cutoff, DemoPlans plans) throws SQLException {
    this.rng = rng;
    this.cutoff = cutoff;
    this.plans = plans;
    this.activities = session.table("activities");
  }

  /** An auto-reply (robot) right after the lead arrives, and the manager's first touch. */
  void lead(String leadId, String contact, String company, String owner, long created, long response)
      throws SQLException {
    if (rng.nextDouble() < 0.6) {
      long at = created + 5 + rng.nextInt(55);
      if (at < cutoff) {
        activities.add(Long.toString(++nActivity), "email", "out", null, leadId, contact, company, null, ts(at),
            ts(at), null, true);
      }
    }
    if (response > 0) {
      double r = rng.nextDouble();
      String kind = r < 0.6 ? "call" : r < 0.85 ? "message" : "email";
      Integer duration = kind.equals("call") ? 30 + rng.nextInt(570) : null;
      long done = Math.min(cutoff - 1, response + (duration == null ? 0 : duration));
      activities.add(Long.toString(++nActivity), kind, "out", null, leadId, contact, company, owner, ts(response),
          ts(done), duration, false);
      plans.activity(owner, done);
    }
  }

  /**
   * Calls, e-mails, messages, meetings and tasks during the deal, by {@code owner} until
   * {@code handoverAt} and by {@code heir} from then on; returns the latest activity time.
   */
  long deal(String dealId, String contact, String companyId, String owner, long handoverAt, String heir, long from,
            long to, boolean closed) throws SQLException {
    int n = 1 + rng.nextInt(4) + (closed ? 1 : 0);
    long latest = from;
    for (int i = 0; i < n; i++) {
      long at = from + (long) (rng.nextDouble() * Math.max(1, to - from));
      double r = rng.nextDouble();
      String kind;
      String direction;
      Integer duration = null;
      boolean automated = false;
      if (r < 0.38) {
        kind = "call";
        direction = rng.nextDouble() < 0.25 ? "in" : "out";
        duration = rng.nextDouble() < 0.15 ? 0 : 20 + (int) lognormal(180, 0.9); // 0 = missed
      } else if (r < 0.6) {
        kind = "email";
        direction = rng.nextDouble() < 0.3 ? "in" : "out";
        automated = direction.equals("out") && rng.nextDouble() < 0.15;
      } else if (r < 0.82) {
        kind = "message";
        direction = rng.nextDouble() < 0.5 ? "in" : "out";
      } else if (r < 0.9) {
        kind = "meeting";
        direction = null;
        duration = 1800 + 900 * rng.nextInt(5);
      } else if (r < 0.96) {
        kind = "task";
        direction = null;
      } else {
        kind = "note";
        direction = null;
      }
      long done = at + (duration == null ? 0 : duration);
      if (kind.equals("task")) {
        done = at + (long) exp(2 * DAY);
      }
      boolean completed = done < cutoff;
      done = Math.min(done, cutoff - 1);
      latest = Math.max(latest, done);
      String user = automated ? null : at >= handoverAt ? heir : owner;
      activities.add(Long.toString(++nActivity), kind, direction, dealId, null, contact, companyId, user, ts(at),
          completed ? ts(done) : null, duration, automated);
      if (completed) {
        plans.activity(user, done);
      }
    }
    return latest;
  }

  private double exp(double mean) {
    return -mean * Math.log(1 - rng.nextDouble());
  }

  private double lognormal(double median, double sigma) {
    return median * Math.exp(sigma * rng.nextGaussian());
  }

  private static LocalDateTime ts(long seconds) {
    return LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
  }
}
