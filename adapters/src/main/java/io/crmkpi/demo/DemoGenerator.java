package io.crmkpi.demo;

import io.crmkpi.demo.DemoCatalog.Channel;
import io.crmkpi.demo.DemoCatalog.Pipeline;
import io.crmkpi.demo.DemoCatalog.Product;
import io.crmkpi.demo.DemoCatalog.User;
import io.crmkpi.store.LoadSession;
import io.crmkpi.store.TableWriter;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Generates a believable CRM into the canonical tables: about 30 months of a growing business
 * ending at the start of {@code today}. Deterministic: the same (deals, seed, today) give the same
 * rows, because every random draw comes from seeded {@link SplittableRandom}s in a fixed order and
 * nothing reads the clock or iterates a hash map.
 *
 * <p>Streaming: the generator walks one party (a company or a private person) at a time, writes its
 * leads, deals, stage history, orders, activities, tickets and survey answers, and forgets it, so
 * memory does not grow with {@code deals}.
 */
public final class DemoGenerator {

  public static final int DEFAULT_DEALS = 10_000;
  public static final long DEFAULT_SEED = 42;
  /** Months of history before {@code today}. */
  static final int HISTORY_MONTHS = 30;
  /** The business grows by e^G over the history (3.5x). */
  private static final double G = Math.log(3.5);
  private static final long DAY = 86_400;
  private static final long HOUR = 3_600;
  private static final double[] HOUR_WEIGHTS = {1, 0.5, 0.3, 0.3, 0.3, 0.5, 1, 2, 5, 9, 10, 10, 9, 9, 10, 9, 8, 7,
      5, 4, 3, 3, 2, 1.5};
  private static final double HOUR_WEIGHT_TOTAL = java.util.Arrays.stream(HOUR_WEIGHTS).sum();

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
    private final long firstEpochDay;
    private final int spanDays;
    private final long cutoff;
    /** USD -> RUB rate per day from firstEpochDay to today inclusive (4 decimals, as stored). */
    private final double[] usd;
    private final long[] userFrom = new long[DemoCatalog.USERS.size()];
    private final long[] userTo = new long[DemoCatalog.USERS.size()];
    private final List<Product> mainProducts = DemoCatalog.PRODUCTS.stream().filter(Product::main).toList();
    private final List<Product> upsellProducts = DemoCatalog.PRODUCTS.stream().filter(p -> !p.main() || p.id().equals("p07")).toList();

    private final TableWriter companies;
    private final TableWriter contacts;
    private final TableWriter leads;
    private final TableWriter dealsOut;
    private final TableWriter history;
    private final TableWriter orders;
    private final TableWriter items;
    private final TableWriter activities;
    private final TableWriter tickets;
    private final TableWriter surveys;

    private long nCompany;
    private long nContact;
    private long nLead;
    private long nDeal;
    private long nActivity;
    private long nTicket;
    private long nResponse;

    // reusable buffers of the current deal (no allocation per deal)
    private final int[] evStage = new int[64];
    private final long[] evTime = new long[64];
    private int nev;
    private final Product[] lineProduct = new Product[4];
    private final int[] lineQty = new int[4];
    private final long[] lineUnitCents = new long[4];
    private int nLines;

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

    Run(LoadSession session, String base, Consumer<String> progress) throws SQLException {
      this.session = session;
      this.base = base;
      this.progress = progress;
      this.rng = new SplittableRandom(seed);
      this.firstEpochDay = firstDay().toEpochDay();
      this.spanDays = (int) (today.toEpochDay() - firstEpochDay);
      this.cutoff = today.toEpochDay() * DAY;
      this.usd = new double[spanDays + 1];
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
      orders = session.table("orders");
      items = session.table("order_items");
      activities = session.table("activities");
      tickets = session.table("tickets");
      surveys = session.table("survey_responses");
    }

    void run() throws SQLException {
      DemoCatalog.writeReference(session);
      fxRates();
      marketingSpend();
      long nextReport = 100_000;
      while (nDeal < deals) {
        noiseLeads();
        party();
        if (nDeal >= nextReport) {
          progress.accept("demo: " + nDeal + " of " + deals + " deals generated");
          nextReport += 100_000;
        }
      }
      syncState();
    }

    // ---------------------------------------------------------------- reference series

    /** Daily USD->RUB rates: a trend from ~74 to ~92 with mean-reverting noise; RUB is the base (1). */
    private void fxRates() throws SQLException {
      SplittableRandom fx = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 1);
      TableWriter w = session.table("fx_rates");
      w.add("RUB", day(0), BigDecimal.ONE);
      double from = 70 + fx.nextDouble() * 8;
      double to = from + 12 + fx.nextDouble() * 10;
      double noise = 0;
      for (int d = 0; d <= spanDays; d++) {
        noise = noise * 0.97 + 0.011 * fx.nextGaussian();
        double trend = from + (to - from) * d / spanDays;
        long units = Math.round(trend * Math.exp(noise) * 10_000);
        usd[d] = units / 10_000.0;
        w.add("USD", day(d), BigDecimal.valueOf(units, 4));
      }
    }

    /**
     * Paid channels spend daily per campaign, following the same growth curve as acquisitions and
     * scaled with the number of deals; the e-mail service is a monthly fee. vk_ads pays and never
     * brings a customer.
     */
    private void marketingSpend() throws SQLException {
      SplittableRandom sp = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 2);
      TableWriter w = session.table("marketing_spend");
      double total = deals * 2_500.0;
      for (int d = 0; d < spanDays; d++) {
        double x = (d + 0.5) / spanDays;
        double perDay = total * G * Math.exp(G * x) / (Math.exp(G) - 1) / spanDays;
        boolean weekend = dow(firstEpochDay + d) >= 5;
        for (Channel c : DemoCatalog.CHANNELS) {
          if (c.spendShare() == 0) {
            continue;
          }
          for (String campaign : c.campaigns()) {
            double v = perDay * c.spendShare() / c.campaigns().size() * (0.7 + 0.6 * sp.nextDouble())
                * (weekend ? 0.6 : 1.0);
            w.add(c.name(), campaign, day(d), money(Math.round(v * 100)), "RUB", null);
          }
        }
        LocalDate date = day(d);
        if (date.getDayOfMonth() == 1) {
          w.add("email", "esp_subscription", date, money(Math.round(15_000 * Math.sqrt(deals / 10_000.0)) * 100),
              "RUB", null);
        }
      }
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
        long response = rng.nextDouble() < 0.8 ? responseTime(created) : -1;
        if (response >= cutoff) {
          response = -1;
        }
        long updated = Math.min(cutoff - 1, (response > 0 ? response : created) + (long) (rng.nextDouble() * DAY));
        String leadId = Long.toString(++nLead);
        String[] utm = utm(ch, created);
        leads.add(leadId, leadTitle(ch), ts(created), ts(updated), status, ch.name(), utm[0], utm[1], utm[2], owner,
            contact, null, null, response > 0 ? ts(response) : null);
        leadActivities(leadId, contact, null, owner, created, response);
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
          long response = responseTime(t);
          long convert = response + 600 + (long) exp(6 * HOUR);
          String lc = contactId[contactIdx];
          if (convert >= cutoff) {
            // the lead is still being worked on
            long resp = response < cutoff ? response : -1;
            leads.add(leadId, leadTitle(dealChannel), ts(t), ts(resp > 0 ? resp : t), "open", dealChannel.name(),
                utm[0], utm[1], utm[2], partyOwner, lc, companyId, null, resp > 0 ? ts(resp) : null);
            leadActivities(leadId, lc, companyId, partyOwner, t, resp);
            partyTouch = Math.max(partyTouch, resp > 0 ? resp : t);
            break;
          }
          leads.add(leadId, leadTitle(dealChannel), ts(t), ts(convert), "converted", dealChannel.name(), utm[0],
              utm[1], utm[2], partyOwner, lc, companyId, Long.toString(nDeal + 1), ts(response));
          leadActivities(leadId, lc, companyId, partyOwner, t, response);
          dealAt = convert;
        }
        double winProb = partner ? 0.5 : first ? dealChannel.winProb() : customer ? 0.7 : 0.3;
        int status = deal(pl, dealAt, winProb, leadId, dealChannel, utm, contactIdx, customerId);
        // status: 0 open, 1 won (an order was written), 2 lost, 3 won but deleted
        long closed = status == 0 ? -1 : evTime[nev - 1];
        double gapDays;
        if (status == 0) {
          break;
        } else if (status == 1) {
          customer = true;
          if (rng.nextDouble() < 0.3) {
            if (rng.nextDouble() < 0.35) {
              gapDays = 150 + rng.nextDouble() * 350; // churned, comes back after a long pause
            } else {
              break; // churned for good
            }
          } else {
            gapDays = 15 + exp(70);
          }
        } else if (customer ? rng.nextDouble() < 0.6 : rng.nextDouble() < 0.15) {
          gapDays = customer ? 10 + exp(60) : 60 + rng.nextDouble() * 240;
        } else {
          break;
        }
        t = (closed / DAY + (long) gapDays) * DAY + timeOfDay();
        if (t >= cutoff) {
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
      planLines(pl);
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
        top = 0;
        while (top < m - 1 && rng.nextDouble() < 0.62) {
          top++;
        }
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
      String contact = contactId[contactIdx];
      for (int i = 0; i < nev; i++) {
        history.add(dealId, pl.id(), i == 0 ? null : pl.stageId(evStage[i - 1]), pl.stageId(evStage[i]),
            ts(evTime[i]), owner, false);
      }
      long end = closedAt > 0 ? closedAt : Math.min(cutoff - 1, lastEvent + 20 * DAY);
      long updated = Math.max(lastEvent, dealActivities(dealId, contact, owner, created, end, closedAt > 0));
      partyTouch = Math.max(partyTouch, updated);

      long amountCents = 0;
      for (int i = 0; i < nLines; i++) {
        if (usdDeal) {
          lineUnitCents[i] = Math.max(100, Math.round(lineUnitCents[i] / (double) DemoCatalog.USD_PRICE_LIST_RATE / 100) * 100);
        }
        amountCents += lineUnitCents[i] * lineQty[i];
      }
      String currency = usdDeal ? "USD" : "RUB";
      String loss = status.equals("lost") ? pick(DemoCatalog.LOSS_REASONS, DemoCatalog.LOSS_WEIGHTS) : null;
      String title = (companyName != null ? companyName : contactName[contactIdx]) + ": " + lineProduct[0].name();
      dealsOut.add(dealId, title, pl.id(), pl.stageId(finalStage), status, money(amountCents), currency, null,
          ts(created), closedAt > 0 ? ts(closedAt) : null, ts(updated), owner, contact, companyId, leadId,
          ch.name(), utm[0], utm[1], utm[2], loss, deleted);

      if (status.equals("open")) {
        return 0;
      }
      if (status.equals("lost")) {
        return 2;
      }
      if (deleted) {
        return 3;
      }
      order(dealId, customerId, contact, owner, ch, closedAt, amountCents, currency);
      return 1;
    }

    private void event(int stage, long t) {
      if (nev < evStage.length) {
        evStage[nev] = stage;
        evTime[nev] = t;
        nev++;
      }
    }

    private long stageTime(Pipeline pl, int stage) {
      return 600 + (long) exp(pl.meanStageDays()[stage] * DAY);
    }

    /** The deal's product lines: a main product, then 0-3 upsell lines of other products. */
    private void planLines(Pipeline pl) {
      Product main = pl == DemoCatalog.PARTNERS
          ? DemoCatalog.PRODUCTS.get(rng.nextDouble() < 0.6 ? 2 : 3)
          : mainProducts.get(rng.nextInt(mainProducts.size()));
      double r = rng.nextDouble();
      int extra = r < 0.55 ? 0 : r < 0.8 ? 1 : r < 0.93 ? 2 : 3;
      nLines = 0;
      line(main, pl == DemoCatalog.PARTNERS ? 3 : 1);
      while (nLines < 1 + extra) {
        Product p = upsellProducts.get(rng.nextInt(upsellProducts.size()));
        boolean dup = false;
        for (int i = 0; i < nLines; i++) {
          dup |= lineProduct[i] == p;
        }
        if (!dup) {
          line(p, 1);
        }
      }
    }

    private void line(Product p, int qtyFactor) {
      lineProduct[nLines] = p;
      lineQty[nLines] = Math.min(p.maxQty(), 1 + rng.nextInt(p.maxQty()) * qtyFactor);
      double discount = rng.nextDouble() < 0.6 ? 0 : rng.nextDouble() * 0.2;
      lineUnitCents[nLines] = Math.round(p.priceRub() * (1 - discount) / 100) * 100 * 100;
      nLines++;
    }

    /** The order of a won deal with its lines; line amount_base in the store's base currency. */
    private void order(String dealId, String customerId, String contact, String owner, Channel ch, long at,
                       long amountCents, String currency) throws SQLException {
      double factor = factor(currency, (int) (at / DAY - firstEpochDay));
      long orderBase = Math.round(amountCents / 100.0 * factor * 100);
      // the order carries its own base amount so its lines add up to it to the cent
      orders.add(dealId, customerId, dealId, ts(at), money(amountCents), currency, money(orderBase), owner, ch.name());
      long sum = 0;
      for (int i = 0; i < nLines; i++) {
        long lineCents = lineUnitCents[i] * lineQty[i];
        long lineBase = i == nLines - 1 ? orderBase - sum : Math.round(lineCents / 100.0 * factor * 100);
        sum += lineBase;
        items.add(dealId, i + 1, lineProduct[i].id(), lineProduct[i].name(), lineProduct[i].category(),
            BigDecimal.valueOf(lineQty[i]), money(lineUnitCents[i]), money(lineBase), i > 0);
      }
      if (rng.nextDouble() < 0.3) {
        ticket(customerId, contact, owner, at);
      }
      if (rng.nextDouble() < 0.3) {
        long answered = at + 7 * DAY + (long) (rng.nextDouble() * 23 * DAY);
        if (answered < cutoff) {
          int score = npsScore();
          String comment = rng.nextDouble() < 0.2
              ? DemoCatalog.NPS_COMMENTS[rng.nextInt(DemoCatalog.NPS_COMMENTS.length)] : null;
          surveys.add(Long.toString(++nResponse), "nps", score, customerId, contact, ts(answered), "email", comment);
        }
      }
    }

    /**
     * Units of base currency per unit of {@code currency} on a day, as StoreDerivations computes it:
     * rate(currency) / rate(base), RUB = 1, a base with no rates counts as 1.
     */
    private double factor(String currency, int dayIndex) {
      if (currency.equals(base)) {
        return 1.0;
      }
      Double rc = rate(currency, dayIndex);
      Double rb = rate(base, dayIndex);
      return (rc == null ? 1.0 : rc) / (rb == null ? 1.0 : rb);
    }

    private Double rate(String currency, int dayIndex) {
      return switch (currency) {
        case "RUB" -> 1.0;
        case "USD" -> usd[Math.max(0, Math.min(usd.length - 1, dayIndex))];
        default -> null;
      };
    }

    private void ticket(String customerId, String contact, String owner, long orderedAt) throws SQLException {
      long created = (orderedAt / DAY + 1 + rng.nextInt(60)) * DAY + timeOfDay();
      if (created >= cutoff) {
        return;
      }
      String channel = pick(DemoCatalog.TICKET_CHANNELS, DemoCatalog.TICKET_CHANNEL_WEIGHTS);
      long response = rng.nextDouble() < 0.05 ? -1 : created + 120 + (long) lognormal(45 * 60, 1.1);
      long resolved = response < 0 ? -1 : response + 1800 + (long) lognormal(10 * HOUR, 1.2);
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
          double r = rng.nextDouble();
          int score = r < 0.45 ? 5 : r < 0.73 ? 4 : r < 0.85 ? 3 : r < 0.93 ? 2 : 1;
          surveys.add(Long.toString(++nResponse), "csat", score, customerId, contact, ts(answered), channel, null);
        }
      }
    }

    private int npsScore() {
      // a realistic B2B shape: many 9-10, a tail of detractors down to 0
      double[] w = {4, 1, 1, 2, 2, 3, 5, 8, 14, 25, 35};
      double r = rng.nextDouble() * 100;
      for (int s = 0; s < w.length; s++) {
        r -= w[s];
        if (r < 0) {
          return s;
        }
      }
      return 10;
    }

    // ---------------------------------------------------------------- activities

    /** An auto-reply (robot) right after the lead arrives, and the manager's first touch. */
    private void leadActivities(String leadId, String contact, String company, String owner, long created,
                                long response) throws SQLException {
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
      }
    }

    /** Calls, e-mails, messages, meetings and tasks during the deal; returns the latest activity time. */
    private long dealActivities(String dealId, String contact, String owner, long from, long to, boolean closed)
        throws SQLException {
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
        activities.add(Long.toString(++nActivity), kind, direction, dealId, null, contact, companyId,
            automated ? null : owner, ts(at),
            completed ? ts(done) : null, duration, automated);
      }
      return latest;
    }

    // ---------------------------------------------------------------- bookkeeping

    private void syncState() throws SQLException {
      TableWriter w = session.table("sync_state");
      String[] tables = {"pipelines", "stages", "users", "channel_map", "fx_rates", "marketing_spend", "companies",
          "contacts", "leads", "deals", "deal_stage_history", "orders", "order_items", "activities", "tickets",
          "survey_responses"};
      String input = "demo generator (deals=" + deals + ", seed=" + seed + ", today=" + today + ")";
      for (String t : tables) {
        long rows = session.table(t).rows();
        w.add("demo", t, ts(cutoff), ts(cutoff).toString(), rows, "ok", null);
        session.report().add(input, t, rows, 0);
      }
      session.report().add(input, "sync_state", tables.length, 0);
    }

    // ---------------------------------------------------------------- random helpers

    /** A creation time: more recent days are likelier (growth), weekends quieter, daytime busier. */
    private long sampleTime() {
      while (true) {
        double x = Math.log1p(rng.nextDouble() * (Math.exp(G) - 1)) / G;
        long d = firstEpochDay + Math.min(spanDays - 1, (long) (x * spanDays));
        if (dow(d) >= 5 && rng.nextDouble() > 0.45) {
          continue;
        }
        return d * DAY + timeOfDay();
      }
    }

    private int timeOfDay() {
      double r = rng.nextDouble() * HOUR_WEIGHT_TOTAL;
      int h = 0;
      while (h < 23 && (r -= HOUR_WEIGHTS[h]) >= 0) {
        h++;
      }
      return h * 3600 + rng.nextInt(3600);
    }

    /** When a manager first answers: minutes in working hours, the next morning otherwise. */
    private long responseTime(long created) {
      long secOfDay = Math.floorMod(created, DAY);
      if (secOfDay >= 9 * HOUR && secOfDay < 19 * HOUR) {
        return created + 60 + (long) Math.min(8 * HOUR, lognormal(20 * 60, 1.0));
      }
      long morning = (created / DAY + (secOfDay >= 19 * HOUR ? 1 : 0)) * DAY + 9 * HOUR;
      return morning + 60 + (long) Math.min(4 * HOUR, lognormal(30 * 60, 0.8));
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
      double r = rng.nextDouble();
      for (int i = 0; i < values.length - 1; i++) {
        r -= weights[i];
        if (r < 0) {
          return values[i];
        }
      }
      return values[values.length - 1];
    }

    private double exp(double mean) {
      return -mean * Math.log(1 - rng.nextDouble());
    }

    private double lognormal(double median, double sigma) {
      return median * Math.exp(sigma * rng.nextGaussian());
    }

    private LocalDate day(int index) {
      return LocalDate.ofEpochDay(firstEpochDay + index);
    }
  }

  /** 0 = Monday .. 6 = Sunday (1970-01-01 was a Thursday). */
  private static int dow(long epochDay) {
    return (int) Math.floorMod(epochDay + 3, 7L);
  }

  private static LocalDateTime ts(long seconds) {
    return LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
  }

  private static BigDecimal money(long cents) {
    return BigDecimal.valueOf(cents, 2);
  }
}
