package dev.netserver.bench;

import java.util.concurrent.TimeUnit;

/**
 * One connection slot (greet, echo, stream) or socket (udp) of the load, confined to its event loop.
 * A slot lives for the whole run: when its connection fails it counts the error and opens another,
 * until {@link #stop()}. It then lets what is in flight finish, or time out, and reports itself
 * finished to its loop.
 */
abstract class Client {

  /** The pause before a slot reconnects after an error, so that a refusing server is not hammered in a busy loop. */
  static final long RETRY_DELAY_MILLIS = 10;

  protected final ClientLoop loop;
  protected final LoopStats stats;
  protected boolean stopping;
  private boolean finished;

  Client(ClientLoop loop) {
    this.loop = loop;
    this.stats = loop.stats();
  }

  /** Opens the connection and starts sending. */
  abstract void start();

  /** Called every {@link ClientLoop#tickMillis()} with the current {@link System#nanoTime()}: timeouts. */
  abstract void tick(long now);

  /** Sends nothing new from now on; finishes once nothing is in flight. */
  abstract void stop();

  /** The drain is over: whatever is still in flight is a timeout (udp: lost); closes and finishes. */
  abstract void abort();

  /** Reconnects after {@link #RETRY_DELAY_MILLIS}, or finishes when stopping. */
  protected final void retryLater(Runnable reconnect) {
    if (stopping) {
      finish();
    } else {
      loop.executor().schedule(reconnect, RETRY_DELAY_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  /** Done for good; counted once. */
  protected final void finish() {
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
