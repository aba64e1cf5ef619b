package io.crmkpi.demo;

import java.time.LocalDate;
import java.util.SplittableRandom;

/**
 * When things happen in the demo business: how busy a day is (weekends, Russian public holidays,
 * the December rush, the summer lull), what time of day, and when a manager who works 9:00-19:00
 * on working days first answers. Times are seconds since the epoch in the reporting time zone.
 */
final class DemoCalendar {

  static final long DAY = 86_400;
  static final long HOUR = 3_600;
  /** Working hours of the sales and support teams. */
  static final long OPEN = 9 * HOUR;
  static final long CLOSE = 19 * HOUR;
  /** The busiest day weight ({@link #dayWeight}), for rejection sampling. */
  static final double MAX_WEIGHT = 1.25;

  /** Requests per hour of the day: a working-day peak, evening web forms, a quiet night. */
  private static final double[] HOUR_WEIGHTS = {1, 0.5, 0.3, 0.3, 0.3, 0.5, 1, 2, 5, 9, 10, 10, 9, 9, 10, 9, 8, 7,
      5, 4, 3, 3, 2, 1.5};
  private static final double HOUR_WEIGHT_TOTAL = java.util.Arrays.stream(HOUR_WEIGHTS).sum();

  private DemoCalendar() {
  }

  /** 0 = Monday .. 6 = Sunday (1970-01-01 was a Thursday). */
  static int dayOfWeek(long epochDay) {
    return (int) Math.floorMod(epochDay + 3, 7L);
  }

  /** Russian public holidays: the New Year break (1-8 January), 23 February, 8 March, 1 and 9 May, 12 June, 4 November. */
  static boolean holiday(LocalDate d) {
    int m = d.getMonthValue();
    int day = d.getDayOfMonth();
    return m == 1 && day <= 8 || m == 2 && day == 23 || m == 3 && day == 8 || m == 5 && (day == 1 || day == 9)
        || m == 6 && day == 12 || m == 11 && day == 4;
  }

  static boolean workingDay(long epochDay) {
    return dayOfWeek(epochDay) < 5 && !holiday(LocalDate.ofEpochDay(epochDay));
  }

  /**
   * Relative demand of a day: 1 on an ordinary working day; Saturday 0.35, Sunday 0.25, a holiday
   * 0.15; December before the 29th 1.25 (year-end budgets and gifts), the last days of December 0.6;
   * July and August 0.85.
   */
  static double dayWeight(long epochDay) {
    LocalDate d = LocalDate.ofEpochDay(epochDay);
    double w;
    if (holiday(d)) {
      w = 0.15;
    } else {
      int dow = dayOfWeek(epochDay);
      w = dow == 5 ? 0.35 : dow == 6 ? 0.25 : 1.0;
    }
    int m = d.getMonthValue();
    if (m == 12) {
      w *= d.getDayOfMonth() >= 29 ? 0.6 : 1.25;
    } else if (m == 7 || m == 8) {
      w *= 0.85;
    }
    return w;
  }

  /** A second of the day, busier in working hours. */
  static int timeOfDay(SplittableRandom rng) {
    double r = rng.nextDouble() * HOUR_WEIGHT_TOTAL;
    int h = 0;
    while (h < 23 && (r -= HOUR_WEIGHTS[h]) >= 0) {
      h++;
    }
    return h * 3600 + rng.nextInt(3600);
  }

  /** 9:00 of the first working day after the day of {@code t} (or of that day, when {@code t} is before 9:00 on one). */
  static long nextOpening(long t) {
    long d = Math.floorDiv(t, DAY);
    if (Math.floorMod(t, DAY) >= OPEN || !workingDay(d)) {
      d++;
      while (!workingDay(d)) {
        d++;
      }
    }
    return d * DAY + OPEN;
  }

  /** Whether {@code t} falls in working hours of a working day. */
  static boolean open(long t) {
    long s = Math.floorMod(t, DAY);
    return s >= OPEN && s < CLOSE && workingDay(Math.floorDiv(t, DAY));
  }

  /**
   * The first answer to a request created at {@code created}: after a log-normal delay of median
   * {@code medianSeconds} counted in working time; a request arriving at night, on a weekend or a
   * holiday waits for the next opening.
   */
  static long answer(long created, double medianSeconds, SplittableRandom rng) {
    long delay = 60 + (long) Math.min(6 * HOUR, medianSeconds * Math.exp(0.9 * rng.nextGaussian()));
    long start = open(created) ? created : nextOpening(created);
    long closing = Math.floorDiv(start, DAY) * DAY + CLOSE;
    if (start + delay < closing) {
      return start + delay;
    }
    return nextOpening(closing) + (start + delay - closing);
  }
}
