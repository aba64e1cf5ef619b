package io.crmkpi.demo;

import io.crmkpi.demo.DemoCatalog.Channel;
import io.crmkpi.demo.DemoCatalog.Pipeline;
import io.crmkpi.demo.DemoCatalog.User;
import io.crmkpi.store.LoadSession;
import io.crmkpi.store.TableWriter;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Generates a believable CRM into the canonical tables: about 30 months of a growing coffee supplier
 * for offices, cafés and home buyers, ending at the start of {@code today}, calibrated to published
 * small and mid-size B2B/B2C figures (docs/demo.md): new customers come through leads and deals, then
 * reorder consumables every few weeks (shop orders without a deal) until they leave; the CRM went live
 * on {@link #golive()}, and answers, wins and retention are better after it. This class walks the
 * parties and their deals; {@link DemoCalendar} (when), {@link DemoBasket} (what is bought),
 * {@link DemoActivities}, {@link DemoService} (after-sales), {@link DemoMarketing}, {@link DemoFx},
 * {@link DemoTimeline} (expected close dates, probabilities, deal snapshots) and {@link DemoPlans}
 * (sales plans) each own one part. Deterministic: the same (deals, seed, today) give the same rows,
 * because every random draw comes from seeded {@link SplittableRandom}s in a fixed order and nothing
 * reads the clock or iterates a hash map.
 *
 * <p>Streaming: the generator walks one party (a company or a private person) at a time, writes its
 * leads, deals, stage history, snapshots, orders, activities, tickets and survey answers, and forgets
 * it, so memory does not grow with {@code deals} (the plans keep only monthly totals).
 */
public final class DemoGenerator {

  public static final int DEFAULT_DEALS = 10_000;
  public static final long DEFAULT_SEED = 42;
  /** Months of history before {@code today}. */
  static final int HISTORY_MONTHS = 30;
  /** The business grows by e^G over the history (3.5x). */
  private static final double G = Math.log(3.5);
  /** Months between the CRM going live and {@code today}. */
  static final int GOLIVE_MONTHS_AGO = 12;
  private static final long DAY = DemoCalendar.DAY;
  private static final long HOUR = DemoCalendar.HOUR;

  private final int deals;
  private final long seed;
  private final LocalDate today;

  public DemoGenerator(int deals, long seed, LocalDate today) {
    if (deals <= 0) {
      throw new IllegalArgumentException("deals must be positive, got " + deals);
    }
    this.deals = deals;
    this.seed = seed;
    this.today = today;
  }

  public int deals() {
    return deals;
  }

  public long seed() {
    return seed;
  }

  public LocalDate today() {
    return today;
  }

  /** The moment the data is a snapshot of: the start of {@code today}; every timestamp is before it. */
  public LocalDateTime asOf() {
    return today.atStartOfDay();
  }

  /** First day of the generated history. */
  public LocalDate firstDay() {
    return today.minusMonths(HISTORY_MONTHS).withDayOfMonth(1);
  }

  /**
   * The day the demo business went live with its CRM: the 15th of the month {@value #GOLIVE_MONTHS_AGO}
   * months before {@code today} (pass it as {@code ;golive=} to see {@code kpi.crm_impact}).
   */
  public LocalDate golive() {
    return today.minusMonths(GOLIVE_MONTHS_AGO).withDayOfMonth(15);
  }

  /**
   * Writes the whole demo CRM into {@code session} and records per-table counts in its report.
   * {@code baseCurrency} is the store's base currency, used for {@code order_items.amount_base}
   * (deal, order and spend amounts are left for StoreDerivations to convert).
   */
  public void generate(LoadSession session, String baseCurrency, Consumer<String> progress) throws SQLException {
    new Run(session, baseCurrency, progress == null ? s -> { } : progress).run();
  }

  /** One generation: all mutable state lives here. */
  private final class Run {
    private final LoadSession session;
    private final String base;
    private final Consumer<String> progress;
    private final SplittableRandom rng;
    /**
     * Draws for what the CRM's pipeline and plan features add (expected close dates, probabilities, first
     * amount estimates, owner changes, targets): a stream of its own, so they leave every other row as it was.
     */
    private final SplittableRandom plan;
    private final DemoPlans plans;
    private DemoTimeline timeline;
    private final long firstEpochDay;
    private final int spanDays;
    private final long cutoff;
    private final long goliveAt;
    private DemoBasket basket;
    private final DemoService service;
    private final long[] userFrom = new long[DemoCatalog.USERS.size()];
    private final long[] userTo = new long[DemoCatalog.USERS.size()];
    /** Whether the current deal started before the CRM went live. */
    private boolean slow;

    private final TableWriter companies;
    private final TableWriter contacts;
    private final TableWriter leads;
    private final TableWriter dealsOut;
    private final TableWriter history;
    private final DemoActivities acts;

    private long nCompany;
    private long nContact;
    private long nLead;
    private long nDeal;
    private long nShopOrder;

    // reusable buffers of the current deal (no allocation per deal)
    private final int[] evStage = new int[64];
    private final long[] evTime = new long[64];
    private int nev;

    // the current party
    private String companyId;
    private String companyName;
    private long companyCreated;
    private final String[] contactId = new String[3];
    private final String[] contactName = new String[3];
    private final long[] contactCreated = new long[3];
    private int nPartyContacts;
    private String partyOwner;
    private Channel partyChannel;
    private long partyTouch;
    private String partyCustomerId;
    /** Quantity scale of the party's orders: a private buyer 0.12, a company 0.5, a partner café 1. */
    private double partySize;
    private int partyOrders;

    Run(LoadSession session, String base, Consumer<String> progress) throws SQLException {
      this.session = session;
      this.base = base;
      this.progress = progress;
      this.rng = new SplittableRandom(seed);
      this.plan = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 2);
      this.plans = new DemoPlans(firstDay(), today);
      this.firstEpochDay = firstDay().toEpochDay();
      this.spanDays = (int) (today.toEpochDay() - firstEpochDay);
      this.cutoff = today.toEpochDay() * DAY;
      this.goliveAt = golive().toEpochDay() * DAY;
      for (int i = 0; i < userFrom.length; i++) {
        User u = DemoCatalog.USERS.get(i);
        userFrom[i] = Math.max(firstEpochDay, today.toEpochDay() - u.fromDaysAgo()) * DAY;
        userTo[i] = u.toDaysAgo() == 0 ? Long.MAX_VALUE : (today.toEpochDay() - u.toDaysAgo()) * DAY;
      }
      companies = session.table("companies");
      contacts = session.table("contacts");
      leads = session.table("leads");
      dealsOut = session.table("deals");
      history = session.table("deal_stage_history");
      acts = new DemoActivities(session, rng, cutoff, plans);
      service = new DemoService(session, rng, cutoff, goliveAt);
    }

    void run() throws SQLException {
      DemoCatalog.writeReference(session);
      DemoFx fx = DemoFx.write(session, seed, firstEpochDay, spanDays, base);
      basket = new DemoBasket(session, rng, fx);
      timeline = new DemoTimeline(session, plan, fx, cutoff);
      DemoMarketing.write(session, seed, firstEpochDay, spanDays, deals, G);
      long nextReport = 100_000;
      while (nDeal < deals) {
        noiseLeads();
        party();
        if (nDeal >= nextReport) {
          progress.accept("demo: " + nDeal + " of " + deals + " deals generated");
          nextReport += 100_000;
        }
      }
      plans.write(session, today, golive(), userFrom, userTo, plan);
      syncState();
    }

    // ---------------------------------------------------------------- leads that never buy

    /** Leads that never become a deal: junk, or still open (mostly the recent ones). */
    private void noiseLeads() throws SQLException {
      int k = (rng.nextDouble() < 0.5 ? 1 : 0) + (rng.nextDouble() < 0.45 ? 1 : 0);
      for (int i = 0; i < k; i++) {
        long created = sampleTime();
        Channel ch = pickChannel(true);
        String owner = pickOwner("Sales", created, null);
        String contact = null;
        if (rng.nextDouble() < 0.5) {
          contact = Long.toString(++nContact);
          boolean female = rng.nextBoolean();
          contacts.add(contact, personName(female), "lead" + contact + "@mail.example", phone(), null, owner,
              ch.name(), ts(created), ts(created));
        }
        boolean recent = created > cutoff - 45 * DAY;
        String status = rng.nextDouble() < (recent ? 0.5 : 0.85) ? "junk" : "open";
        // before the CRM, web requests sat in a mailbox and a quarter were never answered
        long response = rng.nextDouble() < (created < goliveAt ? 0.72 : 0.9) ? responseTime(created, owner) : -1;
        if (response >= cutoff) {
          response = -1;
        }
        long updated = Math.min(cutoff - 1, (response > 0 ? response : created) + (long) (rng.nextDouble() * DAY));
        String leadId = Long.toString(++nLead);
        String[] utm = utm(ch, created);
        leads.add(leadId, leadTitle(ch), ts(created), ts(updated), status, ch.name(), utm[0], utm[1], utm[2], owner,
            contact, null, null, response > 0 ? ts(response) : null);
        acts.lead(leadId, contact, null, owner, created, response);
      }
    }

    // ---------------------------------------------------------------- parties

    /** One company or private person: acquisition lead, first deal, repeat deals, churn, comeback. */
    private void party() throws SQLException {
      long t0 = sampleTime();
      boolean partner = rng.nextDouble() < 0.12;
      Pipeline pl = partner ? DemoCatalog.PARTNERS : DemoCatalog.SALES;
      partyChannel = partner ? DemoCatalog.channel(rng.nextDouble() < 0.75 ? "referral" : "direct") : pickChannel(false);
      partyOwner = pickOwner(pl.team(), t0, null);
      partyTouch = t0;
      boolean isCompany = partner || rng.nextDouble() < 0.55;
      companyId = null;
      companyName = null;
      nPartyContacts = 0;
      if (isCompany) {
        companyId = Long.toString(++nCompany);
        companyName = DemoCatalog.COMPANY_PREFIX[rng.nextInt(DemoCatalog.COMPANY_PREFIX.length)]
            + DemoCatalog.COMPANY_SUFFIX[rng.nextInt(DemoCatalog.COMPANY_SUFFIX.length)].toLowerCase(java.util.Locale.ROOT)
            + " " + DemoCatalog.LEGAL_FORM[rng.nextInt(DemoCatalog.LEGAL_FORM.length)];
        companyCreated = t0;
        int n = 1 + (rng.nextDouble() < 0.45 ? 1 : 0) + (rng.nextDouble() < 0.2 ? 1 : 0);
        for (int i = 0; i < n; i++) {
          long created = i == 0 ? t0 : t0 + (long) (rng.nextDouble() * 200 * DAY);
          if (created < cutoff) {
            addPartyContact(created);
          }
        }
      } else {
        addPartyContact(t0);
      }
      String customerId = isCompany ? "company:" + companyId : "contact:" + contactId[0];
      partyCustomerId = customerId;
      partySize = partner ? 1.0 : isCompany ? 0.5 : 0.12;
      partyOrders = 0;

      long t = t0;
      boolean customer = false;
      boolean first = true;
      boolean viaLead = true;
      while (nDeal < deals) {
        Channel dealChannel = first || !customer ? partyChannel : DemoCatalog.channel("email");
        if (!viaLead) {
          dealChannel = partyChannel;
        }
        String[] utm = viaLead ? utm(dealChannel, t) : new String[3];
        int contactIdx = pickContact(t);
        partyOwner = pickOwner(pl.team(), t, partyOwner);
        String leadId = null;
        long dealAt = t;
        if (viaLead) {
          leadId = Long.toString(++nLead);
          long response = responseTime(t, partyOwner);
          long convert = response + 600 + (long) exp(6 * HOUR);
          String lc = contactId[contactIdx];
          if (convert >= cutoff) {
            // the lead is still being worked on
            long resp = response < cutoff ? response : -1;
            leads.add(leadId, leadTitle(dealChannel), ts(t), ts(resp > 0 ? resp : t), "open", dealChannel.name(),
                utm[0], utm[1], utm[2], partyOwner, lc, companyId, null, resp > 0 ? ts(resp) : null);
            acts.lead(leadId, lc, companyId, partyOwner, t, resp);
            partyTouch = Math.max(partyTouch, resp > 0 ? resp : t);
            break;
          }
          leads.add(leadId, leadTitle(dealChannel), ts(t), ts(convert), "converted", dealChannel.name(), utm[0],
              utm[1], utm[2], partyOwner, lc, companyId, Long.toString(nDeal + 1), ts(response));
          acts.lead(leadId, lc, companyId, partyOwner, t, response);
          dealAt = convert;
        }
        double winProb = partner ? 0.5 : first ? dealChannel.winProb() : customer ? 0.75 : 0.25;
        winProb = Math.min(0.95, winProb * skill(partyOwner) * (dealAt < goliveAt ? 0.85 : 1.0));
        int status = deal(pl, dealAt, winProb, leadId, dealChannel, utm, contactIdx, customerId);
        // status: 0 open, 1 won (an order was written), 2 lost, 3 won but deleted
        long closed = status == 0 ? -1 : evTime[nev - 1];
        if (status == 0) {
          break;
        }
        if (status == 1 || customer) {
          customer = true;
          // a customer reorders consumables until it leaves; some purchases go through a new deal
          t = reorders(closed, contactIdx);
        } else if (rng.nextDouble() < 0.15) {
          t = (closed / DAY + (long) (60 + rng.nextDouble() * 240)) * DAY + DemoCalendar.timeOfDay(rng);
        } else {
          break;
        }
        if (t < 0 || t >= cutoff) {
          break;
        }
        first = false;
        viaLead = !customer || rng.nextDouble() < 0.35;
      }

      if (companyId != null) {
        companies.add(companyId, companyName, DemoCatalog.INDUSTRIES[rng.nextInt(DemoCatalog.INDUSTRIES.length)],
            partyOwner, ts(companyCreated));
      }
      for (int i = 0; i < nPartyContacts; i++) {
        long updated = Math.max(contactCreated[i], partyTouch);
        contacts.add(contactId[i], contactName[i], "client" + contactId[i] + "@mail.example", phone(), companyId,
            partyOwner, partyChannel.name(), ts(contactCreated[i]), ts(updated));
      }
    }

    /**
     * The customer's purchases after an order at {@code from}: consumables reordered every few weeks
     * (a web-shop or phone order, no deal), until it leaves (30 % buy only once; then 4.5 % per order,
     * 7 % before the CRM's reminders) or its next purchase is a deal (new equipment, a bigger contract,
     * or a comeback after a long pause). Returns when that deal starts, or -1 when the customer is gone.
     */
    private long reorders(long from, int contactIdx) throws SQLException {
      long t = from;
      while (true) {
        boolean before = t < goliveAt;
        double leave = partyOrders <= 1 ? 0.3 : before ? 0.07 : 0.045;
        if (rng.nextDouble() < leave) {
          if (rng.nextDouble() < 0.2) {
            return (t / DAY + 150 + rng.nextInt(350)) * DAY + DemoCalendar.timeOfDay(rng); // comes back
          }
          return -1;
        }
        double median = partySize >= 1 ? 14 : partySize >= 0.5 ? 24 : 35;
        double gap = 5 + median * (before ? 1.15 : 1.0) * Math.exp(0.45 * rng.nextGaussian());
        long day = t / DAY + (long) gap;
        while (partySize > 0.2 && !DemoCalendar.workingDay(day)) {
          day++; // companies order on working days
        }
        t = day * DAY + DemoCalendar.timeOfDay(rng);
        if (t >= cutoff) {
          return -1;
        }
        if (rng.nextDouble() < 0.06) {
          return t;
        }
        shopOrder(t, contactIdx);
      }
    }

    /** A reorder without a deal: 1-3 lines of consumables, in RUB, through a newsletter link or a direct call. */
    private void shopOrder(long at, int contactIdx) throws SQLException {
      basket.reorder(partySize);
      String owner = partyOwner = pickOwner(partyTeam(), at, partyOwner);
      Channel ch = DemoCatalog.channel(rng.nextDouble() < 0.4 ? "email" : "direct");
      order("S-" + (++nShopOrder), null, partyCustomerId, contactId[contactIdx], owner, ch, at, "RUB");
      partyTouch = Math.max(partyTouch, at);
    }

    private String partyTeam() {
      return partySize >= 1 ? DemoCatalog.PARTNERS.team() : DemoCatalog.SALES.team();
    }

    private void addPartyContact(long created) {
      int i = nPartyContacts++;
      contactId[i] = Long.toString(++nContact);
      contactName[i] = personName(rng.nextBoolean());
      contactCreated[i] = created;
    }

    /** A contact of the party that existed at {@code t} (the first one for the first deal). */
    private int pickContact(long t) {
      int known = 0;
      while (known < nPartyContacts && contactCreated[known] <= t) {
        known++;
      }
      return known <= 1 ? 0 : rng.nextInt(known);
    }

    // ---------------------------------------------------------------- deals

    /**
     * Walks one deal through its pipeline, writes the deal, its full stage history, its activities and,
     * when won, the order with items, tickets and survey answers. Returns 0 open, 1 won, 2 lost,
     * 3 won but deleted.
     */
    private int deal(Pipeline pl, long created, double winProb, String leadId, Channel ch, String[] utm,
                     int contactIdx, String customerId) throws SQLException {
      String dealId = Long.toString(++nDeal);
      int m = pl.open();
      double r = rng.nextDouble();
      int outcome = r < 0.04 ? 2 : r < 0.04 + winProb * 0.96 ? 0 : 1; // 0 won, 1 lost, 2 stalls open
      slow = created < goliveAt;
      basket.deal(pl, partySize, partyOrders == 0);
      boolean usdDeal = rng.nextDouble() < (pl == DemoCatalog.PARTNERS ? 0.2 : 0.07);
      boolean deleted = rng.nextDouble() < 0.02;

      // --- the path through the stages
      nev = 0;
      long t = created;
      event(0, t);
      int cur = 0;
      int top;
      if (outcome == 0) {
        top = rng.nextDouble() < 0.1 ? Math.max(0, m - 2 - rng.nextInt(2)) : m - 1; // some jump straight to won
      } else if (outcome == 1) {
        top = weighted(pl.lostAt());
      } else {
        top = rng.nextInt(m);
      }
      int backAt = top >= 2 && rng.nextDouble() < 0.1 ? 2 + rng.nextInt(top - 1) : Integer.MAX_VALUE;
      while (cur < top) {
        int step = cur + 2 <= top && rng.nextDouble() < 0.12 ? 2 : 1;
        t += stageTime(pl, cur);
        cur += step;
        event(cur, t);
        if (cur >= backAt) {
          backAt = Integer.MAX_VALUE;
          t += stageTime(pl, cur);
          cur -= cur >= 3 && rng.nextDouble() < 0.3 ? 2 : 1;
          event(cur, t);
        }
      }
      if (outcome != 2) {
        t += 1800 + (long) exp(2 * DAY);
        boolean won = outcome == 0;
        event(won ? m : m + 1, t);
        if (rng.nextDouble() < 0.05) {
          // reopened: back to an open stage some days later, then closed again
          t += 2 * DAY + (long) (rng.nextDouble() * 38 * DAY);
          cur = Math.max(0, m - 1 - rng.nextInt(Math.min(3, m)));
          event(cur, t);
          if (cur < m - 1 && rng.nextBoolean()) {
            t += stageTime(pl, cur);
            event(++cur, t);
          }
          t += 1800 + (long) exp(3 * DAY);
          won = rng.nextDouble() < (won ? 0.65 : 0.45);
          event(won ? m : m + 1, t);
        }
      }
      // --- cut at the snapshot moment: what has not happened yet is not in the data
      int all = nev;
      int k = 0;
      while (k < nev && evTime[k] < cutoff) {
        k++;
      }
      nev = k;
      int finalStage = evStage[nev - 1];
      String status = finalStage < m ? "open" : finalStage == m ? "won" : "lost";
      long closedAt = finalStage < m ? -1 : evTime[nev - 1];
      long lastEvent = evTime[nev - 1];

      String owner = partyOwner;
      // the deal changes hands when its manager leaves while it runs, or now and then to balance the load
      long handoverAt = Long.MAX_VALUE;
      int u = Integer.parseInt(owner) - 1;
      if (userTo[u] < cutoff && (closedAt < 0 || closedAt >= userTo[u])) {
        handoverAt = Math.max(created, userTo[u]); // a lead converted after the owner left goes over at once
      } else if (nev >= 3 && plan.nextDouble() < 0.01) {
        handoverAt = evTime[1 + plan.nextInt(nev - 2)];
      }
      String heir = handoverAt == Long.MAX_VALUE ? owner : colleague(pl.team(), handoverAt, owner);
      if (heir == null) {
        handoverAt = Long.MAX_VALUE;
        heir = owner;
      }
      String contact = contactId[contactIdx];
      for (int i = 0; i < nev; i++) {
        history.add(dealId, pl.id(), i == 0 ? null : pl.stageId(evStage[i - 1]), pl.stageId(evStage[i]),
            ts(evTime[i]), evTime[i] >= handoverAt ? heir : owner, false);
      }
      long end = closedAt > 0 ? closedAt : Math.min(cutoff - 1, lastEvent + 20 * DAY);
      long updated = Math.max(lastEvent, acts.deal(dealId, contact, companyId, owner, handoverAt, heir, created, end,
          closedAt > 0));

      if (usdDeal) {
        basket.toUsd();
      }
      long amountCents = basket.amountCents();
      String currency = usdDeal ? "USD" : "RUB";
      // expected close date, own probability and amount over time; the deal row is their last state
      timeline.play(pl, evStage, evTime, all, nev, amountCents, currency, slow);
      updated = Math.max(updated, timeline.lastChange());
      partyTouch = Math.max(partyTouch, updated);
      long baseCents = timeline.baseCents(amountCents, currency, closedAt > 0 ? closedAt : created);
      String loss = status.equals("lost") ? pick(DemoCatalog.LOSS_REASONS, DemoCatalog.LOSS_WEIGHTS) : null;
      String title = (companyName != null ? companyName : contactName[contactIdx]) + ": " + basket.mainProductName();
      dealsOut.add(dealId, title, pl.id(), pl.stageId(finalStage), status, money(amountCents), currency,
          money(baseCents), ts(created), closedAt > 0 ? ts(closedAt) : null, ts(updated), heir, contact, companyId,
          leadId, ch.name(), utm[0], utm[1], utm[2], loss, deleted, timeline.expectedClose(), timeline.probability());
      timeline.write(dealId, pl, currency);
      if (status.equals("won") && !deleted) {
        plans.won(heir, pl, closedAt, baseCents);
      }

      if (status.equals("open")) {
        return 0;
      }
      if (status.equals("lost")) {
        return 2;
      }
      if (deleted) {
        return 3;
      }
      order(dealId, dealId, customerId, contact, heir, ch, closedAt, currency);
      return 1;
    }

    /** An active colleague of {@code owner} in {@code team} at {@code t}, or null when there is none. */
    private String colleague(String team, long t, String owner) {
      String[] ids = new String[userFrom.length];
      int n = 0;
      for (int i = 0; i < userFrom.length; i++) {
        User x = DemoCatalog.USERS.get(i);
        if (x.team().equals(team) && !x.id().equals(owner) && t >= userFrom[i] && t < userTo[i]) {
          ids[n++] = x.id();
        }
      }
      return n == 0 ? null : ids[plan.nextInt(n)];
    }

    private void event(int stage, long t) {
      if (nev < evStage.length) {
        evStage[nev] = stage;
        evTime[nev] = t;
        nev++;
      }
    }

    /** Time in a stage; deals moved a quarter slower before the CRM's tasks and reminders. */
    private long stageTime(Pipeline pl, int stage) {
      return 600 + (long) exp(pl.meanStageDays()[stage] * DAY * (slow ? 1.25 : 1.0));
    }

    /** Writes the basket as an order, then what follows an order (tickets, survey answers). */
    private void order(String orderId, String dealId, String customerId, String contact, String owner, Channel ch,
                       long at, String currency) throws SQLException {
      basket.write(orderId, dealId, customerId, owner, ch.name(), at, currency);
      plans.order(at);
      partyOrders++;
      service.afterOrder(customerId, contact, owner, at, partyOrders == 1);
    }

    // ---------------------------------------------------------------- bookkeeping

    private void syncState() throws SQLException {
      TableWriter w = session.table("sync_state");
      String[] tables = {"pipelines", "stages", "users", "channel_map", "fx_rates", "marketing_spend", "companies",
          "contacts", "leads", "deals", "deal_stage_history", "deal_snapshots", "targets", "orders", "order_items",
          "activities", "tickets", "survey_responses"};
      String input = "demo generator (deals=" + deals + ", seed=" + seed + ", today=" + today + ")";
      for (String t : tables) {
        long rows = session.table(t).rows();
        w.add("demo", t, ts(cutoff), ts(cutoff).toString(), rows, "ok", null);
        session.report().add(input, t, rows, 0);
      }
      session.report().add(input, "sync_state", tables.length, 0);
    }

    // ---------------------------------------------------------------- random helpers

    /** A creation time: more recent days are likelier (growth); quiet weekends, holidays and nights; busy Decembers. */
    private long sampleTime() {
      while (true) {
        double x = Math.log1p(rng.nextDouble() * (Math.exp(G) - 1)) / G;
        long d = firstEpochDay + Math.min(spanDays - 1, (long) (x * spanDays));
        if (rng.nextDouble() * DemoCalendar.MAX_WEIGHT > DemoCalendar.dayWeight(d)) {
          continue;
        }
        return d * DAY + DemoCalendar.timeOfDay(rng);
      }
    }

    /**
     * When the owner first answers a lead: in working hours, after the owner's own median delay once
     * the CRM is live; before it, leads waited in a shared mailbox (four times slower, plus 20 minutes).
     */
    private long responseTime(long created, String owner) {
      double median = DemoCatalog.USERS.get(Integer.parseInt(owner) - 1).responseMinutes() * 60;
      return DemoCalendar.answer(created, created < goliveAt ? 4 * median + 1200 : median, rng);
    }

    private double skill(String owner) {
      return DemoCatalog.USERS.get(Integer.parseInt(owner) - 1).skill();
    }

    /** An index drawn with the given (unnormalised) weights. */
    private int weighted(double[] weights) {
      double total = 0;
      for (double w : weights) {
        total += w;
      }
      double r = rng.nextDouble() * total;
      for (int i = 0; i < weights.length - 1; i++) {
        r -= weights[i];
        if (r < 0) {
          return i;
        }
      }
      return weights.length - 1;
    }

    private String pickOwner(String team, long t, String current) {
      if (current != null) {
        int i = Integer.parseInt(current) - 1;
        if (t >= userFrom[i] && t < userTo[i]) {
          return current;
        }
      }
      int n = 0;
      for (int i = 0; i < userFrom.length; i++) {
        if (DemoCatalog.USERS.get(i).team().equals(team) && t >= userFrom[i] && t < userTo[i]) {
          n++;
        }
      }
      int k = rng.nextInt(n);
      for (int i = 0; i < userFrom.length; i++) {
        if (DemoCatalog.USERS.get(i).team().equals(team) && t >= userFrom[i] && t < userTo[i] && k-- == 0) {
          return DemoCatalog.USERS.get(i).id();
        }
      }
      throw new IllegalStateException("no active manager in " + team);
    }

    private Channel pickChannel(boolean noise) {
      double total = 0;
      for (Channel c : DemoCatalog.CHANNELS) {
        total += noise ? c.noiseWeight() : c.weight();
      }
      double r = rng.nextDouble() * total;
      Channel last = null;
      for (Channel c : DemoCatalog.CHANNELS) {
        double w = noise ? c.noiseWeight() : c.weight();
        if (w > 0) {
          last = c;
          r -= w;
          if (r < 0) {
            return c;
          }
        }
      }
      return last;
    }

    private String[] utm(Channel ch, long t) {
      if (ch.utmSource() == null) {
        return new String[3];
      }
      String campaign = ch.campaigns().isEmpty() ? null : ch.campaigns().get(rng.nextInt(ch.campaigns().size()));
      if ("monthly_digest".equals(campaign)) {
        LocalDate d = LocalDate.ofEpochDay(t / DAY);
        campaign = String.format("digest_%d_%02d", d.getYear(), d.getMonthValue());
      }
      return new String[] {ch.utmSource(), ch.utmMedium(), campaign};
    }

    private String leadTitle(Channel ch) {
      return switch (ch.name()) {
        case "direct" -> "Incoming call";
        case "email" -> "Reply to newsletter";
        case "referral" -> "Referral request";
        case "social", "vk_ads" -> "Message from social network";
        default -> "Website form request";
      };
    }

    private String personName(boolean female) {
      String surname = DemoCatalog.SURNAMES[rng.nextInt(DemoCatalog.SURNAMES.length)];
      return female
          ? DemoCatalog.FEMALE_NAMES[rng.nextInt(DemoCatalog.FEMALE_NAMES.length)] + " " + surname + "a"
          : DemoCatalog.MALE_NAMES[rng.nextInt(DemoCatalog.MALE_NAMES.length)] + " " + surname;
    }

    private String phone() {
      long n = 9_000_000_000L + rng.nextLong(1_000_000_000L);
      return "+7" + n;
    }

    private String pick(String[] values, double[] weights) {
      return DemoGenerator.pick(rng, values, weights);
    }

    private double exp(double mean) {
      return -mean * Math.log(1 - rng.nextDouble());
    }

    private LocalDate day(int index) {
      return LocalDate.ofEpochDay(firstEpochDay + index);
    }
  }

  /** A value drawn with the given weights (summing to 1). */
  static String pick(SplittableRandom rng, String[] values, double[] weights) {
    double r = rng.nextDouble();
    for (int i = 0; i < values.length - 1; i++) {
      r -= weights[i];
      if (r < 0) {
        return values[i];
      }
    }
    return values[values.length - 1];
  }

  private static LocalDateTime ts(long seconds) {
    return LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
  }

  private static BigDecimal money(long cents) {
    return BigDecimal.valueOf(cents, 2);
  }
}
