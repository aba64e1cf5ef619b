package io.crmkpi.files.exports;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a contact or company export layout means: per entity ({@code contact}, {@code company}),
 * which header names feed which canonical field; and, for files that list both, the column that
 * says which entity a row is and its values.
 */
public final class PartyExportProfile {

  /** The canonical fields a contact or company column can feed. */
  public enum Field {
    /** The CRM's own number: kept as a custom field, used to tell apart people of the same name. */
    ID, NAME, FIRST_NAME, LAST_NAME, COMPANY,
    /** A contact's company by the CRM's id (the first of a {@code ;}-joined list). */
    COMPANY_ID, EMAIL, PHONE, INDUSTRY, OWNER, CREATED_AT, UPDATED_AT, SOURCE, UTM_SOURCE
  }

  final String name;
  final Map<String, Map<Field, List<String>>> aliases = new HashMap<>();
  final List<String> typeColumn = new ArrayList<>();
  final Map<String, String> typeValues = new HashMap<>();
  boolean crmIds;
  /** What joins several values in one cell (HubSpot: {@code ;}); null when a cell is one value. */
  Character multiValueSeparator;

  public PartyExportProfile(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  /** Header names (any case/spacing) that feed {@code field} of {@code entity}, in preference order. */
  public PartyExportProfile column(String entity, Field field, String... headers) {
    List<String> l = aliases.computeIfAbsent(entity(entity), e -> new EnumMap<>(Field.class))
        .computeIfAbsent(field, f -> new ArrayList<>());
    for (String h : headers) {
      l.add(StableIds.normalize(h));
    }
    return this;
  }

  /**
   * Rows are keyed by the CRM's own id (the {@link Field#ID} column) instead of a {@link StableIds}
   * name id: for CRMs whose deal exports name companies and contacts by that id (HubSpot).
   */
  public PartyExportProfile crmIds() {
    this.crmIds = true;
    return this;
  }

  /** Cells of the company column may list several names joined by {@code separator}: the first counts. */
  public PartyExportProfile multiValues(char separator) {
    this.multiValueSeparator = separator;
    return this;
  }

  /** The column of a mixed file that names each row's entity. */
  public PartyExportProfile typeColumn(String... headers) {
    for (String h : headers) {
      typeColumn.add(StableIds.normalize(h));
    }
    return this;
  }

  /** A value of the type column and the entity it means. */
  public PartyExportProfile typeValue(String value, String entity) {
    typeValues.put(StableIds.normalize(value), entity(entity));
    return this;
  }

  private static String entity(String e) {
    if (!e.equals("contact") && !e.equals("company")) {
      throw new IllegalArgumentException("entity must be contact or company: " + e);
    }
    return e;
  }
}
