package dev.netserver;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.List;

/** The events one logger logs during a test, at every level from DEBUG; the logger is restored on close. */
public final class LogCapture implements AutoCloseable {

  private final Logger logger;
  private final Level before;
  private final ListAppender<ILoggingEvent> events = new ListAppender<>();

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
    return List.copyOf(events.list);
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
