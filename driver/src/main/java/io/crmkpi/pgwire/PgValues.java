package io.crmkpi.pgwire;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;

/** Column values in PostgreSQL's text and binary formats, and parameter values back into Java objects. */
final class PgValues {

  private static final LocalDate PG_EPOCH = LocalDate.of(2000, 1, 1);
  private static final LocalDateTime PG_EPOCH_TS = PG_EPOCH.atStartOfDay();
  private static final DateTimeFormatter TS = new DateTimeFormatterBuilder()
      .appendPattern("yyyy-MM-dd HH:mm:ss").appendFraction(ChronoField.MICRO_OF_SECOND, 0, 6, true).toFormatter();
  private static final DateTimeFormatter TIME = new DateTimeFormatterBuilder()
      .appendPattern("HH:mm:ss").appendFraction(ChronoField.MICRO_OF_SECOND, 0, 6, true).toFormatter();
  private static final DateTimeFormatter TS_PARSE = new DateTimeFormatterBuilder()
      .appendPattern("yyyy-MM-dd[ ]['T']HH:mm[:ss]").optionalStart()
      .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd().toFormatter();

  private PgValues() {
  }

  /** The value of column {@code i} in text format (null = SQL NULL). */
  static String text(ResultSet rs, int i, PgType type) throws SQLException {
    switch (type) {
      case BOOL -> {
        boolean b = rs.getBoolean(i);
        return rs.wasNull() ? null : b ? "t" : "f";
      }
      case INT2, INT4, INT8 -> {
        Object o = rs.getObject(i);
        return o == null ? null : o instanceof Number n && !(o instanceof BigDecimal) ? Long.toString(n.longValue())
            : new BigDecimal(o.toString()).toBigInteger().toString();
      }
      case FLOAT4, FLOAT8 -> {
        double d = rs.getDouble(i);
        return rs.wasNull() ? null : floatText(d);
      }
      case NUMERIC -> {
        BigDecimal d = rs.getBigDecimal(i);
        return d == null ? null : d.toPlainString();
      }
      case DATE -> {
        LocalDate d = date(rs.getObject(i));
        return d == null ? null : d.toString();
      }
      case TIMESTAMP -> {
        LocalDateTime t = timestamp(rs.getObject(i));
        return t == null ? null : TS.format(t);
      }
      case TIMESTAMPTZ -> {
        OffsetDateTime t = timestamptz(rs.getObject(i));
        return t == null ? null : TS.format(t.withOffsetSameInstant(ZoneOffset.UTC)) + "+00";
      }
      case TIME -> {
        Object o = rs.getObject(i);
        return o == null ? null : o instanceof java.sql.Time t ? TIME.format(t.toLocalTime())
            : o instanceof LocalTime t ? TIME.format(t) : o.toString();
      }
      case INT4_ARRAY, INT8_ARRAY, TEXT_ARRAY -> {
        Array a = rs.getArray(i);
        return a == null ? null : arrayText((Object[]) a.getArray(), type != PgType.TEXT_ARRAY);
      }
      default -> {
        return rs.getString(i);
      }
    }
  }

  static String floatText(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    double abs = Math.abs(d);
    if (d == 0 || (abs >= 1e-4 && abs < 1e15)) {
      String s = BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
      return s.equals("-0") ? "0" : s;
    }
    String[] parts = Double.toString(d).split("E"); // as PostgreSQL prints: 1e+20, 1.5e-05
    String mantissa = parts[0].endsWith(".0") ? parts[0].substring(0, parts[0].length() - 2) : parts[0];
    int exp = Integer.parseInt(parts[1]);
    return mantissa + "e" + (exp < 0 ? "-" : "+") + String.format("%02d", Math.abs(exp));
  }

  private static String arrayText(Object[] items, boolean numeric) {
    StringBuilder b = new StringBuilder("{");
    for (int k = 0; k < items.length; k++) {
      if (k > 0) {
        b.append(',');
      }
      Object v = items[k];
      if (v == null) {
        b.append("NULL");
      } else if (numeric) {
        b.append(v);
      } else {
        b.append('"').append(v.toString().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
      }
    }
    return b.append('}').toString();
  }

  /** The value in binary format, for the types binary is offered for; others fall back to text bytes. */
  static byte[] binary(ResultSet rs, int i, PgType type) throws SQLException {
    switch (type) {
      case BOOL -> {
        boolean b = rs.getBoolean(i);
        return rs.wasNull() ? null : new byte[] {(byte) (b ? 1 : 0)};
      }
      case INT2 -> {
        short v = rs.getShort(i);
        return rs.wasNull() ? null : ByteBuffer.allocate(2).putShort(v).array();
      }
      case INT4 -> {
        int v = rs.getInt(i);
        return rs.wasNull() ? null : ByteBuffer.allocate(4).putInt(v).array();
      }
      case INT8 -> {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : ByteBuffer.allocate(8).putLong(v).array();
      }
      case FLOAT4 -> {
        float v = rs.getFloat(i);
        return rs.wasNull() ? null : ByteBuffer.allocate(4).putFloat(v).array();
      }
      case FLOAT8 -> {
        double v = rs.getDouble(i);
        return rs.wasNull() ? null : ByteBuffer.allocate(8).putDouble(v).array();
      }
      case NUMERIC -> {
        BigDecimal d = rs.getBigDecimal(i);
        return d == null ? null : numericBinary(d);
      }
      case DATE -> {
        LocalDate d = date(rs.getObject(i));
        return d == null ? null : ByteBuffer.allocate(4).putInt((int) ChronoUnit.DAYS.between(PG_EPOCH, d)).array();
      }
      case TIMESTAMP -> {
        LocalDateTime t = timestamp(rs.getObject(i));
        return t == null ? null : ByteBuffer.allocate(8).putLong(ChronoUnit.MICROS.between(PG_EPOCH_TS, t)).array();
      }
      case TIMESTAMPTZ -> {
        OffsetDateTime t = timestamptz(rs.getObject(i));
        return t == null ? null : ByteBuffer.allocate(8)
            .putLong(ChronoUnit.MICROS.between(PG_EPOCH_TS.atOffset(ZoneOffset.UTC), t)).array();
      }
      default -> {
        String s = text(rs, i, type);
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
      }
    }
  }

  /** PostgreSQL's numeric wire format: base-10000 digit groups with weight, sign and display scale. */
  static byte[] numericBinary(BigDecimal v) {
    int dscale = Math.max(0, v.scale());
    String plain = v.abs().setScale(dscale).toPlainString();
    int dot = plain.indexOf('.');
    String ip = dot < 0 ? plain : plain.substring(0, dot);
    String fp = dot < 0 ? "" : plain.substring(dot + 1);
    ip = "0".repeat((4 - ip.length() % 4) % 4) + ip;
    fp = fp + "0".repeat((4 - fp.length() % 4) % 4);
    String all = ip + fp;
    int groups = all.length() / 4;
    short[] digits = new short[groups];
    for (int g = 0; g < groups; g++) {
      digits[g] = Short.parseShort(all.substring(g * 4, g * 4 + 4));
    }
    int weight = ip.length() / 4 - 1;
    int first = 0;
    while (first < groups && digits[first] == 0) {
      first++;
      weight--;
    }
    int last = groups - 1;
    while (last >= first && digits[last] == 0) {
      last--;
    }
    int n = last - first + 1;
    if (n <= 0) {
      n = 0;
      weight = 0;
    }
    ByteBuffer b = ByteBuffer.allocate(8 + 2 * n);
    b.putShort((short) n).putShort((short) weight).putShort((short) (v.signum() < 0 ? 0x4000 : 0))
        .putShort((short) dscale);
    for (int k = 0; k < n; k++) {
      b.putShort(digits[first + k]);
    }
    return b.array();
  }

  static LocalDate date(Object o) {
    if (o == null) {
      return null;
    }
    if (o instanceof LocalDate d) {
      return d;
    }
    if (o instanceof java.sql.Date d) {
      return d.toLocalDate();
    }
    if (o instanceof LocalDateTime t) {
      return t.toLocalDate();
    }
    if (o instanceof java.sql.Timestamp t) {
      return t.toLocalDateTime().toLocalDate();
    }
    return LocalDate.parse(o.toString().substring(0, 10));
  }

  static LocalDateTime timestamp(Object o) {
    if (o == null) {
      return null;
    }
    if (o instanceof LocalDateTime t) {
      return t;
    }
    if (o instanceof java.sql.Timestamp t) {
      return t.toLocalDateTime();
    }
    if (o instanceof LocalDate d) {
      return d.atStartOfDay();
    }
    if (o instanceof java.sql.Date d) {
      return d.toLocalDate().atStartOfDay();
    }
    if (o instanceof OffsetDateTime t) {
      return t.toLocalDateTime();
    }
    return LocalDateTime.parse(o.toString(), TS_PARSE);
  }

  static OffsetDateTime timestamptz(Object o) {
    if (o == null) {
      return null;
    }
    if (o instanceof OffsetDateTime t) {
      return t;
    }
    if (o instanceof Instant t) {
      return t.atOffset(ZoneOffset.UTC);
    }
    if (o instanceof java.sql.Timestamp t) {
      return t.toInstant().atOffset(ZoneOffset.UTC);
    }
    return timestamp(o).atOffset(ZoneOffset.UTC);
  }

  /** A Bind parameter in binary format, decoded by the type the client named. */
  static Object fromBinary(byte[] b, int oid) {
    ByteBuffer bb = ByteBuffer.wrap(b);
    PgType t = PgType.byOid(oid);
    if (t == null) {
      return new String(b, StandardCharsets.UTF_8);
    }
    return switch (t) {
      case BOOL -> b[0] != 0;
      case INT2 -> bb.getShort();
      case INT4 -> bb.getInt();
      case INT8 -> bb.getLong();
      case FLOAT4 -> bb.getFloat();
      case FLOAT8 -> bb.getDouble();
      case DATE -> PG_EPOCH.plusDays(bb.getInt());
      case TIMESTAMP -> PG_EPOCH_TS.plus(bb.getLong(), ChronoUnit.MICROS);
      case TIMESTAMPTZ -> PG_EPOCH_TS.atOffset(ZoneOffset.UTC).plus(bb.getLong(), ChronoUnit.MICROS);
      case NUMERIC -> numericFromBinary(bb);
      case BYTEA -> b;
      default -> new String(b, StandardCharsets.UTF_8);
    };
  }

  private static BigDecimal numericFromBinary(ByteBuffer bb) {
    int n = bb.getShort();
    int weight = bb.getShort();
    int sign = bb.getShort() & 0xFFFF;
    int dscale = bb.getShort();
    BigInteger acc = BigInteger.ZERO;
    for (int k = 0; k < n; k++) {
      acc = acc.multiply(BigInteger.valueOf(10000)).add(BigInteger.valueOf(bb.getShort()));
    }
    BigDecimal v = new BigDecimal(acc).scaleByPowerOfTen(4 * (weight - n + 1));
    v = v.setScale(dscale, java.math.RoundingMode.UNNECESSARY);
    return sign == 0x4000 ? v.negate() : v;
  }

  /** A text-format parameter as the Java value the target column type expects (by JDBC type). */
  static Object fromText(String s, int jdbcType) {
    return switch (jdbcType) {
      case java.sql.Types.BOOLEAN, java.sql.Types.BIT -> s.equalsIgnoreCase("t") || s.equalsIgnoreCase("true")
          || s.equals("1") || s.equalsIgnoreCase("on") || s.equalsIgnoreCase("yes");
      case java.sql.Types.TINYINT, java.sql.Types.SMALLINT, java.sql.Types.INTEGER -> Integer.valueOf(s.trim());
      case java.sql.Types.BIGINT -> Long.valueOf(s.trim());
      case java.sql.Types.REAL, java.sql.Types.FLOAT, java.sql.Types.DOUBLE -> Double.valueOf(s.trim());
      case java.sql.Types.DECIMAL, java.sql.Types.NUMERIC -> new BigDecimal(s.trim());
      case java.sql.Types.DATE -> java.sql.Date.valueOf(LocalDate.parse(s.trim().substring(0, 10)));
      case java.sql.Types.TIMESTAMP, java.sql.Types.TIMESTAMP_WITH_TIMEZONE ->
          java.sql.Timestamp.valueOf(LocalDateTime.parse(stripZone(s.trim()), TS_PARSE));
      default -> s;
    };
  }

  private static String stripZone(String s) {
    return s.length() > 10 ? s.replaceFirst("([+-]\\d\\d(:?\\d\\d)?|Z)$", "") : s + " 00:00";
  }
}
