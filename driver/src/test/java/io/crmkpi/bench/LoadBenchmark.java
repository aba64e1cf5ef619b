package io.crmkpi.bench;

import io.crmkpi.files.FilesSource;
import io.crmkpi.source.SourceContext;
import io.crmkpi.store.LoadReport;
import io.crmkpi.store.Store;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Loading a big canonical deals export, side by side in one run: through the files source into a
 * store file (parse, checks, appender, derivations, manifest), and DuckDB's own {@code read_csv} of
 * the same file into a table of the same column types. Medians of {@code bench.runs} runs.
 *
 * <p>Run: {@code mvn -B -o -pl driver -am -Pbench verify -Dbench.main=io.crmkpi.bench.LoadBenchmark -Dbench.rows=1000000}
 */
public final class LoadBenchmark {

  private static final String[] STAGES = {"s1", "s2", "s3", "won", "lost"};
  private static final String[] CURRENCIES = {"USD", "EUR", "RUB"};
  private static final String[] CHANNELS = {"google_ads", "email", "referral", "organic", "", "partners"};
  private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final String DUCKDB_COLUMNS = "{'deal_id': 'VARCHAR', 'title': 'VARCHAR', 'pipeline_id': 'VARCHAR', "
      + "'stage_id': 'VARCHAR', 'status': 'VARCHAR', 'amount': 'DECIMAL(18,2)', 'currency': 'VARCHAR', "
      + "'created_at': 'TIMESTAMP', 'closed_at': 'TIMESTAMP', 'updated_at': 'TIMESTAMP', 'owner_user_id': 'VARCHAR', "
      + "'company_id': 'VARCHAR', 'channel': 'VARCHAR', 'utm_source': 'VARCHAR', 'loss_reason': 'VARCHAR'}";

  private static final String HUBSPOT_FILE = "hubspot-crm-exports-all-deals-2024-01-01.csv";
  private static final String[] HUBSPOT_STAGES = {"Appointment scheduled", "Qualified to buy", "Contract sent",
      "Closed won", "Closed lost"};
  private static final String[] HUBSPOT_SOURCES = {"Organic Search", "Paid Search", "Direct Traffic", "Referrals",
      "Email Marketing", ""};
  private static final DateTimeFormatter HUBSPOT_TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
  private static final String BITRIX24_FILE = "DEAL_20240101_1a2b3c4d_65a1b2c3d4e5f.csv";
  private static final String[] BITRIX24_STAGES = {"Новая", "Подготовка документов", "В работе", "Сделка успешна",
      "Сделка провалена"};
  private static final String[] BITRIX24_SOURCES = {"Веб-сайт", "Звонок", "Электронная почта", "Рекомендация", ""};
  private static final String[] BITRIX24_UTM = {"google", "yandex", "", "vk"};
  private static final DateTimeFormatter BITRIX24_TS = DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm:ss");
  private static final DateTimeFormatter BITRIX24_DATE = DateTimeFormatter.ofPattern("dd.MM.yyyy");
  private static final String PIPEDRIVE_FILE = "deals-7514529-20240101.csv";
  private static final String[] PIPEDRIVE_STAGES = {"Qualified", "Contact made", "Demo scheduled", "Proposal made",
      "Negotiations started"};
  private static final String[] PIPEDRIVE_SOURCES = {"Web forms", "Lead Booster", "Manually created", "Import", ""};

  /** Process CPU seconds (all threads, DuckDB's native ones included) of each crmkpi / DuckDB run. */
  private static final List<Double> OURS_CPU = new ArrayList<>();
  private static final List<Double> DUCK_CPU = new ArrayList<>();

  private LoadBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    int rows = Integer.parseInt(System.getProperty("bench.rows", "1000000"));
    int runs = Integer.parseInt(System.getProperty("bench.runs", "3"));
    Path dir = Path.of(System.getProperty("bench.dir", "bench-data")).resolve("load");
    Path folder = dir.resolve("deals-" + rows);
    Path deals = folder.resolve("deals.csv");
    if (!Files.exists(deals)) {
      generate(folder, rows);
    }
    long bytes = Files.size(deals);
    double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    List<Double> ours = new ArrayList<>();
    List<Double> oursRows = new ArrayList<>();
    List<Double> duck = new ArrayList<>();
    for (int run = 1; run <= runs; run++) {
      double[] o = ours(folder, dir.resolve("ours.duckdb"), rows);
      double d = duckdb(deals, dir.resolve("duck.duckdb"), rows);
      ours.add(o[0]);
      oursRows.add(o[1]);
      duck.add(d);
      System.out.printf(Locale.ROOT, "run %d: crmkpi %.2f s (rows in %.2f s), duckdb read_csv %.2f s%n", run, o[0], o[1],
          d);
    }
    // CRM exports of the same size in the vendors' own layouts: HubSpot "all deals" (deals, each also
    // a lead) and Bitrix24 deals (Russian, every value quoted, trailing ';'); each side by side with
    // DuckDB's own read_csv of the same file (types sniffed, as a user would run it)
    List<String> exportRows = new ArrayList<>();
    if (Boolean.parseBoolean(System.getProperty("bench.export", "true"))) {
      for (String kind : List.of("hubspot", "bitrix24", "pipedrive")) {
        Path exportFolder = dir.resolve(kind + "-" + rows);
        Path exportFile = exportFolder.resolve(kind.equals("hubspot") ? HUBSPOT_FILE
            : kind.equals("bitrix24") ? BITRIX24_FILE : PIPEDRIVE_FILE);
        if (!Files.exists(exportFile)) {
          if (kind.equals("hubspot")) {
            generateHubSpot(exportFolder, rows);
          } else if (kind.equals("bitrix24")) {
            generateBitrix24(exportFolder, rows);
          } else {
            generatePipedrive(exportFolder, rows);
          }
        }
        List<Double> whole = new ArrayList<>();
        List<Double> in = new ArrayList<>();
        List<Double> peer = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
          double[] e = export(exportFolder, kind, dir.resolve("export.duckdb"), rows);
          double d = duckdbAuto(exportFile, dir.resolve("duck.duckdb"), rows);
          whole.add(e[0]);
          in.add(e[1]);
          peer.add(d);
          System.out.printf(Locale.ROOT, "run %d: %s export %.2f s (rows in %.2f s), duckdb read_csv %.2f s%n", run,
              kind, e[0], e[1], d);
        }
        String peerName = kind.equals("hubspot") ? "HubSpot" : kind.equals("bitrix24") ? "Bitrix24" : "Pipedrive";
        String name = kind.equals("hubspot") ? "HubSpot deals export (deals + leads)" : peerName + " deals export";
        exportRows.add(String.format(Locale.ROOT, "| crmkpi files source, %s, whole load | %.2f | %,.0f |%n", name,
            median(whole), rows / median(whole)));
        exportRows.add(String.format(Locale.ROOT, "| crmkpi files source, %s, rows into the store | %.2f | %,.0f |%n",
            name, median(in), rows / median(in)));
        exportRows.add(String.format(Locale.ROOT, "| DuckDB read_csv of the same %s file into a table | %.2f | %,.0f |%n",
            peerName, median(peer), rows / median(peer)));
      }
    }
    double o = median(ours);
    double r = median(oursRows);
    double d = median(duck);
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%,d deal rows, %.1f MB canonical CSV, %d runs, medians:%n%n", rows,
        bytes / 1e6, runs));
    b.append("| load | seconds | rows/s |\n|---|---:|---:|\n");
    b.append(String.format(Locale.ROOT, "| crmkpi files source, whole load (read, checks, insert, derivations, "
        + "manifest) | %.2f | %,.0f |%n", o, rows / o));
    b.append(String.format(Locale.ROOT, "| crmkpi files source, rows into crm.deals only | %.2f | %,.0f |%n", r, rows / r));
    b.append(String.format(Locale.ROOT, "| DuckDB read_csv into a table | %.2f | %,.0f |%n", d, rows / d));
    exportRows.forEach(b::append);
    b.append(String.format(Locale.ROOT, "%nRatio (crmkpi whole load / DuckDB): %.1fx the time; "
        + "rows only: %.1fx.%n", o / d, r / d));
    b.append(String.format(Locale.ROOT, "Process CPU, medians: crmkpi whole load %.2f s, DuckDB read_csv %.2f s (%.1fx). "
        + "Load average %.1f before, %.1f after.%n", median(OURS_CPU), median(DUCK_CPU),
        median(OURS_CPU) / median(DUCK_CPU), loadBefore,
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
    System.out.println();
    System.out.println(b);
    Path out = Path.of(System.getProperty("bench.load.out", dir.resolve("load-report.md").toString()));
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, b.toString());
    System.out.println("report written to " + out.toAbsolutePath());
  }

  /** Seconds for the whole files load, and until the deals file's rows were in. */
  private static double[] ours(Path folder, Path storeFile, int rows) throws Exception {
    deleteStore(storeFile);
    long[] rowsIn = new long[1];
    SourceContext context = new SourceContext(Map.of(), m -> {
      if (m.startsWith("deals.csv: ") && m.endsWith("[canonical-csv]")) {
        rowsIn[0] = System.nanoTime();
      }
    });
    try (Store store = Store.file(storeFile)) {
      long c0 = cpuNanos();
      long t0 = System.nanoTime();
      LoadReport report = new FilesSource(folder).load(store, context);
      long t1 = System.nanoTime();
      OURS_CPU.add((cpuNanos() - c0) / 1e9);
      long loaded = report.lines().stream().filter(l -> l.entity().equals("deals")).mapToLong(LoadReport.Line::loaded)
          .sum();
      check(loaded == rows, "crmkpi loaded " + loaded + " deals, expected " + rows);
      check(count(store.connect(), "crm.deals") == rows, "crm.deals count");
      return new double[] {(t1 - t0) / 1e9, (rowsIn[0] - t0) / 1e9};
    }
  }

  /** Seconds for the whole files load of an export folder, and until the export's rows were in. */
  private static double[] export(Path folder, String format, Path storeFile, int rows) throws Exception {
    deleteStore(storeFile);
    long[] rowsIn = new long[1];
    SourceContext context = new SourceContext(Map.of(), m -> {
      if (m.endsWith("[" + format + "]")) {
        rowsIn[0] = System.nanoTime();
      }
    });
    try (Store store = Store.file(storeFile)) {
      long t0 = System.nanoTime();
      LoadReport report = new FilesSource(folder).load(store, context);
      long t1 = System.nanoTime();
      long loaded = report.lines().stream().filter(l -> l.entity().equals("deals")).mapToLong(LoadReport.Line::loaded)
          .sum();
      check(loaded == rows, format + " export loaded " + loaded + " deals, expected " + rows);
      return new double[] {(t1 - t0) / 1e9, (rowsIn[0] - t0) / 1e9};
    }
  }

  /** DuckDB's read_csv of an export with its own sniffing, into a table of a store file. */
  private static double duckdbAuto(Path file, Path dbFile, int rows) throws Exception {
    deleteStore(dbFile);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dbFile.toAbsolutePath());
         Statement s = c.createStatement()) {
      long t0 = System.nanoTime();
      s.execute("CREATE TABLE deals AS SELECT * FROM read_csv('" + file.toAbsolutePath() + "')");
      long t1 = System.nanoTime();
      check(count(c, "deals") == rows, "duckdb count of " + file.getFileName());
      return (t1 - t0) / 1e9;
    }
  }

  private static double duckdb(Path deals, Path dbFile, int rows) throws Exception {
    deleteStore(dbFile);
    Class.forName("org.duckdb.DuckDBDriver");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dbFile.toAbsolutePath());
         Statement s = c.createStatement()) {
      long c0 = cpuNanos();
      long t0 = System.nanoTime();
      s.execute("CREATE TABLE deals AS SELECT * FROM read_csv('" + deals.toAbsolutePath() + "', header = true, "
          + "columns = " + DUCKDB_COLUMNS + ")");
      long t1 = System.nanoTime();
      DUCK_CPU.add((cpuNanos() - c0) / 1e9);
      check(count(c, "deals") == rows, "duckdb count");
      return (t1 - t0) / 1e9;
    }
  }

  private static long count(Connection c, String table) throws SQLException {
    try (c; Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void deleteStore(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.deleteIfExists(file);
    Files.deleteIfExists(Path.of(file + ".wal"));
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("benchmark check failed: " + what);
    }
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  /** A canonical folder: stages.csv and a deals.csv of {@code rows} rows (fixed seed). */
  static void generate(Path folder, int rows) throws IOException {
    Files.createDirectories(folder);
    Files.writeString(folder.resolve("stages.csv"), "stage_id,pipeline_id,name,sort_order,kind\n"
        + "s1,p1,New,1,open\ns2,p1,Qualified,2,open\ns3,p1,Proposal,3,open\nwon,p1,Won,10,won\nlost,p1,Lost,11,lost\n");
    Random r = new Random(42);
    LocalDateTime base = LocalDateTime.of(2022, 1, 1, 0, 0);
    Path tmp = folder.resolve(".deals.csv.tmp");
    try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      w.write("deal_id,title,pipeline_id,stage_id,status,amount,currency,created_at,closed_at,updated_at,"
          + "owner_user_id,company_id,channel,utm_source,loss_reason\n");
      StringBuilder b = new StringBuilder(256);
      for (int i = 1; i <= rows; i++) {
        String stage = STAGES[r.nextInt(STAGES.length)];
        LocalDateTime created = base.plusMinutes(r.nextInt(3 * 365 * 24 * 60));
        LocalDateTime closed = stage.equals("won") || stage.equals("lost") ? created.plusHours(1 + r.nextInt(2000)) : null;
        LocalDateTime updated = (closed != null ? closed : created).plusMinutes(r.nextInt(600));
        String channel = CHANNELS[r.nextInt(CHANNELS.length)];
        b.setLength(0);
        b.append('d').append(i).append(',')
            .append(i % 97 == 0 ? "\"Deal " + i + ", \"\"renewal\"\"\"" : "Deal " + i).append(',')
            .append("p1,").append(stage).append(",,")
            .append(r.nextInt(500_000)).append('.').append(String.format(Locale.ROOT, "%02d", r.nextInt(100))).append(',')
            .append(CURRENCIES[r.nextInt(CURRENCIES.length)]).append(',')
            .append(TS.format(created)).append(',')
            .append(closed == null ? "" : TS.format(closed)).append(',')
            .append(TS.format(updated)).append(',')
            .append('u').append(r.nextInt(50)).append(',')
            .append('c').append(r.nextInt(20_000)).append(',')
            .append(channel).append(',')
            .append(channel.isEmpty() ? "" : channel.replace('_', '-')).append(',')
            .append(stage.equals("lost") ? "too expensive" : "").append('\n');
        w.write(b.toString());
      }
    }
    Files.move(tmp, folder.resolve("deals.csv"));
  }

  /** A HubSpot "all deals" export (its header, UTF-8 with BOM, quoted names) of {@code rows} deals (fixed seed). */
  static void generateHubSpot(Path folder, int rows) throws IOException {
    Files.createDirectories(folder);
    Random r = new Random(7);
    LocalDateTime base = LocalDateTime.of(2022, 1, 1, 0, 0);
    Path tmp = folder.resolve(".export.tmp");
    try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      w.write("\uFEFFRecord ID,Deal Name,Deal Stage,Close Date,Deal owner,Amount,Closed Lost Reason,Last Modified Date,"
          + "Create Date,Pipeline,Deal probability,Is Deal Closed?,Associated Company,Associated Company IDs,"
          + "Original Source Type\n");
      StringBuilder b = new StringBuilder(256);
      for (int i = 1; i <= rows; i++) {
        int stage = r.nextInt(HUBSPOT_STAGES.length);
        boolean closed = stage >= 3;
        LocalDateTime created = base.plusMinutes(r.nextInt(3 * 365 * 24 * 60));
        LocalDateTime close = created.plusHours(1 + r.nextInt(2000));
        int company = r.nextInt(20_000);
        b.setLength(0);
        b.append(100_000 + i).append(',')
            .append(i % 97 == 0 ? "\"Deal " + i + ", renewal\"" : "Deal " + i).append(',')
            .append(HUBSPOT_STAGES[stage]).append(',')
            .append(HUBSPOT_TS.format(close)).append(',')
            .append("Owner ").append(r.nextInt(50)).append(',')
            .append(r.nextInt(500_000)).append('.').append(r.nextInt(10)).append(',')
            .append(stage == 4 ? "Budget cut" : "").append(',')
            .append(HUBSPOT_TS.format(close.plusMinutes(r.nextInt(600)))).append(',')
            .append(HUBSPOT_TS.format(created)).append(',')
            .append("Sales Pipeline,")
            .append(closed ? (stage == 3 ? "1.0" : "0.0") : "0.5").append(',')
            .append(closed).append(',')
            .append(company % 3 == 0 ? "" : "\"Company " + company + ", Inc.\"").append(',')
            .append(company % 3 == 0 ? "" : String.valueOf(5_000_000 + company)).append(',')
            .append(HUBSPOT_SOURCES[r.nextInt(HUBSPOT_SOURCES.length)]).append('\n');
        w.write(b.toString());
      }
    }
    Files.move(tmp, folder.resolve(HUBSPOT_FILE));
  }

  /**
   * A Bitrix24 deals export (CSV: UTF-8 with BOM, every value quoted and followed by {@code ;},
   * Russian headers and display names, LF) of {@code rows} deals (fixed seed).
   */
  static void generateBitrix24(Path folder, int rows) throws IOException {
    Files.createDirectories(folder);
    Random r = new Random(5);
    LocalDateTime base = LocalDateTime.of(2022, 1, 1, 0, 0);
    Path tmp = folder.resolve(".export.tmp");
    try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      w.write("\uFEFF\"ID\";\"Название\";\"Стадия сделки\";\"Воронка\";\"Сумма\";\"Валюта\";\"Ответственный\";"
          + "\"Дата создания\";\"Дата изменения\";\"Предполагаемая дата закрытия\";\"Сделка закрыта\";\"Компания\";"
          + "\"Контакт\";\"Источник\";\"Рекламная система\";\"Тип трафика\";\"Обозначение рекламной кампании\";"
          + "\"Комментарий\";\n");
      for (int i = 1; i <= rows; i++) {
        int stage = r.nextInt(BITRIX24_STAGES.length);
        LocalDateTime created = base.plusMinutes(r.nextInt(3 * 365 * 24 * 60));
        LocalDateTime modified = created.plusHours(1 + r.nextInt(2000));
        int company = r.nextInt(20_000);
        String utm = BITRIX24_UTM[r.nextInt(BITRIX24_UTM.length)];
        String[] v = {String.valueOf(i), i % 97 == 0 ? "Поставка \"\"под ключ\"\" №" + i : "Сделка " + i,
            BITRIX24_STAGES[stage], "Общая", r.nextInt(500_000) + ".00", "Российский рубль",
            "Менеджер " + r.nextInt(50), BITRIX24_TS.format(created), BITRIX24_TS.format(modified),
            BITRIX24_DATE.format(modified.plusDays(r.nextInt(30))), stage >= 3 ? "Да" : "Нет",
            company % 3 == 0 ? "" : "ООО Компания " + company, "Контакт " + r.nextInt(50_000),
            BITRIX24_SOURCES[r.nextInt(BITRIX24_SOURCES.length)], utm, utm.isEmpty() ? "" : "cpc",
            utm.isEmpty() ? "" : "winter", i % 50 == 0 ? "Перезвонить" : ""};
        w.write(quotedRow(v, ';', true));
      }
    }
    Files.move(tmp, folder.resolve(BITRIX24_FILE));
  }

  /**
   * A Pipedrive deals export (CSV: UTF-8, comma, every value quoted, "Deal - ..." headers, values
   * grouped as {@code 1,500.00}, ISO times, LF) of {@code rows} deals (fixed seed).
   */
  static void generatePipedrive(Path folder, int rows) throws IOException {
    Files.createDirectories(folder);
    Random r = new Random(9);
    LocalDateTime base = LocalDateTime.of(2022, 1, 1, 0, 0);
    java.text.DecimalFormat money = new java.text.DecimalFormat("#,##0.00",
        java.text.DecimalFormatSymbols.getInstance(Locale.US));
    Path tmp = folder.resolve(".export.tmp");
    try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      w.write("\"Deal - ID\",\"Deal - Title\",\"Deal - Value\",\"Deal - Currency\",\"Deal - Owner\",\"Deal - Pipeline\","
          + "\"Deal - Stage\",\"Deal - Status\",\"Deal - Deal created\",\"Deal - Update time\",\"Deal - Won time\","
          + "\"Deal - Lost time\",\"Deal - Lost reason\",\"Deal - Organization\",\"Deal - Contact person\","
          + "\"Deal - Source\",\"Deal - Label\"\n");
      for (int i = 1; i <= rows; i++) {
        int status = r.nextInt(5); // 0-2 open, 3 won, 4 lost
        LocalDateTime created = base.plusMinutes(r.nextInt(3 * 365 * 24 * 60));
        LocalDateTime updated = created.plusHours(1 + r.nextInt(2000));
        int org = r.nextInt(20_000);
        String[] v = {String.valueOf(i), i % 97 == 0 ? "Deal \"\"" + i + "\"\", renewal" : "Deal " + i,
            money.format(r.nextInt(5_000_000) / 10.0), CURRENCIES[r.nextInt(2)], "Owner " + r.nextInt(50),
            "Sales", PIPEDRIVE_STAGES[r.nextInt(PIPEDRIVE_STAGES.length)],
            status == 3 ? "won" : status == 4 ? "lost" : "open", TS.format(created), TS.format(updated),
            status == 3 ? TS.format(updated) : "", status == 4 ? TS.format(updated) : "",
            status == 4 ? "Too expensive" : "", org % 3 == 0 ? "" : "Company " + org + " LLC",
            "Person " + r.nextInt(50_000), PIPEDRIVE_SOURCES[r.nextInt(PIPEDRIVE_SOURCES.length)],
            i % 10 == 0 ? "hot" : ""};
        w.write(quotedRow(v, ',', false));
      }
    }
    Files.move(tmp, folder.resolve(PIPEDRIVE_FILE));
  }

  /** One CSV line, every value quoted (quotes inside already doubled), {@code sep} between (and after, if trailing). */
  private static String quotedRow(String[] values, char sep, boolean trailing) {
    StringBuilder b = new StringBuilder(320);
    for (int k = 0; k < values.length; k++) {
      b.append(k == 0 ? "" : String.valueOf(sep)).append('"').append(values[k]).append('"');
    }
    return b.append(trailing ? String.valueOf(sep) : "").append('\n').toString();
  }
}
