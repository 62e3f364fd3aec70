package dev.netserver.tcp;

import dev.netserver.StatsProbe;
import dev.netserver.TestClient;
import dev.netserver.config.Binding;
import dev.netserver.config.Engine;
import dev.netserver.config.TcpListenerConfig;
import dev.netserver.config.TcpProtocol;
import dev.netserver.config.TcpSocketConfig;
import dev.netserver.stats.StatsSnapshot;
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
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.netserver.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

@ParameterizedClass(name = "engine {0}")
@EnumSource(value = Engine.class, names = {"DIRECT", "VERTX"})
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
@DisplayName("The TCP echo server")
class EchoServerTest {


  @Parameter
  Engine engine;

  private Vertx vertx;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
  }

  static TcpListenerConfig echo() {
    return TcpListenerConfig.of("echo", TcpProtocol.ECHO, Binding.of("127.0.0.1", 0)).withInstances(1);
  }

  private int start(TcpListenerConfig config) {
    return TcpListeners.start(vertx, config.withEngine(engine));
  }

  @Test
  @DisplayName("sends back several megabytes unchanged and counts them")
  void echoesMegabytes() throws Exception {
    int port = start(echo());
    byte[] data = new byte[4 * 1024 * 1024 + 7];
    new Random(42).nextBytes(data);
    try (StatsProbe probe = new StatsProbe(vertx); TestClient client = TestClient.connect(port)) {
      InputStream in = client.socket().getInputStream();
      CompletableFuture<byte[]> echoed = CompletableFuture.supplyAsync(() -> {
        try {
          return in.readNBytes(data.length);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      client.send(data);
      assertThat(echoed.get(20, TimeUnit.SECONDS)).isEqualTo(data);
      StatsSnapshot s = probe.awaitCounter("echo", "bytesOut", data.length);
      assertThat(s.counter("bytesIn")).isEqualTo(data.length);
      assertThat(s.counter("connectionsActive")).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("returns what it received and then closes when the client half-closes")
  void halfClose() {
    int port = start(echo());
    try (TestClient client = TestClient.connect(port)) {
      client.send("ping\nand pong").halfClose();
      assertThat(client.readToEnd()).isEqualTo("ping\nand pong");
    }
  }

  @Test
  @DisplayName("stops reading from a client that sends without reading, then resumes when it reads again")
  void backpressure() throws Exception {
    // Small kernel buffers on both ends, so what sits in them is small next to what the client offers.
    TcpSocketConfig small = new TcpSocketConfig(true, false, true, false, -1, 32 * 1024, 32 * 1024, -1, false, false, false);
    int port = start(echo().withSocket(small));
    try (SocketChannel client = SocketChannel.open(); Selector selector = Selector.open()) {
      client.setOption(StandardSocketOptions.SO_RCVBUF, 32 * 1024);
      client.setOption(StandardSocketOptions.SO_SNDBUF, 32 * 1024);
      client.connect(new InetSocketAddress("127.0.0.1", port));
      client.configureBlocking(false);
      client.register(selector, SelectionKey.OP_WRITE);
      ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
      long offered = 64L * 1024 * 1024;
      long sent = 0;
      // Write until the socket stays unwritable: the server has stopped reading from us.
      while (sent < offered && selector.select(2000) > 0) {
        selector.selectedKeys().clear();
        chunk.clear();
        sent += client.write(chunk);
      }
      assertThat(sent)
        .as("bytes accepted before the server stopped reading (kernel buffers + one write queue)")
        .isLessThan(8L * 1024 * 1024);
      // Reading again lets the server drain, resume, and echo everything that was sent.
      client.keyFor(selector).interestOps(SelectionKey.OP_READ);
      ByteBuffer in = ByteBuffer.allocate(64 * 1024);
      long received = 0;
      while (received < sent) {
        assertThat(selector.select(5000)).as("echo still flowing after %d of %d bytes", received, sent).isPositive();
        selector.selectedKeys().clear();
        in.clear();
        received += client.read(in);
      }
      assertThat(received).isEqualTo(sent);
    }
  }

  @Test
  @DisplayName("closes a connection idle past idleTimeoutSeconds and counts it as timed out")
  void idleTimeout() {
    int port = start(echo().withIdleTimeoutSeconds(1));
    try (StatsProbe probe = new StatsProbe(vertx); TestClient client = TestClient.connect(port)) {
      assertThat(client.send("x").read(1)).isEqualTo("x");
      assertThat(client.readToEnd()).isEmpty();
      probe.awaitCounter("echo", "timedOut", 1);
    }
  }
}
