package io.crmkpi.demo;

import io.crmkpi.demo.DemoCatalog.Channel;
import io.crmkpi.store.LoadSession;
import io.crmkpi.store.TableWriter;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.SplittableRandom;

/**
 * The demo's marketing spend: paid channels spend daily per campaign along the business's growth
 * curve (scaled with the number of deals, {@link Channel#spendPerDeal} RUB per generated deal over
 * the whole history), less on weekends and holidays, more in December; the e-mail service is a
 * monthly fee. Budgets are set so each channel's ROMI lands in the range docs/demo.md gives.
 */
final class DemoMarketing {

  /** The e-mail service's monthly fee at the default size (10 000 deals), RUB. */
  static final long EMAIL_FEE = 12_000;

  private DemoMarketing() {
  }

  /** How much of a normal day's budget the ad accounts spend on this day. */
  static double spendWeight(long epochDay) {
    LocalDate d = LocalDate.ofEpochDay(epochDay);
    double w = DemoCalendar.holiday(d) ? 0.4 : DemoCalendar.dayOfWeek(epochDay) >= 5 ? 0.6 : 1.0;
    return d.getMonthValue() == 12 && d.getDayOfMonth() < 29 ? w * 1.2 : w;
  }

  static void write(LoadSession session, long seed, long firstEpochDay, int spanDays, int deals, double growth)
      throws SQLException {
    SplittableRandom sp = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 2);
    TableWriter w = session.table("marketing_spend");
    for (int d = 0; d < spanDays; d++) {
      double x = (d + 0.5) / spanDays;
      // share of the history's spend that falls on this day: the growth curve's density
      double share = growth * Math.exp(growth * x) / (Math.exp(growth) - 1) / spanDays;
      double weight = spendWeight(firstEpochDay + d);
      LocalDate date = LocalDate.ofEpochDay(firstEpochDay + d);
      for (Channel c : DemoCatalog.CHANNELS) {
        if (c.spendPerDeal() == 0) {
          continue;
        }
        for (String campaign : c.campaigns()) {
          double v = deals * c.spendPerDeal() * share / c.campaigns().size() * (0.7 + 0.6 * sp.nextDouble()) * weight;
          w.add(c.name(), campaign, date, BigDecimal.valueOf(Math.round(v * 100), 2), "RUB", null);
        }
      }
      if (date.getDayOfMonth() == 1) {
        w.add("email", "esp_subscription", date,
            BigDecimal.valueOf(Math.round(EMAIL_FEE * Math.sqrt(deals / 10_000.0)) * 100, 2), "RUB", null);
      }
    }
  }
}
