package io.crmkpi.pgwire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Backend messages of protocol 3.0, written into pooled buffers (one builder per message). */
final class PgOut {

  private final ByteBuf buf;
  private final int start;

  private PgOut(ByteBufAllocator alloc, char type) {
    buf = alloc.buffer(64);
    buf.writeByte(type);
    start = buf.writerIndex();
    buf.writeInt(0); // length, patched by done()
  }

  static PgOut of(ByteBufAllocator alloc, char type) {
    return new PgOut(alloc, type);
  }

  PgOut i32(int v) {
    buf.writeInt(v);
    return this;
  }

  PgOut i16(int v) {
    buf.writeShort(v);
    return this;
  }

  PgOut i8(int v) {
    buf.writeByte(v);
    return this;
  }

  PgOut cstr(String s) {
    buf.writeCharSequence(s, StandardCharsets.UTF_8);
    buf.writeByte(0);
    return this;
  }

  PgOut bytes(byte[] b) {
    buf.writeBytes(b);
    return this;
  }

  /** A length-prefixed value (-1 = NULL), as in DataRow and Bind. */
  PgOut value(byte[] b) {
    if (b == null) {
      buf.writeInt(-1);
    } else {
      buf.writeInt(b.length);
      buf.writeBytes(b);
    }
    return this;
  }

  ByteBuf done() {
    buf.setInt(start, buf.writerIndex() - start);
    return buf;
  }

  // ---- the common messages ----

  static ByteBuf authRequest(ByteBufAllocator a, int code, byte[] data) {
    PgOut o = of(a, 'R').i32(code);
    if (data != null) {
      o.bytes(data);
    }
    return o.done();
  }

  static ByteBuf parameterStatus(ByteBufAllocator a, String name, String value) {
    return of(a, 'S').cstr(name).cstr(value).done();
  }

  static ByteBuf ready(ByteBufAllocator a, char status) {
    return of(a, 'Z').i8(status).done();
  }

  static ByteBuf complete(ByteBufAllocator a, String tag) {
    return of(a, 'C').cstr(tag).done();
  }

  static ByteBuf simple(ByteBufAllocator a, char type) {
    return of(a, type).done();
  }

  /** ErrorResponse ('E') or NoticeResponse ('N'): severity, SQLSTATE and message. */
  static ByteBuf error(ByteBufAllocator a, char type, String severity, String sqlState, String message) {
    return of(a, type).i8('S').cstr(severity).i8('V').cstr(severity).i8('C').cstr(sqlState)
        .i8('M').cstr(message == null ? "" : message).i8(0).done();
  }

  static ByteBuf rowDescription(ByteBufAllocator a, List<PgColumn> cols, short[] formats) {
    PgOut o = of(a, 'T').i16(cols.size());
    for (int i = 0; i < cols.size(); i++) {
      PgColumn c = cols.get(i);
      o.cstr(c.name()).i32(0).i16(0).i32(c.type().oid()).i16(c.type().size()).i32(c.typmod())
          .i16(PgPortal.format(formats, i));
    }
    return o.done();
  }

  static ByteBuf parameterDescription(ByteBufAllocator a, int[] oids) {
    PgOut o = of(a, 't').i16(oids.length);
    for (int oid : oids) {
      o.i32(oid);
    }
    return o.done();
  }
}
