package dev.netserver.udp;

import dev.netserver.StatsProbe;
import dev.netserver.TestTransports;
import dev.netserver.config.Binding;
import dev.netserver.config.Engine;
import dev.netserver.config.UdpListenerConfig;
import dev.netserver.config.UdpSocketConfig;
import dev.netserver.stats.StatsSnapshot;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.netserver.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
@DisplayName("The UDP echo server under overload")
class UdpOverloadTest {

  /** More datagrams of the default maximum size than one read burst's replies can queue (Netty's 64 KiB high-water mark). */
  private static final int BURST = 12;
  private static final int SIZE = UdpListenerConfig.DEFAULT_MAX_DATAGRAM_BYTES;

  private Vertx vertx;

  @AfterEach
  void stop() {
    if (vertx != null) {
      await(vertx.close());
    }
  }

  /**
   * Every transport on the direct engine; the vertx engine where it reads and flushes in bursts
   * ({@code BatchedDatagrams}: the native transports). On NIO, Vert.x's own DatagramSocket flushes each reply
   * as it is sent, so its queue never fills on loopback.
   */
  static Stream<Arguments> cases() {
    return TestTransports.all().flatMap(t -> t.equals("nio") ? Stream.of(Arguments.of(t, Engine.DIRECT))
      : Stream.of(Arguments.of(t, Engine.DIRECT), Arguments.of(t, Engine.VERTX)));
  }

  @ParameterizedTest(name = "on {0}, engine {1}")
  @MethodSource("cases")
  @DisplayName("drops and counts (droppedOverload) the datagrams that arrive while its send queue is full, echoes the rest whole, then recovers")
  void droppedOverload(String transport, Engine engine) throws Exception {
    // one event loop, so the test can hold the server's loop while the burst queues up in the kernel
    vertx = TestTransports.vertxOn(transport, new VertxOptions().setEventLoopPoolSize(1));
    // a receive buffer that holds the whole burst, so none is lost before the server sees it
    UdpSocketConfig bigReceive = new UdpSocketConfig(false, false, false, 1024 * 1024, -1, -1);
    UdpEchoVerticle verticle = new UdpEchoVerticle(UdpListenerConfig.of("udp-echo", Binding.of("127.0.0.1", 0))
      .withSocket(bigReceive).withEngine(engine), UdpEchoTest.RUNTIME);
    await(vertx.deployVerticle(verticle));
    int port = verticle.boundPorts().get(0);
    try (StatsProbe probe = new StatsProbe(vertx); DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      client.setSoTimeout(5000);
      client.setReceiveBufferSize(1024 * 1024);
      // Hold the event loop while the burst is sent: the server then reads it in one wake-up, queueing each
      // reply until the read ends, and its send queue passes the high-water mark part-way through.
      HeldLoop held = new HeldLoop(vertx);
      try {
        for (int i = 0; i < BURST; i++) {
          send(client, port, datagram(i));
        }
      } finally {
        held.close();
      }
      StatsSnapshot s = probe.await("udp-echo", x -> x.counter("datagramsIn") == BURST);
      long echoed = s.counter("datagramsEchoed");
      long dropped = s.counter("droppedOverload");
      assertThat(dropped).as("%s", s.toJson()).isPositive();
      assertThat(echoed + dropped).as("%s", s.toJson()).isEqualTo(BURST);
      assertThat(s.counter("bytesOut")).isEqualTo(echoed * SIZE);
      // each reply that left is one of the burst's datagrams, whole, in order (loopback keeps it)
      int next = 0;
      for (long r = 0; r < echoed; r++) {
        byte[] reply = receive(client);
        assertThat(reply).hasSize(SIZE);
        int index = reply[0];
        assertThat(index).isBetween(next, BURST - 1);
        assertThat(reply).isEqualTo(datagram(index));
        next = index + 1;
      }
      // once the queue has drained, datagrams are echoed again
      send(client, port, new byte[] {99});
      assertThat(receive(client)).containsExactly(99);
      assertThat(probe.await("udp-echo", x -> x.counter("datagramsIn") == BURST + 1).counter("droppedOverload")).isEqualTo(dropped);
    }
  }

  /** Datagram {@code i} of the burst: its index in the first byte, then a pattern of its own. */
  private static byte[] datagram(int i) {
    byte[] data = new byte[SIZE];
    for (int b = 1; b < SIZE; b++) {
      data[b] = (byte) (b * 31 + i);
    }
    data[0] = (byte) i;
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
}
