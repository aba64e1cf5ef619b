package io.crmkpi.pgstore;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests: the one {@code CRMKPI_TEST_PG_URL} points at (a
 * {@code jdbc:postgresql://host:port/} URL of a server, with {@code CRMKPI_TEST_PG_USER} and
 * {@code CRMKPI_TEST_PG_PASSWORD}), else a throwaway cluster of the Debian binaries
 * ({@code /usr/lib/postgresql/<version>/bin}: initdb into a temporary folder, started on a free port,
 * stopped and deleted by {@link #close()}). As root (CI containers) the cluster runs as the
 * {@code postgres} user the Debian package creates, as PostgreSQL refuses to run as root.
 */
public final class PostgresTestServer implements AutoCloseable {

  public static final String USER = "crmkpi_test";
  public static final String PASSWORD = "pg-test-secret-7391";

  private final String serverUrl;
  private final String user;
  private final String password;
  private final Path folder;
  private final Path bin;
  private final int port;
  private int databases;

  private PostgresTestServer(String serverUrl, String user, String password, Path folder, Path bin, int port) {
    this.serverUrl = serverUrl;
    this.user = user;
    this.password = password;
    this.folder = folder;
    this.bin = bin;
    this.port = port;
  }

  public static PostgresTestServer start() throws IOException, InterruptedException {
    String env = System.getenv("CRMKPI_TEST_PG_URL");
    if (env != null && !env.isBlank()) {
      return new PostgresTestServer(env.endsWith("/") ? env : env + "/", System.getenv("CRMKPI_TEST_PG_USER"),
          System.getenv("CRMKPI_TEST_PG_PASSWORD"), null, null, -1);
    }
    Path bin = binaries();
    Path folder = Files.createTempDirectory("crmkpi-pg-");
    Path data = folder.resolve("data");
    Path pwfile = folder.resolve("pw");
    Files.writeString(pwfile, PASSWORD + "\n");
    boolean root = "root".equals(System.getProperty("user.name"));
    if (root) {
      run(List.of("chown", "-R", "postgres", folder.toString()), folder);
    }
    run(asServerUser(root, bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER,
        "--auth=scram-sha-256", "--pwfile=" + pwfile, "-E", "UTF8", "--locale=C.UTF-8"), folder);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    run(asServerUser(root, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "60", "-l",
        folder.resolve("server.log").toString(), "-o", "-p " + port + " -k " + folder
            + " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
        "start"), folder);
    return new PostgresTestServer("jdbc:postgresql://127.0.0.1:" + port + "/", USER, PASSWORD, folder, bin, port);
  }

  /** The newest Debian PostgreSQL's binaries (15 here). */
  private static Path binaries() throws IOException {
    Path base = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(base)) {
      throw new IllegalStateException("no PostgreSQL server binaries in /usr/lib/postgresql: install the Debian "
          + "package postgresql (.ci/run does), or point CRMKPI_TEST_PG_URL at a server");
    }
    try (Stream<Path> versions = Files.list(base)) {
      return versions.filter(p -> Files.isExecutable(p.resolve("bin/initdb")))
          .max(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().replaceAll("\\D", "0"))))
          .orElseThrow(() -> new IllegalStateException("no initdb under /usr/lib/postgresql/*/bin"))
          .resolve("bin");
    }
  }

  private static List<String> asServerUser(boolean root, String... command) {
    List<String> out = new ArrayList<>();
    if (root) {
      out.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    out.addAll(List.of(command));
    return out;
  }

  private static void run(List<String> command, Path folder) throws IOException, InterruptedException {
    Path log = folder.resolve("command.log");
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(command.get(command.size() > 4 ? 4 : 0) + " failed: "
          + Files.readString(log));
    }
  }

  /** A new empty database on the server; its JDBC URL (credentials go in store_user/store_password). */
  public synchronized String newDatabase() throws SQLException {
    String name = "crmkpi_" + ProcessHandle.current().pid() + "_" + (++databases);
    try (Connection c = DriverManager.getConnection(serverUrl + "postgres", user, password);
         Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return serverUrl + name;
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  /** The port of a throwaway cluster (-1 for an external server). */
  public int port() {
    return port;
  }

  /** The crmkpi URL options for this server's credentials. */
  public String credentials() {
    return ";store_user=" + user + ";store_password=" + password;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    if (folder == null) {
      return;
    }
    boolean root = "root".equals(System.getProperty("user.name"));
    try {
      run(asServerUser(root, bin.resolve("pg_ctl").toString(), "-D", folder.resolve("data").toString(), "-m",
          "immediate", "-w", "stop"), folder);
    } finally {
      try (Stream<Path> all = Files.walk(folder)) {
        all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
