package dev.netserver.tcp;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/**
 * A connection served by a custom protocol ({@code "protocol": "handler:ClassName"}, vertx engine only): the
 * listener's {@code Handler<NetSocket>} gets a {@link CountedNetSocket}, through which this connection counts
 * the bytes, sees activity for the idle sweep and observes the close, as for a built-in protocol. What the
 * handler throws, from {@code handle} or from any handler it sets, is counted as the connection's error,
 * reported through the listener's FailureLog, and the connection closed ({@link TcpConnection#failed}).
 *
 * <p>At shutdown the handler is left alone for the grace period (Vert.x tells it through the socket's
 * {@code shutdownHandler}, if it set one), then whatever is still open is closed.
 */
final class HandlerConnection extends TcpConnection<Buffer> {

  private final Handler<NetSocket> protocol;
  private final CountedNetSocket socket;

  HandlerConnection(TcpServerVerticle owner, TcpStats stats, String listener, Handler<NetSocket> protocol, NetSocket socket) {
    super(owner, stats, listener);
    this.protocol = protocol;
    this.socket = new CountedNetSocket(socket, this);
  }

  @Override
  protected void onOpen() {
    protocol.handle(socket);
  }

  @Override
  protected void onData(Buffer data) {
    Handler<Buffer> handler = socket.dataHandler;
    if (handler != null) {
      handler.handle(data);
    }
  }

  @Override
  protected void onWritable() {
    Handler<Void> handler = socket.drainHandler;
    if (handler != null) {
      handler.handle(null);
    }
  }

  @Override
  protected void onClosed() {
    Handler<Void> handler = socket.closeHandler;
    if (handler != null) {
      handler.handle(null);
    }
  }

  @Override
  protected void onEndOfInput() {
    // the vertx engine reports a client's FIN as a close (NetSocketAdapter)
  }

  @Override
  protected void onServerShutdown() {
    // the grace period is the handler's; the listener closes what is left after it
  }

  /** A handler of the protocol's, guarded: what it throws is this connection's failure. */
  <T> Handler<T> guarded(Handler<T> handler) {
    return handler == null ? null : event -> {
      try {
        handler.handle(event);
      } catch (Throwable t) {
        failed(t);
      }
    };
  }
}
