package dev.netserver.udp;

import dev.netserver.StatsProbe;
import dev.netserver.TestTransports;
import dev.netserver.config.Binding;
import dev.netserver.config.Engine;
import dev.netserver.config.ListenerRuntime;
import dev.netserver.config.PortSet;
import dev.netserver.config.ShutdownConfig;
import dev.netserver.config.StatsConfig;
import dev.netserver.config.UdpListenerConfig;
import dev.netserver.config.UdpSocketConfig;
import dev.netserver.stats.StatsSnapshot;
import io.vertx.core.Vertx;
import io.vertx.core.transport.Transport;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.netserver.Await.await;
import static dev.netserver.Await.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
@DisplayName("The UDP echo server")
@ParameterizedClass(name = "engine {0}")
@EnumSource(value = Engine.class, names = {"DIRECT", "VERTX"})
class UdpEchoTest {

  /** Every behaviour is the same on both engines. */
  @Parameter
  Engine engine;

  static final ListenerRuntime RUNTIME = new ListenerRuntime("test-node", new StatsConfig(20, 0), new ShutdownConfig(1));

  static UdpListenerConfig echo() {
    return UdpListenerConfig.of("udp-echo", Binding.of("127.0.0.1", 0));
  }

  private int start(Vertx vertx, UdpListenerConfig config) {
    UdpEchoVerticle verticle = new UdpEchoVerticle(config.withEngine(engine), RUNTIME);
    await(vertx.deployVerticle(verticle));
    return verticle.boundPorts().get(0);
  }

  /** Every transport: the receive-buffer sizing that catches oversize datagrams differs by transport. */
  static Stream<String> transports() {
    return TestTransports.all();
  }

  private static Vertx vertxOn(String transport) {
    return TestTransports.vertxOn(transport);
  }

  private static DatagramSocket client() throws IOException {
    DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    socket.setSoTimeout(5000);
    return socket;
  }

  private static byte[] random(int size) {
    byte[] data = new byte[size];
    new Random(size).nextBytes(data);
    return data;
  }

  private static void send(DatagramSocket socket, int port, byte[] data) throws IOException {
    socket.send(new DatagramPacket(data, data.length, InetAddress.getLoopbackAddress(), port));
  }

  private static byte[] receive(DatagramSocket socket) throws IOException {
    DatagramPacket packet = new DatagramPacket(new byte[70_000], 70_000);
    socket.receive(packet);
    return Arrays.copyOf(packet.getData(), packet.getLength());
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("transports")
  @DisplayName("echoes a 1-byte datagram to its sender")
  void oneByte(String transport) throws IOException {
    Vertx vertx = vertxOn(transport);
    try (DatagramSocket client = client()) {
      int port = start(vertx, echo());
      send(client, port, new byte[] {42});
      assertThat(receive(client)).containsExactly(42);
    } finally {
      await(vertx.close());
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("transports")
  @DisplayName("echoes a datagram of exactly maxDatagramBytes byte for byte")
  void exactlyTheLimit(String transport) throws IOException {
    Vertx vertx = vertxOn(transport);
    byte[] data = random(UdpListenerConfig.DEFAULT_MAX_DATAGRAM_BYTES);
    try (DatagramSocket client = client()) {
      int port = start(vertx, echo());
      send(client, port, data);
      assertThat(receive(client)).isEqualTo(data);
    } finally {
      await(vertx.close());
    }
  }

  @Test
  @DisplayName("echoes the largest UDP payload when the limit allows it")
  void largestPayload(Vertx vertx) throws IOException {
    int port = start(vertx, echo().withMaxDatagramBytes(UdpListenerConfig.MAX_UDP_PAYLOAD));
    byte[] data = random(UdpListenerConfig.MAX_UDP_PAYLOAD);
    try (DatagramSocket client = client()) {
      client.setSendBufferSize(256 * 1024);
      send(client, port, data);
      assertThat(receive(client)).isEqualTo(data);
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("transports")
  @DisplayName("drops a datagram one byte over maxDatagramBytes, never echoing it truncated, and counts it")
  void oversizeDropped(String transport) throws IOException {
    Vertx vertx = vertxOn(transport);
    try (StatsProbe probe = new StatsProbe(vertx); DatagramSocket client = client()) {
      int port = start(vertx, echo().withMaxDatagramBytes(1000));
      send(client, port, random(1001));
      send(client, port, random(20_000));
      send(client, port, random(1000));
      // Datagrams on loopback keep their order: the first reply must be the third datagram.
      assertThat(receive(client)).hasSize(1000).isEqualTo(random(1000));
      StatsSnapshot s = probe.awaitCounter("udp-echo", "droppedOversize", 2);
      assertThat(s.counter("datagramsIn")).isEqualTo(3);
      assertThat(s.counter("datagramsEchoed")).isEqualTo(1);
      assertThat(s.counter("bytesOut")).isEqualTo(1000);
    } finally {
      await(vertx.close());
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("transports")
  @DisplayName("drops a datagram over maxDatagramBytes also when receiveBufferSize is just over the limit (the kernel cuts it)")
  void oversizeDroppedWithSmallestReceiveBuffer(String transport) throws IOException {
    Vertx vertx = vertxOn(transport);
    try (StatsProbe probe = new StatsProbe(vertx); DatagramSocket client = client()) {
      // SO_RCVBUF of 8001 (Linux doubles it) still queues the 9000-byte datagram; Vert.x reads it into 8001 bytes
      int port = start(vertx, echo().withMaxDatagramBytes(8000).withSocket(new UdpSocketConfig(false, false, false, 8001, -1, -1)));
      send(client, port, random(9000));
      assertThat(probe.awaitCounter("udp-echo", "droppedOversize", 1).counter("datagramsEchoed")).isZero();
      send(client, port, random(1000));
      assertThat(receive(client)).isEqualTo(random(1000));
    } finally {
      await(vertx.close());
    }
  }

  @Test
  @DisplayName("drops datagrams from a blocked source port and counts them, while answering others")
  void blockedSourcePort(Vertx vertx) throws IOException {
    try (StatsProbe probe = new StatsProbe(vertx); DatagramSocket blocked = client(); DatagramSocket allowed = client()) {
      int port = start(vertx, echo().withBlockedSourcePorts(PortSet.parse("0-1023," + blocked.getLocalPort())));
      send(blocked, port, new byte[] {1});
      send(allowed, port, new byte[] {2});
      assertThat(receive(allowed)).containsExactly(2);
      StatsSnapshot s = probe.awaitCounter("udp-echo", "droppedBlockedSource", 1);
      assertThat(s.counter("datagramsEchoed")).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("answers every source port when blockedSourcePorts is empty, a privileged one the default drops included")
  void emptyPortFilter(Vertx vertx) throws IOException {
    try (StatsProbe probe = new StatsProbe(vertx); DatagramSocket client = privilegedClient()) {
      assertThat(PortSet.parse(UdpListenerConfig.DEFAULT_BLOCKED_SOURCE_PORTS).contains(client.getLocalPort())).isTrue();
      int port = start(vertx, echo().withBlockedSourcePorts(PortSet.parse("")));
      int filtering = start(vertx, UdpListenerConfig.of("default-filter", Binding.of("127.0.0.1", 0)));
      send(client, filtering, new byte[] {6});
      send(client, port, new byte[] {7});
      assertThat(receive(client)).containsExactly(7);
      probe.awaitCounter("default-filter", "droppedBlockedSource", 1);
    }
  }

  /**
   * A client on a free port below 1024, which only root (or CAP_NET_BIND_SERVICE) may bind: CI runs as
   * root; elsewhere the test is skipped, saying so.
   */
  private static DatagramSocket privilegedClient() throws IOException {
    for (int port = 1023; port >= 600; port--) {
      DatagramSocket socket = new DatagramSocket(null);
      try {
        socket.bind(new InetSocketAddress("127.0.0.1", port));
        socket.setSoTimeout(5000);
        return socket;
      } catch (java.net.BindException e) {
        socket.close();
        assumeTrue(!String.valueOf(e.getMessage()).contains("ermission"),
          "binding a UDP port below 1024 needs root or CAP_NET_BIND_SERVICE: " + e.getMessage());
      }
    }
    throw new IllegalStateException("no free UDP port in 600..1023 on 127.0.0.1");
  }

  @Test
  @DisplayName("serves one port from several sockets with reusePort on a native transport")
  void reusePortInstances() throws Exception {
    assumeTrue(Transport.EPOLL != null && Transport.EPOLL.available(), "epoll is not available here");
    Vertx epoll = Vertx.builder().withTransport(Transport.EPOLL).build();
    try {
      UdpSocketConfig reusePort = new UdpSocketConfig(false, true, false, -1, -1, -1);
      UdpListenerConfig config = echo().withSocket(reusePort).withInstances(2).withEngine(engine);
      StatsProbe probe = new StatsProbe(epoll);
      UdpEchoVerticle first = new UdpEchoVerticle(config, RUNTIME);
      await(epoll.deployVerticle(first));
      int port = first.boundPorts().get(0);
      UdpEchoVerticle second = new UdpEchoVerticle(first);
      await(epoll.deployVerticle(second));
      assertThat(second.boundPorts()).containsExactly(port);
      // The kernel spreads senders over the sockets by their address; every one is answered.
      Set<Integer> answered = new HashSet<>();
      for (int i = 0; i < 16; i++) {
        try (DatagramSocket client = client()) {
          send(client, port, new byte[] {(byte) i});
          assertThat(receive(client)).containsExactly(i);
          answered.add(i);
        }
      }
      assertThat(answered).hasSize(16);
      // Both sockets took part (the chance that 16 senders all hash to one socket is 1 in 32768).
      Set<String> busy = new HashSet<>();
      while (busy.size() < 2) {
        StatsSnapshot s = probe.await("udp-echo", x -> x.counter("datagramsIn") > 0 && !busy.contains(x.instance()));
        busy.add(s.instance());
      }
      probe.close();
    } finally {
      await(epoll.close());
    }
  }

  @Test
  @DisplayName("fails its start, rather than hanging it, when an address of its binding can't be converted")
  void unconvertibleAddressFailsTheStart(Vertx vertx) throws IOException {
    // Binding.of takes the address as given; the configuration reader would have refused this one
    Binding binding = new Binding(null, null, List.of("127.0.0.1", "not-an-ip-address"), 0);
    UdpEchoVerticle verticle = new UdpEchoVerticle(UdpListenerConfig.of("udp-echo", binding).withEngine(engine), RUNTIME, List.of(0, 0));
    assertThat(awaitFailure(vertx.deployVerticle(verticle))).isInstanceOf(java.net.UnknownHostException.class);
    assertThat(verticle.boundPorts()).isEmpty();
  }
}
