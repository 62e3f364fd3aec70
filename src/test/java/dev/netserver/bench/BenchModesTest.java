package dev.netserver.bench;

import dev.netserver.config.Binding;
import dev.netserver.config.ListenerRuntime;
import dev.netserver.config.ShutdownConfig;
import dev.netserver.config.StatsConfig;
import dev.netserver.config.TcpListenerConfig;
import dev.netserver.config.TcpProtocol;
import dev.netserver.config.UdpListenerConfig;
import dev.netserver.tcp.TcpServerVerticle;
import dev.netserver.udp.UdpEchoVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.netserver.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Every mode for about a second against real netserver listeners on ephemeral loopback ports. What is
 * asserted is correctness (work done, no errors, exit 0, the JSON's shape), never speed.
 */
@DisplayName("bench: every mode against a real netserver")
@Timeout(60)
class BenchModesTest {

  static final ListenerRuntime RUNTIME = new ListenerRuntime("bench-test", new StatsConfig(1000, 0), new ShutdownConfig(1));

  static Vertx vertx;
  static int greetPort;
  static int echoPort;
  static int udpPort;

  @TempDir
  Path dir;

  @BeforeAll
  static void startServer() {
    vertx = Vertx.vertx();
    greetPort = startTcp(TcpProtocol.GREETING);
    echoPort = startTcp(TcpProtocol.ECHO);
    UdpEchoVerticle udp = new UdpEchoVerticle(UdpListenerConfig.of("udp-echo", Binding.of("127.0.0.1", 0)), RUNTIME);
    await(vertx.deployVerticle(udp));
    udpPort = udp.boundPorts().get(0);
  }

  private static int startTcp(TcpProtocol protocol) {
    TcpListenerConfig config = TcpListenerConfig.of(protocol.configName(), protocol, Binding.of("127.0.0.1", 0))
      .withInstances(1);
    TcpServerVerticle verticle = new TcpServerVerticle(config, RUNTIME);
    await(vertx.deployVerticle(verticle));
    return verticle.boundPorts().get(0);
  }

  @AfterAll
  static void stopServer() {
    await(vertx.close());
  }

  /** Runs one second, no warm-up, and checks what every successful run must show. */
  private JsonObject runClean(String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(new String[] {"-d", "1", "--warmup", "0"}, 0, all, args.length, 4);
    BenchRun run = BenchRun.withJson(dir, all);
    assertThat(run.exit()).as(run.printed()).isZero();
    JsonObject json = run.json();
    assertThat(json.getLong("exchanges")).as(run.printed()).isPositive();
    assertThat(json.getLong("errors")).as(run.printed()).isZero();
    assertThat(json.getString("firstError")).as(run.printed()).isNull();
    assertThat(json.getDouble("throughputPerSecond")).isPositive();
    assertThat(json.getJsonObject("latencyMicros").getDouble("p99")).isPositive();
    assertThat(run.out()).contains("netserver bench " + json.getString("mode")).contains("errors").contains("p99");
    return json;
  }

  @Test
  @DisplayName("greet: complete, verified exchanges, each with its own connection")
  void greet() {
    JsonObject json = runClean("greet", "--port", Integer.toString(greetPort), "-c", "4");
    assertThat(json.getString("mode")).isEqualTo("greet");
    // Welcome line, prompt and answer of at least one exchange.
    assertThat(json.getDouble("bytesPerSecond")).isPositive();
  }

  @Test
  @DisplayName("greet and udp from several source addresses (--source): verified as from one")
  void fromSourceAddresses() {
    runClean("greet", "--port", Integer.toString(greetPort), "-c", "4", "--source", "127.0.0.2-3");
    runClean("udp", "--port", Integer.toString(udpPort), "-c", "2", "--source", "127.0.0.4,127.0.0.5");
  }

  @Test
  @DisplayName("greet: an empty line (size 0) is answered with 0 characters")
  void greetEmptyLine() {
    runClean("greet", "--port", Integer.toString(greetPort), "-c", "2", "-s", "0");
  }

  @Test
  @DisplayName("echo: ping-pong round trips")
  void echo() {
    JsonObject json = runClean("echo", "--port", Integer.toString(echoPort), "-c", "4", "-s", "64");
    // Every verified byte counts: 64 per round trip (the throughput is rounded to 0.1 per second).
    assertThat(json.getDouble("bytesPerSecond")).isCloseTo(json.getDouble("throughputPerSecond") * 64, within(5.0));
  }

  @Test
  @DisplayName("stream: a window of large messages in flight per connection")
  void stream() {
    JsonObject json = runClean("stream", "--port", Integer.toString(echoPort), "-c", "2", "-s", "16384", "-w", "8");
    assertThat(json.getInteger("window")).isEqualTo(8);
  }

  @Test
  @DisplayName("stream on the NIO transport and two event loops")
  void streamOnNio() {
    JsonObject json = runClean("stream", "--port", Integer.toString(echoPort), "-c", "3", "-s", "1000",
      "--transport", "nio", "--threads", "2");
    assertThat(json.getString("transport")).isEqualTo("nio");
    assertThat(json.getInteger("threads")).isEqualTo(2);
  }

  @Test
  @DisplayName("udp: datagrams matched by id, none lost on loopback at this load")
  void udp() {
    JsonObject json = runClean("udp", "--port", Integer.toString(udpPort), "-c", "2", "-s", "64", "-w", "4");
    assertThat(json.getLong("lost")).as("%s", json).isZero();
    assertThat(json.getLong("late")).as("%s", json).isZero();
  }

  @Test
  @DisplayName("udp: 1400-byte datagrams on NIO")
  void udpLargeOnNio() {
    runClean("udp", "--port", Integer.toString(udpPort), "-c", "2", "-s", "1400", "-w", "2", "--transport", "nio");
  }

  @Test
  @DisplayName("hold: every connection opened and still up at the end; held and failed in the JSON")
  void hold() {
    BenchRun run = BenchRun.withJson(dir, "hold", "--port", Integer.toString(greetPort), "-c", "20", "--hold", "1");
    assertThat(run.exit()).as(run.printed()).isZero();
    JsonObject json = run.json();
    assertThat(json.getLong("held")).isEqualTo(20);
    assertThat(json.getLong("failed")).isZero();
    assertThat(json.getLong("exchanges")).isEqualTo(20);
    assertThat(json.getLong("errors")).isZero();
    assertThat(run.out()).contains("held").contains("20 of 20");
  }

  @Test
  @DisplayName("--json writes one object with every documented field")
  void jsonFields() {
    BenchRun run = BenchRun.withJson(dir, "echo", "--port", Integer.toString(echoPort), "-c", "2", "-d", "1",
      "--warmup", "0", "--label", "netserver-test");
    assertThat(run.exit()).as(run.printed()).isZero();
    JsonObject json = run.json();
    assertThat(json.fieldNames()).contains("tool", "mode", "label", "host", "port", "connections", "durationSeconds",
      "warmupSeconds", "size", "window", "exchanges", "errors", "lost", "throughputPerSecond", "bytesPerSecond",
      "latencyMicros", "clientCpuSeconds", "startedAt");
    assertThat(json.getString("tool")).isEqualTo("netserver-bench");
    assertThat(json.getString("label")).isEqualTo("netserver-test");
    assertThat(json.getString("host")).isEqualTo("127.0.0.1");
    assertThat(json.getInteger("port")).isEqualTo(echoPort);
    assertThat(json.getInteger("connections")).isEqualTo(2);
    assertThat(json.getInteger("durationSeconds")).isEqualTo(1);
    assertThat(json.getInteger("warmupSeconds")).isZero();
    assertThat(json.getInteger("size")).isEqualTo(64);
    assertThat(json.getInteger("window")).isEqualTo(1);
    assertThat(json.getJsonObject("latencyMicros").fieldNames())
      .containsExactlyInAnyOrder("p50", "p90", "p99", "p999", "max", "mean");
    assertThat(json.getDouble("clientCpuSeconds")).isNotNegative();
    assertThat(java.time.Instant.parse(json.getString("startedAt"))).isNotNull();
    assertThat(json.containsKey("held")).isFalse();
  }

  @Test
  @DisplayName("a server that is not there: connect errors counted, exit 1")
  void nobodyListening() throws Exception {
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    BenchRun run = BenchRun.withJson(dir, "echo", "--port", Integer.toString(port), "-c", "2", "-d", "1", "--warmup", "0");
    assertThat(run.exit()).as(run.printed()).isEqualTo(1);
    assertThat(run.json().getJsonObject("errorKinds").getLong("connect")).isPositive();
    assertThat(run.out()).contains("first error: connect failed: ");
  }
}
