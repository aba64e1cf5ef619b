package io.crmkpi.files.exports;

import io.crmkpi.store.Store;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Normalised channel of a raw UTM/source value through {@code crm.channel_map}: known values map to
 * their channel, unknown ones to themselves lower-cased, empty to {@code unknown}. Seeds the table
 * with {@link #DEFAULTS} when it is empty, so users see (and can edit) the defaults.
 */
public final class ChannelMapper {

  /** Default raw value (lower-case) to channel rows. */
  static final Map<String, String> DEFAULTS = defaults();

  private final Map<String, String> map = new HashMap<>();

  private ChannelMapper() {
  }

  /** Reads {@code crm.channel_map} (seeding defaults if empty); {@code extra} (mapping file) wins. */
  public static ChannelMapper load(Store store, Map<String, String> extra) throws SQLException {
    ChannelMapper m = new ChannelMapper();
    try (Connection c = store.connect(); Statement s = c.createStatement()) {
      boolean empty;
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM crm.channel_map")) {
        rs.next();
        empty = rs.getLong(1) == 0;
      }
      if (empty) {
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO crm.channel_map VALUES (?, ?)")) {
          for (Map.Entry<String, String> e : DEFAULTS.entrySet()) {
            ins.setString(1, e.getKey());
            ins.setString(2, e.getValue());
            ins.addBatch();
          }
          ins.executeBatch();
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT raw_value, channel FROM crm.channel_map")) {
        while (rs.next()) {
          if (rs.getString(1) != null && rs.getString(2) != null) {
            m.map.put(StableIds.normalize(rs.getString(1)), rs.getString(2));
          }
        }
      }
    }
    extra.forEach((k, v) -> m.map.put(StableIds.normalize(k), v));
    return m;
  }

  /** The channel of a raw value. */
  public String channel(String raw) {
    String n = StableIds.normalize(raw);
    if (n.isEmpty()) {
      return "unknown";
    }
    return map.getOrDefault(n, n);
  }

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    put(d, "google_ads", "google", "google_ads", "google ads", "adwords", "google adwords", "gads");
    put(d, "yandex_direct", "yandex", "yandex_direct", "yandex.direct", "yandex direct", "direct.yandex.ru",
        "яндекс", "яндекс.директ", "яндекс директ");
    put(d, "paid_search", "paid search", "cpc", "ppc");
    put(d, "organic", "organic", "organic search", "seo", "поиск", "органика");
    put(d, "referral", "referral", "referrals", "рекомендация", "сарафанное радио", "partner", "партнер");
    put(d, "email", "email", "e-mail", "email marketing", "newsletter", "mailchimp", "электронная почта",
        "рассылка");
    put(d, "social", "social", "social media", "organic social", "paid social", "facebook", "instagram", "vk",
        "vkontakte", "вконтакте", "linkedin", "twitter", "telegram", "телеграм");
    put(d, "direct", "direct", "direct traffic", "(direct)", "прямой заход");
    put(d, "offline", "offline", "offline sources", "выставка", "exhibition");
    return Map.copyOf(d);
  }

  private static void put(Map<String, String> d, String channel, String... raws) {
    for (String r : raws) {
      d.put(r, channel);
    }
  }
}
