package dev.netserver.reload;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.netserver.LogCapture;
import dev.netserver.MainVerticle;
import dev.netserver.StatsProbe;
import dev.netserver.stats.StatsAddresses;
import dev.netserver.TestClient;
import dev.netserver.admin.AdminMetrics;
import dev.netserver.config.ConfigLoader;
import dev.netserver.config.ConfigSource;
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
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static dev.netserver.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hot reload of a whole netserver (MainVerticle started from a file, as {@code netserver run} starts it), on
 * ephemeral loopback ports, in a Vert.x built with metrics as {@code run} builds it when {@code admin} is set.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@DisplayName("A reload")
class ReloadTest {

  private static final String TOKEN = "reload-t0ken_0123456789";

  @TempDir
  Path dir;
  private Path file;
  private Vertx vertx;
  private MainVerticle main;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void setUp() {
    vertx = AdminMetrics.enable(Vertx.builder(), new VertxOptions()).build();
    file = dir.resolve("config.json");
  }

  @AfterEach
  void tearDown() {
    await(vertx.close());
  }

  /** A greeter and an echo on ephemeral loopback ports, the admin on one too. */
  static JsonObject config() {
    return new JsonObject()
      .put("node", new JsonObject().put("name", "reload-node"))
      .put("tcp", new JsonArray()
        .add(new JsonObject().put("name", "greeter").put("protocol", "greeting").put("host", "127.0.0.1").put("port", 0).put("instances", 2))
        .add(new JsonObject().put("name", "echo").put("protocol", "echo").put("host", "127.0.0.1").put("port", 0)))
      .put("udp", new JsonArray())
      .put("stats", new JsonObject().put("publishIntervalMs", 20).put("logIntervalSeconds", 0))
      .put("shutdown", new JsonObject().put("graceSeconds", 1))
      .put("admin", new JsonObject().put("host", "127.0.0.1").put("port", 0));
  }

  private void write(JsonObject config) {
    write(config.encodePrettily());
  }

  private void write(String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private MainVerticle start(JsonObject config) {
    write(config);
    ConfigSource source = ConfigSource.file(file);
    main = new MainVerticle(ConfigLoader.read(source), source, 0);
    await(vertx.deployVerticle(main));
    return main;
  }

  /** Writes the running configuration with {@code edit} applied and reloads. */
  private ReloadResult reloadWith(JsonObject config, Consumer<JsonObject> edit) {
    JsonObject next = config.copy();
    edit.accept(next);
    write(next);
    return await(main.reload("test"));
  }

  private int port(String listener) {
    String address = main.boundAddresses().get(listener).get(0);
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
  }

  private static JsonObject tcp(JsonObject config, int i) {
    return config.getJsonArray("tcp").getJsonObject(i);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /**
   * Whether connections to {@code port} are refused, within 2 s: Netty 4.2 completes a listening channel's
   * close before its event loop has closed the socket, so the kernel may take a connection a moment longer
   * (as TcpInstancesTest saw). A connection whose local port is the port itself is the kernel connecting a
   * client to itself (TCP self-connect, possible only where nothing listens): a refusal too. A connection reset
   * while connecting is the listening socket closing with it still queued: it is tried again.
   */
  private static boolean refusesConnections(int port) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        if (s.getLocalPort() == port) {
          return true;
        }
        Thread.onSpinWait();
      } catch (ConnectException e) {
        return true;
      } catch (SocketException e) {
        // reset while connecting: the listening socket closed with this connection in its accept queue; try again
        Thread.onSpinWait();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return false;
  }

  private HttpResponse<String> http(String method, String path, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + main.admin().actualPort() + path))
      .method(method, HttpRequest.BodyPublishers.noBody()).timeout(java.time.Duration.ofSeconds(10));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @DisplayName("a changed greeting text is seen by the next greeting; a connection already open keeps its listener and its text")
  void textInPlace() {
    JsonObject config = config();
    start(config);
    int port = port("greeter");
    try (TestClient before = TestClient.connect(port);
         LogCapture log = LogCapture.of(MainVerticle.class)) {
      assertThat(before.readUntil(": ")).startsWith("Welcome, 127.0.0.1:");
      ReloadResult result = reloadWith(config, next -> tcp(next, 0).put("texts", new JsonObject().put("welcome", "Hello again, {client}")));
      assertThat(result.ok()).isTrue();
      assertThat(result.summary()).isEqualTo("greeter changed in place (texts)");
      assertThat(log.events()).extracting(ILoggingEvent::getFormattedMessage).contains("reload (test): greeter changed in place (texts)");
      assertThat(port("greeter")).as("not rebound").isEqualTo(port);
      for (int i = 0; i < 2; i++) { // both instances switched: connections take turns over them
        try (TestClient after = TestClient.connect(port)) {
          assertThat(after.readUntil(": ")).startsWith("Hello again, 127.0.0.1:");
        }
      }
      assertThat(before.send("abc\n").readUntil("\n")).isEqualTo("You entered 3 characters.\n");
    }
  }

  @Test
  @DisplayName("a changed limit applies in place to the connections accepted from then on")
  void limitInPlace() {
    JsonObject config = config();
    start(config);
    int port = port("echo");
    try (TestClient first = TestClient.connect(port)) {
      assertThat(first.send("x").read(1)).isEqualTo("x");
      ReloadResult result = reloadWith(config, next -> tcp(next, 1).put("limits", new JsonObject().put("maxConnections", 1))
        .put("texts", new JsonObject().put("refused", "full")));
      assertThat(result.summary()).isEqualTo("echo changed in place (texts, guard)");
      try (TestClient second = TestClient.connect(port)) {
        assertThat(second.send("y").read(1)).as("the old connection is not counted against the new limit").isEqualTo("y");
        try (TestClient third = TestClient.connect(port)) {
          assertThat(third.readToEnd()).isEqualTo("full\n");
        }
      }
      assertThat(first.send("z").read(1)).isEqualTo("z");
    }
  }

  @Test
  @DisplayName("a changed port moves the listener: the new port answers, the old one drains and refuses")
  void portMoves() throws IOException {
    JsonObject config = config();
    start(config);
    int old = port("greeter");
    int moved = freePort();
    ReloadResult result = reloadWith(config, next -> tcp(next, 0).put("port", moved));
    assertThat(result.summary()).isEqualTo("greeter rebound (binding)");
    assertThat(main.boundAddresses().get("greeter")).containsExactly("127.0.0.1:" + moved);
    try (TestClient c = TestClient.connect(moved)) {
      assertThat(c.readUntil(": ")).startsWith("Welcome, ");
    }
    assertThat(refusesConnections(old)).isTrue();
  }

  @Test
  @DisplayName("a change that needs a bind on the same port stops the old listener's accepting first, then binds, and its connections live on")
  void samePortRebind() throws IOException {
    JsonObject config = config();
    int fixed = freePort();
    tcp(config, 1).put("port", fixed);
    start(config);
    try (TestClient open = TestClient.connect(fixed)) {
      assertThat(open.send("a").read(1)).isEqualTo("a");
      ReloadResult result = reloadWith(config, next -> tcp(next, 1).put("backlog", 64));
      assertThat(result.ok()).as("%s", result.problems()).isTrue();
      assertThat(result.summary()).isEqualTo("echo rebound (backlog)");
      try (TestClient fresh = TestClient.connect(fixed)) {
        assertThat(fresh.send("b").read(1)).isEqualTo("b");
      }
    }
  }

  @Test
  @DisplayName("a removed listener drains and refuses; an added one answers; /listeners, bound addresses and the stats follow")
  void removedAndAdded() throws Exception {
    JsonObject config = config();
    start(config);
    int echo = port("echo");
    try (TestClient c = TestClient.connect(echo)) {
      assertThat(c.send("old").read(3)).isEqualTo("old");
    }
    ReloadResult result = reloadWith(config, next -> {
      next.getJsonArray("tcp").remove(1);
      next.getJsonArray("tcp").add(new JsonObject().put("name", "echo2").put("protocol", "echo").put("host", "127.0.0.1").put("port", 0));
    });
    assertThat(result.summary()).isEqualTo("echo2 started; echo drained");
    assertThat(main.boundAddresses()).containsOnlyKeys("greeter", "echo2");
    try (TestClient c = TestClient.connect(port("echo2"))) {
      assertThat(c.send("new").read(3)).isEqualTo("new");
    }
    assertThat(refusesConnections(echo)).isTrue();
    JsonArray listeners = new JsonObject(http("GET", "/listeners").body()).getJsonArray("listeners");
    assertThat(listeners.stream().map(l -> ((JsonObject) l).getString("name"))).containsExactly("greeter", "echo2");
    assertThat(http("GET", "/ready").statusCode()).isEqualTo(200);
    try (StatsProbe probe = new StatsProbe(vertx)) {
      probe.awaitCounter("echo2", "bytesOut", 3);
    }
    JsonObject stats = await(vertx.eventBus().<JsonObject>request(StatsAddresses.QUERY, null)).body().getJsonObject("listeners");
    assertThat(stats.getJsonObject("echo").getJsonObject("counters").getLong("bytesOut")).as("the drained listener's counts stay").isEqualTo(3);
    assertThat(stats.getJsonObject("echo2").getJsonObject("counters").getLong("bytesOut")).isEqualTo(3);
  }

  @Test
  @DisplayName("a listener rebound on another engine is exported under its new engine label")
  void engineLabelFollows() throws Exception {
    JsonObject config = config();
    start(config);
    try (TestClient c = TestClient.connect(port("echo"))) {
      assertThat(c.send("x").read(1)).isEqualTo("x");
    }
    String before;
    try (StatsProbe probe = new StatsProbe(vertx)) {
      before = probe.awaitCounter("echo", "bytesOut", 1).instance();
    }
    assertThat(http("GET", "/metrics").body()).containsPattern("netserver_connections_accepted_total\\{[^}]*engine=\"direct\",listener=\"echo\"");
    ReloadResult result = reloadWith(config, next -> tcp(next, 1).put("engine", "vertx"));
    assertThat(result.summary()).isEqualTo("echo rebound (engine)");
    try (TestClient c = TestClient.connect(port("echo"))) {
      assertThat(c.send("y").read(1)).isEqualTo("y");
    }
    try (StatsProbe probe = new StatsProbe(vertx)) {
      probe.await("echo", snapshot -> !snapshot.instance().equals(before) && snapshot.counter("bytesOut") == 1);
    }
    String metrics = http("GET", "/metrics").body();
    assertThat(metrics).containsPattern("netserver_connections_accepted_total\\{[^}]*engine=\"vertx\",listener=\"echo\"")
      .doesNotContainPattern("netserver_connections_accepted_total\\{[^}]*engine=\"direct\",listener=\"echo\"");
  }

  @Test
  @DisplayName("an invalid file changes nothing: every problem is logged, the reload counts as failed, /health shows lastReload, and the server serves on")
  void invalidChangesNothing() throws Exception {
    JsonObject config = config();
    start(config);
    int echo = port("echo");
    try (LogCapture log = LogCapture.of(MainVerticle.class)) {
      JsonObject bad = config.copy();
      tcp(bad, 1).put("port", 70000);
      tcp(bad, 0).put("idleTimeoutSeconds", -1);
      write(bad);
      ReloadResult result = await(main.reload("test"));
      assertThat(result.ok()).isFalse();
      assertThat(result.problems()).hasSize(2).allMatch(p -> p.startsWith(file + ": tcp["));
      assertThat(log.events()).extracting(ILoggingEvent::getFormattedMessage)
        .containsAll(result.problems())
        .contains("reload (test) failed: 2 problems; nothing changed, netserver keeps serving as it was");
    }
    try (TestClient c = TestClient.connect(echo)) {
      assertThat(c.send("still").read(5)).isEqualTo("still");
    }
    JsonObject last = new JsonObject(http("GET", "/health").body()).getJsonObject("lastReload");
    assertThat(last.getString("outcome")).isEqualTo("failed");
    assertThat(last.getString("time")).isNotBlank();
    assertThat(last.getJsonArray("problems")).hasSize(2);

    write("{\"tcp\": [], \"tcp\": []}");
    assertThat(await(main.reload("test")).problems()).singleElement().asString().contains("appears twice");

    String metrics = http("GET", "/metrics").body();
    assertThat(metrics).containsPattern("netserver_reloads_total\\{[^}]*result=\"failed\"[^}]*\\} 2\\.0")
      .containsPattern("netserver_reloads_total\\{[^}]*result=\"ok\"[^}]*\\} 0\\.0");
  }

  @Test
  @DisplayName("a changed key that only a restart applies refuses the reload, with one line naming it")
  void restartOnly() {
    JsonObject config = config();
    start(config);
    ReloadResult result = reloadWith(config, next -> {
      next.put("node", new JsonObject().put("name", "other"));
      tcp(next, 0).put("texts", new JsonObject().put("welcome", "not applied"));
    });
    assertThat(result.ok()).isFalse();
    assertThat(result.problems()).containsExactly(file + ": node.name changed, which only a restart applies; the reload"
      + " changes nothing (restart netserver, or put node.name back)");
    try (TestClient c = TestClient.connect(port("greeter"))) {
      assertThat(c.readUntil(": ")).startsWith("Welcome, ");
    }
  }

  @Test
  @DisplayName("a listener that cannot bind undoes the whole reload")
  void bindFailureUndoes() throws IOException {
    JsonObject config = config();
    start(config);
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      ReloadResult result = reloadWith(config, next -> {
        tcp(next, 0).put("texts", new JsonObject().put("welcome", "not applied"));
        next.getJsonArray("tcp").add(new JsonObject().put("name", "clash").put("protocol", "echo").put("host", "127.0.0.1").put("port", taken.getLocalPort()));
      });
      assertThat(result.ok()).isFalse();
      assertThat(result.problems()).singleElement().asString().startsWith("clash: cannot listen on TCP 127.0.0.1:" + taken.getLocalPort());
    }
    assertThat(main.boundAddresses()).containsOnlyKeys("greeter", "echo");
    try (TestClient c = TestClient.connect(port("greeter"))) {
      assertThat(c.readUntil(": ")).startsWith("Welcome, ");
    }
  }

  @Test
  @DisplayName("POST /reload reloads and answers with the outcome; with a token it needs the token")
  void postReload() throws Exception {
    JsonObject config = config();
    config.getJsonObject("admin").put("token", TOKEN);
    start(config);
    JsonObject next = config.copy();
    tcp(next, 0).put("texts", new JsonObject().put("welcome", "Posted, {client}"));
    write(next);
    assertThat(http("POST", "/reload").statusCode()).isEqualTo(401);
    assertThat(main.reloads().last()).as("no reload without the token").isNull();
    HttpResponse<String> ok = http("POST", "/reload", "Authorization", "Bearer " + TOKEN);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(ok.body()).getString("summary")).isEqualTo("greeter changed in place (texts)");
    try (TestClient c = TestClient.connect(port("greeter"))) {
      assertThat(c.readUntil(": ")).startsWith("Posted, ");
    }
    write("{");
    HttpResponse<String> failed = http("POST", "/reload", "Authorization", "Bearer " + TOKEN);
    assertThat(failed.statusCode()).isEqualTo(422);
    assertThat(new JsonObject(failed.body()).getJsonArray("problems")).isNotEmpty();
  }

  @Test
  @DisplayName("with reload.watch, a change of the file reloads it")
  void watch() throws Exception {
    JsonObject config = config().put("reload", new JsonObject().put("watch", true).put("scanPeriodMs", 100));
    start(config);
    CompletableFuture<ReloadResult> reloaded = main.reloads().next().toCompletableFuture();
    JsonObject next = config.copy();
    tcp(next, 0).put("texts", new JsonObject().put("welcome", "Watched, {client}"));
    write(next);
    ReloadResult result = reloaded.get(10, TimeUnit.SECONDS);
    assertThat(result.trigger()).isEqualTo("file watch");
    assertThat(result.ok()).isTrue();
    try (TestClient c = TestClient.connect(port("greeter"))) {
      assertThat(c.readUntil(": ")).startsWith("Watched, ");
    }
  }

  @Test
  @DisplayName("the comparison keys of unknown listeners: a reload of an unchanged file changes nothing")
  void unchanged() {
    JsonObject config = config();
    start(config);
    int greeter = port("greeter");
    ReloadResult result = await(main.reload("test"));
    assertThat(result.ok()).isTrue();
    assertThat(result.summary()).isEqualTo("nothing changed");
    assertThat(port("greeter")).isEqualTo(greeter);
  }

  @Test
  @DisplayName("a configuration that came as the deployment's config() is read again as it was: nothing changes, and the log says why")
  void inlineConfig() {
    main = new MainVerticle();
    await(vertx.deployVerticle(main, new DeploymentOptions().setConfig(config())));
    try (LogCapture log = LogCapture.of(MainVerticle.class)) {
      ReloadResult result = await(main.reload("test"));
      assertThat(result.ok()).isTrue();
      assertThat(result.summary()).isEqualTo("nothing changed");
      assertThat(log.events()).extracting(ILoggingEvent::getFormattedMessage).contains("reload (test): the configuration"
        + " came as the deployment's config(), not as a file: it is read again as it was, so nothing changes (start with"
        + " -conf FILE to reload changes)");
    }
  }

  @Test
  @DisplayName("a UDP listener's blocked source ports change in place: the same socket drops what it echoed before")
  void udpInPlace() throws Exception {
    JsonObject config = config();
    config.getJsonArray("udp").add(new JsonObject().put("name", "udp-echo").put("protocol", "echo").put("host", "127.0.0.1").put("port", 0));
    start(config);
    int port = port("udp-echo");
    try (DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      client.setSoTimeout(5000);
      client.send(new DatagramPacket(new byte[] {1}, 1, InetAddress.getLoopbackAddress(), port));
      client.receive(new DatagramPacket(new byte[8], 8));
      ReloadResult result = reloadWith(config, next -> next.getJsonArray("udp").getJsonObject(0)
        .put("blockedSourcePorts", "0-1023," + client.getLocalPort()));
      assertThat(result.summary()).isEqualTo("udp-echo changed in place (blockedSourcePorts)");
      assertThat(port("udp-echo")).as("the same socket").isEqualTo(port);
      try (StatsProbe probe = new StatsProbe(vertx)) {
        client.send(new DatagramPacket(new byte[] {2}, 1, InetAddress.getLoopbackAddress(), port));
        probe.awaitCounter("udp-echo", "droppedBlockedSource", 1);
      }
    }
  }
}
