package dev.netserver.tcp;

import dev.netserver.TestClient;
import dev.netserver.config.Binding;
import dev.netserver.config.Cidr;
import dev.netserver.config.ProxyProtocolConfig;
import dev.netserver.config.TcpListenerConfig;
import dev.netserver.config.TcpProtocol;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real HAProxy (Debian's {@code haproxy}; .ci/run installs it) in front of a greeting listener, sending
 * the PROXY header of each version: the greeting welcomes the client HAProxy saw, which connects from
 * 127.0.0.2 so that it differs from HAProxy's own address (127.0.0.1).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@DisplayName("netserver behind the real HAProxy")
class HAProxyTest {

  static final String HAPROXY = "/usr/sbin/haproxy";

  private Vertx vertx;
  private Process haproxy;

  @BeforeEach
  void setUp(Vertx vertx) {
    assumeTrue(new File(HAPROXY).canExecute(), HAPROXY + " is not installed (apt-get install haproxy; .ci/run does)");
    this.vertx = vertx;
  }

  @AfterEach
  void stopHaproxy() throws InterruptedException {
    if (haproxy != null) {
      haproxy.destroy();
      if (!haproxy.waitFor(10, TimeUnit.SECONDS)) {
        haproxy.destroyForcibly().waitFor();
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"send-proxy", "send-proxy-v2"})
  @DisplayName("welcomes the client's address and port as HAProxy saw them")
  void throughHaproxy(String sendProxy, @TempDir Path dir) throws Exception {
    int netserver = TcpListeners.start(vertx, TcpListenerConfig.of("behind", TcpProtocol.GREETING, Binding.of("127.0.0.1", 0))
      .withProxyProtocol(ProxyProtocolConfig.trusting(List.of(Cidr.parse("127.0.0.1")))));
    int front = startHaproxy(dir, netserver, sendProxy);
    try (Socket client = new Socket()) {
      client.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
      client.connect(new InetSocketAddress("127.0.0.1", front), TestClient.TIMEOUT_MS);
      client.setSoTimeout(TestClient.TIMEOUT_MS);
      client.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
      String got = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(got).isEqualTo("Welcome, 127.0.0.2:" + client.getLocalPort() + "\n" + GreetingServerTest.PROMPT
        + "You entered 5 characters.\n");
    }
  }

  /** Starts HAProxy in the foreground on a free loopback port, in front of {@code backend}; returns its port. */
  private int startHaproxy(Path dir, int backend, String sendProxy) throws Exception {
    int port = freePort();
    Path config = dir.resolve("haproxy.cfg");
    Files.writeString(config, String.join("\n",
      "global",
      "  maxconn 100",
      "defaults",
      "  mode tcp",
      "  timeout connect 5s",
      "  timeout client 30s",
      "  timeout server 30s",
      "frontend front",
      "  bind 127.0.0.1:" + port,
      "  default_backend netserver",
      "backend netserver",
      "  server n1 127.0.0.1:" + backend + " " + sendProxy,
      ""));
    haproxy = new ProcessBuilder(HAPROXY, "-db", "-f", config.toString())
      .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();
    awaitAccepting(port, dir);
    return port;
  }

  /** Waits (up to 10 s) until HAProxy's port accepts connections; fails with its output if it exited. */
  private void awaitAccepting(int port, Path dir) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try (Socket probe = new Socket()) {
        probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        if (!haproxy.isAlive() || System.nanoTime() > deadline) {
          throw new AssertionError("haproxy did not listen on " + port + ": " + Files.readString(dir.resolve("haproxy.log")));
        }
        // not a synchronisation sleep: HAProxy says nothing when it listens, so its port is polled
        haproxy.waitFor(50, TimeUnit.MILLISECONDS);
      }
    }
  }

  /** A loopback port free now (HAProxy cannot tell which port it got for port 0). */
  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
