package dev.netserver;

import dev.netserver.config.ConfigException;
import dev.netserver.config.NetserverConfig;
import dev.netserver.stats.StatsAddresses;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import static dev.netserver.Await.await;
import static dev.netserver.Await.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@DisplayName("The main verticle")
class MainVerticleTest {

  private Vertx vertx;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The three default listeners, on ephemeral loopback ports, publishing stats often. */
  static JsonObject config() {
    return new JsonObject()
      .put("node", new JsonObject().put("name", "test-node"))
      .put("tcp", new JsonArray()
        .add(new JsonObject().put("name", "greeter").put("protocol", "greeting").put("host", "127.0.0.1").put("port", 0).put("instances", 2))
        .add(new JsonObject().put("name", "echo").put("protocol", "echo").put("host", "127.0.0.1").put("port", 0).put("instances", 1)))
      .put("udp", new JsonArray()
        .add(new JsonObject().put("name", "udp-echo").put("protocol", "echo").put("host", "127.0.0.1").put("port", 0)))
      .put("stats", new JsonObject().put("publishIntervalMs", 20).put("logIntervalSeconds", 0))
      .put("shutdown", new JsonObject().put("graceSeconds", 3));
  }

  private MainVerticle deploy(JsonObject config) {
    MainVerticle main = new MainVerticle();
    await(vertx.deployVerticle(main, new DeploymentOptions().setConfig(config)));
    return main;
  }

  static int port(MainVerticle main, String listener) {
    String address = main.boundAddresses().get(listener).get(0);
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
  }

  private JsonObject query() {
    return await(vertx.eventBus().<JsonObject>request(StatsAddresses.QUERY, null)).body();
  }

  private static long counter(JsonObject stats, String listener, String counter) {
    JsonObject l = stats.getJsonObject("listeners").getJsonObject(listener);
    return l == null ? -1 : l.getJsonObject("counters").getLong(counter, -1L);
  }

  @Test
  @DisplayName("deploys every configured listener and the stats it answers with match the traffic")
  void statsMatchTraffic() throws IOException {
    MainVerticle main = deploy(config());
    for (int i = 0; i < 3; i++) {
      try (TestClient c = TestClient.connect(port(main, "greeter"))) {
        c.readUntil(": ");
        assertThat(c.send("abc\n").readToEnd()).isEqualTo("You entered 3 characters.\n");
      }
    }
    try (TestClient c = TestClient.connect(port(main, "echo"))) {
      assertThat(c.send("0123456789").read(10)).isEqualTo("0123456789");
    }
    try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      udp.setSoTimeout(5000);
      for (int i = 0; i < 2; i++) {
        udp.send(new DatagramPacket(new byte[100], 100, InetAddress.getLoopbackAddress(), port(main, "udp-echo")));
        udp.receive(new DatagramPacket(new byte[200], 200));
      }
    }
    try (StatsProbe probe = new StatsProbe(vertx)) {
      // Each new snapshot may complete the picture; query again after each until it does.
      JsonObject stats = query();
      while (counter(stats, "greeter", "linesAnswered") != 3 || counter(stats, "echo", "bytesOut") != 10
        || counter(stats, "udp-echo", "datagramsEchoed") != 2 || counter(stats, "greeter", "connectionsActive") != 0) {
        probe.await("greeter", s -> true);
        stats = query();
      }
      assertThat(counter(stats, "greeter", "connectionsAccepted")).isEqualTo(3);
      assertThat(counter(stats, "greeter", "bytesIn")).isEqualTo(12);
      assertThat(counter(stats, "echo", "bytesIn")).isEqualTo(10);
      assertThat(counter(stats, "udp-echo", "bytesIn")).isEqualTo(200);
      assertThat(stats.getJsonObject("listeners").getJsonObject("greeter").getInteger("instances")).isEqualTo(2);
      assertThat(stats.getJsonObject("nodes").getJsonObject("test-node").getJsonObject("listeners").fieldNames())
        .containsExactlyInAnyOrder("greeter", "echo", "udp-echo");
    }
  }

  @Test
  @DisplayName("with instances 0, serves a TCP listener from one instance per CPU core, connections taking turns")
  void instancesZeroIsOnePerCore() {
    int cores = Runtime.getRuntime().availableProcessors();
    JsonObject config = config();
    config.getJsonArray("tcp").getJsonObject(0).put("instances", 0);
    MainVerticle main = deploy(config);
    try (StatsProbe probe = new StatsProbe(vertx)) {
      for (int i = 0; i < 2 * cores; i++) {
        try (TestClient c = TestClient.connect(port(main, "greeter"))) {
          c.readUntil(": ");
          assertThat(c.send("abc\n").readToEnd()).isEqualTo("You entered 3 characters.\n");
        }
      }
      // every instance publishes its own counters: as many as there are cores, each with its two connections
      java.util.Map<String, Long> accepted = new java.util.HashMap<>();
      probe.await("greeter", s -> {
        accepted.put(s.instance(), s.counter("connectionsAccepted"));
        return accepted.size() == cores && accepted.values().stream().allMatch(n -> n == 2);
      });
      assertThat(query().getJsonObject("listeners").getJsonObject("greeter").getInteger("instances")).isEqualTo(cores);
    }
  }

  @Test
  @DisplayName("serves a UDP listener on Vert.x's DatagramSocket with one edit, \"engine\": \"vertx\", and names the engine when it starts")
  void udpEngineVertx() throws IOException {
    Logger logger = (Logger) LoggerFactory.getLogger(MainVerticle.class);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      JsonObject config = config();
      config.getJsonArray("udp").getJsonObject(0).put("engine", "vertx");
      MainVerticle main = deploy(config);
      udp.setSoTimeout(5000);
      udp.send(new DatagramPacket(new byte[] {1, 2, 3}, 3, InetAddress.getLoopbackAddress(), port(main, "udp-echo")));
      DatagramPacket reply = new DatagramPacket(new byte[100], 100);
      udp.receive(reply);
      assertThat(reply.getLength()).isEqualTo(3);
      assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage)
        .anySatisfy(line -> assertThat(line).startsWith("udp-echo: UDP echo server is running on").contains("(vertx engine, "));
    } finally {
      logger.detachAppender(lines);
    }
  }

  @Test
  @DisplayName("serves a custom protocol (handler:ClassName) on the vertx engine that auto picks, naming both when it starts")
  void handlerProtocol() throws IOException {
    Logger logger = (Logger) LoggerFactory.getLogger(MainVerticle.class);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    try {
      JsonObject config = config();
      config.getJsonArray("tcp").getJsonObject(1).put("protocol", "handler:dev.netserver.plugins.UpperEcho")
        .put("options", new JsonObject().put("greeting", "hi"));
      MainVerticle main = deploy(config);
      try (TestClient client = TestClient.connect(port(main, "echo"))) {
        assertThat(client.readUntil("\n")).isEqualTo("hi\n");
        client.send("shout\n");
        assertThat(client.readUntil("\n")).isEqualTo("SHOUT\n");
      }
      assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage)
        .anySatisfy(line -> assertThat(line).startsWith("echo: TCP handler:dev.netserver.plugins.UpperEcho server is running on")
          .contains("(vertx engine, "));
    } finally {
      logger.detachAppender(lines);
    }
  }

  @Test
  @DisplayName("refuses a custom protocol whose class is missing before anything binds")
  void handlerClassMissing() {
    JsonObject bad = config();
    bad.getJsonArray("tcp").getJsonObject(1).put("protocol", "handler:com.example.Nowhere");
    Throwable failure = awaitFailure(vertx.deployVerticle(new MainVerticle(), new DeploymentOptions().setConfig(bad)));
    assertThat(failure).isInstanceOf(ConfigException.class);
    assertThat(((ConfigException) failure).problems()).containsExactly(
      "config: tcp[1].protocol names class com.example.Nowhere, which is not on the class path (add its jar to plugins/)");
    assertThat(vertx.deploymentIDs()).isEmpty();
  }

  @Test
  @DisplayName("given a validated configuration, deploys it instead of config(), with -instances for every TCP listener")
  void givenConfiguration() {
    Logger logger = (Logger) LoggerFactory.getLogger(MainVerticle.class);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    try {
      NetserverConfig config = NetserverConfig.read("conf/given.json", config());
      MainVerticle main = new MainVerticle(config, "conf/given.json", 3);
      await(vertx.deployVerticle(main, new DeploymentOptions().setConfig(new JsonObject().put("tcp", "ignored"))));
      assertThat(main.boundAddresses()).containsOnlyKeys("greeter", "echo", "udp-echo");
      assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage)
        .anySatisfy(line -> assertThat(line).startsWith("greeter: TCP greeting server is running on").endsWith("3 instances); press Ctrl-C to terminate."))
        .anySatisfy(line -> assertThat(line).startsWith("echo: TCP echo server is running on").endsWith("3 instances); press Ctrl-C to terminate."))
        .anySatisfy(line -> assertThat(line).startsWith("udp-echo: UDP echo server is running on").contains("(direct engine, ")
          .endsWith("1 instance); press Ctrl-C to terminate."));
    } finally {
      logger.detachAppender(lines);
    }
  }

  @Test
  @DisplayName("given a configuration, names its file in a problem found at start")
  void givenConfigurationProblemNamesTheFile() {
    NetserverConfig config = NetserverConfig.read("conf/given.json", config().put("transport", "epoll"));
    Throwable failure = awaitFailure(vertx.deployVerticle(new MainVerticle(config, "conf/given.json", 0)));
    assertThat(failure).isInstanceOf(ConfigException.class)
      .hasMessageStartingWith("conf/given.json: transport is \"epoll\", but ");
    assertThat(vertx.deploymentIDs()).isEmpty();
  }

  @Test
  @DisplayName("reports every configuration problem at once and deploys nothing")
  void badConfig() {
    JsonObject bad = config();
    bad.getJsonArray("tcp").getJsonObject(0).put("port", 70000);
    bad.getJsonArray("udp").getJsonObject(0).put("nmae", "x");
    Throwable failure = awaitFailure(vertx.deployVerticle(new MainVerticle(), new DeploymentOptions().setConfig(bad)));
    assertThat(failure).isInstanceOf(ConfigException.class);
    assertThat(((ConfigException) failure).problems()).containsExactly(
      "config: tcp[0].port must be an integer in 0..65535 (was 70000)",
      "config: udp[0].nmae is not a known key (did you mean \"name\"?)");
    assertThat(vertx.deploymentIDs()).isEmpty();
  }

  @Test
  @DisplayName("fails naming the listener and address when the address is in use, leaving nothing bound")
  void addressInUse() throws IOException {
    int free;
    try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      free = probe.getLocalPort();
    }
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      JsonObject config = config();
      config.getJsonArray("tcp").getJsonObject(0).put("port", free);
      config.getJsonArray("tcp").getJsonObject(1).put("port", taken.getLocalPort());
      Throwable failure = awaitFailure(vertx.deployVerticle(new MainVerticle(), new DeploymentOptions().setConfig(config)));
      assertThat(failure).isInstanceOf(ListenerStartException.class)
        .hasMessageStartingWith("echo: cannot listen on TCP 127.0.0.1:" + taken.getLocalPort() + ": ")
        .hasMessageContaining("in use");
      assertThat(vertx.deploymentIDs()).isEmpty();
      try (ServerSocket again = new ServerSocket(free, 50, InetAddress.getLoopbackAddress())) {
        assertThat(again.getLocalPort()).as("the greeter, started before the failure, was stopped").isEqualTo(free);
      }
    }
  }

  @Test
  @DisplayName("on undeploy stops accepting but answers a client that already had its prompt and sends within the grace period")
  void gracefulShutdown() throws Exception {
    MainVerticle main = deploy(config());
    int port = port(main, "greeter");
    try (TestClient waiting = TestClient.connect(port)) {
      waiting.readUntil("Please enter a string: ");
      var undeployed = vertx.undeploy(main.deploymentID());
      // Wait until the listening socket is gone: new clients are refused.
      while (accepts(port)) {
        Thread.onSpinWait();
      }
      assertThat(waiting.send("still answered\n").readToEnd()).isEqualTo("You entered 14 characters.\n");
      await(undeployed);
    }
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (ConnectException refused) {
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  @DisplayName("refuses an explicit transport that is not the one Vert.x runs")
  void transportMismatch() {
    JsonObject config = config().put("transport", "epoll");
    Throwable failure = awaitFailure(vertx.deployVerticle(new MainVerticle(), new DeploymentOptions().setConfig(config)));
    assertThat(failure).isInstanceOf(ConfigException.class)
      .hasMessageStartingWith("config: transport is \"epoll\", but ");
    assertThat(vertx.deploymentIDs()).isEmpty();
  }

  @Test
  @DisplayName("under transport auto on NIO, warns once naming every configured option that has no effect")
  void autoOnNioWarns() {
    Logger logger = (Logger) LoggerFactory.getLogger(Transports.class);
    ListAppender<ILoggingEvent> warnings = new ListAppender<>();
    warnings.start();
    logger.addAppender(warnings);
    try {
      JsonObject config = config();
      config.getJsonArray("tcp").getJsonObject(0).put("socket", new JsonObject().put("tcpCork", true));
      config.getJsonArray("tcp").getJsonObject(1).put("socket", new JsonObject().put("tcpQuickAck", true));
      deploy(config);
      assertThat(warnings.list).hasSize(1);
      assertThat(warnings.list.get(0).getFormattedMessage())
        .startsWith("transport \"auto\": running on NIO")
        .endsWith("these configured options have no effect on NIO: tcp[0].socket.tcpCork, tcp[1].socket.tcpQuickAck");
    } finally {
      logger.detachAppender(warnings);
    }
  }

  @Test
  @DisplayName("under transport auto on NIO, refuses a UDP listener with several instances, which NIO can't share a port between")
  void autoOnNioRefusesUdpInstances() {
    JsonObject config = config();
    config.getJsonArray("udp").getJsonObject(0).put("instances", 2).put("socket", new JsonObject().put("reusePort", true));
    Throwable failure = awaitFailure(vertx.deployVerticle(new MainVerticle(), new DeploymentOptions().setConfig(config)));
    assertThat(failure).isInstanceOf(ConfigException.class)
      .hasMessageStartingWith("config: udp[0].instances is 2, but transport \"auto\" fell back to NIO");
    assertThat(vertx.deploymentIDs()).isEmpty();
  }

  @Test
  @DisplayName("without -cluster, accepts a cluster.config and says once that it runs on its own")
  void clusterConfigWithoutCluster() {
    Logger logger = (Logger) LoggerFactory.getLogger(MainVerticle.class);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    try {
      deploy(config().put("cluster", new JsonObject().put("config", "conf/cluster-prod.xml")));
      assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage)
        .filteredOn(line -> line.contains("cluster"))
        .containsExactly("cluster.config names conf/cluster-prod.xml, but netserver was started without -cluster: it runs on its own");
    } finally {
      logger.detachAppender(lines);
    }
  }
}
