package io.crmkpi.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmkpi.dashboards.Dashboard;
import io.crmkpi.dashboards.DashboardCatalog;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code crmkpi report} on the demo, opened in real headless Chromium: the page loads with no console error,
 * every card draws a non-empty chart, the numbers drawn equal the views' results, and a screenshot of each
 * dashboard is kept under target/report-screenshots. Skips only when no {@code chromium} is installed.
 */
class ReportCommandTest {

  static final String URL = "jdbc:crmkpi:demo;golive=2025-06-01";
  private static final Pattern CARD = Pattern.compile(
      "<div class=\"card\" id=\"card-([a-z_]+)-([a-z_]+)\"[^>]*?data-points=\"(\\d+)\"(?: data-values=\"([^\"]*)\")?");

  @TempDir
  static Path dir;

  private static Path page;
  private static String dom;
  private static String chromeLog;

  private static String chromium() {
    for (String p : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
      if (new File(p).canExecute()) {
        return p;
      }
    }
    return null;
  }

  private static List<String> chrome(String... more) {
    List<String> cmd = new ArrayList<>(List.of(chromium(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--hide-scrollbars", "--user-data-dir=" + dir.resolve("profile-" + System.nanoTime()),
        "--virtual-time-budget=5000",
        // offline: the page must draw with no network
        "--host-resolver-rules=MAP * ~NOTFOUND", "--enable-logging=stderr", "--v=0"));
    cmd.addAll(List.of(more));
    return cmd;
  }

  private static String[] runChrome(List<String> cmd) throws Exception {
    Path out = Files.createTempFile(dir, "chrome", ".out");
    Path err = Files.createTempFile(dir, "chrome", ".err");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium did not finish");
    return new String[] {Files.readString(out), Files.readString(err)};
  }

  @BeforeAll
  static void renderAndOpen() throws Exception {
    assumeTrue(chromium() != null, "chromium is not installed (apt-get install chromium): the report's browser "
        + "test is skipped");
    page = dir.resolve("kpis.html");
    CrmKpiCliTest.Run r = CrmKpiCliTest.run("report", "--url", URL, "--out", page.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("report: Sales funnel: Stage funnel (1/5)"), r.err());
    String[] res = runChrome(chrome("--window-size=1400,1300", "--dump-dom", page.toUri().toString()));
    dom = res[0];
    chromeLog = res[1];
  }

  @Test
  void thePageIsSelfContainedAndLoadsWithoutErrors() throws Exception {
    String html = Files.readString(page, StandardCharsets.UTF_8);
    assertFalse(Pattern.compile("<script[^>]+src=|<link[^>]+href=", Pattern.CASE_INSENSITIVE).matcher(html).find(),
        "no external script or style");
    assertTrue(dom.contains("data-drawn=\"true\""), "the drawing script ran to its end");
    int errors = dom.indexOf("data-errors=");
    assertFalse(errors >= 0, () -> "errors on the page: " + dom.substring(errors, Math.min(dom.length(), errors + 300)));
    assertFalse(chromeLog.contains("CONSOLE"), "console output: " + chromeLog);
    assertTrue(dom.contains("Filters (defaults): Period: "), "the filters' defaults are stated");
    assertTrue(dom.contains("Source: " + URL + " · data as of "), "source and as-of stated");
  }

  @Test
  void everyCardDrawsAChart() {
    Matcher m = CARD.matcher(dom);
    int cards = 0;
    while (m.find()) {
      assertTrue(Integer.parseInt(m.group(3)) > 0, "card " + m.group(1) + "/" + m.group(2) + " drew nothing");
      cards++;
    }
    int defined = DashboardCatalog.bundled().stream().mapToInt(d -> d.cards().size()).sum();
    assertEquals(defined, cards);
  }

  private static double[] drawn(String dashboard, String card) throws Exception {
    Matcher m = CARD.matcher(dom);
    while (m.find()) {
      if (m.group(1).equals(dashboard) && m.group(2).equals(card)) {
        JsonNode values = new ObjectMapper().readTree(m.group(4).replace("&quot;", "\""));
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
          out[i] = values.get(i).isNull() ? Double.NaN : values.get(i).asDouble();
        }
        return out;
      }
    }
    throw new AssertionError("no card " + dashboard + "/" + card);
  }

  private static double[] column(Connection c, String sql, Object... params) throws Exception {
    List<Double> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          double v = rs.getDouble(1);
          out.add(rs.wasNull() ? Double.NaN : v);
        }
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** The drawn numbers, read back from the charts in the browser, are the views' own rows. */
  @Test
  void theNumbersDrawnAreTheViews() throws Exception {
    try (Connection c = DriverManager.getConnection(URL)) {
      LocalDate today;
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CURRENT_DATE")) {
        rs.next();
        today = rs.getDate(1).toLocalDate();
      }
      java.sql.Date from = java.sql.Date.valueOf(today.withDayOfMonth(1).minusMonths(11));
      java.sql.Date to = java.sql.Date.valueOf(today.withDayOfMonth(1).plusMonths(1));
      double[] revenue = column(c, "SELECT revenue FROM kpi.sales_period WHERE grain = 'month' AND period_start >= ?"
          + " AND period_start < ? ORDER BY period_start", from, to);
      assertEquals(12, revenue.length, "the last 12 months");
      assertArrayEquals(revenue, drawn("overview", "revenue"), 1e-6);
      assertArrayEquals(column(c, "SELECT success_rate FROM kpi.deal_success_rate WHERE grain = 'month' AND "
          + "period_start >= ? AND period_start < ? ORDER BY period_start", from, to), drawn("sales", "success_rate"), 1e-9);
      assertArrayEquals(column(c, "SELECT \"value\" FROM kpi.scorecard ORDER BY metric"), drawn("overview", "scorecard"),
          1e-9);
      assertArrayEquals(column(c, "SELECT after_value FROM kpi.crm_impact ORDER BY metric"),
          drawn("overview", "crm_impact"), 1e-9);
      assertArrayEquals(column(c, "SELECT promoters FROM kpi.nps_period WHERE grain = 'quarter' AND period_start >= ? "
          + "AND period_start < ? ORDER BY period_start", from, to), drawn("service", "nps"), 1e-9);
      assertArrayEquals(column(c, "SELECT push_rate FROM kpi.close_date_slippage WHERE grain = 'month' AND "
          + "period_start >= ? AND period_start < ? ORDER BY period_start", from, to), drawn("pipeline", "push_rate"), 1e-9);
      // the table card: its first value column, row by row (the 20 biggest stale deals)
      double[] stale = column(c, "SELECT amount_base FROM kpi.stale_deals ORDER BY amount_base DESC NULLS LAST, "
          + "idle_days DESC, deal_id LIMIT 20");
      assertEquals(20, stale.length);
      assertArrayEquals(stale, drawn("pipeline", "stale_deals"), 1e-6);
    }
  }

  @Test
  void aScreenshotOfEachDashboardIsKept() throws Exception {
    Path shots = Path.of("target", "report-screenshots");
    Files.createDirectories(shots);
    for (Dashboard d : DashboardCatalog.bundled()) {
      int bottom = d.cards().stream().mapToInt(c -> c.position().row() + c.position().height()).max().orElse(10);
      int height = 200 + bottom * 56;
      Path png = shots.resolve(d.name() + ".png").toAbsolutePath();
      Files.deleteIfExists(png);
      runChrome(chrome("--window-size=1400," + height, "--screenshot=" + png, page.toUri() + "#" + d.name()));
      byte[] bytes = Files.readAllBytes(png);
      assertEquals("\u0089PNG", new String(bytes, 0, 4, StandardCharsets.ISO_8859_1), png.toString());
      // width and height from the IHDR chunk: the whole dashboard, not a blank first screen
      int w = ((bytes[16] & 0xff) << 24) | ((bytes[17] & 0xff) << 16) | ((bytes[18] & 0xff) << 8) | (bytes[19] & 0xff);
      assertEquals(1400, w);
      assertTrue(bytes.length > 40_000, png + " is " + bytes.length + " bytes: a blank page?");
    }
  }
}
