package dev.netserver.tcp;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;

/**
 * RFC 862 echo with backpressure: when the client does not read and the write queue fills, reading
 * from it stops until the queue drains, so a connection never holds more than about one write queue
 * (Netty's high water mark, 64 KiB) plus one read.
 */
final class EchoHandler extends TcpConnection {

  EchoHandler(NetSocketInternal socket, TcpStats stats, String listener) {
    super(socket, stats, listener);
  }

  @Override
  protected void onOpen() {
    socket.drainHandler(v -> socket.resume());
  }

  @Override
  protected void onData(Buffer data) {
    write(data);
    if (socket.writeQueueFull()) {
      socket.pause();
    }
  }

  @Override
  protected void onEndOfInput() {
    // The client has said all it will say: send back what is still queued, then close.
    socket.end();
  }

  @Override
  protected void onServerShutdown() {
    socket.end();
  }
}
