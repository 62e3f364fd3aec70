package dev.netserver.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;

import java.util.concurrent.TimeUnit;

/**
 * One connection slot (greet, echo, stream) or socket (udp) of the load, confined to its event loop.
 * A slot lives for the whole run: when its connection fails it counts the error and opens another,
 * until {@link #stop()}. It then lets what is in flight finish, or time out, and reports itself
 * finished to its loop.
 *
 * <p>That lifecycle is written here, once; a mode implements only what it sends, what it checks and
 * when it has nothing in flight. Its hooks hear only from the slot's current connection: what a
 * connection the slot has already given up on still reports is dropped here. What a hook writes goes
 * out once per read burst (or at the end of {@link #onActive} and {@link #onTick}).
 */
abstract class Client {

  /** The pause before a slot reconnects after an error, so that a refusing server is not hammered in a busy loop. */
  static final long RETRY_DELAY_MILLIS = 10;

  protected final ClientLoop loop;
  protected final LoopStats stats;
  protected boolean stopping;
  private boolean finished;
  /** The connection in use or being opened; null between connections. */
  private ClientConnection current;
  /** Whether {@link #current} is up. */
  private boolean connected;
  private boolean unflushed;

  Client(ClientLoop loop) {
    this.loop = loop;
    this.stats = loop.stats();
  }

  // What a mode implements.

  /** Before each connect: a new connection's state, afresh. */
  protected void onConnecting() {
  }

  /** The connection is up and the slot is not stopping: start sending. */
  protected void onActive(ChannelHandlerContext ctx) {
  }

  /** Bytes from the server; {@code in} is released after the call. */
  protected abstract void onRead(ChannelHandlerContext ctx, ByteBuf in);

  /** The server closed the connection (or the socket closed). */
  protected abstract void onClosed();

  protected abstract void onException(Throwable cause);

  /** Every {@link ClientLoop#tickMillis()} while there is a connection, with the current {@link System#nanoTime()}. */
  protected abstract void onTick(long now);

  /** Nothing in flight, so a stopping slot may close its connection now. */
  protected abstract boolean idle();

  /** What is in flight has waited too long, or the drain is over: count it, an error or (udp) losses. */
  protected abstract void timedOut();

  // The run's timeline, from the loop.

  /** Opens the connection and starts sending. */
  final void start() {
    connect();
  }

  final void tick(long now) {
    if (current != null) {
      onTick(now);
      if (connected()) {
        flush(ctx());
      }
      closeIfDrained();
    }
  }

  /** Sends nothing new from now on; finishes once nothing is in flight. */
  final void stop() {
    stopping = true;
    if (current == null) {
      finish();
    } else {
      closeIfDrained();
    }
  }

  /** The drain is over: whatever is still in flight has timed out; closes and finishes. */
  final void abort() {
    stopping = true;
    if (current != null && !idle()) {
      timedOut();
    }
    if (current != null) {
      closeAndFinish();
    }
    finish();
  }

  // The connection's events, from ClientConnection.

  final void active(ClientConnection connection) {
    if (connection != current) {
      return;
    }
    connected = true;
    if (stopping) {
      closeIfDrained();
    } else {
      onActive(connection.ctx());
      flush(connection.ctx());
    }
  }

  final void read(ClientConnection connection, ByteBuf in) {
    if (connection == current) {
      onRead(connection.ctx(), in);
      closeIfDrained();
    }
  }

  final void readComplete(ClientConnection connection) {
    if (connection == current) {
      flush(connection.ctx());
    }
  }

  final void inactive(ClientConnection connection) {
    if (connection == current) {
      onClosed();
    }
  }

  final void failed(ClientConnection connection, Throwable cause) {
    if (connection == current) {
      onException(cause);
    }
  }

  // For the modes.

  /** Whether the slot's connection is up. */
  protected final boolean connected() {
    return current != null && connected;
  }

  /** The connection's context; only while {@link #connected()}. */
  protected final ChannelHandlerContext ctx() {
    return current.ctx();
  }

  /** Queues {@code msg}; it is flushed at the end of the read burst or of the hook. */
  protected final void write(ChannelHandlerContext ctx, Object msg) {
    ctx.write(msg, ctx.voidPromise());
    unflushed = true;
  }

  protected final void flush(ChannelHandlerContext ctx) {
    if (unflushed) {
      unflushed = false;
      ctx.flush();
    }
  }

  /** One error: drops the connection, and opens another after {@link #RETRY_DELAY_MILLIS} unless stopping. */
  protected final void fail(ErrorKind kind, String problem) {
    ClientConnection connection = current;
    current = null;
    stats.error(kind, () -> problem);
    connection.close();
    if (stopping) {
      finish();
    } else {
      loop.executor().schedule(this::connect, RETRY_DELAY_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  /** The connection did its work and closed: opens the next one, or finishes when stopping. */
  protected final void next() {
    current = null;
    connect();
  }

  private void connect() {
    if (stopping) {
      finish();
      return;
    }
    ClientConnection connection = new ClientConnection(this);
    current = connection;
    connected = false;
    onConnecting();
    loop.connect(connection).addListener((ChannelFuture f) -> {
      if (!f.isSuccess() && connection == current) {
        fail(ErrorKind.CONNECT, describe(f.cause()));
      }
    });
  }

  /** A stopping slot closes its connection as soon as that is up with nothing in flight. */
  private void closeIfDrained() {
    if (stopping && current != null && connected && idle()) {
      closeAndFinish();
    }
  }

  private void closeAndFinish() {
    ClientConnection connection = current;
    current = null;
    connection.close();
    finish();
  }

  /** Done for good; counted once. */
  private void finish() {
    if (!finished) {
      finished = true;
      loop.clientFinished();
    }
  }

  /** A failure's message without a stack trace. */
  static String describe(Throwable cause) {
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message != null ? ": " + message : "");
  }
}
