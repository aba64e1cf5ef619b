package io.crmkpi.cli;

import io.crmkpi.cache.CacheFolder;
import io.crmkpi.jdbc.StoreExportAccess;
import io.crmkpi.lake.LakeException;
import io.crmkpi.lake.LakeExport;
import io.crmkpi.lake.LakeS3;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code crmkpi export --to <folder or s3://bucket/prefix>}: every canonical table and
 * {@code util.calendar} as Parquet, fact tables in month partitions, with a manifest; a re-export
 * rewrites (and uploads) only what changed.
 */
@Command(name = "export", description = "Write every crm.* table (and util.calendar) as Parquet files into a folder "
    + "or an S3 bucket (fact tables partitioned by month, Hive layout) with manifest.json; a re-export rewrites only "
    + "the partitions that changed. Layout: docs/scale-out.md")
final class ExportCommand implements Callable<Integer> {

  @Mixin
  ConnectionOptions connection;

  @Option(names = "--to", required = true, paramLabel = "FOLDER|s3://BUCKET/PREFIX",
      description = "the export folder (created when missing; an existing one must be empty or hold a crmkpi export), "
          + "or an S3 location (credentials and region: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION or the "
          + "AWS SDK's other usual places)")
  String to;

  @Option(names = "--format", defaultValue = "parquet", paramLabel = "FORMAT",
      description = "file format: parquet (the only one)")
  String format;

  @Option(names = "--force", description = "write into a non-empty folder or prefix that holds no crmkpi export")
  boolean force;

  @Option(names = "--s3-endpoint", paramLabel = "URL",
      description = "an S3-compatible server (MinIO, Ceph…), addressed path-style (default: AWS_ENDPOINT_URL_S3 or "
          + "AWS_ENDPOINT_URL, else AWS)")
  String s3Endpoint;

  @Option(names = "--local", paramLabel = "FOLDER",
      description = "with an s3:// target: the local copy the export is written into first (default: "
          + "<cache folder>/lake/<bucket>/<prefix>)")
  Path local;

  @Override
  public Integer call() throws Exception {
    if (!format.equalsIgnoreCase("parquet")) {
      throw new LakeException("--format " + format + ": only parquet is supported");
    }
    Consumer<String> progress = connection.quiet ? m -> { } : System.err::println;
    if (!LakeS3.isS3(to)) {
      Path folder = target(to);
      LakeExport.Result r = export(folder, force, progress);
      System.out.println(summary(r, folder.toAbsolutePath().normalize().toString()) + ", " + r.removed() + " removed");
      return 0;
    }
    try (LakeS3 s3 = LakeS3.open(to, s3Endpoint, System.getenv())) {
      Map<String, String> remote = s3.remoteFingerprints(force); // refused before the export, not after
      Path folder = local != null ? local : CacheFolder.of(Optional.empty())
          .map(c -> c.resolve("lake").resolve(to.substring(5)))
          .orElseThrow(() -> new LakeException("--to " + to + ": the cache folder is off; name the local copy with "
              + "--local <folder>"));
      LakeExport.Result r = export(folder, force, progress);
      LakeS3.Result u = s3.mirror(folder, remote, progress);
      System.out.println(summary(r, to) + "; " + u.uploaded() + " files uploaded, " + u.deleted() + " deleted");
    }
    return 0;
  }

  private LakeExport.Result export(Path folder, boolean force, Consumer<String> progress) throws Exception {
    try (LakeExport export = LakeExport.open(folder, force);
         Connection c = StoreExportAccess.connect(export.staging(), connection::open);
         Connection store = StoreExportAccess.raw(c)) {
      DatabaseMetaData meta = c.getMetaData();
      return export.run(store, meta.getDriverVersion(), meta.getURL(), progress);
    }
  }

  private static String summary(LakeExport.Result r, String where) {
    return "exported " + r.tables() + " tables, " + String.format("%,d", r.rows()) + " rows to " + where + ": "
        + r.written() + " partitions written, " + r.unchanged() + " unchanged";
  }

  /** A local folder (or file: URI); any other URI than s3:// is refused. */
  static Path target(String to) throws LakeException {
    int colon = to.indexOf("://");
    if (colon > 0 && to.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
      String scheme = to.substring(0, colon);
      if (!scheme.equalsIgnoreCase("file")) {
        throw new LakeException("--to " + to + ": " + scheme + ":// targets are not supported; use a local folder or "
            + "s3://bucket/prefix (any S3-compatible store, with --s3-endpoint)");
      }
      return Path.of(java.net.URI.create(to));
    }
    return Path.of(to);
  }
}
