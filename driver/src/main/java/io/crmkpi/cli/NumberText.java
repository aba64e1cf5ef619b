package io.crmkpi.cli;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/**
 * Numbers as people read them in {@code --format table}: thousands grouped, money-like values with two
 * decimals ({@code 96,169,748.50}, never {@code 9.61697485E7}), whole numbers without decimals
 * ({@code 812}, {@code 163,259}), fractions with four significant digits ({@code 0.3424}) or as a percent
 * ({@code 34.24%}). Whole numbers below 10,000 stay ungrouped, so years and sort orders read as such,
 * unless their column also holds larger ones ({@code 3,023} above {@code 11,087}).
 */
final class NumberText {

  private NumberText() {
  }

  private static final BigDecimal BIG = BigDecimal.valueOf(10_000);

  /** Whether {@code v} is a whole number of at least 10,000 (its column is then grouped throughout). */
  static boolean isLargeWhole(Object v) {
    if (!(v instanceof Number n) || v instanceof Double x && (x.isNaN() || x.isInfinite())) {
      return false;
    }
    double d = n.doubleValue();
    return Math.abs(d) >= 10_000 && d == Math.rint(d);
  }

  static boolean isNumber(Object v) {
    return v instanceof Number;
  }

  /** Whether {@code v} is a non-integral number in [-1, 1], the shape of a rate. */
  static boolean looksLikeFraction(Object v) {
    if (!(v instanceof Double || v instanceof Float || v instanceof BigDecimal)) {
      return false;
    }
    double d = ((Number) v).doubleValue();
    return Math.abs(d) <= 1 && d != Math.rint(d);
  }

  /**
   * {@code v} for a person; {@code fraction} marks a rate, shown as a percent when {@code percent};
   * {@code group} groups whole numbers below 10,000 too.
   */
  static String format(Number v, boolean fraction, boolean percent, boolean group) {
    if (v instanceof Double x && (x.isNaN() || x.isInfinite()) || v instanceof Float y && (y.isNaN() || y.isInfinite())) {
      return v.toString();
    }
    BigDecimal d = v instanceof BigDecimal b ? b
        : v instanceof Double || v instanceof Float ? BigDecimal.valueOf(v.doubleValue())
        : new BigDecimal(v.toString());
    if (fraction && percent) {
      return pattern("#,##0.00").format(d.movePointRight(2)) + "%";
    }
    if (fraction) {
      return significant(d);
    }
    if (v instanceof BigDecimal b && b.scale() > 0) {
      // a DECIMAL keeps its scale: money 1,000.00, a rate 92.1234
      return pattern("#,##0." + "0".repeat(b.scale())).format(b);
    }
    if (isWhole(d)) {
      return !group && d.abs().compareTo(BIG) < 0 ? d.setScale(0, RoundingMode.UNNECESSARY).toPlainString()
          : pattern("#,##0").format(d);
    }
    if (d.abs().compareTo(BigDecimal.ONE) < 0) {
      return significant(d);
    }
    return pattern("#,##0.00").format(d);
  }

  private static String significant(BigDecimal d) {
    return d.round(new MathContext(4, RoundingMode.HALF_EVEN)).stripTrailingZeros().toPlainString();
  }

  private static boolean isWhole(BigDecimal d) {
    return d.signum() == 0 || d.stripTrailingZeros().scale() <= 0;
  }

  private static DecimalFormat pattern(String p) {
    DecimalFormat f = new DecimalFormat(p, DecimalFormatSymbols.getInstance(Locale.ROOT));
    f.setRoundingMode(RoundingMode.HALF_EVEN);
    return f;
  }
}
