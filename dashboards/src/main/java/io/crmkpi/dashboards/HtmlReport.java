package io.crmkpi.dashboards;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The HTML report: one self-contained page (Apache ECharts from its WebJar inlined, no network needed) with
 * every card of the chosen dashboards drawn from its rows, the filters' values, the data's as-of time and
 * source, and each card's SQL behind a click.
 */
public final class HtmlReport {

  private static final String ECHARTS = "/META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One dashboard's part of the report.
   *
   * @param dashboard the definition
   * @param values the filter values its cards ran with
   * @param results each card's rows, by card id
   */
  public record Page(Dashboard dashboard, Map<String, Object> values, Map<String, CardResult> results) { }

  private HtmlReport() {
  }

  /** Runs every card of {@code dashboards} at the filters' defaults on {@code today}, reporting progress. */
  public static List<Page> collect(Connection c, List<Dashboard> dashboards, LocalDate today, Consumer<String> progress)
      throws SQLException {
    List<Page> pages = new ArrayList<>();
    for (Dashboard d : dashboards) {
      Map<String, Object> values = FilterValues.defaults(d, today);
      Map<String, CardResult> results = new LinkedHashMap<>();
      int i = 0;
      for (Card card : d.cards()) {
        progress.accept(d.title() + ": " + card.title() + " (" + ++i + "/" + d.cards().size() + ")");
        results.put(card.id(), CardRunner.run(c, d, card, values));
      }
      pages.add(new Page(d, values, results));
    }
    return pages;
  }

  /** The page. {@code source} and {@code asOf} are stated at the top; {@code currency} follows money values. */
  public static String render(List<Page> pages, String source, String asOf, String currency) {
    ObjectNode data = JSON.createObjectNode();
    data.put("currency", currency);
    ArrayNode ds = data.putArray("dashboards");
    StringBuilder body = new StringBuilder();
    StringBuilder nav = new StringBuilder();
    for (Page p : pages) {
      Dashboard d = p.dashboard();
      nav.append("<a href=\"#").append(esc(d.name())).append("\">").append(esc(d.title())).append("</a>");
      body.append("<section class=\"dashboard\" id=\"").append(esc(d.name())).append("\">\n<h2>")
          .append(esc(d.title())).append("</h2>\n");
      if (d.description() != null) {
        body.append("<p>").append(esc(d.description())).append("</p>\n");
      }
      body.append("<p class=\"filters\">Filters (defaults): ").append(esc(FilterValues.describe(d, p.values())))
          .append("</p>\n<div class=\"grid\">\n");
      ObjectNode dn = ds.addObject();
      dn.put("name", d.name());
      ArrayNode cards = dn.putArray("cards");
      for (Card card : d.cards()) {
        String dom = "card-" + d.name() + "-" + card.id();
        Card.Position at = card.position();
        body.append("<div class=\"card\" id=\"").append(dom).append("\" data-chart=\"").append(card.chart())
            .append("\" style=\"grid-column: ").append(at.col() + 1).append(" / span ").append(at.width())
            .append("; grid-row: ").append(at.row() + 1).append(" / span ").append(at.height()).append("\">\n<h3>")
            .append(esc(card.title())).append("</h3>\n<p class=\"question\">").append(esc(card.question()))
            .append("</p>\n<div class=\"chart\"></div>\n<details><summary>SQL</summary><pre>")
            .append(esc(card.sql())).append("</pre></details>\n</div>\n");
        CardResult r = p.results().get(card.id());
        ObjectNode cn = cards.addObject();
        cn.put("dom", dom);
        cn.put("title", card.title());
        cn.put("chart", card.chart());
        cn.put("x", card.x());
        cn.put("series", card.series());
        cn.put("callout", card.callout());
        cn.set("y", JSON.valueToTree(card.y()));
        ObjectNode fmt = cn.putObject("format");
        for (String column : card.columns()) {
          fmt.put(column, card.formatOf(column));
        }
        cn.set("columns", JSON.valueToTree(r.columns()));
        cn.set("rows", JSON.valueToTree(r.rows()));
        cn.put("empty", card.empty() != null ? card.empty() : "No rows for these filters.");
      }
      body.append("</div>\n</section>\n");
    }
    String json;
    try {
      json = JSON.writeValueAsString(data);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>CRM KPIs</title>\n"
        + "<script>window.reportErrors = [];\nwindow.addEventListener('error', function (e) {"
        + " window.reportErrors.push(String(e.message)); document.documentElement.setAttribute('data-errors',"
        + " JSON.stringify(window.reportErrors)); });</script>\n"
        + "<style>\n" + resource("report.css") + "</style>\n</head>\n<body>\n"
        + "<header class=\"report\"><h1>CRM KPIs</h1><p>Source: " + esc(source) + " · data as of " + esc(asOf)
        + " · made by crmkpi report</p></header>\n<nav>" + nav + "</nav>\n" + body
        + "<script type=\"application/json\" id=\"report-data\">" + inline(json) + "</script>\n"
        + "<script>" + inline(echarts()) + "</script>\n<script>" + inline(resource("report.js")) + "</script>\n"
        + "</body>\n</html>\n";
  }

  /** A script's text may not close its element early. */
  private static String inline(String script) {
    return script.replace("</", "<\\/");
  }

  private static String echarts() {
    try (InputStream in = HtmlReport.class.getResourceAsStream(ECHARTS)) {
      if (in == null) {
        throw new IllegalStateException("echarts.min.js is missing from the classpath (" + ECHARTS + ")");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String resource(String name) {
    try (InputStream in = HtmlReport.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String esc(String s) {
    return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
