package io.crmkpi.cli;

import io.crmkpi.dashboards.Dashboard;
import io.crmkpi.dashboards.DashboardCatalog;
import io.crmkpi.dashboards.HtmlReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code crmkpi report --out kpis.html}: the bundled dashboards as one self-contained HTML page. */
@Command(name = "report", description = "Write the bundled dashboards as one HTML page that opens offline.")
final class ReportCommand implements Callable<Integer> {

  @Mixin
  ConnectionOptions connection;

  @Option(names = {"-d", "--dashboard"}, defaultValue = "all", paramLabel = "<name>|all",
      description = "one of overview, sales, pipeline, marketing, customers, service, or all (${DEFAULT-VALUE})")
  String dashboard;

  @Option(names = {"-o", "--out"}, required = true, paramLabel = "<file.html>", description = "the page to write")
  Path out;

  @Override
  public Integer call() throws Exception {
    List<Dashboard> dashboards = "all".equals(dashboard) ? DashboardCatalog.bundled()
        : List.of(DashboardCatalog.bundled(dashboard));
    try (Connection c = connection.open()) {
      String today;
      String asOf;
      String currency;
      try (Statement s = c.createStatement()) {
        today = one(s, "SELECT CAST(CURRENT_DATE AS VARCHAR(10))");
        asOf = one(s, "SELECT CAST(MAX(last_sync_at) AS VARCHAR(19)) FROM crm.sync_state");
        currency = one(s, "SELECT MIN(currency) FROM crm.fx_rates WHERE rate_to_base = 1");
      }
      List<HtmlReport.Page> pages = HtmlReport.collect(c, dashboards, LocalDate.parse(today),
          connection.quiet ? m -> { } : m -> System.err.println("report: " + m));
      String html = HtmlReport.render(pages, connection.url, asOf == null ? today : asOf.replace('T', ' '), currency);
      Path parent = out.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(out, html, StandardCharsets.UTF_8);
    }
    if (!connection.quiet) {
      System.err.println("report: wrote " + out + " (" + dashboards.size() + " dashboards)");
    }
    return 0;
  }

  private static String one(Statement s, String sql) {
    try (ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    } catch (SQLException e) {
      return null; // a source without sync state or deals: the page says less, not nothing
    }
  }
}
