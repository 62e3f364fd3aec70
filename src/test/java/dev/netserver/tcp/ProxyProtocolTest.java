package dev.netserver.tcp;

import ch.qos.logback.classic.Level;
import dev.netserver.LogCapture;
import dev.netserver.StatsProbe;
import dev.netserver.TestClient;
import dev.netserver.config.Binding;
import dev.netserver.config.Cidr;
import dev.netserver.config.Engine;
import dev.netserver.config.ProxyProtocolConfig;
import dev.netserver.config.TcpListenerConfig;
import dev.netserver.config.TcpProtocol;
import dev.netserver.stats.StatsSnapshot;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.netserver.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The PROXY protocol on a greeting listener, byte for byte: each header is written raw, as HAProxy's own
 * regression tests do, and the greeting says which client the server believed.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@DisplayName("The PROXY protocol")
class ProxyProtocolTest {

  static final String PROMPT = GreetingServerTest.PROMPT;
  /** The v2 signature: \r\n\r\n\0\r\nQUIT\n. */
  static final String V2 = "0d0a0d0a000d0a515549540a";
  /** v2 PROXY over TCP4: 192.0.2.10:56324 to 198.51.100.1:443. */
  static final String V2_TCP4_ADDRESSES = "c000020a" + "c6336401" + "dc04" + "01bb";

  private Vertx vertx;
  private StatsProbe probe;
  /** The listener {@link #start} deployed. */
  private TcpServerVerticle listener;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    this.probe = new StatsProbe(vertx);
  }

  /** A greeting listener that trusts {@code trusted}, waits a second for a header; the engine left to auto. */
  private int start(String... trusted) {
    ProxyProtocolConfig proxy = ProxyProtocolConfig.trusting(List.of(trusted).stream().map(Cidr::parse).toList())
      .withTimeoutSeconds(1);
    TcpListenerConfig config = TcpListenerConfig.of("proxied", TcpProtocol.GREETING, Binding.of("127.0.0.1", 0))
      .withProxyProtocol(proxy);
    assertThat(config.engineInUse()).isEqualTo(Engine.VERTX);
    listener = TcpListeners.deploy(vertx, config);
    return listener.boundPorts().get(0);
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex);
  }

  /** Sends {@code header}, then checks the welcome names {@code client} and that the exchange still works. */
  private static void welcomes(int port, byte[] header, String client) {
    try (TestClient c = TestClient.connect(port)) {
      c.send(header);
      String expected = client != null ? client : "127.0.0.1:" + c.localPort();
      assertThat(c.readUntil(PROMPT)).isEqualTo("Welcome, " + expected + "\n" + PROMPT);
      assertThat(c.send("hello\n").readToEnd()).isEqualTo("You entered 5 characters.\n");
    }
  }

  /** Sends {@code bytes} and returns what came back before the server closed (a reset counts as a close). */
  private static String refused(int port, byte[] bytes) {
    try (TestClient c = TestClient.connect(port)) {
      c.send(bytes);
      return readToClose(c.socket());
    }
  }

  private static String readToClose(Socket socket) {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    try {
      byte[] buf = new byte[256];
      for (int n; (n = socket.getInputStream().read(buf)) >= 0; ) {
        got.write(buf, 0, n);
      }
    } catch (java.net.SocketTimeoutException e) {
      throw new AssertionError("not closed within " + TestClient.TIMEOUT_MS + " ms", e);
    } catch (IOException reset) {
      // closed by a reset: what was read before it stands
    }
    return got.toString(StandardCharsets.UTF_8);
  }

  /** The listener still serves a proper header after a bad one. */
  private void stillServes(int port) {
    welcomes(port, ascii("PROXY TCP4 192.0.2.99 198.51.100.1 1234 443\r\n"), "192.0.2.99:1234");
  }

  /**
   * Serves a first connection, which puts the header watch on the listening socket (ProxyHeaderWatch), and waits
   * until the watch acts: only then is a connection that sends no header sure to be seen.
   */
  private void watched(int port) {
    stillServes(port);
    await(listener.guarded());
  }

  @Test
  @DisplayName("v1 TCP4: welcomes the client the header names")
  void v1Tcp4() {
    welcomes(start("127.0.0.1"), ascii("PROXY TCP4 192.0.2.10 198.51.100.1 56324 443\r\n"), "192.0.2.10:56324");
  }

  @Test
  @DisplayName("v1 TCP6: welcomes the IPv6 client the header names")
  void v1Tcp6() {
    welcomes(start("127.0.0.1"), ascii("PROXY TCP6 2001:db8::1 2001:db8::2 4000 443\r\n"), "[2001:db8::1]:4000");
  }

  @Test
  @DisplayName("v1: the client's first bytes may arrive with the header, in one write")
  void v1WithData() {
    try (TestClient c = TestClient.connect(start("127.0.0.1"))) {
      c.send("PROXY TCP4 192.0.2.10 198.51.100.1 56324 443\r\nhi there\n");
      assertThat(c.readToEnd()).isEqualTo("Welcome, 192.0.2.10:56324\n" + PROMPT + "You entered 8 characters.\n");
    }
  }

  @Test
  @DisplayName("v1 UNKNOWN: the connection's own address is the client")
  void v1Unknown() {
    welcomes(start("127.0.0.1"), ascii("PROXY UNKNOWN\r\n"), null);
  }

  @Test
  @DisplayName("v2 PROXY TCP4: welcomes the client the header names")
  void v2Tcp4() {
    welcomes(start("127.0.0.1"), hex(V2 + "21" + "11" + "000c" + V2_TCP4_ADDRESSES), "192.0.2.10:56324");
  }

  @Test
  @DisplayName("v2 PROXY TCP4 with a TLV after the addresses: the TLV is skipped")
  void v2Tlv() {
    welcomes(start("127.0.0.1"), hex(V2 + "21" + "11" + "0011" + V2_TCP4_ADDRESSES + "04" + "0002" + "abcd"), "192.0.2.10:56324");
  }

  @Test
  @DisplayName("v2 PROXY TCP6: welcomes the IPv6 client the header names")
  void v2Tcp6() {
    String addresses = "20010db8000000000000000000000001" + "20010db8000000000000000000000002" + "0fa0" + "01bb";
    welcomes(start("127.0.0.1"), hex(V2 + "21" + "21" + "0024" + addresses), "[2001:db8::1]:4000");
  }

  @Test
  @DisplayName("v2 LOCAL (a health check from the balancer itself): the connection's own address is the client")
  void v2Local() {
    welcomes(start("127.0.0.1"), hex(V2 + "20" + "00" + "0000"), null);
  }

  @Test
  @DisplayName("a connection from outside trustedSources is closed before its header is believed, and counted")
  void untrusted() {
    int port = start("127.0.0.2/32", "10.0.0.0/8");
    assertThat(refused(port, ascii("PROXY TCP4 192.0.2.10 198.51.100.1 56324 443\r\n"))).isEmpty();
    probe.awaitCounter("proxied", "proxyUntrusted", 1);
    // from a trusted source, the same header is believed
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
      s.connect(new InetSocketAddress("127.0.0.1", port), TestClient.TIMEOUT_MS);
      s.setSoTimeout(TestClient.TIMEOUT_MS);
      s.getOutputStream().write(ascii("PROXY TCP4 192.0.2.10 198.51.100.1 56324 443\r\nhi\n"));
      assertThat(readToClose(s)).startsWith("Welcome, 192.0.2.10:56324\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(probe.awaitCounter("proxied", "connectionsAccepted", 1).counter("proxyUntrusted")).isEqualTo(1);
  }

  /** Each malformed header: closed with no answer, counted as proxyInvalid, no stack trace, the listener unharmed. */
  private void invalid(String header, byte[] bytes) {
    int port = start("127.0.0.1");
    try (LogCapture log = LogCapture.of(org.slf4j.Logger.ROOT_LOGGER_NAME)) {
      assertThat(refused(port, bytes)).as(header).isEmpty();
      probe.awaitCounter("proxied", "proxyInvalid", 1);
      stillServes(port);
      assertThat(log.events()).as("log lines with a stack trace")
        .noneMatch(e -> e.getThrowableProxy() != null);
      assertThat(log.atLeast(Level.WARN)).as("warnings").isEmpty();
    }
  }

  @Test
  @DisplayName("v1 declaring UDP4 is refused")
  void v1Udp() {
    invalid("v1 UDP4", ascii("PROXY UDP4 192.0.2.10 198.51.100.1 56324 443\r\n"));
  }

  @Test
  @DisplayName("v2 declaring a datagram transport (UDP over IPv4) is refused")
  void v2Dgram() {
    invalid("v2 UDP4", hex(V2 + "21" + "12" + "000c" + V2_TCP4_ADDRESSES));
  }

  @Test
  @DisplayName("v1 longer than 107 bytes is refused")
  void v1TooLong() {
    invalid("v1 too long", ascii("PROXY TCP6 " + "f".repeat(100) + " ::1 1 2\r\n"));
  }

  @Test
  @DisplayName("v1 ending in a bare LF, with the client's line after it, is refused once it passes 107 bytes")
  void v1WithoutCrlf() {
    invalid("v1 LF only", ascii("PROXY TCP4 192.0.2.10 198.51.100.1 56324 443\n" + "x".repeat(70) + "\n"));
  }

  @Test
  @DisplayName("v2 whose address block is shorter than its family needs is refused")
  void v2Truncated() {
    invalid("v2 TCP4, 8 address bytes", hex(V2 + "21" + "11" + "0008" + "c000020ac6336401"));
  }

  @Test
  @DisplayName("v2 with a TLV whose length overruns the header is refused")
  void v2TlvOverrun() {
    invalid("v2 TLV overrun", hex(V2 + "21" + "11" + "0013" + V2_TCP4_ADDRESSES + "04" + "00ff" + "abcdabcd"));
  }

  @Test
  @DisplayName("a v2 signature with one wrong byte is refused")
  void wrongSignature() {
    invalid("QUIX", hex("0d0a0d0a000d0a515549580a" + "21" + "11" + "000c" + V2_TCP4_ADDRESSES));
  }

  @Test
  @DisplayName("a connection that starts with something else than a header (HTTP) is refused")
  void notAHeader() {
    invalid("HTTP", ascii("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  }

  @Test
  @DisplayName("a connection that sends no whole header within timeoutSeconds is closed, with no answer, and counted as proxyInvalid")
  void timeout() {
    int port = start("127.0.0.1");
    watched(port);
    int timedOut = 0;
    for (byte[] partial : List.of(new byte[0], ascii("PROXY TCP4 192.0.2.10"), hex(V2 + "21" + "11" + "000c" + "c000"))) {
      long began = System.nanoTime();
      assertThat(refused(port, partial)).isEmpty();
      assertThat(System.nanoTime() - began).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(900));
      probe.awaitCounter("proxied", "proxyInvalid", ++timedOut);
    }
    stillServes(port);
    assertThat(probe.awaitCounter("proxied", "connectionsAccepted", 2).counter("proxyInvalid")).isEqualTo(3);
  }

  @Test
  @DisplayName("a connection from outside trustedSources that sends no header is closed at timeoutSeconds and counted as proxyUntrusted")
  void untrustedTimeout() throws IOException {
    int port = start("127.0.0.2/32");
    try (Socket trusted = new Socket()) {
      trusted.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
      trusted.connect(new InetSocketAddress("127.0.0.1", port), TestClient.TIMEOUT_MS);
      trusted.setSoTimeout(TestClient.TIMEOUT_MS);
      trusted.getOutputStream().write(ascii("PROXY TCP4 192.0.2.10 198.51.100.1 56324 443\r\nhi\n"));
      assertThat(readToClose(trusted)).startsWith("Welcome, 192.0.2.10:56324\n");
    }
    await(listener.guarded()); // the first connection put the header watch on the listening socket
    assertThat(refused(port, new byte[0])).isEmpty();
    StatsSnapshot stats = probe.awaitCounter("proxied", "proxyUntrusted", 1);
    assertThat(stats.counter("proxyInvalid")).isZero();
  }

  @Test
  @DisplayName("a header whose TLV overruns it, closed only at timeoutSeconds, is counted once")
  void tlvOverrunCountedOnce() {
    int port = start("127.0.0.1");
    watched(port);
    long began = System.nanoTime();
    assertThat(refused(port, hex(V2 + "21" + "11" + "0013" + V2_TCP4_ADDRESSES + "04" + "00ff" + "abcdabcd"))).isEmpty();
    assertThat(System.nanoTime() - began).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(900));
    stillServes(port);
    assertThat(probe.awaitCounter("proxied", "connectionsAccepted", 2).counter("proxyInvalid")).isEqualTo(1);
  }
}
