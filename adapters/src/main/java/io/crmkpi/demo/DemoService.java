package io.crmkpi.demo;

import static io.crmkpi.demo.DemoCalendar.DAY;
import static io.crmkpi.demo.DemoCalendar.HOUR;

import io.crmkpi.store.LoadSession;
import io.crmkpi.store.TableWriter;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.SplittableRandom;

/**
 * After-sales of the demo business: support tickets after some orders (answered in working hours),
 * CSAT answers after resolved tickets and NPS answers after orders. The score distributions follow
 * published B2B figures (docs/demo.md): NPS around +26 before the CRM went live (the average B2B score
 * is 33) and +45 after, CSAT (share of 4-5) around 80 %.
 */
final class DemoService {

  /** NPS answer shares for 0..10, in percent: 61 % promoters, 16 % detractors (NPS +45). */
  private static final double[] NPS_WEIGHTS = {2, 1, 1, 1.5, 1.5, 3, 6, 10, 13, 26, 35};
  /** The same before the CRM: slower answers, forgotten call-backs (NPS +26, below the B2B average of 33). */
  private static final double[] NPS_WEIGHTS_BEFORE = {4, 2, 2, 2.5, 2.5, 4.5, 8, 11, 12, 22, 29.5};
  /** CSAT answer shares for 1..5, in percent: 4-5 = 80 %. */
  private static final double[] CSAT_WEIGHTS = {5, 6, 9, 30, 50};

  private final SplittableRandom rng;
  private final long cutoff;
  private final long golive;
  private final TableWriter tickets;
  private final TableWriter surveys;
  private long nTicket;
  private long nResponse;

  DemoService(LoadSession session, SplittableRandom rng, long cutoff, long golive) throws SQLException {
    this.rng = rng;
    this.cutoff = cutoff;
    this.golive = golive;
    this.tickets = session.table("tickets");
    this.surveys = session.table("survey_responses");
  }

  /** What may follow an order at {@code orderedAt}: a ticket (with a CSAT answer) and an NPS answer. */
  void afterOrder(String customerId, String contact, String owner, long orderedAt, boolean firstOrder)
      throws SQLException {
    if (rng.nextDouble() < (firstOrder ? 0.3 : 0.08)) {
      ticket(customerId, contact, owner, orderedAt);
    }
    if (rng.nextDouble() < (firstOrder ? 0.3 : 0.05)) {
      long answered = orderedAt + 7 * DAY + (long) (rng.nextDouble() * 23 * DAY);
      if (answered < cutoff) {
        int score = pick(answered < golive ? NPS_WEIGHTS_BEFORE : NPS_WEIGHTS);
        String comment = rng.nextDouble() < 0.2
            ? DemoCatalog.NPS_COMMENTS[rng.nextInt(DemoCatalog.NPS_COMMENTS.length)] : null;
        surveys.add(Long.toString(++nResponse), "nps", score, customerId, contact, ts(answered), "email", comment);
      }
    }
  }

  private void ticket(String customerId, String contact, String owner, long orderedAt) throws SQLException {
    long created = (orderedAt / DAY + 1 + rng.nextInt(45)) * DAY + DemoCalendar.timeOfDay(rng);
    if (created >= cutoff) {
      return;
    }
    String channel = DemoGenerator.pick(rng, DemoCatalog.TICKET_CHANNELS, DemoCatalog.TICKET_CHANNEL_WEIGHTS);
    // support answers in working hours; before the CRM, tickets lived in a shared mailbox
    boolean before = created < golive;
    long response = rng.nextDouble() < (before ? 0.1 : 0.03) ? -1
        : DemoCalendar.answer(created, before ? 3 * HOUR : 35 * 60, rng);
    long resolved = response < 0 ? -1 : response + 1800 + (long) (8 * HOUR * Math.exp(1.1 * rng.nextGaussian()));
    if (response >= cutoff) {
      response = -1;
    }
    if (response < 0 || resolved >= cutoff) {
      resolved = -1;
    }
    String status = resolved < 0 ? "open" : rng.nextDouble() < 0.7 ? "closed" : "solved";
    tickets.add(Long.toString(++nTicket), customerId, contact, channel,
        DemoCatalog.TICKET_SUBJECTS[rng.nextInt(DemoCatalog.TICKET_SUBJECTS.length)], status, ts(created),
        response < 0 ? null : ts(response), resolved < 0 ? null : ts(resolved), owner);
    if (resolved > 0 && rng.nextDouble() < 0.45) {
      long answered = resolved + HOUR + (long) (rng.nextDouble() * 2 * DAY);
      if (answered < cutoff) {
        int score = 1 + pick(CSAT_WEIGHTS);
        surveys.add(Long.toString(++nResponse), "csat", score, customerId, contact, ts(answered), channel, null);
      }
    }
  }

  /** An index drawn with the given weights (in percent, summing to 100). */
  private int pick(double[] weights) {
    double r = rng.nextDouble() * 100;
    for (int s = 0; s < weights.length - 1; s++) {
      r -= weights[s];
      if (r < 0) {
        return s;
      }
    }
    return weights.length - 1;
  }

  private static LocalDateTime ts(long seconds) {
    return LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
  }
}
