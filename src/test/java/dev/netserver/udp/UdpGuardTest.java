package dev.netserver.udp;

import dev.netserver.StatsProbe;
import dev.netserver.TestTransports;
import dev.netserver.config.Binding;
import dev.netserver.config.Engine;
import dev.netserver.config.UdpLimits;
import dev.netserver.config.UdpListenerConfig;
import dev.netserver.config.UdpSocketConfig;
import dev.netserver.stats.StatsSnapshot;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static dev.netserver.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The UDP echo's guards against loops and floods (issue 11), on both engines.
 *
 * <p>A loop needs a datagram whose source is a listener's own address and port. A test can't spoof a source
 * without raw sockets, so it uses a real socket on that address and port: listener A is configured with
 * {@code reuseAddress} (SO_REUSEADDR), which lets the test's socket, also with SO_REUSEADDR, bind 127.0.0.1 at
 * A's port next to it, on every transport (Linux allows that for UDP when both sockets ask for it). The test
 * holds the server's only event loop, sends from that socket, closes it, then releases the loop: the server
 * reads the datagram after the test's socket is gone, so a reply to 127.0.0.1 at A's port can only reach A,
 * exactly as if A had sent the datagram. (SO_REUSEPORT would do as well, but only on a native transport, and
 * the kernel would spread the replies over both sockets; IP_TRANSPARENT needs root.) Listener B keeps the
 * default configuration, which is what must stop the two-listener loop. Without the own-source rule, both
 * loops ran at 100,000-300,000 datagrams/s until the test gave up, on every transport and both engines.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
@DisplayName("The UDP echo's guards")
@ParameterizedClass(name = "engine {0}")
@EnumSource(value = Engine.class, names = {"DIRECT", "VERTX"})
class UdpGuardTest {

  @Parameter
  Engine engine;

  private static final UdpSocketConfig SHARED_ADDRESS = new UdpSocketConfig(true, false, false, -1, -1, -1);
  private static final InetAddress SECOND_LOOPBACK = address("127.0.0.2");

  private Vertx vertx;
  private StatsProbe probe;

  /** A Vert.x with one event loop, so that a test can hold the server while it prepares a datagram's arrival. */
  private void on(String transport) {
    vertx = TestTransports.vertxOn(transport, new VertxOptions().setEventLoopPoolSize(1));
    probe = new StatsProbe(vertx);
  }

  @AfterEach
  void stopVertx() {
    if (vertx != null) {
      probe.close();
      await(vertx.close());
    }
  }

  private static UdpListenerConfig echo(String name) {
    return UdpListenerConfig.of(name, Binding.of("127.0.0.1", 0));
  }

  private int start(UdpListenerConfig config) {
    UdpEchoVerticle verticle = new UdpEchoVerticle(config.withEngine(engine), UdpEchoTest.RUNTIME);
    await(vertx.deployVerticle(verticle));
    return verticle.boundPorts().get(0);
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("dev.netserver.TestTransports#all")
  @DisplayName("never echoes a datagram whose source is the listener itself (it would loop forever), and counts it")
  void selfLoop(String transport) throws Exception {
    on(transport);
    // On the wildcard, A owns every local address: the test's socket takes 127.0.0.1 at A's port and sends to
    // 127.0.0.2, where A alone listens (with both on one address, the kernel may hand the datagram back to
    // the test's socket instead, as epoll's did). A's answer to 127.0.0.1 would come from 127.0.0.1: itself.
    int a = start(UdpListenerConfig.of("a", Binding.of("0.0.0.0", 0)).withSocket(SHARED_ADDRESS));
    try (HeldLoop held = new HeldLoop(vertx)) {
      sendAs(a, SECOND_LOOPBACK, a, new byte[] {1});
    }
    StatsSnapshot s = probe.awaitCounter("a", "droppedOwnSource", 1);
    assertThat(s.counter("datagramsEchoed")).isZero();
    assertStopped("a");
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("dev.netserver.TestTransports#all")
  @DisplayName("stops the ping-pong of two echo listeners at once under the default configuration, and counts it")
  void twoListenerLoopDiesOut(String transport) throws Exception {
    on(transport);
    int a = start(echo("a").withSocket(SHARED_ADDRESS));
    int b = start(echo("b"));
    long released;
    try (HeldLoop held = new HeldLoop(vertx)) {
      sendAs(a, InetAddress.getLoopbackAddress(), b, new byte[] {2});
      released = System.currentTimeMillis();
    }
    probe.awaitCounter("b", "droppedOwnSource", 1);
    // one second after the datagram, the pair has stopped: the echoes counted no longer grow
    StatsSnapshot sa = probe.await("a", x -> x.timestamp() > released + 1000);
    StatsSnapshot sb = probe.await("b", x -> x.timestamp() > released + 1000);
    assertStopped("a", "b");
    // B dropped the first datagram, so neither echoed at all
    assertThat(sa.counter("datagramsEchoed") + sb.counter("datagramsEchoed")).as("echoes of the pair").isZero();
    // and B still answers everyone else
    try (DatagramSocket client = client(InetAddress.getLoopbackAddress())) {
      send(client, b, new byte[] {3});
      assertThat(receive(client)).containsExactly(3);
    }
  }

  @Test
  @DisplayName("drops a datagram from any local address whose source port is one of the process's UDP listener ports")
  void ownPortFromAnotherLocalAddress() throws Exception {
    on("nio");
    int a = start(echo("a"));
    int b = start(echo("b"));
    // 127.0.0.2 is local (loopback), and port a is a listener's: this could be a loop, so it is not answered
    try (DatagramSocket asA = new DatagramSocket(new InetSocketAddress(SECOND_LOOPBACK, a));
         DatagramSocket other = client(SECOND_LOOPBACK)) {
      send(asA, b, new byte[] {4});
      send(other, b, new byte[] {5});
      assertThat(receive(other)).containsExactly(5);
      StatsSnapshot s = probe.awaitCounter("b", "droppedOwnSource", 1);
      assertThat(s.counter("datagramsEchoed")).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("limits each source to datagramsPerSecondPerSource (exempt []), while another source is answered")
  void perSourceRate() throws Exception {
    on("nio");
    int port = start(echo("r").withLimits(new UdpLimits(1, 0, 3, List.of())));
    try (DatagramSocket first = client(InetAddress.getLoopbackAddress()); DatagramSocket second = client(SECOND_LOOPBACK)) {
      // sent while the server is held, so all arrive within the same instant: a burst of 3, no refill
      try (HeldLoop held = new HeldLoop(vertx)) {
        for (int i = 0; i < 10; i++) {
          send(first, port, new byte[] {(byte) i});
        }
        send(second, port, new byte[] {20});
        send(second, port, new byte[] {21});
      }
      StatsSnapshot s = probe.await("r", x -> x.counter("datagramsIn") == 12);
      assertThat(s.counter("droppedRatePerSource")).as("%s", s.toJson()).isEqualTo(7);
      assertThat(s.counter("datagramsEchoed")).isEqualTo(5);
      assertThat(receive(second)).containsExactly(20);
      assertThat(receive(second)).containsExactly(21);
      for (int i = 0; i < 3; i++) {
        assertThat(receive(first)).containsExactly(i);
      }
      // its bucket refills (1 a second): the throttled source is answered again
      assertThat(answeredWithin(first, port, 5)).isTrue();
    }
  }

  @Test
  @DisplayName("never throttles a source in limits.exempt (loopback by default)")
  void exemptSource() throws Exception {
    on("nio");
    int port = start(echo("x").withLimits(new UdpLimits(1, 0, 1, UdpLimits.DEFAULT.exempt())));
    try (DatagramSocket client = client(InetAddress.getLoopbackAddress())) {
      try (HeldLoop held = new HeldLoop(vertx)) {
        for (int i = 0; i < 5; i++) {
          send(client, port, new byte[] {(byte) i});
        }
      }
      for (int i = 0; i < 5; i++) {
        assertThat(receive(client)).containsExactly(i);
      }
      assertThat(probe.awaitCounter("x", "datagramsEchoed", 5).counter("droppedRatePerSource")).isZero();
    }
  }

  @Test
  @DisplayName("limits the listener to datagramsPerSecond over all sources, exempt ones included")
  void overallRate() throws Exception {
    on("nio");
    int port = start(echo("g").withLimits(new UdpLimits(0, 1, 3, UdpLimits.DEFAULT.exempt())));
    try (DatagramSocket first = client(InetAddress.getLoopbackAddress()); DatagramSocket second = client(SECOND_LOOPBACK)) {
      try (HeldLoop held = new HeldLoop(vertx)) {
        for (int i = 0; i < 4; i++) {
          send(first, port, new byte[] {(byte) i});
          send(second, port, new byte[] {(byte) i});
        }
      }
      StatsSnapshot s = probe.await("g", x -> x.counter("datagramsIn") == 8);
      assertThat(s.counter("droppedRate")).as("%s", s.toJson()).isEqualTo(5);
      assertThat(s.counter("datagramsEchoed")).isEqualTo(3);
      assertThat(s.counter("droppedRatePerSource")).isZero();
      assertThat(answeredWithin(first, port, 5)).isTrue();
    }
  }

  @Test
  @DisplayName("shares datagramsPerSecond between the instances of a listener (reusePort, epoll)")
  void overallRateSharedByInstances() throws Exception {
    on("epoll");
    UdpListenerConfig config = echo("shared").withEngine(engine).withInstances(2)
      .withSocket(new UdpSocketConfig(false, true, false, -1, -1, -1))
      .withLimits(new UdpLimits(0, 1, 3, UdpLimits.DEFAULT.exempt()));
    UdpEchoVerticle first = new UdpEchoVerticle(config, UdpEchoTest.RUNTIME);
    await(vertx.deployVerticle(first));
    await(vertx.deployVerticle(new UdpEchoVerticle(first)));
    int port = first.boundPorts().get(0);
    // 16 senders: the kernel spreads them over both sockets by their address
    List<DatagramSocket> clients = new ArrayList<>();
    try {
      try (HeldLoop held = new HeldLoop(vertx)) {
        for (int i = 0; i < 16; i++) {
          DatagramSocket client = client(InetAddress.getLoopbackAddress());
          clients.add(client);
          send(client, port, new byte[] {(byte) i});
        }
      }
      Map<String, StatsSnapshot> latest = new HashMap<>();
      probe.await("shared", x -> {
        latest.put(x.instance(), x);
        return latest.values().stream().mapToLong(i -> i.counter("datagramsIn")).sum() == 16;
      });
      // (the chance that 16 senders all hash to one socket is 1 in 32768)
      assertThat(latest.values()).as("both instances received some").hasSize(2)
        .allSatisfy(i -> assertThat(i.counter("datagramsIn")).isPositive());
      // one bucket for the listener: 3 answered in all, not 3 per instance (6, with a bucket each)
      assertThat(latest.values().stream().mapToLong(i -> i.counter("datagramsEchoed")).sum()).isEqualTo(3);
      assertThat(latest.values().stream().mapToLong(i -> i.counter("droppedRate")).sum()).isEqualTo(13);
    } finally {
      for (DatagramSocket client : clients) {
        client.close();
      }
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("dev.netserver.TestTransports#all")
  @DisplayName("reports the kernel's receive-buffer drops of its socket (droppedKernel) as /proc/net/udp counts them")
  void kernelDrops(String transport) throws Exception {
    on(transport);
    assumeTrue(Files.isReadable(Path.of("/proc/net/udp")), "droppedKernel is read from Linux's /proc/net/udp");
    // the smallest receive buffer the vertx engine accepts for 1000-byte datagrams: a few of them fill it
    int port = start(echo("k").withMaxDatagramBytes(1000).withSocket(new UdpSocketConfig(false, false, false, 1001, -1, -1)));
    int sent = 200;
    long dropped;
    try (DatagramSocket client = client(InetAddress.getLoopbackAddress())) {
      try (HeldLoop held = new HeldLoop(vertx)) {
        for (int i = 0; i < sent; i++) {
          send(client, port, new byte[500]);
        }
        dropped = procDrops(port);
      }
    }
    assertThat(dropped).as("drops in /proc/net/udp").isPositive();
    StatsSnapshot s = probe.await("k", x -> x.counter("droppedKernel") == dropped && x.counter("datagramsIn") == sent - dropped);
    assertThat(s.counter("datagramsEchoed")).isEqualTo(sent - dropped);
  }

  /** Whether a datagram from {@code client} is answered, trying once every 200 ms for up to {@code seconds}. */
  private static boolean answeredWithin(DatagramSocket client, int port, int seconds) throws IOException {
    client.setSoTimeout(200);
    byte[] probeData = {77};
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      send(client, port, probeData);
      try {
        if (receive(client)[0] == 77) {
          return true;
        }
      } catch (SocketTimeoutException e) {
        // dropped: the bucket is still empty; try again
      }
    }
    return false;
  }

  /**
   * Waits for snapshots of each listener more than half a second apart and checks nothing arrived in between:
   * a loop, once started, never lets the counters rest.
   */
  private void assertStopped(String... listeners) {
    for (String listener : listeners) {
      StatsSnapshot before = probe.await(listener, x -> true);
      StatsSnapshot after = probe.await(listener, x -> x.timestamp() > before.timestamp() + 500);
      assertThat(after.counter("datagramsIn")).as("%s still receiving: %s", listener, after.toJson())
        .isEqualTo(before.counter("datagramsIn"));
    }
  }

  /** Sends {@code data} to {@code to}:{@code toPort} from 127.0.0.1:{@code asPort}, a listener's own address (see the class comment). */
  private static void sendAs(int asPort, InetAddress to, int toPort, byte[] data) throws IOException {
    try (DatagramSocket socket = new DatagramSocket(null)) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), asPort));
      socket.send(new DatagramPacket(data, data.length, to, toPort));
    }
  }

  /** The {@code drops} of the sockets bound to {@code port} in /proc/net/udp and udp6, read independently of the server's reader. */
  private static long procDrops(int port) throws IOException {
    String suffix = String.format(Locale.ROOT, ":%04X", port);
    long drops = 0;
    for (String file : List.of("/proc/net/udp", "/proc/net/udp6")) {
      Path path = Path.of(file);
      if (!Files.isReadable(path)) {
        continue;
      }
      for (String line : Files.readAllLines(path)) {
        String[] f = line.trim().split("\\s+");
        if (f.length > 12 && f[1].endsWith(suffix)) {
          drops += Long.parseLong(f[f.length - 1]);
        }
      }
    }
    return drops;
  }

  private static DatagramSocket client(InetAddress address) throws IOException {
    DatagramSocket socket = new DatagramSocket(new InetSocketAddress(address, 0));
    socket.setSoTimeout(5000);
    return socket;
  }

  private static void send(DatagramSocket socket, int port, byte[] data) throws IOException {
    socket.send(new DatagramPacket(data, data.length, InetAddress.getLoopbackAddress(), port));
  }

  private static byte[] receive(DatagramSocket socket) throws IOException {
    DatagramPacket packet = new DatagramPacket(new byte[2000], 2000);
    socket.receive(packet);
    return java.util.Arrays.copyOf(packet.getData(), packet.getLength());
  }

  private static InetAddress address(String ip) {
    try {
      return InetAddress.getByName(ip);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
