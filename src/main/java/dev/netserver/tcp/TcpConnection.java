package dev.netserver.tcp;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every TCP connection does whatever its protocol and its engine: counting, half-close, idle time,
 * errors and the server's shutdown. The protocol subclasses see only data, end of input and shutdown; the
 * engine is behind a {@link Wire}, whose adapter calls the lifecycle methods here ({@link #opened},
 * {@link #read}, {@link #readComplete}, {@link #inputShutdown}, {@link #writable}, {@link #failed},
 * {@link #closed}) on the connection's event loop.
 *
 * <p>Idle time is the time since the last byte read or written, checked by the listener instance's
 * periodic sweep rather than a timer per connection (Netty's IdleStateHandler, which Vert.x's
 * {@code idleTimeout} installs, schedules and cancels one per connection: measured, that alone cost a
 * quarter of the greeting rate).
 *
 * @param <B> the engine's buffer type
 */
abstract class TcpConnection<B> {

  private static final Logger LOG = LoggerFactory.getLogger(TcpConnection.class);

  protected final TcpStats stats;
  private final String listener;
  private final TcpServerVerticle owner;
  protected Wire<B> wire;
  /** {@link System#nanoTime()} of the last byte read or written. */
  private long lastActivity;
  /** Whether this connection has counted its error. */
  private boolean failed;
  /** The slot the listener's guard gave this connection, given back when it closes. */
  private ConnectionGuard.Admission admission;
  /** Whether this connection writes an access line ({@link AccessLog}), asked once when it opens. */
  private boolean accessLogged;
  /** {@link System#nanoTime()} when it opened. */
  private long openedAt;
  /** This connection's bytes, for its access line. */
  private long bytesIn;
  private long bytesOut;
  /** How it ended, for its access line: the first {@link AccessLog} outcome it got; null = none yet. */
  private String outcome;
  /** The guard that gave the slot: after a reload changed the limits, the listener's guard is a new one. */
  private ConnectionGuard guard;

  TcpConnection(TcpServerVerticle owner, TcpStats stats, String listener) {
    this.owner = owner;
    this.stats = stats;
    this.listener = listener;
  }

  /** The connection is up: say hello, if the protocol does. */
  protected abstract void onOpen();

  /** Bytes from the client; the protocol owns {@code data} and must release or pass it on. */
  protected abstract void onData(B data);

  /** The engine has delivered everything one wake-up read: the moment to flush what it answered. */
  protected void onReadComplete() {
  }

  /** The client shut down its sending side; it may still read. */
  protected abstract void onEndOfInput();

  /** The server is stopping; the connection may finish within the grace period, then it is closed. */
  protected abstract void onServerShutdown();

  /** The connection is closed and counted: whatever the protocol still holds can go. */
  protected void onClosed() {
  }

  /** The bytes queued for the client fell below the low water mark again. */
  protected void onWritable() {
  }

  /**
   * Whether the protocol's own deadline has passed at {@code now} ({@link System#nanoTime()}): asked by the
   * listener instance's periodic sweep, so a deadline costs no timer per connection.
   */
  protected boolean deadlinePassed(long now) {
    return false;
  }

  /** The protocol's deadline passed: it tells the client, if it does, and closes. */
  protected void onDeadline() {
  }

  /** Counts and logs (rate limited) that the protocol cut this client off for {@code reason}. */
  protected final void refused(Refusal reason) {
    ended(AccessLog.outcome(reason));
    owner.refused(reason, wire.remoteAddress());
  }

  /**
   * Records how the connection ends, for its access line: the first outcome stands (an answer stays
   * {@code answered} if the client then resets the connection before the answer is out).
   */
  protected final void ended(String accessOutcome) {
    if (outcome == null) {
      outcome = accessOutcome;
    }
  }

  /** {@link System#nanoTime()} of the last byte read or written (or of the open). */
  protected final long lastActivity() {
    return lastActivity;
  }

  /** Queues bytes for the client, counting them; {@link #flush()} or the end of the read sends them. */
  protected final void write(B data) {
    written(wire.length(data));
    wire.write(data);
  }

  protected final void flush() {
    wire.flush();
  }

  /** Sends the last bytes (with anything still queued), then closes once they are out. */
  protected final void writeAndClose(B data) {
    written(wire.length(data));
    wire.writeAndClose(data);
  }

  /** Counts bytes going to the client as sent, and as activity. */
  final void written(long bytes) {
    stats.bytesOut += bytes;
    bytesOut += bytes;
    lastActivity = System.nanoTime();
  }

  /** Sends what is still queued, then closes. */
  protected final void end() {
    wire.closeAfterWrites();
  }

  protected final void close() {
    wire.close();
  }

  final void opened(Wire<B> connection) {
    this.wire = connection;
    lastActivity = System.nanoTime();
    openedAt = lastActivity;
    accessLogged = AccessLog.enabled();
    stats.connectionsAccepted++;
    stats.connectionsActive++;
    owner.opened(this);
    if (LOG.isDebugEnabled()) {
      LOG.debug("{}: got connection from {}", listener, client());
    }
    try {
      onOpen();
    } catch (Throwable t) {
      failed(t);
    }
  }

  final void read(B data) {
    int length = wire.length(data);
    stats.bytesIn += length;
    bytesIn += length;
    lastActivity = System.nanoTime();
    if (LOG.isTraceEnabled()) {
      LOG.trace("{}: got {} bytes from {}", listener, length, client());
    }
    try {
      onData(data);
    } catch (Throwable t) {
      failed(t);
    }
  }

  final void readComplete() {
    onReadComplete();
  }

  final void inputShutdown() {
    onEndOfInput();
  }

  final void writable() {
    onWritable();
  }

  /** The slot this connection holds, and the guard it came from; set before it opens. */
  final void admitted(ConnectionGuard guard, ConnectionGuard.Admission slot) {
    this.guard = guard;
    this.admission = slot;
  }

  final void closed() {
    stats.connectionsActive--;
    stats.connectionsClosed++;
    owner.closed(this, guard, admission);
    admission = null;
    if (LOG.isDebugEnabled()) {
      LOG.debug("{}: connection from {} closed", listener, client());
    }
    if (accessLogged) {
      AccessLog.connection(listener, wire.remoteAddress(), openedAt, bytesIn, bytesOut,
        outcome != null ? outcome : AccessLog.CLOSED, wire.serverName());
    }
    try {
      onClosed();
    } catch (Throwable t) {
      failed(t);
    }
  }

  /**
   * An exception from the protocol or the socket: the connection counts one error, however many
   * exceptions it raises (every buffer of a read burst can fail before the close takes effect), so that
   * {@code errors} counts failed connections and never exceeds them. Each exception is reported
   * ({@link dev.netserver.failure.FailureLog}: I/O errors at DEBUG, anything else at WARN or ERROR).
   */
  final void failed(Throwable cause) {
    if (!failed) {
      failed = true;
      stats.errors++;
      ended(AccessLog.outcome(cause));
    }
    owner.failures().report(cause, "connection from " + client());
    wire.close();
  }

  /** Whether nothing went either way since {@code deadline} ({@link System#nanoTime()}). */
  final boolean idleSince(long deadline) {
    return lastActivity - deadline <= 0;
  }

  /** Closes the connection, counted as timed out. */
  final void timeOut() {
    if (wire.isOpen()) {
      stats.timedOut++;
      ended(AccessLog.TIMEOUT);
      if (LOG.isDebugEnabled()) {
        LOG.debug("{}: connection from {} timed out", listener, client());
      }
      wire.close();
    }
  }

  /** Closes the connection as the protocol's deadline says ({@link #onDeadline}). */
  final void deadline() {
    if (wire.isOpen()) {
      try {
        onDeadline();
      } catch (Throwable t) {
        failed(t);
      }
    }
  }

  /** Called by the listener instance when it stops, on this connection's event loop. */
  final void serverShutdown() {
    onServerShutdown();
  }

  final Wire<B> wire() {
    return wire;
  }

  /** {@code 127.0.0.1:5000}, {@code [::1]:5000}. */
  protected final String client() {
    return GreetingProtocol.clientText(wire.remoteAddress());
  }
}
