package dev.netserver.tcp;

import dev.netserver.StatsProbe;
import dev.netserver.TestClient;
import dev.netserver.config.Binding;
import dev.netserver.config.ListenerRuntime;
import dev.netserver.config.ShutdownConfig;
import dev.netserver.config.StatsConfig;
import dev.netserver.config.TcpListenerConfig;
import dev.netserver.config.TcpProtocol;
import dev.netserver.config.TcpSocketConfig;
import dev.netserver.stats.StatsSnapshot;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static dev.netserver.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
@DisplayName("A TCP listener that stops")
class TcpShutdownTest {

  private static final String PROMPT = "Please enter a string: ";
  /** Longer than {@link dev.netserver.Await#TIMEOUT_SECONDS}: a stop that waited for the grace period would fail the test. */
  private static final ListenerRuntime LONG_GRACE = new ListenerRuntime("test-node", new StatsConfig(20, 0), new ShutdownConfig(60));

  private Vertx vertx;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Deploys one instance; returns its deployment id. */
  private String deploy(TcpServerVerticle verticle) {
    return await(vertx.deployVerticle(verticle));
  }

  @Test
  @DisplayName("closes a connection still open when the grace period ends, not before, and counts it closed")
  void closesWhatIsLeftAfterTheGracePeriod() {
    TcpListenerConfig config = TcpListenerConfig.of("greeter", TcpProtocol.GREETING, Binding.of("127.0.0.1", 0)).withInstances(1);
    TcpServerVerticle verticle = new TcpServerVerticle(config, TcpListeners.RUNTIME);
    String id = deploy(verticle);
    try (StatsProbe probe = new StatsProbe(vertx); TestClient silent = TestClient.connect(verticle.boundPorts().get(0))) {
      silent.readUntil(PROMPT);
      long stopping = System.nanoTime();
      Future<Void> stopped = vertx.undeploy(id);
      // the client says nothing: the server closes it once the grace period (1 s here) is over
      assertThat(silent.readToEnd()).isEmpty();
      assertThat(System.nanoTime() - stopping).as("nanoseconds from the stop to the close")
        .isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(TcpListeners.RUNTIME.shutdown().graceSeconds()));
      await(stopped);
      StatsSnapshot last = probe.await("greeter", StatsSnapshot::last);
      assertThat(last.counter("connectionsClosed")).isEqualTo(1);
      assertThat(last.counter("connectionsActive")).isZero();
      assertThat(last.counter("timedOut")).isZero();
      assertThat(last.counter("linesAnswered")).isZero();
    }
  }

  @Test
  @DisplayName("sends an echo client everything still queued for it, then closes at once, without waiting for the grace period")
  void echoFlushedAndClosed() throws Exception {
    // Tiny kernel buffers on both sides: most of what the client sends stays in the server's write queue
    // while the client does not read.
    TcpSocketConfig tiny = new TcpSocketConfig(true, false, true, false, -1, -1, 4096, -1, false, false, false);
    TcpListenerConfig config = TcpListenerConfig.of("echo", TcpProtocol.ECHO, Binding.of("127.0.0.1", 0)).withInstances(1)
      .withSocket(tiny);
    TcpServerVerticle verticle = new TcpServerVerticle(config, LONG_GRACE);
    String id = deploy(verticle);
    // under the 64 KiB high-water mark, so the server reads all of it (unread bytes would make its close a reset)
    byte[] data = new byte[56 * 1024];
    new Random(7).nextBytes(data);
    try (StatsProbe probe = new StatsProbe(vertx); Socket client = new Socket()) {
      client.setReceiveBufferSize(4096);
      client.connect(new InetSocketAddress("127.0.0.1", verticle.boundPorts().get(0)), 5000);
      client.setSoTimeout(5000);
      client.getOutputStream().write(data);
      probe.awaitCounter("echo", "bytesIn", data.length);
      Future<Void> stopped = vertx.undeploy(id);
      InputStream in = client.getInputStream();
      byte[] echoed = in.readNBytes(data.length + 1);
      assertThat(echoed.length).as("bytes echoed before the end of the stream").isEqualTo(data.length);
      assertThat(Arrays.equals(echoed, data)).as("echoed unchanged").isTrue();
      // closed by the echo itself: a stop that waited for the 60 s grace period would not complete in time
      await(stopped);
      StatsSnapshot last = probe.await("echo", StatsSnapshot::last);
      assertThat(last.counter("bytesOut")).isEqualTo(data.length);
      assertThat(last.counter("connectionsClosed")).isEqualTo(1);
      assertThat(last.counter("errors")).isZero();
    }
  }
}
