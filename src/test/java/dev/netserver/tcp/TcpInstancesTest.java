package dev.netserver.tcp;

import dev.netserver.StatsProbe;
import dev.netserver.TestClient;
import dev.netserver.config.Binding;
import dev.netserver.config.Engine;
import dev.netserver.config.TcpListenerConfig;
import dev.netserver.config.TcpProtocol;
import dev.netserver.stats.StatsSnapshot;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.netserver.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ParameterizedClass(name = "engine {0}")
@EnumSource(value = Engine.class, names = {"DIRECT", "VERTX"})
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
@DisplayName("A TCP listener with several instances")
class TcpInstancesTest {

  private static final String PROMPT = "Please enter a string: ";

  @Parameter
  Engine engine;

  private Vertx vertx;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Deploys the listening instance, then {@code more} instances that join it; returns the first. */
  private TcpServerVerticle start(TcpListenerConfig config, int more) {
    TcpServerVerticle first = new TcpServerVerticle(config.withEngine(engine), TcpListeners.RUNTIME);
    await(vertx.deployVerticle(first));
    await(vertx.deployVerticle(() -> new TcpServerVerticle(first), new DeploymentOptions().setInstances(more)));
    return first;
  }

  @Test
  @DisplayName("hands accepted connections to each instance in turn, each counting its own")
  void connectionsTakeTurns() {
    TcpListenerConfig config = TcpListenerConfig.of("greeter", TcpProtocol.GREETING, Binding.of("127.0.0.1", 0));
    int port = start(config, 2).boundPorts().get(0);
    try (StatsProbe probe = new StatsProbe(vertx)) {
      for (int i = 0; i < 30; i++) {
        try (TestClient client = TestClient.connect(port)) {
          assertThat(client.readUntil(PROMPT)).endsWith(PROMPT);
          assertThat(client.send("x".repeat(i) + "\n").readToEnd()).isEqualTo("You entered " + i + " characters.\n");
        }
      }
      Map<String, StatsSnapshot> byInstance = new HashMap<>();
      probe.await("greeter", s -> {
        byInstance.put(s.instance(), s);
        return byInstance.size() == 3
          && byInstance.values().stream().allMatch(i -> i.counter("linesAnswered") == 10 && i.counter("connectionsClosed") == 10);
      });
      assertThat(byInstance.values()).allSatisfy(s -> assertThat(s.counter("connectionsAccepted")).isEqualTo(10));
    }
  }

  @Test
  @DisplayName("stops listening when undeployed, and answers a client that was waiting at the prompt on another instance")
  void stopsTogether() throws IOException {
    TcpListenerConfig config = TcpListenerConfig.of("greeter", TcpProtocol.GREETING, Binding.of("127.0.0.1", 0));
    TcpServerVerticle first = start(config, 1);
    int port = first.boundPorts().get(0);
    try (TestClient one = TestClient.connect(port); TestClient two = TestClient.connect(port)) {
      // the two connections went to different instances (turns), both wait at the prompt
      assertThat(one.readUntil(PROMPT)).endsWith(PROMPT);
      assertThat(two.readUntil(PROMPT)).endsWith(PROMPT);
      io.vertx.core.Future<Void> stopping = vertx.deploymentIDs().stream()
        .map(vertx::undeploy).reduce((a, b) -> a.compose(v -> b)).orElseThrow();
      // within the grace period (1 s here) both may still finish their exchange
      assertThat(one.send("abc\n").readToEnd()).isEqualTo("You entered 3 characters.\n");
      assertThat(two.send("abcd\n").readToEnd()).isEqualTo("You entered 4 characters.\n");
      await(stopping);
    }
    // Netty 4.2 completes a channel's close before its event loop has closed the socket (seen in a clean-clone
    // run: one connect accepted by the kernel right after the stop), so the refusal is awaited, up to 2 s.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    boolean refused = false;
    while (!refused && System.nanoTime() < deadline) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        Thread.onSpinWait();
      } catch (ConnectException e) {
        refused = true;
      } catch (SocketException e) {
        Thread.onSpinWait(); // reset while connecting: the listening socket closed with this connection queued
      }
    }
    assertThat(refused).as("connections refused once both instances stopped").isTrue();
  }
}
