package dev.netserver.udp;

import dev.netserver.StatsProbe;
import dev.netserver.config.Binding;
import dev.netserver.config.Engine;
import dev.netserver.config.UdpListenerConfig;
import dev.netserver.stats.StatsSnapshot;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.netserver.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The UDP {@code errors} counter on a real socket: a reply the kernel refuses to send is counted once, and the
 * listener serves on. A reply is refused by making its destination unreachable while the datagram waits to
 * be read: an {@code unreachable} route for one loopback address in the kernel's local table (root and
 * iproute2's {@code ip}, which .ci/run installs), added after the client sent from that address and removed at
 * the end. Only that one address of 127.0.0.0/8 is touched.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
@DisplayName("The UDP echo server's errors counter")
class UdpErrorsTest {

  /** A loopback address no other test uses. */
  private static final String CLIENT = "127.77.77.77";
  private static final List<String> ROUTE = List.of("route", "unreachable", CLIENT + "/32", "table", "local");

  private Vertx vertx;

  @AfterEach
  void stop() {
    if (vertx != null) {
      await(vertx.close());
    }
  }

  @ParameterizedTest(name = "engine {0}")
  @EnumSource(value = Engine.class, names = {"DIRECT", "VERTX"})
  @DisplayName("counts a reply the system refuses to send (no route back to the client) as one error, and serves on")
  void unsendableReplyIsOneError(Engine engine) throws Exception {
    assumeTrue(ip("route", "show", "table", "local"), "needs iproute2's ip (.ci/run installs it)");
    // one event loop, held while the route goes away, so the reply is sent only once the client is unreachable
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    UdpEchoVerticle verticle = new UdpEchoVerticle(UdpListenerConfig.of("udp-echo", Binding.of("127.0.0.1", 0))
      .withEngine(engine), UdpEchoTest.RUNTIME);
    await(vertx.deployVerticle(verticle));
    int port = verticle.boundPorts().get(0);
    try (StatsProbe probe = new StatsProbe(vertx);
         DatagramSocket unreachable = new DatagramSocket(new InetSocketAddress(CLIENT, 0));
         DatagramSocket other = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      other.setSoTimeout(5000);
      HeldLoop held = new HeldLoop(vertx);
      boolean routed = false;
      try {
        unreachable.send(new DatagramPacket(new byte[] {1}, 1, InetAddress.getLoopbackAddress(), port));
        routed = ip(concat("add"));
        assumeTrue(routed, "cannot add a route (needs root)");
      } finally {
        held.close();
      }
      try {
        StatsSnapshot s = probe.await("udp-echo", x -> x.counter("errors") >= 1);
        assertThat(s.counter("errors")).as("%s", s.toJson()).isEqualTo(1);
        assertThat(s.counter("datagramsIn")).isEqualTo(1);
      } finally {
        if (routed) {
          assertThat(ip(concat("del"))).as("route removed").isTrue();
        }
      }
      other.send(new DatagramPacket(new byte[] {2}, 1, InetAddress.getLoopbackAddress(), port));
      DatagramPacket reply = new DatagramPacket(new byte[10], 10);
      other.receive(reply);
      assertThat(reply.getLength()).isEqualTo(1);
      assertThat(reply.getData()[0]).isEqualTo((byte) 2);
      assertThat(probe.await("udp-echo", x -> x.counter("datagramsIn") == 2).counter("errors")).isEqualTo(1);
    }
  }

  private static String[] concat(String verb) {
    String[] args = new String[ROUTE.size() + 1];
    args[0] = ROUTE.get(0);
    args[1] = verb;
    for (int i = 1; i < ROUTE.size(); i++) {
      args[i + 1] = ROUTE.get(i);
    }
    return args;
  }

  /** Runs {@code ip ARGS}; whether it succeeded (false when ip is missing too). */
  private static boolean ip(String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of("ip"));
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException missing) {
      return false;
    }
  }
}
