package io.crmkpi.demo;

import io.crmkpi.demo.DemoCatalog.Pipeline;
import io.crmkpi.demo.DemoCatalog.Product;
import io.crmkpi.store.LoadSession;
import io.crmkpi.store.TableWriter;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The product lines of the current deal or reorder, and writing them as an order: quantities scaled to
 * the buyer (a private buyer orders about an eighth of a company's amounts, a partner café the most),
 * 40 % of lines discounted by up to 20 %, lines in the store's base currency adding up to the order's
 * amount to the cent. Reused for every order (no allocation per order).
 */
final class DemoBasket {

  private static final List<Product> MAIN = DemoCatalog.PRODUCTS.stream().filter(Product::main).toList();
  private static final List<Product> UPSELL =
      DemoCatalog.PRODUCTS.stream().filter(p -> !p.main() || p.id().equals("p07")).toList();
  private static final List<Product> REORDER = DemoCatalog.PRODUCTS.stream().filter(Product::reorder).toList();

  private final SplittableRandom rng;
  private final DemoFx fx;
  private final TableWriter orders;
  private final TableWriter items;
  private final Product[] product = new Product[4];
  private final int[] qty = new int[4];
  private final long[] unitCents = new long[4];
  private int n;
  private double size;

  DemoBasket(LoadSession session, SplittableRandom rng, DemoFx fx) throws SQLException {
    this.rng = rng;
    this.fx = fx;
    this.orders = session.table("orders");
    this.items = session.table("order_items");
  }

  /**
   * A deal's lines. A new customer's first deal: a main product (often a coffee machine for a company)
   * and 0-3 other lines; a customer's later deal: equipment or a large consumables contract; partner
   * cafés buy their beans in bulk. {@code size}: 0.12 private buyer, 0.5 company, 1 partner.
   */
  void deal(Pipeline pl, double size, boolean firstDeal) {
    this.size = size;
    Product main;
    if (pl == DemoCatalog.PARTNERS) {
      main = DemoCatalog.PRODUCTS.get(rng.nextDouble() < 0.6 ? 0 : 1);
    } else if (size >= 0.5 && rng.nextDouble() < (firstDeal ? 0.45 : 0.3)) {
      main = DemoCatalog.PRODUCTS.get(rng.nextDouble() < 0.7 ? 3 : 4);
    } else {
      main = MAIN.get(rng.nextInt(MAIN.size()));
    }
    double r = rng.nextDouble();
    int extra = r < 0.5 ? 0 : r < 0.78 ? 1 : r < 0.93 ? 2 : 3;
    n = 0;
    line(main);
    while (n < 1 + extra) {
      Product p = UPSELL.get(rng.nextInt(UPSELL.size()));
      if (!planned(p)) {
        line(p);
      }
    }
  }

  /** A reorder's lines: 1-3 consumables. */
  void reorder(double size) {
    this.size = size;
    n = 0;
    line(REORDER.get(rng.nextInt(REORDER.size())));
    double r = rng.nextDouble();
    int extra = r < 0.6 ? 0 : r < 0.9 ? 1 : 2;
    while (n < 1 + extra) {
      Product p = REORDER.get(rng.nextInt(REORDER.size()));
      if (!planned(p)) {
        line(p);
      }
    }
  }

  /** Reprices the lines from the USD price list (RUB prices at a fixed planning rate). */
  void toUsd() {
    for (int i = 0; i < n; i++) {
      unitCents[i] = Math.max(100, Math.round(unitCents[i] / (double) DemoCatalog.USD_PRICE_LIST_RATE / 100) * 100);
    }
  }

  long amountCents() {
    long amount = 0;
    for (int i = 0; i < n; i++) {
      amount += unitCents[i] * qty[i];
    }
    return amount;
  }

  String mainProductName() {
    return product[0].name();
  }

  /** Writes the order and its lines; line amount_base in the store's base currency. */
  void write(String orderId, String dealId, String customerId, String owner, String channel, long at,
             String currency) throws SQLException {
    long amountCents = amountCents();
    double factor = fx.factor(currency, at);
    long orderBase = fx.baseCents(amountCents, currency, at);
    // the order carries its own base amount so its lines add up to it to the cent
    orders.add(orderId, customerId, dealId, ts(at), money(amountCents), currency, money(orderBase), owner, channel);
    long sum = 0;
    for (int i = 0; i < n; i++) {
      long lineCents = unitCents[i] * qty[i];
      long lineBase = i == n - 1 ? orderBase - sum : Math.round(lineCents / 100.0 * factor * 100);
      sum += lineBase;
      items.add(orderId, i + 1, product[i].id(), product[i].name(), product[i].category(),
          BigDecimal.valueOf(qty[i]), money(unitCents[i]), money(lineBase), i > 0);
    }
  }

  private boolean planned(Product p) {
    for (int i = 0; i < n; i++) {
      if (product[i] == p) {
        return true;
      }
    }
    return false;
  }

  private void line(Product p) {
    product[n] = p;
    qty[n] = 1 + rng.nextInt(Math.max(1, (int) Math.round(p.maxQty() * size)));
    double discount = rng.nextDouble() < 0.6 ? 0 : rng.nextDouble() * 0.2;
    unitCents[n] = Math.round(p.priceRub() * (1 - discount) / 10) * 10 * 100;
    n++;
  }

  private static LocalDateTime ts(long seconds) {
    return LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
  }

  private static BigDecimal money(long cents) {
    return BigDecimal.valueOf(cents, 2);
  }
}
