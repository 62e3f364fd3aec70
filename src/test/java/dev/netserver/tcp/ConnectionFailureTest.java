package dev.netserver.tcp;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.netserver.LogCapture;
import dev.netserver.config.Binding;
import dev.netserver.config.TcpListenerConfig;
import dev.netserver.config.TcpProtocol;
import dev.netserver.failure.FailureLog;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.SocketException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("A TCP connection whose handler throws")
class ConnectionFailureTest {

  private final LogCapture log = LogCapture.of(TcpConnection.class);
  private long now;
  private final TcpServerVerticle listener = new TcpServerVerticle(
    TcpListenerConfig.of("echo", TcpProtocol.ECHO, Binding.of("127.0.0.1", 0)), TcpListeners.RUNTIME,
    new FailureLog(LoggerFactory.getLogger(TcpConnection.class), "echo", () -> now));
  private final TcpStats stats = new TcpStats();
  private int thrown;

  @AfterEach
  void detach() {
    log.close();
  }

  /** A connection whose protocol throws what {@code failure} makes for every buffer it gets. */
  private EmbeddedChannel connection(Supplier<? extends Throwable> failure) {
    return new EmbeddedChannel(new ChannelAdapter(new TcpConnection<ByteBuf>(listener, stats, "echo") {
      @Override
      protected void onOpen() {
      }

      @Override
      protected void onData(ByteBuf data) {
        data.release();
        thrown++;
        sneakyThrow(failure.get());
      }

      @Override
      protected void onEndOfInput() {
      }

      @Override
      protected void onServerShutdown() {
      }
    }));
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
    throw (T) t;
  }

  private static ByteBuf[] buffers(int n) {
    ByteBuf[] out = new ByteBuf[n];
    for (int i = 0; i < n; i++) {
      out[i] = Unpooled.wrappedBuffer(new byte[] {'x'});
    }
    return out;
  }

  @Test
  @DisplayName("counts one error per connection: 5 connections raising 3 exceptions each count 5")
  void oneErrorPerConnection() {
    for (int i = 0; i < 5; i++) {
      EmbeddedChannel channel = connection(() -> new IllegalStateException("bug"));
      // one read burst: every buffer reaches the handler before the close takes effect
      channel.writeInbound((Object[]) buffers(3));
      assertThat(channel.isOpen()).isFalse();
    }
    assertThat(thrown).isEqualTo(15);
    assertThat(stats.connectionsAccepted).isEqualTo(5);
    assertThat(stats.errors).isEqualTo(5);
  }

  @Test
  @DisplayName("logs a bug at WARN with the listener's name, once for 100 within a second; the next line gives the count")
  void bugsRateLimited() {
    for (int i = 0; i < 100; i++) {
      connection(() -> new IllegalStateException("bug")).writeInbound(Unpooled.wrappedBuffer(new byte[] {'x'}));
      now += TimeUnit.MILLISECONDS.toNanos(5);
    }
    assertThat(stats.errors).isEqualTo(100);
    assertThat(log.atLeast(Level.WARN)).singleElement().satisfies(line -> {
      assertThat(line.getLevel()).isEqualTo(Level.WARN);
      assertThat(line.getFormattedMessage()).startsWith("echo: connection from embedded failed unexpectedly: "
        + "java.lang.IllegalStateException: bug");
    });
    now += TimeUnit.SECONDS.toNanos(1);
    connection(() -> new IllegalStateException("bug")).writeInbound(Unpooled.wrappedBuffer(new byte[] {'x'}));
    assertThat(log.atLeast(Level.WARN)).hasSize(2);
    assertThat(log.atLeast(Level.WARN).get(1).getFormattedMessage()).endsWith("(99 more java.lang.IllegalStateException since the last such line)");
  }

  @Test
  @DisplayName("logs an OutOfMemoryError at ERROR")
  void outOfMemoryAtError() {
    connection(() -> new OutOfMemoryError("Java heap space")).writeInbound(Unpooled.wrappedBuffer(new byte[] {'x'}));
    assertThat(log.atLeast(Level.WARN)).extracting(ILoggingEvent::getLevel).containsExactly(Level.ERROR);
    assertThat(stats.errors).isEqualTo(1);
  }

  @Test
  @DisplayName("counts I/O errors (a reset connection) and logs them at DEBUG only")
  void ioErrorsQuiet() {
    connection(() -> new SocketException("Connection reset")).writeInbound(Unpooled.wrappedBuffer(new byte[] {'x'}));
    connection(() -> new IOException("Broken pipe")).writeInbound(Unpooled.wrappedBuffer(new byte[] {'x'}));
    assertThat(stats.errors).isEqualTo(2);
    assertThat(log.atLeast(Level.INFO)).isEmpty();
    assertThat(log.events()).extracting(ILoggingEvent::getFormattedMessage)
      .contains("echo: connection from embedded failed: java.net.SocketException: Connection reset");
  }
}
