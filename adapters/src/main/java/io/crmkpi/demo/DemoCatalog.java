package io.crmkpi.demo;

import io.crmkpi.store.LoadSession;
import java.sql.SQLException;
import java.util.List;

/**
 * The fixed reference data of the demo CRM, a coffee supplier for offices, cafés and home buyers:
 * pipelines and stages, managers, channels with their UTM tags, products, names. Everything random
 * lives in the generator's classes; this class only holds constants, so a seed change never changes the
 * shape of the CRM.
 */
final class DemoCatalog {

  private DemoCatalog() {
  }

  /**
   * A pipeline: open stages in funnel order, then won and lost; mean days spent in each open stage;
   * where lost deals stop (weights per open stage); the win probability the CRM shows for each open
   * stage (0-100, rising along the funnel; won is 100, lost 0); the open stage whose arrival fixes a
   * deal's real amount (the proposal: before it the amount is the manager's first guess).
   */
  record Pipeline(String id, String name, boolean isDefault, List<String> openStages, List<String> openNames,
                  double[] meanStageDays, double[] lostAt, String team, double[] probability, int reviseAt) {

    int open() {
      return openStages.size();
    }

    /** Stage id by index: 0..open-1 open stages, open = won, open+1 = lost. */
    String stageId(int index) {
      if (index < open()) {
        return id + ":" + openStages.get(index);
      }
      return id + (index == open() ? ":won" : ":lost");
    }
  }

  static final Pipeline SALES = new Pipeline("1", "Sales", true,
      List.of("new", "qualified", "meeting", "proposal", "negotiation", "invoice"),
      List.of("New lead", "Qualified", "Meeting held", "Proposal sent", "Negotiation", "Invoice sent"),
      // "Proposal sent" is the slow stage where most deals are lost: the bottleneck the funnel view shows
      new double[] {1, 2, 3, 7, 3, 2}, new double[] {20, 15, 10, 45, 7, 3}, "Sales",
      new double[] {10, 20, 30, 40, 60, 80}, 3);

  static final Pipeline PARTNERS = new Pipeline("2", "Partners", false,
      List.of("application", "verification", "terms", "agreement", "onboarding"),
      List.of("Application", "Verification", "Terms agreed", "Agreement signed", "Onboarding"),
      new double[] {2, 5, 6, 7, 8}, new double[] {45, 20, 15, 12, 8}, "Partners",
      new double[] {10, 25, 50, 70, 90}, 2);

  static final List<Pipeline> PIPELINES = List.of(SALES, PARTNERS);

  /**
   * A manager, active from {@code fromDaysAgo} to {@code toDaysAgo} days before today (0 = still active).
   * A manager that joined or left mid-history gets no deals outside that span. {@code skill} multiplies
   * the win probability of the manager's deals; {@code responseMinutes} is the median first answer to a
   * lead in working hours once the CRM is live.
   */
  record User(String id, String name, String team, int fromDaysAgo, int toDaysAgo, double skill,
              double responseMinutes) {
    boolean active() {
      return toDaysAgo == 0;
    }

    String email() {
      return name.toLowerCase(java.util.Locale.ROOT).replace(' ', '.') + "@demo-crm.example";
    }
  }

  static final List<User> USERS = List.of(
      new User("1", "Anna Smirnova", "Sales", 100_000, 0, 1.35, 6),
      new User("2", "Boris Ivanov", "Sales", 100_000, 0, 1.0, 14),
      new User("3", "Dmitry Kuznetsov", "Sales", 100_000, 300, 0.7, 40),
      new User("4", "Elena Popova", "Sales", 100_000, 0, 1.15, 9),
      new User("5", "Igor Sokolov", "Sales", 365, 0, 0.8, 20),
      new User("6", "Maria Volkova", "Partners", 100_000, 0, 1.2, 15),
      new User("7", "Nikolay Lebedev", "Partners", 100_000, 0, 0.85, 30),
      new User("8", "Olga Kozlova", "Partners", 540, 0, 1.0, 20));

  /**
   * A marketing channel: acquisition weight (new parties), noise weight (leads that never buy),
   * UTM tags, the first deal's win probability, and its paid spend in RUB per generated deal over the
   * history (0 = free channel). Win rates follow the published 20-30 % opportunity-to-win of
   * mid-market B2B (lower for cold paid traffic, higher for referrals and inbound calls).
   */
  record Channel(String name, double weight, double noiseWeight, String utmSource, String utmMedium,
                 List<String> campaigns, double winProb, double spendPerDeal) {
  }

  static final List<Channel> CHANNELS = List.of(
      new Channel("yandex_direct", 0.36, 0.20, "yandex", "cpc", List.of("search_coffee", "rsya_retargeting"), 0.24, 2_300),
      new Channel("google_ads", 0.18, 0.15, "google", "cpc", List.of("brand_search", "generic_search"), 0.20, 1_900),
      new Channel("organic", 0.16, 0.10, "yandex", "organic", List.of(), 0.30, 0),
      new Channel("referral", 0.08, 0.02, "partner_site", "referral", List.of(), 0.45, 0),
      new Channel("social", 0.08, 0.12, "telegram", "social", List.of("tg_channel_posts"), 0.14, 800),
      new Channel("email", 0.04, 0.03, "newsletter", "email", List.of("monthly_digest"), 0.30, 0),
      new Channel("direct", 0.10, 0.10, null, null, List.of(), 0.38, 0),
      // paid, many leads, never a customer: the "spend but no customers" pitfall (CAC is NULL)
      new Channel("vk_ads", 0, 0.30, "vk_ads", "cpm", List.of("vk_lookalike"), 0, 400));

  static Channel channel(String name) {
    return CHANNELS.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  /** Default raw value -> channel rows of {@code crm.channel_map}. */
  static final String[][] CHANNEL_MAP = {
      {"google", "google_ads"}, {"google_ads", "google_ads"}, {"adwords", "google_ads"},
      {"yandex", "yandex_direct"}, {"yandex_direct", "yandex_direct"}, {"yandex.direct", "yandex_direct"},
      {"cpc", "paid_search"}, {"ppc", "paid_search"},
      {"organic", "organic"}, {"seo", "organic"},
      {"referral", "referral"}, {"partner", "referral"}, {"partner_site", "referral"},
      {"email", "email"}, {"newsletter", "email"}, {"mailchimp", "email"}, {"unisender", "email"},
      {"social", "social"}, {"telegram", "social"}, {"vk", "social"}, {"facebook", "social"},
      {"instagram", "social"},
      {"vk_ads", "vk_ads"}, {"mytarget", "vk_ads"},
      {"direct", "direct"}, {"(none)", "direct"}, {"typein", "direct"}};

  /**
   * A product: list price in RUB, the largest quantity a company orders per line (a private buyer
   * orders a fraction, a partner café the full amount), whether it can be a first order's main line,
   * whether it is a consumable that customers reorder.
   */
  record Product(String id, String name, String category, long priceRub, int maxQty, boolean main, boolean reorder) {
  }

  static final List<Product> PRODUCTS = List.of(
      new Product("p01", "Espresso blend beans 1 kg", "Coffee", 1_650, 30, true, true),
      new Product("p02", "Single origin beans 1 kg", "Coffee", 2_400, 15, true, true),
      new Product("p03", "Coffee capsules 100 pcs", "Coffee", 3_900, 12, true, true),
      new Product("p04", "Bean-to-cup coffee machine", "Equipment", 89_000, 1, true, false),
      new Product("p05", "Coffee grinder", "Equipment", 42_000, 1, true, false),
      new Product("p06", "Barista training (day)", "Service", 15_000, 2, false, false),
      new Product("p07", "Tea assortment box", "Tea and extras", 1_200, 10, true, true),
      new Product("p08", "Syrup set", "Tea and extras", 2_800, 6, false, true),
      new Product("p09", "Machine service visit", "Service", 6_500, 1, false, false),
      new Product("p10", "Paper cups 1000 pcs", "Supplies", 3_400, 6, false, true),
      new Product("p11", "Cleaning tablets", "Supplies", 1_900, 4, false, true),
      new Product("p12", "Milk 12 l", "Supplies", 1_300, 12, false, true));

  /** RUB per USD used for the USD price list (prices are set once, rates move). */
  static final long USD_PRICE_LIST_RATE = 80;

  static final String[] LOSS_REASONS = {"Too expensive", "Chose a competitor", "No budget", "Stopped responding",
      "Not a target customer", "Postponed the project"};
  static final double[] LOSS_WEIGHTS = {0.27, 0.22, 0.16, 0.17, 0.08, 0.10};

  static final String[] INDUSTRIES = {"Retail", "Manufacturing", "IT", "Logistics", "Construction", "Healthcare",
      "Education", "HoReCa", "Finance", "Coworking"};

  static final String[] COMPANY_PREFIX = {"Alfa", "Vektor", "Orion", "Sever", "Bastion", "Granit", "Megapolis",
      "Avangard", "Kvant", "Stroy", "Tekh", "Agro", "Med", "Logist", "Soft", "Trade", "Energo", "Prom", "Volga",
      "Ural", "Baltika", "Sibir"};
  static final String[] COMPANY_SUFFIX = {"Group", "Service", "Trade", "Systems", "Plus", "Invest", "Consult",
      "Tech", "Market", "Line"};
  static final String[] LEGAL_FORM = {"LLC", "LLC", "LLC", "JSC"};

  static final String[] MALE_NAMES = {"Alexander", "Dmitry", "Maxim", "Sergey", "Andrey", "Alexey", "Artem",
      "Ilya", "Kirill", "Mikhail", "Nikita", "Pavel", "Roman", "Egor", "Vladimir"};
  static final String[] FEMALE_NAMES = {"Anastasia", "Maria", "Daria", "Anna", "Elena", "Olga", "Natalia",
      "Ekaterina", "Irina", "Svetlana", "Tatiana", "Yulia", "Polina", "Ksenia", "Victoria"};
  /** Male surname forms; the female form adds "a". */
  static final String[] SURNAMES = {"Ivanov", "Petrov", "Sidorov", "Smirnov", "Kuznetsov", "Popov", "Vasiliev",
      "Sokolov", "Mikhailov", "Novikov", "Fedorov", "Morozov", "Volkov", "Alekseev", "Lebedev", "Semenov",
      "Egorov", "Pavlov", "Kozlov", "Stepanov", "Nikolaev", "Orlov", "Andreev", "Makarov", "Zakharov"};

  static final String[] TICKET_SUBJECTS = {"Machine does not grind", "Delivery is late", "Question about invoice",
      "Wrong blend delivered", "Need a service visit", "Capsules jam", "Change the delivery address",
      "Request for a barista training"};
  static final String[] TICKET_CHANNELS = {"email", "phone", "chat", "telegram"};
  static final double[] TICKET_CHANNEL_WEIGHTS = {0.4, 0.25, 0.25, 0.1};

  static final String[] NPS_COMMENTS = {"Great coffee, fast delivery", "Too expensive for what it is",
      "Delivery was late again", "The engineer came the same day", "Ordering is easy", "The machine breaks too often"};

  /** Writes pipelines, stages, users and the channel map. */
  static void writeReference(LoadSession session) throws SQLException {
    var pipelines = session.table("pipelines");
    var stages = session.table("stages");
    for (int p = 0; p < PIPELINES.size(); p++) {
      Pipeline pl = PIPELINES.get(p);
      pipelines.add(pl.id(), pl.name(), pl.isDefault(), p + 1);
      for (int i = 0; i < pl.open(); i++) {
        stages.add(pl.stageId(i), pl.id(), pl.openNames().get(i), i + 1, "open", pl.probability()[i]);
      }
      stages.add(pl.stageId(pl.open()), pl.id(), "Closed - won", pl.open() + 1, "won", 100.0);
      stages.add(pl.stageId(pl.open() + 1), pl.id(), "Closed - lost", pl.open() + 2, "lost", 0.0);
    }
    var users = session.table("users");
    for (User u : USERS) {
      users.add(u.id(), u.name(), u.email(), u.team(), u.active());
    }
    var map = session.table("channel_map");
    for (String[] row : CHANNEL_MAP) {
      map.add(row[0], row[1]);
    }
  }
}
