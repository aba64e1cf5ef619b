package io.crmkpi.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.crmkpi.files.exports.ExportProfile;
import io.crmkpi.files.exports.ExportProfile.Field;
import io.crmkpi.settings.CommonSettings;
import io.crmkpi.source.SourceException;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a mapping file (YAML) into an {@link ExportProfile}. Keys: {@code entity} (deal|lead),
 * {@code also_lead}, {@code encoding}, {@code delimiter}, {@code decimal_separator},
 * {@code thousands_separator}, {@code date_pattern}/{@code date_patterns}, {@code timezone},
 * {@code currency}, {@code pipeline}, {@code columns} (canonical field: header or [headers]),
 * {@code stages} (name: open|won|lost), {@code stage_order}, {@code channels} (raw: channel),
 * {@code probability_scale} (100: {@code 40} is 40 %, the default; 1: {@code 0.4} is 40 %).
 */
public final class MappingFileReader {

  private static final Set<String> KEYS = Set.of("entity", "also_lead", "encoding", "delimiter", "decimal_separator",
      "thousands_separator", "date_pattern", "date_patterns", "timezone", "currency", "pipeline", "columns", "stages",
      "stage_order", "channels", "probability_scale");

  private static final Map<String, Field> COLUMNS = Map.ofEntries(
      Map.entry("id", Field.ID), Map.entry("deal_id", Field.ID), Map.entry("lead_id", Field.ID),
      Map.entry("title", Field.TITLE), Map.entry("pipeline", Field.PIPELINE), Map.entry("stage", Field.STAGE),
      Map.entry("status", Field.STATUS), Map.entry("is_closed", Field.IS_CLOSED), Map.entry("is_won", Field.IS_WON),
      Map.entry("probability", Field.PROBABILITY), Map.entry("amount", Field.AMOUNT),
      Map.entry("currency", Field.CURRENCY), Map.entry("created_at", Field.CREATED_AT),
      Map.entry("closed_at", Field.CLOSED_AT), Map.entry("updated_at", Field.UPDATED_AT),
      Map.entry("owner", Field.OWNER), Map.entry("contact", Field.CONTACT), Map.entry("contact_id", Field.CONTACT_ID),
      Map.entry("company", Field.COMPANY), Map.entry("company_id", Field.COMPANY_ID), Map.entry("source", Field.SOURCE),
      Map.entry("utm_source", Field.UTM_SOURCE), Map.entry("utm_medium", Field.UTM_MEDIUM),
      Map.entry("utm_campaign", Field.UTM_CAMPAIGN), Map.entry("loss_reason", Field.LOSS_REASON),
      Map.entry("expected_close_date", Field.EXPECTED_CLOSE));

  private MappingFileReader() {
  }

  public static ExportProfile read(Path file) throws SourceException {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    } catch (IOException e) {
      throw new SourceException(file + ": not a readable YAML mapping file (" + e.getMessage() + ")", e);
    }
    if (root == null || !root.isObject()) {
      throw new SourceException(file + ": a mapping file must be a YAML map with at least 'columns:'");
    }
    String where = file.getFileName().toString();
    try {
      return profile(root, where);
    } catch (IllegalArgumentException | DateTimeException e) {
      throw new SourceException(where + ": " + e.getMessage());
    }
  }

  private static ExportProfile profile(JsonNode root, String where) {
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!KEYS.contains(k)) {
        throw new IllegalArgumentException("unknown key '" + k + "'; known keys: " + new java.util.TreeSet<>(KEYS));
      }
    }
    ExportProfile p = new ExportProfile("mapping");
    String entity = root.path("entity").asText("deal").toLowerCase(Locale.ROOT).replaceAll("s$", "");
    if (!entity.equals("deal") && !entity.equals("lead")) {
      throw new IllegalArgumentException("entity must be deal or lead, got '" + entity + "'");
    }
    p.entity(entity).alsoLead(root.path("also_lead").asBoolean(false));
    if (root.hasNonNull("encoding")) {
      p.encoding(Charset.forName(root.get("encoding").asText()));
    }
    if (root.hasNonNull("delimiter")) {
      String d = root.get("delimiter").asText().replace("\\t", "\t");
      if (d.length() != 1) {
        throw new IllegalArgumentException("delimiter must be one character, got '" + d + "'");
      }
      p.delimiter(d.charAt(0));
    }
    p.decimalSeparator(oneChar(root, "decimal_separator", '.'));
    if (root.hasNonNull("thousands_separator")) {
      p.thousandsSeparator(oneChar(root, "thousands_separator", ' '));
    }
    for (JsonNode d : list(root.path("date_patterns"))) {
      p.datePattern(pattern(d.asText()));
    }
    if (root.hasNonNull("date_pattern")) {
      p.datePattern(pattern(root.get("date_pattern").asText()));
    }
    if (root.hasNonNull("timezone")) {
      p.fileZone(CommonSettings.TIMEZONE.parse(root.get("timezone").asText()));
    }
    if (root.hasNonNull("currency")) {
      p.defaultCurrency(CommonSettings.CURRENCY.parse(root.get("currency").asText()));
    }
    if (root.hasNonNull("probability_scale")) {
      String scale = root.get("probability_scale").asText().strip();
      if (scale.equals("1")) {
        p.probabilityAsFraction();
      } else if (!scale.equals("100")) {
        throw new IllegalArgumentException("probability_scale must be 100 (40 = 40 %) or 1 (0.4 = 40 %), got '"
            + scale + "'");
      }
    }
    if (root.hasNonNull("pipeline")) {
      p.defaultPipeline(root.get("pipeline").asText());
    }
    JsonNode columns = root.path("columns");
    if (!columns.isObject() || columns.isEmpty()) {
      throw new IllegalArgumentException("'columns:' must map canonical fields to headers, e.g. 'title: Сделка'");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = columns.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      Field f = COLUMNS.get(e.getKey().toLowerCase(Locale.ROOT));
      if (f == null) {
        throw new IllegalArgumentException("columns: unknown field '" + e.getKey() + "'; known fields: "
            + new java.util.TreeSet<>(COLUMNS.keySet()));
      }
      for (JsonNode h : list(e.getValue())) {
        p.column(f, h.asText());
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = root.path("stages").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      p.stageKind(e.getKey(), e.getValue().asText());
    }
    for (JsonNode s : list(root.path("stage_order"))) {
      p.stageOrder(s.asText());
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = root.path("channels").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      p.channel(e.getKey(), e.getValue().asText());
    }
    return p;
  }

  private static String pattern(String p) {
    DateTimeFormatter.ofPattern(p); // fails early with the pattern in the message
    return p;
  }

  private static char oneChar(JsonNode root, String key, char dflt) {
    if (!root.hasNonNull(key)) {
      return dflt;
    }
    String s = root.get(key).asText();
    if (s.equalsIgnoreCase("nbsp")) {
      return '\u00A0';
    }
    if (s.length() != 1) {
      throw new IllegalArgumentException(key + " must be one character, got '" + s + "'");
    }
    return s.charAt(0);
  }

  private static Iterable<JsonNode> list(JsonNode n) {
    if (n == null || n.isMissingNode() || n.isNull()) {
      return java.util.List.of();
    }
    return n.isArray() ? n : java.util.List.of(n);
  }
}
