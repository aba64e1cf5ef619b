package io.crmkpi.jdbc.catalog;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;

/**
 * The half of {@link ResultSet} that changes rows, written out once: crmkpi results are
 * {@code CONCUR_READ_ONLY}, so every update method refuses with one clear message and rows are never
 * reported as updated, inserted or deleted. Shared by statement results and metadata results.
 */
public abstract class ReadOnlyResultSet implements ResultSet {

  /** Throws when the result set is closed (the row-state questions need an open result). */
  protected abstract void checkRow() throws SQLException;

  static SQLFeatureNotSupportedException readOnly() {
    return new SQLFeatureNotSupportedException("crmkpi results are read-only (CONCUR_READ_ONLY): rows cannot be "
        + "updated, inserted or deleted", "0A000");
  }

  @Override
  public void cancelRowUpdates() throws SQLException {
    throw readOnly();
  }

  @Override
  public void deleteRow() throws SQLException {
    throw readOnly();
  }

  @Override
  public void insertRow() throws SQLException {
    throw readOnly();
  }

  @Override
  public void moveToCurrentRow() throws SQLException {
    throw readOnly();
  }

  @Override
  public void moveToInsertRow() throws SQLException {
    throw readOnly();
  }

  @Override
  public void refreshRow() throws SQLException {
    throw readOnly();
  }

  @Override
  public boolean rowDeleted() throws SQLException {
    checkRow();
    return false; // rows are never changed
  }

  @Override
  public boolean rowInserted() throws SQLException {
    checkRow();
    return false; // rows are never changed
  }

  @Override
  public boolean rowUpdated() throws SQLException {
    checkRow();
    return false; // rows are never changed
  }

  @Override
  public void updateArray(String column, java.sql.Array x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateArray(int column, java.sql.Array x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateAsciiStream(String column, InputStream x, int length) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateAsciiStream(String column, InputStream x, long length) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateAsciiStream(String column, InputStream x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateAsciiStream(int column, InputStream x, int length) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateAsciiStream(int column, InputStream x, long length) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateAsciiStream(int column, InputStream x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateBigDecimal(String column, BigDecimal x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateBigDecimal(int column, BigDecimal x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateBinaryStream(String column, InputStream x, int length) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateBinaryStream(String column, InputStream x, long length) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateBinaryStream(String column, InputStream x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateBinaryStream(int column, InputStream x, int length) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateBinaryStream(int column, InputStream x, long length) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateBinaryStream(int column, InputStream x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateBlob(String column, InputStream x, long length) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateBlob(String column, InputStream x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateBlob(String column, java.sql.Blob x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateBlob(int column, InputStream x, long length) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateBlob(int column, InputStream x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateBlob(int column, java.sql.Blob x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateBoolean(String column, boolean x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateBoolean(int column, boolean x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateByte(String column, byte x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateByte(int column, byte x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateBytes(String column, byte[] x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateBytes(int column, byte[] x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateCharacterStream(String column, Reader x, int length) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateCharacterStream(String column, Reader x, long length) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateCharacterStream(String column, Reader x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateCharacterStream(int column, Reader x, int length) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateCharacterStream(int column, Reader x, long length) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateCharacterStream(int column, Reader x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateClob(String column, Reader x, long length) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateClob(String column, Reader x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateClob(String column, java.sql.Clob x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateClob(int column, Reader x, long length) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateClob(int column, Reader x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateClob(int column, java.sql.Clob x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateDate(String column, java.sql.Date x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateDate(int column, java.sql.Date x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateDouble(String column, double x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateDouble(int column, double x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateFloat(String column, float x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateFloat(int column, float x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateInt(String column, int x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateInt(int column, int x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateLong(String column, long x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateLong(int column, long x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateNCharacterStream(String column, Reader x, long length) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateNCharacterStream(String column, Reader x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateNCharacterStream(int column, Reader x, long length) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateNCharacterStream(int column, Reader x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateNClob(String column, Reader x, long length) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateNClob(String column, Reader x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateNClob(String column, java.sql.NClob x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateNClob(int column, Reader x, long length) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateNClob(int column, Reader x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateNClob(int column, java.sql.NClob x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateNString(String column, String x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateNString(int column, String x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateNull(String column) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateNull(int column) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateObject(String column, Object x, int length) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateObject(String column, Object x, java.sql.SQLType length, int scale) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateObject(String column, Object x, java.sql.SQLType length) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateObject(String column, Object x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateObject(int column, Object x, int length) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateObject(int column, Object x, java.sql.SQLType length, int scale) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateObject(int column, Object x, java.sql.SQLType length) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateObject(int column, Object x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateRef(String column, java.sql.Ref x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateRef(int column, java.sql.Ref x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateRowId(String column, java.sql.RowId x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateRowId(int column, java.sql.RowId x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateRow() throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateSQLXML(String column, java.sql.SQLXML x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateSQLXML(int column, java.sql.SQLXML x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateShort(String column, short x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateShort(int column, short x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateString(String column, String x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateString(int column, String x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateTime(String column, java.sql.Time x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateTime(int column, java.sql.Time x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateTimestamp(String column, java.sql.Timestamp x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateTimestamp(int column, java.sql.Timestamp x) throws SQLException {
    throw readOnly();
  }
}
