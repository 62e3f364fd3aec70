package dev.netserver.tcp;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.netserver.LogCapture;
import dev.netserver.StatsProbe;
import dev.netserver.TestClient;
import dev.netserver.config.NetserverConfig;
import dev.netserver.config.TcpListenerConfig;
import dev.netserver.stats.StatsSnapshot;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;

import static dev.netserver.Await.await;
import static dev.netserver.Await.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A custom protocol (a test class implementing {@code Handler<NetSocket>}, dev.netserver.plugins) served
 * through the configuration: the listener's counters, idle timeout, shutdown grace and failure reporting
 * apply to it as to a built-in protocol.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
@DisplayName("A TCP listener with a custom protocol")
class HandlerProtocolTest {

  /** The listener {@code listener} (JSON, single quotes) as the configuration reads it, named {@code custom}. */
  static TcpListenerConfig configured(String listener) {
    JsonObject json = new JsonObject("{'name': 'custom', 'host': '127.0.0.1', 'port': 0}".replace('\'', '"'))
      .mergeIn(new JsonObject(listener.replace('\'', '"')));
    return NetserverConfig.read("test", new JsonObject().put("tcp", new JsonArray().add(json)).put("udp", new JsonArray())).tcp().get(0);
  }

  private static final String UPPER = "{'protocol': 'handler:dev.netserver.plugins.UpperEcho', 'options': {'greeting': 'hi'}}";

  @Test
  @DisplayName("is made with its options, answers, and counts the connection and its bytes either way")
  void servesAndCounts(Vertx vertx) {
    int port = TcpListeners.start(vertx, configured(UPPER));
    try (StatsProbe probe = new StatsProbe(vertx)) {
      try (TestClient client = TestClient.connect(port)) {
        assertThat(client.readUntil("\n")).isEqualTo("hi\n");
        client.send("abc\n");
        assertThat(client.readUntil("\n")).isEqualTo("ABC\n");
      }
      StatsSnapshot s = probe.awaitCounter("custom", "connectionsClosed", 1);
      assertThat(s.protocol()).isEqualTo("handler:dev.netserver.plugins.UpperEcho");
      assertThat(s.counter("connectionsAccepted")).isEqualTo(1);
      assertThat(s.counter("connectionsActive")).isZero();
      assertThat(s.counter("bytesIn")).isEqualTo(4);
      assertThat(s.counter("bytesOut")).isEqualTo(3 + 4);
      assertThat(s.counter("errors")).isZero();
    }
  }

  @Test
  @DisplayName("is guarded like a built-in protocol: over maxConnections a client gets texts.refused before the handler sees it")
  void limitsApply(Vertx vertx) {
    int port = TcpListeners.start(vertx, configured("{'protocol': 'handler:dev.netserver.plugins.UpperEcho', "
      + "'limits': {'maxConnections': 1}, 'texts': {'refused': 'full'}}"));
    try (StatsProbe probe = new StatsProbe(vertx)) {
      try (TestClient first = TestClient.connect(port)) {
        assertThat(first.readUntil("\n")).isEqualTo("hello\n");
        try (TestClient second = TestClient.connect(port)) {
          assertThat(second.readToEnd()).isEqualTo("full\n");
        }
      }
      probe.awaitCounter("custom", "connectionsClosed", 1);
      try (TestClient third = TestClient.connect(port)) {
        assertThat(third.readUntil("\n")).isEqualTo("hello\n");
      }
      StatsSnapshot s = probe.awaitCounter("custom", "connectionsClosed", 2);
      assertThat(s.counter("refusedMaxConnections")).isEqualTo(1);
      assertThat(s.counter("connectionsAccepted")).isEqualTo(2);
    }
  }

  @Test
  @DisplayName("what the handler throws is counted as an error, reported, and closes that connection only")
  void handlerExceptionContained(Vertx vertx) {
    int port = TcpListeners.start(vertx, configured(UPPER));
    try (StatsProbe probe = new StatsProbe(vertx); LogCapture log = LogCapture.of(TcpConnection.class)) {
      try (TestClient client = TestClient.connect(port)) {
        client.readUntil("\n");
        client.send("boom");
        assertThat(client.readToEnd()).isEmpty();
      }
      StatsSnapshot s = probe.awaitCounter("custom", "connectionsClosed", 1);
      assertThat(s.counter("errors")).isEqualTo(1);
      assertThat(log.atLeast(Level.WARN)).extracting(ILoggingEvent::getFormattedMessage)
        .anySatisfy(line -> assertThat(line).contains("custom").contains("boom from the handler"));
      // the listener still serves
      try (TestClient next = TestClient.connect(port)) {
        assertThat(next.readUntil("\n")).isEqualTo("hi\n");
      }
    }
  }

  @Test
  @DisplayName("a handler whose constructor throws fails the listener's start, naming the listener and the cause, bound to nothing")
  void constructorFails(Vertx vertx) {
    TcpServerVerticle verticle = new TcpServerVerticle(configured("{'protocol': 'handler:dev.netserver.plugins.FailsToStart'}"), TcpListeners.RUNTIME);
    Throwable failure = awaitFailure(vertx.deployVerticle(verticle));
    assertThat(failure).hasMessage("custom: cannot create handler:dev.netserver.plugins.FailsToStart")
      .rootCause().hasMessage("no fortunes given");
    assertThat(verticle.boundPorts()).isEmpty();
  }

  @Test
  @DisplayName("a connection the handler leaves silent is closed by the listener's idle timeout, counted as timed out")
  void idleTimeout(Vertx vertx) {
    int port = TcpListeners.start(vertx, configured("{'protocol': 'handler:dev.netserver.plugins.Silent', 'idleTimeoutSeconds': 1}"));
    try (StatsProbe probe = new StatsProbe(vertx); TestClient client = TestClient.connect(port)) {
      client.send("x");
      assertThat(client.readToEnd()).isEmpty();
      StatsSnapshot s = probe.awaitCounter("custom", "connectionsClosed", 1);
      assertThat(s.counter("timedOut")).isEqualTo(1);
      assertThat(s.counter("bytesIn")).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("at shutdown, a connection still open is closed when the grace period ends, not before")
  void shutdownGrace(Vertx vertx) {
    TcpServerVerticle verticle = new TcpServerVerticle(configured("{'protocol': 'handler:dev.netserver.plugins.Silent'}"), TcpListeners.RUNTIME);
    String id = await(vertx.deployVerticle(verticle));
    try (StatsProbe probe = new StatsProbe(vertx); TestClient client = TestClient.connect(verticle.boundPorts().get(0))) {
      client.send("x");
      probe.awaitCounter("custom", "bytesIn", 1);
      long stopping = System.nanoTime();
      Future<Void> stopped = vertx.undeploy(id);
      assertThat(client.readToEnd()).isEmpty();
      assertThat(System.nanoTime() - stopping).as("nanoseconds from the stop to the close")
        .isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(TcpListeners.RUNTIME.shutdown().graceSeconds()));
      await(stopped);
      StatsSnapshot last = probe.await("custom", StatsSnapshot::last);
      assertThat(last.counter("connectionsClosed")).isEqualTo(1);
      assertThat(last.counter("connectionsActive")).isZero();
    }
  }
}
