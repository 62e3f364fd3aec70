package dev.netserver.tcp;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.netserver.LogCapture;
import dev.netserver.StatsProbe;
import dev.netserver.TestClient;
import dev.netserver.config.AccessList;
import dev.netserver.config.Binding;
import dev.netserver.config.Cidr;
import dev.netserver.config.ConfigLoader;
import dev.netserver.config.ConfigSource;
import dev.netserver.config.Engine;
import dev.netserver.config.GreetingTexts;
import dev.netserver.config.TcpGuard;
import dev.netserver.config.TcpLimits;
import dev.netserver.config.TcpListenerConfig;
import dev.netserver.config.TcpProtocol;
import dev.netserver.stats.StatsSnapshot;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.netserver.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each of a TCP listener's controls as xinetd, systemd and HAProxy test theirs: fill to N, see N+1 refused,
 * release one, see a new one admitted, check the counter. A second source is 127.0.0.2 (with {@code exempt: []}).
 */
@ParameterizedClass(name = "engine {0}")
@EnumSource(value = Engine.class, names = {"DIRECT", "VERTX"})
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@DisplayName("A TCP listener's limits and access lists")
class TcpGuardTest {

  private static final String PROMPT = GreetingServerTest.PROMPT;
  private static final String REFUSED = "Go away, try later";
  private static final String NAME = "greeter";

  @Parameter
  Engine engine;

  private Vertx vertx;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
  }

  private static TcpListenerConfig greeter(TcpLimits limits) {
    return GreetingServerTest.greeter().withTexts(GreetingTexts.DEFAULT.withRefused(REFUSED))
      .withGuard(TcpGuard.DEFAULT.withLimits(limits));
  }

  /** Limits with no exemption: maxConnections, perSource, rate, ratePerSource, burst. */
  private static TcpLimits limits(int max, int perSource, int rate, int ratePerSource, int burst) {
    return new TcpLimits(max, perSource, rate, ratePerSource, burst, List.of(), TcpLimits.DEFAULT_MAX_BUFFERED_BYTES);
  }

  private TcpServerVerticle start(TcpListenerConfig config) {
    TcpServerVerticle verticle = new TcpServerVerticle(config.withEngine(engine), TcpListeners.RUNTIME);
    await(vertx.deployVerticle(verticle));
    return verticle;
  }

  private int port(TcpListenerConfig config) {
    return start(config).boundPorts().get(0);
  }

  /** A client the greeter welcomed: it got the prompt. */
  private static TestClient welcomed(TestClient client) {
    assertThat(client.readUntil(PROMPT)).endsWith(PROMPT);
    return client;
  }

  /** Whether the greeter welcomed {@code client} (then it is closed) or refused it with the refusal line. */
  private static boolean admitted(TestClient client) {
    try (client) {
      String first = client.read(REFUSED.length() + 1);
      if (first.equals(REFUSED + "\n")) {
        assertThat(client.readToEnd()).isEmpty();
        return false;
      }
      assertThat(first).startsWith("Welcome, ");
      return true;
    }
  }

  @Test
  @DisplayName("maxConnections: N served, N+1 gets texts.refused and is closed, one released lets a new one in")
  void maxConnections() {
    int port = port(greeter(limits(2, 0, 0, 0, 0)));
    try (StatsProbe probe = new StatsProbe(vertx);
         TestClient one = welcomed(TestClient.connect(port));
         TestClient two = welcomed(TestClient.connect(port))) {
      try (TestClient three = TestClient.connect(port)) {
        assertThat(three.readToEnd()).isEqualTo(REFUSED + "\n");
      }
      probe.awaitCounter(NAME, "refusedMaxConnections", 1);
      one.close();
      probe.awaitCounter(NAME, "connectionsClosed", 1);
      try (TestClient four = welcomed(TestClient.connect(port))) {
        StatsSnapshot s = probe.awaitCounter(NAME, "connectionsAccepted", 3);
        assertThat(s.counter("refusedMaxConnections")).isEqualTo(1);
        assertThat(s.counter("connectionsActive")).isEqualTo(2);
      }
    }
  }

  @Test
  @DisplayName("maxConnections counts over all of the listener's instances")
  void maxConnectionsAcrossInstances() {
    TcpServerVerticle first = start(greeter(limits(3, 0, 0, 0, 0)));
    await(vertx.deployVerticle(() -> new TcpServerVerticle(first), new DeploymentOptions().setInstances(2)));
    int port = first.boundPorts().get(0);
    List<TestClient> held = new ArrayList<>();
    try (StatsProbe probe = new StatsProbe(vertx)) {
      for (int i = 0; i < 3; i++) {
        held.add(welcomed(TestClient.connect(port)));
      }
      for (int i = 0; i < 3; i++) {
        assertThat(admitted(TestClient.connect(port))).as("client %d over the limit", i).isFalse();
      }
      Map<String, StatsSnapshot> byInstance = new HashMap<>();
      probe.await(NAME, s -> {
        byInstance.put(s.instance(), s);
        return byInstance.values().stream().mapToLong(i -> i.counter("refusedMaxConnections")).sum() == 3;
      });
      assertThat(first.guard().open()).isEqualTo(3);
    } finally {
      held.forEach(TestClient::close);
    }
  }

  @Test
  @DisplayName("maxConnectionsPerSource: the source's N+1 is closed (without a word when texts.refused is empty), another source is served")
  void perSource() {
    TcpListenerConfig config = greeter(limits(0, 2, 0, 0, 0)).withTexts(GreetingTexts.DEFAULT);
    int port = port(config);
    try (StatsProbe probe = new StatsProbe(vertx);
         TestClient one = welcomed(TestClient.connect(port));
         TestClient two = welcomed(TestClient.connect(port))) {
      try (TestClient three = TestClient.connect(port)) {
        assertThat(three.readToEnd()).isEmpty();
      }
      try (TestClient other = welcomed(TestClient.connectFrom("127.0.0.2", "127.0.0.1", port))) {
        probe.awaitCounter(NAME, "refusedPerSource", 1);
        two.close();
        probe.awaitCounter(NAME, "connectionsClosed", 1);
        try (TestClient again = welcomed(TestClient.connect(port))) {
          assertThat(probe.awaitCounter(NAME, "connectionsAccepted", 4).counter("refusedPerSource")).isEqualTo(1);
        }
      }
    }
  }

  @Test
  @DisplayName("limits.exempt (loopback by default) is not held to the per-source limit")
  void exemptLoopback() {
    TcpListenerConfig config = greeter(new TcpLimits(0, 1, 0, 1, 1, TcpLimits.DEFAULT_EXEMPT, 0));
    int port = port(config);
    try (TestClient one = welcomed(TestClient.connect(port));
         TestClient two = welcomed(TestClient.connect(port));
         TestClient three = welcomed(TestClient.connectFrom("127.0.0.2", "127.0.0.1", port))) {
      assertThat(two.send("two\n").readToEnd()).isEqualTo("You entered 3 characters.\n");
    }
  }

  @Test
  @DisplayName("connectionsPerSecond: a burst is served, the rest refused and counted, and a later client served again")
  void rate() {
    int port = port(greeter(limits(0, 0, 1, 0, 2)));
    try (StatsProbe probe = new StatsProbe(vertx)) {
      long start = System.nanoTime();
      int served = 0;
      int refused = 0;
      for (int i = 0; i < 8; i++) {
        if (admitted(TestClient.connect(port))) {
          served++;
        } else {
          refused++;
        }
      }
      // 2 at once, then 1 a second
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
      assertThat(served).isBetween(2, (int) (3 + seconds));
      refused += untilServed(port, "127.0.0.1");
      probe.awaitCounter(NAME, "refusedRate", refused);
    }
  }

  @Test
  @DisplayName("connectionsPerSecondPerSource: a source over its rate is refused while another source is served")
  void ratePerSource() {
    int port = port(greeter(limits(0, 0, 0, 1, 1)));
    try (StatsProbe probe = new StatsProbe(vertx)) {
      long start = System.nanoTime();
      int served = 0;
      int refused = 0;
      for (int i = 0; i < 6; i++) {
        if (admitted(TestClient.connect(port))) {
          served++;
        } else {
          refused++;
        }
      }
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
      assertThat(served).isBetween(1, (int) (2 + seconds));
      assertThat(admitted(TestClient.connectFrom("127.0.0.2", "127.0.0.1", port))).as("another source").isTrue();
      refused += untilServed(port, "127.0.0.1");
      probe.awaitCounter(NAME, "refusedRate", refused);
    }
  }

  /** Connects from {@code from} until the greeter serves it (its bucket refilled); returns the refusals on the way. */
  private static int untilServed(int port, String from) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    int refused = 0;
    while (!admitted(TestClient.connectFrom(from, "127.0.0.1", port))) {
      refused++;
      assertThat(System.nanoTime()).as("served again within 10 s").isLessThan(deadline);
      pause();
    }
    return refused;
  }

  /** The pace of a retrying client (not a synchronisation: the next attempt decides). */
  private static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  @DisplayName("deny refuses its addresses; allow admits only its own; both counted as denied")
  void allowDeny() {
    AccessList deny = new AccessList(List.of(), List.of(Cidr.parse("127.0.0.2")));
    int port = port(greeter(TcpLimits.DEFAULT).withGuard(TcpGuard.DEFAULT.withAccess(deny)));
    AccessList allow = new AccessList(List.of(Cidr.parse("127.0.0.2/32")), List.of());
    int allowPort = port(greeter(TcpLimits.DEFAULT).withGuard(TcpGuard.DEFAULT.withAccess(allow)));
    try (StatsProbe probe = new StatsProbe(vertx)) {
      assertThat(admitted(TestClient.connectFrom("127.0.0.2", "127.0.0.1", port))).isFalse();
      assertThat(admitted(TestClient.connect(port))).isTrue();
      assertThat(admitted(TestClient.connectFrom("127.0.0.2", "127.0.0.1", allowPort))).isTrue();
      assertThat(admitted(TestClient.connect(allowPort))).isFalse();
      // both listeners are "greeter": each instance's snapshot must show one refusal and one client served
      Map<String, StatsSnapshot> byInstance = new HashMap<>();
      probe.await(NAME, s -> {
        byInstance.put(s.instance(), s);
        return byInstance.size() == 2 && byInstance.values().stream()
          .allMatch(i -> i.counter("refusedDenied") == 1 && i.counter("connectionsAccepted") == 1);
      });
    }
  }

  @Test
  @DisplayName("an echo listener refuses with texts.refused too, and serves again once one is released")
  void echoRefused() {
    TcpListenerConfig echo = TcpListenerConfig.of("echo", TcpProtocol.ECHO, Binding.of("127.0.0.1", 0)).withInstances(1)
      .withTexts(GreetingTexts.DEFAULT.withRefused(REFUSED)).withGuard(TcpGuard.DEFAULT.withLimits(limits(1, 0, 0, 0, 0)));
    int port = port(echo);
    try (StatsProbe probe = new StatsProbe(vertx)) {
      try (TestClient one = TestClient.connect(port)) {
        assertThat(one.send("ping").read(4)).isEqualTo("ping");
        try (TestClient two = TestClient.connect(port)) {
          assertThat(two.readToEnd()).isEqualTo(REFUSED + "\n");
        }
      }
      probe.awaitCounter("echo", "connectionsClosed", 1);
      try (TestClient three = TestClient.connect(port)) {
        assertThat(three.send("pong").read(4)).isEqualTo("pong");
      }
      assertThat(probe.awaitCounter("echo", "connectionsClosed", 2).counter("refusedMaxConnections")).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("logs a refusal at WARN with the listener, the client and the reason, at most once a second per reason")
  void refusalLogged() {
    int port = port(greeter(limits(1, 0, 0, 0, 0)));
    try (LogCapture log = LogCapture.of(TcpConnection.class); StatsProbe probe = new StatsProbe(vertx);
         TestClient one = welcomed(TestClient.connect(port))) {
      int refusedPort;
      long start = System.nanoTime();
      try (TestClient two = TestClient.connect(port)) {
        refusedPort = two.localPort();
        assertThat(two.readToEnd()).isEqualTo(REFUSED + "\n");
      }
      for (int i = 0; i < 5; i++) {
        assertThat(admitted(TestClient.connect(port))).isFalse();
      }
      probe.awaitCounter(NAME, "refusedMaxConnections", 6);
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
      List<ILoggingEvent> warnings = log.atLeast(Level.WARN);
      // six refusals, usually well within a second: one line, and never more than one a second
      assertThat(warnings).hasSizeBetween(1, (int) (1 + seconds));
      assertThat(warnings.get(0).getFormattedMessage())
        .isEqualTo("greeter: refused a connection from 127.0.0.1:" + refusedPort + ": limits.maxConnections (1) are open");
    }
  }

  @Test
  @DisplayName("lineTimeoutSeconds: a client trickling its line a byte at a time is told and closed after the deadline, and counted")
  void lineTimeout() throws IOException {
    TcpListenerConfig config = greeter(TcpLimits.DEFAULT).withGuard(TcpGuard.DEFAULT.withLineTimeoutSeconds(1));
    int port = port(config);
    try (StatsProbe probe = new StatsProbe(vertx); Socket socket = new Socket("127.0.0.1", port)) {
      long start = System.nanoTime();
      String got = trickle(socket);
      long took = System.nanoTime() - start;
      assertThat(got).startsWith("Welcome, ").endsWith(PROMPT + "Line too slow (limit 1 second).\n");
      assertThat(took).as("nanoseconds to the close").isBetween(TimeUnit.SECONDS.toNanos(1), TimeUnit.SECONDS.toNanos(5));
      StatsSnapshot s = probe.awaitCounter(NAME, "refusedLineTimeout", 1);
      assertThat(s.counter("timedOut")).isZero();
      assertThat(s.counter("bytesIn")).as("bytes trickled").isGreaterThanOrEqualTo(2);
    }
  }

  /** Sends a byte every 100 ms until the server closes; returns what it sent meanwhile. */
  private static String trickle(Socket socket) throws IOException {
    socket.setSoTimeout(100);
    InputStream in = socket.getInputStream();
    OutputStream out = socket.getOutputStream();
    StringBuilder got = new StringBuilder();
    byte[] buffer = new byte[256];
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try {
        int n = in.read(buffer);
        if (n < 0) {
          return got.toString();
        }
        got.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
      } catch (SocketTimeoutException quiet) {
        try {
          out.write('x');
        } catch (IOException closed) {
          // the server closed while we wrote: read what it said
        }
      }
    }
    throw new AssertionError("not closed within 10 s; got \"" + got + "\"");
  }

  @Test
  @DisplayName("maxBufferedBytes: two clients hold partial lines, a third gets Server busy; the budget comes back to 0")
  void maxBufferedBytes() {
    TcpLimits budget = new TcpLimits(0, 0, 0, 0, 0, TcpLimits.DEFAULT_EXEMPT, 8);
    TcpServerVerticle verticle = start(greeter(budget).withMaxLineBytes(8));
    int port = verticle.boundPorts().get(0);
    try (StatsProbe probe = new StatsProbe(vertx);
         TestClient one = welcomed(TestClient.connect(port));
         TestClient two = welcomed(TestClient.connect(port))) {
      one.send("abcd");
      two.send("efgh");
      probe.awaitCounter(NAME, "bytesIn", 8);
      assertThat(verticle.lineBudget().held()).isEqualTo(8);
      try (TestClient three = welcomed(TestClient.connect(port))) {
        assertThat(three.send("x").readToEnd()).isEqualTo("Server busy, try again later.\n");
      }
      probe.awaitCounter(NAME, "refusedBusy", 1);
      assertThat(one.send("\n").readToEnd()).isEqualTo("You entered 4 characters.\n");
      try (TestClient four = welcomed(TestClient.connect(port))) {
        four.send("wxyz");
        probe.awaitCounter(NAME, "bytesIn", 14);
        assertThat(verticle.lineBudget().held()).isEqualTo(8);
        assertThat(four.send("\n").readToEnd()).isEqualTo("You entered 4 characters.\n");
      }
      two.close();
      assertThat(probe.awaitCounter(NAME, "connectionsClosed", 4).counter("refusedBusy")).isEqualTo(1);
      assertThat(verticle.lineBudget().held()).isZero();
    }
  }

  @Test
  @DisplayName("the shipped conf/config.json does not throttle loopback: 300 quick clients from 127.0.0.1 all answered")
  void shippedConfigDoesNotThrottleLoopback() {
    TcpListenerConfig shipped = ConfigLoader.read(ConfigSource.file(ConfigSource.DEFAULT_FILE)).tcp().stream()
      .filter(t -> t.protocol() == TcpProtocol.GREETING).findFirst().orElseThrow();
    int port = port(shipped.withBinding(Binding.of("127.0.0.1", 0)));
    List<TestClient> open = new ArrayList<>();
    try (StatsProbe probe = new StatsProbe(vertx)) {
      for (int i = 0; i < 50; i++) {
        open.add(TestClient.connect(port));
      }
      for (int i = 0; i < 250; i++) {
        try (TestClient client = welcomed(TestClient.connect(port))) {
          assertThat(client.send("hi\n").readToEnd()).isEqualTo("You entered 2 characters.\n");
        }
      }
      for (TestClient client : open) {
        welcomed(client);
        assertThat(client.send("held\n").readToEnd()).isEqualTo("You entered 4 characters.\n");
      }
      StatsSnapshot s = probe.awaitCounter(shipped.name(), "linesAnswered", 300);
      for (String refusal : List.of("refusedMaxConnections", "refusedPerSource", "refusedRate", "refusedDenied", "refusedBusy",
        "refusedLineTimeout")) {
        assertThat(s.counter(refusal)).as(refusal).isZero();
      }
    } catch (UncheckedIOException e) {
      throw new AssertionError("a loopback client was not served", e);
    } finally {
      open.forEach(TestClient::close);
    }
  }
}
