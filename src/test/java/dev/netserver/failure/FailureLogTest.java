package dev.netserver.failure;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.netserver.LogCapture;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.SocketException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("A listener's failure log")
class FailureLogTest {

  private static final String LOGGER = "dev.netserver.failure.test";

  private final LogCapture log = LogCapture.of(LOGGER);
  private long now = 1_000;
  private final FailureLog failures = new FailureLog(LoggerFactory.getLogger(LOGGER), "echo", () -> now);

  @AfterEach
  void detach() {
    log.close();
  }

  @Test
  @DisplayName("logs a bug at WARN with the listener's name, what failed and the stack trace")
  void bugAtWarn() {
    IllegalStateException bug = new IllegalStateException("boom");
    failures.report(bug, "connection from 127.0.0.1:40000");
    ILoggingEvent line = log.events().get(0);
    assertThat(line.getLevel()).isEqualTo(Level.WARN);
    assertThat(line.getFormattedMessage())
      .isEqualTo("echo: connection from 127.0.0.1:40000 failed unexpectedly: java.lang.IllegalStateException: boom");
    assertThat(line.getThrowableProxy().getMessage()).isEqualTo("boom");
  }

  @Test
  @DisplayName("logs an OutOfMemoryError, and any other Error, at ERROR")
  void errorsAtError() {
    failures.report(new OutOfMemoryError("Direct buffer memory"), "socket 0.0.0.0:7");
    failures.report(new StackOverflowError(), "socket 0.0.0.0:7");
    assertThat(log.events()).extracting(ILoggingEvent::getLevel).containsExactly(Level.ERROR, Level.ERROR);
    assertThat(log.events().get(0).getFormattedMessage())
      .isEqualTo("echo: socket 0.0.0.0:7 failed: java.lang.OutOfMemoryError: Direct buffer memory");
  }

  @Test
  @DisplayName("one line for 100 of a kind within a second; the next line, a second later, says how many were left out")
  void rateLimitedPerKind() {
    for (int i = 0; i < 100; i++) {
      failures.report(new IllegalStateException("boom " + i), "connection");
      now += TimeUnit.MILLISECONDS.toNanos(5);
    }
    assertThat(log.events()).hasSize(1);
    now += TimeUnit.SECONDS.toNanos(1);
    failures.report(new IllegalStateException("again"), "connection");
    assertThat(log.events()).hasSize(2);
    assertThat(log.events().get(1).getFormattedMessage())
      .endsWith("java.lang.IllegalStateException: again (99 more java.lang.IllegalStateException since the last such line)");
  }

  @Test
  @DisplayName("rate-limits each kind on its own: an OutOfMemoryError is logged amid a flood of another kind")
  void kindsApart() {
    for (int i = 0; i < 10; i++) {
      failures.report(new IllegalStateException(), "connection");
    }
    failures.report(new OutOfMemoryError(), "connection");
    failures.report(new OutOfMemoryError(), "connection");
    assertThat(log.events()).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.ERROR);
  }

  private enum Reason { ONE, TWO }

  @Test
  @DisplayName("warn: one WARN line a second per kind, the next saying how many were left out; the message built only when logged")
  void warnRateLimitedPerKind() {
    int[] built = {0};
    for (int i = 0; i < 50; i++) {
      failures.warn(Reason.ONE, () -> "refused a connection from 10.0.0.1:" + (40000 + built[0]++));
      now += TimeUnit.MILLISECONDS.toNanos(10);
    }
    failures.warn(Reason.TWO, () -> "other");
    assertThat(built[0]).isEqualTo(1);
    assertThat(log.events()).extracting(ILoggingEvent::getFormattedMessage)
      .containsExactly("echo: refused a connection from 10.0.0.1:40000", "echo: other");
    assertThat(log.events()).allMatch(e -> e.getLevel() == Level.WARN);
    now += TimeUnit.SECONDS.toNanos(1);
    failures.warn(Reason.ONE, () -> "refused again");
    assertThat(log.events().get(2).getFormattedMessage()).isEqualTo("echo: refused again (49 more since the last such line)");
  }

  @Test
  @DisplayName("keeps I/O errors at DEBUG: a reset connection, any IOException")
  void ioErrorsQuiet() {
    failures.report(new SocketException("Connection reset"), "connection from 127.0.0.1:40000");
    failures.report(new IOException("Broken pipe"), "connection from 127.0.0.1:40000");
    assertThat(log.atLeast(Level.INFO)).isEmpty();
    assertThat(log.events()).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
      "echo: connection from 127.0.0.1:40000 failed: java.net.SocketException: Connection reset",
      "echo: connection from 127.0.0.1:40000 failed: java.io.IOException: Broken pipe");
  }

  @Test
  @DisplayName("keeps Netty's native I/O errors (Errors.NativeIoException) at DEBUG")
  void nativeIoErrorsQuiet() {
    Assumptions.assumeTrue(Epoll.isAvailable(), "Netty's native library does not load here");
    failures.report(new Errors.NativeIoException("readAddress", Errors.ERRNO_ECONNRESET_NEGATIVE), "connection");
    assertThat(log.atLeast(Level.INFO)).isEmpty();
    assertThat(log.events()).hasSize(1);
  }
}
