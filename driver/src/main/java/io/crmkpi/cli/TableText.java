package io.crmkpi.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The cells of {@code --format table}: which columns hold numbers (right-aligned) and which hold
 * rates (fractions, shown as percent with {@code --percent}), and each value's text.
 *
 * <p>A column holds rates when its name says so ({@code *_rate}, {@code *_pct}, {@code conversion*},
 * {@code romi}, {@code roas}, {@code csat}, {@code share}, {@code attainment}) or when every number in it
 * is a non-integral value in [-1, 1]. In a row whose {@code unit} column is {@code fraction} (the
 * scorecard and crm_impact) every number in [-1, 1] is a rate too.
 */
final class TableText {

  private static final Pattern RATE_NAME =
      Pattern.compile("(?i).*(_rate|_pct|^conversion.*|^romi|^roas|^csat|share|attainment|percent)$");

  private TableText() {
  }

  static boolean[] numeric(String[] cols, List<Object[]> rows) {
    boolean[] numeric = new boolean[cols.length];
    for (int i = 0; i < cols.length; i++) {
      boolean any = false;
      boolean all = true;
      for (Object[] r : rows) {
        if (r[i] != null) {
          any = true;
          all &= NumberText.isNumber(r[i]);
        }
      }
      numeric[i] = any && all;
    }
    return numeric;
  }

  static List<String[]> cells(String[] cols, List<Object[]> rows, boolean percent) {
    boolean[] numeric = numeric(cols, rows);
    boolean[] rate = new boolean[cols.length];
    boolean[] group = new boolean[cols.length];
    int unit = -1;
    for (int i = 0; i < cols.length; i++) {
      if (cols[i].toLowerCase(Locale.ROOT).equals("unit")) {
        unit = i;
      }
      if (!numeric[i]) {
        continue;
      }
      boolean fractions = true;
      boolean any = false;
      for (Object[] r : rows) {
        if (r[i] != null) {
          any = true;
          fractions &= NumberText.looksLikeFraction(r[i]);
          group[i] |= NumberText.isLargeWhole(r[i]);
        }
      }
      rate[i] = RATE_NAME.matcher(cols[i]).matches() || any && fractions;
    }
    List<String[]> out = new ArrayList<>(rows.size());
    for (Object[] r : rows) {
      boolean fractionRow = unit >= 0 && "fraction".equals(r[unit]);
      String[] cells = new String[cols.length];
      for (int i = 0; i < cols.length; i++) {
        Object v = r[i];
        if (v instanceof Number n) {
          boolean isRate = rate[i] || fractionRow && Math.abs(n.doubleValue()) <= 1;
          cells[i] = NumberText.format(n, isRate, percent, group[i]);
        } else {
          cells[i] = ResultFormat.textOf(v);
        }
      }
      out.add(cells);
    }
    return out;
  }
}
