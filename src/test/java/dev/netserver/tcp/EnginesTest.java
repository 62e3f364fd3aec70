package dev.netserver.tcp;

import dev.netserver.StatsProbe;
import dev.netserver.TestClient;
import dev.netserver.config.Binding;
import dev.netserver.config.Engine;
import dev.netserver.config.TcpListenerConfig;
import dev.netserver.config.TcpProtocol;
import dev.netserver.stats.StatsSnapshot;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which engine serves a listener, seen from the wire: the one behaviour in which the engines differ (a
 * client's half-close, which Vert.x 5.0.7's NetSocket cannot report) tells them apart, so these tests fail
 * if the engine key stopped reaching the listener and the parameterized suite ran on one engine twice.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
@DisplayName("The engine of a TCP listener")
class EnginesTest {

  private static final String PROMPT = "Please enter a string: ";

  private static TcpListenerConfig greeter(Engine engine) {
    return TcpListenerConfig.of("greeter", TcpProtocol.GREETING, Binding.of("127.0.0.1", 0)).withEngine(engine);
  }

  /** Sends part of a line, half-closes, and returns what the server sent back before closing. */
  private static String partialLineThenHalfClose(int port) {
    try (TestClient client = TestClient.connect(port)) {
      client.readUntil(PROMPT);
      client.send("abc").halfClose();
      return client.readToEnd();
    }
  }

  @Test
  @DisplayName("auto is the direct engine: a half-close after part of a line is answered")
  void autoIsDirect(Vertx vertx) {
    assertThat(partialLineThenHalfClose(TcpListeners.start(vertx, greeter(Engine.AUTO)))).isEqualTo("You entered 3 characters.\n");
  }

  @Test
  @DisplayName("vertx is Vert.x's NetServer: the client's half-close closes the connection unanswered, counted as closed, not answered")
  void vertxCannotAnswerAHalfClose(Vertx vertx) {
    int port = TcpListeners.start(vertx, greeter(Engine.VERTX));
    try (StatsProbe probe = new StatsProbe(vertx)) {
      assertThat(partialLineThenHalfClose(port)).isEmpty();
      StatsSnapshot s = probe.awaitCounter("greeter", "connectionsClosed", 1);
      assertThat(s.counter("linesAnswered")).isZero();
      assertThat(s.counter("errors")).isZero();
    }
  }
}
