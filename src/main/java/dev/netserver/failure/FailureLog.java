package dev.netserver.failure;

import org.slf4j.Logger;

import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The rate-limited WARN lines of one listener: what it does with an exception from its connection or datagram
 * handlers ({@link #report}), and with any other event that an attacker or a fault can repeat thousands of times
 * a second ({@link #warn}: refused clients, failed accepts). Counting stays with the caller.
 *
 * <p>An I/O error (a reset connection, a failed send; Netty's native {@code Errors.NativeIoException} is an
 * {@link IOException} too) is the network's doing: it is logged at DEBUG only. Anything else is a bug or the
 * JVM in trouble (an {@link OutOfMemoryError}) and must not hide at DEBUG: it is logged with the listener's
 * name, at WARN, or at ERROR for an {@link Error}, and with its stack trace.
 *
 * <p>Every line is rate limited per kind (an exception's class, or the kind a caller of {@link #warn} names):
 * one line a second at most; the next line of that kind says how many were left out since the one before.
 * The first of a kind is always logged, so an out-of-memory condition is never silent. Thread-safe: the
 * instances of a listener, on different event loops, share one.
 */
public final class FailureLog {

  private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** What {@link #leftOut} returns for an event whose line is left out. */
  private static final long SILENT = -1;

  private final Logger log;
  private final String listener;
  private final LongSupplier nanoClock;
  private final ConcurrentMap<Object, Window> windows = new ConcurrentHashMap<>();

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
    long leftOut = leftOut(cause.getClass());
    if (leftOut == SILENT) {
      return;
    }
    String more = leftOut == 0 ? "" : " (" + leftOut + " more " + cause.getClass().getName() + " since the last such line)";
    if (cause instanceof Error) {
      log.error("{}: {} failed: {}{}", listener, where, cause, more, cause);
    } else {
      log.warn("{}: {} failed unexpectedly: {}{}", listener, where, cause, more, cause);
    }
  }

  /**
   * Logs {@code listener: message} at WARN, at most once a second per {@code kind}; the next line of a kind
   * ends with how many were left out since the one before. The message is only built for a line that is
   * logged, so a flood costs a count per event.
   *
   * @param kind    any value with equals and hashCode (an enum constant); a caller's kinds must not be
   *                exception classes, which are {@link #report}'s
   * @param message the line after the listener's name: {@code refused a connection from 10.0.0.1:40000: ...}
   */
  public void warn(Object kind, Supplier<String> message) {
    long leftOut = leftOut(kind);
    if (leftOut == SILENT) {
      return;
    }
    String more = leftOut == 0 ? "" : " (" + leftOut + " more since the last such line)";
    log.warn("{}: {}{}", listener, message.get(), more);
  }

  /** How many events of {@code kind} were left out since its last line, or {@link #SILENT} to leave this one out too. */
  private long leftOut(Object kind) {
    Window window = windows.computeIfAbsent(kind, k -> new Window());
    long now = nanoClock.getAsLong();
    synchronized (window) {
      if (window.logged && now - window.lastLine < WINDOW_NANOS) {
        window.leftOut++;
        return SILENT;
      }
      long leftOut = window.leftOut;
      window.logged = true;
      window.lastLine = now;
      window.leftOut = 0;
      return leftOut;
    }
  }
}
