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
    try (StatsProbe probe = new StatsProbe(vertx); SocketChannel client = SocketChannel.open(); Selector selector = Selector.open()) {
      client.setOption(StandardSocketOptions.SO_RCVBUF, 32 * 1024);
      client.setOption(StandardSocketOptions.SO_SNDBUF, 32 * 1024);
      client.connect(new InetSocketAddress("127.0.0.1", port));
      client.configureBlocking(false);
      ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
      long sent = 0;
      // The client sends and never reads. The server has stopped reading when, over several stats
      // publications (each a later turn of the server's event loop, which would have read what waits for
      // it), its bytesIn stays put while the client's send buffer stays full and the connection open.
      StatsSnapshot before = null;
      int stillFor = 0;
      while (stillFor < 5) {
        long tried = System.currentTimeMillis();
        long written = 0;
        for (int n; (n = client.write(chunk.clear())) > 0; ) {
          written += n;
        }
        sent += written;
        assertThat(sent).as("bytes the server took without stopping (kernel buffers + one write queue are far less)")
          .isLessThan(8L * 1024 * 1024);
        StatsSnapshot now = probe.await("echo", x -> x.timestamp() > tried);
        boolean still = written == 0 && before != null && now.counter("bytesIn") == before.counter("bytesIn")
          && now.counter("connectionsActive") == 1;
        stillFor = still ? stillFor + 1 : 0;
        before = now;
      }
      assertThat(before.counter("bytesIn")).as("what the server read; the rest waits in the kernel").isPositive().isLessThan(sent);
      // Reading again lets the server drain and resume: it reads and echoes everything that was sent.
      client.register(selector, SelectionKey.OP_READ);
      ByteBuffer in = ByteBuffer.allocate(64 * 1024);
      long received = 0;
      while (received < sent) {
        // the timeout only bounds a failure: data that stops flowing
        assertThat(selector.select(5000)).as("echo still flowing after %d of %d bytes", received, sent).isPositive();
        selector.selectedKeys().clear();
        received += client.read(in.clear());
      }
      assertThat(received).isEqualTo(sent);
      probe.awaitCounter("echo", "bytesIn", sent);
    }
  }

  @Test
  @DisplayName("closes a connection idle past idleTimeoutSeconds and counts it as timed out")
  void idleTimeout() {
    int port = start(echo().withIdleTimeoutSeconds(1));
    try (StatsProbe probe = new StatsProbe(vertx); TestClient client = TestClient.connect(port)) {
      long lastByte = System.nanoTime();
      assertThat(client.send("x").read(1)).isEqualTo("x");
      // closed within the read timeout (TestClient: 5 s), and not before the second of silence had passed
      assertThat(client.readToEnd()).isEmpty();
      assertThat(System.nanoTime() - lastByte).as("nanoseconds from the last byte to the close").isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(1));
      probe.awaitCounter("echo", "timedOut", 1);
    }
  }

  @Test
  @DisplayName("never closes an idle connection when idleTimeoutSeconds is 0")
  void idleTimeoutZeroIsNever() {
    int never = start(TcpListenerConfig.of("never", TcpProtocol.ECHO, Binding.of("127.0.0.1", 0)).withInstances(1)
      .withIdleTimeoutSeconds(0));
    // the clock: a listener with the shortest timeout, which closes its idle connections after a second
    int oneSecond = start(TcpListenerConfig.of("one-second", TcpProtocol.ECHO, Binding.of("127.0.0.1", 0)).withInstances(1)
      .withIdleTimeoutSeconds(1));
    try (StatsProbe probe = new StatsProbe(vertx); TestClient idle = TestClient.connect(never)) {
      assertThat(idle.send("x").read(1)).isEqualTo("x");
      // twice in a row, a connection made after the idle one goes silent for a second and is closed
      for (int i = 1; i <= 2; i++) {
        try (TestClient clock = TestClient.connect(oneSecond)) {
          assertThat(clock.send("x").read(1)).isEqualTo("x");
          assertThat(clock.readToEnd()).isEmpty();
        }
        probe.awaitCounter("one-second", "timedOut", i);
      }
      // idle for over two seconds, and still served
      assertThat(idle.send("y").read(1)).isEqualTo("y");
      StatsSnapshot s = probe.await("never", x -> x.counter("bytesIn") == 2);
      assertThat(s.counter("timedOut")).isZero();
      assertThat(s.counter("connectionsClosed")).isZero();
    }
  }
}
