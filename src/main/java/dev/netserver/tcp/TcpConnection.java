package dev.netserver.tcp;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every TCP connection does whatever its protocol: counting, half-close and idle detection,
 * error handling. The protocol subclasses see only data, end of input and server shutdown.
 *
 * <p>It is also a small Netty handler, placed just before Vert.x's own in the connection's pipeline,
 * because Vert.x reports neither a half-close (the client shut down its sending side: Netty's
 * {@link ChannelInputShutdownEvent}, which needs {@code ALLOW_HALF_CLOSURE}) nor an idle timeout
 * (it closes the connection silently). Both events are passed on unchanged.
 */
abstract class TcpConnection extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(TcpConnection.class);

  protected final NetSocketInternal socket;
  protected final TcpStats stats;
  private final String listener;

  TcpConnection(NetSocketInternal socket, TcpStats stats, String listener) {
    this.socket = socket;
    this.stats = stats;
    this.listener = listener;
  }

  /** Wires the connection up and lets the protocol speak first. Called once, on the event loop. */
  final void open() {
    stats.connectionsAccepted++;
    stats.connectionsActive++;
    ChannelHandlerContext vertxHandler = socket.channelHandlerContext();
    Channel channel = vertxHandler.channel();
    channel.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    vertxHandler.pipeline().addBefore(vertxHandler.name(), "netserver-events", this);
    if (LOG.isDebugEnabled()) {
      LOG.debug("{}: got connection from {}", listener, socket.remoteAddress());
    }
    socket.handler(this::received);
    socket.closeHandler(v -> closed());
    socket.exceptionHandler(this::failed);
    socket.shutdownHandler(v -> onServerShutdown());
    onOpen();
  }

  /** The connection is up: say hello, if the protocol does. */
  protected abstract void onOpen();

  /** Bytes from the client. */
  protected abstract void onData(Buffer data);

  /** The client shut down its sending side; it may still read. */
  protected abstract void onEndOfInput();

  /** The server is stopping; the connection may finish within the grace period, then it is closed. */
  protected abstract void onServerShutdown();

  /** Writes to the client, counting the bytes. */
  protected final void write(Buffer data) {
    stats.bytesOut += data.length();
    socket.write(data);
  }

  /** Writes the last bytes, then closes once they are sent. */
  protected final void writeAndClose(Buffer data) {
    stats.bytesOut += data.length();
    socket.end(data);
  }

  private void received(Buffer data) {
    stats.bytesIn += data.length();
    if (LOG.isTraceEnabled()) {
      LOG.trace("{}: got {} bytes from {}", listener, data.length(), socket.remoteAddress());
    }
    onData(data);
  }

  private void closed() {
    stats.connectionsActive--;
    stats.connectionsClosed++;
    if (LOG.isDebugEnabled()) {
      LOG.debug("{}: connection from {} closed", listener, socket.remoteAddress());
    }
  }

  private void failed(Throwable cause) {
    stats.errors++;
    if (LOG.isDebugEnabled()) {
      LOG.debug("{}: connection from {} failed: {}", listener, socket.remoteAddress(), cause.toString());
    }
    socket.close();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof IdleStateEvent) {
      stats.timedOut++;
      if (LOG.isDebugEnabled()) {
        LOG.debug("{}: connection from {} timed out", listener, socket.remoteAddress());
      }
    } else if (event instanceof ChannelInputShutdownEvent) {
      onEndOfInput();
    }
    ctx.fireUserEventTriggered(event);
  }
}
