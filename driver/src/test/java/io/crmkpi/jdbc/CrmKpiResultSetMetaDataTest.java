package io.crmkpi.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Result columns described as Calcite validated them, consistent with getColumns. */
class CrmKpiResultSetMetaDataTest {

  static Connection c;

  @BeforeAll
  static void connect() throws SQLException {
    c = DriverManager.getConnection(CrmKpiConnectionTest.URL);
  }

  @AfterAll
  static void close() throws SQLException {
    c.close();
  }

  @Test
  void typesOriginsSizes() throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(CrmKpiResultSetTest.ROW)) {
      ResultSetMetaData md = rs.getMetaData();
      assertEquals(8, md.getColumnCount());
      List<String> got = new ArrayList<>();
      for (int i = 1; i <= 8; i++) {
        got.add(md.getColumnLabel(i) + " " + md.getColumnTypeName(i) + " " + md.getColumnType(i) + " "
            + md.getSchemaName(i) + "." + md.getTableName(i) + " " + md.getPrecision(i) + "," + md.getScale(i) + " "
            + md.getColumnDisplaySize(i) + " " + md.isNullable(i) + " " + md.getColumnClassName(i));
      }
      assertEquals(List.of(
          "deal_id VARCHAR 12 crm.deals 2147483647,0 2147483647 0 java.lang.String",
          "sort_order INTEGER 4 crm.stages 10,0 11 1 java.lang.Integer",
          "b BIGINT -5 . 19,0 20 0 java.lang.Long",
          "dbl DOUBLE 8 . 15,0 24 0 java.lang.Double",
          "is_default BOOLEAN 16 crm.pipelines 1,0 5 1 java.lang.Boolean",
          "rate_date DATE 91 crm.fx_rates 10,0 10 0 java.sql.Date",
          "created_at TIMESTAMP 93 crm.deals 26,6 26 1 java.sql.Timestamp",
          "amount DECIMAL 3 crm.deals 18,2 20 1 java.math.BigDecimal"), got);
      // the label is the user's alias; the origin survives it
      assertTrue(md.isSigned(8) && !md.isSigned(1) && md.isCaseSensitive(1) && md.isReadOnly(1));
    }
  }

  @Test
  void sameAnswersAsGetColumns() throws SQLException {
    for (String table : List.of("deals", "fx_rates", "stages", "pipelines")) {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM crm." + table);
           ResultSet cols = c.getMetaData().getColumns(null, "crm", table, "%")) {
        ResultSetMetaData md = rs.getMetaData();
        int i = 0;
        while (cols.next()) {
          i++;
          String where = table + "." + cols.getString("COLUMN_NAME");
          assertEquals(cols.getString("COLUMN_NAME"), md.getColumnLabel(i), where);
          assertEquals(cols.getString("TYPE_NAME"), md.getColumnTypeName(i), where);
          assertEquals(cols.getInt("DATA_TYPE"), md.getColumnType(i), where);
          assertEquals(cols.getInt("NULLABLE"), md.isNullable(i), where);
          assertEquals("crm", md.getSchemaName(i), where);
          assertEquals(table, md.getTableName(i), where);
          int size = cols.getInt("COLUMN_SIZE");
          if (!cols.wasNull()) {
            assertEquals(size, md.getPrecision(i), where);
          }
          int digits = cols.getInt("DECIMAL_DIGITS");
          if (!cols.wasNull() && md.getColumnType(i) == Types.DECIMAL) {
            assertEquals(digits, md.getScale(i), where);
          }
        }
        assertEquals(md.getColumnCount(), i, table);
      }
    }
  }
}
