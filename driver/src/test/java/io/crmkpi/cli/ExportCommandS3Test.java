package io.crmkpi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmkpi.jdbc.StoreRegistryAccess;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code crmkpi export --to s3://…} against a real S3-compatible server (npm {@code s3rver} 3.7.1, run
 * by node; skipped only when node and npm are missing): the objects equal the local export, a
 * re-export uploads only the changed partitions (the others keep their ETag and time) and deletes the
 * emptied one, a foreign prefix is refused, and a wrong secret is an S3 error line without the secret.
 */
class ExportCommandS3Test {

  private static final String KEY = "S3RVER"; // s3rver's built-in account
  private static Process server;
  private static String endpoint;
  private static S3Client s3;

  @TempDir
  static Path tmp;

  @BeforeAll
  static void startServer() throws Exception {
    Assumptions.assumeTrue(onPath("node") && onPath("npm"), "skipped: node and npm are not on PATH (s3rver needs them)");
    Path prefix = Path.of("target", "s3rver").toAbsolutePath();
    Path bin = prefix.resolve("node_modules/s3rver/bin/s3rver.js");
    if (!Files.exists(bin)) {
      Process npm = new ProcessBuilder("npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix",
          prefix.toString(), "s3rver@3.7.1").redirectErrorStream(true).redirectOutput(tmp.resolve("npm.log").toFile())
          .start();
      assertTrue(npm.waitFor(300, TimeUnit.SECONDS), "npm install s3rver took over 5 minutes");
      assertEquals(0, npm.exitValue(), Files.readString(tmp.resolve("npm.log")));
    }
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Path data = Files.createDirectories(tmp.resolve("s3data"));
    server = new ProcessBuilder("node", bin.toString(), "-d", data.toString(), "-a", "127.0.0.1", "-p",
        String.valueOf(port), "--silent", "--configure-bucket", "lake").redirectErrorStream(true)
        .redirectOutput(tmp.resolve("s3rver.log").toFile()).start();
    endpoint = "http://127.0.0.1:" + port;
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        break;
      } catch (IOException e) {
        assertTrue(server.isAlive() && System.nanoTime() < until, "s3rver did not start: "
            + Files.readString(tmp.resolve("s3rver.log")));
        Thread.sleep(200);
      }
    }
    // the CLI finds credentials and region where the AWS SDK looks; system properties are the first place
    System.setProperty("aws.accessKeyId", KEY);
    System.setProperty("aws.secretAccessKey", KEY);
    System.setProperty("aws.region", "us-east-1");
    s3 = S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, KEY)))
        .endpointOverride(URI.create(endpoint)).forcePathStyle(true)
        .requestChecksumCalculation(software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(software.amazon.awssdk.core.checksums.ResponseChecksumValidation.WHEN_REQUIRED)
        .serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder().chunkedEncodingEnabled(false)
            .build())
        .build();
  }

  @AfterAll
  static void stopServer() {
    if (s3 != null) {
      s3.close();
    }
    if (server != null) {
      server.destroy();
    }
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
    System.clearProperty("aws.region");
  }

  private static final String STAGES = "stage_id,pipeline_id,name,sort_order,kind\ns1,p1,New,1,open\n";
  private static final String DEALS_V1 = "deal_id,title,pipeline_id,stage_id,amount,currency,created_at\n"
      + "d1,One,p1,s1,100.00,USD,2024-01-10 10:00:00\n"
      + "d3,Three,p1,s1,10.02,USD,2024-02-05 12:00:00\n"
      + "d4,Four,p1,s1,70,USD,2024-03-01 08:00:00\n";
  private static final String DEALS_V2 = "deal_id,title,pipeline_id,stage_id,amount,currency,created_at\n"
      + "d1,One,p1,s1,120.00,USD,2024-01-10 10:00:00\n"
      + "d4,Four,p1,s1,70,USD,2024-03-01 08:00:00\n";

  @Test
  void theBucketMirrorsTheExportAndAReExportUploadsOnlyTheChangedPartitions() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    Files.writeString(in.resolve("stages.csv"), STAGES);
    Files.writeString(in.resolve("deals.csv"), DEALS_V1);
    String url = "jdbc:crmkpi:files:" + in + ";store=" + tmp.resolve("store.duckdb");
    Path local = tmp.resolve("local");
    String[] args = {"export", "--url", url, "--to", "s3://lake/crm/", "--s3-endpoint", endpoint,
        "--local", local.toString()};

    CrmKpiCliTest.Run first = CrmKpiCliTest.run(args);
    StoreRegistryAccess.closeUnused();
    assertEquals(0, first.code(), first.err());
    Map<String, S3Object> before = objects("crm/");
    // every local Parquet file and the manifest, under the prefix, nothing else
    List<String> localFiles = new ArrayList<>();
    try (var w = Files.walk(local)) {
      w.filter(p -> p.toString().endsWith(".parquet") || p.getFileName().toString().equals("manifest.json"))
          .forEach(p -> localFiles.add("crm/" + local.relativize(p)));
    }
    assertEquals(localFiles.stream().sorted().toList(), List.copyOf(before.keySet()));
    assertTrue(first.out().contains("; " + (before.size() - 1) + " files uploaded, 0 deleted"), first.out());
    assertEquals(Files.readString(local.resolve("manifest.json")),
        s3.getObjectAsBytes(r -> r.bucket("lake").key("crm/manifest.json")).asUtf8String());
    assertEquals(List.of("d3|10.02"), parquetRows("crm/deals/part_month=2024-02/data_0.parquet",
        "SELECT deal_id, amount FROM t"));

    Files.writeString(in.resolve("deals.csv"), DEALS_V2);
    Thread.sleep(1100); // S3 times are whole seconds: an object put again would show a later one
    CrmKpiCliTest.Run second = CrmKpiCliTest.run(args);
    StoreRegistryAccess.closeUnused();
    assertEquals(0, second.code(), second.err());
    Map<String, S3Object> after = objects("crm/");
    String jan = "crm/deals/part_month=2024-01/data_0.parquet";
    String mar = "crm/deals/part_month=2024-03/data_0.parquet";
    assertFalse(after.containsKey("crm/deals/part_month=2024-02/data_0.parquet"));
    assertFalse(before.get(jan).eTag().equals(after.get(jan).eTag()));
    assertEquals(before.get(mar).eTag(), after.get(mar).eTag());
    assertEquals(before.get(mar).lastModified(), after.get(mar).lastModified());
    assertEquals(List.of("d1|120.00"), parquetRows(jan, "SELECT deal_id, amount FROM t"));
    // uploaded = the Parquet objects whose time moved; deleted = the ones gone: February of deals, of its stage
    // history and of leads (without a leads file every deal is also a lead)
    long moved = after.entrySet().stream().filter(e -> e.getKey().endsWith(".parquet") && before.containsKey(e.getKey())
        && !before.get(e.getKey()).lastModified().equals(e.getValue().lastModified())).count();
    long added = after.keySet().stream().filter(k -> !before.containsKey(k)).count();
    long gone = before.keySet().stream().filter(k -> !after.containsKey(k)).count();
    assertEquals(3, gone, before.keySet() + " -> " + after.keySet());
    assertTrue(second.out().contains("; " + (moved + added) + " files uploaded, " + gone + " deleted"), second.out());
    assertTrue(moved + added < before.size() - 1, "only some partitions were uploaded again: " + second.out());
  }

  @Test
  void aForeignPrefixIsRefusedAndAWrongSecretIsOneS3ErrorLine() throws Exception {
    s3.putObject(r -> r.bucket("lake").key("docs/readme.txt"), software.amazon.awssdk.core.sync.RequestBody.fromString("x"));
    CrmKpiCliTest.Run r = CrmKpiCliTest.run("export", "--url", "jdbc:crmkpi:demo;deals=50", "--to", "s3://lake/docs",
        "--s3-endpoint", endpoint, "--local", tmp.resolve("docs-local").toString());
    assertEquals(1, r.code());
    assertEquals("crmkpi: s3://lake/docs: the prefix holds objects but no crmkpi export (no manifest.json); export to a "
        + "new or empty prefix, or pass --force to write into this one\n", r.err());
    assertFalse(Files.exists(tmp.resolve("docs-local")));

    String secret = "wrong-secret-4711";
    System.setProperty("aws.accessKeyId", "NOBODY");
    System.setProperty("aws.secretAccessKey", secret);
    try {
      CrmKpiCliTest.Run bad = CrmKpiCliTest.run("export", "--to", "s3://lake/x", "--s3-endpoint", endpoint);
      assertEquals(1, bad.code());
      assertTrue(bad.err().startsWith("crmkpi: s3://lake/x: GET x/manifest.json in bucket lake failed: "
          + "InvalidAccessKeyId: "), bad.err());
      assertEquals(1, bad.err().lines().count(), bad.err());
      assertFalse(bad.err().contains(secret), bad.err());
    } finally {
      System.setProperty("aws.accessKeyId", KEY);
      System.setProperty("aws.secretAccessKey", KEY);
    }
  }

  private static Map<String, S3Object> objects(String prefix) {
    Map<String, S3Object> m = new TreeMap<>();
    s3.listObjectsV2Paginator(r -> r.bucket("lake").prefix(prefix)).contents().forEach(o -> m.put(o.key(), o));
    return m;
  }

  /** Rows of one object, downloaded and read by DuckDB as table t. */
  private static List<String> parquetRows(String key, String sql) throws Exception {
    Path f = Files.createTempFile(tmp, "obj", ".parquet");
    Files.write(f, s3.getObjectAsBytes(r -> r.bucket("lake").key(key)).asByteArray());
    List<String> out = new ArrayList<>();
    try (Connection d = DriverManager.getConnection("jdbc:duckdb:"); Statement s = d.createStatement()) {
      s.execute("CREATE VIEW t AS SELECT * FROM read_parquet('" + f + "')");
      try (ResultSet rs = s.executeQuery(sql)) {
        while (rs.next()) {
          out.add(rs.getString(1) + "|" + rs.getString(2));
        }
      }
    }
    return out;
  }

  private static boolean onPath(String cmd) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (new File(dir, cmd).canExecute()) {
        return true;
      }
    }
    return false;
  }

}
