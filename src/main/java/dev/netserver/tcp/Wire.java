package dev.netserver.tcp;

import java.net.SocketAddress;

/**
 * One connection's engine side, as the engine-neutral protocol code ({@link TcpConnection} and its
 * protocols) sees it: the bytes the engine read (of type {@code B}: Netty's {@code ByteBuf} on the direct
 * engine, Vert.x's {@code Buffer} on the vertx engine), how to make and send bytes, and reading on and off.
 * Each engine implements it once, in a thin adapter ({@link ChannelAdapter}, {@link NetSocketAdapter});
 * no protocol rule lives in an adapter.
 */
interface Wire<B> {

  /** The number of readable bytes. */
  int length(B data);

  /** The offset of the first {@code value} in the readable bytes, or -1. */
  int indexOf(B data, byte value);

  /** Copies the first {@code length} readable bytes to {@code to} at {@code at}. */
  void copy(B data, byte[] to, int at, int length);

  /** Gives back a buffer the protocol got and does not pass on (a no-op where buffers are not pooled). */
  void release(B data);

  /** An empty buffer to write into, of at least {@code capacity} bytes. */
  B buffer(int capacity);

  void append(B out, byte[] bytes);

  /** Appends a string known to be ASCII (an address, a number), one byte per character, without encoding it. */
  void appendAscii(B out, String ascii);

  /** Queues bytes for the client; they leave at the next flush (or when the engine flushes by itself). */
  void write(B data);

  void flush();

  /** Sends {@code data} with everything queued before it, then closes. */
  void writeAndClose(B data);

  /** Sends everything queued, then closes. */
  void closeAfterWrites();

  void close();

  boolean isOpen();

  /** Whether the bytes queued for the client have passed the high water mark (64 KiB). */
  boolean writeQueueFull();

  void pauseReading();

  void resumeReading();

  SocketAddress remoteAddress();

  /** The TLS server name (SNI) the client asked for, or null (no TLS, no name). */
  default String serverName() {
    return null;
  }
}
