package io.crmkpi.jdbc;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Calendar;
import java.util.UUID;

/**
 * The JDBC conversion tables (JDBC 4.3, appendix B: which getter reads which SQL type, and what
 * {@code getObject} returns), in one place for results and parameters. Values arrive canonical:
 * String, Boolean, Integer/Long/…, BigDecimal, BigInteger, Double/Float, LocalDate, LocalTime,
 * LocalDateTime (a TIMESTAMP's wall-clock time), OffsetDateTime, byte[], UUID.
 *
 * <p>Wall-clock TIMESTAMP and DATE values are times in the connection's reporting time zone: that is
 * the zone used when one becomes an instant ({@code Instant}, {@code OffsetDateTime},
 * {@code ZonedDateTime}); {@code java.sql.Timestamp}/{@code Date} keep the wall-clock fields, as JDBC
 * does without a Calendar. A conversion the tables do not allow is SQLSTATE 07006; text that does not
 * read as the asked type 22018; a number out of the asked type's range 22003.
 */
final class JdbcValues {

  private JdbcValues() {
  }

  /** The Java class {@code getObject(i)} returns for a JDBC type (appendix B, table B-3). */
  static Object standard(Object v, int jdbcType, ZoneId zone) throws SQLException {
    if (v == null) {
      return null;
    }
    return switch (jdbcType) {
      case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.CLOB -> text(v);
      // a fraction where the validated type is whole (a store operator that disagrees with the
      // validator) is returned as it is rather than silently cut
      case Types.TINYINT, Types.SMALLINT, Types.INTEGER -> fractional(v) ? v : to(v, Integer.class, zone);
      case Types.BIGINT -> fractional(v) ? v : to(v, Long.class, zone);
      case Types.REAL -> to(v, Float.class, zone);
      case Types.FLOAT, Types.DOUBLE -> to(v, Double.class, zone);
      case Types.DECIMAL, Types.NUMERIC -> to(v, BigDecimal.class, zone); // the store's digits, never rounded
      case Types.BOOLEAN, Types.BIT -> to(v, Boolean.class, zone);
      case Types.DATE -> to(v, java.sql.Date.class, zone);
      case Types.TIME -> to(v, Time.class, zone);
      case Types.TIMESTAMP -> to(v, Timestamp.class, zone);
      case Types.TIMESTAMP_WITH_TIMEZONE -> to(v, OffsetDateTime.class, zone);
      case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> to(v, byte[].class, zone);
      default -> v;
    };
  }

  private static boolean fractional(Object v) {
    if (v instanceof Double || v instanceof Float) {
      double x = ((Number) v).doubleValue();
      return x != Math.rint(x) || Double.isInfinite(x) || Double.isNaN(x);
    }
    return v instanceof BigDecimal d && d.stripTrailingZeros().scale() > 0;
  }

  /** The text of a value (getString: every type). */
  static String text(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof String s) {
      return s;
    }
    if (v instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (v instanceof LocalDateTime t) {
      return Timestamp.valueOf(t).toString();
    }
    if (v instanceof byte[] b) {
      return new String(b, StandardCharsets.UTF_8);
    }
    return v.toString();
  }

  /** {@code v} as {@code type}, per the conversion tables. */
  @SuppressWarnings("unchecked")
  static <T> T to(Object v, Class<T> type, ZoneId zone) throws SQLException {
    if (v == null) {
      return null;
    }
    Object out;
    if (type == String.class) {
      out = text(v);
    } else if (type == Boolean.class) {
      out = bool(v);
    } else if (Number.class.isAssignableFrom(type)) {
      out = number(v, type);
    } else if (type == byte[].class) {
      if (v instanceof byte[] b) {
        out = b;
      } else if (v instanceof String s) {
        out = s.getBytes(StandardCharsets.UTF_8); // as PostgreSQL's driver does for text
      } else {
        throw notAllowed(v, type);
      }
    } else if (type == UUID.class) {
      try {
        out = v instanceof UUID u ? u : UUID.fromString(string(v, type));
      } catch (IllegalArgumentException e) {
        throw unreadable(v, type);
      }
    } else {
      out = temporal(v, type, zone);
    }
    return (T) out;
  }

  private static String string(Object v, Class<?> type) throws SQLException {
    if (v instanceof String s) {
      return s.trim();
    }
    throw notAllowed(v, type);
  }

  private static Boolean bool(Object v) throws SQLException {
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof Number n) {
      return ((BigDecimal) number(n, BigDecimal.class)).signum() != 0;
    }
    if (v instanceof String s) {
      return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
        case "true", "t", "yes", "y", "1", "on" -> true;
        case "false", "f", "no", "n", "0", "off" -> false;
        default -> throw unreadable(v, Boolean.class);
      };
    }
    throw notAllowed(v, Boolean.class);
  }

  private static Object number(Object v, Class<?> type) throws SQLException {
    BigDecimal d;
    if (v instanceof BigDecimal b) {
      d = b;
    } else if (v instanceof BigInteger b) {
      d = new BigDecimal(b);
    } else if (v instanceof Double || v instanceof Float) {
      double x = ((Number) v).doubleValue();
      if (Double.isNaN(x) || Double.isInfinite(x)) {
        if (type == Double.class) {
          return x;
        }
        if (type == Float.class) {
          return (float) x;
        }
        throw new SQLException("the value " + x + " is no " + type.getSimpleName(), "22003");
      }
      if (type == Double.class) {
        return x;
      }
      if (type == Float.class) {
        return (float) x;
      }
      d = BigDecimal.valueOf(x);
    } else if (v instanceof Number n) {
      d = BigDecimal.valueOf(n.longValue());
    } else if (v instanceof Boolean b) {
      d = b ? BigDecimal.ONE : BigDecimal.ZERO;
    } else if (v instanceof String s) {
      try {
        d = new BigDecimal(s.trim());
      } catch (NumberFormatException e) {
        String t = s.trim().toLowerCase(java.util.Locale.ROOT);
        if ((type == Double.class || type == Float.class) && (t.equals("nan") || t.contains("inf"))) {
          double x = Double.parseDouble(t.replace("inf", "Infinity").replace("infinityinity", "Infinity")
              .replace("nan", "NaN"));
          return type == Double.class ? (Object) x : (Object) (float) x;
        }
        throw unreadable(v, type);
      }
    } else {
      throw notAllowed(v, type);
    }
    if (type == BigDecimal.class || type == Number.class) {
      return d;
    }
    if (type == Double.class) {
      return d.doubleValue();
    }
    if (type == Float.class) {
      return d.floatValue();
    }
    BigInteger whole = d.toBigInteger(); // JDBC: fractions are cut towards zero
    if (type == BigInteger.class) {
      return whole;
    }
    long min;
    long max;
    if (type == Long.class) {
      min = Long.MIN_VALUE;
      max = Long.MAX_VALUE;
    } else if (type == Integer.class) {
      min = Integer.MIN_VALUE;
      max = Integer.MAX_VALUE;
    } else if (type == Short.class) {
      min = Short.MIN_VALUE;
      max = Short.MAX_VALUE;
    } else if (type == Byte.class) {
      min = Byte.MIN_VALUE;
      max = Byte.MAX_VALUE;
    } else {
      throw notAllowed(v, type);
    }
    if (whole.compareTo(BigInteger.valueOf(min)) < 0 || whole.compareTo(BigInteger.valueOf(max)) > 0) {
      throw new SQLException("the value " + d.toPlainString() + " is out of the range of " + type.getSimpleName(),
          "22003");
    }
    long x = whole.longValue();
    if (type == Long.class) {
      return x;
    }
    if (type == Integer.class) {
      return (int) x;
    }
    if (type == Short.class) {
      return (short) x;
    }
    return (byte) x;
  }

  private static Object temporal(Object v, Class<?> type, ZoneId zone) throws SQLException {
    Object t = v instanceof String s ? parseTemporal(s.trim(), type) : v;
    if (t instanceof java.util.Date || t instanceof Instant || t instanceof ZonedDateTime) {
      t = canonicalTemporal(t, zone);
    }
    if (type == LocalDate.class || type == java.sql.Date.class) {
      LocalDate d;
      if (t instanceof LocalDate x) {
        d = x;
      } else if (t instanceof LocalDateTime x) {
        d = x.toLocalDate();
      } else if (t instanceof OffsetDateTime x) {
        d = x.atZoneSameInstant(zone).toLocalDate();
      } else {
        throw notAllowed(v, type);
      }
      return type == LocalDate.class ? d : java.sql.Date.valueOf(d);
    }
    if (type == LocalTime.class || type == Time.class) {
      LocalTime lt;
      if (t instanceof LocalTime x) {
        lt = x;
      } else if (t instanceof LocalDateTime x) {
        lt = x.toLocalTime();
      } else if (t instanceof OffsetDateTime x) {
        lt = x.atZoneSameInstant(zone).toLocalTime();
      } else {
        throw notAllowed(v, type);
      }
      if (type == LocalTime.class) {
        return lt;
      }
      Time time = Time.valueOf(lt.withNano(0));
      time.setTime(time.getTime() + lt.getNano() / 1_000_000);
      return time;
    }
    LocalDateTime wall;
    if (t instanceof LocalDateTime x) {
      wall = x;
    } else if (t instanceof LocalDate x) {
      wall = x.atStartOfDay();
    } else if (t instanceof LocalTime x && (type == Timestamp.class || type == LocalDateTime.class)) {
      wall = LocalDate.of(1970, 1, 1).atTime(x);
    } else if (t instanceof OffsetDateTime x) {
      return instant(x, type, zone);
    } else {
      throw notAllowed(v, type);
    }
    if (type == LocalDateTime.class) {
      return wall;
    }
    if (type == Timestamp.class) {
      return Timestamp.valueOf(wall);
    }
    if (type == java.util.Date.class) {
      return Timestamp.valueOf(wall);
    }
    return instant(wall.atZone(zone).toOffsetDateTime(), type, zone);
  }

  private static Object instant(OffsetDateTime t, Class<?> type, ZoneId zone) throws SQLException {
    if (type == OffsetDateTime.class) {
      return t;
    }
    if (type == ZonedDateTime.class) {
      return t.atZoneSameInstant(zone);
    }
    if (type == Instant.class) {
      return t.toInstant();
    }
    if (type == LocalDateTime.class) {
      return t.atZoneSameInstant(zone).toLocalDateTime();
    }
    if (type == Timestamp.class || type == java.util.Date.class) {
      return Timestamp.from(t.toInstant());
    }
    throw notAllowed(t, type);
  }

  /** Text read as the asked temporal type: ISO dates, {@code yyyy-mm-dd hh:mm:ss[.f]}, ISO times, offsets. */
  private static Object parseTemporal(String s, Class<?> type) throws SQLException {
    try {
      if (s.length() <= 10 && s.indexOf(':') < 0) {
        return LocalDate.parse(s);
      }
      if (s.indexOf('-') < 0) {
        return LocalTime.parse(s);
      }
      String iso = s.replace(' ', 'T');
      if (iso.matches(".*[+-]\\d\\d(:?\\d\\d)?$") && iso.lastIndexOf('-') > 9 || iso.endsWith("Z")) {
        String fixed = iso.matches(".*[+-]\\d\\d$") ? iso + ":00" : iso;
        return OffsetDateTime.parse(fixed);
      }
      return LocalDateTime.parse(iso);
    } catch (DateTimeParseException e) {
      throw unreadable(s, type);
    }
  }

  /** java.util.Date/java.sql.*, Instant, ZonedDateTime as the canonical forms (for parameters and getters). */
  static Object canonicalTemporal(Object v, ZoneId zone) {
    if (v instanceof java.sql.Date d) {
      return d.toLocalDate();
    }
    if (v instanceof Time t) {
      return t.toLocalTime().withNano((int) Math.floorMod(t.getTime(), 1000L) * 1_000_000);
    }
    if (v instanceof Timestamp t) {
      return t.toLocalDateTime();
    }
    if (v instanceof java.util.Date d) {
      return LocalDateTime.ofInstant(d.toInstant(), ZoneId.systemDefault());
    }
    if (v instanceof Instant i) {
      return i.atZone(zone).toLocalDateTime();
    }
    if (v instanceof ZonedDateTime z) {
      return z.toOffsetDateTime();
    }
    return v;
  }

  /** A wall-clock value read in a Calendar's zone (the getters and setters that take a Calendar). */
  static Timestamp inCalendar(LocalDateTime wall, Calendar cal) {
    return Timestamp.from(wall.atZone(cal.getTimeZone().toZoneId()).toInstant());
  }

  /** A Calendar-zone instant as the wall-clock time of the connection (setters taking a Calendar). */
  static LocalDateTime fromCalendar(java.util.Date d, Calendar cal) {
    LocalDateTime wall = LocalDateTime.ofInstant(d.toInstant(), cal.getTimeZone().toZoneId());
    if (d instanceof Timestamp ts) {
      wall = wall.withNano(ts.getNanos());
    }
    return wall;
  }

  static SQLException notAllowed(Object v, Class<?> type) {
    return new SQLException("a " + sqlName(v) + " value cannot be read as " + type.getSimpleName()
        + " (JDBC conversion tables)", "07006");
  }

  private static SQLException unreadable(Object v, Class<?> type) {
    String s = String.valueOf(v);
    return new SQLException("the text '" + (s.length() > 60 ? s.substring(0, 60) + "…" : s) + "' does not read as "
        + type.getSimpleName(), "22018");
  }

  private static String sqlName(Object v) {
    if (v instanceof String) {
      return "VARCHAR";
    }
    if (v instanceof LocalDate) {
      return "DATE";
    }
    if (v instanceof LocalDateTime) {
      return "TIMESTAMP";
    }
    if (v instanceof LocalTime) {
      return "TIME";
    }
    if (v instanceof OffsetDateTime) {
      return "TIMESTAMP WITH TIME ZONE";
    }
    if (v instanceof Boolean) {
      return "BOOLEAN";
    }
    if (v instanceof byte[]) {
      return "VARBINARY";
    }
    if (v instanceof Number) {
      return "numeric";
    }
    return v.getClass().getSimpleName();
  }
}
