package io.crmkpi.jdbc;

import io.crmkpi.jdbc.sql.CompiledQuery;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.List;
import java.util.Map;
import javax.sql.rowset.serial.SerialBlob;
import javax.sql.rowset.serial.SerialClob;

/**
 * A forward-only, read-only cursor over a store result. Columns are labelled and typed as Calcite
 * validated them; every value is read once from the store as a canonical Java value and converted
 * by {@link JdbcValues} (the JDBC conversion tables), so no store getter's gaps show through.
 * {@code maxRows} stops the cursor; {@code maxFieldSize} cuts long text and bytes.
 */
final class CrmKpiResultSet extends io.crmkpi.jdbc.catalog.ReadOnlyResultSet {

  private final CrmKpiStatement statement;
  private final ResultSet store;
  private final AutoCloseable release;
  private final List<CompiledQuery.Column> columns;
  private final int[] storeTypes;
  private final long maxRows;
  private final int maxFieldSize;
  private final ZoneId zone;
  private boolean closed;
  /** Rows read so far (the current row's number), and whether the cursor went past the last row. */
  private long row;
  private boolean done;
  /** The store is already on the next row (isBeforeFirst looked ahead). */
  private boolean peeked;
  private boolean wasNull;
  private int fetchSize;
  private SQLWarning warnings;

  CrmKpiResultSet(CrmKpiStatement statement, ResultSet store, AutoCloseable release, List<CompiledQuery.Column> columns,
                  long maxRows, int maxFieldSize, ZoneId zone) throws SQLException {
    this.statement = statement;
    this.store = store;
    this.release = release;
    this.columns = columns;
    this.maxRows = maxRows;
    this.maxFieldSize = maxFieldSize;
    this.zone = zone;
    this.storeTypes = new int[columns.size()];
    if (store != null) {
      ResultSetMetaData md = store.getMetaData();
      if (md.getColumnCount() != columns.size()) {
        throw new SQLException("the store returned " + md.getColumnCount() + " columns for " + columns.size()
            + " validated ones", "XX000");
      }
      for (int i = 0; i < storeTypes.length; i++) {
        storeTypes[i] = md.getColumnType(i + 1);
      }
    }
  }

  /**
   * A metadata result (DatabaseMetaData's rows, kept in a private store): typed as the store typed
   * them, {@code getStatement()} null as JDBC allows for metadata, the store's result never handed out.
   */
  static ResultSet metadata(ResultSet rows, ZoneId zone) throws SQLException {
    ResultSetMetaData md = rows.getMetaData();
    List<CompiledQuery.Column> cols = new ArrayList<>();
    for (int i = 1; i <= md.getColumnCount(); i++) {
      int type = md.getColumnType(i);
      String name = switch (type) {
        case Types.VARCHAR -> "VARCHAR";
        case Types.INTEGER -> "INTEGER";
        case Types.SMALLINT -> "SMALLINT";
        case Types.BIGINT -> "BIGINT";
        case Types.BOOLEAN -> "BOOLEAN";
        default -> md.getColumnTypeName(i);
      };
      cols.add(new CompiledQuery.Column(md.getColumnLabel(i), name, type, -1, -1,
          md.isNullable(i) != ResultSetMetaData.columnNoNulls, "", "", ""));
    }
    return new CrmKpiResultSet(null, rows, rows::close, List.copyOf(cols), 0, 0, zone);
  }

  private SQLException storeFailure(SQLException e) {
    return statement == null ? new SQLException(e.getMessage(), e.getSQLState() == null ? "HY000" : e.getSQLState())
        : statement.stopped(e, "reading the result");
  }

  /** A result with these columns and no rows (generated keys). */
  static CrmKpiResultSet empty(CrmKpiStatement statement, List<CompiledQuery.Column> columns, ZoneId zone)
      throws SQLException {
    return new CrmKpiResultSet(statement, null, null, columns, 0, 0, zone);
  }

  @Override
  protected void checkRow() throws SQLException {
    checkOpen();
  }

  private void checkOpen() throws SQLException {
    if (closed) {
      throw new SQLException("result set is closed", "HY010");
    }
  }

  // --- cursor

  @Override
  public boolean next() throws SQLException {
    checkOpen();
    if (done) {
      return false;
    }
    if (maxRows > 0 && row >= maxRows) {
      finish();
      return false;
    }
    boolean has;
    if (peeked) {
      peeked = false;
      has = true;
    } else {
      has = storeNext();
    }
    if (!has) {
      finish();
      return false;
    }
    row++;
    return true;
  }

  private boolean storeNext() throws SQLException {
    if (store == null) {
      return false;
    }
    try {
      return store.next();
    } catch (SQLException e) {
      throw storeFailure(e);
    }
  }

  /** Past the last row: the store's result (and a streamed result's connection) is given back now. */
  private void finish() throws SQLException {
    done = true;
    releaseStore();
  }

  private void releaseStore() throws SQLException {
    if (release != null) {
      try {
        release.close();
      } catch (SQLException | RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new SQLException(e.getMessage(), "HY000", e);
      }
    }
  }

  @Override
  public boolean isBeforeFirst() throws SQLException {
    checkOpen();
    if (row > 0 || done) {
      return false;
    }
    if (!peeked) {
      peeked = storeNext();
      if (!peeked) {
        finish();
      }
    }
    return peeked;
  }

  @Override
  public boolean isAfterLast() throws SQLException {
    checkOpen();
    return done && row > 0;
  }

  @Override
  public boolean isFirst() throws SQLException {
    checkOpen();
    return row == 1 && !done;
  }

  /** Optional for forward-only results (JDBC): answering it would read past the current row. */
  @Override
  public boolean isLast() throws SQLException {
    checkOpen();
    throw new SQLFeatureNotSupportedException("isLast is not supported on crmkpi's forward-only results", "0A000");
  }

  @Override
  public int getRow() throws SQLException {
    checkOpen();
    return done ? 0 : (int) Math.min(row, Integer.MAX_VALUE);
  }

  @Override
  public void beforeFirst() throws SQLException {
    throw forwardOnly("beforeFirst");
  }

  @Override
  public void afterLast() throws SQLException {
    throw forwardOnly("afterLast");
  }

  @Override
  public boolean first() throws SQLException {
    throw forwardOnly("first");
  }

  @Override
  public boolean last() throws SQLException {
    throw forwardOnly("last");
  }

  @Override
  public boolean previous() throws SQLException {
    throw forwardOnly("previous");
  }

  /** Forward moves only: {@code absolute(n)} with n past the current row, {@code relative(n)} with n >= 0. */
  @Override
  public boolean absolute(int n) throws SQLException {
    checkOpen();
    if (n <= row) {
      throw forwardOnly("absolute(" + n + ") from row " + row);
    }
    return relative((int) (n - row));
  }

  @Override
  public boolean relative(int n) throws SQLException {
    checkOpen();
    if (n < 0) {
      throw forwardOnly("relative(" + n + ")");
    }
    boolean on = row > 0 && !done;
    for (int i = 0; i < n; i++) {
      on = next();
      if (!on) {
        break;
      }
    }
    return on;
  }

  private SQLException forwardOnly(String what) {
    return new SQLException("crmkpi results are forward-only (TYPE_FORWARD_ONLY): " + what + " is not possible",
        "HY106");
  }

  @Override
  public int getType() throws SQLException {
    checkOpen();
    return TYPE_FORWARD_ONLY;
  }

  @Override
  public int getConcurrency() throws SQLException {
    checkOpen();
    return CONCUR_READ_ONLY;
  }

  @Override
  public int getHoldability() throws SQLException {
    checkOpen();
    return CLOSE_CURSORS_AT_COMMIT;
  }

  @Override
  public void setFetchDirection(int direction) throws SQLException {
    checkOpen();
    if (direction != FETCH_FORWARD) {
      throw new SQLException("crmkpi results are forward-only: fetch direction must be FETCH_FORWARD", "HY024");
    }
  }

  @Override
  public int getFetchDirection() throws SQLException {
    checkOpen();
    return FETCH_FORWARD;
  }

  /** A hint only: how the store hands over rows is decided when the statement runs. */
  @Override
  public void setFetchSize(int rows) throws SQLException {
    checkOpen();
    if (rows < 0) {
      throw new SQLException("fetch size must be >= 0, was " + rows, "HY024");
    }
    fetchSize = rows;
  }

  @Override
  public int getFetchSize() throws SQLException {
    checkOpen();
    return fetchSize;
  }

  @Override
  public SQLWarning getWarnings() throws SQLException {
    checkOpen();
    return warnings;
  }

  @Override
  public void clearWarnings() throws SQLException {
    checkOpen();
    warnings = null;
  }

  @Override
  public String getCursorName() throws SQLException {
    throw new SQLFeatureNotSupportedException("crmkpi results are read-only: no positioned updates, so no cursor "
        + "names", "0A000");
  }

  @Override
  public ResultSetMetaData getMetaData() throws SQLException {
    checkOpen();
    return new CrmKpiResultSetMetaData(columns);
  }

  @Override
  public Statement getStatement() throws SQLException {
    checkOpen();
    return statement;
  }

  @Override
  public int findColumn(String label) throws SQLException {
    checkOpen();
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).label().equalsIgnoreCase(label)) {
        return i + 1;
      }
    }
    List<String> names = new ArrayList<>();
    columns.forEach(c -> names.add(c.label()));
    throw new SQLException("no column '" + label + "' in the result; columns: " + String.join(", ", names), "42S22");
  }

  @Override
  public boolean wasNull() throws SQLException {
    checkOpen();
    return wasNull;
  }

  @Override
  public void close() throws SQLException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (!done) {
        releaseStore();
      }
    } finally {
      if (statement != null) {
        statement.resultClosed(this);
      }
    }
  }

  /** Closing on behalf of the statement (re-execute, statement or connection close). */
  void closeQuietly() {
    try {
      close();
    } catch (SQLException | RuntimeException ignored) {
      // closing anyway
    }
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  // --- values

  private CompiledQuery.Column column(int i) throws SQLException {
    checkOpen();
    if (i < 1 || i > columns.size()) {
      throw new SQLException("column index " + i + " is out of range 1.." + columns.size(), "07009");
    }
    if (row == 0 || done) {
      throw new SQLException("the cursor is not on a row (call next() first)", "24000");
    }
    return columns.get(i - 1);
  }

  /** The store's value of column i as a canonical Java value (see {@link JdbcValues}). */
  private Object raw(int i) throws SQLException {
    column(i);
    Object v;
    try {
      v = switch (storeTypes[i - 1]) {
        case Types.TIMESTAMP -> store.getObject(i, LocalDateTime.class);
        case Types.BLOB, Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY -> store.getBytes(i);
        default -> store.getObject(i);
      };
    } catch (SQLException e) {
      throw storeFailure(e);
    }
    if (v instanceof Array a) {
      Object[] items = (Object[]) a.getArray();
      v = Arrays.asList(items);
    } else if (v instanceof java.sql.Struct s) {
      v = Arrays.asList(s.getAttributes());
    } else if (v != null && !(v instanceof String) && !(v instanceof Number) && !(v instanceof Boolean)) {
      v = JdbcValues.canonicalTemporal(v, zone);
    }
    if (v instanceof byte[] b && maxFieldSize > 0 && b.length > maxFieldSize) {
      v = Arrays.copyOf(b, maxFieldSize);
    }
    wasNull = v == null;
    return v;
  }

  private <T> T read(int i, Class<T> type) throws SQLException {
    return JdbcValues.to(raw(i), type, zone);
  }

  @Override
  public String getString(int i) throws SQLException {
    String s = JdbcValues.text(raw(i));
    return s != null && maxFieldSize > 0 && s.length() > maxFieldSize ? s.substring(0, maxFieldSize) : s;
  }

  @Override
  public boolean getBoolean(int i) throws SQLException {
    Boolean b = read(i, Boolean.class);
    return b != null && b;
  }

  @Override
  public byte getByte(int i) throws SQLException {
    Byte b = read(i, Byte.class);
    return b == null ? 0 : b;
  }

  @Override
  public short getShort(int i) throws SQLException {
    Short s = read(i, Short.class);
    return s == null ? 0 : s;
  }

  @Override
  public int getInt(int i) throws SQLException {
    Integer n = read(i, Integer.class);
    return n == null ? 0 : n;
  }

  @Override
  public long getLong(int i) throws SQLException {
    Long n = read(i, Long.class);
    return n == null ? 0 : n;
  }

  @Override
  public float getFloat(int i) throws SQLException {
    Float f = read(i, Float.class);
    return f == null ? 0 : f;
  }

  @Override
  public double getDouble(int i) throws SQLException {
    Double d = read(i, Double.class);
    return d == null ? 0 : d;
  }

  @Override
  public BigDecimal getBigDecimal(int i) throws SQLException {
    return read(i, BigDecimal.class);
  }

  @Override
  @Deprecated
  public BigDecimal getBigDecimal(int i, int scale) throws SQLException {
    BigDecimal d = getBigDecimal(i);
    return d == null ? null : d.setScale(scale, RoundingMode.HALF_UP);
  }

  /** Binary values as they are; text as its UTF-8 bytes (as PostgreSQL's driver does). */
  @Override
  public byte[] getBytes(int i) throws SQLException {
    byte[] b = read(i, byte[].class);
    return b != null && maxFieldSize > 0 && b.length > maxFieldSize ? Arrays.copyOf(b, maxFieldSize) : b;
  }

  @Override
  public Date getDate(int i) throws SQLException {
    return read(i, Date.class);
  }

  @Override
  public Time getTime(int i) throws SQLException {
    return read(i, Time.class);
  }

  @Override
  public Timestamp getTimestamp(int i) throws SQLException {
    return read(i, Timestamp.class);
  }

  /** The day's midnight in the Calendar's zone (JDBC: the Calendar gives the zone to build the Date in). */
  @Override
  public Date getDate(int i, Calendar cal) throws SQLException {
    java.time.LocalDate d = read(i, java.time.LocalDate.class);
    if (d == null || cal == null) {
      return d == null ? null : Date.valueOf(d);
    }
    return new Date(JdbcValues.inCalendar(d.atStartOfDay(), cal).getTime());
  }

  @Override
  public Time getTime(int i, Calendar cal) throws SQLException {
    Object v = raw(i);
    if (v == null) {
      return null;
    }
    if (cal == null) {
      return getTime(i);
    }
    java.time.LocalTime lt = JdbcValues.to(v, java.time.LocalTime.class, zone);
    return new Time(JdbcValues.inCalendar(LocalDateTime.of(1970, 1, 1, 0, 0).with(lt), cal).getTime());
  }

  @Override
  public Timestamp getTimestamp(int i, Calendar cal) throws SQLException {
    Object v = raw(i);
    if (v == null) {
      return null;
    }
    if (cal == null || v instanceof java.time.OffsetDateTime) {
      return JdbcValues.to(v, Timestamp.class, zone);
    }
    return JdbcValues.inCalendar(JdbcValues.to(v, LocalDateTime.class, zone), cal);
  }

  @Override
  public Object getObject(int i) throws SQLException {
    Object v = raw(i);
    CompiledQuery.Column c = columns.get(i - 1);
    Object out = JdbcValues.standard(v, c.jdbcType(), zone);
    return out instanceof String s && maxFieldSize > 0 && s.length() > maxFieldSize ? s.substring(0, maxFieldSize)
        : out;
  }

  @Override
  public <T> T getObject(int i, Class<T> type) throws SQLException {
    if (type == null) {
      throw new SQLException("getObject needs a type", "HY009");
    }
    if (type == Object.class) {
      return type.cast(getObject(i));
    }
    if (type == String.class) {
      return type.cast(getString(i));
    }
    Object v = raw(i);
    if (v == null) {
      return null;
    }
    if (type.isInstance(v) && !(v instanceof java.util.List)) {
      return type.cast(v);
    }
    if (type == Integer.class || type == Long.class || type == Short.class || type == Byte.class
        || type == Double.class || type == Float.class || type == BigDecimal.class || type == Boolean.class
        || type == java.math.BigInteger.class || type == byte[].class || type == java.util.UUID.class
        || type == Date.class || type == Time.class || type == Timestamp.class || type == java.util.Date.class
        || type == java.time.LocalDate.class || type == java.time.LocalTime.class || type == LocalDateTime.class
        || type == java.time.OffsetDateTime.class || type == java.time.ZonedDateTime.class
        || type == java.time.Instant.class) {
      return JdbcValues.to(v, type, zone);
    }
    throw JdbcValues.notAllowed(v, type);
  }

  @Override
  public Object getObject(int i, Map<String, Class<?>> map) throws SQLException {
    if (map == null || map.isEmpty()) {
      return getObject(i);
    }
    throw new SQLFeatureNotSupportedException("crmkpi has no user-defined types to map", "0A000");
  }

  @Override
  public InputStream getAsciiStream(int i) throws SQLException {
    String s = getString(i);
    return s == null ? null : new ByteArrayInputStream(s.getBytes(StandardCharsets.US_ASCII));
  }

  @Override
  @Deprecated
  public InputStream getUnicodeStream(int i) throws SQLException {
    String s = getString(i);
    return s == null ? null : new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_16BE));
  }

  @Override
  public InputStream getBinaryStream(int i) throws SQLException {
    byte[] b = getBytes(i);
    return b == null ? null : new ByteArrayInputStream(b);
  }

  @Override
  public Reader getCharacterStream(int i) throws SQLException {
    String s = getString(i);
    return s == null ? null : new StringReader(s);
  }

  @Override
  public Reader getNCharacterStream(int i) throws SQLException {
    return getCharacterStream(i);
  }

  @Override
  public String getNString(int i) throws SQLException {
    return getString(i);
  }

  @Override
  public Clob getClob(int i) throws SQLException {
    String s = getString(i);
    return s == null ? null : new SerialClob(s.toCharArray());
  }

  @Override
  public NClob getNClob(int i) throws SQLException {
    throw new SQLFeatureNotSupportedException("crmkpi has no NCLOB values: use getString", "0A000");
  }

  @Override
  public Blob getBlob(int i) throws SQLException {
    byte[] b = getBytes(i);
    return b == null ? null : new SerialBlob(b);
  }

  @Override
  public Array getArray(int i) throws SQLException {
    throw new SQLFeatureNotSupportedException("crmkpi has no ARRAY columns: use getObject or getString", "0A000");
  }

  @Override
  public Ref getRef(int i) throws SQLException {
    throw new SQLFeatureNotSupportedException("crmkpi has no REF values", "0A000");
  }

  @Override
  public RowId getRowId(int i) throws SQLException {
    throw new SQLFeatureNotSupportedException("crmkpi has no row ids", "0A000");
  }

  @Override
  public SQLXML getSQLXML(int i) throws SQLException {
    throw new SQLFeatureNotSupportedException("crmkpi has no XML values: use getString", "0A000");
  }

  @Override
  public URL getURL(int i) throws SQLException {
    String s = getString(i);
    if (s == null) {
      return null;
    }
    try {
      return URI.create(s.trim()).toURL();
    } catch (IllegalArgumentException | MalformedURLException e) {
      throw new SQLException("the text '" + s + "' is no URL", "22018");
    }
  }

  // --- the same getters by column label

  @Override
  public String getString(String label) throws SQLException {
    return getString(findColumn(label));
  }

  @Override
  public boolean getBoolean(String label) throws SQLException {
    return getBoolean(findColumn(label));
  }

  @Override
  public byte getByte(String label) throws SQLException {
    return getByte(findColumn(label));
  }

  @Override
  public short getShort(String label) throws SQLException {
    return getShort(findColumn(label));
  }

  @Override
  public int getInt(String label) throws SQLException {
    return getInt(findColumn(label));
  }

  @Override
  public long getLong(String label) throws SQLException {
    return getLong(findColumn(label));
  }

  @Override
  public float getFloat(String label) throws SQLException {
    return getFloat(findColumn(label));
  }

  @Override
  public double getDouble(String label) throws SQLException {
    return getDouble(findColumn(label));
  }

  @Override
  @Deprecated
  public BigDecimal getBigDecimal(String label, int scale) throws SQLException {
    return getBigDecimal(findColumn(label), scale);
  }

  @Override
  public BigDecimal getBigDecimal(String label) throws SQLException {
    return getBigDecimal(findColumn(label));
  }

  @Override
  public byte[] getBytes(String label) throws SQLException {
    return getBytes(findColumn(label));
  }

  @Override
  public Date getDate(String label) throws SQLException {
    return getDate(findColumn(label));
  }

  @Override
  public Time getTime(String label) throws SQLException {
    return getTime(findColumn(label));
  }

  @Override
  public Timestamp getTimestamp(String label) throws SQLException {
    return getTimestamp(findColumn(label));
  }

  @Override
  public Date getDate(String label, Calendar cal) throws SQLException {
    return getDate(findColumn(label), cal);
  }

  @Override
  public Time getTime(String label, Calendar cal) throws SQLException {
    return getTime(findColumn(label), cal);
  }

  @Override
  public Timestamp getTimestamp(String label, Calendar cal) throws SQLException {
    return getTimestamp(findColumn(label), cal);
  }

  @Override
  public InputStream getAsciiStream(String label) throws SQLException {
    return getAsciiStream(findColumn(label));
  }

  @Override
  @Deprecated
  public InputStream getUnicodeStream(String label) throws SQLException {
    return getUnicodeStream(findColumn(label));
  }

  @Override
  public InputStream getBinaryStream(String label) throws SQLException {
    return getBinaryStream(findColumn(label));
  }

  @Override
  public Reader getCharacterStream(String label) throws SQLException {
    return getCharacterStream(findColumn(label));
  }

  @Override
  public Reader getNCharacterStream(String label) throws SQLException {
    return getNCharacterStream(findColumn(label));
  }

  @Override
  public String getNString(String label) throws SQLException {
    return getNString(findColumn(label));
  }

  @Override
  public Object getObject(String label) throws SQLException {
    return getObject(findColumn(label));
  }

  @Override
  public <T> T getObject(String label, Class<T> type) throws SQLException {
    return getObject(findColumn(label), type);
  }

  @Override
  public Object getObject(String label, Map<String, Class<?>> map) throws SQLException {
    return getObject(findColumn(label), map);
  }

  @Override
  public Clob getClob(String label) throws SQLException {
    return getClob(findColumn(label));
  }

  @Override
  public NClob getNClob(String label) throws SQLException {
    return getNClob(findColumn(label));
  }

  @Override
  public Blob getBlob(String label) throws SQLException {
    return getBlob(findColumn(label));
  }

  @Override
  public Array getArray(String label) throws SQLException {
    return getArray(findColumn(label));
  }

  @Override
  public Ref getRef(String label) throws SQLException {
    return getRef(findColumn(label));
  }

  @Override
  public RowId getRowId(String label) throws SQLException {
    return getRowId(findColumn(label));
  }

  @Override
  public SQLXML getSQLXML(String label) throws SQLException {
    return getSQLXML(findColumn(label));
  }

  @Override
  public URL getURL(String label) throws SQLException {
    return getURL(findColumn(label));
  }

  /** Only crmkpi's own objects: never the store's result set. */
  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface != null && iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException("a crmkpi result set wraps no " + (iface == null ? "null" : iface.getName()), "HY000");
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface != null && iface.isInstance(this);
  }

  @Override
  public String toString() {
    return "CrmKpiResultSet";
  }
}
