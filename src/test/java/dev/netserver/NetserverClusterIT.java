package dev.netserver;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar run as clustered processes on loopback, with the shipped conf/cluster.xml made unique to
 * the test run (cluster name, ports) and without the wait before joining.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@DisplayName("The packaged server, clustered")
class NetserverClusterIT {

  @TempDir
  Path dir;

  private final String clusterName = "netserver-it-" + UUID.randomUUID();
  private final int basePort = 40_000 + 20 * ThreadLocalRandom.current().nextInt(500);

  /** conf/cluster.xml, with this run's cluster name and ports and no wait before joining. */
  private Path clusterXml() throws IOException {
    Path file = dir.resolve("cluster.xml");
    if (!Files.exists(file)) {
      String xml = Files.readString(Path.of("conf/cluster.xml"))
        .replace("<cluster-name>netserver</cluster-name>", "<cluster-name>" + clusterName + "</cluster-name>")
        .replace(">5701</port>", ">" + basePort + "</port>")
        .replace("<property name=\"hazelcast.wait.seconds.before.join\">1</property>",
          "<property name=\"hazelcast.wait.seconds.before.join\">0</property>");
      assertThat(xml).contains(clusterName, ">" + basePort + "<", "before.join\">0<");
      Files.writeString(file, xml);
    }
    return file;
  }

  /** A node on loopback ephemeral ports, publishing every 100 ms and logging every second. */
  private Path node(String name) throws IOException {
    JsonObject json = NetserverIT.loopbackConfig()
      .put("node", new JsonObject().put("name", name))
      .put("cluster", new JsonObject().put("config", clusterXml().toString()));
    Path file = dir.resolve(name + ".json");
    Files.writeString(file, json.encodePrettily());
    return file;
  }

  /** A clustered node, once it has deployed, with its listeners' ports. */
  private record Node(ServerProcess process, int greeter, int udp) implements AutoCloseable {

    @Override
    public void close() {
      process.close();
    }
  }

  private static Node start(Path conf) {
    ServerProcess server = ServerProcess.jar("-conf", conf.toString(), "-cluster");
    int greeter = server.port("greeter");
    int udp = server.port("udp-echo");
    server.awaitLine("Succeeded in deploying verticle");
    return new Node(server, greeter, udp);
  }

  /** {@code java -jar netserver.jar stats -conf CONF args...}: its standard output, after checking it exited 0. */
  private JsonObject stats(Path conf, String... args) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-jar", ServerProcess.jar().toString(), "stats", "-conf", conf.toString(), "--json"));
    command.addAll(List.of(args));
    try {
      Path err = Files.createTempFile(dir, "stats", ".err");
      Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as("stats exit status; its errors: " + Files.readString(err)).isZero();
      return new JsonObject(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void greet(int port, int times) {
    for (int i = 0; i < times; i++) {
      try (TestClient c = TestClient.connect(port)) {
        c.readUntil(": ");
        assertThat(c.send("hi\n").readToEnd()).isEqualTo("You entered 2 characters.\n");
      }
    }
  }

  private static void datagram(int port) throws IOException {
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      s.setSoTimeout(5000);
      s.send(new DatagramPacket(new byte[]{1, 2, 3}, 3, InetAddress.getLoopbackAddress(), port));
      s.receive(new DatagramPacket(new byte[8], 8));
    }
  }

  private static JsonObject counters(JsonObject listeners, String listener) {
    return listeners.getJsonObject(listener).getJsonObject("counters");
  }

  /** Greeting exchanges against one port in a loop, paced, counting the good ones and the failed ones. */
  private static final class ClientLoop implements AutoCloseable {
    final AtomicInteger answered = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    ClientLoop(int port) {
      thread = new Thread(() -> {
        while (running.get()) {
          try (TestClient c = TestClient.connect(port)) {
            c.readUntil(": ");
            if (c.send("hi\n").readToEnd().equals("You entered 2 characters.\n")) {
              answered.incrementAndGet();
            } else {
              failed.incrementAndGet();
            }
          } catch (RuntimeException e) {
            failed.incrementAndGet();
          }
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // pacing, so the loop leaves the CPU to the nodes
        }
      }, "client-loop");
      thread.start();
    }

    void awaitAnswered(int count) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (answered.get() < count && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(answered.get()).isGreaterThanOrEqualTo(count);
    }

    @Override
    public void close() {
      running.set(false);
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Test
  @DisplayName("two nodes count each other's traffic; kill -9 of one leaves the other serving without a failed exchange and"
    + " showing it departed with its counts kept; a restart adds its new counts")
  void twoNodesAndAKill() throws IOException {
    Path confA = node("it-a");
    Path confB = node("it-b");
    try (Node nodeA = start(confA); Node nodeB = start(confB)) {
      ServerProcess a = nodeA.process();
      ServerProcess b = nodeB.process();
      int greeterA = nodeA.greeter();
      int greeterB = nodeB.greeter();
      int udpB = nodeB.udp();
      a.awaitLine("node it-b is live");

      greet(greeterA, 3);
      greet(greeterB, 2);
      datagram(udpB);
      a.awaitLine("cluster \\(2 live nodes\\): greeter tcp: 5 accepted \\(0 active\\)");
      JsonObject both = stats(confA, "--node", "it-a");
      assertThat(both.getString("node")).isEqualTo("it-a");
      assertThat(both.getJsonObject("cluster").getInteger("liveNodes")).isEqualTo(2);
      assertThat(counters(both.getJsonObject("listeners"), "greeter").getLong("linesAnswered")).isEqualTo(5);
      assertThat(counters(both.getJsonObject("listeners"), "udp-echo").getLong("datagramsEchoed")).isEqualTo(1);
      JsonObject bInReply = both.getJsonObject("nodes").getJsonObject("it-b");
      assertThat(bInReply.getString("state")).isEqualTo("live");
      assertThat(counters(bInReply.getJsonObject("listeners"), "greeter").getLong("linesAnswered")).isEqualTo(2);

      try (TestClient heldOnB = TestClient.connect(greeterB); ClientLoop loop = new ClientLoop(greeterA)) {
        heldOnB.readUntil(": ");
        a.awaitLine("cluster \\(2 live nodes\\): greeter tcp: \\d+ accepted \\(1 active\\)");
        loop.awaitAnswered(10);

        long killed = System.nanoTime();
        assertThat(b.kill()).isEqualTo(137);
        a.awaitLine("node it-b departed: it left the cluster");
        System.out.printf("kill -9 of it-b: it-a logged the departure after %d ms%n",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
        int atDeparture = loop.answered.get();
        loop.awaitAnswered(atDeparture + 20);
        loop.close();
        assertThat(loop.failed.get()).as("failed exchanges with it-a while it-b died").isZero();

        int answered = 5 + loop.answered.get();
        a.awaitLine("cluster \\(1 live node\\): greeter tcp: \\d+ accepted \\(0 active\\).*, " + answered + " answered");
        JsonObject survivor = stats(confA);
        assertThat(survivor.getString("node")).isEqualTo("it-a");
        assertThat(survivor.getJsonObject("cluster").getInteger("liveNodes")).isEqualTo(1);
        assertThat(survivor.getJsonObject("cluster").getInteger("departedNodes")).isEqualTo(1);
        JsonObject greeter = counters(survivor.getJsonObject("listeners"), "greeter");
        assertThat(greeter.getLong("linesAnswered")).isEqualTo(answered);
        assertThat(greeter.getLong("connectionsActive")).isZero();
        JsonObject departedB = survivor.getJsonObject("nodes").getJsonObject("it-b");
        assertThat(departedB.getString("state")).isEqualTo("departed");
        assertThat(departedB.getString("reason")).isEqualTo("left");
        assertThat(counters(departedB.getJsonObject("listeners"), "greeter").getLong("linesAnswered")).isEqualTo(2);
        assertThat(counters(departedB.getJsonObject("listeners"), "greeter").getLong("connectionsAccepted")).isEqualTo(3);

        try (Node nodeAgain = start(confB)) {
          ServerProcess again = nodeAgain.process();
          greet(nodeAgain.greeter(), 1);
          a.awaitLine("node it-b is live again");
          a.awaitLine("cluster \\(2 live nodes\\): greeter tcp: \\d+ accepted \\(0 active\\).*, " + (answered + 1) + " answered");
          JsonObject back = stats(confA, "--node", "it-b");
          assertThat(back.getString("node")).isEqualTo("it-b");
          assertThat(counters(back.getJsonObject("listeners"), "greeter").getLong("linesAnswered")).isEqualTo(answered + 1);
          assertThat(counters(back.getJsonObject("nodes").getJsonObject("it-b").getJsonObject("listeners"), "greeter")
            .getLong("linesAnswered")).isEqualTo(3);
          assertThat(again.terminate()).isEqualTo(143);
        }
      }
      assertThat(a.terminate()).isEqualTo(143);
    }
  }

  @Test
  @DisplayName("a node started alone forms a cluster of one, and `stats` reads it")
  void alone() throws IOException {
    Path conf = node("it-alone");
    try (Node alone = start(conf)) {
      ServerProcess a = alone.process();
      assertThat(a.output()).contains("clustered as cluster node", "(1 member)");
      JsonObject reply = stats(conf);
      assertThat(reply.getJsonObject("cluster").getInteger("liveNodes")).isEqualTo(1);
      assertThat(reply.getJsonObject("cluster").getInteger("members")).isEqualTo(2); // the query client too
      assertThat(a.terminate()).isEqualTo(143);
    }
  }

  @Test
  @DisplayName("a cluster.config that does not exist exits 78 with one line naming it, before binding or joining anything")
  void missingClusterConfig() throws IOException {
    Path missing = dir.resolve("cluster-prod.xml");
    Path conf = dir.resolve("config.json");
    Files.writeString(conf, NetserverIT.loopbackConfig().put("cluster", new JsonObject().put("config", missing.toString())).encode());
    try (ServerProcess server = ServerProcess.jar("-conf", conf.toString(), "-cluster")) {
      assertThat(server.waitFor()).isEqualTo(78);
      assertThat(server.output())
        .contains(missing + ": cannot read the Hazelcast configuration: it does not exist")
        .doesNotContain("Starting clustering", "is running on", "Exception");
    }
  }

  @Test
  @DisplayName("an invalid Hazelcast file exits 78 with one line naming it")
  void invalidClusterConfig() throws IOException {
    Path broken = Files.writeString(dir.resolve("cluster.xml"), "<hazelcast><network></hazelcast>");
    Path conf = dir.resolve("config.json");
    Files.writeString(conf, NetserverIT.loopbackConfig().put("cluster", new JsonObject().put("config", broken.toString())).encode());
    try (ServerProcess server = ServerProcess.jar("-conf", conf.toString(), "-cluster")) {
      assertThat(server.waitFor()).isEqualTo(78);
      assertThat(server.output()).contains(broken + ": is not a valid Hazelcast configuration: ")
        .doesNotContain("Starting clustering", "is running on");
    }
  }
}
