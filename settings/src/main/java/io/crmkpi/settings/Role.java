package io.crmkpi.settings;

/** What a setting is for; decides where its value may go and what it identifies. */
public enum Role {
  /** Shapes the loaded rows (time zone, demo size, file profile): part of the store's identity. */
  DATA,
  /** Shapes only the KPI views (week start, margin): connections differing in it share one store. */
  METRIC,
  /** A credential: part of the store's identity (another account is other data), never shown anywhere. */
  SECRET,
  /** Where or when to load or cache, not what: the same data whatever its value. */
  PLACEMENT;

  /** Lower-case name for docs. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
