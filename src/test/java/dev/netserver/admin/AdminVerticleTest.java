package dev.netserver.admin;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.netserver.Await;
import dev.netserver.LogCapture;
import dev.netserver.MainVerticle;
import dev.netserver.StatsProbe;
import dev.netserver.TestClient;
import dev.netserver.stats.Counter;
import dev.netserver.stats.ListenerKind;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static dev.netserver.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin HTTP server of a whole netserver (MainVerticle) on ephemeral loopback ports, in a Vert.x built the way
 * {@code netserver run} builds it when {@code admin} is configured (with Micrometer's metrics).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@DisplayName("The admin HTTP server")
class AdminVerticleTest {

  private static final String TOKEN = "t0ken-for-tests_0123456789";

  private Vertx vertx;
  /** HTTP/1.1, as scrapers and load balancers speak it (the server speaks nothing else). */
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeEach
  void setUp() {
    vertx = AdminMetrics.enable(Vertx.builder(), new VertxOptions()).build();
  }

  @AfterEach
  void tearDown() {
    await(vertx.close());
  }

  /** Greeter (2 instances), echo and UDP echo on ephemeral loopback ports, and the admin server with {@code admin}. */
  static JsonObject config(JsonObject admin) {
    return new JsonObject()
      .put("node", new JsonObject().put("name", "admin-node"))
      .put("tcp", new JsonArray()
        .add(new JsonObject().put("name", "greeter").put("protocol", "greeting").put("host", "127.0.0.1").put("port", 0).put("instances", 2))
        .add(new JsonObject().put("name", "echo").put("protocol", "echo").put("host", "127.0.0.1").put("port", 0).put("instances", 1)))
      .put("udp", new JsonArray()
        .add(new JsonObject().put("name", "udp-echo").put("protocol", "echo").put("host", "127.0.0.1").put("port", 0)))
      .put("stats", new JsonObject().put("publishIntervalMs", 20).put("logIntervalSeconds", 0))
      .put("shutdown", new JsonObject().put("graceSeconds", 1))
      .put("admin", admin);
  }

  private MainVerticle deploy(JsonObject config) {
    MainVerticle main = new MainVerticle();
    await(vertx.deployVerticle(main, new DeploymentOptions().setConfig(config)));
    return main;
  }

  private MainVerticle deploy() {
    return deploy(config(new JsonObject().put("host", "127.0.0.1").put("port", 0)));
  }

  private HttpResponse<String> get(MainVerticle main, String path, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + main.admin().actualPort() + path))
      .timeout(Duration.ofSeconds(Await.TIMEOUT_SECONDS));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static int port(MainVerticle main, String listener) {
    String address = main.boundAddresses().get(listener).get(0);
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
  }

  @Test
  @DisplayName("/health is 200 while the process runs; /ready is 200 once every listener is bound and 503 from the start of a drain")
  void healthAndReady() throws Exception {
    MainVerticle main = deploy();
    HttpResponse<String> health = get(main, "/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.headers().firstValue("content-type")).contains("application/json");
    assertThat(new JsonObject(health.body()).getString("status")).isEqualTo("UP");
    HttpResponse<String> ready = get(main, "/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(ready.body()).getBoolean("ready")).isTrue();

    main.admin().drainStarted();
    ready = get(main, "/ready");
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(new JsonObject(ready.body()).getJsonArray("reasons")).containsExactly("draining");
    assertThat(get(main, "/health").statusCode()).as("still running").isEqualTo(200);
    try (TestClient c = TestClient.connect(port(main, "echo"))) {
      assertThat(c.send("still served").read(12)).as("a drain only marks the node not ready").isEqualTo("still served");
    }
  }

  @Test
  @DisplayName("the startup line names the admin's bound address")
  void startupLine() {
    try (LogCapture log = LogCapture.of(AdminVerticle.class)) {
      MainVerticle main = deploy();
      assertThat(log.events()).extracting(ILoggingEvent::getFormattedMessage).contains("admin: HTTP server is running on"
        + " http://127.0.0.1:" + main.admin().actualPort() + "/ (no token: loopback only)");
    }
  }

  @Test
  @DisplayName("with a token, every request needs Authorization: Bearer <token>, else 401; the token is never logged")
  void bearerToken() throws Exception {
    try (LogCapture admin = LogCapture.of(AdminVerticle.class); LogCapture main = LogCapture.of(MainVerticle.class);
         LogCapture root = LogCapture.of(org.slf4j.Logger.ROOT_LOGGER_NAME)) {
      MainVerticle server = deploy(config(new JsonObject().put("host", "127.0.0.1").put("port", 0).put("token", TOKEN)));
      for (String path : List.of("/health", "/ready", "/metrics", "/stats", "/listeners", "/nothing")) {
        HttpResponse<String> none = get(server, path);
        assertThat(none.statusCode()).as(path).isEqualTo(401);
        assertThat(none.headers().firstValue("www-authenticate")).contains("Bearer realm=\"netserver\"");
        assertThat(get(server, path, "Authorization", "Bearer " + TOKEN + "x").statusCode()).as(path).isEqualTo(401);
        assertThat(get(server, path, "Authorization", "Bearer " + TOKEN.substring(1)).statusCode()).as(path).isEqualTo(401);
        assertThat(get(server, path, "Authorization", "Basic " + TOKEN).statusCode()).as(path).isEqualTo(401);
      }
      assertThat(get(server, "/health", "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
      assertThat(get(server, "/metrics", "Authorization", "bearer " + TOKEN).statusCode()).isEqualTo(200);
      assertThat(get(server, "/nothing", "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(404);
      assertThat(admin.events()).extracting(ILoggingEvent::getFormattedMessage)
        .anyMatch(line -> line.endsWith("(bearer token required)"));
      for (LogCapture log : List.of(admin, main, root)) {
        assertThat(log.events()).extracting(ILoggingEvent::getFormattedMessage).noneMatch(line -> line.contains(TOKEN));
      }
    }
  }

  @Test
  @DisplayName("/stats is the JSON netserver.stats.query answers; /listeners names each listener's engine and bound addresses")
  void statsAndListeners() throws Exception {
    MainVerticle main = deploy();
    try (TestClient c = TestClient.connect(port(main, "echo"))) {
      assertThat(c.send("abc").read(3)).isEqualTo("abc");
    }
    try (StatsProbe probe = new StatsProbe(vertx)) {
      probe.awaitCounter("echo", "bytesOut", 3);
    }
    JsonObject stats = new JsonObject(get(main, "/stats").body());
    assertThat(stats.getJsonObject("listeners").fieldNames()).containsExactlyInAnyOrder("greeter", "echo", "udp-echo");
    JsonObject queried = await(vertx.eventBus().<JsonObject>request(dev.netserver.stats.StatsAddresses.QUERY, null)).body();
    assertThat(stats.fieldNames()).isEqualTo(queried.fieldNames());
    assertThat(stats.getJsonObject("listeners").getJsonObject("echo").getJsonObject("counters").getLong("bytesOut"))
      .isEqualTo(3);

    JsonObject listeners = new JsonObject(get(main, "/listeners").body());
    assertThat(listeners.getString("node")).isEqualTo("admin-node");
    assertThat(listeners.getString("transport")).isNotEmpty();
    JsonArray list = listeners.getJsonArray("listeners");
    assertThat(list).hasSize(3);
    for (int i = 0; i < list.size(); i++) {
      JsonObject l = list.getJsonObject(i);
      assertThat(l.getJsonArray("bound").getList()).as(l.getString("name"))
        .isEqualTo(main.boundAddresses().get(l.getString("name")));
      assertThat(l.getString("engine")).isIn("vertx", "direct");
    }
    assertThat(list.getJsonObject(2).getString("kind")).isEqualTo("udp");
    // the socket options the OS reports, as `netserver sockopts` reads them back
    JsonArray echoSockets = list.getJsonObject(1).getJsonArray("sockets");
    assertThat(echoSockets.stream().map(o -> ((JsonObject) o).getString("socket"))).containsExactly("listener", "accepted");
    JsonArray accepted = echoSockets.getJsonObject(1).getJsonArray("options");
    assertThat(accepted.stream().map(JsonObject.class::cast).filter(o -> "tcp[1].socket.tcpNoDelay".equals(o.getString("key"))))
      .singleElement().satisfies(o -> assertThat(o.getValue("reported")).isEqualTo(true));
    assertThat(list.getJsonObject(2).getJsonArray("sockets").getJsonObject(0).getJsonArray("options")).isNotEmpty();
  }

  @Test
  @DisplayName("/metrics: netserver's counters per listener, Vert.x's and the JVM's, read by Prometheus's own parser after real traffic; no client address in any label")
  void metrics() throws Exception {
    MainVerticle main = deploy();
    int clientPort;
    for (int i = 0; i < 3; i++) {
      try (TestClient c = TestClient.connect(port(main, "greeter"))) {
        c.readUntil(": ");
        assertThat(c.send("abc\n").readToEnd()).isEqualTo("You entered 3 characters.\n");
      }
    }
    try (TestClient c = TestClient.connect(port(main, "echo"))) {
      clientPort = c.localPort();
      assertThat(c.send("0123456789").read(10)).isEqualTo("0123456789");
    }
    try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      udp.setSoTimeout(5000);
      for (int i = 0; i < 2; i++) {
        udp.send(new DatagramPacket(new byte[100], 100, InetAddress.getLoopbackAddress(), port(main, "udp-echo")));
        udp.receive(new DatagramPacket(new byte[200], 200));
      }
    }
    List<PrometheusText.Sample> samples;
    try (StatsProbe probe = new StatsProbe(vertx)) {
      // each snapshot may complete the picture: scrape again after each until it does, for at most Await's timeout
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Await.TIMEOUT_SECONDS);
      while (true) {
        HttpResponse<String> response = get(main, "/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        samples = PrometheusText.parse(response.body());
        List<Optional<Double>> seen = List.of(value(samples, "netserver_lines_answered_total", "greeter"),
          value(samples, "netserver_bytes_out_total", "echo"), value(samples, "netserver_datagrams_echoed_total", "udp-echo"),
          value(samples, "netserver_connections_active", "greeter"));
        if (seen.equals(List.of(Optional.of(3.0), Optional.of(10.0), Optional.of(2.0), Optional.of(0.0)))) {
          break;
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError("greeter answered, echo bytes out, datagrams echoed, greeter active: expected 3, 10, 2, 0, but"
            + " /metrics still says " + seen + " after " + Await.TIMEOUT_SECONDS + " s; the last snapshot: "
            + probe.await("greeter", s -> true).toJson());
        }
        probe.await("greeter", s -> true);
      }
    }
    assertThat(value(samples, "netserver_connections_accepted_total", "greeter")).contains(3.0);
    assertThat(value(samples, "netserver_bytes_in_total", "greeter")).contains(12.0);
    assertThat(value(samples, "netserver_bytes_in_total", "udp-echo")).contains(200.0);
    PrometheusText.Sample accepted = sample(samples, "netserver_connections_accepted_total", "greeter");
    assertThat(accepted.type()).isEqualTo("counter");
    assertThat(accepted.labels()).containsEntry("node", "admin-node").containsEntry("protocol", "greeting")
      .containsKey("engine").hasSize(4);
    assertThat(sample(samples, "netserver_connections_active", "echo").type()).isEqualTo("gauge");
    // every counter of its kind, for every listener: the refusals and drops as one metric each, by reason
    for (Counter counter : Counter.of(ListenerKind.TCP)) {
      MetricNames.Name name = MetricNames.of(counter);
      String metric = name.metric().replace('.', '_') + (counter.gauge() ? "" : "_total");
      assertThat(samples).as(metric).anyMatch(s -> s.name().equals(metric) && s.labels().get("listener").equals("echo")
        && (name.reason() == null || name.reason().equals(s.labels().get("reason"))));
    }
    assertThat(samples.stream().filter(s -> s.name().equals("netserver_connections_refused_total")
      && s.labels().get("listener").equals("greeter")).map(s -> s.labels().get("reason")))
      .containsExactlyInAnyOrder("maxConnections", "perSource", "rate", "denied", "busy", "lineTimeout");
    assertThat(samples.stream().filter(s -> s.name().equals("netserver_datagrams_dropped_total")).map(s -> s.labels().get("listener")))
      .containsOnly("udp-echo").isNotEmpty();
    // Vert.x's (the admin server's own requests at least) and the JVM's
    assertThat(samples).anyMatch(s -> s.name().startsWith("vertx_http_server_"));
    assertThat(samples).anyMatch(s -> s.name().startsWith("jvm_memory_used_bytes"));
    // never a client address: no label names one, no value holds a client's port
    for (PrometheusText.Sample s : samples) {
      assertThat(s.labels().keySet()).as(s.name()).doesNotContain("remote", "local");
      assertThat(s.labels().values()).as(s.name()).noneMatch(v -> v.contains("127.0.0.1") || v.contains(":" + clientPort));
    }
  }

  @Test
  @DisplayName("/metrics has every listener from the start, though their first snapshots came before the admin did")
  void metricsFromTheStart() throws Exception {
    JsonObject config = config(new JsonObject().put("host", "127.0.0.1").put("port", 0));
    config.getJsonObject("stats").put("publishIntervalMs", 3_600_000); // no second snapshot within the test
    MainVerticle main = deploy(config);
    List<PrometheusText.Sample> samples = PrometheusText.parse(get(main, "/metrics").body());
    assertThat(samples.stream().filter(s -> s.name().equals("netserver_bytes_in_total")).map(s -> s.labels().get("listener")))
      .containsExactlyInAnyOrder("greeter", "echo", "udp-echo");
  }

  @Test
  @DisplayName("/metrics: no Vert.x datagram metrics (a cost per datagram), netserver's counters for a UDP listener on the vertx engine")
  void noPerDatagramMetrics() throws Exception {
    JsonObject config = config(new JsonObject().put("host", "127.0.0.1").put("port", 0));
    config.getJsonArray("udp").getJsonObject(0).put("engine", "vertx");
    MainVerticle main = deploy(config);
    List<PrometheusText.Sample> samples;
    try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
         StatsProbe probe = new StatsProbe(vertx)) {
      udp.setSoTimeout(5000);
      udp.send(new DatagramPacket(new byte[100], 100, InetAddress.getLoopbackAddress(), port(main, "udp-echo")));
      udp.receive(new DatagramPacket(new byte[200], 200));
      // the admin reads the same snapshots as the probe, in either order: scrape after each, for at most Await's timeout
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Await.TIMEOUT_SECONDS);
      do {
        probe.await("udp-echo", s -> true);
        samples = PrometheusText.parse(get(main, "/metrics").body());
      } while (value(samples, "netserver_datagrams_echoed_total", "udp-echo").orElse(0.0) < 1 && System.nanoTime() < deadline);
    }
    assertThat(value(samples, "netserver_datagrams_echoed_total", "udp-echo")).contains(1.0);
    assertThat(sample(samples, "netserver_datagrams_echoed_total", "udp-echo").labels()).containsEntry("engine", "vertx");
    assertThat(samples).noneMatch(s -> s.name().startsWith("vertx_datagram"));
  }

  private static PrometheusText.Sample sample(List<PrometheusText.Sample> samples, String name, String listener) {
    return samples.stream().filter(s -> s.name().equals(name) && listener.equals(s.labels().get("listener")))
      .findFirst().orElseThrow(() -> new AssertionError("no " + name + "{listener=\"" + listener + "\"}"));
  }

  private static Optional<Double> value(List<PrometheusText.Sample> samples, String name, String listener) {
    return samples.stream().filter(s -> s.name().equals(name) && listener.equals(s.labels().get("listener")))
      .map(PrometheusText.Sample::value).findFirst();
  }

  @Test
  @DisplayName("every counter has its own metric name, or its own reason under a shared one")
  void namesAreUnique() {
    assertThat(java.util.Arrays.stream(Counter.values()).map(MetricNames::of).distinct()).hasSize(Counter.values().length);
    assertThat(MetricNames.of(Counter.CONNECTIONS_ACCEPTED)).isEqualTo(new MetricNames.Name("netserver.connections.accepted", null));
    assertThat(MetricNames.of(Counter.REFUSED_PER_SOURCE)).isEqualTo(new MetricNames.Name("netserver.connections.refused", "perSource"));
    assertThat(MetricNames.of(Counter.DROPPED_KERNEL)).isEqualTo(new MetricNames.Name("netserver.datagrams.dropped", "kernel"));
    assertThat(MetricNames.of(Counter.TLS_HANDSHAKE_FAILURES)).isEqualTo(new MetricNames.Name("netserver.tls.handshake.failures", null));
  }
}
