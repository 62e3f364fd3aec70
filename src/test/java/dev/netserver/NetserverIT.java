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
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
@DisplayName("The packaged server, run as a process")
class NetserverIT {

  @TempDir
  Path dir;

  private Path config(JsonObject json) throws IOException {
    Path file = dir.resolve("config.json");
    Files.writeString(file, json.encodePrettily());
    return file;
  }

  static JsonObject loopbackConfig() {
    return new JsonObject()
      .put("node", new JsonObject().put("name", "it-node"))
      .put("tcp", new JsonArray()
        .add(new JsonObject().put("name", "greeter").put("protocol", "greeting").put("host", "127.0.0.1").put("port", 0))
        .add(new JsonObject().put("name", "echo").put("protocol", "echo").put("host", "127.0.0.1").put("port", 0)))
      .put("udp", new JsonArray()
        .add(new JsonObject().put("name", "udp-echo").put("protocol", "echo").put("host", "127.0.0.1").put("port", 0)))
      .put("stats", new JsonObject().put("publishIntervalMs", 100).put("logIntervalSeconds", 1))
      .put("shutdown", new JsonObject().put("graceSeconds", 2));
  }

  @Test
  @DisplayName("java -jar serves greeting, echo and UDP echo, and on SIGTERM stops with a final summary")
  void servesAndStops() throws IOException {
    Path conf = config(loopbackConfig());
    try (ServerProcess server = ServerProcess.jar("-conf", conf.toString())) {
      int greeter = server.port("greeter");
      int echo = server.port("echo");
      int udp = server.port("udp-echo");
      try (TestClient c = TestClient.connect(greeter)) {
        assertThat(c.readUntil(": ")).isEqualTo("Welcome, 127.0.0.1:" + c.localPort() + "\nPlease enter a string: ");
        assertThat(c.send("hello world\n").readToEnd()).isEqualTo("You entered 11 characters.\n");
      }
      try (TestClient c = TestClient.connect(echo)) {
        assertThat(c.send("ping").read(4)).isEqualTo("ping");
      }
      try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
        s.setSoTimeout(5000);
        s.send(new DatagramPacket("hi".getBytes(StandardCharsets.US_ASCII), 2, InetAddress.getLoopbackAddress(), udp));
        DatagramPacket reply = new DatagramPacket(new byte[16], 16);
        s.receive(reply);
        assertThat(new String(reply.getData(), 0, reply.getLength(), StandardCharsets.US_ASCII)).isEqualTo("hi");
      }
      server.awaitLine("greeter tcp: 1 accepted \\(0 active\\)");
      assertThat(server.terminate()).isEqualTo(143);
      assertThat(server.output())
        .contains("final: greeter tcp: 1 accepted (0 active)")
        .contains("final: echo tcp: 1 accepted")
        .contains("final: udp-echo udp: 1 datagrams (1 echoed, 0 dropped)");
    }
  }

  @Test
  @DisplayName("exits 78 with one line per configuration problem, naming the file, before binding anything")
  void badConfig() throws IOException {
    JsonObject json = loopbackConfig();
    json.getJsonArray("tcp").getJsonObject(0).put("port", 70000);
    json.put("transprt", "nio");
    Path conf = config(json);
    try (ServerProcess server = ServerProcess.jar("-conf", conf.toString())) {
      assertThat(server.waitFor()).isEqualTo(78);
      assertThat(server.output())
        .contains(conf + ": tcp[0].port must be an integer in 0..65535 (was 70000)")
        .contains(conf + ": transprt is not a known key (did you mean \"transport\"?)")
        .doesNotContain("is running on")
        .doesNotContain("Exception");
    }
  }

  @Test
  @DisplayName("--help prints netserver's usage with every command and its one-liner, not the bare Vert.x launcher's")
  void help() {
    try (ServerProcess help = ServerProcess.jar("--help")) {
      assertThat(help.waitFor()).isZero();
      assertThat(help.output()).startsWith("Usage: netserver [-h] [COMMAND]")
        .containsPattern("(?m)^  run +Start the server \\(the default command\\)$")
        .containsPattern("(?m)^  check-config +Check the configuration")
        .containsPattern("(?m)^  sockopts +List the socket options")
        .containsPattern("(?m)^  stats +Ask a running cluster for its stats$")
        .containsPattern("(?m)^  bench +Load generator")
        .doesNotContain("VertxApplication");
    }
  }

  @Test
  @DisplayName("a flag without its value is a usage error, exit 2, before anything starts")
  void flagWithoutValue() {
    try (ServerProcess run = ServerProcess.jar("-instances")) {
      assertThat(run.waitFor()).isEqualTo(2);
      assertThat(run.output()).startsWith("netserver run: Missing required parameter for option '--instances' (N)")
        .doesNotContain("is running on");
    }
  }

  @Test
  @DisplayName("check-config binds nothing: 0 and an OK line for a valid file even when its port is taken, 78 for problems")
  void checkConfig() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      JsonObject json = loopbackConfig();
      json.getJsonArray("tcp").getJsonObject(0).put("port", taken.getLocalPort());
      Path conf = config(json);
      try (ServerProcess check = ServerProcess.jar("check-config", "-conf", conf.toString())) {
        assertThat(check.waitFor()).isZero();
        assertThat(check.output()).isEqualTo(conf + ": OK: node it-node, transport auto, listeners greeter (TCP greeting on"
          + " 127.0.0.1:" + taken.getLocalPort() + ", direct engine), echo (TCP echo on 127.0.0.1:0, direct engine),"
          + " udp-echo (UDP echo on 127.0.0.1:0, direct engine)");
      }
    }
    JsonObject json = loopbackConfig();
    json.getJsonArray("tcp").getJsonObject(0).put("port", 70000);
    json.getJsonObject("stats").put("publishIntervalMs", -1);
    json.put("transport", "quic");
    Path conf = config(json);
    try (ServerProcess check = ServerProcess.jar("check-config", "-conf", conf.toString())) {
      assertThat(check.waitFor()).isEqualTo(78);
      assertThat(check.output().lines()).hasSize(3).allSatisfy(line -> assertThat(line).startsWith(conf + ": "))
        .anySatisfy(line -> assertThat(line).contains("tcp[0].port must be").endsWith("(was 70000)"))
        .anySatisfy(line -> assertThat(line).contains("stats.publishIntervalMs must be").endsWith("(was -1)"))
        .anySatisfy(line -> assertThat(line).contains("transport must be one of").endsWith("(was \"quic\")"));
    }
  }

  @Test
  @DisplayName("reports invalid JSON with its line and column")
  void invalidJson() throws IOException {
    Path conf = dir.resolve("broken.json");
    Files.writeString(conf, "{\n  \"tcp\": [\n    { \"name\": \"x\", }\n  ]\n}\n");
    try (ServerProcess server = ServerProcess.jar("-conf", conf.toString())) {
      assertThat(server.waitFor()).isEqualTo(78);
      assertThat(server.output()).contains(conf + ": is not valid JSON at line 3, column 20");
    }
  }

  @Test
  @DisplayName("exits 71 naming the listener and address when the address is in use, and leaves nothing bound")
  void addressInUse() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      JsonObject json = loopbackConfig();
      json.getJsonArray("tcp").getJsonObject(1).put("port", taken.getLocalPort());
      try (ServerProcess server = ServerProcess.jar("-conf", config(json).toString())) {
        assertThat(server.waitFor()).isEqualTo(71);
        assertThat(server.output()).contains("echo: cannot listen on TCP 127.0.0.1:" + taken.getLocalPort() + ": ");
      }
    }
  }

  @Test
  @DisplayName("serves the shipped conf/config.json on Vert.x's NetServer and DatagramSocket after one edit per listener: engine auto to vertx")
  void vertxEngineFromShippedConfig() throws IOException {
    String shipped = Files.readString(Path.of("conf/config.json"));
    assertThat(shipped).contains("\"engine\": \"auto\"");
    JsonObject json = new JsonObject(shipped.replace("\"engine\": \"auto\"", "\"engine\": \"vertx\""));
    // this test's own changes, not the user's: loopback, ephemeral ports
    for (String kind : List.of("tcp", "udp")) {
      json.getJsonArray(kind).forEach(l -> ((JsonObject) l).put("host", "127.0.0.1").put("port", 0));
    }
    assertThat(json.getJsonObject("admin").getString("host")).as("the shipped admin is on loopback").isEqualTo("127.0.0.1");
    json.getJsonObject("admin").put("port", 0);
    try (ServerProcess server = ServerProcess.jar("-conf", config(json).toString())) {
      int greeter = Integer.parseInt(server.awaitLine(
        "greeter: TCP greeting server is running on 127\\.0\\.0\\.1:(\\d+) \\(vertx engine, \\w+, 1 instance\\)").group(1));
      int echo = Integer.parseInt(server.awaitLine(
        "echo: TCP echo server is running on 127\\.0\\.0\\.1:(\\d+) \\(vertx engine, \\w+, 1 instance\\)").group(1));
      int udp = Integer.parseInt(server.awaitLine(
        "udp-echo: UDP echo server is running on 127\\.0\\.0\\.1:(\\d+) \\(vertx engine, \\w+, 1 instance\\)").group(1));
      try (TestClient c = TestClient.connect(greeter)) {
        assertThat(c.readUntil(": ")).isEqualTo("Welcome, 127.0.0.1:" + c.localPort() + "\nPlease enter a string: ");
        assertThat(c.send("hello world\n").readToEnd()).isEqualTo("You entered 11 characters.\n");
      }
      try (TestClient c = TestClient.connect(echo)) {
        assertThat(c.send("ping").read(4)).isEqualTo("ping");
      }
      try (java.net.DatagramSocket u = new java.net.DatagramSocket(new java.net.InetSocketAddress("127.0.0.1", 0))) {
        u.setSoTimeout(5000);
        u.send(new java.net.DatagramPacket(new byte[] {7}, 1, java.net.InetAddress.getLoopbackAddress(), udp));
        java.net.DatagramPacket reply = new java.net.DatagramPacket(new byte[8], 8);
        u.receive(reply);
        assertThat(reply.getLength()).isEqualTo(1);
      }
      // the admin port of the packaged jar: Vert.x's and the JVM's metrics on (through the shaded service files)
      int admin = Integer.parseInt(server.awaitLine("admin: HTTP server is running on http://127\\.0\\.0\\.1:(\\d+)/").group(1));
      // Java's default client asks for an h2c upgrade: the admin server answers in HTTP/1.1, the one it speaks
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      try {
        java.net.http.HttpResponse<String> metrics = http.send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create("http://127.0.0.1:" + admin + "/metrics")).timeout(java.time.Duration.ofSeconds(10)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_1_1);
        assertThat(metrics.body()).containsPattern("(?m)^vertx_net_server_active_connections[ {]")
          .containsPattern("(?m)^jvm_memory_used_bytes[ {]");
        assertThat(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + admin + "/ready")).timeout(java.time.Duration.ofSeconds(10)).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + admin + "/dashboard.js")).timeout(java.time.Duration.ofSeconds(10)).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body()).as("the dashboard, from the jar").contains("EventSource");
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      assertThat(server.terminate()).isEqualTo(143);
      assertThat(server.output()).contains("final: greeter tcp: 1 accepted (0 active)").contains("final: echo tcp: 1 accepted")
        .contains("final: udp-echo udp: 1 datagrams (1 echoed, 0 dropped)");
    }
  }

  @Test
  @DisplayName("-instances N runs N instances of every TCP listener")
  void instancesFlag() throws IOException {
    try (ServerProcess server = ServerProcess.jar("-conf", config(loopbackConfig()).toString(), "-instances", "3")) {
      server.awaitLine("greeter: TCP greeting server is running on 127\\.0\\.0\\.1:\\d+ \\(direct engine, \\w+, 3 instances\\)");
      server.awaitLine("echo: TCP echo server is running on 127\\.0\\.0\\.1:\\d+ \\(direct engine, \\w+, 3 instances\\)");
      assertThat(server.terminate()).isEqualTo(143);
    }
  }

  @Test
  @DisplayName("answers `printf abc | nc -N host port` with 3, as the issue demands of a half-closing client")
  void netcatHalfClose() throws Exception {
    assumeTrue(onPath("nc"), "nc (netcat-openbsd) is not installed; .ci/run installs it");
    try (ServerProcess server = ServerProcess.jar("-conf", config(loopbackConfig()).toString())) {
      int port = server.port("greeter");
      Process nc = new ProcessBuilder("sh", "-c", "printf abc | nc -N 127.0.0.1 " + port).redirectErrorStream(true).start();
      assertThat(nc.waitFor(10, TimeUnit.SECONDS)).isTrue();
      String out = new String(nc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(out).endsWith("Please enter a string: You entered 3 characters.\n");
      server.terminate();
    }
  }

  @Test
  @DisplayName("runs under the classic io.vertx.core.Launcher, as `vertx run` users expect")
  void classicLauncher() throws IOException {
    Path conf = config(loopbackConfig());
    try (ServerProcess server = ServerProcess.start(List.of("-cp", ServerProcess.jar().toString(),
      "io.vertx.core.Launcher", "run", "dev.netserver.MainVerticle", "-conf", conf.toString()))) {
      int greeter = server.port("greeter");
      try (TestClient c = TestClient.connect(greeter)) {
        c.readUntil(": ");
        assertThat(c.send("four\n").readToEnd()).isEqualTo("You entered 4 characters.\n");
      }
      server.terminate();
    }
  }

  static boolean onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }

  @Test
  @DisplayName("on SIGTERM stops accepting but still answers a client that had its prompt and sends within the grace period")
  void sigtermWhileAClientWaits() throws IOException {
    try (ServerProcess server = ServerProcess.jar("-conf", config(loopbackConfig()).toString())) {
      int greeter = server.port("greeter");
      try (TestClient waiting = TestClient.connect(greeter)) {
        waiting.readUntil("Please enter a string: ");
        server.signalTerm();
        while (accepts(greeter)) {
          Thread.onSpinWait();
        }
        assertThat(waiting.send("made it\n").readToEnd()).isEqualTo("You entered 7 characters.\n");
      }
      assertThat(server.waitFor()).isEqualTo(143);
      // (the refused-or-not probes above may have been accepted too, so only the answer is counted exactly)
      assertThat(server.output()).containsPattern("final: greeter tcp: \\d+ accepted \\(0 active\\).*, 1 answered")
        .doesNotContain("Exception");
    }
  }

  @Test
  @DisplayName("run.sh says clearly that java is missing instead of failing obscurely")
  void runShWithoutJava() throws Exception {
    ProcessBuilder withoutJava = new ProcessBuilder("/bin/bash", "run.sh").redirectErrorStream(true);
    withoutJava.environment().put("PATH", dir.toString());
    Process run = withoutJava.start();
    assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(run.exitValue()).isEqualTo(1);
    assertThat(new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
      .contains("run.sh: java is not installed; netserver needs Java 17 or newer");
  }

  @Test
  @DisplayName("./run.sh --help passes --help through: netserver's usage")
  void runShHelp() throws Exception {
    Process run = new ProcessBuilder("/bin/bash", "run.sh", "--help").redirectErrorStream(true).start();
    String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(run.waitFor(90, TimeUnit.SECONDS)).isTrue();
    assertThat(run.exitValue()).as(out).isZero();
    assertThat(out).contains("Usage: netserver [-h] [COMMAND]", "  check-config ");
  }

  @Test
  @DisplayName("run.sh makes a class-data sharing archive after a build and starts the JVM from it")
  void runShClassDataSharing() throws Exception {
    Path archive = Path.of("target", "netserver.jsa");
    Files.deleteIfExists(archive);
    Path classes = dir.resolve("classes.txt");
    ProcessBuilder run = new ProcessBuilder("/bin/bash", "run.sh", "sockopts", "--help").redirectErrorStream(true)
      .redirectOutput(dir.resolve("run.txt").toFile());
    run.environment().put("JAVA_OPTS", "-Xlog:class+load=info:file=" + classes);
    Process p = run.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    assertThat(archive).isRegularFile();
    assertThat(Files.readString(classes)).contains("dev.netserver.cli.Netserver source: shared objects file (top)");
  }

  private static boolean accepts(int port) {
    try (java.net.Socket s = new java.net.Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException refused) {
      return false;
    }
  }
}
