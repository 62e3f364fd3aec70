package dev.netserver.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every TCP connection does whatever its protocol: counting, half-close, idle timeout, errors and
 * the server's shutdown. The protocol subclasses see only data, end of input and shutdown.
 *
 * <p>It is the connection's Netty handler, on the event loop of the listener instance that owns the
 * connection: the bytes the client sends arrive as the pooled buffers Netty read them into and are
 * answered without a copy or a String on the way (see {@link TcpServerVerticle} for why not Vert.x's
 * NetSocket). A half-close is Netty's {@link ChannelInputShutdownEvent} ({@code ALLOW_HALF_CLOSURE} is
 * set on every connection). Idle time is the time since the last byte read or written, checked by the
 * listener instance's periodic sweep rather than a timer per connection (Netty's IdleStateHandler
 * schedules and cancels one per connection: measured, that alone cost a quarter of the greeting rate).
 */
abstract class TcpConnection extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(TcpConnection.class);

  protected final TcpStats stats;
  private final String listener;
  private final TcpServerVerticle owner;
  protected ChannelHandlerContext ctx;
  /** {@link System#nanoTime()} of the last byte read or written. */
  private long lastActivity;
  /** Whether this connection has counted its error. */
  private boolean failed;

  TcpConnection(TcpServerVerticle owner, TcpStats stats, String listener) {
    this.owner = owner;
    this.stats = stats;
    this.listener = listener;
  }

  /** The connection is up: say hello, if the protocol does. */
  protected abstract void onOpen();

  /** Bytes from the client; the protocol owns {@code data} and must release or pass it on. */
  protected abstract void onData(ByteBuf data);

  /** The client shut down its sending side; it may still read. */
  protected abstract void onEndOfInput();

  /** The server is stopping; the connection may finish within the grace period, then it is closed. */
  protected abstract void onServerShutdown();

  /** Queues bytes for the client, counting them; {@link #flush()} or the end of the read sends them. */
  protected final void write(ByteBuf data) {
    stats.bytesOut += data.readableBytes();
    lastActivity = System.nanoTime();
    ctx.write(data, ctx.voidPromise());
  }

  protected final void flush() {
    ctx.flush();
  }

  /** Sends the last bytes (with anything still queued), then closes once they are out. */
  protected final void writeAndClose(ByteBuf data) {
    stats.bytesOut += data.readableBytes();
    lastActivity = System.nanoTime();
    ctx.writeAndFlush(data).addListener(ChannelFutureListener.CLOSE);
  }

  protected final void close() {
    ctx.close();
  }

  @Override
  public final void channelActive(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    lastActivity = System.nanoTime();
    stats.connectionsAccepted++;
    stats.connectionsActive++;
    owner.opened(this);
    if (LOG.isDebugEnabled()) {
      LOG.debug("{}: got connection from {}", listener, client());
    }
    onOpen();
  }

  @Override
  public final void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf data = (ByteBuf) msg;
    stats.bytesIn += data.readableBytes();
    lastActivity = System.nanoTime();
    if (LOG.isTraceEnabled()) {
      LOG.trace("{}: got {} bytes from {}", listener, data.readableBytes(), client());
    }
    onData(data);
  }

  @Override
  public final void channelInactive(ChannelHandlerContext ctx) {
    stats.connectionsActive--;
    stats.connectionsClosed++;
    owner.closed(this);
    if (LOG.isDebugEnabled()) {
      LOG.debug("{}: connection from {} closed", listener, client());
    }
  }

  /**
   * An exception from the protocol or the socket: the connection counts one error, however many
   * exceptions it raises (every buffer of a read burst can fail before the close takes effect), so that
   * {@code errors} counts failed connections and never exceeds them. Each exception is reported
   * ({@link dev.netserver.failure.FailureLog}: I/O errors at DEBUG, anything else at WARN or ERROR).
   */
  @Override
  public final void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!failed) {
      failed = true;
      stats.errors++;
    }
    owner.failures().report(cause, "connection from " + client());
    ctx.close();
  }

  @Override
  public final void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof ChannelInputShutdownEvent) {
      onEndOfInput();
    }
  }

  /** Whether nothing went either way since {@code deadline} ({@link System#nanoTime()}). */
  final boolean idleSince(long deadline) {
    return lastActivity - deadline <= 0;
  }

  /** Closes the connection, counted as timed out. */
  final void timeOut() {
    if (ctx.channel().isOpen()) {
      stats.timedOut++;
      if (LOG.isDebugEnabled()) {
        LOG.debug("{}: connection from {} timed out", listener, client());
      }
      ctx.close();
    }
  }

  /** Called by the listener instance when it stops, on this connection's event loop. */
  final void serverShutdown() {
    onServerShutdown();
  }

  final Channel channel() {
    return ctx.channel();
  }

  /** {@code 127.0.0.1:5000}, {@code [::1]:5000}. */
  protected final String client() {
    return GreetingProtocol.clientText(ctx.channel().remoteAddress());
  }
}
