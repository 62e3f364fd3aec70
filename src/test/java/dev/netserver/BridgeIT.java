package dev.netserver;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** scripts/stats-client.py, Python's standard library only, against the packaged jar's TCP event bus bridge. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@DisplayName("scripts/stats-client.py against the packaged server's bridge")
class BridgeIT {

  private static final Path SCRIPT = Path.of("scripts/stats-client.py");

  @TempDir
  Path dir;

  /** What the script printed (standard output and error apart) and its exit status. */
  record Run(int exit, String out, String err) {
  }

  @BeforeAll
  static void python() {
    assumeTrue(NetserverIT.onPath("python3"), "python3 is not installed");
  }

  private static Run script(String... args) {
    List<String> command = new ArrayList<>(List.of("python3", SCRIPT.toString()));
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).start();
      p.getOutputStream().close();
      // small outputs: read after the exit (the pipes' buffers hold them)
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("stats-client.py did not end within 60 s: " + command);
      }
      return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private ServerProcess start() throws IOException {
    JsonObject json = NetserverIT.loopbackConfig().put("bridge", new JsonObject().put("host", "127.0.0.1").put("port", 0));
    Path conf = Files.writeString(dir.resolve("config.json"), json.encodePrettily());
    return ServerProcess.jar("-conf", conf.toString());
  }

  @Test
  @DisplayName("prints one readable line per snapshot, --count of them, and a query's totals; both exit 0")
  void liveStatsAndQuery() throws IOException {
    try (ServerProcess server = start()) {
      int greeter = server.port("greeter");
      int bridge = Integer.parseInt(server.awaitLine("bridge: TCP event-bus bridge is running on 127\\.0\\.0\\.1:(\\d+)").group(1));
      try (TestClient c = TestClient.connect(greeter)) {
        c.readUntil(": ");
        assertThat(c.send("hello\n").readToEnd()).isEqualTo("You entered 5 characters.\n");
      }

      Run live = script("--port", Integer.toString(bridge), "--count", "9");
      assertThat(live.exit()).as(live.err()).isZero();
      List<String> lines = live.out().lines().toList();
      assertThat(lines).hasSize(9)
        .allMatch(l -> l.matches("\\d\\d:\\d\\d:\\d\\d it-node (greeter|echo) tcp \\[[0-9a-f-]{8}]: \\d+ accepted \\(\\d+ active\\).*"
          + "|\\d\\d:\\d\\d:\\d\\d it-node udp-echo udp \\[[0-9a-f-]{8}]: \\d+ datagrams \\(\\d+ echoed, \\d+ dropped\\).*"));
      assertThat(lines).anyMatch(l -> l.contains(" greeter tcp [") && l.contains(": 1 accepted (")
        && l.contains(", in 6 B, out 74 B, 1 answered"));

      Run query = script("--port", Integer.toString(bridge), "--query");
      assertThat(query.exit()).as(query.err()).isZero();
      assertThat(query.out().lines().toList()).containsExactly(
        "answered by it-node: 1 live node, 0 departed",
        "  greeter tcp: 1 accepted (0 active), 0.0 conn/s, in 6 B, out 74 B, 1 answered",
        "  echo tcp: 0 accepted (0 active), 0.0 conn/s, in 0 B, out 0 B",
        "  udp-echo udp: 0 datagrams (0 echoed, 0 dropped), 0.0 dgram/s, in 0 B, out 0 B");

      Run json = script("--port", Integer.toString(bridge), "--query", "--json");
      assertThat(json.exit()).as(json.err()).isZero();
      assertThat(new JsonObject(json.out()).getJsonObject("listeners").getJsonObject("greeter").getJsonObject("counters")
        .getLong("linesAnswered")).isEqualTo(1);

      Run bounded = script("--port", Integer.toString(bridge), "--seconds", "1", "--json");
      assertThat(bounded.exit()).as(bounded.err()).isZero();
      assertThat(bounded.out().lines().map(JsonObject::new).map(s -> s.getString("node")).distinct()).containsExactly("it-node");

      assertThat(server.terminate()).isEqualTo(143);
    }
  }

  @Test
  @DisplayName("a client watching a server that stops gets every listener's last snapshot, then exits 69 saying the bridge closed")
  void lastSnapshotsAtStop() throws Exception {
    try (ServerProcess server = start()) {
      int bridge = Integer.parseInt(server.awaitLine("bridge: TCP event-bus bridge is running on 127\\.0\\.0\\.1:(\\d+)").group(1));
      Process watcher = new ProcessBuilder("python3", SCRIPT.toString(), "--port", Integer.toString(bridge)).start();
      try (BufferedReader out = new BufferedReader(new InputStreamReader(watcher.getInputStream(), StandardCharsets.UTF_8))) {
        assertThat(out.readLine()).as("subscribed").contains(" it-node ");
        assertThat(server.terminate()).isEqualTo(143);
        assertThat(watcher.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(out.lines().filter(l -> l.endsWith("(last: the instance stopped)")).map(l -> l.split(" ")[2]))
          .containsExactlyInAnyOrder("greeter", "echo", "udp-echo");
        assertThat(watcher.exitValue()).isEqualTo(69);
        assertThat(new String(watcher.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo("stats-client: the bridge at 127.0.0.1:" + bridge + " closed the connection\n");
      } finally {
        watcher.destroyForcibly();
      }
    }
  }

  @Test
  @DisplayName("a bridge on a non-loopback address is a configuration problem: exit 78, one line naming file, key, rule and value")
  void nonLoopbackRefused() throws IOException {
    JsonObject json = NetserverIT.loopbackConfig().put("bridge", new JsonObject().put("host", "0.0.0.0").put("port", 0));
    Path conf = Files.writeString(dir.resolve("config.json"), json.encodePrettily());
    try (ServerProcess server = ServerProcess.jar("-conf", conf.toString())) {
      assertThat(server.waitFor()).isEqualTo(78);
      assertThat(server.output()).contains(conf + ": bridge.host must be a loopback address (127.0.0.1, ::1 or localhost):"
        + " the event bus bridge has no authentication; to reach it from another machine, tunnel to it (ssh -L) (was \"0.0.0.0\")")
        .doesNotContain("is running on");
    }
  }

  @Test
  @DisplayName("a bridge port in use stops the start like a listener's: exit 71, naming the bridge and the address")
  void portInUse() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      JsonObject json = NetserverIT.loopbackConfig().put("bridge", new JsonObject().put("port", taken.getLocalPort()));
      Path conf = Files.writeString(dir.resolve("config.json"), json.encodePrettily());
      try (ServerProcess server = ServerProcess.jar("-conf", conf.toString())) {
        assertThat(server.waitFor()).isEqualTo(71);
        assertThat(server.output()).contains("bridge: cannot listen on TCP 127.0.0.1:" + taken.getLocalPort() + ": ")
          .contains("every listener already started was stopped again");
      }
    }
  }

  @Test
  @DisplayName("says clearly that it cannot connect, and exits 69, when nothing listens on the port")
  void cannotConnect() throws IOException {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = free.getLocalPort();
    }
    Run run = script("--port", Integer.toString(port), "--count", "1");
    assertThat(run.exit()).isEqualTo(69);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo("stats-client: cannot connect to the bridge at 127.0.0.1:" + port + ": Connection refused"
      + " (is netserver running with a \"bridge\" object in its configuration?)\n");
  }
}
