package dev.netserver;

import dev.netserver.config.NetserverConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@DisplayName("reusePort on a port another process serves")
class PortSharingTest {

  private static NetserverConfig config(int tcpPort, int udpPort, boolean reusePort) {
    JsonObject socket = new JsonObject().put("reusePort", reusePort);
    return NetserverConfig.read("test", new JsonObject()
      .put("tcp", new JsonArray().add(new JsonObject().put("name", "greeter").put("protocol", "greeting")
        .put("host", "127.0.0.1").put("port", tcpPort).put("socket", socket)))
      .put("udp", new JsonArray().add(new JsonObject().put("name", "udp-echo").put("protocol", "echo")
        .put("host", "127.0.0.1").put("port", udpPort).put("socket", socket))));
  }

  @Test
  @DisplayName("is warned about, TCP and UDP, naming the listener, the port and the other socket's address")
  void warnsWhenServed() throws Exception {
    assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux's /proc/net");
    try (ServerSocket tcp = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
         DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      assertThat(PortSharing.warnings(config(tcp.getLocalPort(), udp.getLocalPort(), true), Path.of("/proc/net")))
        .containsExactly(
          "greeter: TCP port " + tcp.getLocalPort() + " is already served by another process (on 127.0.0.1); with reusePort"
            + " both will bind it and the kernel will share the traffic between them",
          "udp-echo: UDP port " + udp.getLocalPort() + " is already served by another process (on 127.0.0.1); with reusePort"
            + " both will bind it and the kernel will share the traffic between them");
      assertThat(PortSharing.warnings(config(tcp.getLocalPort(), udp.getLocalPort(), false), Path.of("/proc/net")))
        .as("without reusePort the bind itself fails, with its own message").isEmpty();
    }
  }

  @Test
  @DisplayName("is not warned about when nothing serves the port")
  void quietOnAFreePort() throws Exception {
    int tcpPort;
    int udpPort;
    try (ServerSocket tcp = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
         DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      tcpPort = tcp.getLocalPort();
      udpPort = udp.getLocalPort();
    }
    assertThat(PortSharing.warnings(config(tcpPort, udpPort, true), Path.of("/proc/net"))).isEmpty();
  }

  @Test
  @DisplayName("reads /proc/net's addresses: IPv4 and IPv6, in the kernel's byte order")
  void readsAddresses() {
    assertThat(PortSharing.address("0100007F")).isEqualTo("127.0.0.1");
    assertThat(PortSharing.address("00000000")).isEqualTo("0.0.0.0");
    assertThat(PortSharing.address("00000000000000000000000001000000")).isEqualTo("[0:0:0:0:0:0:0:1]");
  }
}
