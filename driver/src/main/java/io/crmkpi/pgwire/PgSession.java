package io.crmkpi.pgwire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One client session: authentication, then the simple and extended query protocols. Runs on its own
 * executor thread (JDBC blocks); user SQL goes to the session's jdbc:crmkpi: connection, catalog SQL to the
 * session's shadow connection, session statements (SET, SHOW, BEGIN…) are answered here.
 */
final class PgSession extends ChannelInboundHandlerAdapter {

  /** Raised for errors reported to the client with a SQLSTATE. */
  static final class PgError extends Exception {
    final String state;

    PgError(String state, String message) {
      super(message);
      this.state = state;
    }
  }

  private static final Pattern SET = Pattern.compile(
      "(?is)^SET\\s+(?:SESSION\\s+|LOCAL\\s+)?(?:(TIME\\s+ZONE)\\s+(.+)|([\\w.]+)\\s*(?:=|\\s+TO\\s+)\\s*(.+))$");
  private static final Pattern DECLARE = Pattern.compile(
      "(?is)^DECLARE\\s+(\"(?:[^\"]|\"\")+\"|\\w+)\\s+.*?CURSOR\\s+(?:WITH(?:OUT)?\\s+HOLD\\s+)?FOR\\s+(.+)$");
  private static final Pattern FETCH = Pattern.compile(
      "(?is)^(FETCH|MOVE)\\s+(?:(FORWARD|NEXT)\\s+)?(ALL|\\d+)?\\s*(?:FROM|IN)?\\s*(\"(?:[^\"]|\"\")+\"|\\w+)$");
  private static final Pattern CANCEL_BACKEND = Pattern.compile(
      "(?is)^SELECT\\s+(?:pg_catalog\\s*\\.\\s*)?pg_cancel_backend\\s*\\(\\s*(\\d+)\\s*\\)\\s*;?\\s*$");
  private static final Pattern COPY = Pattern.compile(
      "(?is)^COPY\\s+(\\((.+)\\)|[\\w.\"]+(?:\\s*\\([^)]*\\))?)\\s+TO\\s+STDOUT\\s*(.*)$");

  private final PgServer server;
  private final Map<String, String> settings = new LinkedHashMap<>();
  private final Map<String, PgPortal.Prepared> statements = new HashMap<>();
  private final Map<String, PgPortal> portals = new HashMap<>();
  private final Map<String, PgPortal> cursors = new HashMap<>();
  private ChannelHandlerContext ctx;
  private Connection crmkpi;
  private Connection shadow;
  private PgScram scram;
  private String user;
  private String remote;
  private int pid;
  private int secret;
  private boolean ready;
  private boolean skipToSync;
  private volatile char tx = 'I';
  // what util.sessions shows: written on the session's thread, read by whichever session publishes the list
  private volatile String appName = "";
  private volatile String clientAddr;
  private volatile int clientPort;
  private volatile Instant started;
  private volatile Instant queryStart;
  private volatile long statementCount;
  private long lastActive = System.nanoTime();
  private volatile Statement running;
  private volatile boolean cancelled;

  PgSession(PgServer server) {
    this.server = server;
  }

  // ---------------------------------------------------------------- lifecycle

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    remote = ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress() + ":"
        + a.getPort() : String.valueOf(ctx.channel().remoteAddress());
    if (ctx.channel().remoteAddress() instanceof InetSocketAddress a) {
      clientAddr = a.getAddress().getHostAddress();
      clientPort = a.getPort();
    }
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (pid != 0) {
      server.unregister(pid);
      server.log("pgwire: session " + pid + " closed (" + remote + ")");
    }
    portals.values().forEach(PgPortal::close);
    cursors.values().forEach(PgPortal::close);
    statements.values().forEach(PgPortal.Prepared::close);
    closeQuietly(crmkpi);
    closeQuietly(shadow);
    ctx.fireChannelInactive();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent && running == null && System.nanoTime() - lastActive
        >= server.options().idleTimeoutSeconds() * 1_000_000_000L) {
      fatal("57P05", "terminating connection due to idle timeout (" + server.options().idleTimeoutSeconds() + " s)");
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    server.log("pgwire: session " + pid + " (" + remote + ") closed on error: " + cause.getMessage());
    ctx.close();
  }

  /** Cancels the running statement, if any (pg_cancel_backend); true when one was running. */
  boolean cancelRunning() {
    Statement st = running;
    if (st == null) {
      return false;
    }
    cancelled = true;
    try {
      st.cancel();
    } catch (SQLException e) {
      // it finished meanwhile
    }
    return true;
  }

  /** A CancelRequest for this session's running statement. */
  void cancel(int key) {
    Statement st = running;
    if (key == secret && st != null) {
      cancelled = true;
      try {
        st.cancel();
      } catch (SQLException e) {
        // the statement finished meanwhile
      }
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    lastActive = System.nanoTime();
    try {
      if (msg instanceof PgFrameDecoder.Startup s) {
        startup(s.params());
      } else if (msg instanceof PgFrameDecoder.Message m) {
        if (!ready) {
          authenticate(m);
        } else {
          message(m);
          appName = settings.getOrDefault("application_name", "");
        }
      }
    } catch (PgError e) {
      fatal(e.state, e.getMessage());
    } catch (RuntimeException e) {
      fatal("08P01", "invalid message: " + e);
    }
  }

  // ---------------------------------------------------------------- start-up and authentication

  private void startup(Map<String, String> params) throws PgError {
    user = params.get("user");
    if (user == null || user.isEmpty()) {
      throw new PgError("28000", "no PostgreSQL user name specified in startup packet");
    }
    settings.put("application_name", params.getOrDefault("application_name", ""));
    settings.put("client_encoding", "UTF8");
    settings.put("DateStyle", "ISO, MDY");
    settings.put("TimeZone", params.getOrDefault("TimeZone", "UTC"));
    String enc = params.get("client_encoding");
    if (enc != null && !enc.replace("-", "").equalsIgnoreCase("UTF8") && !enc.equalsIgnoreCase("UNICODE")) {
      throw new PgError("22023", "client_encoding " + enc + " is not supported: crmkpi serve speaks UTF8");
    }
    if (server.users() != null) {
      scram = new PgScram(server.users().verifier(user));
      byte[] mech = (PgScram.MECHANISM + "\0\0").getBytes(StandardCharsets.UTF_8);
      ctx.writeAndFlush(PgOut.authRequest(ctx.alloc(), 10, mech));
      return;
    }
    InetSocketAddress peer = (InetSocketAddress) ctx.channel().remoteAddress();
    if (!peer.getAddress().isLoopbackAddress()) {
      throw new PgError("28000", "trust authentication is only allowed from loopback; the server needs --users");
    }
    authenticated();
  }

  private void authenticate(PgFrameDecoder.Message m) throws PgError {
    if (m.type() != 'p' || scram == null) {
      throw new PgError("08P01", "expected a SASL response during authentication, got message type '" + m.type() + "'");
    }
    ByteBuffer b = ByteBuffer.wrap(m.body());
    try {
      if (scramStep == 0) {
        String mechanism = cstr(b);
        if (!PgScram.MECHANISM.equals(mechanism)) {
          throw new PgError("28000", "SASL mechanism " + mechanism + " is not supported; use SCRAM-SHA-256");
        }
        int len = b.getInt();
        String first = new String(m.body(), b.position(), len, StandardCharsets.UTF_8);
        String serverFirst = scram.serverFirst(first);
        scramStep = 1;
        ctx.writeAndFlush(PgOut.authRequest(ctx.alloc(), 11, serverFirst.getBytes(StandardCharsets.UTF_8)));
      } else {
        String fin = scram.serverFinal(new String(m.body(), StandardCharsets.UTF_8));
        if (fin == null) {
          server.log("pgwire: authentication failed for user \"" + user + "\" from " + remote);
          throw new PgError("28P01", "password authentication failed for user \"" + user + "\"");
        }
        ctx.write(PgOut.authRequest(ctx.alloc(), 12, fin.getBytes(StandardCharsets.UTF_8)));
        authenticated();
      }
    } catch (IllegalArgumentException | java.nio.BufferUnderflowException e) {
      throw new PgError("08P01", "malformed SASL message: " + e.getMessage());
    }
  }

  private int scramStep;

  private void authenticated() throws PgError {
    try {
      shadow = server.catalog().open();
    } catch (SQLException e) {
      throw new PgError("08006", "cannot open the catalog: " + firstLine(e));
    }
    appName = settings.getOrDefault("application_name", "");
    started = Instant.now();
    pid = server.register(this);
    secret = server.newSecret();
    ready = true;
    server.log("pgwire: session " + pid + " user=" + user + " application=" + settings.get("application_name")
        + " from " + remote);
    ctx.write(PgOut.authRequest(ctx.alloc(), 0, null));
    String[][] status = {
        {"server_version", "16.0 (crmkpi)"}, {"server_version_num", "160000"}, {"server_encoding", "UTF8"},
        {"client_encoding", "UTF8"}, {"DateStyle", "ISO, MDY"}, {"IntervalStyle", "postgres"},
        {"TimeZone", settings.get("TimeZone")}, {"integer_datetimes", "on"}, {"standard_conforming_strings", "on"},
        {"is_superuser", "off"}, {"session_authorization", user}, {"application_name", settings.get("application_name")},
        {"default_transaction_read_only", "on"}, {"in_hot_standby", "off"}};
    for (String[] s : status) {
      ctx.write(PgOut.parameterStatus(ctx.alloc(), s[0], s[1]));
    }
    ctx.write(PgOut.of(ctx.alloc(), 'K').i32(pid).i32(secret).done());
    ctx.writeAndFlush(PgOut.ready(ctx.alloc(), tx));
  }

  // ---------------------------------------------------------------- messages

  private void message(PgFrameDecoder.Message m) throws PgError {
    char t = m.type();
    if (t == 'X') {
      ctx.close();
      return;
    }
    if (t == 'S') {
      skipToSync = false;
      ctx.writeAndFlush(PgOut.ready(ctx.alloc(), tx));
      return;
    }
    if (t == 'Q') {
      simpleQuery(cstr(ByteBuffer.wrap(m.body())));
      return;
    }
    if (t == 'H') {
      ctx.flush();
      return;
    }
    if (t == 'd' || t == 'c' || t == 'f') {
      return; // COPY FROM data: never asked for
    }
    if ("PBDEC".indexOf(t) < 0) {
      throw new PgError("08P01", "invalid frontend message type '" + (t >= 32 && t < 127 ? String.valueOf(t)
          : String.format("\\x%02x", (int) t)) + "'");
    }
    if (skipToSync) {
      return;
    }
    try {
      ByteBuffer b = ByteBuffer.wrap(m.body());
      switch (t) {
        case 'P' -> parse(b);
        case 'B' -> bind(b);
        case 'D' -> describe(b);
        case 'E' -> execute(b);
        default -> close(b);
      }
    } catch (PgError e) {
      error(e.state, e.getMessage());
      skipToSync = true;
      if (tx == 'T') {
        tx = 'E';
      }
    }
  }

  private void parse(ByteBuffer b) throws PgError {
    String name = cstr(b);
    String sql = cstr(b);
    int n = b.getShort();
    int[] oids = new int[n];
    for (int i = 0; i < n; i++) {
      oids[i] = b.getInt();
    }
    if (!name.isEmpty() && statements.containsKey(name)) {
      throw new PgError("42P05", "prepared statement \"" + name + "\" already exists");
    }
    PgSql.Kind kind = PgSql.kind(sql);
    List<Integer> order = new ArrayList<>();
    String jdbcSql = PgSql.placeholders(sql, order);
    PgPortal.Prepared p = new PgPortal.Prepared(sql, kind, oids, order);
    if (kind == PgSql.Kind.QUERY || kind == PgSql.Kind.CATALOG) {
      try {
        p.jdbc = connection(kind).prepareStatement(forConnection(kind, jdbcSql));
        ResultSetMetaData md = p.jdbc.getMetaData();
        p.columns = md == null ? null : PgColumn.of(md);
      } catch (SQLException e) {
        throw sqlError(e);
      }
    } else if (kind == PgSql.Kind.WRITE) {
      throw readOnly(sql);
    }
    PgPortal.Prepared old = statements.put(name, p);
    if (old != null) {
      old.close();
    }
    ctx.write(PgOut.simple(ctx.alloc(), '1'));
  }

  private void bind(ByteBuffer b) throws PgError {
    String portal = cstr(b);
    String name = cstr(b);
    PgPortal.Prepared p = statement(name);
    short[] pf = shorts(b);
    int n = b.getShort();
    Object[] params = new Object[n];
    int[] jdbcTypes = paramTypes(p, n);
    for (int i = 0; i < n; i++) {
      int len = b.getInt();
      if (len < 0) {
        continue;
      }
      byte[] v = new byte[len];
      b.get(v);
      int oid = i < p.paramOids.length ? p.paramOids[i] : 0;
      try {
        params[i] = PgPortal.format(pf, i) == 1 ? PgValues.fromBinary(v, oid)
            : PgValues.fromText(new String(v, StandardCharsets.UTF_8), jdbcTypes[i]);
      } catch (RuntimeException e) {
        throw new PgError("22P02", "invalid input for parameter $" + (i + 1) + ": " + e.getMessage());
      }
    }
    short[] rf = shorts(b);
    PgPortal old = portals.put(portal, new PgPortal(p, params, rf));
    if (old != null) {
      old.close();
    }
    ctx.write(PgOut.simple(ctx.alloc(), '2'));
  }

  /** JDBC types of the parameters (what text values are converted to), from the driver's metadata. */
  private int[] paramTypes(PgPortal.Prepared p, int n) {
    int[] types = new int[n];
    java.util.Arrays.fill(types, java.sql.Types.VARCHAR);
    if (p.jdbc != null) {
      try {
        ParameterMetaData pm = p.jdbc.getParameterMetaData();
        for (int k = 0; k < p.order.size() && k < pm.getParameterCount(); k++) {
          int client = p.order.get(k);
          if (client >= 0 && client < n) {
            types[client] = pm.getParameterType(k + 1);
          }
        }
      } catch (SQLException | RuntimeException e) {
        // no metadata: values travel as strings and the store converts
      }
    }
    for (int i = 0; i < n && i < p.paramOids.length; i++) {
      PgType t = PgType.byOid(p.paramOids[i]);
      if (t != null && types[i] == java.sql.Types.VARCHAR) {
        types[i] = switch (t) {
          case INT2, INT4 -> java.sql.Types.INTEGER;
          case INT8 -> java.sql.Types.BIGINT;
          case FLOAT4, FLOAT8 -> java.sql.Types.DOUBLE;
          case NUMERIC -> java.sql.Types.DECIMAL;
          case BOOL -> java.sql.Types.BOOLEAN;
          case DATE -> java.sql.Types.DATE;
          case TIMESTAMP, TIMESTAMPTZ -> java.sql.Types.TIMESTAMP;
          default -> java.sql.Types.VARCHAR;
        };
      }
    }
    return types;
  }

  private void describe(ByteBuffer b) throws PgError {
    char what = (char) b.get();
    String name = cstr(b);
    if (what == 'S') {
      PgPortal.Prepared p = statement(name);
      int[] oids = new int[p.order.isEmpty() ? p.paramOids.length : p.order.stream().mapToInt(i -> i + 1).max().orElse(0)];
      int[] types = paramTypes(p, oids.length);
      for (int i = 0; i < oids.length; i++) {
        oids[i] = i < p.paramOids.length && p.paramOids[i] != 0 ? p.paramOids[i]
            : PgColumn.of("", types[i], null, 0, 0).type().oid();
      }
      ctx.write(PgOut.parameterDescription(ctx.alloc(), oids));
      List<PgColumn> cols = p.columns != null ? p.columns : localColumns(p.sql);
      ctx.write(cols == null ? PgOut.simple(ctx.alloc(), 'n') : PgOut.rowDescription(ctx.alloc(), cols, null));
    } else {
      PgPortal portal = portal(name);
      List<PgColumn> cols = portal.statement.columns;
      if (cols == null && portal.statement.jdbc != null) {
        open(portal); // no metadata before running: run it now, the rows wait for Execute
        cols = portal.columns;
      }
      if (cols == null) {
        cols = localColumns(portal.statement.sql);
      }
      ctx.write(cols == null ? PgOut.simple(ctx.alloc(), 'n') : PgOut.rowDescription(ctx.alloc(), cols, portal.formats));
    }
  }

  private void execute(ByteBuffer b) throws PgError {
    PgPortal portal = portal(cstr(b));
    int max = b.getInt();
    PgPortal.Prepared p = portal.statement;
    if (p.jdbc == null) {
      String sql = p.sql;
      if (p.kind == PgSql.Kind.EMPTY) {
        ctx.write(PgOut.simple(ctx.alloc(), 'I'));
      } else {
        run(sql, false);
      }
      return;
    }
    if (portal.done) {
      ctx.write(PgOut.complete(ctx.alloc(), "SELECT " + portal.sent));
      return;
    }
    if (portal.rows == null) {
      open(portal);
    }
    sendRows(portal, max, portal.formats, "SELECT ");
  }

  private void close(ByteBuffer b) {
    char what = (char) b.get();
    String name = cstr(b);
    if (what == 'S') {
      PgPortal.Prepared p = statements.remove(name);
      if (p != null) {
        p.close();
      }
    } else {
      PgPortal p = portals.remove(name);
      if (p != null) {
        p.close();
      }
    }
    ctx.write(PgOut.simple(ctx.alloc(), '3'));
  }

  private void open(PgPortal portal) throws PgError {
    PgPortal.Prepared p = portal.statement;
    try {
      for (int k = 0; k < p.order.size(); k++) {
        int client = p.order.get(k);
        p.jdbc.setObject(k + 1, client < portal.params.length ? portal.params[client] : null);
      }
      portal.rows = runJdbc(p.jdbc, null, p.sql);
      portal.columns = PgColumn.of(portal.rows.getMetaData());
    } catch (SQLException e) {
      throw sqlError(e);
    }
  }

  // ---------------------------------------------------------------- simple query

  private void simpleQuery(String text) {
    List<String> parts = PgSql.split(text);
    if (parts.isEmpty()) {
      ctx.write(PgOut.simple(ctx.alloc(), 'I'));
    }
    for (String sql : parts) {
      try {
        run(sql.strip(), true);
      } catch (PgError e) {
        error(e.state, e.getMessage());
        if (tx == 'T') {
          tx = 'E';
        }
        break;
      }
    }
    ctx.writeAndFlush(PgOut.ready(ctx.alloc(), tx));
  }

  /** Runs one statement; in the simple protocol (describe = true) a RowDescription precedes rows. */
  private void run(String sql, boolean describe) throws PgError {
    PgSql.Kind kind = PgSql.kind(sql);
    String word = PgSql.firstWord(sql);
    if (tx == 'E' && !(word.equals("ROLLBACK") || word.equals("ABORT") || word.equals("COMMIT") || word.equals("END"))) {
      throw new PgError("25P02", "current transaction is aborted, commands ignored until end of transaction block");
    }
    switch (kind) {
      case EMPTY -> ctx.write(PgOut.simple(ctx.alloc(), 'I'));
      case WRITE -> throw readOnly(sql);
      case SESSION -> session(PgSql.stripLeadingComments(sql), word, describe);
      case CURSOR -> cursor(PgSql.stripLeadingComments(sql), word);
      case COPY -> copy(PgSql.stripLeadingComments(sql));
      case CATALOG -> {
        Matcher cancel = CANCEL_BACKEND.matcher(PgSql.stripLeadingComments(sql));
        if (cancel.matches()) { // Superset's SQL Lab stops a query with pg_cancel_backend(<pid of its session>)
          boolean done = server.cancelBackend(Integer.parseInt(cancel.group(1)));
          if (describe) {
            ctx.write(PgOut.rowDescription(ctx.alloc(), List.of(new PgColumn("pg_cancel_backend", PgType.BOOL, -1)),
                null));
          }
          ctx.write(textRow(done ? "t" : "f"));
          ctx.write(PgOut.complete(ctx.alloc(), "SELECT 1"));
        } else {
          query(kind, sql, describe);
        }
      }
      default -> query(kind, sql, describe);
    }
  }

  private void query(PgSql.Kind kind, String sql, boolean describe) throws PgError {
    PgPortal tmp = new PgPortal(null, new Object[0], null);
    try {
      tmp.owned = connection(kind).createStatement();
      tmp.rows = runJdbc(tmp.owned, forConnection(kind, sql), sql);
      tmp.columns = PgColumn.of(tmp.rows.getMetaData());
      if (describe) {
        ctx.write(PgOut.rowDescription(ctx.alloc(), tmp.columns, null));
      }
      sendRows(tmp, 0, null, "SELECT ");
    } catch (SQLException e) {
      throw sqlError(e);
    } finally {
      tmp.close();
    }
  }

  /** {@code text}: the client's SQL (for a prepared statement, whose {@code sql} is null). */
  private ResultSet runJdbc(Statement st, String sql, String text) throws SQLException {
    int timeout = statementTimeoutSeconds();
    if (timeout > 0) {
      st.setQueryTimeout(timeout);
    }
    cancelled = false;
    queryStart = Instant.now();
    statementCount++;
    running = st;
    try {
      if (st.getConnection() == shadow && PgSql.readsSessions(text)) {
        server.publishSessions(shadow);
      }
      return sql == null ? ((PreparedStatement) st).executeQuery() : st.executeQuery(sql);
    } finally {
      running = null;
    }
  }

  private int statementTimeoutSeconds() {
    int server = this.server.options().statementTimeoutSeconds();
    String s = settings.get("statement_timeout");
    int session = 0;
    if (s != null) {
      Matcher m = Pattern.compile("(?i)^'?(\\d+)\\s*(ms|s|min)?'?$").matcher(s.strip());
      if (m.matches()) {
        long v = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2).toLowerCase(Locale.ROOT);
        session = (int) Math.ceil(unit.equals("ms") ? v / 1000.0 : unit.equals("s") ? v : v * 60.0);
      }
    }
    if (server == 0) {
      return session;
    }
    return session == 0 ? server : Math.min(server, session);
  }

  /** Streams rows (max = 0: all); PortalSuspended when the limit stops it, else CommandComplete. */
  private void sendRows(PgPortal portal, int max, short[] formats, String tagPrefix) throws PgError {
    List<PgColumn> cols = portal.columns;
    int n = 0;
    try {
      running = portal.rows.getStatement();
      while ((max <= 0 || n < max) && portal.rows.next()) {
        PgOut row = PgOut.of(ctx.alloc(), 'D').i16(cols.size());
        for (int i = 0; i < cols.size(); i++) {
          PgType t = cols.get(i).type();
          if (PgPortal.format(formats, i) == 1) {
            row.value(PgValues.binary(portal.rows, i + 1, t));
          } else {
            String v = PgValues.text(portal.rows, i + 1, t);
            row.value(v == null ? null : v.getBytes(StandardCharsets.UTF_8));
          }
        }
        write(row.done());
        n++;
      }
    } catch (SQLException e) {
      portal.close();
      throw sqlError(e);
    } finally {
      running = null;
    }
    portal.sent += n;
    if (max > 0 && n == max) {
      ctx.write(PgOut.simple(ctx.alloc(), 's'));
    } else {
      portal.done = true;
      portal.close();
      ctx.write(PgOut.complete(ctx.alloc(), tagPrefix + portal.sent));
    }
  }

  /** Writes, and waits for the socket while the client reads slower than rows come (no unbounded buffering). */
  private void write(ByteBuf buf) {
    if (ctx.channel().isWritable()) {
      ctx.write(buf);
    } else {
      // the channel's promise belongs to the event loop, so this thread may wait on it (ctx's is our own
      // executor: waiting there is a deadlock Netty refuses); both writes queue on the event loop in order
      ctx.channel().writeAndFlush(buf).awaitUninterruptibly();
    }
  }

  // ---------------------------------------------------------------- session statements

  private static final Map<String, String> DEFAULTS = Map.ofEntries(
      Map.entry("server_version", "16.0 (crmkpi)"), Map.entry("server_version_num", "160000"),
      Map.entry("server_encoding", "UTF8"), Map.entry("standard_conforming_strings", "on"),
      Map.entry("integer_datetimes", "on"), Map.entry("transaction_isolation", "read committed"),
      Map.entry("transaction isolation level", "read committed"), Map.entry("default_transaction_isolation",
          "read committed"), Map.entry("transaction_read_only", "on"), Map.entry("default_transaction_read_only", "on"),
      Map.entry("search_path", "crm, kpi, util"), Map.entry("max_identifier_length", "63"),
      Map.entry("lc_collate", "C"), Map.entry("lc_ctype", "C"), Map.entry("statement_timeout", "0"),
      Map.entry("extra_float_digits", "1"), Map.entry("intervalstyle", "postgres"), Map.entry("is_superuser", "off"),
      Map.entry("max_connections", "64"), Map.entry("bytea_output", "hex"));

  private String setting(String name) {
    for (Map.Entry<String, String> e : settings.entrySet()) {
      if (e.getKey().equalsIgnoreCase(name)) {
        return e.getValue();
      }
    }
    String d = DEFAULTS.get(name.toLowerCase(Locale.ROOT));
    if (name.equalsIgnoreCase("max_connections")) {
      return Integer.toString(server.options().maxConnections());
    }
    return d;
  }

  private void session(String sql, String word, boolean describe) throws PgError {
    String body = sql.replaceAll(";\\s*$", "").strip();
    switch (word) {
      case "SET" -> {
        Matcher m = SET.matcher(body);
        if (m.matches()) {
          String name = m.group(1) != null ? "TimeZone" : m.group(3);
          String value = unquote((m.group(1) != null ? m.group(2) : m.group(4)).strip());
          if (name.equalsIgnoreCase("client_encoding") && !value.replace("-", "").equalsIgnoreCase("UTF8")
              && !value.equalsIgnoreCase("UNICODE")) {
            throw new PgError("22023", "client_encoding " + value + " is not supported: crmkpi serve speaks UTF8");
          }
          if (name.equalsIgnoreCase("timezone")) {
            name = "TimeZone";
          }
          if (name.equalsIgnoreCase("datestyle")) {
            name = "DateStyle";
            value = "ISO, MDY"; // text dates are always ISO
          }
          settings.put(name, value);
          if (List.of("application_name", "TimeZone", "DateStyle", "client_encoding").contains(name)) {
            ctx.write(PgOut.parameterStatus(ctx.alloc(), name, value));
          }
        }
        ctx.write(PgOut.complete(ctx.alloc(), "SET"));
      }
      case "RESET" -> {
        String name = body.substring(5).strip();
        if (name.equalsIgnoreCase("ALL")) {
          settings.keySet().removeIf(k -> !List.of("application_name", "client_encoding", "DateStyle", "TimeZone").contains(k));
        } else {
          settings.keySet().removeIf(k -> k.equalsIgnoreCase(name));
        }
        ctx.write(PgOut.complete(ctx.alloc(), "RESET"));
      }
      case "SHOW" -> {
        String name = body.substring(4).strip().replaceAll("\\s+", " ");
        if (name.equalsIgnoreCase("ALL")) {
          List<PgColumn> cols = localColumns(body);
          if (describe) {
            ctx.write(PgOut.rowDescription(ctx.alloc(), cols, null));
          }
          Map<String, String> all = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
          DEFAULTS.forEach((k, v) -> all.put(k, setting(k)));
          settings.forEach(all::put);
          for (Map.Entry<String, String> e : all.entrySet()) {
            ctx.write(textRow(e.getKey(), e.getValue(), ""));
          }
          ctx.write(PgOut.complete(ctx.alloc(), "SHOW"));
          return;
        }
        String v = setting(name);
        if (v == null) {
          throw new PgError("42704", "unrecognized configuration parameter \"" + name + "\"");
        }
        if (describe) {
          ctx.write(PgOut.rowDescription(ctx.alloc(), localColumns(body), null));
        }
        ctx.write(textRow(v));
        ctx.write(PgOut.complete(ctx.alloc(), "SHOW"));
      }
      case "BEGIN", "START" -> {
        if (tx == 'T') {
          ctx.write(PgOut.error(ctx.alloc(), 'N', "WARNING", "25001", "there is already a transaction in progress"));
        }
        tx = 'T';
        ctx.write(PgOut.complete(ctx.alloc(), word.equals("BEGIN") ? "BEGIN" : "START TRANSACTION"));
      }
      case "COMMIT", "END" -> {
        String tag = tx == 'E' ? "ROLLBACK" : "COMMIT";
        endTransaction();
        ctx.write(PgOut.complete(ctx.alloc(), tag));
      }
      case "ROLLBACK", "ABORT" -> {
        if (body.toUpperCase(Locale.ROOT).contains(" TO ")) {
          ctx.write(PgOut.complete(ctx.alloc(), "ROLLBACK"));
          return;
        }
        endTransaction();
        ctx.write(PgOut.complete(ctx.alloc(), "ROLLBACK"));
      }
      case "SAVEPOINT" -> ctx.write(PgOut.complete(ctx.alloc(), "SAVEPOINT"));
      case "RELEASE" -> ctx.write(PgOut.complete(ctx.alloc(), "RELEASE"));
      case "DISCARD" -> {
        cursors.values().forEach(PgPortal::close);
        cursors.clear();
        if (body.toUpperCase(Locale.ROOT).endsWith("ALL")) {
          settings.keySet().removeIf(k -> !List.of("application_name", "client_encoding", "DateStyle", "TimeZone").contains(k));
          statements.entrySet().removeIf(e -> {
            e.getValue().close();
            return !e.getKey().isEmpty();
          });
          ctx.write(PgOut.complete(ctx.alloc(), "DISCARD ALL"));
        } else {
          ctx.write(PgOut.complete(ctx.alloc(), "DISCARD " + body.substring(7).strip().toUpperCase(Locale.ROOT)));
        }
      }
      case "DEALLOCATE" -> {
        String name = body.replaceFirst("(?i)^DEALLOCATE\\s+(PREPARE\\s+)?", "").strip();
        if (name.equalsIgnoreCase("ALL")) {
          statements.values().forEach(PgPortal.Prepared::close);
          statements.clear();
        } else {
          PgPortal.Prepared p = statements.remove(unquote(name));
          if (p == null) {
            throw new PgError("26000", "prepared statement \"" + unquote(name) + "\" does not exist");
          }
          p.close();
        }
        ctx.write(PgOut.complete(ctx.alloc(), "DEALLOCATE" + (name.equalsIgnoreCase("ALL") ? " ALL" : "")));
      }
      case "LISTEN", "UNLISTEN" -> ctx.write(PgOut.complete(ctx.alloc(), word));
      default -> throw new PgError("0A000", word + " is not supported by crmkpi serve; use the extended protocol "
          + "to prepare statements");
    }
  }

  private void endTransaction() {
    tx = 'I';
    cursors.values().forEach(PgPortal::close);
    cursors.clear();
  }

  /** The columns a session statement returns (SHOW), for Describe; null = no rows. */
  private List<PgColumn> localColumns(String sql) {
    String s = PgSql.stripLeadingComments(sql).replaceAll(";\\s*$", "").strip();
    if (!PgSql.firstWord(s).equals("SHOW")) {
      return null;
    }
    String name = s.substring(4).strip().replaceAll("\\s+", " ");
    if (name.equalsIgnoreCase("ALL")) {
      return List.of(new PgColumn("name", PgType.TEXT, -1), new PgColumn("setting", PgType.TEXT, -1),
          new PgColumn("description", PgType.TEXT, -1));
    }
    return List.of(new PgColumn(name.toLowerCase(Locale.ROOT).replace(' ', '_'), PgType.TEXT, -1));
  }

  private ByteBuf textRow(String... values) {
    PgOut row = PgOut.of(ctx.alloc(), 'D').i16(values.length);
    for (String v : values) {
      row.value(v == null ? null : v.getBytes(StandardCharsets.UTF_8));
    }
    return row.done();
  }

  // ---------------------------------------------------------------- cursors (psycopg2's named cursors) and COPY

  private void cursor(String sql, String word) throws PgError {
    String body = sql.replaceAll(";\\s*$", "").strip();
    if (word.equals("DECLARE")) {
      Matcher m = DECLARE.matcher(body);
      if (!m.matches()) {
        throw new PgError("42601", "syntax error in DECLARE: expected DECLARE <name> CURSOR FOR <query>");
      }
      String query = m.group(2);
      PgSql.Kind kind = PgSql.kind(query);
      if (kind != PgSql.Kind.QUERY && kind != PgSql.Kind.CATALOG) {
        throw new PgError("42601", "DECLARE CURSOR needs a SELECT query");
      }
      try {
        PgPortal c = new PgPortal(null, new Object[0], null);
        c.owned = connection(kind).createStatement();
        try {
          c.rows = runJdbc(c.owned, forConnection(kind, query), query);
        } catch (SQLException e) {
          c.close();
          throw e;
        }
        c.columns = PgColumn.of(c.rows.getMetaData());
        PgPortal old = cursors.put(unquote(m.group(1)), c);
        if (old != null) {
          old.close();
        }
      } catch (SQLException e) {
        throw sqlError(e);
      }
      ctx.write(PgOut.complete(ctx.alloc(), "DECLARE CURSOR"));
    } else if (word.equals("CLOSE")) {
      String name = unquote(body.substring(5).strip());
      if (name.equalsIgnoreCase("ALL")) {
        cursors.values().forEach(PgPortal::close);
        cursors.clear();
      } else {
        PgPortal c = cursors.remove(name);
        if (c == null) {
          throw new PgError("34000", "cursor \"" + name + "\" does not exist");
        }
        c.close();
      }
      ctx.write(PgOut.complete(ctx.alloc(), "CLOSE CURSOR"));
    } else {
      Matcher m = FETCH.matcher(body);
      if (!m.matches()) {
        throw new PgError("42601", "syntax error in " + word + ": expected " + word + " [FORWARD] <n|ALL> FROM <cursor>");
      }
      String name = unquote(m.group(4));
      PgPortal c = cursors.get(name);
      if (c == null) {
        throw new PgError("34000", "cursor \"" + name + "\" does not exist");
      }
      int count = m.group(3) == null ? 1 : m.group(3).equalsIgnoreCase("ALL") ? 0 : Integer.parseInt(m.group(3));
      if (word.equals("FETCH")) {
        ctx.write(PgOut.rowDescription(ctx.alloc(), c.columns, null));
      }
      long before = c.sent;
      if (c.done) {
        ctx.write(PgOut.complete(ctx.alloc(), word + " 0"));
        return;
      }
      if (word.equals("MOVE")) {
        int n = 0;
        try {
          while ((count == 0 || n < count) && c.rows.next()) {
            n++;
          }
        } catch (SQLException e) {
          throw sqlError(e);
        }
        c.sent += n;
        ctx.write(PgOut.complete(ctx.alloc(), "MOVE " + n));
        return;
      }
      // sendRows ends with PortalSuspended or SELECT n; a FETCH reports its own count instead
      List<PgColumn> cols = c.columns;
      int n = 0;
      try {
        while ((count == 0 || n < count) && c.rows.next()) {
          PgOut row = PgOut.of(ctx.alloc(), 'D').i16(cols.size());
          for (int i = 0; i < cols.size(); i++) {
            String v = PgValues.text(c.rows, i + 1, cols.get(i).type());
            row.value(v == null ? null : v.getBytes(StandardCharsets.UTF_8));
          }
          write(row.done());
          n++;
        }
      } catch (SQLException e) {
        throw sqlError(e);
      }
      c.sent = before + n;
      if (count == 0 || n < count) {
        c.done = true;
      }
      ctx.write(PgOut.complete(ctx.alloc(), "FETCH " + n));
    }
  }

  /** {@code COPY (query) TO STDOUT [WITH (FORMAT csv, HEADER)]}: what psql's {@code \copy … to} sends. */
  private void copy(String sql) throws PgError {
    Matcher m = COPY.matcher(sql.replaceAll(";\\s*$", "").strip());
    if (!m.matches()) {
      throw new PgError("25006", "crmkpi serve is read-only: only COPY (<query>) TO STDOUT and COPY <table> TO STDOUT "
          + "are supported");
    }
    String query = m.group(2) != null ? m.group(2) : "SELECT * FROM " + m.group(1);
    String opts = m.group(3).toUpperCase(Locale.ROOT);
    boolean csv = opts.contains("CSV");
    boolean header = opts.matches("(?s).*\\bHEADER\\b(?!\\s+(FALSE|OFF|0)).*");
    char delim = csv ? ',' : '\t';
    Matcher d = Pattern.compile("(?i)DELIMITER\\s+(?:AS\\s+)?'(.)'").matcher(m.group(3));
    if (d.find()) {
      delim = d.group(1).charAt(0);
    }
    PgSql.Kind kind = PgSql.kind(query);
    try (Statement st = connection(kind == PgSql.Kind.CATALOG ? kind : PgSql.Kind.QUERY).createStatement()) {
      ResultSet rs = runJdbc(st, forConnection(kind, query), query);
      List<PgColumn> cols = PgColumn.of(rs.getMetaData());
      PgOut start = PgOut.of(ctx.alloc(), 'H').i8(0).i16(cols.size());
      for (int i = 0; i < cols.size(); i++) {
        start.i16(0);
      }
      ctx.write(start.done());
      if (header && csv) {
        List<String> names = cols.stream().map(PgColumn::name).toList();
        copyLine(names.toArray(new String[0]), true, delim);
      }
      long n = 0;
      running = st;
      while (rs.next()) {
        String[] vals = new String[cols.size()];
        for (int i = 0; i < cols.size(); i++) {
          vals[i] = PgValues.text(rs, i + 1, cols.get(i).type());
        }
        copyLine(vals, csv, delim);
        n++;
      }
      running = null;
      ctx.write(PgOut.simple(ctx.alloc(), 'c'));
      ctx.write(PgOut.complete(ctx.alloc(), "COPY " + n));
    } catch (SQLException e) {
      running = null;
      throw sqlError(e);
    }
  }

  private void copyLine(String[] vals, boolean csv, char delim) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < vals.length; i++) {
      if (i > 0) {
        b.append(delim);
      }
      String v = vals[i];
      if (v == null) {
        b.append(csv ? "" : "\\N");
      } else if (csv) {
        boolean quote = v.isEmpty() || v.indexOf(delim) >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0
            || v.indexOf('\r') >= 0;
        b.append(quote ? '"' + v.replace("\"", "\"\"") + '"' : v);
      } else {
        b.append(v.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r"));
      }
    }
    b.append('\n');
    write(PgOut.of(ctx.alloc(), 'd').bytes(b.toString().getBytes(StandardCharsets.UTF_8)).done());
  }

  // ---------------------------------------------------------------- helpers

  /** Catalog SQL in DuckDB's dialect; user SQL with PostgreSQL's {@code ::} casts as CAST for crmkpi. */
  private String forConnection(PgSql.Kind kind, String sql) {
    return kind == PgSql.Kind.CATALOG ? PgCatalog.rewrite(sql, user)
        .replaceAll("(?i)\\bpg_backend_pid\\s*\\(\\s*\\)", Integer.toString(pid))
        : PgSql.casts(sql).replaceAll("(?i)\\b(current_user|session_user)\\b(?!\\s*\\()", PgCatalog.lit(user));
  }

  /**
   * The shadow for catalog SQL; else the session's jdbc:crmkpi: connection, opened at the first user query (it
   * holds one of the store's pooled connections while open, so catalog-only sessions of BI tools take none).
   */
  private Connection connection(PgSql.Kind kind) throws SQLException {
    if (kind == PgSql.Kind.CATALOG) {
      return shadow;
    }
    if (crmkpi == null) {
      try {
        crmkpi = DriverManager.getConnection(server.options().url());
      } catch (SQLException e) {
        throw new SQLException("cannot open " + server.options().url().replaceAll(
            "(?i)(password|token|secret|key)=[^;&]*", "$1=***") + ": " + firstLine(e), "08006", e);
      }
    }
    return crmkpi;
  }

  /** This session as a row of util.sessions (pid, user, application, address, port, start, state, query start, count). */
  Object[] sessionRow() {
    char t = tx;
    String state = running != null ? "active" : t == 'T' ? "idle in transaction"
        : t == 'E' ? "idle in transaction (aborted)" : "idle";
    return new Object[] {pid, user, appName, clientAddr, clientPort, started, state, queryStart, statementCount};
  }

  private PgPortal.Prepared statement(String name) throws PgError {
    PgPortal.Prepared p = statements.get(name);
    if (p == null) {
      throw new PgError("26000", "prepared statement \"" + name + "\" does not exist");
    }
    return p;
  }

  private PgPortal portal(String name) throws PgError {
    PgPortal p = portals.get(name);
    if (p == null) {
      throw new PgError("34000", "portal \"" + name + "\" does not exist");
    }
    return p;
  }

  private PgError sqlError(SQLException e) {
    if (cancelled) {
      cancelled = false;
      return new PgError("57014", "canceling statement due to user request");
    }
    if (e instanceof SQLTimeoutException) {
      return new PgError("57014", "canceling statement due to statement timeout (" + statementTimeoutSeconds() + " s)");
    }
    String state = e.getSQLState();
    if (state == null || !state.matches("[0-9A-Z]{5}") || state.startsWith("HY") || state.startsWith("S1")) {
      state = "XX000";
    }
    return new PgError(state, firstLine(e));
  }

  private static String firstLine(SQLException e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  private static PgError readOnly(String sql) {
    return new PgError("25006", "cannot execute " + PgSql.firstWord(sql) + ": crmkpi serve is read-only");
  }

  private void error(String state, String message) {
    ctx.write(PgOut.error(ctx.alloc(), 'E', "ERROR", state, message));
  }

  private void fatal(String state, String message) {
    server.log("pgwire: session " + pid + " (" + remote + ") closed: " + message);
    ctx.writeAndFlush(PgOut.error(ctx.alloc(), 'E', "FATAL", state, message)).addListener(ChannelFutureListener.CLOSE);
  }

  private static short[] shorts(ByteBuffer b) {
    short[] s = new short[b.getShort()];
    for (int i = 0; i < s.length; i++) {
      s[i] = b.getShort();
    }
    return s;
  }

  private static String cstr(ByteBuffer b) {
    int start = b.position();
    int end = start;
    while (end < b.limit() && b.get(end) != 0) {
      end++;
    }
    if (end >= b.limit()) {
      throw new IllegalArgumentException("unterminated string");
    }
    b.position(end + 1);
    return new String(b.array(), start, end - start, StandardCharsets.UTF_8);
  }

  private static String unquote(String s) {
    if (s.length() >= 2 && (s.startsWith("'") && s.endsWith("'"))) {
      return s.substring(1, s.length() - 1).replace("''", "'");
    }
    if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
      return s.substring(1, s.length() - 1).replace("\"\"", "\"");
    }
    return s;
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        // the session is gone either way
      }
    }
  }
}
