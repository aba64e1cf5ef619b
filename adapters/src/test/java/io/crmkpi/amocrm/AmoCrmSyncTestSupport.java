package io.crmkpi.amocrm;

import java.sql.Statement;
import java.util.List;

/** Shared assertions for the API source tests. */
public final class AmoCrmSyncTestSupport {

  private AmoCrmSyncTestSupport() {
  }

  public static void assertNoSecret(Throwable t, String... secrets) {
    AmoCrmSyncTest.assertNoSecret(t, secrets);
  }

  public static void assertSameRows(List<String> expected, List<String> actual) {
    AmoCrmSyncTest.assertSameRows(expected, actual);
  }

  public static List<String> rows(Statement s, String sql) throws Exception {
    return AmoCrmSyncTest.rows(s, sql);
  }

  public static long scalar(Statement s, String sql) throws Exception {
    return AmoCrmSyncTest.scalar(s, sql);
  }
}
