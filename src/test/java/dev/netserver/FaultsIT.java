package dev.netserver;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.transport.Transport;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Faults the packaged server must live through, run as a process: running out of file descriptors, and the
 * signals a service manager or an operator sends. Each test is bounded (at most 600 connections, under 30 s).
 * The figures in docs/RELIABILITY.md come from these tests' measurements, printed by them.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@DisplayName("The packaged server under faults")
class FaultsIT {

  private static final String PROMPT = "Please enter a string: ";
  private static final String DRAIN = "SIGTERM: stopping; draining (\\d+) connections? for up to (\\d+) s; send SIGTERM again to stop now";

  @TempDir
  Path dir;

  /** One greeting listener on loopback, an ephemeral port, no UDP (the default UDP listener's port is fixed). */
  private Path config(String transport, int graceSeconds) throws IOException {
    return config(transport, "auto", graceSeconds);
  }

  private Path config(String transport, String engine, int graceSeconds) throws IOException {
    JsonObject json = new JsonObject()
      .put("node", new JsonObject().put("name", "faults-it"))
      .put("transport", transport)
      .put("tcp", new JsonArray().add(new JsonObject().put("name", "greeter").put("protocol", "greeting")
        .put("host", "127.0.0.1").put("port", 0).put("instances", 1).put("engine", engine)))
      .put("udp", new JsonArray())
      .put("stats", new JsonObject().put("publishIntervalMs", 1000).put("logIntervalSeconds", 600))
      .put("shutdown", new JsonObject().put("graceSeconds", graceSeconds));
    Path file = dir.resolve("config.json");
    Files.writeString(file, json.encodePrettily());
    return file;
  }

  /** CPU seconds (user + system) the process has used, from /proc/PID/stat (clock ticks of 1/100 s). */
  private static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The process's resident memory, from /proc/PID/status. */
  private static long rssKib(long pid) throws IOException {
    return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith("VmRSS:"))
      .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(-1);
  }

  private static List<SocketChannel> connect(int port, int count) throws IOException {
    List<SocketChannel> clients = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      // the kernel completes the handshake into the listen backlog (1024) whether or not the server accepts
      clients.add(SocketChannel.open(new InetSocketAddress("127.0.0.1", port)));
    }
    return clients;
  }

  private static void closeAll(List<SocketChannel> clients) {
    for (SocketChannel c : clients) {
      try {
        c.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"epoll/direct", "epoll/vertx", "io_uring/direct", "io_uring/vertx"})
  @DisplayName("ulimit -n 256 and 600 connections: at most one line a second, a counter, bounded CPU (epoll), and a normal client welcomed once they close")
  void outOfFileDescriptors(String transportAndEngine) throws Exception {
    String transport = transportAndEngine.split("/")[0];
    String engine = transportAndEngine.split("/")[1];
    Transport t = transport.equals("epoll") ? Transport.EPOLL : Transport.IO_URING;
    assumeTrue(t != null && t.available(), transport + " does not load here");
    try (ServerProcess server = ServerProcess.jarWithFileLimit(256, "-conf", config(transport, engine, 2).toString())) {
      int port = server.port("greeter");
      server.awaitLine("Succeeded in deploying");
      List<SocketChannel> clients = connect(port, 600);
      try {
        server.awaitLine("greeter: cannot accept a connection: .*Too many open files.*may open 256 file descriptors");
        int lines = server.lineCount();
        double cpu = cpuSeconds(server.pid());
        long start = System.nanoTime();
        Thread.sleep(4000); // the measured window: what the server does meanwhile is the point
        double seconds = (System.nanoTime() - start) / 1e9;
        double linesPerSecond = (server.lineCount() - lines) / seconds;
        double cpuShare = (cpuSeconds(server.pid()) - cpu) / seconds;
        System.out.printf("FaultsIT %s: %.1f lines/s, CPU %.0f%% of a core, RSS %d MiB%n", transportAndEngine, linesPerSecond,
          cpuShare * 100, rssKib(server.pid()) / 1024);
        assertThat(linesPerSecond).as("log lines a second while out of descriptors").isLessThan(2);
        if (transport.equals("epoll")) {
          assertThat(cpuShare).as("CPU (share of a core) while out of descriptors").isLessThan(0.20);
        }
        // the vertx engine's guard is put on the NetServer's socket at its first connection, so the failures
        // that come before it are Netty's own: one line on epoll, a burst on io_uring (docs/RELIABILITY.md)
        int tailWarnings = server.output().split("reached at the tail of the pipeline", -1).length - 1;
        if (engine.equals("direct")) {
          assertThat(tailWarnings).as("Netty's tail WARNs").isZero();
        } else if (transport.equals("epoll")) {
          assertThat(tailWarnings).as("Netty's tail WARNs before the guard is in place").isLessThanOrEqualTo(1);
        }
      } finally {
        closeAll(clients);
      }
      try (TestClient normal = TestClient.connect(port)) {
        assertThat(normal.readUntil(PROMPT)).startsWith("Welcome, 127.0.0.1:");
      }
      assertThat(server.terminate()).isEqualTo(143);
      assertThat(server.output()).containsPattern("final: greeter tcp: \\d+ accepted");
    }
  }

  @Test
  @DisplayName("SIGTERM under load: the drain is logged, clients in flight get their answer or a clean close, exit 143 within the grace")
  void sigtermDuringLoad() throws Exception {
    try (ServerProcess server = ServerProcess.jar("-conf", config("auto", 3).toString())) {
      int port = server.port("greeter");
      server.awaitLine("Succeeded in deploying");
      List<TestClient> clients = new ArrayList<>();
      try {
        for (int i = 0; i < 50; i++) {
          TestClient c = TestClient.connect(port);
          clients.add(c);
          c.readUntil(PROMPT);
          c.send("half a li"); // mid-line when the stop comes
        }
        long stopping = System.nanoTime();
        server.signalTerm();
        server.awaitLine(DRAIN.replace("(\\d+) connections?", "50 connections").replace("(\\d+) s", "3 s"));
        int answered = 0;
        for (TestClient c : clients) {
          String rest = c.send("ne\n").readToEnd();
          // the answer, or nothing at all: a clean close, never a reset or half an answer
          assertThat(rest).isIn("You entered 11 characters.\n", "");
          answered += rest.isEmpty() ? 0 : 1;
        }
        assertThat(server.waitFor()).isEqualTo(143);
        assertThat(System.nanoTime() - stopping).as("nanoseconds from SIGTERM to exit").isLessThan(TimeUnit.SECONDS.toNanos(3 + 5));
        System.out.printf("FaultsIT sigterm: %d of %d clients in flight answered%n", answered, clients.size());
      } finally {
        clients.forEach(TestClient::close);
      }
    }
  }

  @Test
  @DisplayName("a second SIGTERM during the grace period stops at once")
  void secondSigtermStopsAtOnce() throws Exception {
    try (ServerProcess server = ServerProcess.jar("-conf", config("auto", 30).toString())) {
      int port = server.port("greeter");
      server.awaitLine("Succeeded in deploying");
      try (TestClient silent = TestClient.connect(port)) {
        silent.readUntil(PROMPT);
        server.signalTerm();
        server.awaitLine(DRAIN.replace("(\\d+) connections?", "1 connection").replace("(\\d+) s", "30 s"));
        long again = System.nanoTime();
        server.signalTerm();
        assertThat(server.waitFor()).isEqualTo(143);
        assertThat(System.nanoTime() - again).as("nanoseconds from the second SIGTERM to exit").isLessThan(TimeUnit.SECONDS.toNanos(5));
        assertThat(server.output()).contains("SIGTERM again: stopping now");
      }
    }
  }

  @Test
  @DisplayName("SIGHUP does not stop the server: it reloads the configuration (unchanged here) and keeps serving")
  void sighupKeepsRunning() throws Exception {
    try (ServerProcess server = ServerProcess.jar("-conf", config("auto", 2).toString())) {
      int port = server.port("greeter");
      server.awaitLine("Succeeded in deploying");
      server.signal("HUP");
      server.awaitLine("reload \\(SIGHUP\\): nothing changed");
      try (TestClient c = TestClient.connect(port)) {
        assertThat(c.readUntil(PROMPT)).startsWith("Welcome, 127.0.0.1:");
      }
      assertThat(server.isAlive()).isTrue();
      assertThat(server.terminate()).isEqualTo(143);
    }
  }
}
