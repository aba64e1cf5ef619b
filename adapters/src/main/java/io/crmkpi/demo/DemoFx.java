package io.crmkpi.demo;

import io.crmkpi.store.LoadSession;
import io.crmkpi.store.TableWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.SplittableRandom;

/**
 * The demo's daily USD -> RUB rates (RUB is the base, 1): a trend from ~74 to ~92 with
 * mean-reverting noise, written to {@code crm.fx_rates} and kept to convert order lines exactly as
 * StoreDerivations converts the orders.
 */
final class DemoFx {

  private final long firstEpochDay;
  private final String base;
  /** USD -> RUB per day from firstEpochDay on (4 decimals, as stored). */
  private final double[] usd;

  private DemoFx(long firstEpochDay, String base, double[] usd) {
    this.firstEpochDay = firstEpochDay;
    this.base = base;
    this.usd = usd;
  }

  /** Draws the rates for {@code spanDays + 1} days from {@code firstEpochDay} and writes them. */
  static DemoFx write(LoadSession session, long seed, long firstEpochDay, int spanDays, String base)
      throws SQLException {
    SplittableRandom fx = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 1);
    TableWriter w = session.table("fx_rates");
    w.add("RUB", LocalDate.ofEpochDay(firstEpochDay), BigDecimal.ONE);
    double from = 70 + fx.nextDouble() * 8;
    double to = from + 12 + fx.nextDouble() * 10;
    double noise = 0;
    double[] usd = new double[spanDays + 1];
    for (int d = 0; d <= spanDays; d++) {
      noise = noise * 0.97 + 0.011 * fx.nextGaussian();
      double trend = from + (to - from) * d / spanDays;
      long units = Math.round(trend * Math.exp(noise) * 10_000);
      usd[d] = units / 10_000.0;
      w.add("USD", LocalDate.ofEpochDay(firstEpochDay + d), BigDecimal.valueOf(units, 4));
    }
    return new DemoFx(firstEpochDay, base, usd);
  }

  /**
   * Units of base currency per unit of {@code currency} on the day of {@code epochSecond}, as
   * StoreDerivations computes it: rate(currency) / rate(base), RUB = 1, a base with no rates counts as 1.
   */
  double factor(String currency, long epochSecond) {
    if (currency.equals(base)) {
      return 1.0;
    }
    int dayIndex = (int) (Math.floorDiv(epochSecond, DemoCalendar.DAY) - firstEpochDay);
    Double rc = rate(currency, dayIndex);
    Double rb = rate(base, dayIndex);
    return (rc == null ? 1.0 : rc) / (rb == null ? 1.0 : rb);
  }

  /**
   * {@code cents} of {@code currency} in base cents on the day of {@code epochSecond}, rounded as
   * StoreDerivations rounds: half away from zero on the exact decimal product for a rate to a base of
   * 1, on the quotient taken to 10 decimals for a cross rate.
   */
  long baseCents(long cents, String currency, long epochSecond) {
    if (currency.equals(base)) {
      return cents;
    }
    int dayIndex = (int) (Math.floorDiv(epochSecond, DemoCalendar.DAY) - firstEpochDay);
    Double rc = rate(currency, dayIndex);
    Double rb = rate(base, dayIndex);
    BigDecimal amount = BigDecimal.valueOf(cents, 2);
    BigDecimal v;
    if (rb == null || rb == 1.0) {
      v = amount.multiply(rc == null ? BigDecimal.ONE : BigDecimal.valueOf(Math.round(rc * 10_000), 4));
    } else {
      v = BigDecimal.valueOf(amount.doubleValue() * (rc == null ? 1.0 : rc) / rb).setScale(10, RoundingMode.HALF_UP);
    }
    return v.setScale(2, RoundingMode.HALF_UP).unscaledValue().longValueExact();
  }

  private Double rate(String currency, int dayIndex) {
    return switch (currency) {
      case "RUB" -> 1.0;
      case "USD" -> usd[Math.max(0, Math.min(usd.length - 1, dayIndex))];
      default -> null;
    };
  }
}
