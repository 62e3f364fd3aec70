package dev.netserver.tcp;

import dev.netserver.config.Binding;
import dev.netserver.config.ListenerRuntime;
import dev.netserver.config.ShutdownConfig;
import dev.netserver.config.StatsConfig;
import dev.netserver.config.TcpListenerConfig;
import dev.netserver.config.TcpProtocol;
import dev.netserver.config.UdpListenerConfig;
import dev.netserver.udp.UdpEchoVerticle;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.netserver.Await.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A listener on several addresses (an {@code interface}) whose later address is taken: the deployment
 * fails, and the addresses it did bind are given back.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
@DisplayName("A listener on two addresses, the second one taken")
class PartialBindTest {

  private static final ListenerRuntime RUNTIME = new ListenerRuntime("test-node", new StatsConfig(20, 0), new ShutdownConfig(1));

  @Test
  @DisplayName("TCP: fails to start and leaves the first address free")
  void tcp(Vertx vertx) throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.2"))) {
      int port = taken.getLocalPort();
      Binding both = new Binding(null, "lo", List.of("127.0.0.1", "127.0.0.2"), port);
      TcpListenerConfig config = TcpListenerConfig.of("greeter", TcpProtocol.GREETING, both);
      assertThat(awaitFailure(vertx.deployVerticle(new TcpServerVerticle(config, RUNTIME))))
        .hasMessageContaining("Address already in use");
      try (ServerSocket again = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"))) {
        assertThat(again.getLocalPort()).isEqualTo(port);
      }
    }
  }

  @Test
  @DisplayName("UDP: fails to start and leaves the first address free")
  void udp(Vertx vertx) throws IOException {
    try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress("127.0.0.2", 0))) {
      int port = taken.getLocalPort();
      Binding both = new Binding(null, "lo", List.of("127.0.0.1", "127.0.0.2"), port);
      UdpListenerConfig config = UdpListenerConfig.of("udp-echo", both);
      assertThat(awaitFailure(vertx.deployVerticle(new UdpEchoVerticle(config, RUNTIME))))
        .hasMessageContaining("Address already in use");
      try (DatagramSocket again = new DatagramSocket(new InetSocketAddress("127.0.0.1", port))) {
        assertThat(again.getLocalPort()).isEqualTo(port);
      }
    }
  }
}
