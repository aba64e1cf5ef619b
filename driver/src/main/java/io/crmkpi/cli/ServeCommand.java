package io.crmkpi.cli;

import io.crmkpi.pgwire.PgServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code crmkpi serve}: the catalog over the PostgreSQL wire protocol (psql, Superset, Metabase, DBeaver…). */
@Command(name = "serve", description = "Serve the catalog over the PostgreSQL wire protocol (psql, Superset, "
    + "Metabase's PostgreSQL driver, DBeaver). Stops on Ctrl-C.")
final class ServeCommand implements Callable<Integer> {

  @Option(names = {"-u", "--url"}, defaultValue = "jdbc:crmkpi:demo",
      description = "JDBC URL every session opens (default: ${DEFAULT-VALUE})")
  String url;

  @Option(names = "--port", defaultValue = "5433", description = "TCP port (default: ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--bind", defaultValue = "127.0.0.1",
      description = "address to listen on (default: ${DEFAULT-VALUE}); any other needs --users")
  String bind;

  @Option(names = "--users", description = "users file (name:SCRAM-SHA-256 verifier lines); without it, trust "
      + "authentication on loopback only")
  Path users;

  @Option(names = "--add-user", paramLabel = "<name>", description = "add or replace a user in --users: reads the "
      + "password from stdin and stores its SCRAM-SHA-256 verifier, then exits")
  String addUser;

  @Option(names = "--tls-cert", description = "TLS certificate chain (PEM); with --tls-key, clients may use TLS")
  Path cert;

  @Option(names = "--tls-key", description = "TLS private key (PKCS#8 PEM)")
  Path key;

  @Option(names = "--max-connections", defaultValue = "100",
      description = "sessions at once, 1 to 1000; one more is refused with SQLSTATE 53300 (default: ${DEFAULT-VALUE})")
  int maxConnections;

  @Option(names = "--statement-timeout", defaultValue = "0",
      description = "seconds a statement may run, 0 = no limit (default: ${DEFAULT-VALUE})")
  int statementTimeout;

  @Option(names = "--idle-timeout", defaultValue = "0",
      description = "seconds before an idle session is closed, 0 = never (default: ${DEFAULT-VALUE})")
  int idleTimeout;

  @Option(names = "--max-message-bytes", defaultValue = "67108864",
      description = "largest client message accepted (default: ${DEFAULT-VALUE})")
  int maxMessage;

  @Override
  public Integer call() throws Exception {
    if (addUser != null) {
      if (users == null) {
        throw new IllegalArgumentException("--add-user needs --users <file>");
      }
      String password = System.console() != null
          ? new String(System.console().readPassword("password for %s: ", addUser))
          : new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      if (password == null || password.isEmpty()) {
        throw new IllegalArgumentException("--add-user: no password given on stdin");
      }
      io.crmkpi.pgwire.PgServer.addUser(users, addUser, password);
      System.err.println("user " + addUser + " stored in " + users);
      return 0;
    }
    if ((cert == null) != (key == null)) {
      throw new IllegalArgumentException("--tls-cert and --tls-key go together");
    }
    PgServer.Options o = PgServer.Options.defaults(url).withPort(port).withBind(bind).withUsers(users)
        .withTls(cert, key).withLimits(maxConnections, statementTimeout, idleTimeout, maxMessage)
        .withLog(System.err::println);
    io.crmkpi.jdbc.Progress.listen(m -> System.err.println(m));
    try (PgServer server = PgServer.start(o)) {
      System.err.println("crmkpi serve: listening on " + bind + ":" + server.port() + " (PostgreSQL protocol 3.0"
          + (cert != null ? ", TLS" : "") + (users != null ? ", SCRAM-SHA-256" : ", trust on loopback") + ")");
      Runtime.getRuntime().addShutdownHook(new Thread(server::close));
      server.awaitClose();
    }
    return 0;
  }
}
