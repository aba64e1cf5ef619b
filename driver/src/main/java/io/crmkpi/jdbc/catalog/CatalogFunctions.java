package io.crmkpi.jdbc.catalog;

import java.util.List;

/**
 * The functions crmkpi's SQL accepts, as JDBC metadata reports them: the JDBC escape functions
 * ({@code {fn NAME(...)}}) by Open Group category for {@code getNumericFunctions()} and the like,
 * and those plus the aggregates for {@code getFunctions()}. Each name is here because a statement
 * using it compiles and runs on the store with the right answer (CrmKpiDatabaseMetaDataTest). Left
 * out until the compiler translates them: RAND, TRUNCATE, CHAR, DIFFERENCE, INSERT, SOUNDEX, SPACE
 * (the store has no such function or Calcite unparses them wrongly) and DAYOFWEEK (answers 5, not
 * JDBC's 6, for a Friday). LOCATE is listed for its two-argument form; the three-argument form
 * does not run yet.
 */
public final class CatalogFunctions {

  public static final List<String> NUMERIC = List.of("ABS", "ACOS", "ASIN", "ATAN", "ATAN2", "CBRT", "CEILING", "COS",
      "COT", "DEGREES", "EXP", "FLOOR", "LOG", "LOG10", "MOD", "PI", "POWER", "RADIANS", "ROUND", "SIGN", "SIN",
      "SQRT", "TAN");

  public static final List<String> STRING = List.of("ASCII", "CONCAT", "LCASE", "LEFT", "LENGTH", "LOCATE", "LTRIM",
      "REPEAT", "REPLACE", "RIGHT", "RTRIM", "SUBSTRING", "UCASE");

  public static final List<String> TIME_DATE = List.of("CURDATE", "CURTIME", "DAYNAME", "DAYOFMONTH", "DAYOFYEAR", "HOUR", "MINUTE", "MONTH", "MONTHNAME", "NOW", "QUARTER", "SECOND", "TIMESTAMPADD",
      "TIMESTAMPDIFF", "WEEK", "YEAR");

  public static final List<String> SYSTEM = List.of("DATABASE", "IFNULL", "USER");

  public static final List<String> AGGREGATE = List.of("AVG", "COUNT", "MAX", "MIN", "SUM", "STDDEV_POP",
      "STDDEV_SAMP", "VAR_POP", "VAR_SAMP");

  private CatalogFunctions() {
  }
}
