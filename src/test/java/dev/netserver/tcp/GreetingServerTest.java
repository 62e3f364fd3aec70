package dev.netserver.tcp;

import dev.netserver.StatsProbe;
import dev.netserver.TestTransports;
import dev.netserver.TestClient;
import dev.netserver.config.Binding;
import dev.netserver.config.Engine;
import dev.netserver.config.GreetingTexts;
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
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import static dev.netserver.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@ParameterizedClass(name = "engine {0}")
@EnumSource(value = Engine.class, names = {"DIRECT", "VERTX"})
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
@DisplayName("The TCP greeting server")
class GreetingServerTest {

  static final String PROMPT = "Please enter a string: ";

  @Parameter
  Engine engine;

  private Vertx vertx;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
  }

  static TcpListenerConfig greeter() {
    return TcpListenerConfig.of("greeter", TcpProtocol.GREETING, Binding.of("127.0.0.1", 0)).withInstances(1);
  }

  private int start(TcpListenerConfig config) {
    return TcpListeners.start(vertx, config.withEngine(engine));
  }

  /** Connects, checks the welcome and prompt, sends {@code line} and returns everything up to the close. */
  private static String exchange(int port, byte[] line) {
    try (TestClient client = TestClient.connect(port)) {
      assertThat(client.readUntil(PROMPT)).isEqualTo("Welcome, 127.0.0.1:" + client.localPort() + "\n" + PROMPT);
      return client.send(line).readToEnd();
    }
  }

  private static String exchange(int port, String line) {
    return exchange(port, line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  @DisplayName("welcomes the client by address, prompts, counts the characters of one line and closes")
  void textbookExchange() {
    int port = start(greeter());
    assertThat(exchange(port, "hello world\n")).isEqualTo("You entered 11 characters.\n");
  }

  @Test
  @DisplayName("treats CRLF as the line terminator")
  void crlf() {
    assertThat(exchange(start(greeter()), "hello\r\n")).isEqualTo("You entered 5 characters.\n");
  }

  @Test
  @DisplayName("answers 0 for an empty line")
  void emptyLine() {
    assertThat(exchange(start(greeter()), "\n")).isEqualTo("You entered 0 characters.\n");
  }

  @Test
  @DisplayName("strips leading and trailing white space, Unicode included, before counting")
  void whitespaceOnly() {
    int port = start(greeter());
    assertThat(exchange(port, " \t \u2003 \n")).isEqualTo("You entered 0 characters.\n");
    assertThat(exchange(port, "  two words \t\r\n")).isEqualTo("You entered 9 characters.\n");
  }

  @Test
  @DisplayName("counts Unicode code points of multi-byte UTF-8, not bytes")
  void multiByteUtf8() {
    // h é l l o ␠ w ö r l d ␠ € 😀 = 14 code points in 20 bytes
    assertThat(exchange(start(greeter()), "héllo wörld €😀\n")).isEqualTo("You entered 14 characters.\n");
  }

  @Test
  @DisplayName("counts each malformed UTF-8 sequence as one replacement character")
  void invalidUtf8() {
    byte[] line = {'a', (byte) 0xFF, 'b', (byte) 0xE2, (byte) 0x82, 'c', (byte) 0xC3, '\n'};
    // a, U+FFFD, b, U+FFFD (truncated 3-byte sequence), c, U+FFFD (truncated 2-byte sequence)
    assertThat(exchange(start(greeter()), line)).isEqualTo("You entered 6 characters.\n");
  }

  @Test
  @DisplayName("ignores bytes after the first line")
  void bytesAfterTheLine() {
    assertThat(exchange(start(greeter()), "abc\nmore lines\nand more\n")).isEqualTo("You entered 3 characters.\n");
  }

  @Test
  @DisplayName("answers a partial line when the client half-closes, as the textbook's readline() does")
  void halfCloseWithPartialLine() {
    TcpListeners.assumeHalfClose(engine);
    int port = start(greeter());
    try (TestClient client = TestClient.connect(port)) {
      client.readUntil(PROMPT);
      client.send("abc").halfClose();
      assertThat(client.readToEnd()).isEqualTo("You entered 3 characters.\n");
    }
  }

  @Test
  @DisplayName("closes without an answer when the client half-closes before sending anything, and counts it")
  void halfCloseWithNothing() {
    int port = start(greeter());
    try (StatsProbe probe = new StatsProbe(vertx); TestClient client = TestClient.connect(port)) {
      client.readUntil(PROMPT);
      client.halfClose();
      assertThat(client.readToEnd()).isEmpty();
      StatsSnapshot s = probe.awaitCounter("greeter", "connectionsClosed", 1);
      assertThat(s.counter("linesAnswered")).isZero();
    }
  }

  @Test
  @DisplayName("refuses a line longer than maxLineBytes with a message, closes, and counts it")
  void lineTooLong() {
    int port = start(greeter().withMaxLineBytes(16));
    try (StatsProbe probe = new StatsProbe(vertx); TestClient client = TestClient.connect(port)) {
      client.readUntil(PROMPT);
      client.send("0123456789abcdefX");
      assertThat(client.readToEnd()).isEqualTo("Line too long (limit 16 bytes).\n");
      probe.awaitCounter("greeter", "linesTooLong", 1);
    }
  }

  @Test
  @DisplayName("refuses a long line even when it arrives in small pieces")
  void lineTooLongInPieces() {
    int port = start(greeter().withMaxLineBytes(16));
    try (TestClient client = TestClient.connect(port)) {
      client.readUntil(PROMPT);
      for (int i = 0; i < 20 && !client.socket().isClosed(); i++) {
        try {
          client.send("x");
        } catch (java.io.UncheckedIOException closed) {
          break;
        }
      }
      assertThat(client.readToEnd()).isEqualTo("Line too long (limit 16 bytes).\n");
    }
  }

  @Test
  @DisplayName("accepts a line of exactly maxLineBytes, terminator excluded")
  void lineOfExactlyTheLimit() {
    int port = start(greeter().withMaxLineBytes(16));
    assertThat(exchange(port, "0123456789abcdef\r\n")).isEqualTo("You entered 16 characters.\n");
    assertThat(exchange(port, "0123456789abcdef\n")).isEqualTo("You entered 16 characters.\n");
  }

  @Test
  @DisplayName("closes a client that stays silent past idleTimeoutSeconds and counts it as timed out")
  void idleTimeout() {
    int port = start(greeter().withIdleTimeoutSeconds(1));
    long connecting = System.nanoTime();
    try (StatsProbe probe = new StatsProbe(vertx); TestClient client = TestClient.connect(port)) {
      client.readUntil(PROMPT);
      // closed within the read timeout (TestClient: 5 s), and not before the second of silence had passed
      assertThat(client.readToEnd()).isEmpty();
      assertThat(System.nanoTime() - connecting).as("nanoseconds from connect to close").isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(1));
      // the close is counted a task after the time-out (Netty fires channelInactive later): wait for it
      StatsSnapshot s = probe.awaitCounter("greeter", "connectionsClosed", 1);
      assertThat(s.counter("timedOut")).isEqualTo(1);
      assertThat(s.counter("linesAnswered")).isZero();
    }
  }

  @Test
  @DisplayName("serves 200 concurrent clients while a silent client holds its connection, which is still served after")
  void manyClientsAndOneSilent() {
    int port = start(greeter());
    try (TestClient silent = TestClient.connect(port)) {
      silent.readUntil(PROMPT);
      List<TestClient> clients = new ArrayList<>();
      try {
        for (int i = 0; i < 200; i++) {
          clients.add(TestClient.connect(port));
        }
        for (int i = 0; i < clients.size(); i++) {
          clients.get(i).readUntil(PROMPT);
          clients.get(i).send("x".repeat(i % 50) + "\n");
        }
        for (int i = 0; i < clients.size(); i++) {
          assertThat(clients.get(i).readToEnd()).isEqualTo("You entered " + (i % 50) + " characters.\n");
        }
      } finally {
        clients.forEach(TestClient::close);
      }
      assertThat(silent.send("still here\n").readToEnd()).isEqualTo("You entered 10 characters.\n");
    }
  }

  @Test
  @DisplayName("counts accepted, answered and closed connections and the exact bytes in and out")
  void counters() {
    int port = start(greeter());
    try (StatsProbe probe = new StatsProbe(vertx)) {
      String answer = exchange(port, "hello\n");
      StatsSnapshot s = probe.awaitCounter("greeter", "connectionsClosed", 1);
      assertThat(s.counter("connectionsAccepted")).isEqualTo(1);
      assertThat(s.counter("connectionsActive")).isZero();
      assertThat(s.counter("errors")).isZero();
      assertThat(s.counter("linesAnswered")).isEqualTo(1);
      assertThat(s.counter("bytesIn")).isEqualTo(6);
      int welcome = ("Welcome, 127.0.0.1:12345\n").length() - 5; // port digits vary
      assertThat(s.counter("bytesOut")).isBetween((long) welcome + 1 + PROMPT.length() + answer.length(),
        (long) welcome + 5 + PROMPT.length() + answer.length());
      assertThat(s.kind().jsonName()).isEqualTo("tcp");
      assertThat(s.protocol()).isEqualTo("greeting");
      assertThat(s.node()).isEqualTo("test-node");
    }
  }

  @Test
  @DisplayName("counts a client that resets its connection as an error and keeps serving others")
  void reset() throws IOException {
    int port = start(greeter());
    try (StatsProbe probe = new StatsProbe(vertx)) {
      TestClient rude = TestClient.connect(port);
      rude.readUntil(PROMPT);
      rude.send("partial");
      rude.reset();
      StatsSnapshot s = probe.awaitCounter("greeter", "connectionsClosed", 1);
      assertThat(s.counter("errors")).isEqualTo(1);
      assertThat(exchange(port, "fine\n")).isEqualTo("You entered 4 characters.\n");
      // the clean exchange is no error
      assertThat(probe.awaitCounter("greeter", "connectionsClosed", 2).counter("errors")).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("uses the configured texts")
  void customTexts() {
    int port = start(greeter().withTexts(new GreetingTexts("Hi {client}!", "> ", "{count} chars, thanks")));
    try (TestClient client = TestClient.connect(port)) {
      assertThat(client.readUntil("> ")).isEqualTo("Hi 127.0.0.1:" + client.localPort() + "!\n> ");
      assertThat(client.send("four\n").readToEnd()).isEqualTo("4 chars, thanks\n");
    }
  }

  @Test
  @DisplayName("writes an IPv6 client address in brackets")
  void ipv6Client() throws IOException {
    assumeTrue(hasIpv6Loopback(), "no IPv6 loopback here");
    TcpListenerConfig config = TcpListenerConfig.of("greeter", TcpProtocol.GREETING, Binding.of("::1", 0)).withInstances(1);
    int port = start(config);
    try (TestClient client = TestClient.connect("::1", port)) {
      assertThat(client.readUntil(PROMPT)).isEqualTo("Welcome, [::1]:" + client.localPort() + "\n" + PROMPT);
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("dev.netserver.TestTransports#all")
  @DisplayName("writes the IPv4 address of an IPv4 client of a listener on ::, not its IPv4-mapped IPv6 form")
  void ipv4ClientOfDualStackListener(String transport) throws IOException {
    assumeTrue(hasIpv6Loopback(), "no IPv6 here, so no listener on ::");
    // each transport reads the peer's address its own way (NIO through the JDK, the native ones in C)
    Vertx on = TestTransports.vertxOn(transport);
    try {
      TcpListenerConfig config = TcpListenerConfig.of("greeter", TcpProtocol.GREETING, Binding.of("::", 0)).withInstances(1);
      int port = TcpListeners.start(on, config);
      try (TestClient client = TestClient.connect("127.0.0.1", port)) {
        assertThat(client.readUntil(PROMPT)).isEqualTo("Welcome, 127.0.0.1:" + client.localPort() + "\n" + PROMPT);
      }
    } finally {
      await(on.close());
    }
  }

  static boolean hasIpv6Loopback() throws IOException {
    NetworkInterface lo = NetworkInterface.getByName("lo");
    if (lo == null) {
      return false;
    }
    for (InetAddress a : Collections.list(lo.getInetAddresses())) {
      if (a instanceof Inet6Address && a.isLoopbackAddress()) {
        return true;
      }
    }
    return false;
  }

  @Test
  @DisplayName("logs each connection at DEBUG, as the textbook prints them, and nothing per connection at INFO")
  void connectionLogLines() {
    int port = start(greeter());
    Logger logger = (Logger) LoggerFactory.getLogger(TcpConnection.class);
    ListAppender<ILoggingEvent> events = new ListAppender<>();
    events.start();
    logger.addAppender(events);
    Level before = logger.getLevel();
    try (StatsProbe probe = new StatsProbe(vertx)) {
      logger.setLevel(Level.INFO);
      exchange(port, "quiet\n");
      probe.awaitCounter("greeter", "connectionsClosed", 1);
      logger.setLevel(Level.DEBUG);
      try (TestClient client = TestClient.connect(port)) {
        client.readUntil(PROMPT);
        client.send("loud\n").readToEnd();
        String from = "127.0.0.1:" + client.localPort();
        // the close is logged on the event loop, just after the answer left
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (events.list.size() < 2 && System.nanoTime() < deadline) {
          Thread.onSpinWait();
        }
        assertThat(events.list).extracting(ILoggingEvent::getFormattedMessage)
          .containsExactly("greeter: got connection from " + from, "greeter: connection from " + from + " closed");
        assertThat(events.list).allMatch(e -> e.getLevel() == Level.DEBUG);
      }
    } finally {
      logger.setLevel(before);
      logger.detachAppender(events);
    }
  }
}
