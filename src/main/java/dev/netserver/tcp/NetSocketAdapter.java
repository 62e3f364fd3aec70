package dev.netserver.tcp;

import io.netty.util.NetUtil;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;

/**
 * The vertx engine's adapter: a {@link NetSocket}'s handlers, through Vert.x's public API only, calling
 * the connection's lifecycle on the socket's event loop (the listener instance's context).
 *
 * <p>What Vert.x 5.0.7 cannot report: a half-close. Its NetServer never sets Netty's
 * {@code ALLOW_HALF_CLOSURE}, so a client's FIN closes the socket at once ({@code endHandler}, then
 * {@code closeHandler}); nothing can be sent after it. The connection sees that as a close, not as the end
 * of its input (docs/DESIGN.md). Flushing is Vert.x's: a write made while it delivers a read leaves at the
 * end of that read, any other at once.
 */
final class NetSocketAdapter implements Wire<Buffer> {

  private final NetSocket socket;
  private final TcpConnection<Buffer> connection;
  private final SocketAddress remote;
  private boolean open = true;

  NetSocketAdapter(NetSocket socket, SocketAddress remote, TcpConnection<Buffer> connection) {
    this.socket = socket;
    this.remote = remote;
    this.connection = connection;
  }

  /**
   * Serves {@code socket} with {@code connection}; on the socket's context.
   *
   * @param client the socket's {@link #clientAddress}
   */
  static void serve(NetSocket socket, SocketAddress client, TcpConnection<Buffer> connection) {
    NetSocketAdapter adapter = new NetSocketAdapter(socket, client, connection);
    socket.handler(connection::read);
    socket.drainHandler(v -> connection.writable());
    socket.exceptionHandler(connection::failed);
    socket.closeHandler(v -> {
      adapter.open = false;
      connection.closed();
    });
    connection.opened(adapter);
  }

  @Override
  public int length(Buffer data) {
    return data.length();
  }

  @Override
  public int indexOf(Buffer data, byte value) {
    for (int i = 0, n = data.length(); i < n; i++) {
      if (data.getByte(i) == value) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public void copy(Buffer data, byte[] to, int at, int length) {
    data.getBytes(0, length, to, at);
  }

  @Override
  public void release(Buffer data) {
    // Vert.x hands over an unpooled copy of what Netty read
  }

  @Override
  public Buffer buffer(int capacity) {
    return Buffer.buffer(capacity);
  }

  @Override
  public void append(Buffer out, byte[] bytes) {
    out.appendBytes(bytes);
  }

  @Override
  public void appendAscii(Buffer out, String ascii) {
    for (int i = 0, n = ascii.length(); i < n; i++) {
      out.appendByte((byte) ascii.charAt(i));
    }
  }

  @Override
  public void write(Buffer data) {
    socket.write(data);
  }

  @Override
  public void flush() {
    // Vert.x flushes by itself
  }

  @Override
  public void writeAndClose(Buffer data) {
    socket.end(data);
  }

  @Override
  public void closeAfterWrites() {
    socket.end();
  }

  @Override
  public void close() {
    socket.close();
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public boolean writeQueueFull() {
    return socket.writeQueueFull();
  }

  @Override
  public void pauseReading() {
    socket.pause();
  }

  @Override
  public void resumeReading() {
    socket.resume();
  }

  @Override
  public SocketAddress remoteAddress() {
    return remote;
  }

  @Override
  public String serverName() {
    return socket.isSsl() ? socket.indicatedServerName() : null;
  }

  /**
   * The client's address, the one place the vertx engine reads it: what the listener's guard judges, what
   * the welcome and the logs show. It is Vert.x's {@code remoteAddress()}, which behind the PROXY protocol is
   * the client the header names; as Java's, so that both engines print it by one rule
   * ({@link GreetingProtocol#clientText}).
   */
  static SocketAddress clientAddress(NetSocket socket) {
    return javaAddress(socket.remoteAddress());
  }

  /** A Vert.x address as Java's: an IP address and port, or (not an IP) an unresolved host and port. */
  static SocketAddress javaAddress(io.vertx.core.net.SocketAddress address) {
    try {
      return new InetSocketAddress(InetAddress.getByAddress(NetUtil.createByteArrayFromIpAddressString(address.hostAddress())),
        address.port());
    } catch (UnknownHostException | RuntimeException notAnIp) {
      return InetSocketAddress.createUnresolved(String.valueOf(address.host()), address.port());
    }
  }
}
