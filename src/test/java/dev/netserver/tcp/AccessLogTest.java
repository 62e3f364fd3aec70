package dev.netserver.tcp;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.netserver.LogCapture;
import dev.netserver.StatsProbe;
import dev.netserver.TestClient;
import dev.netserver.config.AccessList;
import dev.netserver.config.Cidr;
import dev.netserver.config.Engine;
import dev.netserver.config.GreetingTexts;
import dev.netserver.config.TcpGuard;
import dev.netserver.config.TcpLimits;
import dev.netserver.config.TcpListenerConfig;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The access log on both engines: each outcome a built-in protocol can end with, a refused connection's line,
 * and no line while the logger is off. A line is written in the same event-loop task that counts the close (or
 * the refusal), so once a stats snapshot shows the count, the line is there.
 */
@ParameterizedClass(name = "engine {0}")
@EnumSource(value = Engine.class, names = {"DIRECT", "VERTX"})
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@DisplayName("The access log")
class AccessLogTest {

  private static final String PROMPT = GreetingServerTest.PROMPT;

  @Parameter
  Engine engine;

  private Vertx vertx;
  private StatsProbe probe;
  private LogCapture access;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    this.probe = new StatsProbe(vertx);
    this.access = LogCapture.of(AccessLog.LOGGER);
  }

  @AfterEach
  void tearDown() {
    access.close();
    probe.close();
  }

  private int start(TcpListenerConfig config) {
    return TcpListeners.start(vertx, config.withEngine(engine));
  }

  /** The key/value pairs of an access line, in order. */
  static Map<String, String> fields(ILoggingEvent line) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (KeyValuePair pair : line.getKeyValuePairs()) {
      fields.put(pair.key, String.valueOf(pair.value));
    }
    return fields;
  }

  /** The one access line written so far. */
  private Map<String, String> onlyLine() {
    List<ILoggingEvent> lines = access.events();
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0).getLevel()).isEqualTo(Level.INFO);
    return fields(lines.get(0));
  }

  private static int utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }

  @Test
  @DisplayName("a greeting answered: listener, client, duration, bytes either way and 'answered'")
  void answered() {
    int port = start(GreetingServerTest.greeter());
    int clientPort;
    String got;
    try (TestClient client = TestClient.connect(port)) {
      clientPort = client.localPort();
      got = client.readUntil(PROMPT) + client.send("hello\n").readToEnd();
    }
    probe.awaitCounter("greeter", "connectionsClosed", 1);
    Map<String, String> line = onlyLine();
    assertThat(line).containsOnlyKeys("listener", "client", "durationMs", "bytesIn", "bytesOut", "outcome");
    assertThat(line).containsEntry("listener", "greeter")
      .containsEntry("client", "127.0.0.1:" + clientPort)
      .containsEntry("bytesIn", "6")
      .containsEntry("bytesOut", String.valueOf(utf8(got)))
      .containsEntry("outcome", "answered");
    assertThat(line.get("durationMs")).matches("\\d+\\.\\d{3}");
    assertThat(access.events().get(0).getFormattedMessage()).isEqualTo("listener=greeter client=127.0.0.1:" + clientPort
      + " durationMs=" + line.get("durationMs") + " bytesIn=6 bytesOut=" + utf8(got) + " outcome=answered");
  }

  @Test
  @DisplayName("a greeting line over maxLineBytes: 'tooLong'")
  void tooLong() {
    int port = start(GreetingServerTest.greeter().withMaxLineBytes(4));
    try (TestClient client = TestClient.connect(port)) {
      client.readUntil(PROMPT);
      assertThat(client.send("too long\n").readToEnd()).startsWith("Line too long");
    }
    probe.awaitCounter("greeter", "connectionsClosed", 1);
    assertThat(onlyLine()).containsEntry("outcome", "tooLong").containsEntry("bytesIn", "9");
  }

  @Test
  @DisplayName("a greeting line not sent within lineTimeoutSeconds: 'lineTimeout'")
  void lineTimeout() {
    int port = start(GreetingServerTest.greeter().withGuard(TcpGuard.DEFAULT.withLineTimeoutSeconds(1)));
    try (TestClient client = TestClient.connect(port)) {
      client.readUntil(PROMPT);
      assertThat(client.send("slo").readToEnd()).startsWith("Line too slow");
    }
    probe.awaitCounter("greeter", "connectionsClosed", 1);
    assertThat(onlyLine()).containsEntry("outcome", "lineTimeout").containsEntry("bytesIn", "3");
  }

  @Test
  @DisplayName("a connection idle for idleTimeoutSeconds: 'timeout'")
  void idleTimeout() {
    int port = start(EchoServerTest.echo().withIdleTimeoutSeconds(1));
    try (TestClient client = TestClient.connect(port)) {
      assertThat(client.send("abc").read(3)).isEqualTo("abc");
      assertThat(client.readToEnd()).isEmpty();
    }
    probe.awaitCounter("echo", "connectionsClosed", 1);
    assertThat(onlyLine()).containsEntry("outcome", "timeout").containsEntry("bytesIn", "3").containsEntry("bytesOut", "3");
  }

  @Test
  @DisplayName("an echo connection the client closes: 'closed', with its bytes")
  void closed() {
    int port = start(EchoServerTest.echo());
    try (TestClient client = TestClient.connect(port)) {
      assertThat(client.send("hello").read(5)).isEqualTo("hello");
    }
    probe.awaitCounter("echo", "connectionsClosed", 1);
    assertThat(onlyLine()).containsEntry("listener", "echo").containsEntry("outcome", "closed")
      .containsEntry("bytesIn", "5").containsEntry("bytesOut", "5");
  }

  @Test
  @DisplayName("a connection the client resets: 'reset'")
  void reset() {
    int port = start(EchoServerTest.echo());
    TestClient client = TestClient.connect(port);
    assertThat(client.send("x").read(1)).isEqualTo("x");
    client.reset();
    probe.awaitCounter("echo", "connectionsClosed", 1);
    assertThat(onlyLine()).containsEntry("outcome", "reset").containsEntry("bytesIn", "1");
  }

  @Test
  @DisplayName("a client refused by the access list: 'refused:denied', texts.refused counted as its bytes out")
  void refusedByAccessList() {
    int port = start(GreetingServerTest.greeter().withTexts(GreetingTexts.DEFAULT.withRefused("Go away"))
      .withGuard(TcpGuard.DEFAULT.withAccess(new AccessList(List.of(), List.of(Cidr.parse("127.0.0.0/8"))))));
    int clientPort;
    try (TestClient client = TestClient.connect(port)) {
      clientPort = client.localPort();
      assertThat(client.readToEnd()).isEqualTo("Go away\n");
    }
    probe.awaitCounter("greeter", "refusedDenied", 1);
    assertThat(onlyLine()).containsEntry("listener", "greeter").containsEntry("client", "127.0.0.1:" + clientPort)
      .containsEntry("durationMs", "0.000").containsEntry("bytesIn", "0").containsEntry("bytesOut", "8")
      .containsEntry("outcome", "refused:denied");
  }

  @Test
  @DisplayName("a greeting cut off for maxBufferedBytes: 'refused:busy', with the bytes it was served until then")
  void busy() {
    TcpLimits budget = new TcpLimits(0, 0, 0, 0, 0, TcpLimits.DEFAULT_EXEMPT, 4);
    int port = start(GreetingServerTest.greeter().withGuard(TcpGuard.DEFAULT.withLimits(budget)));
    try (TestClient holder = TestClient.connect(port)) {
      holder.readUntil(PROMPT);
      holder.send("abcd");
      probe.awaitCounter("greeter", "bytesIn", 4);
      try (TestClient busy = TestClient.connect(port)) {
        busy.readUntil(PROMPT);
        assertThat(busy.send("x").readToEnd()).isEqualTo(GreetingProtocol.BUSY);
      }
      probe.awaitCounter("greeter", "connectionsClosed", 1);
      assertThat(onlyLine()).containsEntry("outcome", "refused:busy").containsEntry("bytesIn", "1");
      assertThat(Double.parseDouble(onlyLine().get("durationMs"))).isPositive();
    }
  }

  @Test
  @DisplayName("is off by default: with the logger off, a connection writes no line")
  void offWritesNothing() {
    Logger logger = (Logger) LoggerFactory.getLogger(AccessLog.LOGGER);
    Level before = logger.getLevel();
    ListAppender<ILoggingEvent> seen = new ListAppender<>();
    seen.start();
    logger.addAppender(seen);
    try {
      logger.setLevel(Level.OFF);
      int port = start(GreetingServerTest.greeter());
      try (TestClient client = TestClient.connect(port)) {
        client.readUntil(PROMPT);
        assertThat(client.send("hi\n").readToEnd()).isNotEmpty();
      }
      probe.awaitCounter("greeter", "connectionsClosed", 1);
      assertThat(seen.list).isEmpty();
    } finally {
      logger.detachAppender(seen);
      logger.setLevel(before);
    }
  }
}
