package io.crmkpi.jdbc.catalog;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
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
import java.sql.SQLType;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.Map;

/**
 * The rows of one JDBC metadata call: forward-only and read-only, from no statement of the
 * caller's ({@code getStatement()} is null, as JDBC allows for metadata), and nothing of the
 * private database that holds the rows is handed out. Values are read from that database's
 * result; the position ({@code isBeforeFirst}, {@code isLast}…) is known from the row count.
 * Every method of ResultSet is written out (CatalogResultSetTest checks).
 */
@SuppressWarnings("deprecation") // ResultSet's deprecated getters are part of the interface
final class CatalogResultSet extends ReadOnlyResultSet {

  private final ResultSet rs;
  private final long count;
  private long row;
  private boolean ended;

  CatalogResultSet(ResultSet rs, long count) {
    this.rs = rs;
    this.count = count;
  }

  /** The row-state questions of the read-only base need an open result. */
  @Override
  protected void checkRow() throws SQLException {
    if (rs.isClosed()) {
      throw new SQLException("the metadata result is closed", "24000");
    }
  }

  private static SQLException forwardOnly() {
    return new SQLFeatureNotSupportedException("metadata results are forward-only");
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException("a crmkpi metadata result is not a wrapper for " + iface.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }

  @Override
  public <T> T getObject(int column, Class<T> type) throws SQLException {
    return rs.getObject(column, type);
  }

  @Override
  public <T> T getObject(String label, Class<T> type) throws SQLException {
    return rs.getObject(label, type);
  }

  @Override
  public boolean absolute(int row) throws SQLException {
    throw forwardOnly();
  }

  @Override
  public boolean first() throws SQLException {
    throw forwardOnly();
  }

  @Override
  public boolean getBoolean(int column) throws SQLException {
    return rs.getBoolean(column);
  }

  @Override
  public boolean getBoolean(String label) throws SQLException {
    return rs.getBoolean(label);
  }

  @Override
  public boolean isAfterLast() throws SQLException {
    return ended && count > 0;
  }

  @Override
  public boolean isBeforeFirst() throws SQLException {
    return row == 0 && !ended && count > 0;
  }

  @Override
  public boolean isClosed() throws SQLException {
    return rs.isClosed();
  }

  @Override
  public boolean isFirst() throws SQLException {
    return row == 1 && !ended;
  }

  @Override
  public boolean isLast() throws SQLException {
    return row == count && count > 0 && !ended;
  }

  @Override
  public boolean last() throws SQLException {
    throw forwardOnly();
  }

  @Override
  public boolean next() throws SQLException {
    boolean more = rs.next();
    if (more) {
      row++;
    } else {
      ended = true;
    }
    return more;
  }

  @Override
  public boolean previous() throws SQLException {
    throw forwardOnly();
  }

  @Override
  public boolean relative(int rows) throws SQLException {
    throw forwardOnly();
  }

  @Override
  public boolean wasNull() throws SQLException {
    return rs.wasNull();
  }

  @Override
  public byte getByte(int column) throws SQLException {
    return rs.getByte(column);
  }

  @Override
  public byte getByte(String label) throws SQLException {
    return rs.getByte(label);
  }

  @Override
  public byte[] getBytes(int column) throws SQLException {
    return rs.getBytes(column);
  }

  @Override
  public byte[] getBytes(String label) throws SQLException {
    return rs.getBytes(label);
  }

  @Override
  public double getDouble(int column) throws SQLException {
    return rs.getDouble(column);
  }

  @Override
  public double getDouble(String label) throws SQLException {
    return rs.getDouble(label);
  }

  @Override
  public float getFloat(int column) throws SQLException {
    return rs.getFloat(column);
  }

  @Override
  public float getFloat(String label) throws SQLException {
    return rs.getFloat(label);
  }

  @Override
  public int findColumn(String label) throws SQLException {
    return rs.findColumn(label);
  }

  @Override
  public int getConcurrency() throws SQLException {
    return CONCUR_READ_ONLY;
  }

  @Override
  public int getFetchDirection() throws SQLException {
    return FETCH_FORWARD;
  }

  @Override
  public int getFetchSize() throws SQLException {
    return 0;
  }

  @Override
  public int getHoldability() throws SQLException {
    return CLOSE_CURSORS_AT_COMMIT;
  }

  @Override
  public int getInt(int column) throws SQLException {
    return rs.getInt(column);
  }

  @Override
  public int getInt(String label) throws SQLException {
    return rs.getInt(label);
  }

  @Override
  public int getRow() throws SQLException {
    return ended ? 0 : (int) row;
  }

  @Override
  public int getType() throws SQLException {
    return TYPE_FORWARD_ONLY;
  }

  @Override
  public InputStream getAsciiStream(int column) throws SQLException {
    return rs.getAsciiStream(column);
  }

  @Override
  public InputStream getAsciiStream(String label) throws SQLException {
    return rs.getAsciiStream(label);
  }

  @Override
  public InputStream getBinaryStream(int column) throws SQLException {
    return rs.getBinaryStream(column);
  }

  @Override
  public InputStream getBinaryStream(String label) throws SQLException {
    return rs.getBinaryStream(label);
  }

  @Override
  public InputStream getUnicodeStream(int column) throws SQLException {
    return rs.getUnicodeStream(column);
  }

  @Override
  public InputStream getUnicodeStream(String label) throws SQLException {
    return rs.getUnicodeStream(label);
  }

  @Override
  public Reader getCharacterStream(int column) throws SQLException {
    return rs.getCharacterStream(column);
  }

  @Override
  public Reader getCharacterStream(String label) throws SQLException {
    return rs.getCharacterStream(label);
  }

  @Override
  public Reader getNCharacterStream(int column) throws SQLException {
    return rs.getNCharacterStream(column);
  }

  @Override
  public Reader getNCharacterStream(String label) throws SQLException {
    return rs.getNCharacterStream(label);
  }

  @Override
  public Object getObject(int column) throws SQLException {
    return rs.getObject(column);
  }

  @Override
  public Object getObject(int column, Map<String, Class<?>> typeMap) throws SQLException {
    return rs.getObject(column); // no user-defined types
  }

  @Override
  public Object getObject(String label) throws SQLException {
    return rs.getObject(label);
  }

  @Override
  public Object getObject(String label, Map<String, Class<?>> typeMap) throws SQLException {
    return rs.getObject(label); // no user-defined types
  }

  @Override
  public String getCursorName() throws SQLException {
    throw new SQLFeatureNotSupportedException("metadata results have no cursor name");
  }

  @Override
  public String getNString(int column) throws SQLException {
    return rs.getNString(column);
  }

  @Override
  public String getNString(String label) throws SQLException {
    return rs.getNString(label);
  }

  @Override
  public String getString(int column) throws SQLException {
    return rs.getString(column);
  }

  @Override
  public String getString(String label) throws SQLException {
    return rs.getString(label);
  }

  @Override
  public BigDecimal getBigDecimal(int column) throws SQLException {
    return rs.getBigDecimal(column);
  }

  @Override
  public BigDecimal getBigDecimal(int column, int scale) throws SQLException {
    return rs.getBigDecimal(column, scale);
  }

  @Override
  public BigDecimal getBigDecimal(String label) throws SQLException {
    return rs.getBigDecimal(label);
  }

  @Override
  public BigDecimal getBigDecimal(String label, int scale) throws SQLException {
    return rs.getBigDecimal(label, scale);
  }

  @Override
  public URL getURL(int column) throws SQLException {
    return rs.getURL(column);
  }

  @Override
  public URL getURL(String label) throws SQLException {
    return rs.getURL(label);
  }

  @Override
  public Array getArray(int column) throws SQLException {
    return rs.getArray(column);
  }

  @Override
  public Array getArray(String label) throws SQLException {
    return rs.getArray(label);
  }

  @Override
  public Blob getBlob(int column) throws SQLException {
    return rs.getBlob(column);
  }

  @Override
  public Blob getBlob(String label) throws SQLException {
    return rs.getBlob(label);
  }

  @Override
  public Clob getClob(int column) throws SQLException {
    return rs.getClob(column);
  }

  @Override
  public Clob getClob(String label) throws SQLException {
    return rs.getClob(label);
  }

  @Override
  public Date getDate(int column) throws SQLException {
    return rs.getDate(column);
  }

  @Override
  public Date getDate(int column, Calendar calendar) throws SQLException {
    return rs.getDate(column, calendar);
  }

  @Override
  public Date getDate(String label) throws SQLException {
    return rs.getDate(label);
  }

  @Override
  public Date getDate(String label, Calendar calendar) throws SQLException {
    return rs.getDate(label, calendar);
  }

  @Override
  public NClob getNClob(int column) throws SQLException {
    return rs.getNClob(column);
  }

  @Override
  public NClob getNClob(String label) throws SQLException {
    return rs.getNClob(label);
  }

  @Override
  public Ref getRef(int column) throws SQLException {
    return rs.getRef(column);
  }

  @Override
  public Ref getRef(String label) throws SQLException {
    return rs.getRef(label);
  }

  @Override
  public ResultSetMetaData getMetaData() throws SQLException {
    return rs.getMetaData();
  }

  @Override
  public RowId getRowId(int column) throws SQLException {
    return rs.getRowId(column);
  }

  @Override
  public RowId getRowId(String label) throws SQLException {
    return rs.getRowId(label);
  }

  @Override
  public SQLWarning getWarnings() throws SQLException {
    return null;
  }

  @Override
  public SQLXML getSQLXML(int column) throws SQLException {
    return rs.getSQLXML(column);
  }

  @Override
  public SQLXML getSQLXML(String label) throws SQLException {
    return rs.getSQLXML(label);
  }

  @Override
  public Statement getStatement() throws SQLException {
    return null; // metadata rows come from no statement of the caller's
  }

  @Override
  public Time getTime(int column) throws SQLException {
    return rs.getTime(column);
  }

  @Override
  public Time getTime(int column, Calendar calendar) throws SQLException {
    return rs.getTime(column, calendar);
  }

  @Override
  public Time getTime(String label) throws SQLException {
    return rs.getTime(label);
  }

  @Override
  public Time getTime(String label, Calendar calendar) throws SQLException {
    return rs.getTime(label, calendar);
  }

  @Override
  public Timestamp getTimestamp(int column) throws SQLException {
    return rs.getTimestamp(column);
  }

  @Override
  public Timestamp getTimestamp(int column, Calendar calendar) throws SQLException {
    return rs.getTimestamp(column, calendar);
  }

  @Override
  public Timestamp getTimestamp(String label) throws SQLException {
    return rs.getTimestamp(label);
  }

  @Override
  public Timestamp getTimestamp(String label, Calendar calendar) throws SQLException {
    return rs.getTimestamp(label, calendar);
  }

  @Override
  public long getLong(int column) throws SQLException {
    return rs.getLong(column);
  }

  @Override
  public long getLong(String label) throws SQLException {
    return rs.getLong(label);
  }

  @Override
  public short getShort(int column) throws SQLException {
    return rs.getShort(column);
  }

  @Override
  public short getShort(String label) throws SQLException {
    return rs.getShort(label);
  }

  @Override
  public void afterLast() throws SQLException {
    throw forwardOnly();
  }

  @Override
  public void beforeFirst() throws SQLException {
    throw forwardOnly();
  }

  @Override
  public void clearWarnings() throws SQLException {
    // there are none
  }

  @Override
  public void close() throws SQLException {
    rs.close();
  }

  @Override
  public void setFetchDirection(int direction) throws SQLException {
    if (direction != FETCH_FORWARD) {
      throw forwardOnly();
    }
  }

  @Override
  public void setFetchSize(int rows) throws SQLException {
    if (rows < 0) {
      throw new SQLException("fetch size must be >= 0, got " + rows);
    }
  }

}
