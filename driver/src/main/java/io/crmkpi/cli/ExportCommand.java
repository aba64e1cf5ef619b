package io.crmkpi.cli;

import io.crmkpi.jdbc.StoreExportAccess;
import io.crmkpi.lake.LakeException;
import io.crmkpi.lake.LakeExport;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code crmkpi export --to <folder>}: every canonical table and {@code util.calendar} as Parquet,
 * fact tables in month partitions, with a manifest; a re-export rewrites only what changed.
 */
@Command(name = "export", description = "Write every crm.* table (and util.calendar) as Parquet files into a folder "
    + "(fact tables partitioned by month, Hive layout) with manifest.json; a re-export rewrites only the "
    + "partitions that changed. Layout: docs/scale-out.md")
final class ExportCommand implements Callable<Integer> {

  @Mixin
  ConnectionOptions connection;

  @Option(names = "--to", required = true, paramLabel = "FOLDER",
      description = "the export folder (created when missing; an existing one must be empty or hold a crmkpi export)")
  String to;

  @Option(names = "--format", defaultValue = "parquet", paramLabel = "FORMAT",
      description = "file format: parquet (the only one)")
  String format;

  @Option(names = "--force", description = "write into a non-empty folder that holds no crmkpi export")
  boolean force;

  @Override
  public Integer call() throws Exception {
    if (!format.equalsIgnoreCase("parquet")) {
      throw new LakeException("--format " + format + ": only parquet is supported");
    }
    Path folder = target(to);
    Consumer<String> progress = connection.quiet ? m -> { } : System.err::println;
    LakeExport.Result r;
    try (LakeExport export = LakeExport.open(folder, force);
         Connection c = StoreExportAccess.connect(export.staging(), connection::open);
         Connection store = StoreExportAccess.raw(c)) {
      DatabaseMetaData meta = c.getMetaData();
      r = export.run(store, meta.getDriverVersion(), meta.getURL(), progress);
    }
    System.out.println("exported " + r.tables() + " tables, " + String.format("%,d", r.rows()) + " rows to "
        + folder.toAbsolutePath().normalize() + ": " + r.written() + " partitions written, " + r.unchanged()
        + " unchanged, " + r.removed() + " removed");
    return 0;
  }

  /** A local folder; an object-store URI is refused with what to do instead. */
  static Path target(String to) throws LakeException {
    int colon = to.indexOf("://");
    if (colon > 0 && to.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
      String scheme = to.substring(0, colon);
      if (!scheme.equalsIgnoreCase("file")) {
        throw new LakeException("--to " + to + ": " + scheme + ":// targets are not supported; export into a local "
            + "folder and copy it to the object store (e.g. aws s3 sync <folder> " + to + ")");
      }
      return Path.of(java.net.URI.create(to));
    }
    return Path.of(to);
  }
}
