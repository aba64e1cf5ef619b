package io.crmkpi.pgwire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The endpoint's SQL handling and numeric wire format, against values worked out by hand. */
class PgSqlTest {

  @Test
  void castsBecomeCastWithCalciteTypeNames() {
    assertEquals("select CAST(date_trunc('month', created_at) AS DATE) as m from crm.deals",
        PgSql.casts("select date_trunc('month', created_at)::date as m from crm.deals"));
    assertEquals("select CAST(d.amount AS DECIMAL(18, 2)), CAST('7' AS BIGINT), CAST(x AS DOUBLE)",
        PgSql.casts("select d.amount::numeric(18, 2), '7'::int8, x::double precision"));
    assertEquals("select 'a::b', CAST(CAST(n AS VARCHAR) AS INTEGER)", PgSql.casts("select 'a::b', n::text::int4"));
  }

  @Test
  void routingSplittingAndPlaceholders() {
    assertEquals(PgSql.Kind.CATALOG, PgSql.kind("SELECT n.nspname FROM pg_catalog.pg_namespace n"));
    assertEquals(PgSql.Kind.CATALOG, PgSql.kind("select pg_catalog.version()"));
    assertEquals(PgSql.Kind.QUERY, PgSql.kind("select count(*) from crm.deals where title = 'pg_class'"));
    assertEquals(PgSql.Kind.QUERY, PgSql.kind("select current_user, count(*) from crm.deals"));
    assertEquals(PgSql.Kind.SESSION, PgSql.kind("/* c */ SET application_name = 'x'"));
    assertEquals(PgSql.Kind.WRITE, PgSql.kind("insert into crm.deals values (1)"));
    assertEquals(PgSql.Kind.EMPTY, PgSql.kind("  -- only a comment"));
    assertEquals(List.of("select ';'", " select 2"), PgSql.split("select ';'; select 2;"));
    List<Integer> order = new ArrayList<>();
    assertEquals("select ? + ?, '$1', ?", PgSql.placeholders("select $2 + $1, '$1', $2", order));
    assertEquals(List.of(1, 0, 1), order);
  }

  @Test
  void numericBinaryFormatIsBase10000Groups() {
    // 12345.678: groups 0001 2345 6780, weight 1, positive, scale 3
    assertArrayEquals(HexFormat.of().parseHex("0003" + "0001" + "0000" + "0003" + "0001" + "0929" + "1a7c"),
        PgValues.numericBinary(new BigDecimal("12345.678")));
    // -0.05: one group 0500 at weight -1, negative (0x4000), scale 2
    assertArrayEquals(HexFormat.of().parseHex("0001" + "ffff" + "4000" + "0002" + "01f4"),
        PgValues.numericBinary(new BigDecimal("-0.05")));
    assertEquals("0.1", PgValues.floatText(0.1));
    assertEquals("1e+20", PgValues.floatText(1e20));
    assertEquals("-1.5e-05", PgValues.floatText(-1.5e-5));
  }
}
