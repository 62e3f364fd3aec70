package dev.netserver;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The events one logger logs during a test, at every level from DEBUG; the logger is restored on close. */
public final class LogCapture implements AutoCloseable {

  private final Logger logger;
  private final Level before;
  /** Appended to from any thread; {@link #await} waits on it. */
  private final ListAppender<ILoggingEvent> events = new ListAppender<>() {
    @Override
    protected void append(ILoggingEvent event) {
      synchronized (this) {
        super.append(event);
        notifyAll();
      }
    }
  };

  private LogCapture(Logger logger) {
    this.logger = logger;
    this.before = logger.getLevel();
    events.start();
    logger.addAppender(events);
    logger.setLevel(Level.DEBUG);
  }

  public static LogCapture of(Class<?> loggerClass) {
    return new LogCapture((Logger) LoggerFactory.getLogger(loggerClass));
  }

  public static LogCapture of(String loggerName) {
    return new LogCapture((Logger) LoggerFactory.getLogger(loggerName));
  }

  /** Every event so far, in order. */
  public List<ILoggingEvent> events() {
    synchronized (events) {
      return List.copyOf(events.list);
    }
  }

  /** The first event that matches, waiting for it up to {@link Await#TIMEOUT_SECONDS}. */
  public ILoggingEvent await(Predicate<ILoggingEvent> match) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Await.TIMEOUT_SECONDS);
    synchronized (events) {
      while (true) {
        Optional<ILoggingEvent> found = events.list.stream().filter(match).findFirst();
        if (found.isPresent()) {
          return found.get();
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no such log event within " + Await.TIMEOUT_SECONDS + " s; logged: " + events.list);
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(events, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
      }
    }
  }

  /** The events at {@code level} or above. */
  public List<ILoggingEvent> atLeast(Level level) {
    return events().stream().filter(e -> e.getLevel().isGreaterOrEqual(level)).toList();
  }

  @Override
  public void close() {
    logger.detachAppender(events);
    logger.setLevel(before);
  }
}
