package io.crmkpi.dashboards;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A card's SQL bound to filter values for JDBC: each {@code [[ ... ]]} optional clause stays when every
 * variable inside has a value and is dropped otherwise; each {@code {{variable}}} becomes a {@code ?} parameter.
 *
 * @param sql the statement to prepare
 * @param parameters the parameter values, in order (LocalDate for dates, String for texts)
 */
public record CardSql(String sql, List<Object> parameters) {

  private static final Pattern OPTIONAL = Pattern.compile("\\[\\[(.*?)]]", Pattern.DOTALL);
  private static final Pattern VARIABLE = Pattern.compile("\\{\\{\\s*([a-z_][a-z0-9_]*)\\s*}}");

  /** Binds {@code template} to {@code values}; a variable outside an optional clause must have a value. */
  public static CardSql bind(String template, Map<String, Object> values) {
    StringBuilder kept = new StringBuilder();
    Matcher o = OPTIONAL.matcher(template);
    int at = 0;
    while (o.find()) {
      kept.append(template, at, o.start());
      Matcher v = VARIABLE.matcher(o.group(1));
      boolean all = true;
      while (v.find()) {
        all &= values.get(v.group(1)) != null;
      }
      if (all) {
        kept.append(o.group(1));
      }
      at = o.end();
    }
    kept.append(template.substring(at));
    List<Object> parameters = new ArrayList<>();
    Matcher v = VARIABLE.matcher(kept);
    StringBuilder sql = new StringBuilder();
    while (v.find()) {
      Object value = values.get(v.group(1));
      if (value == null) {
        throw new IllegalArgumentException("{{" + v.group(1) + "}} has no value and is outside a [[ ]] clause");
      }
      parameters.add(value);
      v.appendReplacement(sql, "?");
    }
    v.appendTail(sql);
    return new CardSql(sql.toString(), parameters);
  }
}
