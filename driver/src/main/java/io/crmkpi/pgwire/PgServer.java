package io.crmkpi.pgwire;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * {@code crmkpi serve}: a PostgreSQL protocol 3.0 endpoint over the crmkpi JDBC driver. Netty frames the
 * bytes on its event loop; each session runs its blocking JDBC work on its own executor thread.
 */
public final class PgServer implements AutoCloseable {

  /** PostgreSQL's own default {@code max_connections}. */
  public static final int DEFAULT_MAX_CONNECTIONS = 100;
  /** Below the store's pool bound (1,024 connections), leaving room for in-process JDBC users. */
  public static final int MAX_CONNECTIONS_LIMIT = 1000;

  /**
   * What the server is told.
   *
   * @param url                     the jdbc:crmkpi: URL every session opens
   * @param bind                    the address to listen on (trust auth needs a loopback one)
   * @param port                    the TCP port (0 = any free one)
   * @param usersFile               SCRAM-SHA-256 users ({@code name:verifier} lines); null = trust, loopback only
   * @param certFile                TLS certificate chain (PEM), with keyFile; null = SSLRequest answered 'N'
   * @param keyFile                 TLS private key (PKCS#8 PEM)
   * @param maxConnections          sessions served at once, 1 to {@value #MAX_CONNECTIONS_LIMIT}; more are refused
   *                                with SQLSTATE 53300 (default 100, PostgreSQL's own; the store's pool grows with
   *                                the sessions that query)
   * @param statementTimeoutSeconds per-statement limit (0 = none)
   * @param idleTimeoutSeconds      a session idle this long is closed (0 = never)
   * @param maxMessageBytes         the largest client message accepted
   * @param log                     where the one line per connection goes (never secrets)
   */
  public record Options(String url, String bind, int port, Path usersFile, Path certFile, Path keyFile,
      int maxConnections, int statementTimeoutSeconds, int idleTimeoutSeconds, int maxMessageBytes,
      Consumer<String> log) {

    public static Options defaults(String url) {
      return new Options(url, "127.0.0.1", 5433, null, null, null, DEFAULT_MAX_CONNECTIONS, 0, 0, 64 * 1024 * 1024, m -> { });
    }

    public Options withPort(int p) {
      return new Options(url, bind, p, usersFile, certFile, keyFile, maxConnections, statementTimeoutSeconds,
          idleTimeoutSeconds, maxMessageBytes, log);
    }

    public Options withBind(String b) {
      return new Options(url, b, port, usersFile, certFile, keyFile, maxConnections, statementTimeoutSeconds,
          idleTimeoutSeconds, maxMessageBytes, log);
    }

    public Options withUsers(Path f) {
      return new Options(url, bind, port, f, certFile, keyFile, maxConnections, statementTimeoutSeconds,
          idleTimeoutSeconds, maxMessageBytes, log);
    }

    public Options withTls(Path cert, Path key) {
      return new Options(url, bind, port, usersFile, cert, key, maxConnections, statementTimeoutSeconds,
          idleTimeoutSeconds, maxMessageBytes, log);
    }

    public Options withLimits(int maxConn, int statementTimeout, int idleTimeout, int maxMessage) {
      return new Options(url, bind, port, usersFile, certFile, keyFile, maxConn, statementTimeout, idleTimeout,
          maxMessage, log);
    }

    public Options withLog(Consumer<String> l) {
      return new Options(url, bind, port, usersFile, certFile, keyFile, maxConnections, statementTimeoutSeconds,
          idleTimeoutSeconds, maxMessageBytes, l);
    }
  }

  private final Options options;
  private final PgUsers users;
  private final PgCatalog catalog;
  private final SslContext ssl;
  private final boolean loopback;
  private final EventLoopGroup boss = new NioEventLoopGroup(1);
  private final EventLoopGroup workers = new NioEventLoopGroup(2);
  private final EventExecutorGroup sessions;
  private final Channel channel;
  private final Map<Integer, PgSession> live = new ConcurrentHashMap<>();
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger nextPid = new AtomicInteger(1000);
  private final SecureRandom random = new SecureRandom();

  private PgServer(Options options) throws IOException, SQLException, InterruptedException {
    this.options = options;
    this.loopback = InetAddress.getByName(options.bind()).isLoopbackAddress();
    if (options.usersFile() != null) {
      this.users = PgUsers.load(options.usersFile());
    } else if (!loopback) {
      throw new IllegalArgumentException("--bind " + options.bind() + " is not a loopback address: trust "
          + "authentication is only allowed on loopback; give --users <file> (see crmkpi serve --add-user)");
    } else {
      this.users = null;
    }
    this.ssl = options.certFile() == null ? null
        : SslContextBuilder.forServer(options.certFile().toFile(), options.keyFile().toFile()).build();
    try (Connection c = DriverManager.getConnection(options.url())) {
      this.catalog = PgCatalog.build(c, "crmkpi");
    }
    this.sessions = new DefaultEventExecutorGroup(Math.max(1, options.maxConnections()));
    PgServer self = this;
    ServerBootstrap b = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            if (open.incrementAndGet() > options.maxConnections()) {
              open.decrementAndGet();
              ch.writeAndFlush(PgOut.error(ch.alloc(), 'E', "FATAL", "53300", "sorry, too many clients already ("
                  + options.maxConnections() + ", --max-connections)")).addListener(ChannelFutureListener.CLOSE);
              return;
            }
            ch.closeFuture().addListener(f -> open.decrementAndGet());
            if (options.idleTimeoutSeconds() > 0) {
              ch.pipeline().addLast(new IdleStateHandler(options.idleTimeoutSeconds(), 0, 0, TimeUnit.SECONDS));
            }
            ch.pipeline().addLast("frames", new PgFrameDecoder(self, ssl));
            ch.pipeline().addLast(sessions, "session", new PgSession(self));
          }
        });
    this.channel = b.bind(options.bind(), options.port()).sync().channel();
  }

  /** Starts listening; the catalog snapshot is taken from one connection to the URL first. */
  public static PgServer start(Options options) throws IOException, SQLException, InterruptedException {
    if (options.maxConnections() < 1 || options.maxConnections() > MAX_CONNECTIONS_LIMIT) {
      throw new IllegalArgumentException("--max-connections " + options.maxConnections() + ": must be between 1 and "
          + MAX_CONNECTIONS_LIMIT);
    }
    return new PgServer(options);
  }

  /** Adds or replaces a user in a users file, storing only the SCRAM-SHA-256 verifier of the password. */
  public static void addUser(Path usersFile, String user, String password) throws IOException {
    PgUsers.add(usersFile, user, password);
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /** Sessions open now. */
  public int sessionCount() {
    return live.size();
  }

  /** Blocks until the server is closed. */
  public void awaitClose() throws InterruptedException {
    channel.closeFuture().sync();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    sessions.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    try {
      catalog.close();
    } catch (SQLException e) {
      // closing an in-memory database
    }
  }

  Options options() {
    return options;
  }

  PgUsers users() {
    return users;
  }

  PgCatalog catalog() {
    return catalog;
  }

  void log(String line) {
    options.log().accept(line);
  }

  int register(PgSession s) {
    int pid = nextPid.incrementAndGet();
    live.put(pid, s);
    return pid;
  }

  void unregister(int pid) {
    live.remove(pid);
  }

  /**
   * Rewrites the shadow's {@code util.sessions} with the sessions open now, in one transaction on the reading
   * session's shadow connection; one writer at a time (DuckDB would refuse two concurrent rewrites of one table).
   */
  synchronized void publishSessions(Connection shadow) throws SQLException {
    boolean auto = shadow.getAutoCommit();
    shadow.setAutoCommit(false);
    try (Statement del = shadow.createStatement(); PreparedStatement ins = shadow.prepareStatement(
        "INSERT INTO util.sessions VALUES (?, ?, ?, ?, ?, CAST(? AS TIMESTAMPTZ), ?, CAST(? AS TIMESTAMPTZ), ?)")) {
      del.execute("DELETE FROM util.sessions");
      for (Map.Entry<Integer, PgSession> e : live.entrySet()) {
        Object[] r = e.getValue().sessionRow();
        r[0] = e.getKey(); // the session learns its pid only after register returns
        for (int i = 0; i < r.length; i++) {
          ins.setObject(i + 1, r[i] instanceof Instant t ? t.toString() : r[i]);
        }
        ins.addBatch();
      }
      ins.executeBatch();
      shadow.commit();
    } catch (SQLException | RuntimeException e) {
      shadow.rollback();
      throw e;
    } finally {
      shadow.setAutoCommit(auto);
    }
  }

  int newSecret() {
    return random.nextInt();
  }

  /** {@code pg_cancel_backend(pid)}: cancels that session's running statement (sessions share one role). */
  boolean cancelBackend(int pid) {
    PgSession s = live.get(pid);
    return s != null && s.cancelRunning();
  }

  /** A CancelRequest: cancels the session's running statement when the key matches. */
  void cancel(int pid, int secret) {
    PgSession s = live.get(pid);
    if (s != null) {
      s.cancel(secret);
    }
  }
}
