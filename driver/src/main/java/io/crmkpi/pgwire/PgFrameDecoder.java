package io.crmkpi.pgwire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslContext;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Frames the byte stream on the event loop: the length-prefixed start-up packets (SSLRequest, GSSENCRequest,
 * CancelRequest, StartupMessage), then typed messages. Anything malformed (bad length, oversized message,
 * a protocol other than 3.0) gets one FATAL ErrorResponse and the connection closes; the server goes on.
 */
final class PgFrameDecoder extends ByteToMessageDecoder {

  static final int SSL_REQUEST = 80877103;
  static final int GSSENC_REQUEST = 80877104;
  static final int CANCEL_REQUEST = 80877102;
  static final int PROTOCOL_3 = 196608;
  private static final int MAX_STARTUP = 10_000;

  /** A typed message after start-up. */
  record Message(char type, byte[] body) {
  }

  /** The StartupMessage's parameters (user, database, application_name, …). */
  record Startup(Map<String, String> params) {
  }

  private final PgServer server;
  private final SslContext ssl;
  private boolean started;
  private boolean failed;

  PgFrameDecoder(PgServer server, SslContext ssl) {
    this.server = server;
    this.ssl = ssl;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (!started) {
      if (in.readableBytes() < 4) {
        return;
      }
      int len = in.getInt(in.readerIndex());
      if (len < 8 || len > MAX_STARTUP) {
        fail(ctx, "08P01", "invalid length of startup packet: " + len);
        return;
      }
      if (in.readableBytes() < len) {
        return;
      }
      in.skipBytes(4);
      int code = in.readInt();
      ByteBuf body = in.readSlice(len - 8);
      switch (code) {
        case SSL_REQUEST -> {
          if (ssl != null && ctx.pipeline().get("ssl") == null) {
            // 'S' leaves unencrypted, then TLS starts with the client's next bytes
            ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {'S'}));
            ctx.pipeline().addFirst("ssl", ssl.newHandler(ctx.alloc()));
          } else {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {'N'}));
          }
        }
        case GSSENC_REQUEST -> ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {'N'}));
        case CANCEL_REQUEST -> {
          if (body.readableBytes() >= 8) {
            server.cancel(body.readInt(), body.readInt());
          }
          failed = true;
          ctx.close();
        }
        case PROTOCOL_3 -> {
          started = true;
          out.add(new Startup(params(body)));
        }
        default -> fail(ctx, "0A000", "unsupported frontend protocol " + (code >>> 16) + "." + (code & 0xFFFF)
            + ": crmkpi serve speaks protocol 3.0");
      }
      return;
    }
    if (in.readableBytes() < 5) {
      return;
    }
    char type = (char) in.getUnsignedByte(in.readerIndex());
    int len = in.getInt(in.readerIndex() + 1);
    if (len < 4) {
      fail(ctx, "08P01", "invalid message length " + len + " for message type '" + printable(type) + "'");
      return;
    }
    if (len - 4 > server.options().maxMessageBytes()) {
      fail(ctx, "54000", "message of " + (len - 4L) + " bytes exceeds the limit of " + server.options().maxMessageBytes()
          + " bytes (--max-message-bytes)");
      return;
    }
    if (in.readableBytes() < len + 1) {
      return;
    }
    in.skipBytes(5);
    byte[] body = new byte[len - 4];
    in.readBytes(body);
    out.add(new Message(type, body));
  }

  private static String printable(char c) {
    return c >= 32 && c < 127 ? String.valueOf(c) : String.format("\\x%02x", (int) c);
  }

  private static Map<String, String> params(ByteBuf b) {
    Map<String, String> m = new LinkedHashMap<>();
    while (b.isReadable()) {
      String k = cstr(b);
      if (k.isEmpty() || !b.isReadable()) {
        break;
      }
      m.put(k, cstr(b));
    }
    return m;
  }

  private static String cstr(ByteBuf b) {
    int end = b.indexOf(b.readerIndex(), b.writerIndex(), (byte) 0);
    if (end < 0) {
      end = b.writerIndex();
    }
    String s = b.toString(b.readerIndex(), end - b.readerIndex(), StandardCharsets.UTF_8);
    b.readerIndex(Math.min(end + 1, b.writerIndex()));
    return s;
  }

  private void fail(ChannelHandlerContext ctx, String state, String message) {
    failed = true;
    server.log("pgwire: closing " + ctx.channel().remoteAddress() + ": " + message);
    ctx.writeAndFlush(PgOut.error(ctx.alloc(), 'E', "FATAL", state, message)).addListener(ChannelFutureListener.CLOSE);
  }
}
