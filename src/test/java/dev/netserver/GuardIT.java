package dev.netserver;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11's attacks against the packaged jar, as the process a user runs: slow clients that trickle a line
 * (slowloris) and a datagram that would loop between two UDP echo listeners. The limits one by one are
 * tested in-process on both engines (tcp.TcpGuardTest, udp.UdpGuardTest); these check the shipped defaults
 * hold in the real process.
 */
@DisplayName("The packaged server under attack")
class GuardIT {

  private static final String PROMPT = "Please enter a string: ";

  @TempDir
  Path dir;

  private Path config(JsonObject json) throws IOException {
    return Files.writeString(dir.resolve("config.json"), json.encodePrettily());
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  @DisplayName("500 slow clients: a normal client is welcomed within 1 s and answered; the slow ones are cut at lineTimeoutSeconds")
  void slowloris() throws Exception {
    JsonObject json = new JsonObject()
      .put("tcp", new JsonArray().add(new JsonObject().put("name", "greeter").put("protocol", "greeting")
        .put("host", "127.0.0.1").put("port", 0).put("lineTimeoutSeconds", 3)))
      .put("udp", new JsonArray())
      .put("stats", new JsonObject().put("publishIntervalMs", 100).put("logIntervalSeconds", 1));
    try (ServerProcess server = ServerProcess.jar("-conf", config(json).toString())) {
      int port = server.port("greeter");
      List<SocketChannel> slow = new ArrayList<>();
      try {
        for (int i = 0; i < 500; i++) {
          SocketChannel c = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
          c.write(ByteBuffer.wrap(new byte[] {'x'})); // one byte of a line that never ends
          slow.add(c);
        }
        server.awaitLine("greeter tcp: 500 accepted \\(500 active\\)");

        long start = System.nanoTime();
        try (TestClient normal = TestClient.connect(port)) {
          assertThat(normal.readUntil(PROMPT)).startsWith("Welcome, 127.0.0.1:");
          long welcomedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
          assertThat(welcomedMs).as("ms to the welcome, 500 slow clients connected").isLessThan(1000);
          assertThat(normal.send("hello\n").readToEnd()).isEqualTo("You entered 5 characters.\n");
        }

        // each slow client is cut off by the line deadline, with a line saying why
        for (SocketChannel c : slow) {
          c.socket().setSoTimeout(10_000);
          byte[] all = c.socket().getInputStream().readAllBytes();
          assertThat(new String(all, StandardCharsets.UTF_8)).startsWith("Welcome, ").contains("Line too slow");
        }
      } finally {
        for (SocketChannel c : slow) {
          c.close();
        }
      }
      assertThat(server.terminate()).isEqualTo(143);
      assertThat(server.output()).contains("final: greeter tcp: 501 accepted (0 active)").contains("1 answered, 500 refused");
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  @DisplayName("a datagram from one UDP echo listener's address to another is not echoed: no loop starts")
  void udpLoopDiesOut() throws Exception {
    // listener a allows a second socket on its address (reuseAddress), so the test can send from a's own
    // address and port, as a spoofed datagram would. Without the guard b echoed it to a, a back to b, forever
    // (the test's socket is closed at once, so the echo would reach a); with it, b drops it (droppedOwnSource)
    JsonObject json = new JsonObject()
      .put("tcp", new JsonArray())
      .put("udp", new JsonArray()
        .add(new JsonObject().put("name", "a").put("protocol", "echo").put("host", "127.0.0.1").put("port", 0)
          .put("socket", new JsonObject().put("reuseAddress", true)))
        .add(new JsonObject().put("name", "b").put("protocol", "echo").put("host", "127.0.0.1").put("port", 0)))
      .put("stats", new JsonObject().put("publishIntervalMs", 100).put("logIntervalSeconds", 1));
    try (ServerProcess server = ServerProcess.jar("-conf", config(json).toString())) {
      int a = server.port("a");
      int b = server.port("b");
      InetAddress loopback = InetAddress.getByName("127.0.0.1");
      try (DatagramSocket spoof = new DatagramSocket(null)) {
        spoof.setReuseAddress(true);
        spoof.bind(new InetSocketAddress(loopback, a));
        spoof.send(new DatagramPacket(new byte[] {'l', 'o', 'o', 'p'}, 4, loopback, b));
      }
      server.awaitLine("b udp: 1 datagrams \\(0 echoed, 1 dropped\\)");

      // b still serves clients; the next summary line, a second later or more, still counts b's two only
      try (DatagramSocket client = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
        client.setSoTimeout(5000);
        client.send(new DatagramPacket(new byte[] {'h', 'i'}, 2, loopback, b));
        DatagramPacket reply = new DatagramPacket(new byte[16], 16);
        client.receive(reply);
        assertThat(reply.getLength()).isEqualTo(2);
      }
      server.awaitLine("b udp: 2 datagrams \\(1 echoed, 1 dropped\\)");
      assertThat(server.terminate()).isEqualTo(143);
      assertThat(server.output())
        .contains("final: a udp: 0 datagrams (0 echoed, 0 dropped)")
        .contains("final: b udp: 2 datagrams (1 echoed, 1 dropped)");
    }
  }
}
