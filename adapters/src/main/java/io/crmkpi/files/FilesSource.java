package io.crmkpi.files;

import io.crmkpi.settings.SettingException;
import io.crmkpi.source.Source;
import io.crmkpi.source.SourceContext;
import io.crmkpi.source.SourceException;
import io.crmkpi.store.LoadReport;
import io.crmkpi.store.LoadSession;
import io.crmkpi.store.Store;
import io.crmkpi.store.DealSnapshots;
import io.crmkpi.store.StoreDerivations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * {@code jdbc:crmkpi:files:<folder>}: every file of a folder, each read by the {@link FileFormat}
 * that recognises it best (or the one forced with {@code profile=<format>}). Reference tables load
 * before facts; the store's derivations run once all files are in.
 */
public final class FilesSource implements Source {

  public static final String NAME = "files";

  /** Files about these tables load first, in this order (facts refer to them). */
  static final List<String> REFERENCE_TABLES =
      List.of("pipelines", "stages", "users", "fx_rates", "companies", "contacts");

  private final Path folder;
  private final List<FileFormat> formats;

  /** A source over {@code folder} with every registered {@link FileFormat}. */
  public FilesSource(Path folder) {
    this(folder, registeredFormats());
  }

  FilesSource(Path folder, List<FileFormat> formats) {
    this.folder = folder;
    this.formats = formats.stream().sorted(Comparator.comparing(FileFormat::name)).toList();
  }

  /** Formats registered in {@code META-INF/services/io.crmkpi.files.FileFormat}. */
  static List<FileFormat> registeredFormats() {
    List<FileFormat> all = new ArrayList<>();
    ServiceLoader.load(FileFormat.class, FilesSource.class.getClassLoader()).forEach(all::add);
    return all;
  }

  @Override
  public String name() {
    return NAME;
  }

  public Path folder() {
    return folder;
  }

  /** The folder, and {@link #copiesFolder()} (exports that need a cleaned copy are read from there). */
  @Override
  public List<Path> readPaths() {
    try {
      return List.of(Files.isDirectory(folder) ? folder : folder.toAbsolutePath().getParent(), copiesFolder());
    } catch (IOException e) {
      return List.of(Files.isDirectory(folder) ? folder : folder.toAbsolutePath().getParent());
    }
  }

  /**
   * Where exports are rewritten before DuckDB reads them (footers cut, sheets tabulated): a folder of
   * this user's own in the temporary folder, so that a store shut off from the machine can read there
   * without being able to read the rest of the temporary folder.
   */
  public static synchronized Path copiesFolder() throws IOException {
    if (copies != null && Files.isDirectory(copies)) {
      return copies;
    }
    Path dir = Path.of(System.getProperty("java.io.tmpdir"), "crmkpi-exports-"
        + System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_"));
    boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      try {
        if (posix) {
          Files.createDirectory(dir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
              java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        } else {
          Files.createDirectory(dir);
        }
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // made meanwhile (or a file of that name): checked below
      }
    }
    // someone else's folder (made first in a shared /tmp) or a link: a fresh private folder instead
    boolean own = Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)
        && Files.getOwner(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS).getName()
            .equals(System.getProperty("user.name"))
        && (!posix || Files.getPosixFilePermissions(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)
            .equals(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
    copies = own ? dir : Files.createTempDirectory("crmkpi-exports-");
    return copies;
  }

  private static Path copies;

  @Override
  public LoadReport load(Store store, SourceContext context) throws SourceException {
    ZoneId zone;
    try {
      zone = context.timezone();
      context.progress("files: reading " + folder + " (timezone " + zone + ")");
    } catch (SettingException e) {
      throw new SourceException(e.getMessage());
    }
    List<Planned> plan = plan(context);
    // a store file remembers what it was loaded from, so that a reconnect can skip an unchanged folder
    boolean persistent = !store.description().equals("memory");
    List<FileManifest.Entry> manifest = new ArrayList<>();
    LoadReport report;
    // SHA-256 of each file on a thread of its own, overlapping the (longer) parse and append
    ExecutorService hasher = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "crmkpi-files-sha256");
      t.setDaemon(true);
      return t;
    });
    try {
      FileManifest.clear(store);
      try (LoadSession session = store.load(NAME)) {
        for (Planned p : plan) {
          String file = p.file().getFileName().toString();
          int before = session.report().lines().size();
          // taken before reading: a write during the load shows as a change next time
          LocalDateTime seenAt = LocalDateTime.now(ZoneOffset.UTC);
          FileManifest.Stat stat;
          try {
            stat = FileManifest.Stat.of(p.file());
          } catch (IOException e) {
            throw new SourceException("cannot read " + p.file() + ": " + e.getMessage(), e);
          }
          Future<String> sha256 = persistent ? hasher.submit(() -> FileManifest.sha256(p.file())) : null;
          try {
            p.format().load(p.file(), session, context);
          } catch (SQLException e) {
            throw new SourceException(file + ": could not write into the store: " + e.getMessage(), e);
          }
          long read = 0;
          long rejected = 0;
          for (LoadReport.Line l : session.report().lines().subList(before, session.report().lines().size())) {
            read += l.read();
            rejected += l.rejected();
          }
          context.progress(file + ": " + read + " rows (" + (read - rejected) + " loaded, " + rejected
              + " rejected) [" + p.format().name() + "]");
          manifest.add(new FileManifest.Entry(FileManifest.key(p.file()), stat.size(), stat.mtime(),
              hashOf(p.file(), sha256),
              p.format().name(), read - rejected, seenAt));
        }
        report = session.report();
      }
      StoreDerivations.apply(store, context.currency());
      DealSnapshots.record(store, DealSnapshots.asOf(java.time.Clock.systemUTC(), zone));
      FileManifest.write(store, manifest, context.properties());
    } catch (SQLException e) {
      throw new SourceException("files: could not finish loading " + folder + " into the store: " + e.getMessage(), e);
    } finally {
      hasher.shutdownNow();
    }
    return report; // the caller prints the summary (the driver does, for every source)
  }

  /** The hex SHA-256 the hasher computed for {@code file} (null when none was asked for). */
  private static String hashOf(Path file, Future<String> sha256) throws SourceException {
    if (sha256 == null) {
      return null;
    }
    try {
      return sha256.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw new SourceException("cannot read " + file + ": " + cause.getMessage(), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SourceException("files: loading " + file + " was interrupted", e);
    }
  }

  /** True when the store holds a load of exactly the folder's current files with the same settings. */
  @Override
  public Optional<Boolean> isCurrent(Store store, SourceContext context) throws SourceException {
    List<Path> files = list(folder);
    try {
      return Optional.of(FileManifest.isCurrent(store, files, context.properties()));
    } catch (IOException e) {
      throw new SourceException("cannot read a file of " + folder + ": " + e.getMessage(), e);
    } catch (SQLException e) {
      throw new SourceException("files: cannot read the file manifest of the store: " + e.getMessage(), e);
    }
  }

  private record Planned(Path file, FileFormat format, int rank) {
  }

  /** Lists the folder and picks a format for every file before anything is written. */
  private List<Planned> plan(SourceContext context) throws SourceException {
    List<Path> files = list(folder);
    FileFormat forced = null;
    if (context.property("profile").isPresent()) {
      String profile = context.property("profile").get().strip();
      forced = formats.stream().filter(f -> f.name().equalsIgnoreCase(profile)).findFirst()
          .orElseThrow(() -> new SourceException("profile=" + profile + " is not a known file format; known formats: "
              + formatNames()));
    }
    List<Planned> plan = new ArrayList<>();
    for (Path file : files) {
      FileSample sample;
      try {
        sample = FileSample.of(file);
      } catch (IOException e) {
        throw new SourceException("cannot read " + file + ": " + e.getMessage(), e);
      }
      FileFormat format = forced != null ? forced : detect(sample);
      plan.add(new Planned(file, format, rank(sample.baseName())));
    }
    plan.sort(Comparator.comparingInt(Planned::rank).thenComparing(p -> p.file().getFileName().toString()));
    return plan;
  }

  private FileFormat detect(FileSample sample) throws SourceException {
    FileFormat best = null;
    int bestScore = 0;
    for (FileFormat f : formats) {
      int score;
      try {
        score = f.detect(sample);
      } catch (RuntimeException e) {
        score = 0; // a format that cannot even look at the file does not read it
      }
      if (score > bestScore) {
        best = f;
        bestScore = score;
      }
    }
    if (best == null) {
      throw new SourceException(sample.path().getFileName() + " in " + folder + ": no file format recognises it "
          + "(tried: " + formatNames() + "). Name canonical CSV files after their table with canonical column "
          + "headers (docs/sources/canonical-csv.md), force a format with profile=<format>, describe the file "
          + "with a mapping file (docs/sources/), or move it out of the folder");
    }
    return best;
  }

  private String formatNames() {
    return formats.isEmpty() ? "none registered" : String.join(", ", formats.stream().map(FileFormat::name).toList());
  }

  /** Files of these tables load last (they refer to deals, users and pipelines any other file may bring). */
  static final List<String> LAST_TABLES = List.of("targets", "deal_snapshots");

  /** Position of the reference table a file name mentions, else after all of them; plans and history last. */
  static int rank(String baseName) {
    if (LAST_TABLES.contains(baseName)) {
      return REFERENCE_TABLES.size() + 1;
    }
    for (int i = 0; i < REFERENCE_TABLES.size(); i++) {
      if (baseName.contains(REFERENCE_TABLES.get(i))) {
        return i;
      }
    }
    return REFERENCE_TABLES.size();
  }

  /** Regular, non-hidden files of the folder, sorted by name. */
  static List<Path> list(Path folder) throws SourceException {
    String usage = "; jdbc:crmkpi:files:<folder> needs a folder of CSV or export files";
    if (!Files.exists(folder)) {
      throw new SourceException("folder " + folder + " does not exist" + usage);
    }
    if (!Files.isDirectory(folder)) {
      throw new SourceException(folder + " is not a folder" + usage);
    }
    List<Path> files = new ArrayList<>();
    try (Stream<Path> s = Files.list(folder)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (Files.isRegularFile(p) && !p.getFileName().toString().startsWith(".") && !Files.isHidden(p)) {
          files.add(p);
        }
      }
    } catch (IOException | SecurityException e) {
      throw new SourceException("folder " + folder + " cannot be read (" + e.getMessage() + ")" + usage, e);
    }
    if (files.isEmpty()) {
      throw new SourceException("folder " + folder + " has no files" + usage);
    }
    files.sort(Comparator.comparing(p -> p.getFileName().toString()));
    return files;
  }
}
