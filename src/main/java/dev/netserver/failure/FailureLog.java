package dev.netserver.failure;

import org.slf4j.Logger;

import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * What a listener does with an exception from its connection or datagram handlers, whose counting stays
 * with the handler. An I/O error (a reset connection, a failed send; Netty's native
 * {@code Errors.NativeIoException} is an {@link IOException} too) is the network's doing: it is logged at
 * DEBUG only. Anything else is a bug or the JVM in trouble (an {@link OutOfMemoryError}) and must not
 * hide at DEBUG: it is logged with the listener's name, at WARN, or at ERROR for an {@link Error}, and
 * with its stack trace.
 *
 * <p>A bug on the data path fails every connection or datagram that reaches it, so the lines are rate
 * limited: per kind (exception class), one line a second at most; the next line of that kind says how
 * many were left out since the one before. The first of a kind is always logged, so an out-of-memory
 * condition is never silent. Thread-safe: the instances of a listener, on different event loops, may
 * share one.
 */
public final class FailureLog {

  private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Logger log;
  private final String listener;
  private final LongSupplier nanoClock;
  private final ConcurrentMap<Class<?>, Window> windows = new ConcurrentHashMap<>();

  /** The lines of one kind: when the last was logged, and how many were left out since. */
  private static final class Window {
    boolean logged;
    long lastLine;
    long leftOut;
  }

  /**
   * @param log       the logger the lines go to (the handler's)
   * @param listener  the listener's name, which starts every line
   * @param nanoClock {@link System#nanoTime()}, or a test's clock
   */
  public FailureLog(Logger log, String listener, LongSupplier nanoClock) {
    this.log = log;
    this.listener = listener;
    this.nanoClock = nanoClock;
  }

  public FailureLog(Logger log, String listener) {
    this(log, listener, System::nanoTime);
  }

  /** Whether {@code cause} is an I/O error: the network's doing rather than netserver's. */
  private static boolean isIoError(Throwable cause) {
    return cause instanceof IOException;
  }

  /**
   * Logs a handler's exception as the class comment says.
   *
   * @param where what failed, as the line names it: {@code connection from 127.0.0.1:40000}
   */
  public void report(Throwable cause, String where) {
    if (isIoError(cause)) {
      if (log.isDebugEnabled()) {
        log.debug("{}: {} failed: {}", listener, where, cause.toString());
      }
      return;
    }
    long leftOut;
    Window window = windows.computeIfAbsent(cause.getClass(), kind -> new Window());
    long now = nanoClock.getAsLong();
    synchronized (window) {
      if (window.logged && now - window.lastLine < WINDOW_NANOS) {
        window.leftOut++;
        return;
      }
      leftOut = window.leftOut;
      window.logged = true;
      window.lastLine = now;
      window.leftOut = 0;
    }
    String more = leftOut == 0 ? "" : " (" + leftOut + " more " + cause.getClass().getName() + " since the last such line)";
    if (cause instanceof Error) {
      log.error("{}: {} failed: {}{}", listener, where, cause, more, cause);
    } else {
      log.warn("{}: {} failed unexpectedly: {}{}", listener, where, cause, more, cause);
    }
  }
}
